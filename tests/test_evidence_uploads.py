"""The bad-upload corpus: each file is refused with a clear message on the page and a 400
from the API, and nothing reaches storage. Plus the API of evidence end to end."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from itsms.evidence.validation import UploadRefused, check_upload, sanitise_name
from itsms.models import Evidence, EvidenceVersion, Role
from itsms.shared import permissions

from .factories import MembershipFactory, UserFactory
from .test_evidence import PDF, docx, pdf, stored_files

pytestmark = pytest.mark.django_db

WINDOWS_PROGRAM = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200 + b"This program cannot be run"
)

# (case, file name, content, words the message must contain)
CORPUS = [
    ("oversized", "annual-report.pdf", PDF + b"0" * (1024 * 1024 + 1), "at most 1.0"),
    ("disguised executable", "procedure.pdf", WINDOWS_PROGRAM, "Windows program"),
    # The multipart parser keeps "passwd" of the path; without an accepted extension it is refused.
    ("path traversal", "../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n", "“passwd” is not"),
    ("backslash path", "..\\..\\boot.ini", b"[boot loader]\n", "“boot.ini” is not"),
    ("empty", "empty.pdf", b"", "empty"),
    ("zero-byte text", "notes.txt", b"", "empty"),
    ("2,000-character name", "a" * 1996 + ".pdf", PDF, "too long: at most 200 characters"),
    ("no extension", "procedure", PDF, "not a type we accept"),
    ("wrong extension", "setup.exe", WINDOWS_PROGRAM, "not a type we accept"),
    ("text posing as a PDF", "policy.pdf", b"Just some text\n", "does not match its name"),
    ("PDF posing as a Word file", "policy.docx", PDF, "does not match its name"),
    ("binary posing as text", "data.csv", b"\x00\x01\x02\x03binary", "does not match its name"),
    ("a script", "readme.txt", b"#!/bin/sh\nrm -rf /\n", "script"),
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    return tmp_path


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize("case,name,content,words", CORPUS, ids=[c[0] for c in CORPUS])
def test_the_upload_page_refuses_with_a_clear_message_and_stores_nothing(
    client, media, org_a, consultant, case, name, content, words
):
    client.force_login(consultant)
    url = reverse("itsms:evidence_upload", kwargs={"org_slug": org_a.slug})
    form = {"kind": "procedure", "confidentiality": "internal", "files": [upload(name, content)]}
    response = client.post(url, form)
    assert response.status_code == 400, case
    assert words in response.content.decode(), response.content.decode()[-3000:]
    assert 'role="alert"' in response.content.decode()
    assert stored_files(media) == []
    assert not Evidence.objects.exists() and not EvidenceVersion.objects.exists()


@pytest.mark.parametrize("case,name,content,words", CORPUS, ids=[c[0] for c in CORPUS])
def test_the_api_answers_400_and_stores_nothing(
    api_client, media, org_a, consultant, case, name, content, words
):
    api_client.force_authenticate(consultant)
    response = api_client.post(
        reverse("itsms-api:evidence-list"),
        {"organization": org_a.slug, "title": "x", "file": upload(name, content)},
        format="multipart",
    )
    assert response.status_code == 400, (case, response.content)
    assert words in " ".join(response.json()["file"])
    assert stored_files(media) == []
    assert not Evidence.objects.exists()


def test_the_script_reports_each_refusal_as_json(client, media, org_a, consultant):
    client.force_login(consultant)
    url = reverse("itsms:evidence_upload", kwargs={"org_slug": org_a.slug})
    response = client.post(
        url,
        {
            "kind": "other",
            "confidentiality": "internal",
            "files": [upload("x.pdf", WINDOWS_PROGRAM)],
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "Windows program" in response.json()["errors"]["files"][0]
    ok = client.post(
        url,
        {"kind": "other", "confidentiality": "internal", "files": [pdf()]},
        HTTP_ACCEPT="application/json",
    )
    assert ok.status_code == 201 and ok.json()["items"][0]["title"] == "procedure"


def test_one_bad_file_among_several_stores_none_of_them(client, media, org_a, consultant):
    client.force_login(consultant)
    url = reverse("itsms:evidence_upload", kwargs={"org_slug": org_a.slug})
    files = [pdf("good.pdf"), upload("bad.pdf", WINDOWS_PROGRAM)]
    response = client.post(url, {"kind": "other", "confidentiality": "internal", "files": files})
    assert response.status_code == 400 and stored_files(media) == []


def test_a_chinese_name_is_kept(client, media, org_a, consultant):
    client.force_login(consultant)
    url = reverse("itsms:evidence_upload", kwargs={"org_slug": org_a.slug})
    response = client.post(
        url,
        {"kind": "procedure", "confidentiality": "internal", "files": [pdf("事件管理程序.pdf")]},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.title == "事件管理程序"
    assert evidence.current_version.original_name == "事件管理程序.pdf"
    assert len(stored_files(media)) == 1


def test_several_files_become_several_items(client, media, org_a, consultant):
    client.force_login(consultant)
    url = reverse("itsms:evidence_upload", kwargs={"org_slug": org_a.slug})
    files = [
        pdf("incident.pdf"),
        docx("change.docx"),
        upload("kpis.csv", "月份,事件\n1,3\n".encode()),
    ]
    response = client.post(
        url, {"kind": "record", "confidentiality": "internal", "title": "ignored", "files": files}
    )
    assert response.status_code == 302
    assert set(Evidence.objects.values_list("title", flat=True)) == {"incident", "change", "kpis"}
    assert len(stored_files(media)) == 3


def test_a_path_in_the_name_never_reaches_storage(client, media, org_a, consultant):
    client.force_login(consultant)
    url = reverse("itsms:evidence_upload", kwargs={"org_slug": org_a.slug})
    form = {"kind": "other", "confidentiality": "internal", "files": [pdf("../../../etc/cron.pdf")]}
    assert client.post(url, form).status_code == 302
    version = EvidenceVersion.objects.get()
    assert version.original_name == "cron.pdf"
    (stored,) = stored_files(media)
    assert stored.is_relative_to(media) and ".." not in version.file.name


@pytest.mark.parametrize("raw", ["../../etc/passwd", "..\\windows\\system.ini", "a" * 2000])
def test_names_with_paths_or_too_long_are_refused(raw):
    with pytest.raises(UploadRefused):
        sanitise_name(raw)


@pytest.mark.parametrize(
    "raw,kept",
    [
        ("事件管理程序.pdf", "事件管理程序.pdf"),
        ("report\u202egpj.pdf", "reportgpj.pdf"),  # right-to-left override removed
        ("bad\x00name\x1f.pdf", "badname.pdf"),
        ("  .hidden.pdf  ", "hidden.pdf"),
    ],
)
def test_names_are_sanitised(raw, kept):
    assert sanitise_name(raw) == kept


def test_macros_are_refused(settings):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", "macro")
    with pytest.raises(UploadRefused, match="macros"):
        check_upload(upload("policy.docx", buffer.getvalue()))


def test_opendocument_and_images_are_recognised(settings):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    assert check_upload(upload("plan.odt", buffer.getvalue())).content_type.endswith(".text")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    assert check_upload(upload("diagram.png", png)).content_type == "image/png"
    assert check_upload(upload("notes.md", b"# Notes\n")).content_type == "text/markdown"


# --- the API ---------------------------------------------------------------------------------


def test_the_api_uploads_versions_controls_and_downloads(api_client, media, org_a, members):
    admin = members[Role.ADMIN]
    api_client.force_authenticate(admin)
    created = api_client.post(
        reverse("itsms-api:evidence-list"),
        {
            "organization": org_a.slug,
            "file": pdf("sla.pdf"),
            "kind": "agreement",
            "clauses": ["8.3.3", "8.6.1"],
            "review_by": "2099-01-01",
        },
        format="multipart",
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "draft" and data["clauses"] == ["8.3.3", "8.6.1"]
    assert data["current_version"]["sha256"] == EvidenceVersion.objects.get().sha256
    pk = data["id"]
    version = api_client.post(
        reverse("itsms-api:evidence-upload-version", args=[pk]),
        {"file": docx("sla-v2.docx"), "change_note": "Renewed"},
        format="multipart",
    )
    assert version.status_code == 201 and version.json()["number"] == 2
    for status in ("in_review", "approved"):
        moved = api_client.post(
            reverse("itsms-api:evidence-transition", args=[pk]), {"status": status}, format="json"
        )
        assert moved.status_code == 200 and moved.json()["status"] == status
    assert moved.json()["counts"] is True and moved.json()["approved_version"] == 2
    bad = api_client.post(
        reverse("itsms-api:evidence-transition", args=[pk]), {"status": "draft"}, format="json"
    )
    assert bad.status_code == 400
    versions = api_client.get(
        reverse("itsms-api:evidence-version-list"), {"organization": org_a.slug, "evidence": pk}
    ).json()
    assert [v["number"] for v in versions["results"]] == [2, 1]
    download = api_client.get(reverse("itsms-api:evidence-download", args=[pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    listed = api_client.get(
        reverse("itsms-api:evidence-list"), {"organization": org_a.slug, "clause": "8.6.1"}
    )
    assert listed.json()["count"] == 1
    # Soft delete needs a reason, keeps files, and an admin restores.
    assert api_client.delete(reverse("itsms-api:evidence-detail", args=[pk])).status_code == 400
    gone = api_client.delete(
        reverse("itsms-api:evidence-detail", args=[pk]), {"reason": "duplicate"}, format="json"
    )
    assert gone.status_code == 204 and len(stored_files(media)) == 2
    listed = api_client.get(reverse("itsms-api:evidence-list"), {"organization": org_a.slug})
    assert listed.json()["count"] == 0
    restored = api_client.post(reverse("itsms-api:evidence-restore", args=[pk]))
    assert restored.status_code == 200 and restored.json()["deleted_at"] is None


def test_the_api_scopes_evidence_to_the_users_organisations(
    api_client, media, org_a, org_b, members
):
    theirs = MembershipFactory(organization=org_b, role=Role.ADMIN).user
    api_client.force_authenticate(theirs)
    created = api_client.post(
        reverse("itsms-api:evidence-list"),
        {"organization": org_b.slug, "file": pdf()},
        format="multipart",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    version_pk = created.json()["current_version"]["id"]
    api_client.force_authenticate(members[Role.CONSULTANT])
    for name, arg in (
        ("itsms-api:evidence-detail", pk),
        ("itsms-api:evidence-download", pk),
        ("itsms-api:evidence-version-detail", version_pk),
        ("itsms-api:evidence-version-download", version_pk),
    ):
        assert api_client.get(reverse(name, args=[arg])).status_code == 404, name
    assert (
        api_client.get(reverse("itsms-api:evidence-list"), {"organization": org_b.slug}).status_code
        == 404
    )
    assert api_client.get(reverse("itsms-api:evidence-list")).status_code == 400
    sneaky = api_client.post(
        reverse("itsms-api:evidence-list"),
        {"organization": org_b.slug, "file": pdf()},
        format="multipart",
    )
    assert sneaky.status_code == 400 and "organization" in sneaky.json()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.AUDITOR])
def test_viewers_and_auditors_cannot_upload_through_the_api(
    api_client, media, org_a, members, role
):
    api_client.force_authenticate(members[role])
    response = api_client.post(
        reverse("itsms-api:evidence-list"),
        {"organization": org_a.slug, "file": pdf()},
        format="multipart",
    )
    assert response.status_code == 403
    assert stored_files(media) == []


def test_an_assigned_auditor_reads_through_the_api(api_client, media, org_a, members):
    from itsms.evidence import services

    evidence = services.evidence_create(
        organization=org_a, actor=members[Role.ADMIN], upload=pdf(), title="Audit sample"
    )
    auditor = UserFactory(email="lead@certbody.example")
    api_client.force_authenticate(auditor)
    url = reverse("itsms-api:evidence-list")
    assert api_client.get(url, {"organization": org_a.slug}).status_code == 404
    permissions.grant_audit_reader(auditor, org_a)
    listed = api_client.get(url, {"organization": org_a.slug})
    assert listed.status_code == 200 and listed.json()["results"][0]["title"] == "Audit sample"
    assert (
        api_client.get(reverse("itsms-api:evidence-download", args=[evidence.pk])).status_code
        == 200
    )
    patch = api_client.patch(
        reverse("itsms-api:evidence-detail", args=[evidence.pk]), {"title": "x"}, format="json"
    )
    assert patch.status_code == 403
    # A member with the auditor role is an internal auditor: reads by membership.
    api_client.force_authenticate(members[Role.AUDITOR])
    assert api_client.get(url, {"organization": org_a.slug}).status_code == 200
    # The outside auditor's assignment ended: nothing more.
    permissions.revoke_audit_reader(auditor, org_a)
    api_client.force_authenticate(auditor)
    assert api_client.get(url, {"organization": org_a.slug}).status_code == 404
    assert (
        api_client.get(reverse("itsms-api:evidence-download", args=[evidence.pk])).status_code
        == 404
    )
