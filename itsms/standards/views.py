"""The clause tree of the standards (reference data, the same for every organisation)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.views.generic import TemplateView

from . import selectors
from .reference import PRIMARY


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
        context["guidance"] = context["clause"].localized_guidance(get_language())
        return context
