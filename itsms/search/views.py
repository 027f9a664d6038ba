"""Search pages: one organisation's SMS (``/o/<org>/search/``), and every organisation of the
user at once (``/search/``: a consultant's clients, grouped by organisation)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from itsms.models import SearchDocument
from itsms.shared import permissions
from itsms.shared.views import OrganizationMixin

from . import selectors
from .forms import SearchForm


class SearchPageMixin:
    template_name = "itsms/search/results.html"
    #: organisations searched: None for all of the user's
    per_kind_across = 3

    def organizations(self):
        return None

    def search_context(self, across: bool):
        form = SearchForm(self.request.GET or None)
        context = {"form": form, "across": across, "results": None, "search_query": ""}
        if not form.is_valid() or not form.cleaned_data.get("q"):
            return context
        data = form.cleaned_data
        kind, page = data.get("kind") or None, data.get("page") or 1
        limit = selectors.PER_PAGE if kind else (self.per_kind_across if across else None)
        offset = (page - 1) * selectors.PER_PAGE if kind else 0
        results = selectors.search(
            self.request.user,
            data["q"],
            organizations=self.organizations(),
            kind=kind,
            offset=offset,
            limit=limit,
        )
        for organization in results.organizations:
            for group in organization.groups:
                group.next_page = (
                    page + 1 if kind and group.total > offset + len(group.results) else None
                )
        context.update(
            search_query=data["q"],
            results=results,
            kind=kind,
            page=page,
            previous_page=page - 1 if kind and page > 1 else None,
            several=permissions.organizations_for(self.request.user)[:2].count() > 1,
        )
        return context


class OrganizationSearchView(SearchPageMixin, OrganizationMixin, TemplateView):
    """Search one organisation's SMS (the top bar's box on an organisation's pages)."""

    model = SearchDocument

    def organizations(self):
        return [self.organization.pk]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.search_context(across=False))
        return context


class SearchView(SearchPageMixin, LoginRequiredMixin, TemplateView):
    """Search every organisation the user may read, grouped by organisation."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.search_context(across=True))
        return context
