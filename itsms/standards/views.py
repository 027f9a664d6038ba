"""The clause tree of the standards (reference data, the same for every organisation)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views.generic import TemplateView

from . import selectors
from .reference import EDITION_2011, PRIMARY


class StandardListView(LoginRequiredMixin, TemplateView):
    template_name = "itsms/standard_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["standards"] = selectors.standards_list()
        return context


def primary_tree(request):
    return redirect("itsms:clause_tree", code=PRIMARY)


class ClauseTreeView(LoginRequiredMixin, TemplateView):
    """A collapsible tree of one standard's clauses with their correlations."""

    template_name = "itsms/clause_tree.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        standard = selectors.standard_by_code(kwargs["code"])
        context["standard"] = standard
        context["roots"] = selectors.clause_tree(standard)
        context["is_primary"] = standard.code == PRIMARY
        context["is_2011"] = standard.code == EDITION_2011
        context["clause_count"] = sum(1 for _ in _walk(context["roots"]))
        return context


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


class ClauseDetailView(LoginRequiredMixin, TemplateView):
    template_name = "itsms/clause_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        standard = selectors.standard_by_code(kwargs["code"])
        context.update(selectors.clause_detail(standard, kwargs["number"]))
        context["guidance"] = context["clause"].guidance  # in the active language
        return context


class EditionChangesView(LoginRequiredMixin, TemplateView):
    """What changed from ISO/IEC 20000-1:2011 to 2018 (URL name ``itsms:changes_2018``).

    Linked from the clause tree and the clauses concerned; transition audits link here.
    """

    template_name = "itsms/changes_2018.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["topics"] = selectors.edition_changes()
        context["primary"] = PRIMARY
        return context
