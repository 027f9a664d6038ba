"""Writes of the certification app."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itsms.models import Membership
from itsms.shared.history import save_recorded as _save

from .models import (
    CalendarFeed,
    Certificate,
    CertificationProject,
    ChecklistItem,
    ChecklistTemplateItem,
    NotificationPreference,
    ProjectStep,
)
from .models.project import STEP_TITLES


@transaction.atomic
def project_ensure(*, organization, actor=None) -> CertificationProject:
    """The organisation's project with its six steps and the template's checklist (idempotent)."""
    project, created = CertificationProject.objects.get_or_create(organization=organization)
    if created or not project.steps.exists():
        steps = {
            number: ProjectStep.objects.create(
                organization=organization, project=project, number=number
            )
            for number in STEP_TITLES
        }
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                organization=organization, step=steps[item.step], text=item.text, order=item.order
            )
            for item in ChecklistTemplateItem.objects.all()
        )
    return project


def _check_member(organization, user, field):
    if (
        user is not None
        and not Membership.objects.filter(organization=organization, user=user).exists()
    ):
        raise ValidationError({field: _("Choose a member of the organisation.")})


@transaction.atomic
def project_update(*, project, actor, **fields):
    for key, value in fields.items():
        setattr(project, key, value)
    if project.certification_body_id and (
        project.certification_body.organization_id != project.organization_id
    ):
        raise ValidationError(
            {"certification_body": _("Choose a certification body of this organisation.")}
        )
    return _save(project, actor)


@transaction.atomic
def step_update(*, step, actor, **fields):
    _check_member(step.organization, fields.get("owner"), "owner")
    for key, value in fields.items():
        setattr(step, key, value)
    return _save(step, actor)


@transaction.atomic
def item_toggle(*, item, actor, done: bool):
    item.done_at = timezone.now() if done else None
    item.done_by = actor if done else None
    return _save(item, actor)


@transaction.atomic
def item_add(*, step, actor, text, owner=None, due_date=None):
    _check_member(step.organization, owner, "owner")
    order = (step.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    return _save(
        ChecklistItem(
            organization=step.organization,
            step=step,
            text=text,
            order=order,
            owner=owner,
            due_date=due_date,
        ),
        actor,
    )


@transaction.atomic
def certificate_record(*, organization, actor, **fields) -> Certificate:
    certificate = Certificate(organization=organization, **fields)
    if certificate.previous_id and certificate.previous.organization_id != organization.pk:
        raise ValidationError({"previous": _("Choose a certificate of this organisation.")})
    certificate.expires_on = certificate.compute_expiry()
    _save(certificate, actor)
    return certificate


def preference_set(*, user, channel) -> NotificationPreference:
    pref, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"channel": channel}
    )
    return pref


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, user) -> str:
    """A new secret feed address for the user; the previous ones stop working."""
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=user, token_hash=_hash(token))
    return token


def calendar_feed_revoke(*, user) -> None:
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def calendar_feed_user(token: str):
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=_hash(token), revoked_at__isnull=True)
        .first()
    )
    return feed.user if feed and feed.user.is_active else None
