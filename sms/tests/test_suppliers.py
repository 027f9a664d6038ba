"""Suppliers and agreements: one list for the "other parties" of 8.2.3 and the gap assessment's
"operated by", agreements with the right party, performance reviews."""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from itsms.assessment import services as gap
from itsms.models import ClauseAssessment, OtherParty, Role
from sms import services
from sms.models import Agreement, Supplier, SupplierClause, SupplierKind

from .factories import agreement, supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(members):
    return members[Role.ADMIN]


@pytest.fixture
def assessments(org_a, admin):
    gap.gap_assessment_start(organization=org_a, actor=admin)
    return {
        a.clause.number: a
        for a in ClauseAssessment.objects.filter(organization=org_a).select_related("clause")
    }


def test_the_kinds_of_supplier_are_the_other_parties_of_the_gap_assessment():
    assert set(SupplierKind.values) == set(OtherParty.values) - {""}
    assert SupplierKind.INTERNAL.label == OtherParty.INTERNAL_SUPPLIER.label


def test_a_clause_operated_by_a_supplier_reads_so_in_the_gap_assessment(org_a, admin, assessments):
    datacentre = supplier(org_a, admin, title="Harbour Data Centre Co.")
    services.supplier_set_clauses(
        supplier=datacentre, actor=admin, assessments=[assessments["8.7.2"]]
    )
    row = ClauseAssessment.objects.get(pk=assessments["8.7.2"].pk)
    assert (row.other_party, row.other_party_name) == (
        "external_supplier",
        "Harbour Data Centre Co.",
    )
    assert row.history.first().history_user == admin  # recorded by the assessment's service
    services.supplier_update(
        supplier=datacentre, actor=admin, version=datacentre.version, title="Harbour DC Ltd"
    )
    row.refresh_from_db()
    assert row.other_party_name == "Harbour DC Ltd"  # a new name follows
    services.supplier_set_clauses(supplier=datacentre, actor=admin, assessments=[])
    row.refresh_from_db()
    assert (row.other_party, row.other_party_name) == ("", "")
    assert not SupplierClause.objects.exists()


def test_a_clause_moves_to_the_supplier_that_now_operates_it(org_a, admin, assessments):
    first = supplier(org_a, admin, title="First")
    second = supplier(org_a, admin, title="Second", kind="internal_supplier")
    clause = assessments["8.4.3"]
    services.supplier_set_clauses(supplier=first, actor=admin, assessments=[clause])
    services.supplier_set_clauses(supplier=second, actor=admin, assessments=[clause])
    assert SupplierClause.objects.get().supplier == second
    clause.refresh_from_db()
    assert (clause.other_party, clause.other_party_name) == ("internal_supplier", "Second")


def test_editing_operated_by_on_the_assessment_drops_the_link(org_a, admin, assessments):
    datacentre = supplier(org_a, admin)
    clause = assessments["8.7.2"]
    services.supplier_set_clauses(supplier=datacentre, actor=admin, assessments=[clause])
    gap.assessment_update(
        assessment=clause, actor=admin, other_party="customer", other_party_name="Branches"
    )
    assert not SupplierClause.objects.exists()
    gap.assessment_update(assessment=clause, actor=admin, notes="unrelated")
    assert ClauseAssessment.objects.get(pk=clause.pk).other_party_name == "Branches"


def test_the_clauses_of_another_organisation_cannot_be_operated(org_a, org_b, admin):
    gap.gap_assessment_start(organization=org_b, actor=None)
    theirs = ClauseAssessment.objects.filter(organization=org_b).first()
    with pytest.raises(ValidationError):
        services.supplier_set_clauses(
            supplier=supplier(org_a, admin), actor=admin, assessments=[theirs]
        )


