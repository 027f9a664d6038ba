"""Test settings: fast hashing, in-memory email, eager Celery unless a test asks for a worker."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Links in emails: a fixed address of its own, whatever a local run left in var/site_url.
SITE_URL = "https://itsms.test"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
AXES_ENABLED = True  # as in production; tests sign in with force_login
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns when it is missing)
# Uploads of the tests go to a throw-away folder, never to var/media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="itsms-test-media-"))
# The signing key of the tests: a throw-away one, never var/keys.
SIGNING_KEY_PATH = str(Path(tempfile.mkdtemp(prefix="itsms-test-keys-")) / "signing-ed25519.pem")
