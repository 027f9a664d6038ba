"""What the readiness dashboard and the readiness report (PDF) show, built once for both.

``readiness_context`` reads the organisation's tree, scores, gaps, overdue targets, the trend
and this week's changes in a constant number of queries; the dashboard adds its panels, the
PDF its generation time. The trend's last point is today's score, so the chart ends where
the headline figure stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from itsms.models import Status

from . import readiness
from . import selectors as gap

#: Statuses that are gaps, most urgent first.
GAP_ORDER = {Status.NOT_STARTED: 0, Status.PLANNED: 1, Status.PARTIAL: 2}
TOP_GAPS = 10
CHANGES_SHOWN = 12


@dataclass(frozen=True)
class TrendPoint:
    day: date
    self_assessed: int
    evidenced: int


def trend_points(snapshots, *, today: date, self_assessed: int, evidenced: int) -> list:
    """The daily snapshots, with today's point replaced (or added) by today's live score."""
    points = [TrendPoint(s.day, s.self_assessed, s.evidenced) for s in snapshots if s.day < today]
    points.append(TrendPoint(today, self_assessed, evidenced))
    return points


def trend_chart(points, width=420, height=120):
    """Polyline points of the self-assessed and evidenced readiness over time (inline SVG)."""
    if len(points) < 2:
        return None
    first, last = points[0].day, points[-1].day
    span = max(1, (last - first).days)

    def line(attr):
        return " ".join(
            f"{30 + (p.day - first).days * (width - 40) / span:.1f},"
            f"{height - 15 - getattr(p, attr) * (height - 25) / 100:.1f}"
            for p in points
        )

    return {
        "self_assessed": line("self_assessed"),
        "evidenced": line("evidenced"),
        "first": first,
        "last": last,
        "latest": points[-1],
        "width": width,
        "height": height,
    }


def readiness_context(organization, *, with_trend: bool = True, with_changes: bool = True):
    """Everything both the dashboard and the PDF show about the organisation's readiness."""
    nodes, score = gap.assessment_tree(organization, with_correlations=False)
    today = organization.local_today()
    leaves = [n for n in nodes if n["assessment"] is not None]
    started = bool(leaves)
    statuses = {n["clause"].number: n["assessment"].status for n in leaves}
    evidenced = gap.evidenced_readiness_of(organization, statuses=statuses)
    evidenced_chapters = dict(evidenced.chapters())
    titles = {n["clause"].number: n["clause"].title for n in nodes if n["is_heading"]}
    chapters = [
        {
            "number": number,
            "title": titles.get(number, ""),
            "percent": pct,
            "evidenced": evidenced_chapters.get(number, 0),
        }
        for number, pct in score.chapters()
    ]
    overdue = sorted(
        (n for n in leaves if n["assessment"].is_overdue(today)),
        key=lambda n: (n["assessment"].target_date, n["clause"].order),
    )
    gaps = sorted(
        (n for n in leaves if n["assessment"].status in GAP_ORDER),
        key=lambda n: (GAP_ORDER[n["assessment"].status], n["clause"].order),
    )[:TOP_GAPS]
    context = {
        "organization": organization,
        "today": today,
        "started": started,
        "nodes": nodes,
        "score": score,
        "evidenced": evidenced,
        "chapters": chapters,
        "bars_height": 10 * len(chapters),
        "weakest": sorted(chapters, key=lambda c: c["percent"])[:2] if started else [],
        "gaps": gaps,
        "overdue": overdue,
        "rule": readiness.RULE_TEXT,
    }
    if with_trend:
        points = trend_points(
            gap.readiness_trend(organization),
            today=today,
            self_assessed=score.overall_percent,
            evidenced=evidenced.overall_percent,
        )
        context["trend"] = trend_chart(points) if started else None
    if with_changes:
        changes = gap.changes_since(organization, timezone.now() - timedelta(days=7))
        context["changes"] = changes[:CHANGES_SHOWN]
        context["more_changes"] = max(0, len(changes) - CHANGES_SHOWN)
    return context
