"""Writes of the processes app: keyword-only, atomic, validated, recorded (who and when).

django-simple-history keeps the before/after of every change; each service sets
``_history_user`` to the actor first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from itsms.models import Clause, Organization, User
from itsms.notifications.services import notify
from itsms.search import services as search
from itsms.shared import versioning
from itsms.shared.history import save_recorded as _save
from itsms.standards.reference import PRIMARY

from . import permissions
from .catalogue import catalogue_clauses
from .models import Kpi, KpiValue, Priority, ProcessInstance, Service, ServiceLevelTarget

PROCESS_FIELDS = (
    "owner",
    "status",
    "maturity",
    "purpose",
    "procedure_reference",
    "last_review_date",
)
KPI_FIELDS = ("name", "description", "target", "unit", "period", "direction")
SERVICE_FIELDS = ("name", "description", "customers", "owner", "status", "availability_target")


#: A stale version (``itsms.shared.versioning``): the API answers 409, pages show the conflict.
StaleEdit = versioning.StaleVersion


def _unknown(changes, allowed):
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError({key: _("This field cannot be changed.") for key in unknown})


# --- processes -----------------------------------------------------------------------


def process_instances_ensure(organization: Organization) -> int:
    """Create the organisation's missing process instances (idempotent); returns how many."""
    existing = set(
        ProcessInstance.objects.filter(organization=organization).values_list(
            "clause_id", flat=True
        )
    )
    missing = [
        ProcessInstance(organization=organization, clause=clause)
        for clause in catalogue_clauses()
        if clause.pk not in existing
    ]
    if missing:
        # ignore_conflicts: two first visits at once create each row once.
        ProcessInstance.objects.bulk_create(missing, ignore_conflicts=True)
        # Bulk inserts send no signals: index the new processes for search.
        search.refresh_objects(ProcessInstance, organization.pk)
    return len(missing)


@transaction.atomic
def process_instance_update(
    *, instance: ProcessInstance, actor: User, version=versioning.ANY, **changes
) -> ProcessInstance:
    """Change a process. ``version``: the one the editor loaded (``itsms.shared.versioning``)."""
    _unknown(changes, PROCESS_FIELDS)
    locked = (
        ProcessInstance.objects.select_for_update(of=("self",))
        .select_related("clause__standard", "owner")
        .get(pk=instance.pk)
    )
    versioning.check(locked, version, locked.clause.number)
    previous_owner = locked.owner
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.full_clean()
    # Claim the version with a conditional UPDATE: of two concurrent edits, one wins.
    claimed = ProcessInstance.objects.filter(pk=locked.pk, version=locked.version).update(
        version=locked.version + 1
    )
    if not claimed:
        raise StaleEdit(locked, locked.clause.number)
    locked.version += 1
    locked._history_user = actor
    locked.save()
    permissions.sync_owner_permission(locked, previous_owner)
    if locked.owner_id and locked.owner_id != getattr(previous_owner, "pk", None):
        notify(
            organization=locked.organization,
            recipients=[locked.owner],
            actor=actor,
            kind="process-assigned",
            message=gettext_noop("%(actor)s made you the owner of process %(number)s %(title)s."),
            params={
                "actor": actor.get_full_name() if actor else "",
                "number": locked.clause.number,
                "title": lambda: locked.clause.title,
            },
            url=reverse(
                "processes:process_detail",
                kwargs={"org_slug": locked.organization.slug, "pk": locked.pk},
            ),
            email=True,
        )
    return locked


# --- KPIs ----------------------------------------------------------------------------


@transaction.atomic
def kpi_create(*, process: ProcessInstance, actor: User, **fields) -> Kpi:
    _unknown(fields, KPI_FIELDS)
    kpi = Kpi(organization_id=process.organization_id, process=process, **fields)
    return _save_unique(kpi, actor, "name", _("This process already has a KPI of this name."))


@transaction.atomic
def kpi_update(*, kpi: Kpi, actor: User, **changes) -> Kpi:
    _unknown(changes, KPI_FIELDS)
    for key, value in changes.items():
        setattr(kpi, key, value)
    return _save_unique(kpi, actor, "name", _("This process already has a KPI of this name."))


@transaction.atomic
def kpi_delete(*, kpi: Kpi, actor: User) -> None:
    kpi._history_user = actor
    kpi.delete()


