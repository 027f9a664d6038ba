"""The registers' pages: what is typed is kept (in both languages), a stale edit answers 409,
bad input gets field errors, the history shows every change, the CSV follows the filters and
is safe to open in a spreadsheet."""

import csv
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from itsms.models import Clause, Role
from processes import services as processes
from processes.models import ProcessInstance
from sms import services
from sms.models import Objective, Risk, Supplier
from sms.registers import REGISTERS

from .factories import risk, supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(members):
    return members[Role.ADMIN]


def url(name, org, **kwargs):
    return reverse(f"sms:{name}", kwargs={"org_slug": org.slug, **kwargs})


def speak(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


RISK_TEXTS = {
    "en": {
        "title": "Ransomware on the core banking servers",
        "description": "Encrypts the database & its backups <b>at once</b>",
        "cause": "Unpatched servers",
        "consequence": "Loss of service\nand of data",
        "treatment_notes": "EDR everywhere; offline backups",
    },
    "zh-hans": {
        "title": "核心银行服务器遭勒索软件攻击",
        "description": "数据库及其备份同时被加密",
        "cause": "服务器未打补丁",
        "consequence": "服务中断\n数据丢失",
        "treatment_notes": "全面部署终端检测；离线备份",
    },
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_risk_typed_in_the_form_comes_back_unchanged(client, org_a, admin, members, language):
    processes.process_instances_ensure(org_a)
    security = ProcessInstance.objects.get(organization=org_a, clause__number="8.7.3")
    service = processes.service_create(organization=org_a, actor=admin, name="Online banking")
    clause = Clause.objects.get(standard__code="iso20000-1-2018", number="6.1")
    speak(client, language)
    client.force_login(admin)
    typed = {
        **RISK_TEXTS[language],
        "kind": "risk",
        "category": "information_security",
        "likelihood": "3",
        "impact": "5",
        "treatment": "reduce",
        "residual_likelihood": "2",
        "residual_impact": "4",
        "owner": str(members[Role.CONTRIBUTOR].pk),
        "status": "in_treatment",
        "review_by": "2027-05-10",
        "clauses": [str(clause.pk)],
        "processes": [str(security.pk)],
        "services": [str(service.pk)],
    }
    response = client.post(url("risk_create", org_a), typed)
    assert response.status_code == 302, response.context["form"].errors
    row = Risk.objects.get(organization=org_a)
    form = client.get(url("risk_edit", org_a, pk=row.pk)).context["form"]
    for name, value in typed.items():
        shown = form[name].value()
        if isinstance(value, list):
            assert [str(v) for v in shown] == value, name
        else:
            assert str(shown).replace("\r\n", "\n") == value, name
    detail = client.get(url("risk_detail", org_a, pk=row.pk)).content.decode()
    assert "&lt;b&gt;at once&lt;/b&gt;" in detail or language != "en"  # escaped, not markup
    assert "Online banking" in detail and "8.7.3" in detail


def test_an_objective_typed_in_chinese_comes_back_unchanged(client, org_a, admin):
    speak(client, "zh-hans")
    client.force_login(admin)
    typed = {
        "title": "网上银行每月可用率达到 99.9 %",
        "measure": "监控系统的月度可用率",
        "target": "99.9",
        "unit": "%",
        "direction": "higher",
        "current_value": "99.95",
        "due_date": "2027-06-30",
        "plan_what": "双活数据中心",
        "plan_resources": "两名工程师",
        "plan_responsible": "王伟",
        "plan_when": "第三季度末",
        "plan_evaluation": "管理评审中比较趋势",
        "status": "in_progress",
    }
    assert client.post(url("objective_create", org_a), typed).status_code == 302
    row = Objective.objects.get(organization=org_a)
    form = client.get(url("objective_edit", org_a, pk=row.pk)).context["form"]
    for name, value in typed.items():
        shown = form[name].value()
        if name in ("target", "current_value"):
            assert Decimal(str(shown)) == Decimal(value), name
        else:
            assert str(shown) == value, name


def test_a_stale_edit_answers_409_and_overwrites_nothing(client, org_a, admin, members):
    row = risk(org_a, admin, title="Power loss")
    client.force_login(admin)
    form = {
        "kind": "risk",
        "category": "sms",
        "title": "Power loss",
        "likelihood": "3",
        "impact": "4",
        "status": "identified",
        "version": row.version,
    }
    assert (
        client.post(url("risk_edit", org_a, pk=row.pk), {**form, "title": "Mine"}).status_code
        == 302
    )
    stale = client.post(url("risk_edit", org_a, pk=row.pk), {**form, "title": "Theirs"})
    assert stale.status_code == 409
    assert "nothing was overwritten" in stale.content.decode()
    assert 'value="Theirs"' in stale.content.decode()  # what they typed is still in the form
    row.refresh_from_db()
    assert row.title == "Mine"


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"likelihood": "7"}, "likelihood"),  # off the 1–5 scale
        ({"likelihood": "abc"}, "likelihood"),
        ({"title": ""}, "title"),
        ({"review_by": "31/02/2027"}, "review_by"),
        ({"treatment": "", "residual_likelihood": "1", "residual_impact": "1"}, "treatment"),
        (
            {"residual_likelihood": "5", "residual_impact": "5", "treatment": "reduce"},
            "residual_impact",
        ),
    ],
)
def test_bad_input_gets_a_field_error_and_keeps_the_rest(client, org_a, admin, changes, field):
    client.force_login(admin)
    data = {
        "kind": "risk",
        "category": "sms",
        "title": "Flood in the basement",
        "likelihood": "2",
        "impact": "4",
        "status": "identified",
        **changes,
    }
    response = client.post(url("risk_create", org_a), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    if field != "title":
        assert 'value="Flood in the basement"' in response.content.decode()
    assert not Risk.objects.exists()


def test_the_history_shows_each_change_with_its_links(client, org_a, admin):
    row = risk(org_a, admin, title="Power loss")
    processes.process_instances_ensure(org_a)
    continuity = ProcessInstance.objects.get(organization=org_a, clause__number="8.7.2")
    services.risk_update(
        risk=row,
        actor=admin,
        version=row.version,
        impact=5,
        links={"processes": [continuity]},
    )
    client.force_login(admin)
    page = client.get(url("risk_detail", org_a, pk=row.pk))
    history = dict((record.history_type, changes) for record, changes in page.context["history"])
    changes = {str(label): (before, after) for label, before, after in history["~"]}
    assert changes["impact"] == (4, 5)
    assert changes["processes"] == ("—", "8.7.2")
    assert "version" not in changes


def test_the_csv_follows_the_filters_and_neutralises_formulas(client, org_a, admin):
    risk(org_a, admin, title='=HYPERLINK("http://evil")', category="information_security")
    risk(org_a, admin, title="Flood", category="service")
    client.force_login(admin)
    response = client.get(url("risk_csv", org_a), {"category": "information_security"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 2
    assert rows[1][rows[0].index("Title")] == '\'=HYPERLINK("http://evil")'
    listed = client.get(url("risk_list", org_a), {"category": "information_security"})
    links = dict(listed.context["export_links"]["main"])
    assert "category=information_security" in links["CSV"]
    assert "category=information_security" in links["XLSX"]
    exported = client.get(
        url("risk_list", org_a), {"category": "information_security", "export": "csv"}
    )
    assert exported.content == response.content


def test_a_contributor_edits_what_they_own_and_cannot_hand_it_on(client, org_a, admin, members):
    zhao = members[Role.CONTRIBUTOR]
    mine = supplier(org_a, admin, title="Mine", owner=zhao)
    other = supplier(org_a, admin, title="Other", owner=admin)
    client.force_login(zhao)
    assert client.get(url("supplier_edit", org_a, pk=other.pk)).status_code == 403
    form = client.get(url("supplier_edit", org_a, pk=mine.pk)).context["form"]
    assert "owner" not in form.fields  # only managers reassign
    data = {
        "title": "Mine, renamed",
        "kind": "external_supplier",
        "status": "active",
        "owner": admin.pk,
        "version": mine.version,
    }
    assert client.post(url("supplier_edit", org_a, pk=mine.pk), data).status_code == 302
    mine.refresh_from_db()
    assert (mine.title, mine.owner) == ("Mine, renamed", zhao)
    assert client.get(url("supplier_create", org_a)).status_code == 403
    assert Supplier.objects.filter(organization=org_a).count() == 2


def test_the_overview_counts_each_register_and_says_what_stage_2_lacks(client, org_a, admin):
    risk(org_a, admin, title="Untreated", likelihood=4, impact=4)
    client.force_login(admin)
    page = client.get(url("overview", org_a))
    assert page.status_code == 200
    assert not page.context["risks"].complete
    assert [r.title for r in page.context["risks"].needing_treatment] == ["Untreated"]
    assert not page.context["documents"].complete and not page.context["objectives_set"]
    counts = {register.key: c for register, c, _url in page.context["registers"]}
    assert counts["risks"].open == 1 and counts["suppliers"].total == 0


GARBAGE = {
    "status": "nonsense",
    "owner": "999999",
    "review": "someday",
    "process": "abc",
    "ordering": "-password",
    "page": "last-but-one",
    "likelihood": "high",
}


@pytest.mark.parametrize("register", [r.name for r in REGISTERS])
def test_nonsense_filters_are_errors_never_500(client, api_client, org_a, admin, register):
    client.force_login(admin)
    page = client.get(url(f"{register}_list", org_a), GARBAGE)
    assert page.status_code == 200 and page.context["filterset"].errors
    assert 'data-testid="filter-errors"' in page.content.decode()
    download = client.get(url(f"{register}_csv", org_a), GARBAGE)
    assert download.status_code == 400 and "Status" in download.content.decode()
    api_client.force_authenticate(admin)
    listed = api_client.get(
        reverse(f"sms-api:{register}-list"), {**GARBAGE, "organization": org_a.slug}
    )
    assert listed.status_code == 400 and "status" in listed.json()
