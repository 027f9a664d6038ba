"""The organisation's single sign-on page: its admin connects the identity provider."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from itsms.models import IdentityProvider
from itsms.shared.forms import add_errors
from itsms.shared.permissions import Capability
from itsms.shared.views import OrganizationMixin

from . import selectors, services
from .forms import GroupRoleFormSet, IdentityProviderForm, group_role_pairs


class IdentityProviderView(OrganizationMixin, TemplateView):
    """Connect (or change) the organisation's identity provider: OpenID Connect or SAML."""

    capability = Capability.CHANGE_ORGANIZATION
    template_name = "itsms/sso/settings.html"

    def provider(self):
        return self.scoped(IdentityProvider).prefetch_related("domains").first()

    def get_context_data(self, form=None, roles=None, **kwargs):
        context = super().get_context_data(**kwargs)
        provider = self.provider()
        instance = provider or IdentityProvider(organization=self.organization)
        context["provider"] = provider
        context["form"] = form or IdentityProviderForm(instance=instance)
        context["roles"] = roles or GroupRoleFormSet(
            prefix="roles",
            initial=[{"group": g, "role": r} for g, r in (instance.group_roles or [])],
        )
        if provider is not None:
            context["domains"] = list(provider.domains.all())
        context["urls"] = selectors.sign_in_urls(self.request, self.organization, provider)
        return context

    def post(self, request, *args, **kwargs):
        provider = self.provider()
        instance = provider or IdentityProvider(organization=self.organization)
        form = IdentityProviderForm(request.POST, instance=instance)
        roles = GroupRoleFormSet(request.POST, prefix="roles")
        if provider is not None:
            self.require_allowed(provider, "change")
        if form.is_valid() and roles.is_valid():
            data = dict(form.cleaned_data)
            domains = data.pop("domains")
            secret = data.pop("client_secret", "")
            try:
                saved = services.identity_provider_save(
                    organization=self.organization,
                    actor=request.user,
                    domains=domains,
                    client_secret=secret,
                    group_roles=group_role_pairs(roles),
                    **data,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                if provider is None:
                    self.created(saved)
                messages.success(request, _("Single sign-on saved."))
                return redirect("itsms:sso_settings", org_slug=self.organization.slug)
        context = self.get_context_data(form=form, roles=roles)
        return self.render_to_response(context, status=400)


class IdentityProviderDeleteView(OrganizationMixin, View):
    capability = Capability.CHANGE_ORGANIZATION

    def post(self, request, *args, **kwargs):
        provider = self.scoped(IdentityProvider).first()
        if provider is not None:
            self.require_allowed(provider, "delete")
            services.identity_provider_delete(provider=provider, actor=request.user)
            messages.success(
                request,
                _("Single sign-on removed. Its users sign in with a password again."),
            )
        return redirect("itsms:sso_settings", org_slug=self.organization.slug)
