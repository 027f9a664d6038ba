"""Every list of the SMS records (pages, CSV, API) runs the same number of queries at 10 and at
1,000 rows of each register, with their links and child rows."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Max
from django.urls import reverse

from itsms.models import Clause, Evidence
from processes import services as processes
from processes.models import Kpi, KpiValue, ProcessInstance, Service
from sms import services
from sms.models import (
    Agreement,
    DocumentChecklistItem,
    Improvement,
    Objective,
    PerformanceReview,
    Risk,
    Supplier,
    TreatmentAction,
)
from sms.registers import REGISTERS

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 24
API_BUDGET = 14


def _next(model, org):
    return (model.objects.filter(organization=org).aggregate(n=Max("number"))["n"] or 0) + 1


def _numbered(model, org, n, **fields):
    start = _next(model, org)
    return model.objects.bulk_create(
        model(organization=org, number=start + i, title=f"{model.__name__} {start + i}", **fields)
        for i in range(n)
    )


def _link(rows, name, targets):
    field = rows[0]._meta.get_field(name)
    through = field.remote_field.through
    source = f"{rows[0]._meta.model_name}_id"
    target = f"{field.related_model._meta.model_name}_id"
    through.objects.bulk_create(
        through(**{source: row.pk, target: targets[i % len(targets)].pk})
        for i, row in enumerate(rows)
    )


def grow(org, n):
    """n more rows of every register, each linked to a clause, a process, a service and an
    evidence item, with treatment actions, KPI values, agreements and reviews."""
    processes.process_instances_ensure(org)
    procs = list(ProcessInstance.objects.filter(organization=org))
    service = Service.objects.get_or_create(organization=org, name="Online banking")[0]
    clauses = list(Clause.objects.filter(standard__code="iso20000-1-2018")[:20])
    docs = Evidence.objects.bulk_create(
        Evidence(organization=org, title=f"Evidence {i}", status="approved") for i in range(n)
    )
    kpi = Kpi.objects.get_or_create(
        organization=org, process=procs[0], name="P1 within 4 h", defaults={"target": 95}
    )[0]
    first = date(2020, 1, 1)
    KpiValue.objects.bulk_create(
        KpiValue(
            organization=org,
            kpi=kpi,
            period_start=first + timedelta(days=31 * i + n),
            value=Decimal(90 + i % 10),
        )
        for i in range(min(n, 40))
    )
    risks = _numbered(Risk, org, n, likelihood=3, impact=4, status="identified")
    objectives = _numbered(Objective, org, n, target=Decimal(95), status="in_progress", kpi=kpi)
    suppliers = _numbered(Supplier, org, n, kind="external_supplier", status="active")
    agreements = _numbered(Agreement, org, n, kind="sla", customer="Retail", status="active")
    improvements = _numbered(Improvement, org, n, source="staff", status="proposed")
    for rows in (risks, objectives, suppliers, agreements, improvements):
        _link(rows, "clauses", clauses)
        _link(rows, "processes", procs)
        _link(rows, "services", [service])
        _link(rows, "evidence", docs)
    TreatmentAction.objects.bulk_create(
        TreatmentAction(organization=org, risk=r, description="Act") for r in risks
    )
    PerformanceReview.objects.bulk_create(
        PerformanceReview(organization=org, agreement=a, held_on=date(2026, 1, 1), rating=3)
        for a in agreements
    )
    Agreement.objects.filter(pk__in=[a.pk for a in agreements[: n // 2]]).update(
        kind="contract", supplier=suppliers[0], customer=""
    )
    services.checklist_ensure(org)
    items = list(DocumentChecklistItem.objects.filter(organization=org))
    through = DocumentChecklistItem.evidence.through
    through.objects.bulk_create(
        through(documentchecklistitem_id=items[i % len(items)].pk, evidence_id=d.pk)
        for i, d in enumerate(docs)
    )


def count(django_assert_max_num_queries, get, url, params, budget):
    with django_assert_max_num_queries(budget) as ctx:
        response = get(url, params)
    assert response.status_code == 200, response
    return len(ctx.captured_queries)


PAGES = [
    *[(r.url_name("list"), {}) for r in REGISTERS],
    *[(r.url_name("csv"), {}) for r in REGISTERS],
    *[
        (r.url_name("list"), {"review": "overdue", "clause": "8", "ordering": "-title"})
        for r in REGISTERS
    ],
    ("sms:risk_heatmap", {}),
    ("sms:overview", {}),
    ("sms:checklist", {}),
    ("sms:checklist_csv", {}),
]


@pytest.mark.parametrize("name,params", PAGES)
def test_pages_use_constant_queries(
    client, org_a, consultant, django_assert_max_num_queries, name, params
):
    client.force_login(consultant)
    url = reverse(name, kwargs={"org_slug": org_a.slug})
    grow(org_a, 10)
    client.get(url, params)  # first visit: the checklist rows are created
    small = count(django_assert_max_num_queries, client.get, url, params, PAGE_BUDGET)
    grow(org_a, 1000)
    large = count(django_assert_max_num_queries, client.get, url, params, PAGE_BUDGET)
    assert small == large


DETAILS = [(r.url_name("detail"), r.model) for r in REGISTERS]


@pytest.mark.parametrize("name,model", DETAILS)
def test_detail_pages_use_constant_queries(
    client, org_a, consultant, django_assert_max_num_queries, name, model
):
    client.force_login(consultant)
    grow(org_a, 10)
    row = model.objects.filter(organization=org_a).order_by("pk").first()
    url = reverse(name, kwargs={"org_slug": org_a.slug, "pk": row.pk})
    client.get(url)  # the first visit of a session remembers the organisation (one write)
    small = count(django_assert_max_num_queries, client.get, url, {}, PAGE_BUDGET + 6)
    grow(org_a, 1000)
    large = count(django_assert_max_num_queries, client.get, url, {}, PAGE_BUDGET + 6)
    assert small == large


API_LISTS = [
    "sms-api:risk-list",
    "sms-api:risk-action-list",
    "sms-api:objective-list",
    "sms-api:supplier-list",
    "sms-api:agreement-list",
    "sms-api:agreement-review-list",
    "sms-api:improvement-list",
    "sms-api:document-list",
    "sms-api:settings-list",
]


@pytest.mark.parametrize("name", API_LISTS)
def test_api_lists_use_constant_queries(
    api_client, org_a, consultant, django_assert_max_num_queries, name
):
    api_client.force_authenticate(consultant)
    url = reverse(name)
    params = {"organization": org_a.slug}
    grow(org_a, 10)
    api_client.get(url, params)
    small = count(django_assert_max_num_queries, api_client.get, url, params, API_BUDGET)
    grow(org_a, 1000)
    large = count(django_assert_max_num_queries, api_client.get, url, params, API_BUDGET)
    assert small == large
