"""The Simplified Chinese interface: pages and reminder emails follow the chosen language."""

from datetime import UTC, date, datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from audits import services as audit_services
from audits.models import AuditAssignment, AuditKind, CertificationBody
from certification import reminders
from certification import services as certification_services
from certification.models import Reminder
from itsms.assessment.services import gap_assessment_start
from itsms.models import Role

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


def page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_compiled_catalogue_is_in_the_repository():
    assert (settings.BASE_DIR / "locale/zh_Hans/LC_MESSAGES/django.mo").is_file()
    with translation.override("zh-hans"):
        assert translation.gettext("Gap assessment") == "差距评估"
        assert translation.gettext("Major nonconformity") == "严重不符合项"
        assert translation.ngettext("%(counter)s clause", "%(counter)s clauses", 3) % {
            "counter": 3
        } == ("3 个条款")


def test_the_sign_in_page_speaks_chinese(client):
    html = page(chinese(client), reverse("login"))
    assert "登录" in html and "忘记密码？" in html
    assert "Forgot your password?" not in html


def test_the_accept_language_header_chooses_chinese(client):
    html = page(client, reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "忘记密码？" in html


def test_the_portfolio_speaks_chinese(client, members):
    client.force_login(members[Role.CONSULTANT])
    html = page(chinese(client), reverse("itsms:portfolio"))
    assert "您的组织" in html and "新建客户组织" in html and "退出登录" in html
    assert "Your organisations" not in html


def test_the_gap_assessment_speaks_chinese(client, org_a, members):
    consultant = members[Role.CONSULTANT]
    client.force_login(consultant)
    url = reverse("itsms:assessment", kwargs={"org_slug": org_a.slug})
    html = page(chinese(client), url)
    assert "差距评估" in html and "开始差距评估" in html
    gap_assessment_start(organization=org_a, actor=consultant)
    html = page(client, url)
    assert "自评就绪度" in html and "就绪度如何计分" in html and "分派整章" in html
    assert "Self-assessed readiness" not in html


def test_the_audit_grading_criteria_speak_chinese(client, org_a, members):
    body = CertificationBody.objects.create(organization=org_a, name="Huaxin Certification")
    audit = audit_services.audit_create(
        organization=org_a,
        actor=members[Role.ADMIN],
        kind=AuditKind.STAGE2,
        title="Stage 2 audit",
        certification_body=body,
        planned_start=date(2026, 11, 2),
        planned_end=date(2026, 11, 4),
    )
    chen = UserFactory(email="chen@huaxin.example", full_name="Chen Jing")
    audit_services.assignment_add(
        audit=audit, actor=members[Role.ADMIN], user=chen, role=AuditAssignment.Role.LEAD
    )
    client.force_login(chen)
    url = reverse("audits:audit_detail", kwargs={"org_slug": org_a.slug, "pk": audit.pk})
    html = page(chinese(client), url)
    assert 'data-testid="grading-criteria"' in html
    assert "如何分级" in html and 'aria-label="分级准则"' in html
    for text in ("严重不符合项", "轻微不符合项", "观察项", "改进机会", "孤立的人为差错。"):
        assert text in html
    assert "An isolated human error." not in html


def test_an_english_client_still_sees_english(client, members, org_a):
    assert "Forgot your password?" in page(client, reverse("login"))
    client.force_login(members[Role.CONSULTANT])
    html = page(client, reverse("itsms:portfolio"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Your organisations" in html and "您的组织" not in html
    url = reverse("itsms:assessment", kwargs={"org_slug": org_a.slug})
    assert "Start the gap assessment" in page(client, url)


def test_a_reminder_to_a_chinese_organisation_has_a_chinese_subject(org_a, members):
    org_a.language = "zh-hans"
    org_a.save(update_fields=["language"])
    certification_services.certificate_record(
        organization=org_a,
        actor=members[Role.ADMIN],
        number="HX-2026-001",
        scope="IT services",
        decision_date=date(2026, 3, 15),
    )
    reminders.scan(now=datetime(2027, 3, 8, 12, tzinfo=UTC))
    reminder = Reminder.objects.get(kind="surveillance-1:-7")
    reminders.deliver(reminder.pk)
    assert mail.outbox
    for message in mail.outbox:
        assert message.subject.startswith("提醒：")
        assert "（2027-03-15）" in message.subject
        assert "监督审核" in message.subject  # the title itself is in the organisation's language
        assert "截止日期：2027-03-15" in message.body


def test_the_api_token_hint_shows_the_header_literally(client, members):
    client.force_login(members[Role.CONSULTANT])
    for language in ("en", "zh-hans"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = page(client, reverse("itsms:account"))
        assert "Authorization: Token &lt;key&gt;" in html, language
