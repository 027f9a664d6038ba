"""Pages and API routes of single sign-on (namespaces ``itsms`` and ``itsms-api``)."""

from django.urls import path

from . import api, views

org = "o/<slug:org_slug>/"

urlpatterns = [
    path(org + "sso/", views.IdentityProviderView.as_view(), name="sso_settings"),
    path(org + "sso/delete/", views.IdentityProviderDeleteView.as_view(), name="sso_delete"),
]

api_routes = [("identity-providers", api.IdentityProviderViewSet, "identity-provider")]
