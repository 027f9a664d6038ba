"""Every form class of the project, found by importing its modules (tests and migrations aside)."""

from __future__ import annotations

import importlib
import pkgutil

from django import forms

#: The project's packages: every form defined under them is the project's.
PACKAGES = ("itsms", "processes", "audits", "certification")


def _import_all():
    for name in PACKAGES:
        package = importlib.import_module(name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            parts = info.name.split(".")
            if "tests" in parts or "migrations" in parts or parts[-1] in ("wsgi", "asgi"):
                continue
            if parts[:2] == ["itsms", "settings"]:
                continue
            importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_forms() -> list[type[forms.BaseForm]]:
    """Concrete form classes defined in the project's modules (not its shared bases)."""
    _import_all()
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in PACKAGES and cls.__module__ != "itsms.shared.forms"
    }
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def project_filtersets():
    import django_filters

    _import_all()
    found = {
        cls
        for cls in _subclasses(django_filters.FilterSet)
        if cls.__module__.split(".")[0] in PACKAGES and getattr(cls._meta, "model", None)
    }
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def label(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"
