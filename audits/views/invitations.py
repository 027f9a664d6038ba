"""Accepting an invitation to one audit (reached by its token, not by a membership)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views import View

from itsms.accounts.services import sign_in
from itsms.models import User
from itsms.tenancy.forms import InvitationSignupForm

from .. import invitations


class AuditInvitationAcceptView(View):
    template_name = "audits/invitation_accept.html"

    def _refuse(self, request, message, status):
        return render(request, "itsms/invitation_invalid.html", {"message": message}, status=status)

    def get(self, request, token):
        try:
            invitation = invitations.invitation_for(token)
        except invitations.AuditInvitationError as exc:
            return self._refuse(request, str(exc), 404 if exc.code == "invalid" else 410)
        has_account = User.objects.filter(email__iexact=invitation.email).exists()
        form = None if has_account or request.user.is_authenticated else InvitationSignupForm()
        return render(
            request,
            self.template_name,
            {"invitation": invitation, "form": form, "has_account": has_account},
        )

    def post(self, request, token):
        try:
            invitation = invitations.invitation_for(token)
        except invitations.AuditInvitationError as exc:
            return self._refuse(request, str(exc), 404 if exc.code == "invalid" else 410)
        try:
            if request.user.is_authenticated:
                user = invitations.audit_invitation_accept(token=token, user=request.user)
            else:
                form = InvitationSignupForm(request.POST, email=invitation.email)
                if not form.is_valid():
                    return render(
                        request,
                        self.template_name,
                        {"invitation": invitation, "form": form, "has_account": False},
                        status=400,
                    )
                user = invitations.audit_invitation_accept(
                    token=token,
                    user=None,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
                sign_in(request=request, user=user)
        except invitations.AuditInvitationError as exc:
            return self._refuse(request, str(exc), 400)
        messages.success(request, invitation.audit.title)
        return redirect(
            "audits:audit_detail",
            org_slug=invitation.audit.organization.slug,
            pk=invitation.audit_id,
        )
