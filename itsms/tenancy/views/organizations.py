from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from itsms.models import Role
from itsms.shared import permissions, timezones
from itsms.shared.permissions import Capability
from itsms.shared.views import OrganizationMixin, remember_organization
from itsms.tenancy import services
from itsms.tenancy.context_processors import NavEntry
from itsms.tenancy.forms import OrganizationForm
from itsms.tenancy.slugs import propose_slug


class OrganizationCreateView(LoginRequiredMixin, FormView):
    """A new client organisation: in the creator's time zone (their preference, else their
    browser's) and interface language, its slug proposed from its name."""

    template_name = "itsms/organization_form.html"
    form_class = OrganizationForm

    def get_initial(self):
        return {
            **super().get_initial(),
            "time_zone": timezones.reader_zone(self.request) or settings.TIME_ZONE,
            "language": translation.get_language() or settings.LANGUAGE_CODE,
        }

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
def organization_slug(request):
    """The slug proposed for a name (the new-organisation form asks as the name is typed)."""
    name = request.GET.get("name", "").strip()[:200]
    return JsonResponse({"slug": propose_slug(name) if name else ""})


#: Organisations the switcher lists at once; it searches the rest.
SEARCH_LIMIT = 15


@login_required
def organization_search(request):
    """The switcher's list (a fragment): the organisations opened recently first, then by
    name; with ``q``, those whose name or slug contains it. Never more than a screenful."""
    query = request.GET.get("q", "").strip()[:100]
    mine = permissions.organizations_for(request.user).with_role_of(request.user)
    if query:
        matches = mine.filter(Q(name__icontains=query) | Q(slug__icontains=query))
        rows = list(matches[: SEARCH_LIMIT + 1])
        more = len(rows) > SEARCH_LIMIT and matches.count() - SEARCH_LIMIT
    else:
        recent = [s for s in request.session.get("recent_orgs") or [] if isinstance(s, str)]
        first = sorted(mine.filter(slug__in=recent), key=lambda o: recent.index(o.slug))
        rest = list(mine.exclude(slug__in=recent)[: max(0, SEARCH_LIMIT - len(first)) + 1])
        rows = first + rest
        more = len(rows) > SEARCH_LIMIT and mine.count() - SEARCH_LIMIT
    results = [NavEntry(o, o.my_role or Role.AUDITOR) for o in rows[:SEARCH_LIMIT]]
    return render(
        request,
        "itsms/_switcher_results.html",
        {"results": results, "more": more or 0, "query": query},
    )


@login_required
@require_POST
def organization_switch(request):
    """The switcher in the navigation: go to another of the user's organisations."""
    slug = request.POST.get("org", "")
    organization = permissions.organizations_for(request.user).filter(slug=slug).first()
    if organization is None:
        messages.error(request, _("You are not a member of that organisation."))
        return redirect("itsms:portfolio")
    remember_organization(request, organization)
    return redirect("itsms:organization_detail", org_slug=organization.slug)