def test_existing_other_parties_start_the_suppliers_list(org_a, admin, assessments):
    """The migration reads what the assessment already names; the texts stay as they were."""
    for number in ("8.7.2", "8.7.1"):
        gap.assessment_update(
            assessment=assessments[number],
            actor=admin,
            other_party="external_supplier",
            other_party_name="Harbour Outsourcing Ltd",
        )
    gap.assessment_update(
        assessment=assessments["8.4.3"],
        actor=admin,
        other_party="internal_supplier",
        other_party_name="Network team",
    )
    migration = importlib.import_module("sms.migrations.0002_documents_and_existing_parties")
    migration.suppliers_from_assessments(global_apps, None)
    listed = {(s.kind, s.title): s for s in Supplier.objects.filter(organization=org_a)}
    assert set(listed) == {
        ("external_supplier", "Harbour Outsourcing Ltd"),
        ("internal_supplier", "Network team"),
    }
    outsourcer = listed[("external_supplier", "Harbour Outsourcing Ltd")]
    assert sorted(o.assessment.clause.number for o in outsourcer.operations.all()) == [
        "8.7.1",
        "8.7.2",
    ]
    assert ClauseAssessment.objects.get(pk=assessments["8.7.2"].pk).other_party_name == (
        "Harbour Outsourcing Ltd"
    )
    migration.suppliers_from_assessments(global_apps, None)  # twice: nothing new
    assert Supplier.objects.filter(organization=org_a).count() == 2


@pytest.mark.parametrize(
    "kind,party,customer,error",
    [
        ("contract", "external_supplier", "", None),
        ("contract", "internal_supplier", "", "supplier"),
        ("ola", "internal_supplier", "", None),
        ("internal", "customer", "", None),
        ("ola", "external_supplier", "", "supplier"),
        ("sla", None, "Retail Banking Division", None),
        ("sla", None, "", "customer"),
        ("sla", "external_supplier", "Retail", "supplier"),
    ],
)
def test_an_agreement_is_with_the_party_its_kind_calls_for(
    org_a, admin, kind, party, customer, error
):
    partner = supplier(org_a, admin, kind=party) if party else None
    make = lambda: services.agreement_create(  # noqa: E731
        organization=org_a,
        actor=admin,
        title="Agreement",
        kind=kind,
        supplier=partner,
        customer=customer,
    )
    if error is None:
        assert make().party == (partner.title if partner else customer)
    else:
        with pytest.raises(ValidationError) as raised:
            make()
        assert error in raised.value.message_dict


def test_an_agreement_cannot_end_before_it_starts(org_a, admin):
    with pytest.raises(ValidationError) as error:
        agreement(org_a, admin, starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1))
    assert "ends_on" in error.value.message_dict


def test_a_review_sets_the_next_review_date_and_shows_on_the_agreement(client, org_a, admin):
    row = agreement(org_a, admin)
    held = org_a.local_today() - timedelta(days=3)
    client.force_login(admin)
    url = reverse("sms:review_create", kwargs={"org_slug": org_a.slug, "pk": row.pk})
    response = client.post(
        url,
        {
            "held_on": held.isoformat(),
            "rating": 2,
            "notes": "Two P1s answered late",
            "actions": "Second engineer on call",
            "next_review_by": (held + timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.review_by == held + timedelta(days=90)
    review = row.reviews.get()
    assert (review.rating, review.recorded_by) == (2, admin)
    page = client.get(
        reverse("sms:agreement_detail", kwargs={"org_slug": org_a.slug, "pk": row.pk})
    )
    assert "Two P1s answered late" in page.content.decode()


def test_a_review_is_recorded_once_held_and_its_errors_are_shown(client, org_a, admin):
    row = agreement(org_a, admin)
    client.force_login(admin)
    url = reverse("sms:review_create", kwargs={"org_slug": org_a.slug, "pk": row.pk})
    future = (org_a.local_today() + timedelta(days=5)).isoformat()
    response = client.post(url, {"held_on": future, "rating": 3, "notes": "kept"})
    assert response.status_code == 400
    assert "held_on" in response.context["review_form"].errors
    assert "kept</textarea>" in response.content.decode()  # what was typed is kept
    assert not row.reviews.exists()


def test_the_supplier_page_lists_its_agreements_and_clauses(client, org_a, admin, assessments):
    datacentre = supplier(org_a, admin, title="Harbour Data Centre Co.")
    agreement(org_a, admin, supplier_row=datacentre, title="Colocation contract")
    services.supplier_set_clauses(
        supplier=datacentre, actor=admin, assessments=[assessments["8.7.2"]]
    )
    client.force_login(admin)
    page = client.get(
        reverse("sms:supplier_detail", kwargs={"org_slug": org_a.slug, "pk": datacentre.pk})
    )
    html = page.content.decode()
    assert "Colocation contract" in html and "8.7.2" in html
    assert Agreement.objects.get().supplier == datacentre
