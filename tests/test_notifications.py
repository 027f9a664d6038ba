"""People hear when work moves (issue 9, point 10), through the pages: evidence sent for
review, approved or sent back; a corrective action submitted, returned, accepted, done and
verified; a clause, a process or an audit assigned. In-app (the bell of the top bar, on every
page, and the notifications page) and by email as each person prefers; never the actor; never
someone who left the organisation; in the reader's language."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.urls import reverse

from audits import services as audits
from audits.models import AuditAssignment, CorrectiveAction
from itsms.assessment import services as gap
from itsms.evidence import services as evidence_services
from itsms.models import (
    ClauseAssessment,
    DocumentStatus,
    Evidence,
    EvidenceKind,
    Membership,
    Notification,
    NotificationPreference,
    Role,
)
from itsms.notifications.services import notify
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

from .test_evidence import PDF

pytestmark = pytest.mark.django_db


def notes_of(user, kind=None):
    queryset = Notification.objects.filter(user=user)
    return list(queryset.filter(kind=kind) if kind else queryset)


def mails_to(user):
    return [m for m in mail.outbox if user.email in m.to]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(org_a, members, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return evidence_services.evidence_create(
        organization=org_a,
        actor=members[Role.CONTRIBUTOR],
        upload=SimpleUploadedFile("incident-procedure.pdf", PDF, "application/pdf"),
        title="Incident procedure",
        kind=EvidenceKind.PROCEDURE,
        reviewer=members[Role.ADMIN],
    )


def transition(client, org, evidence, to, note=""):
    url = reverse("itsms:evidence_transition", kwargs={"org_slug": org.slug, "pk": evidence.pk})
    return client.post(url, {"status": to, "note": note})


def test_evidence_sent_for_review_approved_and_sent_back_tells_the_right_people(
    client, org_a, members, draft, django_capture_on_commit_callbacks
):
    zhao, wang = members[Role.CONTRIBUTOR], members[Role.ADMIN]
    client.force_login(zhao)
    with django_capture_on_commit_callbacks(execute=True):
        assert transition(client, org_a, draft, DocumentStatus.IN_REVIEW).status_code == 302
    review = notes_of(wang, "evidence-in_review")
    assert (
        len(review) == 1
        and review[0].text == "Alpha contributor sent “Incident procedure” for your review."
    )
    assert review[0].url == f"/o/{org_a.slug}/evidence/{draft.pk}/"
    assert notes_of(zhao) == []  # never the actor
    (email,) = mails_to(wang)
    assert "Incident procedure" in email.subject
    assert f"https://itsms.test/o/{org_a.slug}/evidence/{draft.pk}/" in email.body  # SITE_URL

    client.force_login(wang)
    with django_capture_on_commit_callbacks(execute=True):
        transition(client, org_a, draft, DocumentStatus.DRAFT, note="Add the escalation matrix")
    (back,) = notes_of(zhao, "evidence-draft")
    assert (
        back.text
        == "Alpha admin sent “Incident procedure” back to draft: Add the escalation matrix"
    )

    client.force_login(zhao)
    transition(client, org_a, draft, DocumentStatus.IN_REVIEW)
    client.force_login(wang)
    with django_capture_on_commit_callbacks(execute=True):
        transition(client, org_a, draft, DocumentStatus.APPROVED)
    (approved,) = notes_of(zhao, "evidence-approved")
    assert approved.text == "Alpha admin approved “Incident procedure”."
    assert len(mails_to(zhao)) == 2  # sent back, approved


def test_without_a_named_reviewer_the_consultants_and_admins_are_asked(
    client, org_a, members, draft
):
    Evidence.objects.filter(pk=draft.pk).update(reviewer=None)
    client.force_login(members[Role.CONTRIBUTOR])
    transition(client, org_a, draft, DocumentStatus.IN_REVIEW)
    asked = {n.user for n in Notification.objects.filter(kind="evidence-in_review")}
    assert asked == {members[Role.ADMIN], members[Role.CONSULTANT]}


@pytest.mark.parametrize(
    "channel,in_app,emails",
    [("both", 1, 1), ("in_app", 1, 0), ("email", 0, 1), ("none", 0, 0)],
)
def test_each_person_hears_as_they_chose_on_their_account_page(
    client, org_a, members, draft, django_capture_on_commit_callbacks, channel, in_app, emails
):
    wang = members[Role.ADMIN]
    client.force_login(wang)
    saved = client.post(reverse("itsms:account"), {"channel": channel, "time_zone": ""})
    assert saved.status_code == 302
    assert NotificationPreference.objects.get(user=wang).channel == channel
    client.force_login(members[Role.CONTRIBUTOR])
    with django_capture_on_commit_callbacks(execute=True):
        transition(client, org_a, draft, DocumentStatus.IN_REVIEW)
    assert len(notes_of(wang)) == in_app
    assert len(mails_to(wang)) == emails


def test_a_removed_member_hears_nothing(client, org_a, members, draft):
    wang = members[Role.ADMIN]
    Membership.objects.filter(user=wang, organization=org_a).delete()
    client.force_login(members[Role.CONTRIBUTOR])
    transition(client, org_a, draft, DocumentStatus.IN_REVIEW)
    assert notes_of(wang) == []


def test_a_clause_assigned_inline_or_by_chapter_tells_its_new_owner_once(
    client, org_a, members, django_capture_on_commit_callbacks
):
    li, zhao = members[Role.CONSULTANT], members[Role.CONTRIBUTOR]
    gap.gap_assessment_start(organization=org_a, actor=li)
    incident = ClauseAssessment.objects.get(organization=org_a, clause__number="8.6.1")
    client.force_login(li)
    row = reverse("itsms:assessment_row", kwargs={"org_slug": org_a.slug, "pk": incident.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            row,
            {"version": incident.version, "status": "planned", "maturity": 0, "owner": zhao.pk},
        )
    (note,) = notes_of(zhao, "clause-assigned")
    assert note.text == "Alpha consultant assigned clause 8.6.1 Incident management to you."
    assert note.url == row
    assert len(mails_to(zhao)) == 1
    incident.refresh_from_db()
    client.post(
        row,
        {"version": incident.version, "status": "partial", "maturity": 1, "owner": zhao.pk},
    )
    assert len(notes_of(zhao, "clause-assigned")) == 1  # still his: nothing new

    heading = incident.clause.parent  # 8.6: three requirement clauses, one already Zhao's
    client.post(
        reverse("itsms:assessment_bulk_assign", kwargs={"org_slug": org_a.slug}),
        {"heading": heading.pk, "owner": zhao.pk},
    )
    chapter = notes_of(zhao, "clause-assigned")
    assert len(chapter) == 2
    assert chapter[0].text == (
        "Alpha consultant assigned 2 clauses under 8.6 Resolution and fulfilment to you."
    )


def test_a_process_owner_is_told(client, org_a, members):
    from processes.models import ProcessInstance
    from processes.services import process_instances_ensure

    process_instances_ensure(org_a)
    incident = ProcessInstance.objects.get(organization=org_a, clause__number="8.6.1")
    zhao = members[Role.CONTRIBUTOR]
    client.force_login(members[Role.ADMIN])
    url = reverse("processes:process_edit", kwargs={"org_slug": org_a.slug, "pk": incident.pk})
    response = client.post(
        url,
        {
            "version": incident.version,
            "owner": zhao.pk,
            "status": incident.status,
            "maturity": 2,
            "purpose": "",
            "procedure_reference": "",
            "last_review_date": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    (note,) = notes_of(zhao, "process-assigned")
    assert note.text == "Alpha admin made you the owner of process 8.6.1 Incident management."


def test_the_audit_and_its_corrective_action_move_and_each_side_is_told(
    client, org_a, audit, chen, members
):
    from itsms.models import Clause

    wang, zhao = members[Role.ADMIN], members[Role.CONTRIBUTOR]
    (assigned,) = notes_of(chen, "audit-assigned")  # chen: the lead auditor, not a member
    assert assigned.text == "Alpha admin assigned you to the audit “Stage 2 audit” as lead auditor."
    helper = UserFactory(email="helper@huaxin.example", full_name="Helper")
    client.force_login(wang)
    client.post(
        reverse("audits:assign", kwargs={"org_slug": org_a.slug, "pk": audit.pk}),
        {"user": "", "email": "", "role": AuditAssignment.Role.AUDITOR},
    )
    audits.assignment_add(audit=audit, actor=wang, user=helper)
    assert len(notes_of(helper, "audit-assigned")) == 1

    finding = audits.finding_record(
        audit=audit,
        actor=chen,
        grade="minor",
        clause=Clause.objects.get(standard__code="iso20000-1-2018", number="8.6.1"),
        statement="Two P1 incidents closed without customer confirmation",
    )
    audits.closing_meeting_record(audit=audit, actor=chen, held_on=org_a.local_today())
    action = CorrectiveAction.objects.get(finding=finding)
    page = reverse("audits:action_detail", kwargs={"org_slug": org_a.slug, "pk": action.pk})
    ref = f"{finding.reference} (8.6.1)"

    client.force_login(zhao)
    client.post(
        page,
        {
            "operation": "submit",
            "version": action.version,
            "root_cause": "No confirmation step",
            "plan": "Add a confirmation step",
            "owner": zhao.pk,
        },
    )
    (submitted,) = notes_of(chen, "action-submitted")  # the lead reviews, not the helper
    assert submitted.text == (
        f"Alpha contributor submitted the corrective action plan for {ref} for your review."
    )
    assert notes_of(helper, "action-submitted") == []

    client.force_login(chen)
    action.refresh_from_db()
    client.post(
        page, {"operation": "return", "comment": "Name the owner", "version": action.version}
    )
    assert [n.text for n in notes_of(zhao, "action-returned")] == [
        f"Chen Jing returned the corrective action plan for {ref}: Name the owner"
    ]
    assert len(notes_of(wang, "action-returned")) == 1  # the admin answers for the SMS

    client.force_login(zhao)
    action.refresh_from_db()
    client.post(
        page,
        {
            "operation": "submit",
            "version": action.version,
            "root_cause": "x",
            "plan": "y",
            "owner": zhao.pk,
        },
    )
    client.force_login(chen)
    action.refresh_from_db()
    client.post(page, {"operation": "accept", "comment": "", "version": action.version})
    assert len(notes_of(zhao, "action-accepted")) == 1
    client.force_login(zhao)
    client.post(page, {"operation": "implemented"})
    assert len(notes_of(chen, "action-implemented")) == 1
    client.force_login(chen)
    action.refresh_from_db()
    client.post(page, {"operation": "verify", "comment": "", "version": action.version})
    assert [n.text for n in notes_of(zhao, "action-verified")] == [
        f"Chen Jing verified the corrective action for {ref}: it is closed."
    ]


# --- the bell and the notifications page ----------------------------------------------------


def test_the_bell_counts_unread_on_every_page_and_the_page_lists_every_organisation(
    client, org_a, members
):
    wang = members[Role.ADMIN]
    other = OrganizationFactory(name="Meridian Logistics", slug="meridian-logistics")
    MembershipFactory(organization=other, user=wang, role=Role.ADMIN)
    notify(organization=org_a, user=wang, text="First news", url=f"/o/{org_a.slug}/")
    notify(organization=other, user=wang, text="Second news", url=f"/o/{other.slug}/")
    client.force_login(wang)
    pages = [
        reverse("itsms:portfolio"),
        reverse("itsms:dashboard", kwargs={"org_slug": org_a.slug}),
        reverse("itsms:clause_tree", kwargs={"code": "iso20000-1-2018"}),
        reverse("itsms:account"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert 'data-testid="bell"' in html, url
        assert '<span data-testid="unread-count">2</span>' in html, url
    # The organisation's menu has no Notifications tab any more: the bell is the way.
    dashboard = client.get(pages[1]).content.decode()
    orgnav = dashboard.split('class="orgnav"', 1)[1].split("</nav>", 1)[0]
    assert "Notifications" not in orgnav

    inbox = client.get(reverse("itsms:notifications")).content.decode()
    assert "First news" in inbox and "Second news" in inbox
    assert "Meridian Logistics" in inbox and "Alpha Bank" in inbox
    first = Notification.objects.get(text="First news")
    opened = client.post(reverse("itsms:notification_open", kwargs={"pk": first.pk}))
    assert opened.status_code == 302 and opened["Location"] == f"/o/{org_a.slug}/"
    html = client.get(pages[0]).content.decode()
    assert '<span data-testid="unread-count">1</span>' in html
    unread = client.get(reverse("itsms:notifications") + "?unread=1").content.decode()
    assert "Second news" in unread and "First news" not in unread
    client.post(reverse("itsms:notification_inbox_read_all"))
    assert 'data-testid="unread-count"' not in client.get(pages[0]).content.decode()


def test_notifications_of_an_organisation_one_has_left_are_gone(client, org_a, members):
    zhou = members[Role.VIEWER]
    notify(organization=org_a, user=zhou, text="Old news")
    Membership.objects.filter(user=zhou).delete()
    client.force_login(zhou)
    assert "Old news" not in client.get(reverse("itsms:notifications")).content.decode()
    assert (
        'data-testid="unread-count"' not in client.get(reverse("itsms:portfolio")).content.decode()
    )
    note = Notification.objects.get(text="Old news")
    assert (
        client.post(reverse("itsms:notification_open", kwargs={"pk": note.pk})).status_code == 404
    )


def test_another_users_notification_cannot_be_opened(client, org_a, members):
    note = notify(organization=org_a, user=members[Role.ADMIN], text="Private")[0]
    client.force_login(members[Role.VIEWER])
    assert (
        client.post(reverse("itsms:notification_open", kwargs={"pk": note.pk})).status_code == 404
    )
    Notification.objects.get(pk=note.pk, read_at__isnull=True)


def test_a_notification_reads_in_the_readers_language_and_mails_in_the_organisations(
    client, members, django_capture_on_commit_callbacks
):
    bank = OrganizationFactory(
        name="Eastern Harbour Bank", slug="eastern-harbour-bank", language="zh-hans"
    )
    li = UserFactory(email="li@northbridge.example", full_name="Li Na")
    wang = UserFactory(email="wang@ehbank.example", full_name="Wang Wei")
    for user, role in ((li, Role.CONSULTANT), (wang, Role.ADMIN)):
        MembershipFactory(organization=bank, user=user, role=role)
    gap.gap_assessment_start(organization=bank, actor=li)
    incident = ClauseAssessment.objects.get(organization=bank, clause__number="8.6.1")
    with django_capture_on_commit_callbacks(execute=True):
        gap.assessment_update(assessment=incident, actor=li, owner=wang)
    (email,) = mails_to(wang)
    assert email.subject == "Li Na 已将条款 8.6.1 事件管理 分派给您。"
    assert "请在 ITSMS Workbench 中查看" in email.body
    client.force_login(wang)
    english = client.get(reverse("itsms:notifications"), HTTP_ACCEPT_LANGUAGE="en")
    # The heading too reads in the reader's language.
    assert "Li Na assigned clause 8.6.1 Incident management to you." in english.content.decode()
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(reverse("itsms:notifications")).content.decode()
    assert "Li Na 已将条款 8.6.1 事件管理 分派给您。" in chinese


def test_seeding_history_notifies_nobody(org_a, members):
    from itsms.notifications.services import silenced

    with silenced():
        notify(organization=org_a, user=members[Role.ADMIN], text="Not news")
    assert not Notification.objects.exists()


def test_the_organisation_page_lists_only_its_own_notifications(client, org_a, org_b, members):
    wang = members[Role.ADMIN]
    MembershipFactory(organization=org_b, user=wang, role=Role.ADMIN)
    notify(organization=org_a, user=wang, text="About A")
    notify(organization=org_b, user=wang, text="About SECRETB")
    client.force_login(wang)
    html = client.get(
        reverse("itsms:notification_list", kwargs={"org_slug": org_a.slug})
    ).content.decode()
    assert "About A" in html and "About SECRETB" not in html


def test_times_on_the_notifications_page_are_the_readers(client, org_a, members):
    wang = members[Role.ADMIN]
    note = notify(organization=org_a, user=wang, text="Timed")[0]
    at = datetime(2026, 12, 1, 10, 57, tzinfo=UTC)
    Notification.objects.filter(pk=note.pk).update(created_at=at)
    wang.time_zone = "Asia/Shanghai"
    wang.save()
    client.force_login(wang)
    html = client.get(reverse("itsms:notifications")).content.decode()
    assert "2026-12-01 18:57" in html and "Times in Asia/Shanghai." in html
