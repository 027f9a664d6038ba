"""People, organisations, the gap assessment, notifications and readiness snapshots."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from itsms.accounts.tokens import api_token_create
from itsms.models import (
    Clause,
    ClauseAssessment,
    GapAssessment,
    Invitation,
    Membership,
    Notification,
    Organization,
    ReadinessSnapshot,
    Role,
    User,
)

from .base import Context

CONSULTANT_EMAIL = "consultant@bench.example"
CONSULTANT_PASSWORD = "Bench-consultant-2026"  # noqa: S105 (a throw-away bench database)
BIG_SLUG = "northwind"
STATUSES = ("not_started", "planned", "partial", "implemented")
MATURITY = {"not_started": 0, "planned": 1, "partial": 2, "implemented": 3}


def load_clauses(ctx: Context) -> None:
    """The 2018 clause tree shipped by ``migrate``; its leaves are the requirement clauses."""
    clauses = Clause.objects.filter(standard__code="iso20000-1-2018").order_by("order")
    ctx.clauses = {c.number: c for c in clauses}
    parents = set(
        Clause.objects.filter(standard__code="iso20000-1-2018", parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    ctx.leaves = [c for c in ctx.clauses.values() if c.pk not in parents]


def _users(ctx: Context, rows) -> list[User]:
    unusable = make_password(None)  # one hash for all: none of them signs in
    users = [User(email=email, full_name=name, password=unusable) for email, name in rows]
    return ctx.bulk(User, users)


def build_people(ctx: Context) -> dict:
    """The consultant, the big organisation, its clients and the scan's tenants, with members."""
    scale = ctx.scale
    consultant = User(email=CONSULTANT_EMAIL, full_name="Bench Consultant")
    consultant.set_password(CONSULTANT_PASSWORD)
    consultant.save()
    ctx.counts["itsms.User"] = 1
    big = Organization(
        name="Northwind Harbour Group",
        slug=BIG_SLUG,
        time_zone="Asia/Shanghai",
        language="en",
        scope="IT services for retail banking and logistics customers; Shanghai and Hong Kong "
        "data centres; the service desk in Shenzhen.",
        created_by=consultant,
    )
    clients = [
        Organization(
            name=f"Client {i:03d} {ctx.rng.choice(('Bank', 'Logistics', 'Insurance', 'Telecom'))}",
            slug=f"client-{i:03d}",
            time_zone=ctx.time_zone(),
            language=ctx.rng.choice(("en", "en", "zh-hans")),
            scope=ctx.sentence(12),
            created_by=consultant,
        )
        for i in range(1, scale.clients + 1)
    ]
    tenants = [
        Organization(
            name=f"Tenant {i:04d}",
            slug=f"tenant-{i:04d}",
            time_zone=ctx.time_zone(),
            language=ctx.rng.choice(("en", "zh-hans")),
            scope=ctx.sentence(10),
        )
        for i in range(1, scale.scan_organizations + 1)
    ]
    ctx.bulk(Organization, [big, *clients, *tenants])

    staff = [("admin@northwind.example", "Ada Admin")]
    staff += [(f"contributor{i:02d}@northwind.example", f"Contributor {i}") for i in range(1, 11)]
    staff += [("auditor1@northwind.example", "Ivy Internal Auditor")]
    staff += [("viewer1@northwind.example", "Max Manager"), ("viewer2@northwind.example", "Mia")]
    staff += [("lead@huaxin.example", "Hu Lead Auditor")]  # the certification body's auditor
    staff_users = _users(ctx, staff)
    roles = [Role.ADMIN] + [Role.CONTRIBUTOR] * 10 + [Role.AUDITOR] + [Role.VIEWER] * 2
    memberships = [Membership(organization=big, user=consultant, role=Role.CONSULTANT)]
    memberships += [
        Membership(organization=big, user=u, role=r)
        for u, r in zip(staff_users[:-1], roles, strict=True)
    ]
    ctx.people = {
        "consultant": consultant,
        "admin": staff_users[0],
        "contributors": staff_users[1:11],
        "auditor": staff_users[11],
        "external_auditor": staff_users[-1],
    }
    client_users = _users(
        ctx,
        [
            (f"{kind}@{org.slug}.example", f"{kind.title()} of {org.name}")
            for org in clients
            for kind in ("admin", "contributor")
        ],
    )
    for i, org in enumerate(clients):
        memberships += [
            Membership(organization=org, user=consultant, role=Role.CONSULTANT),
            Membership(organization=org, user=client_users[2 * i], role=Role.ADMIN),
            Membership(organization=org, user=client_users[2 * i + 1], role=Role.CONTRIBUTOR),
        ]
    tenant_users = _users(
        ctx, [(f"admin@{org.slug}.example", f"Admin of {org.name}") for org in tenants]
    )
    memberships += [
        Membership(organization=org, user=user, role=Role.ADMIN)
        for org, user in zip(tenants, tenant_users, strict=True)
    ]
    ctx.bulk(Membership, memberships)
    _token, key = api_token_create(user=consultant, name="bench", days=365)
    ctx.ids.update(
        big_slug=big.slug,
        consultant_email=consultant.email,
        consultant_password=CONSULTANT_PASSWORD,
        token=key,
        organizations=1 + len(clients) + len(tenants),
        consultant_organizations=1 + len(clients),
    )
    owners = {
        org.pk: [client_users[2 * i], client_users[2 * i + 1]] for i, org in enumerate(clients)
    }
    return {"big": big, "clients": clients, "tenants": tenants, "client_owners": owners}


