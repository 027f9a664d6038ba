from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    """Audit programme, audits, findings and corrective actions."""

    name = "audits"
    verbose_name = _("Audits")

    def ready(self):
        from itsms.shared import hooks

        from . import permissions  # noqa: F401  (registers the policies of the app's models)
        from .hooks import audits_panel, my_actions

        hooks.register_my_work(my_actions)
        hooks.register_dashboard_panel(audits_panel)
        from .search import register_kinds

        register_kinds()
