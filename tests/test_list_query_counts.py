"""Every list route, page and API, runs a pinned number of queries at two data sizes.

``PINNED`` names each list route with its budget. The data grows by planting more rows of
every tenant model in organisation A (the isolation sweep's builders, under new markers): each
list is measured with one extra set and with four, as A's consultant, and must run the same
number of queries both times, within its budget. A list route that is not in ``PINNED`` fails
``test_every_list_route_has_a_pinned_query_count``: a new list cannot ship unmeasured.
(Domain tests pin the heaviest pages again with growth of their own: ``tests/test_query_counts.py``
and each app's ``test_query_counts.py`` / ``test_queries.py``.)
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from itsms.models import Organization

from .harness.urls import all_routes
from .harness.world import BUILDERS, plant
from .test_isolation_sweep import GLOBAL_ROUTES, QUERY_STRINGS, sweep_routes

pytestmark = pytest.mark.django_db

#: route name → most queries it may run (as a consultant), measured at two sizes.
PINNED = {
    # pages of an organisation
    "itsms:organization_detail": 12,
    "itsms:organization_edit": 10,
    "itsms:member_list": 12,
    "itsms:assessment": 19,
    "itsms:my_work": 13,
    "itsms:dashboard": 24,
    "itsms:readiness_report": 14,
    "itsms:notification_list": 11,
    "itsms:notification_unread": 9,
    "itsms:evidence_list": 18,
    "itsms:evidence_export": 12,
    "itsms:evidence_upload": 15,
    "processes:process_list": 15,
    "processes:service_list": 14,
    "processes:service_create": 13,
    "processes:service_catalogue": 14,
    "processes:service_catalogue_csv": 12,
    "audits:audit_list": 14,
    "audits:audit_create": 15,
    "audits:programme": 12,
    "audits:body_create": 10,
    "certification:calendar": 17,
    "certification:project": 16,
    "certification:body_create": 10,
    "certification:certificate_list": 11,
    "certification:certificate_create": 12,
    "itsms:assessment_import": 4,
    "itsms:assessment_workbook": 4,
    "sms:agreement_create": 10,
    "sms:agreement_csv": 8,
    "sms:agreement_list": 10,
    "sms:checklist": 8,
    "sms:checklist_csv": 7,
    "sms:improvement_create": 10,
    "sms:improvement_csv": 8,
    "sms:improvement_list": 10,
    "sms:objective_create": 10,
    "sms:objective_csv": 8,
    "sms:objective_list": 10,
    "sms:overview": 13,
    "sms:risk_create": 10,
    "sms:risk_csv": 9,
    "sms:risk_heatmap": 8,
    "sms:risk_list": 11,
    "sms:settings": 6,
    "sms:supplier_create": 9,
    "sms:supplier_csv": 8,
    "sms:supplier_list": 10,
    "itsms:organization_archive": 5,
    "itsms:search_organization": 7,
    "itsms:sso_settings": 6,
    # across the user's organisations
    "itsms:portfolio": 9,
    "itsms:notifications": 9,
    "certification:portfolio_calendar": 16,  # one query per deadline provider (sms adds 5)
    # the API's lists
    "itsms-api:organization-list": 3,
    "itsms-api:membership-list": 4,
    "itsms-api:invitation-list": 4,
    "itsms-api:assessment-list": 4,
    "itsms-api:readiness-list": 5,
    "itsms-api:notification-list": 3,
    "itsms-api:evidence-list": 7,
    "itsms-api:evidence-version-list": 4,
    "processes-api:process-list": 6,
    "processes-api:kpi-list": 4,
    "processes-api:kpi-value-list": 4,
    "processes-api:service-list": 7,
    "audits-api:body-list": 4,
    "audits-api:audit-list": 9,
    "audits-api:session-list": 4,
    "audits-api:finding-list": 4,
    "audits-api:action-list": 4,
    "certification-api:project-list": 4,
    "certification-api:step-list": 4,
    "certification-api:item-list": 4,
    "certification-api:certificate-list": 4,
    "certification-api:reminder-list": 4,
    "sms-api:agreement-list": 7,
    "sms-api:agreement-review-list": 3,
    "sms-api:document-list": 7,
    "sms-api:improvement-list": 7,
    "sms-api:objective-list": 7,
    "sms-api:risk-action-list": 3,
    "sms-api:risk-list": 8,
    "sms-api:settings-list": 4,
    "sms-api:supplier-list": 10,
    "itsms-api:identity-provider-list": 4,
    "itsms-api:search-list": 3,
    # reference data (the same for every organisation; pinned with it)
    "itsms-api:standard-list": 3,
    "itsms-api:clause-list": 5,
    "processes-api:process-catalogue-list": 5,
}
#: Routes without an object in the URL that are not lists, and why.
NOT_LISTS = {
    "itsms:organization_create": "a form for a new organisation",
    "itsms:organization_switch": "a redirect",
    "itsms:account": "the user's own account",
    "itsms:api_token_create": "POST only",
    "itsms:api_token_revoke": "POST only",
    "itsms:standard_list": "reference data: pinned in tests/test_query_counts.py",
    "itsms:clauses": "a redirect to the clause tree",
    "itsms:changes_2018": "reference data: one fixed page",
    "processes:catalogue": "reference data: pinned in processes/tests/test_query_counts.py",
    "certification:reminder_settings": "the user's own preferences",
    "certification:feed_create": "POST only",
    "certification:feed_revoke": "POST only",
}


def list_routes():
    """Every route that lists rows: the API's list actions and the pages that take no object."""
    found = []
    for route in sweep_routes():
        if route.is_drf:
            if route.drf_action == "list":
                found.append(route)
        elif "GET" in route.methods and set(route.kwargs) <= {"org_slug"}:
            if route.name in GLOBAL_ROUTES and route.name not in PINNED:
                continue  # not the organisation's: login, reference data, the user's own
            found.append(route)
    return found


