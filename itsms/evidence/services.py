"""Writes of evidence: upload, new version, metadata, document control, delete and restore,
expiry, integrity failures.

Keyword-only, atomic, validated, and recorded (django-simple-history keeps who and when).
Files are checked (``validation.check_upload``) before anything is stored; a refusal is a
``ValidationError`` on ``file`` and leaves storage untouched. No service deletes a file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from itsms.notifications import services as notifications
from itsms.search import services as search
from itsms.shared import permissions, versioning
from itsms.shared.history import save_recorded as _save
from itsms.tenancy.selectors import recipients

from ..models import (
    Confidentiality,
    DocumentStatus,
    Evidence,
    EvidenceKind,
    EvidenceVersion,
    Organization,
    User,
)
from ..models.evidence import TRANSITIONS
from . import selectors, storage, text
from .emails import send_evidence_expired_email
from .notifications import evidence_moved
from .selectors import evidence_url
from .validation import UploadRefused, check_upload

logger = logging.getLogger("itsms.evidence")

METADATA_FIELDS = (
    "title",
    "description",
    "kind",
    "owner",
    "confidentiality",
    "effective_date",
    "review_by",
    "reviewer",
)
LINK_FIELDS = ("clauses", "processes", "services")


def _check_people_and_links(organization: Organization, data: dict) -> None:
    errors = {}
    for key in ("owner", "reviewer"):
        user = data.get(key)
        if user is not None and not permissions.is_member(user, organization):
            errors[key] = _("The %(role)s must be a member of the organisation.") % {
                "role": Evidence._meta.get_field(key).verbose_name
            }
    clauses = data.get("clauses")
    if clauses is not None:
        allowed = set(selectors.linkable_clauses().values_list("pk", flat=True))
        if any(c.pk not in allowed for c in clauses):
            errors["clauses"] = _("Link requirement clauses of ISO/IEC 20000-1:2018 only.")
    for name in ("processes", "services"):
        objects = data.get(name)
        if objects and any(o.organization_id != organization.pk for o in objects):
            errors[name] = _("Link only processes and services of this organisation.")
    if errors:
        raise ValidationError(errors)


def _set_links(evidence: Evidence, data: dict) -> None:
    for name in LINK_FIELDS:
        if name in data and data[name] is not None:
            if name != "clauses" and selectors.linkable_model(name) is None:
                continue  # the processes app is not installed
            getattr(evidence, name).set(list(data[name]))


def _store_checked(organization: Organization, upload) -> tuple[object, str]:
    try:
        checked = check_upload(upload)
    except UploadRefused as exc:
        raise ValidationError({"file": [exc.message]}) from exc
    name = storage.store(
        organization_id=organization.pk, extension=checked.extension, upload=upload
    )
    return checked, name


def _new_version(*, evidence, actor, checked, stored_name, number, change_note) -> EvidenceVersion:
    version = EvidenceVersion(
        organization_id=evidence.organization_id,
        evidence=evidence,
        number=number,
        original_name=checked.name,
        size=checked.size,
        content_type=checked.content_type,
        sha256=checked.sha256,
        change_note=change_note,
        uploaded_by=actor,
    )
    version.file.name = stored_name
    version.full_clean()
    version.save()
    if text.extractable(version.content_type):
        # Once the upload is committed, a worker reads the file's text for search.
        from .tasks import extract_version_text  # tasks → services: imported when queued

        transaction.on_commit(lambda: extract_version_text.delay(version.pk))
    return version


def _save_item(locked: Evidence, actor: User) -> Evidence:
    """Save a change of an existing item: it takes the next version, so an editor who loaded
    it before (metadata, status, file or deletion) meets a 409, never overwrites."""
    locked.version += 1
    return _save(locked, actor)


def _title_from(name: str) -> str:
    stem = name.rsplit(".", 1)[0]
    return stem.replace("_", " ").strip()[:255] or name[:255]


@transaction.atomic
def evidence_create(
    *,
    organization: Organization,
    actor: User,
    upload,
    title: str = "",
    description: str = "",
    kind: str = EvidenceKind.OTHER,
    owner: User | None = None,
    confidentiality: str = Confidentiality.INTERNAL,
    effective_date: date | None = None,
    review_by: date | None = None,
    reviewer: User | None = None,
    clauses: Iterable = (),
    processes: Iterable = (),
    services: Iterable = (),
    change_note: str = "",
) -> Evidence:
    """A new evidence item (draft) with the upload as version 1."""
    links = {"clauses": list(clauses), "processes": list(processes), "services": list(services)}
    _check_people_and_links(organization, {"owner": owner, "reviewer": reviewer, **links})
    checked, stored_name = _store_checked(organization, upload)
    try:
        evidence = _save(
            Evidence(
                organization=organization,
                title=(title or "").strip() or _title_from(checked.name),
                description=description,
                kind=kind,
                owner=owner if owner is not None else actor,
                confidentiality=confidentiality,
                effective_date=effective_date,
                review_by=review_by,
                reviewer=reviewer,
                created_by=actor,
            ),
            actor,
        )
        version = _new_version(
            evidence=evidence,
            actor=actor,
            checked=checked,
            stored_name=stored_name,
            number=1,
            change_note=change_note or _("First version."),
        )
        evidence.current_version = version
        evidence.skip_history_when_saving = True
        evidence.save(update_fields=["current_version"])
        del evidence.skip_history_when_saving
        # One creation record, holding the first version (else the next change of the item
        # would read "current version: — → v1" in its history).
        evidence.history.filter(history_type="+").update(current_version=version)
        _set_links(evidence, links)
    except Exception:
        storage.discard(stored_name)
        raise
    return evidence


@transaction.atomic
def evidence_add_version(
    *, evidence: Evidence, actor: User, upload, change_note: str = ""
) -> EvidenceVersion:
    """Upload a new version (7.5.3). A changed document is approved again: an approved or
    expired item goes to review, and its approved version keeps counting until a newer one
    is approved; a draft or an item in review stays as it is."""
    locked = Evidence.objects.select_for_update(of=("self",)).get(pk=evidence.pk)
    if locked.is_deleted:
        raise ValidationError(_("This evidence is deleted; restore it first."))
    if locked.status == DocumentStatus.SUPERSEDED:
        raise ValidationError(_("Superseded evidence takes no new versions; upload a new item."))
    if not change_note.strip():
        raise ValidationError({"change_note": _("Say what changed in this version.")})
    checked, stored_name = _store_checked(locked.organization, upload)
    try:
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = _new_version(
            evidence=locked,
            actor=actor,
            checked=checked,
            stored_name=stored_name,
            number=number,
            change_note=change_note.strip(),
        )
        locked.current_version = version
        if locked.status in (DocumentStatus.APPROVED, DocumentStatus.EXPIRED):
            locked.status = DocumentStatus.IN_REVIEW
            if locked.approved_version_id:
                locked.status_note = _(
                    "Version %(n)s uploaded: in review. Until it is approved, approved version "
                    "%(approved)s keeps counting."
                ) % {"n": number, "approved": locked.approved_version.number}
            else:
                locked.status_note = _("Version %(n)s uploaded: in review.") % {"n": number}
        _save_item(locked, actor)
    except Exception:
        storage.discard(stored_name)
        raise
    return version


@transaction.atomic
def evidence_update(
    *, evidence: Evidence, actor: User, version=versioning.ANY, **changes
) -> Evidence:
    """Change an item's metadata and links (not its status, not its files). ``version``: the
    one the editor loaded (``itsms.shared.versioning``)."""
    unknown = set(changes) - set(METADATA_FIELDS) - set(LINK_FIELDS)
    if unknown:
        raise ValidationError({key: _("This field cannot be changed.") for key in unknown})
    locked = Evidence.objects.select_for_update(of=("self",)).get(pk=evidence.pk)
    versioning.check(locked, version, locked.title)
    if locked.is_deleted:
        raise ValidationError(_("This evidence is deleted; restore it first."))
    _check_people_and_links(locked.organization, changes)
    for key in METADATA_FIELDS:
        if key in changes:
            setattr(locked, key, changes[key])
    _save_item(locked, actor)
    _set_links(locked, changes)
    return locked


@transaction.atomic
def evidence_transition(*, evidence: Evidence, actor: User, to: str, note: str = "") -> Evidence:
    """Move an item through document control: draft → in review → approved → …"""
    locked = Evidence.objects.select_for_update(of=("self",)).get(pk=evidence.pk)
    # Approving needs the "approve" rule (the named reviewer, or a manager); the reviewer may
    # also send an item in review back to draft. Any other change needs the "change" rule.
    if to == DocumentStatus.APPROVED:
        if not permissions.allows(actor, "approve", locked):
            raise PermissionDenied(
                _("Only the named reviewer, a consultant or an admin approves evidence.")
            )
    elif not permissions.allows(actor, "change", locked) and not (
        locked.status == DocumentStatus.IN_REVIEW
        and to == DocumentStatus.DRAFT
        and permissions.allows(actor, "approve", locked)
    ):
        raise PermissionDenied(_("Your role in this organisation does not allow this."))
    if to not in locked.allowed_transitions():
        raise ValidationError(
            {
                "status": _("%(from)s evidence cannot become %(to)s.")
                % {
                    "from": locked.get_status_display(),
                    "to": DocumentStatus(to).label if to in DocumentStatus.values else to,
                }
            }
        )
    if to == DocumentStatus.APPROVED:
        if locked.is_review_overdue(locked.organization.local_today()):
            raise ValidationError(
                {"review_by": _("The review-by date has passed: set a new one, then approve.")}
            )
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        locked.approved_version = locked.current_version
    if to == DocumentStatus.DRAFT and not note.strip():
        raise ValidationError({"note": _("Say why the evidence goes back to draft.")})
    locked.status = to
    locked.status_note = note.strip()
    saved = _save_item(locked, actor)
    evidence_moved(saved, actor)
    return saved


@transaction.atomic
def evidence_delete(*, evidence: Evidence, actor: User, reason: str) -> Evidence:
    """Soft delete: hidden from the register and readiness, files kept, restorable."""
    locked = Evidence.objects.select_for_update(of=("self",)).get(pk=evidence.pk)
    if locked.is_deleted:
        raise ValidationError(_("This evidence is already deleted."))
    if not permissions.allows(actor, "delete", locked):
        raise PermissionDenied(
            _("Approved evidence, or evidence of others, is not yours to delete.")
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the evidence is deleted.")})
    locked.deleted_at = timezone.now()
    locked.deleted_by = actor
    locked.deletion_reason = reason.strip()
    return _save_item(locked, actor)


@transaction.atomic
def evidence_restore(*, evidence: Evidence, actor: User) -> Evidence:
    """Undo a soft delete (consultants and admins)."""
    locked = Evidence.objects.select_for_update(of=("self",)).get(pk=evidence.pk)
    if not permissions.allows(actor, "restore", locked):
        raise PermissionDenied(_("Only a consultant or an admin restores deleted evidence."))
    if not locked.is_deleted:
        raise ValidationError(_("This evidence is not deleted."))
    locked.deleted_at = None
    locked.deleted_by = None
    locked.deletion_reason = ""
    return _save_item(locked, actor)


# --- integrity -----------------------------------------------------------------------------


#: Files up to this size are served from the very bytes that were verified.
VERIFIED_IN_MEMORY_BYTES = 4 * 1024 * 1024


def version_verify(version: EvidenceVersion) -> tuple[bool, bytes | None]:
    """Does the stored file still hash to the recorded SHA-256? A mismatch is recorded.

    Returns (ok, the verified bytes when the file is small enough to keep in memory).
    """
    try:
        observed, data = storage.read_and_hash(version.file.name, VERIFIED_IN_MEMORY_BYTES)
    except OSError:  # missing or unreadable
        observed, data = "missing", None
    if observed == version.sha256:
        return True, data
    integrity_failure_record(version=version, observed=observed)
    return False, None


@transaction.atomic
def integrity_failure_record(*, version: EvidenceVersion, observed: str) -> None:
    """Log, record on the version and tell the organisation's consultants and admins."""
    now = timezone.now()
    EvidenceVersion.objects.filter(pk=version.pk).update(
        integrity_failed_at=now, integrity_observed_sha256=observed[:64]
    )
    version.integrity_failed_at, version.integrity_observed_sha256 = now, observed[:64]
    logger.error(
        "Evidence integrity failure: organisation %s, evidence %s, version %s (%s): "
        "recorded SHA-256 %s, stored file %s",
        version.organization_id,
        version.evidence_id,
        version.number,
        version.file.name,
        version.sha256,
        observed,
    )
    organization = version.evidence.organization
    url = reverse(
        "itsms:evidence_detail", kwargs={"org_slug": organization.slug, "pk": version.evidence_id}
    )
    for user in recipients(version.evidence, roles=permissions.MANAGERS):
        notifications.notify(
            organization=organization,
            user=user,
            text=_("Integrity check failed for “%(title)s” version %(n)s: the file was not served.")
            % {"title": version.evidence.title, "n": version.number},
            url=url,
        )


