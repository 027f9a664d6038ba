"""Fixtures for every test of the project (apps' tests and tests/).

The cross-cutting fixtures (org_a, org_b, members by role, consultant, api_client, the
real-service helpers) live in ``tests/conftest.py``; the apps' tests get them through the
star import below. The audit fixtures are shared by the audits and certification tests.
"""

from datetime import date

import pytest

from tests.conftest import *  # noqa: F403


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests (live server, real worker) flush the database after each test, and
    with it the reference data loaded by migrations: put it back before each such test."""
    marker = request.node.get_closest_marker("django_db")
    if not marker or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    request.getfixturevalue("transactional_db")
    from itsms.models import Clause
    from itsms.standards.reference import load_reference_data

    if not Clause.objects.exists():
        load_reference_data()
    from certification.migrations import _seed_template_if_empty
    from sms.reference import load_documents

    _seed_template_if_empty()
    load_documents()


# --- an audit of organisation A (audits and certification tests) ------------------------------


@pytest.fixture
def body(org_a):
    from audits.models import CertificationBody

    return CertificationBody.objects.create(organization=org_a, name="Huaxin Certification")


@pytest.fixture
def audit(org_a, members, body):
    from audits import services
    from audits.models import AuditKind
    from itsms.models import Role

    return services.audit_create(
        organization=org_a,
        actor=members[Role.ADMIN],
        kind=AuditKind.STAGE2,
        title="Stage 2 audit",
        certification_body=body,
        planned_start=date(2026, 11, 2),
        planned_end=date(2026, 11, 4),
    )


@pytest.fixture
def chen(audit, members):
    """An external lead auditor (not a member), assigned to the audit."""
    from audits import services
    from audits.models import AuditAssignment
    from itsms.models import Role
    from tests.factories import UserFactory

    user = UserFactory(email="chen@huaxin.example", full_name="Chen Jing")
    services.assignment_add(
        audit=audit, actor=members[Role.ADMIN], user=user, role=AuditAssignment.Role.LEAD
    )
    return user
