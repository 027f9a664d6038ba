from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from itsms.shared import permissions
from itsms.shared.permissions import Capability
from itsms.shared.views import OrganizationMixin
from itsms.tenancy import services
from itsms.tenancy.forms import OrganizationForm


class OrganizationCreateView(LoginRequiredMixin, FormView):
    template_name = "itsms/organization_form.html"
    form_class = OrganizationForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            organization = services.organization_create(
                actor=self.request.user,
                name=data["name"],
                slug=data["slug"],
                time_zone=data["time_zone"],
                language=data["language"],
                scope=data["scope"],
                creator_role=data["creator_role"],
                require_mfa=data["require_mfa"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Organisation “%(name)s” created.") % {"name": data["name"]}
        )
        return redirect("itsms:organization_detail", org_slug=organization.slug)


class OrganizationDetailView(OrganizationMixin, TemplateView):
    """The organisation's home: details, scope, the team, what to do next."""

    template_name = "itsms/organization_detail.html"

    def get_context_data(self, **kwargs):
        from itsms.models import Invitation, Membership

        context = super().get_context_data(**kwargs)
        context["member_count"] = self.scoped(Membership).count()
        context["pending_invitations"] = self.scoped(Invitation).pending().count()
        return context


class OrganizationEditView(OrganizationMixin, FormView):
    capability = Capability.CHANGE_ORGANIZATION
    template_name = "itsms/organization_form.html"
    form_class = OrganizationForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.organization
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.organization_update(
                organization=self.organization,
                actor=self.request.user,
                name=data["name"],
                time_zone=data["time_zone"],
                language=data["language"],
                scope=data["scope"],
                require_mfa=data["require_mfa"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("itsms:organization_detail", org_slug=self.organization.slug)


@login_required
@require_POST
def organization_switch(request):
    """The switcher in the navigation: go to another of the user's organisations."""
    slug = request.POST.get("org", "")
    organization = permissions.organizations_for(request.user).filter(slug=slug).first()
    if organization is None:
        messages.error(request, _("You are not a member of that organisation."))
        return redirect("itsms:portfolio")
    request.session["current_org"] = organization.slug
    return redirect("itsms:organization_detail", org_slug=organization.slug)
