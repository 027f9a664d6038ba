"""Every form of the project, submitted unchanged, changes nothing — in English and Chinese.

Generated over the forms themselves: every ``forms.BaseForm`` subclass of the project's modules
must be reached by an entry of ``REACH`` (a form the test does not reach fails it). Each
entry names the page that shows the form, with a saved object behind it, and the form on that
page. The test renders the page in each language, reads the form back from the HTML as a
browser would submit it unchanged (``tests/harness/round_trip.py``: a date in any format but
ISO is empty, a textarea's lines end in CRLF, …), posts it, and compares the database before
and after: no row changed (version counters and timestamps aside) and no history record with
a change. The form the view built from the post must be the entry's form, with every one of
its fields on the page and, when the page showed values, none of them changed.

A form whose submission is an action (record the closing meeting, move a document on) names
the fields its action may change; everything else must stay as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from itsms.models import Clause, ClauseAssessment, NotificationPreference, Role

from .factories import InvitationFactory, MembershipFactory, UserFactory
from .harness import round_trip
from .harness.forms import label, project_forms

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "zh-hans"]
NOTE = "First line of the note\nSecond line 第二行, with “quotes” & <angle> brackets"


def clause(number):
    return Clause.objects.get(standard__code="iso20000-1-2018", number=number)


class World:
    """Organisation A with a saved object behind every form, each field holding a value."""

    def __init__(self, org, members):
        from audits import services as audits
        from audits.models import AuditAssignment, AuditKind, CertificationBody, Grade
        from certification import services as certification
        from certification.models import CertificateEdition
        from itsms.assessment import services as gap
        from itsms.evidence import services as evidence
        from processes import services as processes
        from processes.models import Kpi, ProcessInstance

        self.org = org
        self.members = members
        consultant = self.consultant = members[Role.CONSULTANT]
        contributor = members[Role.CONTRIBUTOR]
        org.scope = NOTE
        org.save()

        gap.gap_assessment_start(organization=org, actor=consultant)
        self.assessment = ClauseAssessment.objects.get(organization=org, clause__number="8.6.1")
        gap.assessment_update(
            assessment=self.assessment,
            actor=consultant,
            status="partial",
            maturity=2,
            owner=contributor,
            target_date=date(2026, 11, 22),
            other_party="external_supplier",
            other_party_name="Outsourcing 外包 Ltd",
            notes=NOTE,
        )

        processes.process_instances_ensure(org)
        self.process = ProcessInstance.objects.get(organization=org, clause__number="8.6.1")
        self.process = processes.process_instance_update(
            instance=self.process,
            actor=consultant,
            version=self.process.version,
            owner=contributor,
            status="partial",
            maturity=3,
            purpose=NOTE,
            procedure_reference="PRC-8.6.1",
            last_review_date=date(2026, 10, 31),
        )
        self.kpi = processes.kpi_create(
            process=self.process,
            actor=consultant,
            name="P1 incidents resolved within 4 h",
            description=NOTE,
            target=Decimal("95.00"),
            unit="%",
            period=Kpi.Period.MONTHLY,
            direction=Kpi.Direction.HIGHER,
        )
        processes.kpi_value_record(
            kpi=self.kpi,
            actor=consultant,
            period_start=date(2026, 10, 1),
            value=Decimal("93.50"),
            note="October",
        )
        self.service = processes.service_create(
            organization=org,
            actor=consultant,
            name="Online banking 网上银行",
            status="catalogue",
            description=NOTE,
            customers="Retail customers",
            owner=contributor,
            availability_target=Decimal("99.90"),
            processes=[self.process],
            clauses=[clause("8.3.3")],
            sla_targets={"P1": (15, 240)},
        )

        self.evidence = evidence.evidence_create(
            organization=org,
            actor=consultant,
            upload=SimpleUploadedFile("procedure.txt", b"incident procedure\n"),
            title="Incident procedure 事件管理程序",
            description=NOTE,
            kind="procedure",
            owner=contributor,
            reviewer=members[Role.ADMIN],
            effective_date=date(2026, 1, 1),
            review_by=date(2027, 6, 30),
            clauses=[clause("8.6.1")],
            processes=[self.process],
            services=[self.service],
            change_note="First issue",
        )

        self.body = CertificationBody.objects.create(
            organization=org,
            name="Huaxin Certification 华信认证",
            accreditation="CNAS",
            contacts=NOTE,
            transition_cutoff=date(2021, 9, 15),
        )
        self.audit = audits.audit_create(
            organization=org,
            actor=consultant,
            kind=AuditKind.STAGE2,
            title="Stage 2 audit 第二阶段审核",
            certification_body=self.body,
            audit_guide=members[Role.ADMIN],
            planned_start=date(2026, 3, 2),
            planned_end=date(2026, 3, 4),
            actual_start=date(2026, 3, 2),
            actual_end=date(2026, 3, 3),
            scope_sites=NOTE,
            objectives=NOTE,
            scope_clauses=[clause("8.6.1"), clause("8.6.2")],
            scope_processes=[self.process],
            scope_services=[self.service],
        )
        audits.session_add(
            audit=self.audit,
            actor=consultant,
            starts_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
            ends_at=datetime(2026, 3, 2, 11, 0, tzinfo=UTC),
            clause=clause("8.6.1"),
            topic="Incident management",
            auditee="Zhao Lei",
            location="Room 3",
        )
        self.finding = audits.finding_record(
            audit=self.audit,
            actor=consultant,
            grade=Grade.MINOR,
            clause=clause("8.6.1"),
            statement=NOTE,
            requirement="8.6.1 requires customer confirmation",
            objective_evidence="Incident report March",
            evidence=[self.evidence],
        )
        second = audits.finding_record(
            audit=self.audit,
            actor=consultant,
            grade=Grade.MINOR,
            clause=clause("8.6.2"),
            statement="Second finding",
        )
        audits.closing_meeting_record(audit=self.audit, actor=consultant, held_on=date(2026, 3, 4))
        self.draft_action = self.finding.corrective_action
        self.draft_action = audits.action_update(
            action=self.draft_action,
            actor=consultant,
            correction="Reopened both incidents",
            root_cause=NOTE,
            plan="Confirm with the customer before closing",
            owner=contributor,
            target_date=date(2026, 4, 15),
            evidence=[self.evidence],
        )
        second.refresh_from_db()
        self.submitted_action = audits.action_update(
            action=second.corrective_action,
            actor=consultant,
            root_cause="Root cause",
            plan="Plan",
            owner=contributor,
            target_date=date(2026, 4, 20),
        )
        self.submitted_action = audits.action_submit(action=self.submitted_action, actor=consultant)

        # An audit under way without its meetings yet (the opening meeting's form shows).
        self.open_audit = audits.audit_create(
            organization=org,
            actor=consultant,
            kind=AuditKind.INTERNAL,
            title="Internal audit 内部审核",
            planned_start=date(2026, 2, 2),
            planned_end=date(2026, 2, 3),
        )

        audits.assignment_add(
            audit=self.audit,
            actor=consultant,
            user=members[Role.AUDITOR],
            role=AuditAssignment.Role.LEAD,
        )

        self.project = certification.project_ensure(organization=org, actor=consultant)
        certification.project_update(
            project=self.project,
            actor=consultant,
            certification_body=self.body,
            target_stage1=date(2026, 9, 1),
            target_certificate=date(2027, 1, 31),
        )
        self.step = self.project.steps.order_by("number").first()
        certification.step_update(
            step=self.step,
            actor=consultant,
            owner=contributor,
            due_date=date(2026, 8, 15),
            notes=NOTE,
        )
        certification.certificate_record(
            organization=org,
            actor=consultant,
            edition=CertificateEdition.E2018,
            number="CN-20000-2026-001",
            scope="IT services",
            certification_body=self.body,
            decision_date=date(2026, 3, 15),
            issue_date=date(2026, 3, 20),
        )
        NotificationPreference.objects.update_or_create(
            user=consultant, defaults={"channel": "in_app"}
        )
        self.membership = MembershipFactory(
            organization=org, user=UserFactory(full_name="Member Role"), role=Role.VIEWER
        )
        self.invitation = InvitationFactory(organization=org, email="newcomer@example.com")

    def url(self, name, **kwargs):
        return reverse(name, kwargs=kwargs)

    def org_url(self, name, **kwargs):
        return reverse(name, kwargs={"org_slug": self.org.slug, **kwargs})


@dataclass
class Reach:
    """How a form is reached: the page that shows it and the form on that page."""

    page: object  # World -> page URL
    posts_to: object  # World -> the URL the form posts to (its action)
    attrs: dict = field(default_factory=dict)  # more attributes telling the form apart
    button: str | None = None  # value of the submit button pressed (the first one when None)
    shows_values: bool = True  # the page shows the saved object's values (or defaults)
    #: {model label: {fields its action changes}}; the field None: rows its action creates
    acts: dict = field(default_factory=dict)
    user: str | None = Role.CONSULTANT  # None: an anonymous visitor
    initial: object = None  # World -> the values shown, for a form the page renders by hand


REACH = {
    # the core
    "itsms.accounts.forms.LoginForm": Reach(
        page=lambda w: reverse("login"),
        posts_to=lambda w: reverse("login"),
        user=None,
        shows_values=False,
    ),
    "itsms.sso.forms.IdentityProviderForm": Reach(
        page=lambda w: w.org_url("itsms:sso_settings"),
        posts_to=lambda w: w.org_url("itsms:sso_settings"),
        user=Role.ADMIN,
        shows_values=False,
    ),
    "itsms.sso.forms.GroupRoleForm": Reach(
        page=lambda w: w.org_url("itsms:sso_settings"),
        posts_to=lambda w: w.org_url("itsms:sso_settings"),
        user=Role.ADMIN,
        shows_values=False,
    ),
    "itsms.accounts.forms.PreferencesForm": Reach(
        page=lambda w: w.url("itsms:account"),
        posts_to=lambda w: w.url("itsms:account"),
    ),
    "itsms.accounts.forms.ApiTokenForm": Reach(
        page=lambda w: w.url("itsms:account"),
        posts_to=lambda w: w.url("itsms:api_token_create"),
        shows_values=False,
        acts={"itsms.ApiToken": {None}},  # creating a token is the form's action
    ),
    "itsms.assessment.forms.ClauseAssessmentForm": Reach(
        page=lambda w: w.org_url("itsms:assessment"),
        posts_to=lambda w: w.org_url("itsms:assessment_row", pk=w.assessment.pk),
    ),
    "itsms.assessment.forms.BulkAssignForm": Reach(
        page=lambda w: w.org_url("itsms:assessment"),
        posts_to=lambda w: w.org_url("itsms:assessment_bulk_assign"),
        shows_values=False,
    ),
    "itsms.evidence.forms.EvidenceMetadataForm": Reach(
        page=lambda w: w.org_url("itsms:evidence_edit", pk=w.evidence.pk),
        posts_to=lambda w: w.org_url("itsms:evidence_edit", pk=w.evidence.pk),
    ),
    "itsms.evidence.forms.EvidenceUploadForm": Reach(
        page=lambda w: w.org_url("itsms:evidence_upload"),
        posts_to=lambda w: w.org_url("itsms:evidence_upload"),
        shows_values=False,
    ),
    "itsms.evidence.forms.VersionUploadForm": Reach(
        page=lambda w: w.org_url("itsms:evidence_version_upload", pk=w.evidence.pk),
        posts_to=lambda w: w.org_url("itsms:evidence_version_upload", pk=w.evidence.pk),
        shows_values=False,
    ),
    "itsms.evidence.forms.TransitionForm": Reach(
        page=lambda w: w.org_url("itsms:evidence_detail", pk=w.evidence.pk),
        posts_to=lambda w: w.org_url("itsms:evidence_transition", pk=w.evidence.pk),
        button="in_review",
        shows_values=False,
        # Sending the item for review is the form's action; the reviewer is told.
        acts={"itsms.Evidence": {"status", "status_note"}, "itsms.Notification": {None}},
    ),
    "itsms.evidence.forms.DeleteForm": Reach(
        page=lambda w: w.org_url("itsms:evidence_detail", pk=w.evidence.pk),
        posts_to=lambda w: w.org_url("itsms:evidence_delete", pk=w.evidence.pk),
        shows_values=False,
    ),
    "itsms.tenancy.forms.OrganizationForm": Reach(
        page=lambda w: w.org_url("itsms:organization_edit"),
        posts_to=lambda w: w.org_url("itsms:organization_edit"),
    ),
    "itsms.tenancy.forms.InvitationForm": Reach(
        page=lambda w: w.org_url("itsms:member_list"),
        posts_to=lambda w: w.org_url("itsms:member_list"),
        shows_values=False,
    ),
    "itsms.tenancy.forms.MembershipRoleForm": Reach(
        page=lambda w: w.org_url("itsms:member_list"),
        posts_to=lambda w: w.org_url("itsms:membership_role", pk=w.membership.pk),
        initial=lambda w: {"role": w.membership.role},
    ),
    "itsms.tenancy.forms.InvitationSignupForm": Reach(
        page=lambda w: w.url("itsms:invitation_accept", token=w.invitation._token),
        posts_to=lambda w: w.url("itsms:invitation_accept", token=w.invitation._token),
        attrs={"novalidate": ""},
        user=None,
        shows_values=False,
    ),
    # processes
    "processes.forms.ProcessInstanceForm": Reach(
        page=lambda w: w.org_url("processes:process_edit", pk=w.process.pk),
        posts_to=lambda w: w.org_url("processes:process_edit", pk=w.process.pk),
    ),
    "processes.forms.KpiForm": Reach(
        page=lambda w: w.org_url("processes:kpi_edit", pk=w.kpi.pk),
        posts_to=lambda w: w.org_url("processes:kpi_edit", pk=w.kpi.pk),
    ),
    "processes.forms.KpiValueForm": Reach(
        page=lambda w: w.org_url("processes:process_detail", pk=w.process.pk),
        posts_to=lambda w: w.org_url("processes:kpi_value_create", pk=w.kpi.pk),
        shows_values=False,
    ),
    "processes.forms.ServiceForm": Reach(
        page=lambda w: w.org_url("processes:service_edit", pk=w.service.pk),
        posts_to=lambda w: w.org_url("processes:service_edit", pk=w.service.pk),
    ),
    # audits
    "audits.forms.CertificationBodyForm": Reach(
        page=lambda w: w.org_url("audits:body_edit", pk=w.body.pk),
        posts_to=lambda w: w.org_url("audits:body_edit", pk=w.body.pk),
    ),
    "audits.forms.AuditForm": Reach(
        page=lambda w: w.org_url("audits:audit_edit", pk=w.audit.pk),
        posts_to=lambda w: w.org_url("audits:audit_edit", pk=w.audit.pk),
    ),
    "audits.forms.AssignForm": Reach(
        page=lambda w: w.org_url("audits:audit_detail", pk=w.audit.pk),
        posts_to=lambda w: w.org_url("audits:assign", pk=w.audit.pk),
        shows_values=False,
    ),
    "audits.forms.SessionForm": Reach(
        page=lambda w: w.org_url("audits:audit_plan", pk=w.audit.pk),
        posts_to=lambda w: w.org_url("audits:session_create", pk=w.audit.pk),
        shows_values=False,
    ),
    "audits.forms.NoteForm": Reach(
        page=lambda w: w.org_url("audits:audit_detail", pk=w.audit.pk),
        posts_to=lambda w: w.org_url("audits:note_create", pk=w.audit.pk),
        shows_values=False,
        user=Role.AUDITOR,
    ),
    "audits.forms.FindingForm": Reach(
        page=lambda w: w.org_url("audits:finding_edit", pk=w.finding.pk),
        posts_to=lambda w: w.org_url("audits:finding_edit", pk=w.finding.pk),
        user=Role.AUDITOR,
    ),
    "audits.forms.ClosingMeetingForm": Reach(
        page=lambda w: w.org_url("audits:audit_detail", pk=w.audit.pk),
        posts_to=lambda w: w.org_url("audits:closing_meeting", pk=w.audit.pk),
        # Recording the meeting is the form's action: on the date it shows (today).
        acts={"audits.Audit": {"closing_meeting_on", "status"}},
    ),
    "audits.forms.OpeningMeetingForm": Reach(
        page=lambda w: w.org_url("audits:audit_detail", pk=w.open_audit.pk),
        posts_to=lambda w: w.org_url("audits:opening_meeting", pk=w.open_audit.pk),
        # Recording the meeting is the form's action: on the date it shows (today).
        acts={"audits.Audit": {"opening_meeting_on", "actual_start", "status"}},
    ),
    "audits.forms.PlanNextForm": Reach(
        page=lambda w: w.org_url("audits:audit_detail", pk=w.audit.pk),
        posts_to=lambda w: w.org_url("audits:plan_next", pk=w.audit.pk),
        shows_values=False,
    ),
    "audits.forms.ActionAnswerForm": Reach(
        page=lambda w: w.org_url("audits:action_detail", pk=w.draft_action.pk),
        posts_to=lambda w: w.org_url("audits:action_detail", pk=w.draft_action.pk),
        attrs={"data-testid": "answer-form"},
        button="save",
    ),
    "audits.forms.ReviewForm": Reach(
        page=lambda w: w.org_url("audits:action_detail", pk=w.submitted_action.pk),
        posts_to=lambda w: w.org_url("audits:action_detail", pk=w.submitted_action.pk),
        attrs={"class": "review"},
        button="return",  # returning needs a comment: refused unchanged
        shows_values=False,
        user=Role.AUDITOR,
    ),
    # certification
    "certification.forms.ProjectForm": Reach(
        page=lambda w: w.org_url("certification:project"),
        posts_to=lambda w: w.org_url("certification:project_edit"),
    ),
    "certification.forms.StepForm": Reach(
        page=lambda w: w.org_url("certification:project"),
        posts_to=lambda w: w.org_url("certification:step_edit", pk=w.step.pk),
    ),
    "certification.forms.ItemForm": Reach(
        page=lambda w: w.org_url("certification:project"),
        posts_to=lambda w: w.org_url("certification:item_add", pk=w.step.pk),
        shows_values=False,
    ),
    "certification.forms.CertificateForm": Reach(
        page=lambda w: w.org_url("certification:certificate_create"),
        posts_to=lambda w: w.org_url("certification:certificate_create"),
        shows_values=False,
    ),
    "certification.forms.PreferenceForm": Reach(
        page=lambda w: w.url("certification:reminder_settings"),
        posts_to=lambda w: w.url("certification:reminder_settings"),
    ),
}


#: Forms no page shows to a signed-in or anonymous visitor as such, with the reason.
NOT_REACHED = {
    # the second step of a sign-in in progress (allauth's stage in the session), submitted
    # with a one-time code: ``tests/test_mfa.py`` drives it end to end
    "itsms.accounts.forms.SecondFactorForm",
    # a GET form that only reads (the search page): submitting it cannot change a row
    "itsms.search.forms.SearchForm",
    # submitting them is their action (build an audit pack or an archive in the background;
    # check an uploaded pack and store nothing): audits/tests/test_pack.py, tests/test_archive.py
    "audits.views.packs.PackRequestForm",
    "itsms.archive.views.ArchiveRequestForm",
    "itsms.archive.views.VerifyForm",
}


def test_every_form_of_the_project_is_reached():
    """A new form fails here until ``REACH`` says how the test gets to it."""
    forms_found = {label(cls) for cls in project_forms()} - NOT_REACHED
    assert forms_found - REACH.keys() == set(), "forms the round trip does not reach"
    assert REACH.keys() - forms_found == set(), "REACH names forms that do not exist"


def _rendered_as(instance, html_form) -> bool:
    """Is ``html_form`` the rendering of this form instance (its fields' ids are there)?"""
    ids = {
        bf.auto_id
        for bf in instance
        if bf.auto_id
        and not bf.is_hidden
        and not isinstance(bf.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
    }
    return bool(ids) and ids <= html_form.ids()


def _form_class(name):
    return next(cls for cls in project_forms() if label(cls) == name)


@pytest.fixture
def built_forms(monkeypatch):
    """Every form instance built while the fixture is active."""
    made = []
    original = forms.BaseForm.__init__

    def recording(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(forms.BaseForm, "__init__", recording)
    return made


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form_name", sorted(REACH))
def test_a_form_submitted_unchanged_changes_nothing(
    client, org_a, members, built_forms, settings, tmp_path, form_name, language
):
    settings.MEDIA_ROOT = tmp_path
    world = World(org_a, members)
    reach = REACH[form_name]
    form_class = _form_class(form_name)
    if reach.user is not None:
        client.force_login(members[reach.user])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page_url = reach.page(world)
    response = client.get(page_url)
    assert response.status_code == 200, (page_url, response.status_code)
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert not round_trip.duplicate_ids(html), "two elements of the page share an id"
    form = round_trip.find_form(html, page_url, reach.posts_to(world), **reach.attrs)
    buttons = form.buttons()
    button = (
        next(b for b in buttons if b.attrs.get("value") == reach.button)
        if reach.button
        else (buttons[0] if buttons else None)
    )
    data = {}
    for name, value in form.submission(button):
        data.setdefault(name, []).append(value)

    shown = [f for f in built_forms if type(f) is form_class and not f.is_bound]
    before = round_trip.snapshot()
    built_forms.clear()
    client.post(form.action(page_url), data)
    after = round_trip.snapshot()

    # The view read the post with the entry's form, and the page carried all of its fields.
    bound = [f for f in built_forms if type(f) is form_class and f.is_bound]
    assert bound, f"posting the form did not build a {form_class.__name__}"
    posted = bound[-1]
    missing = {
        posted[name].html_name
        for name, f in posted.fields.items()
        if not f.disabled and not isinstance(f.widget, forms.FileInput)
    } - form.names()
    assert not missing, f"fields of {form_class.__name__} missing on the page: {missing}"
    if reach.shows_values:
        # Compared with the values the page was rendered from (the form the page built; the
        # assessment's rows have none: the bound form's instance holds them).
        initial = reach.initial(world) if reach.initial else None
        rendered = next((f for f in shown if _rendered_as(f, form)), posted)
        changed = [
            name
            for name, f in posted.fields.items()
            if f.has_changed(
                initial[name] if initial is not None else rendered[name].initial,
                posted[name].data,
            )
        ]
        assert not changed, f"submitted unchanged, {form_class.__name__} saw changes: {changed}"

    # Nothing changed in the database, history included (but what the form's action does).
    def unexpected(differences):
        return [str(d) for d in differences if d.field not in reach.acts.get(d.model, ())]

    assert not unexpected(round_trip.changes(before, after))
    assert not unexpected(round_trip.new_history_changes(before))
