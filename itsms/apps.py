from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItsmsConfig(AppConfig):
    """The core: one app label (``itsms``) over its domain packages (tenancy, accounts,
    standards, assessment, evidence, notifications) and the shared package they build on."""

    name = "itsms"
    verbose_name = _("ITSMS core")

    def ready(self):
        from itsms.accounts import signals
        from itsms.assessment.selectors import my_clauses
        from itsms.shared import (  # noqa: F401  (checks and policies register themselves)
            checks,
            hooks,
            permissions,
        )

        hooks.register_my_work(my_clauses)
        signals.connect()

        from itsms.assessment.search import register_kinds as register_clauses
        from itsms.evidence.search import register_kinds as register_evidence

        register_clauses()
        register_evidence()

        from django.db.models.signals import post_migrate, post_save

        post_migrate.connect(_index_when_empty, sender=self, dispatch_uid="search:first-build")

        from itsms.accounts.tokens import revoke_on_password_change
        from itsms.models import User

        post_save.connect(
            revoke_on_password_change, sender=User, dispatch_uid="itsms.tokens.password_change"
        )


def _index_when_empty(using="default", **kwargs):
    """After ``migrate``: an installation that has data but no search index yet (the upgrade
    that brings search) gets its index built once; ``rebuild_search_index`` does it again."""
    from itsms.models import Organization, SearchDocument
    from itsms.search import services

    if SearchDocument.objects.using(using).exists():
        return
    if Organization.objects.using(using).exists():
        services.rebuild()
