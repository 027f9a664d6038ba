from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    """The SMS records auditors sample: risks and opportunities, objectives, suppliers and
    agreements, the documented information of 7.5.4 (and, later, reviews and improvements)."""

    name = "sms"
    verbose_name = _("SMS records")

    def ready(self):
        from itsms.shared import hooks

        from . import (
            permissions,  # noqa: F401  (registers the policies of the app's models)
            signals,  # noqa: F401  (keeps supplier links in step with the assessment)
        )
        from .hooks import DEADLINE_PROVIDERS, my_records

        hooks.register_my_work(my_records)
        for provider in DEADLINE_PROVIDERS:
            hooks.register_deadline_provider(provider)
