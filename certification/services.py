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

from . import cycle
from .models import (
    CalendarFeed,
    Certificate,
    CertificationProject,
    ChecklistItem,
    ChecklistTemplateItem,
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
                organization=organization,
                step=steps[item.step],
                text=item.text,
                key=item.key,
                order=item.order,
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


def _tick(item, actor, done: bool) -> None:
    item.done_at = timezone.now() if done else None
    item.done_by = actor if done else None


@transaction.atomic
def item_toggle(*, item, actor, done: bool):
    """Tick (or untick) an item."""
    _tick(item, actor, done)
    return _save(item, actor)


@transaction.atomic
def item_update(*, item, actor, text):
    """Reword an item; once reworded it shows as written, no longer as the seed's translation."""
    return item_change(item=item, actor=actor, text=text)


@transaction.atomic
def item_change(*, item, actor, text=None, done=None):
    """Reword and/or tick an item in one save: one history row for one change."""
    if text is not None:
        item.text = text
    if done is not None:
        _tick(item, actor, done)
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


def _check_certificate(certificate):
    if certificate.previous_id and (
        certificate.previous.organization_id != certificate.organization_id
    ):
        raise ValidationError({"previous": _("Choose a certificate of this organisation.")})
    if certificate.previous_id and certificate.previous_id == certificate.pk:
        raise ValidationError({"previous": _("A certificate cannot replace itself.")})


@transaction.atomic
def certificate_record(*, organization, actor, **fields) -> Certificate:
    """Record a certificate; its expiry and cycle are computed (``certification.rules``)."""
    certificate = Certificate(organization=organization, **fields)
    _check_certificate(certificate)
    certificate.expires_on = certificate.compute_expiry()
    _save(certificate, actor)
    cycle.refresh_cycles(Certificate.objects.filter(pk=certificate.pk))
    certificate.refresh_from_db()
    return certificate


@transaction.atomic
def certificate_update(*, certificate, actor, **fields) -> Certificate:
    """Change a certificate; the expiry and the cycle follow (one history row)."""
    for key, value in fields.items():
        setattr(certificate, key, value)
    _check_certificate(certificate)
    _save(certificate, actor)
    cycle.refresh_cycles(Certificate.objects.filter(pk=certificate.pk))
    certificate.refresh_from_db()
    return certificate


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


COPIED_BODY_FIELDS = [
    "name",
    "accreditation",
    "contacts",
    "response_window_days",
    "recertification_lead_days",
    "transition_cutoff",
]


@transaction.atomic
def certification_body_add(*, organization, actor, **fields):
    """Record a certification body of the organisation and choose it for the project."""
    from audits import services as audits

    body = audits.body_create(organization=organization, actor=actor, **fields)
    project = CertificationProject.objects.filter(organization=organization).first()
    if project is not None:
        project.certification_body = body
        _save(project, actor)
    return body


@transaction.atomic
def certification_body_copy(*, organization, actor, source):
    """Copy a body the actor already works with in another of their organisations."""
    if source.organization_id == organization.pk or not (
        Membership.objects.filter(user=actor, organization_id=source.organization_id).exists()
    ):
        raise ValidationError(
            {"source": _("Choose a certification body of one of your organisations.")}
        )
    return certification_body_add(
        organization=organization,
        actor=actor,
        **{name: getattr(source, name) for name in COPIED_BODY_FIELDS},
    )
