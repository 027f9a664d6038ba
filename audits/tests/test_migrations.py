"""Existing rows get the new audit numbers, finding references and submission days."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("audits", "0003_certification_body_recertification_lead")]
AFTER = [("audits", "0004_outcomes_meetings_references")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_findings_get_references_unique_in_their_organisation():
    old = migrate(BEFORE)
    Organization = old.get_model("itsms", "Organization")
    Audit = old.get_model("audits", "Audit")
    Finding = old.get_model("audits", "Finding")
    HistoricalFinding = old.get_model("audits", "HistoricalFinding")
    CorrectiveAction = old.get_model("audits", "CorrectiveAction")
    bank = Organization.objects.create(name="Bank", slug="bank", time_zone="Asia/Shanghai")
    other = Organization.objects.create(name="Other", slug="other", time_zone="UTC")

    def audit(org, day, title):
        return Audit.objects.create(
            organization=org, kind="internal", title=title, planned_start=day, planned_end=day
        )

    later = audit(bank, date(2026, 6, 1), "later")  # created first, planned later
    earlier = audit(bank, date(2026, 3, 1), "earlier")
    theirs = audit(other, date(2026, 1, 1), "theirs")
    rows = {}
    for key, a in (("later", later), ("earlier", earlier), ("theirs", theirs)):
        rows[key] = Finding.objects.create(
            organization=a.organization, audit=a, number=1, grade="minor", statement=key
        )
    HistoricalFinding.objects.create(
        id=rows["later"].pk,
        organization_id=bank.pk,
        audit_id=later.pk,
        number=1,
        grade="minor",
        statement="later",
        history_date=datetime(2026, 6, 1, tzinfo=UTC),
        history_type="+",
        recorded_at=datetime(2026, 6, 1, tzinfo=UTC),
        updated_at=datetime(2026, 6, 1, tzinfo=UTC),
        version=1,
    )
    # Submitted at 23:30 UTC on 31 March: 1 April in Shanghai.
    action = CorrectiveAction.objects.create(
        organization=bank,
        finding=rows["earlier"],
        state="submitted",
        submitted_at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
    )

    new = migrate(AFTER)
    Audit = new.get_model("audits", "Audit")
    Finding = new.get_model("audits", "Finding")
    assert Audit.objects.get(pk=earlier.pk).number == 1  # in the order they were planned
    assert Audit.objects.get(pk=later.pk).number == 2
    assert Audit.objects.get(pk=theirs.pk).number == 1  # numbered per organisation
    assert Finding.objects.get(pk=rows["earlier"].pk).reference == "A1-F1"
    assert Finding.objects.get(pk=rows["later"].pk).reference == "A2-F1"
    assert Finding.objects.get(pk=rows["theirs"].pk).reference == "A1-F1"
    history = new.get_model("audits", "HistoricalFinding").objects.get(id=rows["later"].pk)
    assert history.reference == "A2-F1"
    action = new.get_model("audits", "CorrectiveAction").objects.get(pk=action.pk)
    assert action.submitted_on == date(2026, 4, 1)
    migrate(new_leaves())


def new_leaves():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.loader.graph.leaf_nodes()


SAMPLED_BEFORE = [("audits", "0004_outcomes_meetings_references")]
SAMPLED_AFTER = [("audits", "0005_evidence_sampled_versions")]


@pytest.mark.django_db(transaction=True)
def test_existing_evidence_links_get_the_version_live_when_the_finding_was_recorded():
    old = migrate(SAMPLED_BEFORE)
    Organization = old.get_model("itsms", "Organization")
    Evidence = old.get_model("itsms", "Evidence")
    EvidenceVersion = old.get_model("itsms", "EvidenceVersion")
    Audit = old.get_model("audits", "Audit")
    Finding = old.get_model("audits", "Finding")
    CorrectiveAction = old.get_model("audits", "CorrectiveAction")
    bank = Organization.objects.create(name="Bank", slug="bank", time_zone="UTC")
    day = date(2026, 3, 1)
    audit = Audit.objects.create(
        organization=bank,
        kind="internal",
        title="A",
        planned_start=day,
        planned_end=day,
        number=1,
    )

    def item(title, *uploaded):
        evidence = Evidence.objects.create(organization=bank, title=title)
        versions = []
        for number, when in enumerate(uploaded, start=1):
            version = EvidenceVersion.objects.create(
                organization=bank,
                evidence=evidence,
                number=number,
                file=f"evidence/{title}-{number}.txt",
                original_name=f"{title}.txt",
                size=1,
                content_type="text/plain",
                sha256="0" * 64,
            )
            EvidenceVersion.objects.filter(pk=version.pk).update(uploaded_at=when)
            versions.append(version)
        if versions:
            Evidence.objects.filter(pk=evidence.pk).update(current_version=versions[-1])
        return evidence, versions

    procedure, (v1, v2) = item(
        "procedure", datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
    )
    empty, _ = item("empty")
    finding = Finding.objects.create(
        organization=bank, audit=audit, number=1, reference="A1-F1", grade="minor", statement="s"
    )
    Finding.objects.filter(pk=finding.pk).update(recorded_at=datetime(2026, 3, 1, tzinfo=UTC))
    finding.evidence.add(procedure, empty)
    action = CorrectiveAction.objects.create(organization=bank, finding=finding)
    action.evidence.add(procedure)  # never submitted: the current version

    new = migrate(SAMPLED_AFTER)
    FindingEvidence = new.get_model("audits", "FindingEvidence")
    ActionEvidence = new.get_model("audits", "ActionEvidence")
    (link,) = FindingEvidence.objects.all()  # the item without a file sampled nothing
    assert (link.evidence_id, link.sampled_version_id, link.organization_id) == (
        procedure.pk,
        v1.pk,
        bank.pk,
    )
    assert link.linked_at == datetime(2026, 3, 1, tzinfo=UTC)
    (offered,) = ActionEvidence.objects.all()
    assert (offered.sampled_version_id, offered.organization_id) == (v2.pk, bank.pk)
    migrate(new_leaves())
