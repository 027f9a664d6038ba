"""Pages and API lists run a constant number of queries, whatever the data size."""

import pytest
from django.urls import reverse

from itsms.models import Membership, Organization, Role, User

pytestmark = pytest.mark.django_db


def grow(org, consultant, n):
    """n more organisations for the consultant, and n more members in ``org``."""
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Client {i}", slug=f"client-{org.pk}-{i}-{n}") for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(organization=o, user=consultant, role=Role.CONSULTANT) for o in orgs
    )
    users = User.objects.bulk_create(
        User(email=f"m{i}-{n}@{org.slug}.example", password="!") for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(organization=org, user=u, role=Role.CONTRIBUTOR) for u in users
    )


def count_queries(django_assert_max_num_queries, client, url, budget):
    with django_assert_max_num_queries(budget) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_name,kwargs,budget",
    [
        ("itsms:portfolio", {}, 8),
        ("itsms:member_list", {"org_slug": "alpha-bank"}, 12),
        ("itsms:organization_detail", {"org_slug": "alpha-bank"}, 12),
        ("itsms:sso_settings", {"org_slug": "alpha-bank"}, 12),
        ("itsms:clause_tree", {"code": "iso20000-1-2018"}, 8),
        ("itsms:clause_detail", {"code": "iso20000-1-2018", "number": "8.6.1"}, 12),
    ],
)
def test_pages_use_constant_queries(
    client, org_a, consultant, django_assert_max_num_queries, url_name, kwargs, budget
):
    client.force_login(consultant)
    url = reverse(url_name, kwargs=kwargs)
    grow(org_a, consultant, 10)
    client.get(url)  # warm per-process caches (content types, ...)
    small = count_queries(django_assert_max_num_queries, client, url, budget)
    grow(org_a, consultant, 1000)
    large = count_queries(django_assert_max_num_queries, client, url, budget)
    assert small == large


def test_an_organisation_that_requires_a_second_factor_costs_one_query_more(
    client, org_a, consultant, django_assert_max_num_queries
):
    """The policy is checked at the checkpoint: one query (has the user a factor?), only where
    the organisation requires one, whatever the data size."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(consultant, generate_totp_secret())
    client.force_login(consultant)
    url = reverse("itsms:member_list", kwargs={"org_slug": org_a.slug})
    client.get(url)
    grow(org_a, consultant, 10)
    plain = count_queries(django_assert_max_num_queries, client, url, 12)
    Organization.objects.filter(pk=org_a.pk).update(require_mfa=True)
    required = count_queries(django_assert_max_num_queries, client, url, 13)
    grow(org_a, consultant, 500)
    assert count_queries(django_assert_max_num_queries, client, url, 13) == required
    assert required == plain + 1


@pytest.mark.parametrize(
    "url_name,params,budget",
    [
        ("itsms-api:organization-list", {}, 8),
        ("itsms-api:membership-list", {"organization": "alpha-bank"}, 8),
        ("itsms-api:invitation-list", {"organization": "alpha-bank"}, 8),
        ("itsms-api:clause-list", {"standard": "iso20000-1-2018"}, 8),
        ("itsms-api:standard-list", {}, 6),
    ],
)
def test_api_lists_use_constant_queries(
    api_client, org_a, consultant, django_assert_max_num_queries, url_name, params, budget
):
    api_client.force_authenticate(consultant)
    url = reverse(url_name)
    grow(org_a, consultant, 110)  # past one page (100), so both runs paginate alike
    api_client.get(url, params)  # warm per-process caches (content types, ...)
    with django_assert_max_num_queries(budget) as small:
        assert api_client.get(url, params).status_code == 200
    grow(org_a, consultant, 1000)
    with django_assert_max_num_queries(budget) as large:
        assert api_client.get(url, params).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


def grow_assessment(org, actor, n):
    """n more members, each owning a clause, and n more recorded changes."""
    from itsms.assessment import services as gap
    from itsms.models import ClauseAssessment

    gap.gap_assessment_start(organization=org, actor=actor)
    grow(org, actor, n)
    rows = list(ClauseAssessment.objects.filter(organization=org).order_by("clause__order"))
    owners = list(User.objects.filter(memberships__organization=org)[:n])
    for i in range(n):
        gap.assessment_update(
            assessment=rows[i % len(rows)],
            actor=actor,
            status=["planned", "partial", "implemented"][i % 3],
            owner=owners[i % len(owners)],
        )


@pytest.mark.parametrize(
    "url_name,budget",
    [
        ("itsms:assessment", 16),
        ("itsms:dashboard", 15),
        ("itsms:my_work", 16),
        ("itsms:portfolio", 10),
    ],
)
def test_assessment_pages_use_constant_queries(
    client, org_a, consultant, django_assert_max_num_queries, url_name, budget
):
    client.force_login(consultant)
    kwargs = {} if url_name == "itsms:portfolio" else {"org_slug": org_a.slug}
    url = reverse(url_name, kwargs=kwargs)
    grow_assessment(org_a, consultant, 10)
    client.get(url)
    small = count_queries(django_assert_max_num_queries, client, url, budget)
    grow_assessment(org_a, consultant, 60)
    grow(org_a, consultant, 1000)
    large = count_queries(django_assert_max_num_queries, client, url, budget)
    assert small == large


@pytest.mark.parametrize(
    "url_name,budget", [("itsms-api:assessment-list", 8), ("itsms-api:readiness-list", 8)]
)
def test_assessment_api_uses_constant_queries(
    api_client, org_a, consultant, django_assert_max_num_queries, url_name, budget
):
    api_client.force_authenticate(consultant)
    url = reverse(url_name)
    params = {"organization": org_a.slug}
    grow_assessment(org_a, consultant, 10)
    api_client.get(url, params)
    with django_assert_max_num_queries(budget) as small:
        assert api_client.get(url, params).status_code == 200
    grow_assessment(org_a, consultant, 60)
    grow(org_a, consultant, 1000)
    with django_assert_max_num_queries(budget) as large:
        assert api_client.get(url, params).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)
