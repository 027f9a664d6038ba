"""The SMS records of the demo bank (journey 6): a dozen risks on the bank's 1–5 scale with
treatments and owners, five objectives (one measured by the KPI "P1 incidents resolved within
4 h"), the data-centre operator and the bank's own network team with their agreements and
review dates, the 7.5.4 checklist partly linked to approved evidence, and four opportunities for
improvement evaluated against the bank's criteria.

Called by ``seed_demo`` (the top app) once the bank's gap assessment, processes and service
exist; idempotent through its caller (it runs only while the bank has no risk).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from itsms.models import Clause, ClauseAssessment, User
from processes.models import Kpi, ProcessInstance, Service

from . import services
from .models import DocumentChecklistItem, Risk

RISKS = [
    # title, kind, category, (L, I), treatment, (residual L, I) | None, status, owner, processes
    (
        "Power failure at the Shanghai data centre",
        "risk",
        "service",
        (2, 5),
        "transfer",
        (1, 5),
        "monitored",
        "wang",
        ["8.7.2"],
        "Utility outage beyond the UPS and generator autonomy",
        "Online banking unavailable for customers",
    ),
    (
        "Ransomware on the core banking servers",
        "risk",
        "information_security",
        (3, 5),
        "reduce",
        (2, 4),
        "in_treatment",
        "zhao",
        ["8.7.3"],
        "Unpatched servers and phishing",
        "Loss of service and of customer data",
    ),
    (
        "P1 incidents closed without customer confirmation",
        "risk",
        "service",
        (4, 3),
        "reduce",
        (2, 3),
        "in_treatment",
        "zhao",
        ["8.6.1"],
        "Service desk closes tickets once the fix is deployed",
        "Repeat incidents, the audit's minor nonconformity",
    ),
    (
        "Key staff leaving the ITSM team",
        "risk",
        "sms",
        (3, 3),
        "reduce",
        None,
        "in_treatment",
        "wang",
        [],
        "Few people know the processes",
        "Processes stop being followed",
    ),
    (
        "Failed changes in online banking releases",
        "risk",
        "service",
        (3, 4),
        "reduce",
        (2, 4),
        "monitored",
        "zhao",
        ["8.5.1"],
        "Releases tested only in a reduced environment",
        "Outages after releases",
    ),
    (
        "Network team misses its OLA response times",
        "risk",
        "service",
        (3, 3),
        "reduce",
        (2, 3),
        "monitored",
        "wang",
        ["8.3.4"],
        "On-call rota of the network team too thin at night",
        "Longer P1 resolution",
    ),
    (
        "Capacity shortfall at the month-end peak",
        "risk",
        "service",
        (2, 4),
        "accept",
        None,
        "monitored",
        "zhao",
        ["8.4.3"],
        "Salary-day logins triple the load",
        "Slow online banking for two hours",
    ),
    (
        "Phishing of staff credentials",
        "risk",
        "information_security",
        (4, 4),
        "",
        None,
        "identified",
        "zhao",
        ["8.7.3"],
        "Targeted emails to branch staff",
        "Fraudulent access to customer accounts",
    ),
    (
        "New outsourcing rules of the regulator",
        "risk",
        "sms",
        (2, 3),
        "accept",
        None,
        "monitored",
        "li",
        ["8.3.4"],
        "Draft rules on IT outsourcing published",
        "Supplier contracts to be renegotiated",
    ),
    (
        "Backups not restored in a test for a year",
        "risk",
        "information_security",
        (3, 4),
        "reduce",
        (1, 4),
        "monitored",
        "zhao",
        ["8.7.2"],
        "No restore test in the plan",
        "Data not recoverable after an incident",
    ),
    (
        "Automate incident categorisation with the new ITSM tool",
        "opportunity",
        "sms",
        (3, 3),
        "",
        None,
        "identified",
        "zhao",
        ["8.6.1"],
        "The tool's classifier is included in the licence",
        "Faster routing of incidents",
    ),
    (
        "Reuse the bank's information security controls for 8.7.3",
        "opportunity",
        "information_security",
        (4, 3),
        "",
        None,
        "in_treatment",
        "li",
        ["8.7.3"],
        "The bank's information security management is already certified",
        "Less work for the information security clauses",
    ),
]

ACTIONS = {
    "Ransomware on the core banking servers": [
        ("Roll out endpoint detection to all core banking servers", "zhao", 20, "in_progress"),
        ("Test the offline backup restore of the core banking database", "zhao", 45, "planned"),
    ],
    "P1 incidents closed without customer confirmation": [
        ("Add customer confirmation to the incident procedure", "zhao", -5, "done"),
        ("Train the service desk on the new closure step", "wang", 15, "planned"),
    ],
    "Key staff leaving the ITSM team": [
        ("Cross-train two people per process", "wang", 60, "planned"),
    ],
    "Power failure at the Shanghai data centre": [
        (
            "Agree generator fuel delivery within 4 h with the data-centre operator",
            "wang",
            -30,
            "done",
        ),
    ],
}

OBJECTIVES = [
    # title, kpi?, target, unit, current, due (days), owner, status, measure
    (
        "Resolve P1 incidents within 4 hours",
        True,
        None,
        "",
        None,
        240,
        "zhao",
        "in_progress",
        "Share of P1 incidents resolved within 4 h, each month",
    ),
    (
        "Keep online banking available 99.9 % of the month",
        False,
        "99.9",
        "%",
        "99.95",
        300,
        "wang",
        "in_progress",
        "Monthly availability from the monitoring system",
    ),
    (
        "Customer satisfaction with the service desk of 4.2 out of 5",
        False,
        "4.2",
        "",
        "4.0",
        270,
        "zhao",
        "in_progress",
        "Quarterly survey of branch staff",
    ),
    (
        "98 % of changes successful",
        False,
        "98",
        "%",
        "97.1",
        180,
        "zhao",
        "in_progress",
        "Changes without incident or rollback, each month",
    ),
    (
        "Test every service continuity plan once a year",
        False,
        "100",
        "%",
        "50",
        330,
        "wang",
        "planned",
        "Plans tested in the last 12 months",
    ),
]

EVIDENCE = [
    # checklist key, title, kind, approved?
    ("scope", "SMS scope statement", "policy", True),
    ("policy", "Service management policy", "policy", True),
    ("service-catalogue", "Service catalogue 2026", "record", True),
    ("change-policy", "Change management policy", "policy", True),
    ("security-policy", "Information security policy", "policy", True),
    ("continuity-plans", "Service continuity plan: online banking", "plan", False),
]


def seed_sms(bank) -> int:
    """The bank's SMS records; returns 1 when it created them, 0 when they existed."""
    if Risk.objects.filter(organization=bank).exists():
        return 0
    people = {
        "li": User.objects.get(email="li@northbridge.example"),
        "wang": User.objects.get(email="wang@ehbank.example"),
        "zhao": User.objects.get(email="zhao@ehbank.example"),
    }
    wang = people["wang"]
    today = bank.local_today()
    processes = {
        p.clause.number: p
        for p in ProcessInstance.objects.filter(organization=bank).select_related("clause")
    }
    online = Service.objects.filter(organization=bank, name="Online banking").first()
    services.settings_ensure(bank)  # the bank's 1–5 scale (the defaults, recorded)

    for index, row in enumerate(RISKS):
        (
            title,
            kind,
            category,
            (lk, im),
            treatment,
            residual,
            status,
            owner,
            numbers,
            cause,
            consequence,
        ) = row
        risk = services.risk_create(
            organization=bank,
            actor=wang,
            title=title,
            kind=kind,
            category=category,
            cause=cause,
            consequence=consequence,
            likelihood=lk,
            impact=im,
            treatment=treatment,
            residual_likelihood=residual[0] if residual else None,
            residual_impact=residual[1] if residual else None,
            status=status,
            owner=people[owner],
            review_by=today + timedelta(days=10 + 25 * index),
            links={
                "processes": [processes[n] for n in numbers if n in processes],
                "services": [online] if online and category != "sms" else [],
                "clauses": list(
                    Clause.objects.filter(
                        standard__code="iso20000-1-2018", number__in=["6.1", *numbers]
                    )
                ),
            },
        )
        for description, who, days, action_status in ACTIONS.get(title, []):
            services.action_create(
                risk=risk,
                actor=wang,
                description=description,
                owner=people[who],
                due_date=today + timedelta(days=days),
                status=action_status,
            )

    kpi = Kpi.objects.filter(organization=bank, name="P1 incidents resolved within 4 h").first()
    for title, by_kpi, target, unit, current, due, owner, status, measure in OBJECTIVES:
        services.objective_create(
            organization=bank,
            actor=wang,
            title=title,
            measure=measure,
            kpi=kpi if by_kpi else None,
            target=Decimal(target) if target else None,
            unit=unit,
            current_value=Decimal(current) if current and not by_kpi else None,
            due_date=today + timedelta(days=due),
            owner=people[owner],
            status=status,
            review_by=today + timedelta(days=90),
            plan_what="Monthly review of the measure in the service review meeting",
            plan_resources="The process owner and the ITSM tool's reports",
            plan_responsible=people[owner].full_name,
            plan_when=(today + timedelta(days=due)).isoformat(),
            plan_evaluation="Compared with the target each month; trend in the management review",
            links={"services": [online] if online else []},
        )

    datacentre = services.supplier_create(
        organization=bank,
        actor=wang,
        title="Harbour Data Centre Co.",
        kind="external_supplier",
        description="Colocation of the Shanghai data centre: power, cooling, physical security",
        contact="Service manager: Ma Jun, +86 21 5555 0101",
        owner=wang,
        review_by=today + timedelta(days=20),
    )
    network = services.supplier_create(
        organization=bank,
        actor=wang,
        title="Network Operations Team",
        kind="internal_supplier",
        description="The bank's own WAN, branch and data-centre network",
        contact="Team lead: Sun Hao, ext. 4410",
        owner=wang,
        review_by=today + timedelta(days=60),
    )
    vendor = services.supplier_create(
        organization=bank,
        actor=wang,
        title="Sino Core Systems",
        kind="external_supplier",
        description="Core banking software: licences, third-line support",
        owner=people["zhao"],
        review_by=today + timedelta(days=120),
    )
    assessments = {
        a.clause.number: a
        for a in ClauseAssessment.objects.filter(
            organization=bank, clause__number__in=["8.7.2", "8.4.3"]
        ).select_related("clause")
    }
    if "8.7.2" in assessments:
        services.supplier_set_clauses(
            supplier=datacentre, actor=wang, assessments=[assessments["8.7.2"]]
        )
    if "8.4.3" in assessments:
        services.supplier_set_clauses(
            supplier=network, actor=wang, assessments=[assessments["8.4.3"]]
        )

    colocation = services.agreement_create(
        organization=bank,
        actor=wang,
        title="Colocation contract, Shanghai data centre",
        kind="contract",
        supplier=datacentre,
        agreement_number="EHB-DC-2024-07",
        starts_on=today - timedelta(days=700),
        ends_on=today + timedelta(days=395),
        targets="Power availability 99.99 % a month\nOn-site response to a P1 within 30 minutes",
        owner=wang,
        review_by=today + timedelta(days=20),
        links={"services": [online] if online else []},
    )
    services.review_record(
        agreement=colocation,
        actor=wang,
        held_on=today - timedelta(days=170),
        rating=4,
        notes="Targets met; one generator test overran by 20 minutes",
        actions="Operator to send the generator test report each quarter",
    )
    ola = services.agreement_create(
        organization=bank,
        actor=wang,
        title="Operational level agreement with the network team",
        kind="ola",
        supplier=network,
        agreement_number="OLA-NET-01",
        starts_on=today - timedelta(days=400),
        targets="Respond to a P1 network incident within 15 minutes\nRestore within 2 hours",
        owner=wang,
        review_by=today + timedelta(days=60),
        links={"services": [online] if online else []},
    )
    services.review_record(
        agreement=ola,
        actor=wang,
        held_on=today - timedelta(days=80),
        rating=2,
        notes="Two night-time P1s answered after 40 minutes",
        actions="Second on-call engineer at night from next month",
    )
    services.agreement_create(
        organization=bank,
        actor=wang,
        title="Online banking service level agreement",
        kind="sla",
        customer="Retail Banking Division",
        agreement_number="SLA-OB-2026",
        starts_on=today - timedelta(days=200),
        targets="Availability 99.9 % a month\nP1 response 15 minutes, resolution 4 hours",
        owner=wang,
        review_by=today + timedelta(days=90),
        links={"services": [online] if online else []},
    )
    services.agreement_create(
        organization=bank,
        actor=people["zhao"],
        title="Core banking software support",
        kind="contract",
        supplier=vendor,
        agreement_number="SCS-2025-118",
        starts_on=today - timedelta(days=300),
        ends_on=today + timedelta(days=65),
        targets="Third-line response to a severity 1 call within 1 hour",
        owner=people["zhao"],
        review_by=today + timedelta(days=35),
    )

    _documents(bank, people, today)
    _improvements(bank, people, today)
    return 1


