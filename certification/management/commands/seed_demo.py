"""Demo data for the embedded mode, following the journeys: idempotent (a second run adds nothing).

Lives in the top app so that it may use every app: core organisations and users, a started
gap assessment, processes with a KPI, a service, a stage 2 audit with findings, a
certification project and certificates, and the bank's SMS records (``sms.demo``).
"""

from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction

from itsms.models import Organization, User
from itsms.tenancy.demo import seed_core
from sms.demo import seed_sms


def ready_in_words(created: int) -> str:
    """What the demo holds, in a sentence (the run command's banner shows it)."""
    from itsms.tenancy.demo import ORGANIZATIONS, USERS

    names = " and ".join(o["name"] for o in ORGANIZATIONS)
    people = len(USERS) + 1  # and the site admin
    done = f"{created} records added now" if created else "nothing to add, it was already there"
    return f"Demo data ready: {names}, {people} people to sign in as ({done})."


class Command(BaseCommand):
    help = "Create the demo organisations, one user per role and journey data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true")

    @transaction.atomic
    def handle(self, *args, quiet=False, **options):
        from itsms.notifications.services import silenced

        with silenced():  # demo history is not news: nobody is notified of it
            created = self.seed()
        if not quiet:
            self.stdout.write(ready_in_words(created))

    def seed(self) -> int:
        created = seed_core()
        bank = Organization.objects.get(slug="eastern-harbour-bank")
        if not bank.clauseassessment_set.exists():
            created += self.seed_bank(bank)
        created += seed_sms(bank)  # its SMS records (journey 6), once
        meridian = Organization.objects.get(slug="meridian-logistics")
        if not meridian.certificate_set.exists():
            created += self.seed_meridian(meridian)
        return created

    def seed_bank(self, bank) -> int:
        from audits import services as audits
        from audits.models import AuditAssignment, AuditKind
        from certification import services as certification
        from itsms.assessment import services as gap
        from itsms.models import Clause, ClauseAssessment
        from processes import services as processes
        from processes.models import ProcessInstance

        li = User.objects.get(email="li@northbridge.example")
        wang = User.objects.get(email="wang@ehbank.example")
        zhao = User.objects.get(email="zhao@ehbank.example")
        chen = User.objects.get(email="chen@huaxin.example")
        sun = User.objects.get(email="sun@ehbank.example")
        today = bank.local_today()

        gap.gap_assessment_start(organization=bank, actor=li)
        # The bank is at step 5 (the certification audit): the SMS runs, stage 1 and stage 2
        # are held; what is left is the stage 2 minor on incident management (8.6) and the
        # management review's inputs (9.3), and improvement (10) still growing.
        plan = {
            "4": "implemented",
            "5": "implemented",
            "6": "implemented",
            "7": "implemented",
            "8": "implemented",
            "9": "implemented",
            "10": "partial",
        }
        for row in ClauseAssessment.objects.filter(organization=bank).select_related("clause"):
            chapter = row.clause.number.split(".")[0]
            changes = {
                "status": plan[chapter],
                "maturity": {"implemented": 3, "partial": 2, "planned": 1}.get(plan[chapter], 0),
            }
            if row.clause.number.startswith("8.6."):
                changes.update(
                    owner=zhao, target_date=today + timedelta(days=45), status="partial", maturity=2
                )
            if row.clause.number == "9.3":
                changes.update(
                    owner=wang, target_date=today - timedelta(days=10), status="partial", maturity=2
                )
            gap.assessment_update(assessment=row, actor=li, **changes)

        processes.process_instances_ensure(bank)
        incident = ProcessInstance.objects.get(organization=bank, clause__number="8.6.1")
        processes.process_instance_update(
            instance=incident,
            actor=wang,
            version=incident.version,
            owner=zhao,
            status="partial",
            maturity=2,
            purpose="Restore normal service as quickly as possible",
        )
        kpi = processes.kpi_create(
            process=incident,
            actor=zhao,
            name="P1 incidents resolved within 4 h",
            target=Decimal("95"),
            unit="%",
            period="monthly",
            direction="higher",
        )
        month = today.replace(day=1)
        for i, value in enumerate(("91.5", "93.0", "96.2")):
            start = (month - timedelta(days=31 * (3 - i))).replace(day=1)
            processes.kpi_value_record(
                kpi=kpi, actor=zhao, period_start=start, value=Decimal(value)
            )
        processes.service_create(
            organization=bank,
            actor=wang,
            name="Online banking",
            description="Retail online and mobile banking",
            customers="Retail customers",
            status="catalogue",
            availability_target=Decimal("99.9"),
            processes=[incident],
            clauses=[Clause.objects.get(standard__code="iso20000-1-2018", number="8.6.1")],
            sla_targets={"P1": (15, 240), "P2": (30, 480)},
        )

        body = audits.body_create(
            organization=bank,
            actor=li,
            name="Huaxin Certification",
            accreditation="CNAS",
        )
        project = certification.project_ensure(organization=bank, actor=li)
        certification.project_update(
            project=project,
            actor=li,
            certification_body=body,
            target_stage1=today - timedelta(days=40),
        )
        # Steps 1 to 4 done; of step 5 the audits and the closing meeting (the responses to
        # the stage 2 nonconformity are still due).
        for step in project.steps.filter(number__lte=5).prefetch_related("items"):
            for item in step.items.all():
                if item.key not in ("5.4",):
                    certification.item_toggle(item=item, actor=li, done=True)

        whole_sms = list(
            Clause.objects.filter(standard__code="iso20000-1-2018", parent__isnull=True).exclude(
                number__in=["1", "2", "3"]
            )
        )
        # The internal audit of the whole SMS (9.2), before the certification body is called.
        internal = audits.audit_create(
            organization=bank,
            actor=wang,
            kind=AuditKind.INTERNAL,
            title="Internal audit of the whole SMS 2026",
            audit_guide=wang,
            planned_start=today - timedelta(days=75),
            planned_end=today - timedelta(days=73),
            objectives="Audit every requirement of the SMS before the certification audit",
            scope_clauses=whole_sms,
        )
        # Sun, the bank's internal auditor, leads it (independent of the processes audited).
        audits.assignment_add(audit=internal, actor=wang, user=sun, role=AuditAssignment.Role.LEAD)
        audits.finding_record(
            audit=internal,
            actor=sun,
            grade="ofi",
            clause=Clause.objects.get(standard__code="iso20000-1-2018", number="8.3.2"),
            statement="Customer satisfaction survey could ask about each service separately",
        )
        audits.opening_meeting_record(audit=internal, actor=sun, held_on=today - timedelta(days=75))
        audits.closing_meeting_record(audit=internal, actor=sun, held_on=today - timedelta(days=73))
        audits.audit_close(audit=internal, actor=wang)

        # Stage 1, held by the certification body (entered from its report): ready for stage 2,
        # with two areas of concern the bank resolved before stage 2.
        stage1 = audits.audit_create(
            organization=bank,
            actor=li,
            kind=AuditKind.STAGE1,
            title="Stage 1 audit 2026",
            certification_body=body,
            audit_guide=wang,
            planned_start=today - timedelta(days=41),
            planned_end=today - timedelta(days=40),
            objectives="Evaluate the SMS documentation, scope and readiness for stage 2",
            scope_clauses=whole_sms,
        )
        concerns = [
            audits.finding_record(
                audit=stage1,
                actor=li,
                grade="concern",
                clause=Clause.objects.get(standard__code="iso20000-1-2018", number=number),
                statement=statement,
            )
            for number, statement in (
                ("8.2.6", "Configuration information does not yet cover the mobile banking CIs"),
                ("9.3", "The management review has not yet reviewed the SMS objectives"),
            )
        ]
        audits.opening_meeting_record(audit=stage1, actor=li, held_on=today - timedelta(days=41))
        audits.closing_meeting_record(audit=stage1, actor=li, held_on=today - timedelta(days=40))
        audits.audit_close(audit=stage1, actor=li)
        for finding, resolution in zip(
            concerns,
            (
                "Mobile banking CIs recorded with their relationships; CMDB report attached",
                "Extraordinary management review on 2026 objectives held; minutes approved",
            ),
            strict=True,
        ):
            audits.concern_resolve(
                finding=finding,
                actor=li,
                resolved_on=today - timedelta(days=20),
                resolution=resolution,
            )

        audit = audits.audit_create(
            organization=bank,
            actor=wang,
            kind=AuditKind.STAGE2,
            title="Stage 2 audit 2026",
            certification_body=body,
            audit_guide=wang,
            planned_start=today - timedelta(days=12),
            planned_end=today - timedelta(days=10),
            objectives="Evaluate the implementation and effectiveness of the SMS",
            # An initial audit covers every requirement (17021-1 §9.1.1).
            scope_clauses=whole_sms,
        )
        # Chen is the certification body's auditor, no member of the bank: invited to this
        # audit only, she reads the bank while the assignment lasts (journey 3).
        audits.assignment_add(audit=audit, actor=wang, user=chen, role=AuditAssignment.Role.LEAD)
        audits.finding_record(
            audit=audit,
            actor=chen,
            grade="minor",
            clause=Clause.objects.get(standard__code="iso20000-1-2018", number="8.6.1"),
            statement="三月份有两起P1事件在未经客户确认的情况下关闭 "
            "(two P1 incidents in March closed without customer confirmation)",
            objective_evidence="Incident report, March",
        )
        audits.finding_record(
            audit=audit,
            actor=chen,
            grade="observation",
            clause=Clause.objects.get(standard__code="iso20000-1-2018", number="8.7.1"),
            statement="Availability reports show no trend analysis",
        )
        audits.closing_meeting_record(audit=audit, actor=chen, held_on=today - timedelta(days=10))

        # Two months of history for the readiness trend: from 5 % up to today's score.
        from itsms.models import ReadinessSnapshot

        gap.snapshot_readiness(bank)
        latest = ReadinessSnapshot.objects.get(organization=bank, day=today)
        for days_ago in range(60, 0, -3):
            share = (60 - days_ago) / 60
            ReadinessSnapshot.objects.get_or_create(
                organization=bank,
                day=today - timedelta(days=days_ago),
                defaults={
                    "self_assessed": round(5 + share * (latest.self_assessed - 5)),
                    "evidenced": round(share * latest.evidenced),
                },
            )
        return 1

    def seed_meridian(self, meridian) -> int:
        from datetime import date

        from certification import services as certification

        li = User.objects.get(email="li@northbridge.example")
        today = meridian.local_today()
        certification.certificate_record(
            organization=meridian,
            actor=li,
            number="ML-2018-0042",
            scope=meridian.scope,
            decision_date=today - timedelta(days=300),
        )
        certification.certificate_record(
            organization=meridian,
            actor=li,
            edition="2011",
            number="ML-2011-0007",
            scope=meridian.scope,
            decision_date=date(2019, 6, 3),
            status="active",
            notes="Legacy certificate, entered for history",
        )
        return 1
