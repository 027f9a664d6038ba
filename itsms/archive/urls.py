"""Pages of signed exports (namespace ``itsms``, composed by the root urls)."""

from django.urls import path

from . import views

org = "o/<slug:org_slug>/"

urlpatterns = [
    path(org + "archive/", views.OrganizationArchiveView.as_view(), name="organization_archive"),
    path(
        org + "archives/<int:pk>/progress/",
        views.ArchiveProgressView.as_view(),
        name="archive_progress",
    ),
    path(
        org + "archives/<int:pk>/download/",
        views.ArchiveDownloadView.as_view(),
        name="archive_download",
    ),
    path("signing-key.pem", views.SigningKeyView.as_view(), name="signing_key"),
    path("verify/", views.VerifyPackView.as_view(), name="verify_pack"),
]
