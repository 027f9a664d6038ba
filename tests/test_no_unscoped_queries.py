"""Views and API views never query a tenant-owned model directly (Zulip-style lint).

Tenant rows are reached through the checkpoints: ``OrganizationMixin.scoped()`` /
``get_queryset()`` for pages, ``OrganizationScopedViewSet`` for the API (whose
class-level ``queryset`` it filters), ``permissions.organizations_for()`` for
organisations. Exceptions are listed with their reason.
"""

import ast
from pathlib import Path

from django.conf import settings

from itsms.models import Organization

from .harness.urls import all_routes
from .harness.world import tenant_models

ROOT = Path(settings.BASE_DIR)
APPS = ["itsms", "processes", "audits", "sms", "certification"]
SCOPED_BASES = {"OrganizationScopedViewSet"}
#: (file, model) pairs allowed to use ``Model.objects``, with the reason.
ALLOWED = {
    (
        "itsms/tenancy/views/invitations.py",
        "Invitation",
    ): "looked up by its secret token, not by membership",
}


#: Modules that answer requests, wherever they live: a ``views``/``api`` package, or a
#: ``views.py``/``api.py``/``serializers.py`` module of a domain package
#: (``itsms/evidence/api.py``).
VIEW_MODULE_NAMES = {"views.py", "api.py", "serializers.py"}
VIEW_PACKAGES = {"views", "api"}


def view_modules():
    for app in APPS:
        base = ROOT / app
        for path in sorted(base.rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            parts = rel.split("/")
            if "tests" in parts or "migrations" in parts:
                continue
            if parts[-1] in VIEW_MODULE_NAMES or VIEW_PACKAGES & set(parts[:-1]):
                yield rel, path


def _module_path(module_name):
    package = module_name.replace(".", "/") + "/__init__.py"
    if (ROOT / package).exists():
        return package
    return module_name.replace(".", "/") + ".py"


def test_the_lint_scans_every_module_that_serves_a_route():
    """Every page and API view of every app is defined in a module the lint reads (a module
    that moves, or a new domain package, cannot silently drop out of the scan)."""
    scanned = {rel for rel, _ in view_modules()}
    serving = set()
    for route in all_routes():
        view = route.view_class or route.callback
        module = getattr(view, "__module__", "")
        if module.split(".")[0] in APPS:
            serving.add(_module_path(module))
    assert serving, "no routes found"
    assert not serving - scanned, f"view modules the lint does not scan: {serving - scanned}"
    # and the core's domain packages are all in it
    for package in ("tenancy", "accounts", "standards", "assessment", "evidence", "notifications"):
        assert any(rel.startswith(f"itsms/{package}/") for rel in scanned), package
    assert {"itsms/shared/views.py", "itsms/shared/api.py"} <= scanned


def _violations(rel, tree, guarded):
    found = []

    class Visitor(ast.NodeVisitor):
        def __init__(self):
            self.allowed_depth = 0

        def visit_ClassDef(self, node):
            bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
            scoped = bool(bases & SCOPED_BASES)
            for stmt in node.body:
                is_qs = isinstance(stmt, ast.Assign) and any(
                    getattr(t, "id", "") == "queryset" for t in stmt.targets
                )
                if scoped and is_qs:
                    continue  # filtered by OrganizationScopedViewSet.get_queryset
                self.visit(stmt)

        def visit_Call(self, node):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "none":
                return  # ``Model.objects.none()`` reads nothing
            self.generic_visit(node)

        def visit_Attribute(self, node):
            if (
                node.attr in ("objects", "_default_manager")
                and isinstance(node.value, ast.Name)
                and node.value.id in guarded
                and (rel, node.value.id) not in ALLOWED
            ):
                found.append(f"{rel}:{node.lineno} {node.value.id}.{node.attr}")
            self.generic_visit(node)

    Visitor().visit(tree)
    return found


def test_views_do_not_query_tenant_models_directly():
    guarded = {m.__name__ for m in tenant_models()} | {Organization.__name__}
    violations = []
    for rel, path in view_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        violations += _violations(rel, tree, guarded)
    assert not violations, "Unscoped queries in views: " + "; ".join(violations)


def test_the_lint_catches_an_unscoped_query():
    tree = ast.parse("def view(request):\n    return Membership.objects.all()\n")
    assert _violations("x/views.py", tree, {"Membership"}) == ["x/views.py:2 Membership.objects"]
    tree = ast.parse("class V:\n    queryset = Membership.objects.none()\n")
    assert _violations("x/views.py", tree, {"Membership"}) == []
