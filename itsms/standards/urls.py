"""Pages and API routes of the standards (namespaces ``itsms`` and ``itsms-api``, composed by the
root urls)."""

from django.urls import path

from . import api, views

urlpatterns = [
    path("standards/", views.StandardListView.as_view(), name="standard_list"),
    path("clauses/", views.primary_tree, name="clauses"),
    # What changed in 2018: linked from transition audits (keep the name ``changes_2018``).
    path(
        "clauses/what-changed-in-2018/",
        views.EditionChangesView.as_view(),
        name="changes_2018",
    ),
    path("standards/<slug:code>/", views.ClauseTreeView.as_view(), name="clause_tree"),
    path(
        "standards/<slug:code>/<str:number>/",
        views.ClauseDetailView.as_view(),
        name="clause_detail",
    ),
]

api_routes = [
    ("standards", api.StandardViewSet, "standard"),
    ("clauses", api.ClauseViewSet, "clause"),
]
