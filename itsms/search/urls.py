"""Search pages and API route (namespaces ``itsms`` and ``itsms-api``, composed by the root
urls)."""

from django.urls import path

from . import api, views

org = "o/<slug:org_slug>/"

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
    path(org + "search/", views.OrganizationSearchView.as_view(), name="search_organization"),
]

api_routes = [("search", api.SearchViewSet, "search")]
