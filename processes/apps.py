from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    """Clause-8 service management processes and the service portfolio."""

    name = "processes"
    verbose_name = _("Processes and services")

    def ready(self):
        from itsms.shared import hooks

        from . import permissions  # noqa: F401  (registers the policies of the app's models)
        from .hooks import maturity_heatmap_panel, my_processes

        hooks.register_my_work(my_processes)
        from .search import register_kinds

        register_kinds()
        # The readiness dashboard's panels (a hook the core may offer).
        register_panel = getattr(hooks, "register_dashboard_panel", None)
        if register_panel is not None:
            register_panel(maturity_heatmap_panel)
