"""Settings shared by every mode.

Every value comes from the environment, with defaults that make the embedded
mode (SQLite, local media, kombu's filesystem broker) work on a fresh machine.
Production (``itsms.settings.production``) refuses to start without the values
that must not have defaults there.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("ITSMS_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The embedded default generates a key per checkout (see itsms/settings/_secret.py);
# production requires SECRET_KEY.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    from ._secret import embedded_secret_key

    SECRET_KEY = embedded_secret_key(VAR_DIR)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # allauth's security-key list
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_htmx",
    "axes",
    "simple_history",
    # Sign-in, second factors, single sign-on and sessions (django-allauth): see itsms/accounts.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "allauth.usersessions",
    "itsms.apps.ItsmsConfig",
    "processes",
    "audits",
    "sms",
    "certification",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Times on pages in the reader's zone; an organisation's pages switch to its own.
    "itsms.shared.timezones.ReaderTimezoneMiddleware",
    # 413 for an oversized declared body before anything reads it (after locale and user, so
    # the page speaks the user's language; before any view or CSRF check reads request.POST).
    "itsms.evidence.limits.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The session's last-seen time and address, written at most every few minutes (not on every
    # request, as allauth's own tracking would), and the new-device cookie.
    "itsms.accounts.middleware.SessionActivityMiddleware",
    # /admin/ needs a second factor where ADMIN_REQUIRE_MFA is on (production).
    "itsms.accounts.middleware.AdminSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "itsms.shared.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "itsms.urls"
WSGI_APPLICATION = "itsms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "itsms.tenancy.context_processors.navigation",
                "itsms.accounts.context_processors.second_factor",
                "itsms.notifications.context_processors.bell",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the Celery worker use the file side by side.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "itsms.User"

AUTHENTICATION_BACKENDS = [
    "itsms.accounts.lockout.AddressLockoutBackend",
    "axes.backends.AxesStandaloneBackend",
    # No password where an organisation signs its domain in through its identity provider only.
    "itsms.accounts.backends.SingleSignOnOnlyBackend",
    # allauth's backend is Django's ModelBackend with a case-insensitive email look-up.
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "itsms:portfolio"
LOGOUT_REDIRECT_URL = "login"

# django-allauth: accounts are created by invitation or by an organisation's identity provider,
# never by open sign-up; sign-in is by email (case-insensitive).
ACCOUNT_ADAPTER = "itsms.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "itsms.accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = True  # sessions last SESSION_COOKIE_AGE, as before
ACCOUNT_LOGOUT_ON_GET = False
# A password change keeps this session and ends every other one (itsms.accounts.signals).
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Emails about security changes (password, second factors), sent through Celery.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# One lockout policy for sign-in, its second step included: django-axes (above). allauth's own
# per-address and per-IP sign-in limits would lock earlier and differently; its other limits
# (password reset, re-authentication, password change) stay.
ACCOUNT_RATE_LIMITS = {"login": None, "login_failed": None}

MFA_ADAPTER = "itsms.accounts.adapters.MFAAdapter"
MFA_FORMS = {"authenticate": "itsms.accounts.forms.SecondFactorForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_RECOVERY_CODES_SHOW_ONCE = True
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="ITSMS Workbench")
# WebAuthn needs HTTPS, except on localhost (the embedded mode and the browser tests).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=True)
# The site admin (/admin/) must have signed in with a second factor (on in production).
ADMIN_REQUIRE_MFA = env.bool("ADMIN_REQUIRE_MFA", default=False)

SOCIALACCOUNT_ADAPTER = "itsms.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("SSO_REQUESTS_TIMEOUT", default=10)
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}

# Secrets stored in the database (identity providers' client secrets, TOTP keys) are encrypted
# with Fernet. Keys: SECRETS_ENCRYPTION_KEYS (comma-separated, the first encrypts, all decrypt:
# put a new key first to rotate); by default one key derived from SECRET_KEY.
SECRETS_ENCRYPTION_KEYS = env.list("SECRETS_ENCRYPTION_KEYS", default=[])

# The session's last-seen time is written at most this often.
SESSION_ACTIVITY_INTERVAL_SECONDS = env.int("SESSION_ACTIVITY_INTERVAL_SECONDS", default=300)

# Brute-force protection of the sign-in form (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
# Locked out when one account fails too often from one address (AXES_FAILURE_LIMIT), and when
# one address fails too often across accounts, e.g. one password tried on many accounts
# (AXES_ADDRESS_FAILURE_LIMIT, higher: a client's office signs in from one address). Both
# counts come from axes' records; see itsms/accounts/lockout.py.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=30)
# The sign-in form posts the email as "username" (Django's AuthenticationForm); axes would
# otherwise look for USERNAME_FIELD ("email") and lock out nobody in particular.
AXES_USERNAME_FORM_FIELD = "username"
# Emails are matched whatever their case, so the attempts of "Wang@" and "wang@" add up.
AXES_USERNAME_CALLABLE = "itsms.accounts.lockout.attempted_username"
# The sign-in page and the token endpoint answer a lockout alike (429, the same message).
AXES_LOCKOUT_CALLABLE = "itsms.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# axes logs "AXES: BEGIN …" in every process and each sign-in; production turns it on.
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=False)

# API tokens (django-rest-knox): only a hash is stored; named, expiring, revocable, and all of a
# user's tokens are revoked when the password changes. "itsms_" marks a key for secret scanners.
KNOX_TOKEN_MODEL = "itsms.ApiToken"  # noqa: S105 (a model name)
API_TOKEN_DEFAULT_DAYS = env.int("API_TOKEN_DEFAULT_DAYS", default=90)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    "TOKEN_PREFIX": "itsms_",
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_TTL": timedelta(days=API_TOKEN_DEFAULT_DAYS),
    "AUTO_REFRESH": False,
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Media is never served from a public URL: downloads go through permission-checked views.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
FILE_UPLOAD_PERMISSIONS = 0o640

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Email: console in the embedded mode, SMTP when EMAIL_URL / EMAIL_HOST is set.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
if EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
    # The same, decoded: subjects and bodies as a person reads them (Chinese included).
    EMAIL_BACKEND = "itsms.shared.console.ReadableConsoleBackend"
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ITSMS Workbench <noreply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Absolute links in emails (invitations, reminders, notifications) are built from this base
# URL. The embedded run writes the address it binds to var/site_url, so every process of this
# checkout (a worker, a management command) builds the same links; production requires it.
_SITE_URL_FILE = VAR_DIR / "site_url"
SITE_URL = env.str("SITE_URL", default="") or (
    _SITE_URL_FILE.read_text().strip() if _SITE_URL_FILE.is_file() else "http://127.0.0.1:8000"
)

# Celery: kombu's filesystem transport by default, Redis in production (REDIS_URL).
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # exchange tables (kombu writes them to ./control unless told otherwise)
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or None) or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The embedded run lets the worker print to its terminal (emails) instead of logging each line.
CELERY_WORKER_REDIRECT_STDOUTS = env.bool("CELERY_WORKER_REDIRECT_STDOUTS", default=True)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous API call answers 401 with WWW-Authenticate.
        "itsms.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Default deny: every endpoint needs a signed-in user; tenant endpoints add more.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["itsms.shared.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "itsms.shared.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "itsms.shared.schema.AutoSchema",
    "EXCEPTION_HANDLER": "itsms.shared.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("API_USER_RATE", default="3000/hour")},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "ITSMS Workbench API",
    "DESCRIPTION": (
        "ISO/IEC 20000-1:2018 certification readiness: organisations, memberships, "
        "and the clause tree with its correlations. Tenant-owned lists require the "
        "`organization` filter (the organisation's slug)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "itsms.shared.schema.require_version_on_updates",
    ],
    "ENUM_NAME_OVERRIDES": {
        "EvidenceKindEnum": "itsms.models.evidence.EvidenceKind",
        "EvidenceStatusEnum": "itsms.models.evidence.DocumentStatus",
        "ConfidentialityEnum": "itsms.models.evidence.Confidentiality",
        "CorrelationKindEnum": "itsms.models.standards.ClauseCorrelation.Kind",
        # the SMS records: a supplier's kind is the gap assessment's other party
        "OtherPartyEnum": "sms.models.suppliers.SupplierKind",
        "RiskKindEnum": "sms.models.risks.RiskKind",
        "AgreementKindEnum": "sms.models.suppliers.AgreementKind",
        "RoleEnum": "itsms.models.tenancy.Role",
    },
}

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None

# Product rules that a deployment may change.
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=14)
# Certification rules (certification-rules.md): a certification body may differ; its own
# response window and transition cutoff on its record take precedence over these defaults.
NC_RESPONSE_WINDOW_DAYS = env.int("NC_RESPONSE_WINDOW_DAYS", default=42)
TRANSITION_CUTOFF = env.str("TRANSITION_CUTOFF", default="2021-09-15")
# The recertification audit is due this many days before expiry, so that the body can verify
# major nonconformities before it (a certification body's own lead time wins).
RECERTIFICATION_LEAD_DAYS = env.int("RECERTIFICATION_LEAD_DAYS", default=90)
# Days before each kind of deadline when reminders go out, e.g. {"surveillance": [60, 14]}.
REMINDER_OFFSETS = env.json("REMINDER_OFFSETS", default={})
# An overdue deadline is reminded only while overdue by less than this many days (history
# entered after the fact sends nothing).
REMINDER_OVERDUE_GRACE_DAYS = env.int("REMINDER_OVERDUE_GRACE_DAYS", default=30)
# A reminder queued for sending is queued again only after this lease, if still unsent.
REMINDER_QUEUE_LEASE_MINUTES = env.int("REMINDER_QUEUE_LEASE_MINUTES", default=120)

# Evidence documents: the largest file accepted, checked before anything is stored.
EVIDENCE_MAX_UPLOAD_MB = env.int("EVIDENCE_MAX_UPLOAD_MB", default=50)
#: An import workbook larger than this is read by a Celery task, its preview page polling the
#: progress (smaller ones are read during the upload).
IMPORT_BACKGROUND_BYTES = env.int("IMPORT_BACKGROUND_BYTES", default=256 * 1024)
# The largest total of all files of one upload (a request with a larger declared body gets 413
# before it is read).
EVIDENCE_MAX_UPLOAD_TOTAL_MB = env.int("EVIDENCE_MAX_UPLOAD_TOTAL_MB", default=200)
# Documents that are archives (Office, OpenDocument): the most their parts may expand to, the
# highest compression ratio of one part (above 1 MB), and the most parts (archive bombs).
EVIDENCE_ARCHIVE_MAX_EXPANDED_MB = env.int("EVIDENCE_ARCHIVE_MAX_EXPANDED_MB", default=500)
EVIDENCE_ARCHIVE_MAX_RATIO = env.int("EVIDENCE_ARCHIVE_MAX_RATIO", default=200)
EVIDENCE_ARCHIVE_MAX_PARTS = env.int("EVIDENCE_ARCHIVE_MAX_PARTS", default=10000)
# Where evidence files live: "local" (MEDIA_ROOT) or "s3" (any S3-compatible service, through
# django-storages; files stay private and are only ever streamed by permission-checked views).
EVIDENCE_STORAGE = env.str("EVIDENCE_STORAGE", default="local")
if EVIDENCE_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# The product's Ed25519 signing key (audit packs, organisation archives): created on first use;
# the web server and the worker must share it (itsms/shared/signing.py).
SIGNING_KEY_PATH = env.str(
    "SIGNING_KEY_PATH", default=str(VAR_DIR / "keys" / "signing-ed25519.pem")
)
# Audit packs and organisation archives are built in this folder (a temporary ZIP streamed to
# disk), then stored in the default storage beside the evidence. Default: the system's.
EXPORT_TEMP_DIR = env.str("EXPORT_TEMP_DIR", default="") or None
# A build (audit pack, archive) that has not moved for this long was lost with its worker.
EXPORT_STALE_MINUTES = env.int("EXPORT_STALE_MINUTES", default=60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_errors_without_traceback": {
            "()": "itsms.shared.console.ClientErrorsWithoutTraceback"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["client_errors_without_traceback"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # kombu's filesystem broker has no host: "No hostname was supplied" on every start.
        "kombu.connection": {"level": "ERROR"},
    },
}
