"""Extension points of the core, so that higher apps plug in without the core importing them.

``DASHBOARD_PANELS`` — extra panels of the readiness dashboard.

``next_deadlines`` — providers of each organisation's next certification deadline
(surveillance, nonconformity response, recertification: the certification app), for the
portfolio and the dashboard.

``my_work`` — providers of the items a user is assigned to in an organisation
(clauses here; processes, corrective actions and more from the apps above). A
provider is ``callable(user, organization) -> list[WorkItem]`` and must run a
constant number of queries; register it in the app's ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

MY_WORK_PROVIDERS: list[Callable] = []
#: ``callable(request, organization) -> {"template": str, "context": dict}`` — extra panels
#: of the readiness dashboard (e.g. the process maturity heat map), constant queries each.
DASHBOARD_PANELS: list[Callable] = []
#: ``callable(organizations, today, kinds=None) -> {organization_id: deadline}`` where a
#: deadline has ``kind``, ``due``, ``title`` and ``url``; ``kinds`` narrows it (e.g.
#: ``("surveillance", "recertification")``). A constant number of queries for any number of
#: organisations.
NEXT_DEADLINE_PROVIDERS: list[Callable] = []


@dataclass(frozen=True)
class WorkItem:
    """One thing assigned to a user, shown on "my work"."""

    kind: str  # translated label, e.g. "Clause", "Process"
    reference: str  # e.g. "8.6.1"
    title: str
    url: str
    status: str  # translated status label
    due: date | None = None
    overdue: bool = False


def register_my_work(provider: Callable) -> Callable:
    if provider not in MY_WORK_PROVIDERS:
        MY_WORK_PROVIDERS.append(provider)
    return provider


def my_work(user, organization) -> list[WorkItem]:
    items: list[WorkItem] = []
    for provider in MY_WORK_PROVIDERS:
        items.extend(provider(user, organization))
    return sorted(items, key=lambda i: (i.due is None, i.due or date.max, i.kind, i.reference))


def register_dashboard_panel(panel: Callable) -> Callable:
    if panel not in DASHBOARD_PANELS:
        DASHBOARD_PANELS.append(panel)
    return panel


def register_next_deadlines(provider: Callable) -> Callable:
    if provider not in NEXT_DEADLINE_PROVIDERS:
        NEXT_DEADLINE_PROVIDERS.append(provider)
    return provider


def next_deadlines(organizations, today: date, kinds: tuple[str, ...] | None = None) -> dict:
    """Each organisation's earliest deadline among the providers' (none without a provider)."""
    found: dict = {}
    for provider in NEXT_DEADLINE_PROVIDERS:
        for org_id, deadline in provider(organizations, today, kinds=kinds).items():
            if org_id not in found or deadline.due < found[org_id].due:
                found[org_id] = deadline
    return found
