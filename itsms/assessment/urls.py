"""Pages and API routes of the assessment (namespaces ``itsms`` and ``itsms-api``, composed by
the root urls)."""

from django.urls import path

from . import api, views
from .views import workbook as import_views

org = "o/<slug:org_slug>/"

urlpatterns = [
    path("", views.PortfolioView.as_view(), name="portfolio"),
    path(org + "assessment/", views.AssessmentView.as_view(), name="assessment"),
    path(org + "assessment/start/", views.AssessmentStartView.as_view(), name="assessment_start"),
    path(
        org + "assessment/bulk-assign/",
        views.AssessmentBulkAssignView.as_view(),
        name="assessment_bulk_assign",
    ),
    path(org + "assessment/<int:pk>/", views.AssessmentRowView.as_view(), name="assessment_row"),
    path(
        org + "assessment/workbook/",
        import_views.AssessmentWorkbookView.as_view(),
        name="assessment_workbook",
    ),
    path(
        org + "assessment/import/",
        import_views.AssessmentImportView.as_view(),
        name="assessment_import",
    ),
    path(
        org + "assessment/import/<int:pk>/",
        import_views.ImportPreviewView.as_view(),
        name="assessment_import_preview",
    ),
    path(org + "my-work/", views.MyWorkView.as_view(), name="my_work"),
    path(org + "dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path(
        org + "dashboard/report.pdf",
        views.ReadinessReportView.as_view(),
        name="readiness_report",
    ),
]

api_routes = [
    ("assessments", api.ClauseAssessmentViewSet, "assessment"),
    ("readiness", api.ReadinessViewSet, "readiness"),
]
