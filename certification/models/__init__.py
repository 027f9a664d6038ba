"""Certification project, certificates and their cycle, reminders, calendar feeds."""

from .certificate import Certificate, CertificateEdition, CertificateStatus
from .project import CertificationProject, ChecklistItem, ChecklistTemplateItem, ProjectStep
from .reminders import CalendarFeed, Reminder, ReminderDelivery

__all__ = [
    "CalendarFeed",
    "Certificate",
    "CertificateEdition",
    "CertificateStatus",
    "CertificationProject",
    "ChecklistItem",
    "ChecklistTemplateItem",
    "ProjectStep",
    "Reminder",
    "ReminderDelivery",
]
