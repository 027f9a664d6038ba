"""Evidence documents: versions and hashes, document control, soft delete, integrity,
downloads, expiry, evidenced readiness, roles and the auditor's object permission."""

import hashlib
import io
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from itsms.assessment import readiness
from itsms.assessment import selectors as gap
from itsms.assessment import services as gap_services
from itsms.evidence import services
from itsms.evidence.tasks import expire_evidence
from itsms.models import (
    Clause,
    ClauseAssessment,
    DocumentStatus,
    Evidence,
    EvidenceVersion,
    Notification,
    Role,
)
from itsms.shared import permissions

from .factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def pdf(name="procedure.pdf", body=b""):
    return SimpleUploadedFile(name, PDF + body, content_type="application/pdf")


def docx(name="policy.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def clause(number="8.6.1"):
    return Clause.objects.get(standard__code="iso20000-1-2018", number=number)


def create(org, actor, **kwargs):
    kwargs.setdefault("upload", pdf())
    return services.evidence_create(organization=org, actor=actor, **kwargs)


def approve(evidence, actor):
    services.evidence_transition(evidence=evidence, actor=actor, to=DocumentStatus.IN_REVIEW)
    return services.evidence_transition(evidence=evidence, actor=actor, to=DocumentStatus.APPROVED)


# --- versions and hashes ---------------------------------------------------------------------


def test_versions_are_kept_with_their_hash_size_type_and_uploader(media, org_a, members):
    contributor = members[Role.CONTRIBUTOR]
    evidence = create(org_a, contributor, title="Incident procedure", clauses=[clause()])
    first = evidence.current_version
    assert first.number == 1
    assert first.sha256 == hashlib.sha256(PDF).hexdigest()
    assert first.size == len(PDF)
    assert first.content_type == "application/pdf"
    assert first.uploaded_by == contributor

    second = services.evidence_add_version(
        evidence=evidence, actor=members[Role.ADMIN], upload=docx("v2.docx"), change_note="v2"
    )
    evidence.refresh_from_db()
    assert evidence.current_version == second and second.number == 2
    assert second.content_type.endswith("wordprocessingml.document")
    assert list(evidence.versions.values_list("number", flat=True)) == [2, 1]
    # Never overwritten: both files are stored, under random names, and both hash right.
    assert len(stored_files(media)) == 2
    assert first.file.name != second.file.name
    assert "procedure" not in first.file.name
    for version in (first, second):
        data = (media / version.file.name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == version.sha256


def test_a_new_version_needs_a_change_note_and_sends_an_approved_item_to_review(
    media, org_a, consultant
):
    evidence = approve(create(org_a, consultant), consultant)
    with pytest.raises(ValidationError):
        services.evidence_add_version(
            evidence=evidence, actor=consultant, upload=pdf(), change_note=""
        )
    services.evidence_add_version(
        evidence=evidence, actor=consultant, upload=pdf(body=b"x"), change_note="Revised"
    )
    evidence.refresh_from_db()
    assert evidence.status == DocumentStatus.IN_REVIEW  # a changed document is approved again
    assert evidence.approved_version.number == 1  # and until then version 1 counts
    assert evidence.counts(org_a.local_today())


def test_each_version_downloads_with_a_safe_content_disposition(client, media, org_a, consultant):
    evidence = create(org_a, consultant, upload=pdf("事件管理程序.pdf"))
    client.force_login(consultant)
    url = reverse(
        "itsms:evidence_version_download",
        kwargs={"org_slug": org_a.slug, "pk": evidence.current_version.pk},
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E4%BA%8B%E4%BB%B6%E7%AE%A1%E7%90%86%E7%A8%8B%E5%BA%8F.pdf" in (
        disposition
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert evidence.current_version.original_name == "事件管理程序.pdf"


def test_large_files_are_streamed_after_verification(client, media, org_a, consultant, monkeypatch):
    monkeypatch.setattr(services, "VERIFIED_IN_MEMORY_BYTES", 10)
    evidence = create(org_a, consultant)
    client.force_login(consultant)
    response = client.get(
        reverse("itsms:evidence_download", kwargs={"org_slug": org_a.slug, "pk": evidence.pk})
    )
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content) == PDF


def test_another_organisations_file_answers_404(client, media, org_a, org_b, consultant):
    owner = MembershipFactory(organization=org_b, role=Role.ADMIN).user
    theirs = create(org_b, owner)
    client.force_login(consultant)
    for slug in (org_a.slug, org_b.slug):
        for name, pk in (
            ("itsms:evidence_download", theirs.pk),
            ("itsms:evidence_version_download", theirs.current_version.pk),
            ("itsms:evidence_detail", theirs.pk),
        ):
            url = reverse(name, kwargs={"org_slug": slug, "pk": pk})
            assert client.get(url).status_code == 404, url


# --- integrity -------------------------------------------------------------------------------


def test_a_sha256_mismatch_is_reported_recorded_and_not_served(client, media, org_a, consultant):
    evidence = create(org_a, consultant, title="Change policy")
    version = evidence.current_version
    (media / version.file.name).write_bytes(PDF + b"tampered")
    client.force_login(consultant)
    url = reverse(
        "itsms:evidence_version_download", kwargs={"org_slug": org_a.slug, "pk": version.pk}
    )
    with mock.patch.object(services.logger, "error") as logged:
        response = client.get(url)
    assert response.status_code == 409
    assert b"tampered" not in response.content
    assert "Integrity check failed" in response.content.decode()
    assert logged.called and "integrity failure" in logged.call_args.args[0]
    version.refresh_from_db()
    assert version.integrity_failed_at is not None
    assert version.integrity_observed_sha256 == hashlib.sha256(PDF + b"tampered").hexdigest()
    assert Notification.objects.filter(user=consultant, text__contains="Change policy").exists()
    api = client.get(reverse("itsms-api:evidence-version-download", args=[version.pk]))
    assert api.status_code == 409 and api.json()["sha256"] == version.sha256


def test_a_missing_file_is_an_integrity_failure_too(client, media, org_a, consultant):
    evidence = create(org_a, consultant)
    (media / evidence.current_version.file.name).unlink()
    client.force_login(consultant)
    url = reverse("itsms:evidence_download", kwargs={"org_slug": org_a.slug, "pk": evidence.pk})
    assert client.get(url).status_code == 409


# --- document control ------------------------------------------------------------------------


def test_document_control_runs_draft_review_approved_superseded(media, org_a, members):
    admin, contributor = members[Role.ADMIN], members[Role.CONTRIBUTOR]
    evidence = create(org_a, contributor)
    assert evidence.status == DocumentStatus.DRAFT
    with pytest.raises(ValidationError):  # not straight to approved
        services.evidence_transition(evidence=evidence, actor=admin, to=DocumentStatus.APPROVED)
    services.evidence_transition(evidence=evidence, actor=contributor, to="in_review")
    with pytest.raises(PermissionDenied):  # a contributor who is not the reviewer
        services.evidence_transition(evidence=evidence, actor=contributor, to="approved")
    with pytest.raises(ValidationError):  # returned to draft needs a reason
        services.evidence_transition(evidence=evidence, actor=admin, to="draft")
    evidence = services.evidence_transition(evidence=evidence, actor=admin, to="approved")
    assert evidence.approved_by == admin and evidence.approved_at is not None
    assert evidence.approved_version == evidence.current_version
    assert evidence.counts(org_a.local_today())
    evidence = services.evidence_transition(
        evidence=evidence, actor=admin, to="superseded", note="Replaced by v2 policy"
    )
    assert not evidence.counts(org_a.local_today())
    assert evidence.allowed_transitions() == []
    statuses = [h.status for h in evidence.history.order_by("history_date")]
    assert statuses[-4:] == ["draft", "in_review", "approved", "superseded"]
    assert evidence.history.filter(status="approved").first().history_user == admin


def test_the_named_reviewer_approves(media, org_a, members):
    contributor = members[Role.CONTRIBUTOR]
    reviewer = MembershipFactory(organization=org_a, role=Role.CONTRIBUTOR).user
    evidence = create(org_a, contributor, reviewer=reviewer)
    services.evidence_transition(evidence=evidence, actor=contributor, to="in_review")
    evidence = services.evidence_transition(evidence=evidence, actor=reviewer, to="approved")
    assert evidence.approved_by == reviewer


def test_only_approved_unexpired_evidence_counts_and_expired_is_flagged(media, org_a, consultant):
    today = org_a.local_today()
    draft = create(org_a, consultant, title="Draft")
    approved = approve(create(org_a, consultant, title="Approved"), consultant)
    lapsed = approve(
        create(org_a, consultant, title="Lapsed", review_by=today + timedelta(days=1)), consultant
    )
    Evidence.objects.filter(pk=lapsed.pk).update(review_by=today - timedelta(days=1))
    lapsed.refresh_from_db()
    counting = set(Evidence.objects.counting(today).values_list("title", flat=True))
    assert counting == {"Approved"}
    assert not draft.counts(today) and approved.counts(today) and not lapsed.counts(today)
    assert lapsed.is_flagged_expired(today) and not approved.is_flagged_expired(today)


def test_approval_is_refused_once_the_review_date_has_passed(media, org_a, consultant):
    evidence = create(org_a, consultant)
    services.evidence_transition(evidence=evidence, actor=consultant, to="in_review")
    Evidence.objects.filter(pk=evidence.pk).update(review_by=org_a.local_today() - timedelta(1))
    with pytest.raises(ValidationError) as excinfo:
        services.evidence_transition(evidence=evidence, actor=consultant, to="approved")
    assert "review_by" in excinfo.value.message_dict


def test_the_detail_page_moves_the_document_through_review(client, media, org_a, consultant):
    evidence = create(org_a, consultant, title="Capacity plan")
    client.force_login(consultant)
    url = reverse("itsms:evidence_transition", kwargs={"org_slug": org_a.slug, "pk": evidence.pk})
    assert client.post(url, {"status": "in_review"}).status_code == 302
    assert client.post(url, {"status": "approved"}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.status == "approved"
    page = client.get(
        reverse("itsms:evidence_detail", kwargs={"org_slug": org_a.slug, "pk": evidence.pk})
    )
    assert "Capacity plan" in page.content.decode() and evidence.current_version.sha256 in (
        page.content.decode()
    )


# --- soft delete -----------------------------------------------------------------------------


def test_soft_delete_records_who_and_why_keeps_the_files_and_an_admin_restores(
    client, media, org_a, members
):
    contributor, admin = members[Role.CONTRIBUTOR], members[Role.ADMIN]
    evidence = create(org_a, contributor, title="Old SLA")  # never approved: theirs to delete
    files_before = stored_files(media)
    client.force_login(contributor)
    delete = reverse("itsms:evidence_delete", kwargs={"org_slug": org_a.slug, "pk": evidence.pk})
    assert client.post(delete, {"reason": ""}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.deleted_at is None  # a reason is required
    client.post(delete, {"reason": "Uploaded to the wrong organisation"})
    evidence.refresh_from_db()
    assert evidence.deleted_by == contributor
    assert evidence.deletion_reason == "Uploaded to the wrong organisation"
    assert stored_files(media) == files_before
    assert not Evidence.objects.counting(org_a.local_today()).filter(pk=evidence.pk).exists()
    register = client.get(reverse("itsms:evidence_list", kwargs={"org_slug": org_a.slug}))
    assert "No evidence matches" in register.content.decode()
    detail = reverse("itsms:evidence_detail", kwargs={"org_slug": org_a.slug, "pk": evidence.pk})
    assert client.get(detail).status_code == 404  # only restorers see deleted items
    restore = reverse("itsms:evidence_restore", kwargs={"org_slug": org_a.slug, "pk": evidence.pk})
    assert client.post(restore).status_code == 403

    client.force_login(admin)
    deleted_list = client.get(
        reverse("itsms:evidence_list", kwargs={"org_slug": org_a.slug}) + "?deleted=1"
    )
    assert "Old SLA" in deleted_list.content.decode()
    assert client.post(restore).status_code == 302
    evidence.refresh_from_db()
    assert evidence.deleted_at is None
    deleted_record = evidence.history.exclude(deleted_at=None).first()
    assert deleted_record.history_user == contributor
    assert evidence.history.order_by("-history_date").first().history_user == admin


# --- expiry task -----------------------------------------------------------------------------


def test_the_daily_task_expires_evidence_and_notifies_its_owner_once(
    media, org_a, members, django_capture_on_commit_callbacks
):
    owner = members[Role.CONTRIBUTOR]
    today = timezone.now().date()
    evidence = approve(
        create(org_a, owner, title="Backup record", review_by=today + timedelta(days=30)),
        members[Role.ADMIN],
    )
    keep = approve(
        create(org_a, owner, title="Fresh record", review_by=today + timedelta(days=30)),
        members[Role.ADMIN],
    )
    Evidence.objects.filter(pk=evidence.pk).update(review_by=today - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_evidence.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_evidence.delay().get() == 0  # a second run sends nothing
    evidence.refresh_from_db()
    keep.refresh_from_db()
    assert evidence.status == DocumentStatus.EXPIRED and keep.status == DocumentStatus.APPROVED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    assert "Backup record" in mail.outbox[0].subject
    assert f"/o/{org_a.slug}/evidence/{evidence.pk}/" in mail.outbox[0].body
    notes = Notification.objects.filter(user=owner, organization=org_a, text__contains="expired")
    assert notes.count() == 1 and "Backup record" in notes.get().text
    assert evidence.history.first().history_user is None  # done by the system


def test_the_notification_page_and_unread_count(client, media, org_a, members):
    owner = members[Role.VIEWER]
    Notification.objects.create(organization=org_a, user=owner, text="Evidence X expired", url="/")
    client.force_login(owner)
    unread = client.get(reverse("itsms:notification_unread", kwargs={"org_slug": org_a.slug}))
    assert ">1<" in unread.content.decode()
    page = client.get(reverse("itsms:notification_list", kwargs={"org_slug": org_a.slug}))
    assert "Evidence X expired" in page.content.decode()
    client.post(reverse("itsms:notification_read_all", kwargs={"org_slug": org_a.slug}))
    unread = client.get(reverse("itsms:notification_unread", kwargs={"org_slug": org_a.slug}))
    assert unread.content == b""


# --- readiness -------------------------------------------------------------------------------


def test_evidenced_readiness_needs_implemented_and_approved_unexpired_evidence(
    media, org_a, consultant
):
    gap_services.gap_assessment_start(organization=org_a, actor=consultant)
    rows = {
        r.clause.number: r
        for r in ClauseAssessment.objects.filter(organization=org_a).select_related("clause")
    }
    for number in ("8.6.1", "8.6.2", "8.6.3"):
        gap_services.assessment_update(
            assessment=rows[number], actor=consultant, status="implemented"
        )
    approve(create(org_a, consultant, clauses=[clause("8.6.1")]), consultant)  # counts
    create(org_a, consultant, clauses=[clause("8.6.2")])  # a draft does not
    approve(create(org_a, consultant, clauses=[clause("8.7.1")]), consultant)  # not implemented
    gone = approve(create(org_a, consultant, clauses=[clause("8.6.3")]), consultant)
    services.evidence_delete(evidence=gone, actor=consultant, reason="duplicate")

    self_assessed = gap.readiness_of(org_a)
    evidenced = gap.evidenced_readiness_of(org_a)
    leaves = len(gap.leaf_numbers())
    assert self_assessed.overall_percent == readiness.percent(readiness.Decimal(3) / leaves)
    assert evidenced.overall_percent == readiness.percent(readiness.Decimal(1) / leaves)
    assert evidenced.heading_percent("8.6") == 33  # one of 8.6.1, 8.6.2, 8.6.3
    assert self_assessed.heading_percent("8.6") == 100
    assert any("Evidenced readiness" in str(line) for line in readiness.RULE_TEXT)


def test_dashboard_and_readiness_api_show_both_figures(
    client, api_client, media, org_a, consultant
):
    gap_services.gap_assessment_start(organization=org_a, actor=consultant)
    row = ClauseAssessment.objects.get(organization=org_a, clause__number="8.6.1")
    gap_services.assessment_update(assessment=row, actor=consultant, status="implemented")
    approve(create(org_a, consultant, clauses=[clause("8.6.1")]), consultant)
    client.force_login(consultant)
    page = client.get(reverse("itsms:dashboard", kwargs={"org_slug": org_a.slug})).content.decode()
    assert "Self-assessed readiness" in page and "Evidenced readiness" in page
    api_client.force_authenticate(consultant)
    data = api_client.get(reverse("itsms-api:readiness-list"), {"organization": org_a.slug}).json()
    assert data["evidenced_percent"] == data["overall_percent"] == 2
    assert {"number": "8", "percent": data["evidenced_chapters"][4]["percent"]} in data[
        "evidenced_chapters"
    ]


def test_the_clause_assessment_page_lists_its_evidence(client, media, org_a, consultant):
    gap_services.gap_assessment_start(organization=org_a, actor=consultant)
    create(org_a, consultant, title="Major incident procedure", clauses=[clause("8.6.1")])
    row = ClauseAssessment.objects.get(organization=org_a, clause__number="8.6.1")
    client.force_login(consultant)
    page = client.get(
        reverse("itsms:assessment_row", kwargs={"org_slug": org_a.slug, "pk": row.pk})
    ).content.decode()
    assert "Major incident procedure" in page


# --- roles and the auditor's object permission -----------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_who_may_upload(client, media, org_a, members, role):
    client.force_login(members[role])
    url = reverse("itsms:evidence_upload", kwargs={"org_slug": org_a.slug})
    response = client.post(url, {"files": [pdf()], "kind": "policy", "confidentiality": "internal"})
    allowed = role in (Role.CONSULTANT, Role.ADMIN, Role.CONTRIBUTOR)
    assert response.status_code == (302 if allowed else 403)
    assert Evidence.objects.filter(organization=org_a).exists() == allowed
    assert client.get(url).status_code == (200 if allowed else 403)


def test_an_internal_auditor_reads_evidence_and_an_outside_one_only_while_assigned(
    client, media, org_a, org_b, members
):
    create(org_a, members[Role.ADMIN], title="Supplier agreement")
    register = reverse("itsms:evidence_list", kwargs={"org_slug": org_a.slug})
    # A member with the auditor role is an internal auditor: reads by membership, read-only.
    client.force_login(members[Role.AUDITOR])
    response = client.get(register)
    assert response.status_code == 200 and "Supplier agreement" in response.content.decode()
    assert (
        client.get(reverse("itsms:evidence_upload", kwargs={"org_slug": org_a.slug})).status_code
        == 403
    )

    # A certification body's auditor, no member: 404 until assigned, then read-only.
    external = UserFactory(email="auditor@certbody.example")
    client.force_login(external)
    assert client.get(register).status_code == 404
    permissions.grant_audit_reader(external, org_a)
    assert client.get(register).status_code == 200
    evidence = Evidence.objects.get(organization=org_a)
    download = reverse(
        "itsms:evidence_download", kwargs={"org_slug": org_a.slug, "pk": evidence.pk}
    )
    assert client.get(download).status_code == 200
    delete = reverse("itsms:evidence_delete", kwargs={"org_slug": org_a.slug, "pk": evidence.pk})
    assert client.post(delete, {"reason": "x"}).status_code in (403, 404)
    evidence.refresh_from_db()
    assert evidence.deleted_at is None
    assert (
        client.get(reverse("itsms:evidence_list", kwargs={"org_slug": org_b.slug})).status_code
        == 404
    )
    permissions.revoke_audit_reader(external, org_a)
    assert client.get(register).status_code == 404
    assert client.get(download).status_code == 404


# --- register, filters, export, query counts -------------------------------------------------


def test_the_register_filters_sorts_and_exports(client, media, org_a, members):
    admin = members[Role.ADMIN]
    today = org_a.local_today()
    create(org_a, admin, title="Incident procedure", kind="procedure", clauses=[clause("8.6.1")])
    create(org_a, admin, title="Change policy", kind="policy", clauses=[clause("8.5.1.1")])
    create(org_a, admin, title="=cmd|' /C calc'!A0", kind="record", review_by=today + timedelta(10))
    client.force_login(admin)
    url = reverse("itsms:evidence_list", kwargs={"org_slug": org_a.slug})
    page = client.get(url, {"clause": "8.6"}).content.decode()
    assert "Incident procedure" in page and "Change policy" not in page
    page = client.get(url, {"kind": "policy"}).content.decode()
    assert "Change policy" in page and "Incident procedure" not in page
    page = client.get(url, {"expiry": "30"}).content.decode()
    assert "calc" in page and "Change policy" not in page
    page = client.get(url, {"sort": "-title"}).content.decode()
    assert page.index("Incident procedure") < page.index("Change policy")
    export = client.get(reverse("itsms:evidence_export", kwargs={"org_slug": org_a.slug}))
    text = export.content.decode("utf-8-sig")
    assert "Incident procedure" in text and "Change policy" in text
    assert "'=cmd" in text  # formulas neutralised


def grow(org, actor, n):
    contributor = MembershipFactory(organization=org, role=Role.CONTRIBUTOR).user
    for i in range(n):
        create(
            org,
            actor,
            upload=pdf(f"doc-{n}-{i}.pdf"),
            title=f"Doc {n}-{i}",
            owner=contributor,
            reviewer=actor,
            clauses=[clause("8.6.1"), clause("8.6.2")],
        )


@pytest.mark.parametrize(
    "name,api",
    [("itsms:evidence_list", False), ("itsms:evidence_export", False), ("evidence-list", True)],
)
def test_the_register_runs_constant_queries(
    client, media, org_a, consultant, django_assert_max_num_queries, name, api
):
    client.force_login(consultant)
    if api:
        url = reverse("itsms-api:" + name) + f"?organization={org_a.slug}"
    else:
        url = reverse(name, kwargs={"org_slug": org_a.slug})
    grow(org_a, consultant, 10)
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    grow(org_a, consultant, 300)
    with django_assert_max_num_queries(20) as large:
        response = client.get(url)
        assert response.status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)
    if name == "itsms:evidence_list":
        assert "310 items" in response.content.decode()


def test_every_version_is_an_evidence_version_of_the_same_organisation(media, org_a, consultant):
    evidence = create(org_a, consultant)
    assert EvidenceVersion.objects.get().organization_id == evidence.organization_id == org_a.pk


def test_s3_compatible_storage_is_configured_from_the_environment():
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "itsms.settings",
        "EVIDENCE_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": "evidence-bucket",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    }
    code = (
        "import django; django.setup(); from django.core.files.storage import storages;"
        's = storages["default"];'
        "print(type(s).__name__, s.bucket_name, s.default_acl, s.file_overwrite)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.stdout.split()[-4:] == ["S3Storage", "evidence-bucket", "private", "False"], (
        result.stderr
    )
