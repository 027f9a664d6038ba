"""Writes of the organisation's SMS records settings (the risk scale)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from itsms.models import Organization, User
from itsms.shared import versioning
from itsms.shared.history import save_recorded

from ..models import Risk, SmsSettings
from .records import check_fields

SETTINGS_FIELDS = (
    "likelihood_levels",
    "impact_levels",
    "acceptable_up_to",
    "high_from",
    "improvement_criteria",
)


@transaction.atomic
def settings_update(
    *, organization: Organization, actor: User, version=versioning.ANY, **changes
) -> SmsSettings:
    """Change the risk scale. A scale narrower than the scores already given is refused: the
    risks are rescored first, so no score falls off the scale."""
    check_fields(changes, SETTINGS_FIELDS)
    current = SmsSettings.objects.select_for_update().filter(
        organization=organization
    ).first() or SmsSettings(organization=organization)
    if current.pk:
        versioning.check(current, version, what=_("The settings"))
    for key, value in changes.items():
        setattr(current, key, value)
    risks = Risk.objects.filter(organization=organization)
    errors = {}
    over_l = risks.filter(
        Q(likelihood__gt=current.likelihood_levels)
        | Q(residual_likelihood__gt=current.likelihood_levels)
    ).count()
    if over_l:
        errors["likelihood_levels"] = _(
            "%(n)s risks are scored above this likelihood: rescore them first."
        ) % {"n": over_l}
    over_i = risks.filter(
        Q(impact__gt=current.impact_levels) | Q(residual_impact__gt=current.impact_levels)
    ).count()
    if over_i:
        errors["impact_levels"] = _(
            "%(n)s risks are scored above this impact: rescore them first."
        ) % {"n": over_i}
    if errors:
        raise ValidationError(errors)
    if current.pk:
        current.version += 1
    save_recorded(current, actor)
    organization.__dict__.pop("_sms_settings", None)
    return current


def settings_ensure(organization: Organization) -> SmsSettings:
    """The organisation's settings row, created with the defaults when missing (idempotent)."""
    current, _created = SmsSettings.objects.get_or_create(organization=organization)
    organization.__dict__.pop("_sms_settings", None)
    return current
