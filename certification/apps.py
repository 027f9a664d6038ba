from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    """Certification project, certificates and their cycle, reminders and calendars."""

    name = "certification"
    verbose_name = _("Certification")

    def ready(self):
        from . import cycle

        cycle.connect_signals()
