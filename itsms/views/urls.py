"""Pages of the core (namespace ``itsms``)."""

from django.urls import path

from . import (
    account,
    assessment,
    clauses,
    evidence,
    invitations,
    members,
    notifications,
    organizations,
)

app_name = "itsms"

org = "o/<slug:org_slug>/"

urlpatterns = [
    path("", organizations.PortfolioView.as_view(), name="portfolio"),
    path(
        "organizations/new/",
        organizations.OrganizationCreateView.as_view(),
        name="organization_create",
    ),
    path("switch/", organizations.organization_switch, name="organization_switch"),
    path(
        "invitations/<str:token>/",
        invitations.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path("account/", account.account, name="account"),
    path("account/token/", account.api_token_create, name="api_token_create"),
    path("account/token/revoke/", account.api_token_revoke, name="api_token_revoke"),
    path("standards/", clauses.StandardListView.as_view(), name="standard_list"),
    path("clauses/", clauses.primary_tree, name="clauses"),
    # What changed in 2018: linked from transition audits (keep the name ``changes_2018``).
    path(
        "clauses/what-changed-in-2018/",
        clauses.EditionChangesView.as_view(),
        name="changes_2018",
    ),
    path("standards/<slug:code>/", clauses.ClauseTreeView.as_view(), name="clause_tree"),
    path(
        "standards/<slug:code>/<str:number>/",
        clauses.ClauseDetailView.as_view(),
        name="clause_detail",
    ),
    path(org, organizations.OrganizationDetailView.as_view(), name="organization_detail"),
    path(org + "settings/", organizations.OrganizationEditView.as_view(), name="organization_edit"),
    path(org + "members/", members.MemberListView.as_view(), name="member_list"),
    path(
        org + "members/<int:pk>/role/", members.MembershipRoleView.as_view(), name="membership_role"
    ),
    path(
        org + "members/<int:pk>/remove/",
        members.MembershipRemoveView.as_view(),
        name="membership_remove",
    ),
    path(
        org + "invitations/<int:pk>/revoke/",
        members.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    path(org + "assessment/", assessment.AssessmentView.as_view(), name="assessment"),
    path(
        org + "assessment/start/", assessment.AssessmentStartView.as_view(), name="assessment_start"
    ),
    path(
        org + "assessment/bulk-assign/",
        assessment.AssessmentBulkAssignView.as_view(),
        name="assessment_bulk_assign",
    ),
    path(
        org + "assessment/<int:pk>/", assessment.AssessmentRowView.as_view(), name="assessment_row"
    ),
    path(org + "my-work/", assessment.MyWorkView.as_view(), name="my_work"),
    path(org + "dashboard/", assessment.DashboardView.as_view(), name="dashboard"),
    path(
        org + "dashboard/report.pdf",
        assessment.ReadinessReportView.as_view(),
        name="readiness_report",
    ),
    path(org + "evidence/", evidence.EvidenceListView.as_view(), name="evidence_list"),
    path(
        org + "evidence/export.csv", evidence.EvidenceExportView.as_view(), name="evidence_export"
    ),
    path(org + "evidence/upload/", evidence.EvidenceUploadView.as_view(), name="evidence_upload"),
    path(org + "evidence/<int:pk>/", evidence.EvidenceDetailView.as_view(), name="evidence_detail"),
    path(
        org + "evidence/<int:pk>/edit/", evidence.EvidenceEditView.as_view(), name="evidence_edit"
    ),
    path(
        org + "evidence/<int:pk>/versions/new/",
        evidence.EvidenceVersionUploadView.as_view(),
        name="evidence_version_upload",
    ),
    path(
        org + "evidence/<int:pk>/status/",
        evidence.EvidenceTransitionView.as_view(),
        name="evidence_transition",
    ),
    path(
        org + "evidence/<int:pk>/delete/",
        evidence.EvidenceDeleteView.as_view(),
        name="evidence_delete",
    ),
    path(
        org + "evidence/<int:pk>/restore/",
        evidence.EvidenceRestoreView.as_view(),
        name="evidence_restore",
    ),
    path(
        org + "evidence/<int:pk>/download/",
        evidence.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    path(
        org + "evidence/versions/<int:pk>/download/",
        evidence.EvidenceVersionDownloadView.as_view(),
        name="evidence_version_download",
    ),
    path(
        org + "notifications/",
        notifications.NotificationListView.as_view(),
        name="notification_list",
    ),
    path(
        org + "notifications/unread/",
        notifications.NotificationUnreadView.as_view(),
        name="notification_unread",
    ),
    path(
        org + "notifications/read-all/",
        notifications.NotificationReadAllView.as_view(),
        name="notification_read_all",
    ),
    path(
        org + "notifications/<int:pk>/read/",
        notifications.NotificationReadView.as_view(),
        name="notification_read",
    ),
]
