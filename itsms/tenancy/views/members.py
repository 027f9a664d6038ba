from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from itsms.models import Invitation, Membership
from itsms.shared import permissions
from itsms.shared.exports import ExportMixin
from itsms.shared.forms import error_text
from itsms.shared.permissions import Capability
from itsms.shared.views import OrganizationMixin
from itsms.tenancy import selectors, services
from itsms.tenancy.forms import InvitationForm, MembershipRoleForm

_error_text = error_text  # the one error-to-text helper


class MemberListView(ExportMixin, OrganizationMixin, TemplateView):
    """Members with their roles; managers also see pending invitations and invite more."""

    capability = Capability.VIEW_MEMBERS
    write_capability = Capability.MANAGE_MEMBERS
    template_name = "itsms/member_list.html"
    export_name = "members"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = selectors.memberships_with_second_factor(self.scoped(Membership))
        if self.can(Capability.MANAGE_MEMBERS):
            grantable = permissions.roles_grantable_by(self.request.user, self.organization)
            context["form"] = form or InvitationForm(grantable_roles=grantable)
            context["invitations"] = (
                self.scoped(Invitation).select_related("invited_by").order_by("-created_at")[:50]
            )
            context["settings_ttl"] = settings.INVITATION_TTL_DAYS
            context["role_choices"] = [c for c in permissions.Role.choices if c[0] in grantable]
        return context

    def export_table(self, context, table):
        header = [_("Name"), _("Email"), _("Role")]
        rows = (
            [m.user.get_full_name(), m.user.email, m.get_role_display()]
            for m in context["memberships"]
        )
        return header, rows

    def post(self, request, *args, **kwargs):
        """Send an invitation."""
        grantable = permissions.roles_grantable_by(request.user, self.organization)
        form = InvitationForm(request.POST, grantable_roles=grantable)
        if form.is_valid():
            try:
                services.invitation_create(
                    organization=self.organization,
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                )
            except ValidationError as exc:
                form.add_error("email", _error_text(exc))
            except PermissionDenied:
                form.add_error("role", _("You may not grant this role."))
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("itsms:member_list", org_slug=self.organization.slug)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class MembershipRoleView(OrganizationMixin, View):
    capability = Capability.MANAGE_MEMBERS
    model = Membership

    def post(self, request, *args, **kwargs):
        membership = self.get_object()
        form = MembershipRoleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a valid role."))
        else:
            try:
                services.membership_change_role(
                    membership=membership, actor=request.user, role=form.cleaned_data["role"]
                )
                messages.success(request, _("Role changed."))
            except (ValidationError, PermissionDenied) as exc:
                text = _error_text(exc) if isinstance(exc, ValidationError) else str(exc)
                messages.error(request, text)
        return redirect("itsms:member_list", org_slug=self.organization.slug)


class MembershipRemoveView(OrganizationMixin, View):
    capability = Capability.MANAGE_MEMBERS
    model = Membership
    write_action = "delete"

    def post(self, request, *args, **kwargs):
        membership = self.get_object()
        try:
            services.membership_remove(membership=membership, actor=request.user)
            messages.success(request, _("%(user)s removed.") % {"user": membership.user})
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        return redirect("itsms:member_list", org_slug=self.organization.slug)


class InvitationRevokeView(OrganizationMixin, View):
    capability = Capability.MANAGE_MEMBERS
    model = Invitation

    def post(self, request, *args, **kwargs):
        invitation = self.get_object()
        try:
            services.invitation_revoke(invitation=invitation, actor=request.user)
            messages.success(request, _("Invitation withdrawn."))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        return redirect("itsms:member_list", org_slug=self.organization.slug)
