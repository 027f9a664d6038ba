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