# --- expiry -----------------------------------------------------------------------------------


def evidence_expire_due(*, today: date | None = None) -> list[int]:
    """Mark approved evidence past its review-by date as expired; notify each owner once.

    Each row is claimed under a lock and re-checked, so two runs (or two workers) never
    expire or notify twice. Returns the ids expired by this run.
    """
    horizon = today or timezone.now().date()
    candidates = list(
        Evidence.objects.alive()
        .filter(status=DocumentStatus.APPROVED, review_by__lte=horizon)
        .values_list("pk", flat=True)
    )
    expired = []
    for pk in candidates:
        if _expire_one(pk, today):
            expired.append(pk)
    return expired


@transaction.atomic
def _expire_one(pk: int, today: date | None) -> bool:
    evidence = (
        Evidence.objects.select_for_update(of=("self",))
        .select_related("organization", "owner", "created_by")
        .filter(pk=pk, status=DocumentStatus.APPROVED, deleted_at__isnull=True)
        .first()
    )
    local_today = today or (evidence.organization.local_today() if evidence else None)
    if evidence is None or not evidence.is_review_overdue(local_today):
        return False
    evidence.status = DocumentStatus.EXPIRED
    evidence.status_note = _("Review-by date %(date)s passed.") % {
        "date": evidence.review_by.isoformat()
    }
    _save_item(evidence, None)
    # The owner (or the uploader), if they may still see it: a removed member gets nothing.
    people = [u for u in (evidence.owner, evidence.created_by) if u is not None]
    recipient = next(iter(recipients(evidence, among=people[:1] or people)), None)
    if recipient is not None:
        with translation.override(evidence.organization.language):
            notifications.notify(
                organization=evidence.organization,
                user=recipient,
                text=_("Evidence “%(title)s” expired: its review-by date %(date)s passed.")
                % {"title": evidence.title, "date": evidence.review_by.isoformat()},
                url=evidence_url(evidence),
            )
        transaction.on_commit(lambda: send_evidence_expired_email.delay(evidence.pk, recipient.pk))
    return True


# --- text for search ---------------------------------------------------------------------------


def version_text_extract(*, version_id: int) -> bool:
    """Extract a version's text once (``text.py``), store it, and refresh the item's search
    document. Idempotent: an already extracted version is left alone. Returns whether text
    was extracted now."""
    version = (
        EvidenceVersion.objects.filter(pk=version_id, text_extracted_at__isnull=True)
        .only("pk", "organization_id", "evidence_id", "file", "content_type")
        .first()
    )
    if version is None:
        return False
    extracted = text.extract(version.file.name, version.content_type)
    with transaction.atomic():
        claimed = EvidenceVersion.objects.filter(
            pk=version.pk, text_extracted_at__isnull=True
        ).update(extracted_text=extracted, text_extracted_at=timezone.now())
        if claimed:
            search.refresh_objects(Evidence, version.organization_id, [version.evidence_id])
    return bool(claimed)


__all__ = [
    "TRANSITIONS",
    "evidence_add_version",
    "evidence_create",
    "evidence_delete",
    "evidence_expire_due",
    "evidence_restore",
    "evidence_transition",
    "evidence_update",
    "integrity_failure_record",
    "version_text_extract",
    "version_verify",
]
