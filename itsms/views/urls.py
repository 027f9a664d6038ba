"""Pages of the core (namespace ``itsms``)."""

from django.urls import path

from . import account, assessment, clauses, invitations, members, organizations

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
]
