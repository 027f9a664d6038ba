"""Each certificate's cycle, computed by ``rules.certificate_cycle`` from the audits held.

``cycle_of`` gives the whole cycle for the certificate page; ``refresh_cycles`` stores the next
surveillance due date and the recertification audit's latest date on the certificate, so that
the reminder scan, the calendars and the portfolio select by date in SQL. The same rule
serves both, so the page and the reminders never disagree.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from . import rules

SURVEILLANCE = "surveillance"
RECERTIFICATION = "recertification"
CYCLE_KINDS = (SURVEILLANCE, RECERTIFICATION)


def _cycle_audits(rows):
    """``{(organization_id, kind): [CycleAudit]}`` from audit rows."""
    result = defaultdict(list)
    for row in rows:
        result[(row["organization_id"], row["kind"])].append(
            rules.CycleAudit(
                pk=row["pk"],
                title=row["title"],
                planned_start=row["planned_start"],
                held_on=rules.surveillance_held_on(row["closing_meeting_on"]),
            )
        )
    return result


def audits_by_org(audits):
    """The surveillance and recertification audits of an ``Audit`` queryset, by organisation."""
    rows = audits.filter(kind__in=CYCLE_KINDS).values(
        "pk", "organization_id", "kind", "title", "planned_start", "closing_meeting_on"
    )
    return _cycle_audits(rows)


def cycle_of(certificate, audits, today, *, recertified: bool | None = None) -> rules.Cycle:
    """The certificate's cycle; ``audits`` as returned by ``audits_by_org``."""
    org = certificate.organization_id
    if recertified is None:
        recertified = certificate.successor_number is not None
    return rules.certificate_cycle(
        decision=certificate.decision_date,
        expiry=certificate.expires_on,
        lead_days=certificate.lead_days,
        surveillance=audits.get((org, SURVEILLANCE), []),
        recertification=audits.get((org, RECERTIFICATION), []),
        recertified=recertified,
        today=today,
    )


def stored_cycle(certificate, audits) -> dict:
    """The fields ``refresh_cycles`` stores: the next surveillance and the recertification."""
    org = certificate.organization_id
    body = certificate.certification_body if certificate.certification_body_id else None
    lead = body.recertification_lead_days if body else None
    recert_due = rules.recertification_due(certificate.expires_on, lead)
    plan = rules.surveillance_plan(
        decision=certificate.decision_date,
        expiry=certificate.expires_on,
        recertification_due=recert_due,
        held=[a.held_on for a in audits.get((org, SURVEILLANCE), [])],
        recertification_held=[a.held_on for a in audits.get((org, RECERTIFICATION), [])],
    )
    upcoming = plan.next
    return {
        "surveillance_due": upcoming.due if upcoming else None,
        "surveillance_number": upcoming.number if upcoming else None,
        "recertification_audit_due": recert_due,
    }


FIELDS = ["surveillance_due", "surveillance_number", "recertification_audit_due"]


def _store(model, rows) -> None:
    """Write the stored cycle of many certificates in one statement.

    ``UPDATE … FROM (VALUES …)`` (SQLite ≥ 3.33, PostgreSQL): ``bulk_update``'s CASE per row
    costs seconds per thousand rows in Python; this costs milliseconds.
    """
    from django.db import connection

    names = [*FIELDS, "cycle_refreshed_at"]
    fields = [model._meta.get_field(name) for name in names]
    if connection.vendor not in ("sqlite", "postgresql"):  # pragma: no cover - other vendors
        objs = [model(pk=pk, **dict(zip(names, values, strict=True))) for pk, *values in rows]
        model.objects.bulk_update(objs, names)
        return
    pg = connection.vendor == "postgresql"
    casts = ["::date", "::integer", "::date", "::timestamptz"] if pg else [""] * 4
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    sets = ", ".join(
        f"{quote(f.column)} = v.column{i + 2}{cast}"
        for i, (f, cast) in enumerate(zip(fields, casts, strict=True))
    )
    values = ", ".join(["(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"] * len(rows))
    params = []
    for pk, *row in rows:
        params.append(pk)
        params += [
            f.get_db_prep_save(value, connection) for f, value in zip(fields, row, strict=True)
        ]
    id_cast = "::bigint" if pg else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {sets} FROM (VALUES {values}) AS v "  # noqa: S608  (names from the model, values bound)
            f"WHERE {table}.{quote('id')} = v.column1{id_cast}",
            params,
        )


def refresh_cycles(certificates, *, certificate_model=None, audit_model=None, batch_size=1000):
    """Recompute and store the cycle of ``certificates`` (a queryset), in batches.

    Constant queries per batch: the certificates, their organisations' audits, one update.
    The model arguments let a migration pass its historical models.
    """
    if certificate_model is None:
        from audits.models import Audit

        from .models import Certificate

        certificate_model, audit_model = Certificate, Audit
    now = timezone.now()
    ids = list(certificates.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        batch = list(
            certificate_model.objects.filter(pk__in=ids[start : start + batch_size])
            .select_related("certification_body")
            .only(
                "id",
                "organization_id",
                "decision_date",
                "expires_on",
                "certification_body__recertification_lead_days",
            )
        )
        audits = audits_by_org(
            audit_model.objects.filter(organization_id__in={c.organization_id for c in batch})
        )
        rows = []
        for certificate in batch:
            stored = stored_cycle(certificate, audits)
            rows.append((certificate.pk, *(stored[name] for name in FIELDS), now))
        if rows:
            _store(certificate_model, rows)
    return len(ids)


# --- keeping the stored cycle fresh ------------------------------------------------------


def _audit_changed(sender, instance, **kwargs):
    from .models import Certificate

    refresh_cycles(Certificate.objects.filter(organization_id=instance.organization_id))


def _body_changed(sender, instance, **kwargs):
    from .models import Certificate

    refresh_cycles(Certificate.objects.filter(certification_body_id=instance.pk))


def connect_signals():
    """Audits and certification bodies live below this app: listen, never import upward."""
    from audits.models import Audit, CertificationBody

    post_save.connect(_audit_changed, sender=Audit, dispatch_uid="certification-cycle-audit")
    post_delete.connect(_audit_changed, sender=Audit, dispatch_uid="certification-cycle-audit-del")
    post_save.connect(
        _body_changed, sender=CertificationBody, dispatch_uid="certification-cycle-cb"
    )
