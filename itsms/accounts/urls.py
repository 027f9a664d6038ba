"""Pages and API routes of accounts (namespaces ``itsms`` and ``itsms-api``, composed by the root
urls). Django's own sign-in, sign-out and password pages are wired in the root urls."""

from django.urls import path

from . import api, views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/token/", views.api_token_create, name="api_token_create"),
    path("account/token/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("account/token/revoke-all/", views.api_tokens_revoke_all, name="api_tokens_revoke_all"),
]

api_urlpatterns = [path("auth/token/", api.ObtainTokenView.as_view(), name="auth-token")]