def _assessment_rows(ctx: Context, org, owners, bias: float) -> list[ClauseAssessment]:
    rows = []
    for clause in ctx.leaves:
        weights = (1 - bias, 1, 1 + bias, 1 + 2 * bias)
        status = ctx.rng.choices(STATUSES, weights=weights)[0]
        target = None
        if status != "implemented" and ctx.rng.random() < 0.7:
            target = ctx.days_ago(-120, 60)  # a quarter of them overdue
        rows.append(
            ClauseAssessment(
                organization=org,
                clause=clause,
                status=status,
                maturity=MATURITY[status] + ctx.rng.choice((0, 0, 1)),
                owner=ctx.rng.choice(owners),
                target_date=target,
                notes=ctx.paragraph(ctx.rng.randint(1, 4)),
                other_party=ctx.rng.choice(("", "", "", "", "external_supplier")),
                updated_by=owners[0],
            )
        )
    for row in rows:
        if row.other_party:
            row.other_party_name = "Harbour Outsourcing Ltd"
    return rows


def build_assessments(ctx: Context, orgs: dict) -> None:
    """Every organisation of the portfolio has its gap assessment of all 57 requirement clauses;
    the big one also a history of changes (the dashboard's "what changed this week")."""
    consultant = ctx.people["consultant"]
    big = orgs["big"]
    portfolio = [big, *orgs["clients"]]
    ctx.bulk(
        GapAssessment, [GapAssessment(organization=o, started_by=consultant) for o in portfolio]
    )
    big_rows = ctx.bulk(
        ClauseAssessment, _assessment_rows(ctx, big, ctx.people["contributors"], bias=0.6)
    )
    rows = []
    for org in orgs["clients"]:
        rows += _assessment_rows(ctx, org, orgs["client_owners"][org.pk], ctx.rng.random())
    ctx.bulk(ClauseAssessment, rows)
    history = ClauseAssessment.history
    now = timezone.now()
    for days in (60, 30, 14, 6, 3, 1):
        changed = ctx.rng.sample(big_rows, k=min(len(big_rows), 20))
        history.bulk_history_create(
            changed,
            update=True,
            default_user=ctx.rng.choice(ctx.people["contributors"]),
            default_date=now - timedelta(days=days, hours=ctx.rng.randint(0, 20)),
        )
        ctx.counts["itsms.HistoricalClauseAssessment"] = ctx.counts.get(
            "itsms.HistoricalClauseAssessment", 0
        ) + len(changed)


def build_extras(ctx: Context, orgs: dict) -> None:
    """Notifications of the consultant, readiness snapshots, pending invitations."""
    big, consultant = orgs["big"], ctx.people["consultant"]
    notes = [
        Notification(
            organization=big,
            user=consultant,
            text=ctx.sentence(9),
            url=f"/o/{big.slug}/evidence/",
            read_at=None if i < 40 else timezone.now(),
        )
        for i in range(200)
    ]
    ctx.bulk(Notification, notes)
    snapshots = []
    for i in range(90, -1, -1):
        progress = 90 - i
        snapshots.append(
            ReadinessSnapshot(
                organization=big,
                day=ctx.today - timedelta(days=i),
                self_assessed=min(100, 30 + progress // 3),
                evidenced=min(100, 10 + progress // 4),
            )
        )
    ctx.bulk(ReadinessSnapshot, snapshots)
    invitations = [
        Invitation(
            organization=big,
            email=f"invitee{i}@northwind.example",
            role=Role.CONTRIBUTOR,
            token_hash=f"{ctx.rng.getrandbits(256):064x}",
            invited_by=consultant,
            expires_at=timezone.now() + timedelta(days=7),
        )
        for i in range(5)
    ]
    ctx.bulk(Invitation, invitations)
