"""Who may do what in the certification app: the policies of its models.

Everyone who reads the organisation reads its certification project, steps, checklist and
certificates; consultants and admins (``Capability.MANAGE_CERTIFICATION``) change them and
read the reminders. A checklist item is ticked by a manager or by the item's owner.
"""

from django.db.models import Q

from itsms.shared.permissions import NON_MANAGERS, Access, Capability, limited, register, rule

from .models import (
    Certificate,
    CertificationProject,
    ChecklistItem,
    ProjectStep,
    Reminder,
    ReminderDelivery,
)

MANAGE = Capability.MANAGE_CERTIFICATION


@rule
def own_items(user) -> Q:
    """The owner of a checklist item ticks it."""
    return Q(owner=user)


for _model in (CertificationProject, ProjectStep, Certificate):
    register(_model, view=Access(Capability.VIEW), add=Access(MANAGE), change=Access(MANAGE))
register(
    ChecklistItem,
    view=Access(Capability.VIEW),
    add=Access(MANAGE),
    change=Access(MANAGE),
    tick=Access(Capability.VIEW, limits=limited(own_items, NON_MANAGERS)),
)
for _model in (Reminder, ReminderDelivery):
    register(_model, view=Access(MANAGE))
