from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItsmsConfig(AppConfig):
    """The core: organisations, memberships, roles, the clause tree."""

    name = "itsms"
    verbose_name = _("ITSMS core")

    def ready(self):
        from itsms.shared import hooks

        from .assessment import my_clauses

        hooks.register_my_work(my_clauses)