@transaction.atomic
def kpi_value_record(
    *, kpi: Kpi, actor: User, period_start: date, value: Decimal, note: str = ""
) -> KpiValue:
    """Record the KPI's value for the period starting on ``period_start`` (once per period)."""
    row = KpiValue(
        organization_id=kpi.organization_id,
        kpi=kpi,
        period_start=period_start,
        value=value,
        note=note,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    return _save_unique(
        row, actor, "period_start", _("A value for this period is already recorded.")
    )


@transaction.atomic
def kpi_value_delete(*, value: KpiValue, actor: User) -> None:
    value._history_user = actor
    value.delete()


def _save_unique(instance, actor, field: str, message: str):
    """Save, turning a unique-constraint race into the same error as full_clean gives."""
    try:
        with transaction.atomic():
            return _save(instance, actor)
    except IntegrityError as exc:
        raise ValidationError({field: message}) from exc


# --- services ------------------------------------------------------------------------


def _check_same_organization(organization, processes, clauses):
    errors = {}
    if any(p.organization_id != organization.pk for p in processes):
        errors["processes"] = _("Choose processes of this organisation.")
    primary = set(
        Clause.objects.filter(pk__in=[c.pk for c in clauses], standard__code=PRIMARY).values_list(
            "pk", flat=True
        )
    )
    if any(c.pk not in primary for c in clauses):
        errors["clauses"] = _("Choose clauses of ISO/IEC 20000-1:2018.")
    if errors:
        raise ValidationError(errors)


def _set_sla_targets(service: Service, actor: User, targets: dict | None) -> None:
    """Replace the service's targets: ``{priority: (response_minutes, resolution_minutes)}``."""
    if targets is None:
        return
    errors = {}
    for priority, (response, resolution) in targets.items():
        if priority not in Priority.values:
            errors[f"sla_{priority}"] = _("Unknown priority.")
        elif not response or not resolution or response < 1 or resolution < 1:
            errors[f"sla_{priority.lower()}_response"] = _(
                "Give both a response and a resolution time, in whole minutes above zero."
            )
        elif resolution < response:
            errors[f"sla_{priority.lower()}_resolution"] = _(
                "The resolution time cannot be shorter than the response time."
            )
    if errors:
        raise ValidationError(errors)
    existing = {t.priority: t for t in service.sla_targets.all()}
    for priority, target in existing.items():
        if priority not in targets:
            target._history_user = actor
            target.delete()
    for priority, (response, resolution) in targets.items():
        target = existing.get(priority) or ServiceLevelTarget(
            organization_id=service.organization_id, service=service, priority=priority
        )
        if target.pk and (target.response_minutes, target.resolution_minutes) == (
            response,
            resolution,
        ):
            continue  # unchanged: no history row
        target.response_minutes, target.resolution_minutes = response, resolution
        _save(target, actor)


def _save_service(service, actor):
    try:
        with transaction.atomic():
            return _save(service, actor)
    except IntegrityError as exc:
        raise ValidationError({"name": _("A service with this name already exists.")}) from exc


@transaction.atomic
def service_create(
    *,
    organization: Organization,
    actor: User,
    processes: Iterable[ProcessInstance] = (),
    clauses: Iterable[Clause] = (),
    sla_targets: dict | None = None,
    **fields,
) -> Service:
    """Add a service to the portfolio with its supporting processes, clauses and SLA targets."""
    _unknown(fields, SERVICE_FIELDS)
    processes, clauses = list(processes), list(clauses)
    _check_same_organization(organization, processes, clauses)
    service = _save_service(Service(organization=organization, **fields), actor)
    service.processes.set(processes)
    service.clauses.set(clauses)
    _set_sla_targets(service, actor, sla_targets)
    return service


@transaction.atomic
def service_update(
    *,
    service: Service,
    actor: User,
    processes: Iterable[ProcessInstance] | None = None,
    clauses: Iterable[Clause] | None = None,
    sla_targets: dict | None = None,
    **changes,
) -> Service:
    """Change a service; relations and targets are replaced only when given."""
    _unknown(changes, SERVICE_FIELDS)
    processes = None if processes is None else list(processes)
    clauses = None if clauses is None else list(clauses)
    _check_same_organization(service.organization, processes or [], clauses or [])
    for key, value in changes.items():
        setattr(service, key, value)
    _save_service(service, actor)
    if processes is not None:
        service.processes.set(processes)
    if clauses is not None:
        service.clauses.set(clauses)
    _set_sla_targets(service, actor, sla_targets)
    return service


@transaction.atomic
def service_delete(*, service: Service, actor: User) -> None:
    service._history_user = actor
    service.delete()
