"""Reads of the certification app that span organisations."""

from __future__ import annotations

from datetime import date

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from audits.models import CertificationBody, CorrectiveAction
from itsms.models import Organization
from itsms.shared.permissions import member_organizations

from . import deadlines as dl
from .models import Certificate


def bodies_to_copy(user, organization) -> list[CertificationBody]:
    """Certification bodies the user already works with in their *other* organisations.

    Only organisations the user is a member of (never another consultant's clients, never
    one the user merely audits), and only names this organisation does not have yet; one
    row per name (the most recently recorded).
    """
    taken = CertificationBody.objects.filter(organization=organization).values("name")
    rows = (
        CertificationBody.objects.filter(organization__in=member_organizations(user))
        .exclude(organization=organization)
        .exclude(name__in=taken)
        .select_related("organization")
        .order_by("name", "-pk")
    )
    seen, result = set(), []
    for body in rows:
        if body.name not in seen:
            seen.add(body.name)
            result.append(body)
    return result


def _first(queryset, field):
    """The earliest ``field`` of ``queryset`` per organisation, and that row's id (subqueries)."""
    ordered = queryset.filter(organization=OuterRef("pk")).order_by(field, "pk")
    return Subquery(ordered.values(field)[:1]), Subquery(ordered.values("pk")[:1])


def next_deadlines(organizations, today: date, kinds=None) -> dict[int, dl.Deadline]:
    """Each organisation's next deadline — surveillance, nonconformity response or
    recertification audit, overdue ones first — with its title and date. ``kinds`` narrows
    it to some of ``("surveillance", "recertification", "nc-response")``.

    Computed in SQL for any number of organisations: one query with a correlated subquery
    per kind (each an index range on (organization, date)), then one query per kind for the
    winners' titles. Four queries in all.
    """
    current = dl.current_certificates(Certificate.objects.all(), today).annotate(
        cutoff=dl.transition_cutoff_expr()
    )
    running = current.exclude(dl.transition_invalid_q(today))
    surveillance_due, surveillance_id = _first(
        running.filter(surveillance_due__isnull=False), "surveillance_due"
    )
    recert_due, recert_id = _first(running, "recertification_audit_due")
    nc_due, nc_id = _first(dl.open_actions(CorrectiveAction.objects.all()), "due")
    rows = (
        Organization.objects.filter(pk__in=organizations.values("pk"))
        if hasattr(organizations, "values")
        else Organization.objects.filter(pk__in=[o.pk for o in organizations])
    )
    rows = rows.annotate(
        surveillance_due=surveillance_due,
        surveillance_id=surveillance_id,
        recert_due=recert_due,
        recert_id=recert_id,
        nc_due=nc_due,
        nc_id=nc_id,
    ).values(
        "pk", "surveillance_due", "surveillance_id", "recert_due", "recert_id", "nc_due", "nc_id"
    )
    winners: dict[int, tuple[str, int]] = {}
    for row in rows:
        candidates = [
            (row[due], kind, row[pk])
            for kind, due, pk in (
                ("surveillance", "surveillance_due", "surveillance_id"),
                ("recertification", "recert_due", "recert_id"),
                ("nc-response", "nc_due", "nc_id"),
            )
            if row[due] is not None and (kinds is None or kind in kinds)
        ]
        if candidates:
            _due, kind, pk = min(candidates)
            winners[row["pk"]] = (kind, pk)
    cert_ids = [pk for kind, pk in winners.values() if kind != "nc-response"]
    action_ids = [pk for kind, pk in winners.values() if kind == "nc-response"]
    certs = {
        c.pk: c
        for c in Certificate.objects.filter(pk__in=cert_ids)
        .select_related("organization")
        .only(*dl.CERTIFICATE_FIELDS)
    }
    actions = {
        a.pk: a
        for a in dl.open_actions(CorrectiveAction.objects.filter(pk__in=action_ids))
        .select_related("organization", "finding__clause")
        .only(
            *dl.ORG_FIELDS,
            "finding__number",
            "finding__reference",
            "finding__grade",
            "finding__clause__number",
        )
    }
    links = dl.Links()
    result = {}
    for org_id, (kind, pk) in winners.items():
        if kind == "nc-response":
            action = actions[pk]
            org, due = action.organization, action.due
            title = _("Response to %(ref)s (%(grade)s, %(clause)s)") % {
                "ref": action.finding.reference,
                "grade": action.finding.get_grade_display(),
                "clause": action.finding.clause.number if action.finding.clause_id else "—",
            }
            subject_type = "action"
        else:
            cert = certs[pk]
            org = cert.organization
            if kind == "surveillance":
                due = cert.surveillance_due
                title = _("Surveillance audit %(n)s due") % {"n": cert.surveillance_number}
            else:
                due = cert.recertification_audit_due
                title = _("Recertification audit of certificate %(number)s") % {
                    "number": cert.number
                }
            subject_type = "certificate"
        result[org_id] = dl.Deadline(
            organization_id=org_id,
            org_slug=org.slug,
            subject_type=subject_type,
            subject_id=pk,
            kind=kind,
            due=due,
            title=title,
            url=links(subject_type, org.slug, pk),
        )
    return result
