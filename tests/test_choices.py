"""Every form and serializer of the project offers only the organisation's rows and members.

Generated over every form and serializer class the apps define: each is built for
organisation A (as its consultant), and no field pointing to a tenant model, a user or an
organisation may offer a row of organisation B or someone who is not a member of A. A class
with such a field that is not built on the choices helper (``itsms.shared.choices``), or that
this test cannot build, fails it: a new form is covered the day it is added.
"""

import inspect

import pytest
from django import forms
from django.contrib.auth import get_user_model
from rest_framework import relations, serializers

from itsms.models import Organization, Role, TenantModel
from itsms.shared.choices import TenantFormMixin, TenantSerializerMixin, is_guarded

from .factories import MembershipFactory, UserFactory
from .harness.world import plant

pytestmark = pytest.mark.django_db

APPS = ("itsms", "processes", "audits", "certification")


def _import_request_modules():
    """Forms and serializers live in the modules that answer requests: import them all."""
    from importlib import import_module

    from .test_no_unscoped_queries import view_modules

    for rel, _path in view_modules():
        import_module(rel[: -len(".py")].replace("/", "."))


def _subclasses(base):
    _import_request_modules()
    seen, stack = [], [base]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.append(sub)
                stack.append(sub)
    return [c for c in seen if c.__module__.split(".")[0] in APPS and ".tests" not in c.__module__]


def form_classes():
    # The project's bases (``itsms.shared.forms.ModelForm``: no model of its own) build no form.
    return [
        c
        for c in _subclasses(forms.BaseForm)
        if not (issubclass(c, forms.BaseModelForm) and c._meta.model is None)
    ]


def serializer_classes():
    return [c for c in _subclasses(serializers.BaseSerializer) if c is not TenantSerializerMixin]


def _guarded_form_fields(form):
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        model = getattr(queryset, "model", None)
        if isinstance(field, forms.ModelChoiceField) and is_guarded(model):
            yield name, queryset


def _guarded_serializer_fields(serializer):
    for name, field in serializer.fields.items():
        holder = field.child_relation if isinstance(field, relations.ManyRelatedField) else field
        if isinstance(holder, relations.RelatedField) and not holder.read_only:
            queryset = holder.get_queryset()
            if queryset is not None and is_guarded(queryset.model):
                yield name, queryset


@pytest.fixture
def world(org_a, org_b, members):
    a, b = plant(org_a, marker="alphaown"), plant(org_b)
    # someone who shares another organisation with A's consultant but is no member of A
    shared = Organization.objects.create(name="Shared client", slug="shared-client")
    MembershipFactory(organization=shared, user=members[Role.CONSULTANT], role=Role.CONSULTANT)
    neighbour = MembershipFactory(organization=shared, user=UserFactory()).user
    return {"a": a, "b": b, "neighbour": neighbour}


def _arguments(cls, org_a, consultant, world):
    """Keyword arguments to build ``cls`` for organisation A (by parameter name)."""
    from itsms.standards.selectors import heading_clauses
    from itsms.tenancy.selectors import members_of
    from processes.models import Kpi, ProcessInstance

    known = {
        "organization": org_a,
        "user": consultant,
        "process": world["a"][ProcessInstance],
        "kpi": world["a"][Kpi],
        "members": members_of(org_a),
        "headings": heading_clauses(),
        "max_bytes": 1000,
        "grantable_roles": Role.values,
        "email": "someone@example.com",
    }
    kwargs = {}
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass in (forms.BaseForm, forms.BaseModelForm):
            continue
        for name, parameter in inspect.signature(inspect.unwrap(init)).parameters.items():
            if parameter.kind is not parameter.KEYWORD_ONLY and name not in known:
                continue
            if name in known:
                kwargs[name] = known[name]
            elif parameter.default is inspect.Parameter.empty:
                raise AssertionError(f"tests/test_choices.py cannot build {cls.__name__}: {name}")
    return kwargs


def _build(cls, kwargs, user):
    """``cls(**kwargs)``; a form of a library that pops ``user`` from ``**kwargs`` (allauth's)
    gets the user."""
    try:
        return cls(**kwargs)
    except KeyError as exc:
        if exc.args != ("user",):
            raise
        return cls(**kwargs, user=user)


def _offending(queryset, org_a, world):
    """What ``queryset`` offers that A's consultant may not pick: B's rows, non-members."""
    model = queryset.model
    if issubclass(model, TenantModel):
        return list(queryset.exclude(organization=org_a)[:3])
    if model is Organization:
        return list(queryset.exclude(pk=org_a.pk).exclude(slug="shared-client")[:3])
    if model is get_user_model():
        return list(queryset.exclude(memberships__organization=org_a)[:3])
    return []


def test_every_form_with_rows_to_choose_is_narrowed(org_a, members, world):
    consultant = members[Role.CONSULTANT]
    checked, problems = [], []
    for cls in form_classes():
        kwargs = _arguments(cls, org_a, consultant, world)
        form = _build(cls, kwargs, consultant)
        fields = list(_guarded_form_fields(form))
        if not fields:
            continue
        if not issubclass(cls, TenantFormMixin):
            problems.append(f"{cls.__module__}.{cls.__name__} is not built on TenantFormMixin")
            continue
        for name, queryset in fields:
            bad = _offending(queryset, org_a, world)
            if bad:
                problems.append(f"{cls.__name__}.{name} offers {bad}")
            checked.append((cls.__name__, name))
    assert not problems, problems
    assert len(checked) > 15, checked


def test_every_serializer_with_rows_to_choose_is_narrowed(rf, org_a, members, world):
    consultant = members[Role.CONSULTANT]
    request = rf.get("/")
    request.user = consultant
    checked, problems = [], []
    for cls in serializer_classes():
        try:
            serializer = cls(context={"request": request, "organization": org_a})
            fields = list(_guarded_serializer_fields(serializer))
        except (AssertionError, TypeError) as exc:  # e.g. a ListSerializer without a child
            if isinstance(cls, type) and issubclass(cls, serializers.ListSerializer):
                continue
            raise AssertionError(f"cannot build {cls.__name__}: {exc}") from exc
        if not fields:
            continue
        if not issubclass(cls, TenantSerializerMixin):
            problems.append(f"{cls.__module__}.{cls.__name__} is not built on the choices helper")
            continue
        for name, queryset in fields:
            bad = _offending(queryset, org_a, world)
            if bad:
                problems.append(f"{cls.__name__}.{name} offers {bad}")
            checked.append((cls.__name__, name))
    assert not problems, problems
    assert len(checked) > 15, checked


def test_another_organisations_row_and_an_unknown_id_get_the_same_answer(
    api_client, org_a, members, world
):
    """No probing: naming B's process in A's KPI, or a process that does not exist, is the
    same 400 with the same words."""
    from django.urls import reverse

    from processes.models import ProcessInstance

    api_client.force_authenticate(members[Role.CONSULTANT])
    url = reverse("processes-api:kpi-list")
    base = {"name": "Mean time to restore", "target": "4", "unit": "h"}
    b_process = world["b"][ProcessInstance].pk
    missing = ProcessInstance.objects.order_by("-pk").first().pk + 1000
    theirs = api_client.post(url, {**base, "process": b_process}, format="json")
    nowhere = api_client.post(url, {**base, "process": missing}, format="json")
    assert theirs.status_code == nowhere.status_code == 400
    assert theirs.json()["process"][0].replace(str(b_process), "N") == nowhere.json()["process"][
        0
    ].replace(str(missing), "N")
