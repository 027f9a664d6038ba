from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    """Certification project, certificates and their cycle, reminders and calendars."""

    name = "certification"
    verbose_name = _("Certification")

    def ready(self):
        from itsms.shared import hooks

        from . import (
            cycle,
            permissions,  # noqa: F401  (registers the policies of the app's models)
            selectors,
        )

        cycle.connect_signals()
        # The portfolio's "next deadline" and the dashboard's next surveillance.
        hooks.register_next_deadlines(selectors.next_deadlines)
