"""One helper narrows every choice of a form or serializer (NetBox's ``restrict_form_fields``).

A field that points to a tenant model offers only the organisation's rows the user may see, a
field that points to a user only the organisation's members, a field that points to an
organisation only the user's own. Nobody can pick another organisation's object or a
non-member, and "does not exist" and "not yours" are the same error (no account probing):
the row is simply not among the choices.

Forms subclass ``TenantFormMixin`` (constructed with ``organization=`` and optionally
``user=``); serializers subclass ``TenantSerializerMixin`` (the organisation and the user come
from the context ``OrganizationScopedViewSet`` gives). ``tests/test_choices.py`` fails for a
form or serializer with such a field that is built on neither.
"""

from __future__ import annotations

import functools
import inspect

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from rest_framework import relations

from itsms.models import Organization, TenantModel

from . import permissions


def narrowed(queryset, *, organization=None, user=None):
    """``queryset`` narrowed to what ``user`` may pick in ``organization`` (either may be None:
    then every organisation of the user)."""
    model = queryset.model
    if isinstance(queryset, models.Manager):  # a ModelSerializer's own field: the manager
        queryset = queryset.all()
    if queryset.query.is_empty():  # a placeholder (``Model.objects.none()``): start from all
        queryset = model._default_manager.all()
    if issubclass(model, TenantModel):
        if user is not None:
            queryset = queryset.restrict(user, "view")
        if organization is not None:
            return queryset.filter(organization=organization)
        if user is None:
            return queryset.none()
        return queryset
    if model is Organization:
        if user is not None:
            return queryset.filter(pk__in=permissions.organizations_for(user).values("pk"))
        return queryset.filter(pk=organization.pk) if organization is not None else queryset.none()
    if model is get_user_model():
        if organization is not None:
            return queryset.filter(memberships__organization=organization)
        if user is not None:
            mine = permissions.organizations_for(user).values("pk")
            return queryset.filter(pk__in=permissions_members(mine))
        return queryset.none()
    return queryset  # reference data (clauses, standards): the same for everyone


def permissions_members(organizations):
    """Ids of the members of ``organizations`` (a subquery)."""
    from itsms.models import Membership

    return Membership.objects.filter(organization__in=organizations).values("user")


def is_guarded(model) -> bool:
    """Does a choice of ``model`` need narrowing (a tenant model, an organisation, a user)?"""
    return model is not None and (
        model is Organization or model is get_user_model() or issubclass(model, TenantModel)
    )


def _field_queryset_holder(field):
    """The object carrying the field's queryset (a form field, a DRF related field or the
    child of a many-related one), or None for a field without choices of rows."""
    if isinstance(field, forms.ModelChoiceField):
        return field
    if isinstance(field, relations.ManyRelatedField):
        return field.child_relation
    if isinstance(field, relations.RelatedField) and not field.read_only:
        return field
    return None


def restrict_fields(fields, *, organization=None, user=None) -> None:
    """Narrow every choice among ``fields`` (a form's or a serializer's) that points to a tenant
    model, an organisation or a user."""
    for field in fields.values():
        holder = _field_queryset_holder(field)
        if holder is None or getattr(holder, "queryset", None) is None:
            continue
        if is_guarded(holder.queryset.model):
            holder.queryset = narrowed(holder.queryset, organization=organization, user=user)


def restrict_form_fields(form, organization=None, user=None):
    """Narrow a form's choices to ``organization`` (and what ``user`` may see)."""
    restrict_fields(form.fields, organization=organization, user=user)
    return form


class TenantFormMixin:
    """A form whose choices are narrowed to its organisation once it is built.

    Construct it with ``organization=`` (and optionally ``user=``); whatever querysets the
    form's own ``__init__`` sets, they are narrowed after it, by ``restrict_form_fields``.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        init = cls.__init__
        # Does some ``__init__`` of the form's own classes take ``organization`` itself?
        takes_organization = any(
            "organization"
            in inspect.signature(inspect.unwrap(klass.__dict__["__init__"])).parameters
            for klass in cls.__mro__
            if "__init__" in klass.__dict__ and klass is not TenantFormMixin
        )

        @functools.wraps(init)
        def __init__(self, *args, **kwargs):
            user = kwargs.pop("user", None)
            if takes_organization:
                organization = kwargs.get("organization")
            else:
                organization = kwargs.pop("organization", None)
            init(self, *args, **kwargs)
            if type(self) is cls:  # once, after the outermost __init__
                self.organization = organization or getattr(self, "organization", None)
                self.restricted_for = user
                restrict_form_fields(self, self.organization, user)

        cls.__init__ = __init__


class TenantSerializerMixin:
    """A serializer whose related fields are narrowed to the context's organisation and user."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and not user.is_authenticated:
            user = None
        restrict_fields(fields, organization=self.context.get("organization"), user=user)
        return fields
