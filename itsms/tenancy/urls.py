"""Pages and API routes of tenancy (namespaces ``itsms`` and ``itsms-api``, composed by the root
urls)."""

from django.urls import path

from . import api
from .views import invitations, members, organizations

org = "o/<slug:org_slug>/"

urlpatterns = [
    path(
        "organizations/new/",
        organizations.OrganizationCreateView.as_view(),
        name="organization_create",
    ),
    path("organizations/new/slug/", organizations.organization_slug, name="organization_slug"),
    path("switch/", organizations.organization_switch, name="organization_switch"),
    path("organizations/search/", organizations.organization_search, name="organization_search"),
    path(
        "invitations/<str:token>/",
        invitations.InvitationAcceptView.as_view(),
        name="invitation_accept",
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
]

api_routes = [
    ("organizations", api.OrganizationViewSet, "organization"),
    ("memberships", api.MembershipViewSet, "membership"),
    ("invitations", api.InvitationViewSet, "invitation"),
]
