from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItsmsConfig(AppConfig):
    """The core: one app label (``itsms``) over its domain packages (tenancy, accounts,
    standards, assessment, evidence, notifications) and the shared package they build on."""

    name = "itsms"
    verbose_name = _("ITSMS core")

    def ready(self):
        from itsms.assessment.selectors import my_clauses
        from itsms.shared import (  # noqa: F401  (checks and policies register themselves)
            checks,
            hooks,
            permissions,
        )

        hooks.register_my_work(my_clauses)

        from django.db.models.signals import post_save

        from itsms.accounts.tokens import revoke_on_password_change
        from itsms.models import User

        post_save.connect(
            revoke_on_password_change, sender=User, dispatch_uid="itsms.tokens.password_change"
        )
