"""The service catalogue as CSV: UTF-8 with a BOM (Excel opens Chinese names), injection-safe."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from itsms.shared.exports import BOM, safe_cell

from .models import Priority


def _minutes(target, kind):
    return getattr(target, f"{kind}_minutes") if target else ""


def service_catalogue_csv(services) -> str:
    """The catalogue services (already filtered and prefetched) as CSV text, BOM first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = [
        _("Service"),
        _("Description"),
        _("Customers"),
        _("Owner"),
        _("Availability target (%)"),
    ]
    for priority in Priority.values:
        header += [
            _("%(priority)s response (minutes)") % {"priority": priority},
            _("%(priority)s resolution (minutes)") % {"priority": priority},
        ]
    header += [_("Supporting processes"), _("Clauses")]
    writer.writerow([safe_cell(h) for h in header])
    for service in services:
        targets = {t.priority: t for t in service.sla_targets.all()}
        row = [
            service.name,
            service.description,
            service.customers,
            service.owner.email if service.owner else "",
            service.availability_target if service.availability_target is not None else "",
        ]
        for priority in Priority.values:
            target = targets.get(priority)
            row += [_minutes(target, "response"), _minutes(target, "resolution")]
        row += [
            "; ".join(f"{p.clause.number} {p.clause.title}" for p in service.processes.all()),
            "; ".join(c.number for c in service.clauses.all()),
        ]
        writer.writerow([safe_cell(cell) for cell in row])
    return BOM + buffer.getvalue()
