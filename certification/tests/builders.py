"""One row of every certification model in an organisation, for the isolation sweep."""

from datetime import date

from certification.models import (
    Certificate,
    CertificationProject,
    ChecklistItem,
    ProjectStep,
    Reminder,
    ReminderDelivery,
)
from tests.factories import UserFactory


def _project(org, marker):
    return CertificationProject.objects.get_or_create(organization=org)[0]


def _step(org, marker):
    return ProjectStep.objects.get_or_create(
        organization=org,
        project=_project(org, marker),
        number=1,
        defaults={"notes": f"{marker} step notes"},
    )[0]


def _item(org, marker):
    return ChecklistItem.objects.create(
        organization=org, step=_step(org, marker), text=f"{marker} checklist item"
    )


def _certificate(org, marker):
    return Certificate.objects.get_or_create(
        organization=org,
        number=f"{marker}-CERT-1",
        defaults={"scope": f"{marker} scope", "decision_date": date(2026, 3, 15)},
    )[0]


def _reminder(org, marker):
    return Reminder.objects.get_or_create(
        organization=org,
        subject_type="certificate",
        subject_id=_certificate(org, marker).pk,
        kind="surveillance-1:-30",
        due_date=date(2027, 3, 15),
        defaults={"title": f"{marker} surveillance reminder"},
    )[0]


def _delivery(org, marker):
    user = UserFactory(email=f"{marker}-recipient@{org.slug}.example")
    return ReminderDelivery.objects.create(
        organization=org, reminder=_reminder(org, marker), user=user
    )


BUILDERS = {
    CertificationProject: _project,
    ProjectStep: _step,
    ChecklistItem: _item,
    Certificate: _certificate,
    Reminder: _reminder,
    ReminderDelivery: _delivery,
}
