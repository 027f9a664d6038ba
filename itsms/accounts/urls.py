"""Pages and API routes of accounts (namespaces ``itsms`` and ``itsms-api``, composed by the root
urls), and ``auth_urlpatterns``: django-allauth's pages the product uses, under ``accounts/``
(mounted by the root urls without a namespace, as allauth expects).

Of allauth we mount: signing in and out, passwords (change, reset), re-authentication, second
factors (``accounts/2fa/``: authenticator app, recovery codes, security keys and passkeys),
and single sign-on (the OpenID Connect and SAML endpoints of the organisations' identity
providers, and the pages a failed or cancelled sign-in ends on). Not mounted: open sign-up
forms, email-address management (an account's address is its identity: an identity
provider vouches for it), sign-in codes, third-party account connections, allauth's own
sessions page (the account page lists sessions).
"""

from allauth.account import urls as account_urls
from allauth.account import views as account_views
from allauth.socialaccount import urls as socialaccount_urls
from allauth.socialaccount.providers.openid_connect import urls as oidc_urls
from allauth.socialaccount.providers.saml import urls as saml_urls
from django.urls import include, path

from . import api, views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/sessions/<int:session_id>/end/", views.session_end, name="session_end"),
    path("account/sessions/end-others/", views.sessions_end_others, name="sessions_end_others"),
    path("account/token/", views.api_token_create, name="api_token_create"),
    path("account/token/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("account/token/revoke-all/", views.api_tokens_revoke_all, name="api_tokens_revoke_all"),
]

api_urlpatterns = [path("auth/token/", api.ObtainTokenView.as_view(), name="auth-token")]

ALLAUTH_ACCOUNT_PAGES = {
    "account_login",
    "account_logout",
    "account_inactive",
    "account_signup",  # answers "sign-up is closed"; allauth links to it
    "account_reauthenticate",
    "account_change_password",
    "account_set_password",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
}
ALLAUTH_SOCIAL_PAGES = {"socialaccount_login_cancelled", "socialaccount_login_error"}


def _only(patterns, names):
    kept = []
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            inner = _only(pattern.url_patterns, names)
            if inner:
                kept.append(path(str(pattern.pattern), include(inner)))
        elif pattern.name in names:
            kept.append(pattern)
    return kept


auth_urlpatterns = [
    # The names the project's templates and Django use, on allauth's views.
    path("accounts/login/", account_views.login, name="login"),
    path("accounts/logout/", account_views.logout, name="logout"),
    path("accounts/password/change/", account_views.password_change, name="password_change"),
    path("accounts/password/reset/", account_views.password_reset, name="password_reset"),
    # Recovery codes: shown once, downloadable just after (ahead of allauth's, same addresses).
    path("accounts/2fa/recovery-codes/", views.recovery_codes),
    path("accounts/2fa/recovery-codes/download/", views.recovery_codes_download),
    path("accounts/", include(_only(account_urls.urlpatterns, ALLAUTH_ACCOUNT_PAGES))),
    path("accounts/2fa/", include("allauth.mfa.urls")),
    path("accounts/sso/", include(_only(socialaccount_urls.urlpatterns, ALLAUTH_SOCIAL_PAGES))),
    path("accounts/", include(oidc_urls.urlpatterns)),  # under its own prefix "oidc/"
    path("accounts/", include(saml_urls.urlpatterns)),
]
