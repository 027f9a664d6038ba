from datetime import date

import pytest

from audits import services
from audits.models import AuditAssignment, AuditKind, CertificationBody
from itsms.models import Role
from tests.conftest import *  # noqa: F403
from tests.factories import UserFactory


@pytest.fixture
def body(org_a):
    return CertificationBody.objects.create(organization=org_a, name="Huaxin Certification")


@pytest.fixture
def audit(org_a, members, body):
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
    user = UserFactory(email="chen@huaxin.example", full_name="Chen Jing")
    services.assignment_add(
        audit=audit, actor=members[Role.ADMIN], user=user, role=AuditAssignment.Role.LEAD
    )
    return user
