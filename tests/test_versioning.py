"""Never a blind overwrite: every model with a ``version`` field, through the API and the pages.

Each versioned model of the project is found by its field; the test fails when one has no
entry in ``CASES`` (how to make a row of it, who edits it, which API route and page write it).
Through the API: a PATCH without ``version`` answers 400 naming it, a stale one 409 with the
current values, the loaded one 200; nothing changes on a refusal. Through the pages: the form
without its version answers 400, a stale one 409 showing the stored values beside what was
typed (and keeping what was typed); nothing changes on a refusal.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from itsms.models import Clause, ClauseAssessment, Evidence, Role
from itsms.shared.versioning import ANY

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Case:
    make: object  # (org, members, request) -> (row, editor)
    api: str  # the API detail route
    field: str  # a text field both the API and the page write
    page: str | None = None  # the page that edits it (None: its page belongs to another test)
    touch: object = None  # a write the product makes itself (version=ANY), for the stale case


def _assessment(org, members, request):
    from itsms.assessment import services

    services.gap_assessment_start(organization=org, actor=members[Role.CONSULTANT])
    row = ClauseAssessment.objects.get(organization=org, clause__number="8.6.1")
    return row, members[Role.CONSULTANT]


def _process(org, members, request):
    from processes import services
    from processes.models import ProcessInstance

    services.process_instances_ensure(org)
    return ProcessInstance.objects.get(organization=org, clause__number="8.6.1"), members[
        Role.CONSULTANT
    ]


def _audit(org, members, request):
    return request.getfixturevalue("audit"), members[Role.ADMIN]


def _finding(org, members, request):
    from audits import services

    audit, chen = request.getfixturevalue("audit"), request.getfixturevalue("chen")
    clause = Clause.objects.get(standard__code="iso20000-1-2018", number="8.6.1")
    finding = services.finding_record(
        audit=audit, actor=chen, grade="minor", clause=clause, statement="first statement"
    )
    return finding, chen


def _action(org, members, request):
    from audits import services
    from audits.models import CorrectiveAction

    finding, chen = _finding(org, members, request)
    services.closing_meeting_record(audit=finding.audit, actor=chen, held_on=org.local_today())
    return CorrectiveAction.objects.get(finding=finding), members[Role.CONSULTANT]


def _evidence(org, members, request):
    from itsms.evidence import services

    upload = SimpleUploadedFile("procedure.pdf", PDF, content_type="application/pdf")
    evidence = services.evidence_create(
        organization=org, actor=members[Role.ADMIN], upload=upload, title="Incident procedure"
    )
    return evidence, members[Role.ADMIN]


def _sms(register):
    def make(org, members, request):
        from sms.tests import factories

        admin = members[Role.ADMIN]
        return getattr(factories, register)(org, admin), admin

    return make


def _sms_action(org, members, request):
    from sms import services
    from sms.tests import factories

    admin = members[Role.ADMIN]
    row = factories.risk(org, admin)
    return services.action_create(risk=row, actor=admin, description="first"), admin


def _sms_document(org, members, request):
    from sms import services
    from sms.models import DocumentChecklistItem

    services.checklist_ensure(org)
    row = DocumentChecklistItem.objects.filter(organization=org).order_by("pk").first()
    return row, members[Role.ADMIN]


def _sms_settings(org, members, request):
    from sms import services

    return services.settings_ensure(org), members[Role.ADMIN]


def _touch(service, key, **changes):
    def touch(row, editor):
        return service(**{key: row, "actor": editor, "version": ANY, **changes})

    return touch


def _cases():
    from audits import services as audits
    from itsms.assessment import services as assessment
    from itsms.evidence import services as evidence
    from processes import services as processes
    from sms import services as sms

    def _sms_case(register, field="title", keyword=None):
        keyword = keyword or register
        return Case(
            _sms(register),
            f"sms-api:{register}-detail",
            field,
            page=f"sms:{register}_edit",
            touch=_touch(getattr(sms, f"{register}_update"), keyword, **{field: "theirs"}),
        )

    def _settings_touch(row, editor):
        return sms.settings_update(
            organization=row.organization,
            actor=editor,
            version=ANY,
            improvement_criteria="theirs",
        )

    return {
        "sms.Risk": _sms_case("risk"),
        "sms.Objective": _sms_case("objective"),
        "sms.Supplier": _sms_case("supplier", field="contact"),
        "sms.Agreement": _sms_case("agreement"),
        "sms.Improvement": _sms_case("improvement"),
        "sms.TreatmentAction": Case(
            _sms_action,
            "sms-api:risk-action-detail",
            "description",
            page="sms:action_edit",
            touch=_touch(sms.action_update, "action", description="theirs"),
        ),
        "sms.DocumentChecklistItem": Case(
            _sms_document,
            "sms-api:document-detail",
            "note",
            page="sms:checklist_item_edit",
            touch=_touch(sms.checklist_item_update, "item", note="theirs"),
        ),
        "sms.SmsSettings": Case(
            _sms_settings, "sms-api:settings-detail", "improvement_criteria", touch=_settings_touch
        ),
        "itsms.ClauseAssessment": Case(
            _assessment,
            "itsms-api:assessment-detail",
            "notes",
            touch=_touch(assessment.assessment_update, "assessment", notes="theirs"),
        ),
        "processes.ProcessInstance": Case(
            _process,
            "processes-api:process-detail",
            "purpose",
            page="processes:process_edit",
            touch=_touch(processes.process_instance_update, "instance", purpose="theirs"),
        ),
        "audits.Audit": Case(
            _audit,
            "audits-api:audit-detail",
            "objectives",
            page="audits:audit_edit",
            touch=_touch(audits.audit_update, "audit", objectives="theirs"),
        ),
        "audits.Finding": Case(
            _finding,
            "audits-api:finding-detail",
            "statement",
            page="audits:finding_edit",
            touch=_touch(audits.finding_update, "finding", statement="theirs"),
        ),
        "audits.CorrectiveAction": Case(
            _action,
            "audits-api:action-detail",
            "root_cause",
            touch=_touch(audits.action_update, "action", root_cause="theirs"),
        ),
        "itsms.Evidence": Case(
            _evidence,
            "itsms-api:evidence-detail",
            "description",
            page="itsms:evidence_edit",
            touch=_touch(evidence.evidence_update, "evidence", description="theirs"),
        ),
    }


def versioned_models():
    return sorted(
        model._meta.label
        for model in apps.get_models()
        if any(f.name == "version" for f in model._meta.concrete_fields)
        and not model.__name__.startswith("Historical")
    )


CASES = _cases()


def test_every_versioned_model_is_covered():
    assert versioned_models() == sorted(CASES), (
        "A model with a version field needs a Case here (and its writes through "
        "itsms.shared.versioning)."
    )


def _stored(row, field):
    return type(row)._default_manager.values_list(field, "version").get(pk=row.pk)


@pytest.mark.parametrize("label", sorted(CASES))
def test_the_api_requires_the_version_and_refuses_a_stale_one(
    label, org_a, members, api_client, request
):
    case = CASES[label]
    row, editor = case.make(org_a, members, request)
    api_client.force_authenticate(editor)
    url = reverse(case.api, args=[row.pk])
    before = _stored(row, case.field)

    missing = api_client.patch(url, {case.field: "mine"}, format="json")
    assert missing.status_code == 400, missing.content
    assert "version" in missing.json()
    assert _stored(row, case.field) == before

    case.touch(row, editor)  # someone else saves meanwhile
    stored_value, stored_version = _stored(row, case.field)
    stale = api_client.patch(url, {case.field: "mine", "version": before[1]}, format="json")
    assert stale.status_code == 409, stale.content
    body = stale.json()
    assert "version" in body and body["current"]["version"] == stored_version
    assert body["current"][case.field] == stored_value == "theirs"
    assert _stored(row, case.field) == (stored_value, stored_version)

    saved = api_client.patch(url, {case.field: "mine", "version": stored_version}, format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == stored_version + 1
    assert _stored(row, case.field) == ("mine", stored_version + 1)


class _FormFields(HTMLParser):
    """The fields of the page's form that carries a ``version``, as the browser would send."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[-1].setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1].setdefault(self._select, []).append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.forms[-1].setdefault(self._textarea, [""])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1][self._textarea][-1] += data