CRITERIA = (
    "Effect on the services and their customers; cost and effort; the risk of not doing it; "
    "fit with the service management objectives."
)

IMPROVEMENTS = [
    # title, source, source reference, status, owner, evaluation, benefit, decision,
    # days until the target (or since it was implemented), review of the effect
    (
        "Automate the change calendar collision check",
        "audit",
        "Internal audit 2026, observation on 8.5.1",
        "in_progress",
        "zhao",
        "High benefit: three emergency changes collided in a quarter; low cost (a script).",
        "high",
        "Build it before the stage 2 audit.",
        30,
        "",
    ),
    (
        "Tell customers when a P1 incident is resolved, not only when it is closed",
        "customer",
        "Complaint from the retail branch network",
        "implemented",
        "zhao",
        "Medium cost, high effect on customer satisfaction.",
        "high",
        "Add a resolution notice to the P1 procedure.",
        -20,
        "",
    ),
    (
        "Self-service password resets for branch staff",
        "staff",
        "Service desk team meeting",
        "evaluated",
        "wang",
        "Would take a third of the service desk's calls; needs an identity project first.",
        "medium",
        "",
        None,
        "",
    ),
    (
        "Review supplier performance every quarter instead of every year",
        "management_review",
        "Management review of the first half-year",
        "reviewed",
        "wang",
        "Low cost; the data-centre contract ends within the cycle.",
        "medium",
        "Quarterly reviews from now on.",
        -60,
        "Two reviews held; the data-centre operator's rating is recorded each time.",
    ),
]


