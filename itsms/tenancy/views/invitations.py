"""Accepting an invitation: the only page reached by a token instead of a membership."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from itsms.accounts.services import sign_in
from itsms.models import Invitation, User
from itsms.tenancy import services
from itsms.tenancy.forms import InvitationSignupForm


class InvitationAcceptView(View):
    template_name = "itsms/invitation_accept.html"

    def _context(self, invitation, **extra):
        return {"invitation": invitation, "organization": invitation.organization, **extra}

    def _invitation(self, token):
        invitation = Invitation.objects.by_token(token).select_related("organization").first()
        if invitation is None:
            raise services.InvitationError(_("This invitation link is not valid."))
        services.invitation_check(invitation)
        return invitation

    def _refused(self, request, message):
        status = 404 if message == _("This invitation link is not valid.") else 410
        return render(request, "itsms/invitation_invalid.html", {"message": message}, status=status)

    def get(self, request, token):
        try:
            invitation = self._invitation(token)
        except services.InvitationError as exc:
            return self._refused(request, str(exc))
        has_account = User.objects.filter(email__iexact=invitation.email).exists()
        form = None if has_account or request.user.is_authenticated else InvitationSignupForm()
        return render(
            request,
            self.template_name,
            self._context(invitation, has_account=has_account, form=form, token=token),
        )

    def post(self, request, token):
        try:
            invitation = self._invitation(token)
        except services.InvitationError as exc:
            return self._refused(request, str(exc))
        if request.user.is_authenticated:
            try:
                membership = services.invitation_accept(token=token, user=request.user)
            except services.InvitationError as exc:
                return render(
                    request,
                    self.template_name,
                    self._context(invitation, error=str(exc), token=token),
                    status=400,
                )
        else:
            form = InvitationSignupForm(request.POST, email=invitation.email)
            if not form.is_valid():
                return render(
                    request,
                    self.template_name,
                    self._context(invitation, form=form, token=token),
                    status=400,
                )
            try:
                user = services.user_register_from_invitation(
                    token=token,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
            except services.InvitationError as exc:
                return self._refused(request, str(exc))
            sign_in(request=request, user=user)
            membership = user.memberships.get(organization=invitation.organization)
        messages.success(
            request,
            _("Welcome to %(org)s. Your role: %(role)s.")
            % {"org": membership.organization.name, "role": membership.get_role_display()},
        )
        return redirect("itsms:organization_detail", org_slug=membership.organization.slug)
