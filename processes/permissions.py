"""Who may change which process, KPI and service: the policies of the processes app's models.

Consultants and admins (``MANAGE``: the capability of changing the organisation) manage every
process, KPI and service. A contributor edits only the processes assigned to them (they own;
the owner also holds the django-guardian object permission ``CHANGE_PROCESS``, granted when
they become owner and revoked when the owner changes), and those processes' KPIs and values.
Auditors and viewers change nothing. Pages, the API and templates ask through
``Model.objects.restrict(user, action)`` and ``itsms.shared.permissions.allows``.
"""

from __future__ import annotations

from django.db.models import Q

from itsms.models import Role
from itsms.shared import permissions
from itsms.shared.permissions import Access, Capability, limited, register, rule

from .models import Kpi, KpiValue, ProcessInstance, Service, ServiceLevelTarget

CHANGE_PROCESS = "processes.change_processinstance"
#: The role capability of those who manage every process, KPI and service.
MANAGE = Capability.CHANGE_ORGANIZATION
#: The role capability a member needs to edit the processes assigned to them.
EDIT_ASSIGNED = Capability.ASSESS


@rule
def own_processes(user) -> Q:
    """A contributor edits the processes they own."""
    return Q(owner=user)


@rule
def kpis_of_own_processes(user) -> Q:
    """A contributor changes the KPIs of the processes they own."""
    return Q(process__owner=user)


@rule
def values_of_own_processes(user) -> Q:
    """A contributor records and deletes values of the KPIs of the processes they own."""
    return Q(kpi__process__owner=user)


_contributor = [Role.CONTRIBUTOR]
register(
    ProcessInstance,
    view=Access(Capability.VIEW),
    change=Access(EDIT_ASSIGNED, limits=limited(own_processes, _contributor)),
    assign=Access(MANAGE),
)
_kpi = Access(EDIT_ASSIGNED, limits=limited(kpis_of_own_processes, _contributor))
register(Kpi, view=Access(Capability.VIEW), add=_kpi, change=_kpi, delete=_kpi)
_value = Access(EDIT_ASSIGNED, limits=limited(values_of_own_processes, _contributor))
register(KpiValue, view=Access(Capability.VIEW), add=_value, delete=_value)
for _model in (Service, ServiceLevelTarget):
    register(
        _model,
        view=Access(Capability.VIEW),
        add=Access(MANAGE),
        change=Access(MANAGE),
        delete=Access(MANAGE),
    )


def may_manage(user, organization, membership=None) -> bool:
    """May the user manage every process, KPI and service of the organisation?"""
    if membership is None or membership.organization_id != organization.pk:
        membership = permissions.membership_of(user, organization)
    return permissions.membership_allows(membership, MANAGE)


def may_edit_process(user, instance, membership=None) -> bool:
    """May the user edit this process instance (and its KPIs and values)?"""
    return permissions.allows(user, "change", instance)


def may_manage_services(user, organization, membership=None) -> bool:
    return may_manage(user, organization, membership)


def editable_process_ids(user, organization, queryset, membership=None) -> set[int]:
    """Ids of the processes in ``queryset`` the user may edit (one query)."""
    return set(queryset.restrict(user, "change").values_list("pk", flat=True))


def sync_owner_permission(instance, previous_owner) -> None:
    """Grant the owner the change permission; withdraw it from the previous owner."""
    if previous_owner is not None and previous_owner.pk != instance.owner_id:
        permissions.revoke(previous_owner, CHANGE_PROCESS, instance)
    if instance.owner_id and (previous_owner is None or previous_owner.pk != instance.owner_id):
        permissions.grant(instance.owner, CHANGE_PROCESS, instance)
