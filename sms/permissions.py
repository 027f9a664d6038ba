"""Who may do what in the SMS records: the policies of the sms app's models.

Every member reads the registers (auditors sample them; an outside auditor reads while
assigned). Consultants and admins (``MANAGE``: the capability of changing the organisation)
create and change every record and the settings, and alone give a record to another owner. A
contributor changes the records they own (``own_records``), the treatment actions assigned to
them or of the risks they own (``own_actions``), adds actions to the risks they own
(``actions_of_own_risks``) and reviews of the agreements they own (``reviews_of_own_agreements``).
Auditors and viewers change nothing. Pages, the API and templates ask through
``Model.objects.restrict(user, action)`` and ``itsms.shared.permissions.allows``.
"""

from __future__ import annotations

from django.db.models import Q

from itsms.shared import permissions
from itsms.shared.permissions import Access, Capability, limited, register, rule

from .models import (
    Agreement,
    DocumentChecklistItem,
    Improvement,
    Objective,
    PerformanceReview,
    Risk,
    SmsSettings,
    Supplier,
    SupplierClause,
    TreatmentAction,
)

#: Reading the registers.
VIEW = Capability.VIEW
#: Creating records and changing every one of them, and the settings.
MANAGE = Capability.CHANGE_ORGANIZATION
#: Changing the records (and treatment actions) one owns.
EDIT_OWN = Capability.ASSESS

RECORD_MODELS = (Risk, Objective, Improvement, Supplier, Agreement)


@rule
def own_records(user) -> Q:
    """A contributor changes the records they own."""
    return Q(owner=user)


@rule
def own_actions(user) -> Q:
    """A contributor changes the treatment actions assigned to them and those of the risks
    they own."""
    return Q(owner=user) | Q(risk__owner=user)


@rule
def actions_of_own_risks(user) -> Q:
    """A contributor adds treatment actions only to the risks they own."""
    return Q(risk__owner=user)


@rule
def reviews_of_own_agreements(user) -> Q:
    """A contributor records performance reviews of the agreements they own."""
    return Q(agreement__owner=user)


_view = Access(VIEW)
_manage = Access(MANAGE)
for _model in RECORD_MODELS:
    register(
        _model,
        view=_view,
        add=_manage,
        change=Access(EDIT_OWN, limits=limited(own_records)),
        # giving the record to another owner
        reassign=_manage,
    )
register(Supplier, operate=_manage)  # the requirement clauses the supplier operates
register(
    TreatmentAction,
    view=_view,
    add=Access(EDIT_OWN, limits=limited(actions_of_own_risks)),
    change=Access(EDIT_OWN, limits=limited(own_actions)),
)
register(
    PerformanceReview,
    view=_view,
    add=Access(EDIT_OWN, limits=limited(reviews_of_own_agreements)),
)
register(SupplierClause, view=_view, add=_manage, change=_manage, delete=_manage)
register(DocumentChecklistItem, view=_view, add=_manage, change=_manage)
register(SmsSettings, view=_view, add=_manage, change=_manage)


def may_manage(user, organization, membership=None) -> bool:
    """May the user create records and change every record of the organisation?"""
    if membership is None or membership.organization_id != organization.pk:
        membership = permissions.membership_of(user, organization)
    return permissions.membership_allows(membership, MANAGE)


def may_edit(user, record, membership=None) -> bool:
    """May the user change this record (or treatment action)? Its policy, one query."""
    return permissions.allows(user, "change", record)


def may_reassign(user, record, membership=None) -> bool:
    """Only managers hand a record to another owner."""
    return permissions.allows(user, "reassign", record)


def editable_ids(user, queryset) -> set[int]:
    """Ids of the rows of ``queryset`` the user may change (one query)."""
    return set(queryset.restrict(user, "change").values_list("pk", flat=True))
