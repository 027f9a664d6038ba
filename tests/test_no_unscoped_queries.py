"""No module reaches tenant rows around the checkpoint (Zulip-style lint, over every module).

Tenant rows are reached through ``Model.objects.restrict(user, action)``: the page mixin
(``scoped()``, ``get_queryset()``, ``get_object()``) and the base viewset do it for views; the
choices helper narrows forms and serializers. The lint reads every module of every app:

- **everywhere**: no ``get_object_or_404(TenantModel, …)`` and no ``TenantModel._default_manager``
  (the manager's ``restrict`` is the scoping method; ``_default_manager`` would skip it);
- **in modules that answer requests** (views, API, serializers, forms): no ``TenantModel.objects``
  except ``TenantModel.objects.restrict(…)``, ``….none()``, a viewset's class-level
  ``queryset`` (``OrganizationScopedViewSet`` restricts it) and the choice querysets of a form or
  serializer built on the choices helper (``TenantFormMixin`` / ``TenantSerializerMixin``
  narrow them). Services, selectors, tasks and emails are given scoped objects or are the
  system's own jobs; they may use ``objects``.

Exceptions are listed with their reason.
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
#: Classes whose choice querysets (``….queryset = Model.objects…``) the choices helper narrows.
NARROWED_BASES = {"TenantFormMixin", "TenantSerializerMixin"}
#: (file, model) pairs allowed to use ``Model.objects`` in a request module, with the reason.
ALLOWED = {
    (
        "itsms/tenancy/views/invitations.py",
        "Invitation",
    ): "looked up by its secret token, not by membership",
    (
        "itsms/tenancy/forms.py",
        "Organization",
    ): "a new slug must be unique among all organisations (reads only whether it is taken)",
}

#: Modules that answer requests, wherever they live: a ``views``/``api`` package, or a
#: ``views.py``/``api.py``/``serializers.py``/``forms.py`` module of a domain package.
REQUEST_MODULE_NAMES = {"views.py", "api.py", "serializers.py", "forms.py"}
REQUEST_PACKAGES = {"views", "api"}


def all_modules():
    """Every module of every app (tests and migrations aside)."""
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            parts = rel.split("/")
            if "tests" in parts or "migrations" in parts:
                continue
            yield rel, path


def is_request_module(rel: str) -> bool:
    parts = rel.split("/")
    return parts[-1] in REQUEST_MODULE_NAMES or bool(REQUEST_PACKAGES & set(parts[:-1]))


def view_modules():
    for rel, path in all_modules():
        if is_request_module(rel):
            yield rel, path


def _module_path(module_name):
    package = module_name.replace(".", "/") + "/__init__.py"
    if (ROOT / package).exists():
        return package
    return module_name.replace(".", "/") + ".py"


def test_the_lint_scans_every_module_that_serves_a_route():
    """Every page and API view of every app is defined in a module the lint reads as a request
    module (a module that moves, or a new domain package, cannot silently drop out)."""
    scanned = {rel for rel, _ in view_modules()}
    serving = set()
    for route in all_routes():
        view = route.view_class or route.callback
        module = getattr(view, "__module__", "")
        if module.split(".")[0] in APPS:
            serving.add(_module_path(module))
    assert serving, "no routes found"
    assert not serving - scanned, f"view modules the lint does not scan: {serving - scanned}"
    for package in ("tenancy", "accounts", "standards", "assessment", "evidence", "notifications"):
        assert any(rel.startswith(f"itsms/{package}/") for rel in scanned), package
    assert {"itsms/shared/views.py", "itsms/shared/api.py"} <= scanned
    everything = {rel for rel, _ in all_modules()}
    assert {"itsms/evidence/services.py", "certification/reminders.py"} <= everything


def _names(bases) -> set[str]:
    return {getattr(b, "id", getattr(b, "attr", "")) for b in bases}


def _violations(rel, tree, guarded, *, request_module=None):
    request_module = is_request_module(rel) if request_module is None else request_module
    found = []

    class Visitor(ast.NodeVisitor):
        def __init__(self):
            self.narrowed = 0  # inside a form / serializer built on the choices helper

        def visit_ClassDef(self, node):
            bases = _names(node.bases)
            scoped = bool(bases & SCOPED_BASES)
            narrowed = bool(bases & NARROWED_BASES)
            self.narrowed += narrowed
            for stmt in node.body:
                is_qs = isinstance(stmt, ast.Assign) and any(
                    getattr(t, "id", "") == "queryset" for t in stmt.targets
                )
                if scoped and is_qs:
                    continue  # restricted by OrganizationScopedViewSet.get_queryset
                self.visit(stmt)
            self.narrowed -= narrowed

        def visit_Assign(self, node):
            chooses = any(
                isinstance(t, ast.Attribute) and t.attr == "queryset" for t in node.targets
            )
            if chooses and self.narrowed:
                return  # a choice queryset, narrowed by the choices helper after __init__
            self.generic_visit(node)

        def visit_Call(self, node):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "get_object_or_404" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Name) and first.id in guarded:
                    found.append(f"{rel}:{node.lineno} get_object_or_404({first.id}, …)")
            if (
                isinstance(func, ast.Attribute)
                and func.attr in ("none", "restrict")
                and isinstance(func.value, ast.Attribute)
                and func.value.attr == "objects"
            ):
                return  # ``Model.objects.none()`` reads nothing; ``restrict`` is the checkpoint
            self.generic_visit(node)

        def visit_Attribute(self, node):
            if isinstance(node.value, ast.Name) and node.value.id in guarded:
                if node.attr == "_default_manager":
                    found.append(f"{rel}:{node.lineno} {node.value.id}._default_manager")
                elif (
                    node.attr == "objects"
                    and request_module
                    and (rel, node.value.id) not in ALLOWED
                ):
                    found.append(f"{rel}:{node.lineno} {node.value.id}.objects")
            self.generic_visit(node)

    Visitor().visit(tree)
    return found


def test_no_module_queries_tenant_models_around_the_checkpoint():
    guarded = {m.__name__ for m in tenant_models()} | {Organization.__name__}
    violations = []
    for rel, path in all_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        violations += _violations(rel, tree, guarded)
    assert not violations, "Unscoped queries: " + "; ".join(violations)


def test_the_lint_catches_an_unscoped_query():
    def lint(code, rel="x/views.py"):
        return _violations(rel, ast.parse(code), {"Membership", "Evidence"})

    assert lint("def view(request):\n    return Membership.objects.all()\n") == [
        "x/views.py:2 Membership.objects"
    ]
    assert lint("class V:\n    queryset = Membership.objects.none()\n") == []
    assert lint("def v(user):\n    return Evidence.objects.restrict(user, 'view')\n") == []
    # everywhere, even in a service: no _default_manager, no get_object_or_404 on a tenant model
    assert lint("def s():\n    return Evidence._default_manager.all()\n", "x/services.py") == [
        "x/services.py:2 Evidence._default_manager"
    ]
    assert lint("def v(r, pk):\n    return get_object_or_404(Evidence, pk=pk)\n") == [
        "x/views.py:2 get_object_or_404(Evidence, …)"
    ]
    assert lint("def s():\n    return Evidence.objects.all()\n", "x/services.py") == []
    # a form on the choices helper sets its choices from the model; any other read is flagged
    form = (
        "class F(TenantFormMixin, forms.Form):\n"
        "    def __init__(self):\n"
        "        self.fields['e'].queryset = Evidence.objects.all()\n"
        "        self.other = Evidence.objects.count()\n"
    )
    assert lint(form, "x/forms.py") == ["x/forms.py:4 Evidence.objects"]
    plain = (
        "class F(forms.Form):\n    def __init__(self):\n        self.q = Evidence.objects.get()\n"
    )
    assert lint(plain, "x/forms.py") == ["x/forms.py:3 Evidence.objects"]
