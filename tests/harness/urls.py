"""Enumerate every URL pattern of the project with what the sweep needs to call it."""

from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass
class Route:
    name: str  # namespaced, e.g. "itsms:member_list"
    route: str  # the pattern text, for messages
    kwargs: list[str]
    callback: object
    namespace: str = ""
    methods: list[str] = field(default_factory=list)

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    @property
    def is_drf(self):
        return hasattr(self.callback, "cls")

    @property
    def model(self):
        cls = self.view_class
        if cls is None:
            return None
        queryset = getattr(cls, "queryset", None)
        if queryset is not None:
            return queryset.model
        return getattr(cls, "model", None)

    @property
    def drf_action(self):
        actions = getattr(self.callback, "actions", None) or {}
        return actions.get("get")


def _kwarg_names(pattern):
    if hasattr(pattern.pattern, "converters") and pattern.pattern.converters:
        return list(pattern.pattern.converters)
    return list(pattern.pattern.regex.groupindex)


def _methods(callback):
    actions = getattr(callback, "actions", None)
    if actions:
        # DRF adds "head" to this dict on the first request; HEAD mirrors GET anyway.
        allowed = set(callback.cls.http_method_names)
        return sorted(m.upper() for m in actions if m not in ("head", "options") and m in allowed)
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return sorted(
            m.upper()
            for m in view_class.http_method_names
            if m not in ("options", "head") and hasattr(view_class, m)
        )
    allowed = getattr(callback, "__wrapped_allowed__", None)
    return allowed or ["GET", "POST"]


def all_routes():
    """Every named URL pattern, depth first, with its namespaced name and kwargs."""
    routes = []

    def walk(patterns, prefix="", namespace="", kwargs=()):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns, (*kwargs, *_kwarg_names(p)))
            elif isinstance(p, URLPattern):
                if not p.name:
                    continue
                name = f"{namespace}:{p.name}" if namespace else p.name
                routes.append(
                    Route(
                        name=name,
                        route=prefix + str(p.pattern),
                        kwargs=[*kwargs, *_kwarg_names(p)],
                        callback=p.callback,
                        namespace=namespace,
                        methods=_methods(p.callback),
                    )
                )

    walk(get_resolver().url_patterns)
    return routes
