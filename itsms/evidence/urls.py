"""Pages and API routes of evidence (namespaces ``itsms`` and ``itsms-api``, composed by the root
urls)."""

from django.urls import path

from . import api, views

org = "o/<slug:org_slug>/"

urlpatterns = [
    path(org + "evidence/", views.EvidenceListView.as_view(), name="evidence_list"),
    path(org + "evidence/export.csv", views.EvidenceExportView.as_view(), name="evidence_export"),
    path(org + "evidence/upload/", views.EvidenceUploadView.as_view(), name="evidence_upload"),
    path(org + "evidence/<int:pk>/", views.EvidenceDetailView.as_view(), name="evidence_detail"),
    path(org + "evidence/<int:pk>/edit/", views.EvidenceEditView.as_view(), name="evidence_edit"),
    path(
        org + "evidence/<int:pk>/versions/new/",
        views.EvidenceVersionUploadView.as_view(),
        name="evidence_version_upload",
    ),
    path(
        org + "evidence/<int:pk>/status/",
        views.EvidenceTransitionView.as_view(),
        name="evidence_transition",
    ),
    path(
        org + "evidence/<int:pk>/delete/",
        views.EvidenceDeleteView.as_view(),
        name="evidence_delete",
    ),
    path(
        org + "evidence/<int:pk>/restore/",
        views.EvidenceRestoreView.as_view(),
        name="evidence_restore",
    ),
    path(
        org + "evidence/<int:pk>/download/",
        views.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    path(
        org + "evidence/versions/<int:pk>/download/",
        views.EvidenceVersionDownloadView.as_view(),
        name="evidence_version_download",
    ),
]

api_routes = [
    ("evidence", api.EvidenceViewSet, "evidence"),
    ("evidence-versions", api.EvidenceVersionViewSet, "evidence-version"),
]