def test_every_list_route_has_a_pinned_query_count():
    names = {route.name for route in list_routes()}
    missing = sorted(names - set(PINNED) - set(NOT_LISTS))
    assert not missing, f"List routes without a pinned query count (add them to PINNED): {missing}"
    stale = sorted(set(PINNED) - {r.name for r in all_routes()})
    assert not stale, f"PINNED names routes that do not exist: {stale}"


def grow(org, start, count):
    """``count`` more rows of every tenant model in ``org`` (models that hold one row per
    organisation, or per clause, simply keep theirs)."""
    for index in range(start, start + count):
        marker = f"grown{index}"
        for builder in BUILDERS.values():
            try:
                with transaction.atomic():
                    builder(org, marker)
            except (IntegrityError, ValidationError):
                pass


def measure(client, api, route, org):
    if route.is_drf:
        url = reverse(route.name)
        if route.model is not None and route.model is not Organization:
            url += f"?organization={org.slug}"
        caller = api
    else:
        url = reverse(route.name, kwargs={"org_slug": org.slug} if route.kwargs else {})
        caller = client
    if route.name in QUERY_STRINGS:
        url += ("&" if "?" in url else "?") + QUERY_STRINGS[route.name]
    with CaptureQueriesContext(connection) as queries:
        response = caller.get(url)
    assert response.status_code == 200, (route.name, response.status_code)
    return len(queries.captured_queries)


def test_every_list_runs_the_same_queries_at_two_sizes(client, api_client, org_a, consultant):
    client.force_login(consultant)
    api_client.force_authenticate(consultant)
    routes = [r for r in list_routes() if r.name in PINNED]
    plant(org_a, marker="alphaown")
    grow(org_a, 0, 1)
    for route in routes:
        measure(client, api_client, route, org_a)  # warm per-process caches
    small = {r.name: measure(client, api_client, r, org_a) for r in routes}
    grow(org_a, 1, 3)
    large = {r.name: measure(client, api_client, r, org_a) for r in routes}
    grew = {name: (small[name], large[name]) for name in small if small[name] != large[name]}
    assert not grew, f"query counts that grow with the data (small, large): {grew}"
    over = {name: (n, PINNED[name]) for name, n in large.items() if n > PINNED[name]}
    assert not over, f"over budget (queries, budget): {over}"
