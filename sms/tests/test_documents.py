"""The documented information of 7.5.4: reference data in both languages, each document linked
to the approved evidence that is it, and the gate's question "all present and approved?"."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from itsms.evidence import services as evidence
from itsms.models import Evidence, Role
from sms import selectors, services
from sms.models import DocumentChecklistItem, DocumentRequirement, DocumentState
from sms.reference import documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(members):
    return members[Role.ADMIN]


def upload(org, actor, title, approve=True, review_by=None):
    item = evidence.evidence_create(
        organization=org,
        actor=actor,
        upload=SimpleUploadedFile(f"{title}.txt", f"{title}\n".encode()),
        title=title,
        review_by=review_by,
    )
    if approve:
        evidence.evidence_transition(evidence=item, actor=actor, to="in_review")
        evidence.evidence_transition(evidence=item, actor=actor, to="approved")
    return item


def items(org):
    services.checklist_ensure(org)
    return {
        i.requirement.key: i
        for i in selectors.checklist(
            DocumentChecklistItem.objects.filter(organization=org), org.local_today()
        )
    }


def test_the_7_5_4_documents_are_reference_data_in_english_and_chinese():
    stored = list(DocumentRequirement.objects.select_related("clause"))
    assert len(stored) == len(documents()) >= 14
    keys = {d.key for d in stored}
    assert {
        "scope",
        "policy",
        "objectives",
        "sms-plan",
        "service-catalogue",
        "slas",
        "change-policy",
        "security-policy",
        "continuity-plans",
        "procedures",
    } <= keys
    scope = DocumentRequirement.objects.get(key="scope")
    assert scope.clause.number == "4.3" and scope.item == "a"
    with translation.override("zh-hans"):
        assert scope.title == "服务管理体系的范围"
        assert DocumentRequirement.objects.get(key="internal-agreements").title == (
            "与内部供方和作为供方的顾客的协议"
        )
    with translation.override("en"):
        assert scope.title == "Scope of the service management system"


def test_each_organisation_gets_one_row_per_document_once(org_a):
    assert services.checklist_ensure(org_a) == DocumentRequirement.objects.count()
    assert services.checklist_ensure(org_a) == 0


def test_a_document_is_present_once_approved_evidence_is_linked(org_a, admin):
    draft = upload(org_a, admin, "Scope draft", approve=False)
    services.checklist_item_update(item=items(org_a)["scope"], actor=admin, evidence=[draft])
    assert items(org_a)["scope"].state == DocumentState.NOT_APPROVED
    approved = upload(org_a, admin, "Scope statement")
    services.checklist_item_update(
        item=items(org_a)["scope"], actor=admin, evidence=[draft, approved]
    )
    assert items(org_a)["scope"].state == DocumentState.PRESENT
    assert items(org_a)["policy"].state == DocumentState.MISSING


def test_expired_or_deleted_evidence_no_longer_counts(org_a, admin):
    today = org_a.local_today()
    policy = upload(org_a, admin, "Policy", review_by=today + timedelta(days=1))
    services.checklist_item_update(item=items(org_a)["policy"], actor=admin, evidence=[policy])
    assert items(org_a)["policy"].state == DocumentState.PRESENT
    Evidence.objects.filter(pk=policy.pk).update(review_by=today - timedelta(days=1))
    assert items(org_a)["policy"].state == DocumentState.NOT_APPROVED
    Evidence.objects.filter(pk=policy.pk).update(
        review_by=None, deleted_at=timezone.now(), deletion_reason="wrong file"
    )
    assert items(org_a)["policy"].state == DocumentState.MISSING


def test_all_documents_present_and_approved_is_the_gates_condition(org_a, admin):
    assert not selectors.all_documents_present_and_approved(org_a)
    state = selectors.documents_state(org_a, org_a.local_today())
    assert state.present == 0 and len(state.missing) == DocumentRequirement.objects.count()
    rows = items(org_a)
    for key, row in rows.items():
        services.checklist_item_update(item=row, actor=admin, evidence=[upload(org_a, admin, key)])
    assert selectors.all_documents_present_and_approved(org_a)
    last = rows["records-nonconformities"]
    services.checklist_item_update(item=last, actor=admin, evidence=[])
    state = selectors.documents_state(org_a, org_a.local_today())
    assert not state.complete and [r.key for r in state.missing] == ["records-nonconformities"]


def test_evidence_of_another_organisation_cannot_be_linked(org_a, org_b, admin):
    theirs = upload(org_b, None, "Their policy", approve=False)
    with pytest.raises(ValidationError):
        services.checklist_item_update(item=items(org_a)["policy"], actor=admin, evidence=[theirs])


def test_the_checklist_page_shows_what_is_missing_and_links_evidence(client, org_a, admin):
    approved = upload(org_a, admin, "Service catalogue 2026")
    client.force_login(admin)
    row = items(org_a)["service-catalogue"]
    edit = reverse("sms:checklist_item_edit", kwargs={"org_slug": org_a.slug, "pk": row.pk})
    response = client.post(
        edit, {"evidence": [approved.pk], "note": "Exported monthly", "version": row.version}
    )
    assert response.status_code == 302
    stale = client.post(edit, {"evidence": [], "note": "", "version": row.version})
    assert stale.status_code == 409  # the form was loaded before the save above
    page = client.get(reverse("sms:checklist", kwargs={"org_slug": org_a.slug}))
    html = page.content.decode()
    total = DocumentRequirement.objects.count()
    assert f"1 of {total} documents present and approved" in html
    assert "Service catalogue 2026" in html and "Exported monthly" in html
    assert html.count("doc-state-missing") == total - 1
    history = client.get(edit).content.decode()
    assert "Service catalogue 2026" in history  # the link is in the history
