"""The registers of the SMS records, in the order of the standard.

One ``Register`` per register names its model, its URL stem and its clause. The overview page,
the URL names, the CSV export, and the app's generated tests (role matrix, query counts) read
this list: a register added here (a model on ``SmsRecord``, a form, a filter, views on
``views.base``) joins all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Agreement, Improvement, Objective, Risk, SmsRecord, Supplier


@dataclass(frozen=True)
class Register:
    key: str  # the URL segment: /o/<org>/sms/<key>/
    name: str  # the URL name stem: sms:<name>_list, sms:<name>_detail, …
    model: type[SmsRecord]
    label: str | Promise
    clause: str
    new_label: str | Promise = ""

    def url_name(self, page: str) -> str:
        return f"sms:{self.name}_{page}"

    @property
    def api_basename(self) -> str:
        return self.name


REGISTERS: list[Register] = [
    Register(
        "risks", "risk", Risk, _("Risks and opportunities"), "6.1", _("New risk or opportunity")
    ),
    Register(
        "objectives",
        "objective",
        Objective,
        _("Service management objectives"),
        "6.2",
        _("New objective"),
    ),
    Register("suppliers", "supplier", Supplier, _("Suppliers"), "8.3.4", _("New supplier")),
    Register("agreements", "agreement", Agreement, _("Agreements"), "8.3.3", _("New agreement")),
    Register(
        "improvements",
        "improvement",
        Improvement,
        _("Improvements"),
        "10.2",
        _("New opportunity for improvement"),
    ),
]


def register_of(model) -> Register:
    return next(r for r in REGISTERS if r.model is model)
