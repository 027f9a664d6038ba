"""One selector of recipients: a removed member, a deactivated account, an auditor whose
assignment ended get nothing — no email, no notification — on every path that tells people.

The paths: the daily evidence expiry (owner), an integrity failure (managers), the reminder
scan and its delivery (managers and the item's owner: surveillance, nonconformity response,
evidence review), and ``notify`` itself (the last guard).
"""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audits import services as audits
from audits.models import AuditAssignment, CorrectiveAction
from certification import reminders
from certification import services as certification
from certification.tasks import scan_reminders
from itsms.evidence import services as evidence_services
from itsms.models import Clause, Notification, Role
from itsms.notifications.services import notify
from itsms.tenancy import services as tenancy
from itsms.tenancy.selectors import recipients

from .factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _clause(number):
    return Clause.objects.get(standard__code="iso20000-1-2018", number=number)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def leaver(org_a):
    """A contributor who owns evidence, a corrective action and a clause, then leaves."""
    return MembershipFactory(
        organization=org_a,
        user=UserFactory(email="leaver@alpha.example", full_name="Lee Ver"),
        role=Role.CONTRIBUTOR,
    )


@pytest.fixture
def owned(org_a, members, leaver, media):
    admin, today = members[Role.ADMIN], org_a.local_today()
    made = {}
    for name, review_by in (
        ("expiring", today + timedelta(days=1)),
        ("review", today + timedelta(30)),
    ):
        item = evidence_services.evidence_create(
            organization=org_a,
            actor=leaver.user,
            upload=SimpleUploadedFile(f"{name}.txt", f"{name} procedure\n".encode()),
            title=f"{name} procedure",
            review_by=review_by,
        )
        evidence_services.evidence_transition(evidence=item, actor=admin, to="in_review")
        made[name] = evidence_services.evidence_transition(
            evidence=item, actor=admin, to="approved"
        )
    audit = audits.audit_create(
        organization=org_a,
        actor=admin,
        kind="internal",
        title="Internal audit",
        planned_start=today - timedelta(days=30),
        planned_end=today - timedelta(days=29),
    )
    chen = UserFactory(email="chen@certbody.example")
    audits.assignment_add(audit=audit, actor=admin, user=chen, role=AuditAssignment.Role.LEAD)
    audits.finding_record(
        audit=audit, actor=chen, grade="minor", clause=_clause("8.6.1"), statement="Late closure"
    )
    audits.closing_meeting_record(audit=audit, actor=chen, held_on=today - timedelta(days=28))
    action = CorrectiveAction.objects.get(organization=org_a)
    audits.action_update(action=action, actor=admin, owner=leaver.user)
    certification.certificate_record(
        organization=org_a,
        actor=admin,
        number="A-2026-1",
        scope="IT",
        decision_date=today - timedelta(days=365 - 30),
    )
    made.update(audit=audit, action=action, chen=chen)
    return made


def _listen() -> None:
    """From now on: what people were told before (while they were members) is not under test."""
    mail.outbox.clear()
    Notification.objects.all().delete()


def _told(user) -> tuple[list, list]:
    emails = [m for m in mail.outbox if user.email in m.to]
    return emails, list(Notification.objects.filter(user=user))


def _every_path(org_a, owned, days_ahead=2):
    """Run everything that tells people: expiry, an integrity failure, the reminder scans."""
    later = timezone.now() + timedelta(days=days_ahead)
    evidence_services.evidence_expire_due(today=org_a.local_today() + timedelta(days=days_ahead))
    version = owned["review"].current_version
    evidence_services.integrity_failure_record(version=version, observed="0" * 64)
    for day in range(0, 40, 3):
        for reminder_id in reminders.scan(now=later + timedelta(days=day)):
            reminders.deliver(reminder_id)
    scan_reminders.delay()


def test_a_removed_member_gets_nothing_on_any_path(
    org_a, members, leaver, owned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tenancy.membership_remove(membership=leaver, actor=members[Role.ADMIN])
        _listen()
        _every_path(org_a, owned)
    assert _told(leaver.user) == ([], [])
    # the paths ran: the admin who stayed was told (a sweep must not pass by telling no one)
    emails, notes = _told(members[Role.ADMIN])
    assert emails and notes, (emails, notes)


def test_the_owner_who_stays_is_told(
    org_a, members, leaver, owned, django_capture_on_commit_callbacks
):
    """The control: the same paths tell the owner while they are a member."""
    with django_capture_on_commit_callbacks(execute=True):
        _listen()
        _every_path(org_a, owned)
    emails, notes = _told(leaver.user)
    assert emails and notes
    assert any("expiring procedure" in n.text for n in notes)


def test_a_deactivated_account_gets_nothing(
    org_a, members, leaver, owned, django_capture_on_commit_callbacks
):
    leaver.user.is_active = False
    leaver.user.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        _listen()
        _every_path(org_a, owned)
    assert _told(leaver.user) == ([], [])


def test_an_outside_auditor_is_a_recipient_exactly_while_assigned(org_a, members, owned):
    chen, action, audit = owned["chen"], owned["action"], owned["audit"]
    assert chen in recipients(action)
    assert chen in recipients(audit)
    assert notify(organization=org_a, user=chen, text="Plan submitted") is not None
    audits.audit_close(audit=audit, actor=members[Role.ADMIN])
    assert chen not in recipients(action)
    assert chen not in recipients(org_a)
    assert notify(organization=org_a, user=chen, text="Plan verified") == []


def test_recipients_follow_the_subjects_rules(org_a, org_b, members, owned):
    """A corrective action of an audit reaches an outside auditor of that audit only; the
    roles asked for narrow it; someone of another organisation never appears."""
    other = audits.audit_create(
        organization=org_a,
        actor=members[Role.ADMIN],
        kind="internal",
        title="Another audit",
        planned_start=date(2026, 1, 5),
        planned_end=date(2026, 1, 6),
    )
    hu = UserFactory(email="hu@certbody.example")
    audits.assignment_add(audit=other, actor=members[Role.ADMIN], user=hu)
    assert hu in recipients(other) and hu not in recipients(owned["action"])
    managers = recipients(owned["action"], roles={Role.ADMIN, Role.CONSULTANT})
    assert set(managers) == {members[Role.ADMIN], members[Role.CONSULTANT]}
    stranger = MembershipFactory(organization=org_b).user
    assert stranger not in recipients(owned["action"])
    assert recipients(owned["action"], among=[stranger]) == []


def test_notify_refuses_someone_who_does_not_read_the_organisation(org_a, org_b, members):
    stranger = MembershipFactory(organization=org_b).user
    assert notify(organization=org_a, user=stranger, text="x") == []
    assert notify(organization=org_a, user=members[Role.VIEWER], text="y") is not None
    assert not Notification.objects.filter(user=stranger).exists()


def test_a_member_removed_between_the_scan_and_the_send_gets_nothing(
    org_a, members, leaver, owned, django_capture_on_commit_callbacks
):
    """The recipients are chosen when the reminder is sent, not when it was made."""
    now = timezone.now()
    made = []
    for day in range(0, 40, 3):
        made += reminders.scan(now=now + timedelta(days=day))
    tenancy.membership_remove(membership=leaver, actor=members[Role.ADMIN])
    _listen()
    for reminder_id in made:
        reminders.deliver(reminder_id)
    assert made and _told(leaver.user) == ([], [])
    assert _told(members[Role.ADMIN])[0]