def _improvements(bank, people, today) -> None:
    """The bank's criteria for improvements and four opportunities at different steps."""
    services.settings_update(organization=bank, actor=people["li"], improvement_criteria=CRITERIA)
    for (
        title,
        source,
        ref,
        status,
        owner,
        evaluation,
        benefit,
        decision,
        days,
        review,
    ) in IMPROVEMENTS:
        implemented = status in ("implemented", "reviewed")
        services.improvement_create(
            organization=bank,
            actor=people["li"],
            title=title,
            source=source,
            source_reference=ref,
            raised_on=today - timedelta(days=90),
            evaluation=evaluation,
            benefit=benefit,
            decision=decision,
            target_date=today + timedelta(days=days) if days is not None else None,
            implemented_on=today + timedelta(days=days) if implemented else None,
            review_notes=review,
            status=status,
            owner=people[owner],
            review_by=today + timedelta(days=60),
        )


def _documents(bank, people, today) -> None:
    """A few approved documents as evidence, linked to their 7.5.4 items; the rest missing."""
    from itsms.evidence import services as evidence

    li = people["li"]
    services.checklist_ensure(bank)
    items = {
        i.requirement.key: i
        for i in DocumentChecklistItem.objects.filter(organization=bank).select_related(
            "requirement__clause"
        )
    }
    for key, title, kind, approved in EVIDENCE:
        item = items[key]
        upload = SimpleUploadedFile(f"{key}.md", f"# {title}\n\n{bank.name}\n".encode())
        document = evidence.evidence_create(
            organization=bank,
            actor=people["wang"],
            upload=upload,
            title=title,
            kind=kind,
            owner=people["wang"],
            review_by=today + timedelta(days=365),
            clauses=[item.requirement.clause],
        )
        evidence.evidence_transition(evidence=document, actor=people["wang"], to="in_review")
        if approved:
            evidence.evidence_transition(evidence=document, actor=li, to="approved")
        services.checklist_item_update(item=item, actor=li, evidence=[document])