def _page_form(client, url):
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())
    form = next(f for f in parser.forms if "version" in f)
    form.pop("csrfmiddlewaretoken", None)
    return {k: v if len(v) > 1 else v[0] for k, v in form.items()}


@pytest.mark.parametrize("label", sorted(k for k, c in CASES.items() if c.page))
def test_the_page_requires_the_version_and_shows_a_stale_edit(
    label, org_a, members, client, request
):
    case = CASES[label]
    row, editor = case.make(org_a, members, request)
    client.force_login(editor)
    url = reverse(case.page, kwargs={"org_slug": org_a.slug, "pk": row.pk})
    data = _page_form(client, url)
    assert int(data["version"]) == row.version
    before = _stored(row, case.field)

    without = {k: v for k, v in data.items() if k != "version"}
    missing = client.post(url, {**without, case.field: "mine"})
    assert missing.status_code == 400
    assert _stored(row, case.field) == before

    case.touch(row, editor)
    stale = client.post(url, {**data, case.field: "my words"})
    assert stale.status_code == 409
    html = stale.content.decode()
    assert 'data-testid="conflict"' in html and "theirs" in html  # the stored value, shown
    assert "my words" in html  # and what was typed, kept
    assert _stored(row, case.field)[0] == "theirs"
    again = _page_form_from(html)
    assert int(again["version"]) == _stored(row, case.field)[1]  # saving again is a choice
    assert client.post(url, {**again, case.field: "my words"}).status_code == 302
    assert _stored(row, case.field)[0] == "my words"


def _page_form_from(html):
    parser = _FormFields()
    parser.feed(html)
    form = next(f for f in parser.forms if "version" in f)
    form.pop("csrfmiddlewaretoken", None)
    return {k: v if len(v) > 1 else v[0] for k, v in form.items()}


def test_a_corrective_action_transition_needs_the_version(api_client, org_a, members, request):
    action, _editor = _action(org_a, members, request)
    chen = request.getfixturevalue("chen")
    api_client.force_authenticate(chen)
    url = reverse("audits-api:action-accept", args=[action.pk])
    response = api_client.post(url, {"comment": "ok"}, format="json")
    assert response.status_code == 400 and "version" in response.json()
    assert type(action).objects.get(pk=action.pk).version == action.version  # untouched


def test_evidence_takes_a_new_version_on_every_write(org_a, members):
    from itsms.evidence import services

    admin = members[Role.ADMIN]
    upload = SimpleUploadedFile("p.pdf", PDF, content_type="application/pdf")
    evidence = services.evidence_create(organization=org_a, actor=admin, upload=upload)
    assert evidence.version == 1
    services.evidence_transition(evidence=evidence, actor=admin, to="in_review")
    assert Evidence.objects.get(pk=evidence.pk).version == 2
