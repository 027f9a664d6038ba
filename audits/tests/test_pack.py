"""The audit pack: what is in it, that its manifest verifies every file (and catches a tampered
one), that a file whose stored bytes changed is left out, and who may have it."""

import io
import json
import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from audits import services
from audits.models import AuditAssignment, AuditKind, AuditPack, PackStatus
from audits.pack import services as pack_services
from itsms.evidence import services as evidence_services
from itsms.models import Notification, Role
from itsms.shared import manifests, signing
from tests.conftest import need_service
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def upload(org, actor, name, text, **extra):
    return evidence_services.evidence_create(
        organization=org,
        actor=actor,
        upload=SimpleUploadedFile(name, text.encode()),
        **extra,
    )


@pytest.fixture
def sampled(org_a, members, audit, chen):
    """Two findings sampling three evidence items; a corrective action linking one more. The
    incident procedure gets a second version after it was sampled."""
    admin = members[Role.ADMIN]
    procedure = upload(org_a, admin, "incident-procedure.txt", "Incident procedure v1\n")
    report = upload(org_a, admin, "事件报告-三月.txt", "三月事件报告\n")
    register = upload(org_a, admin, "problem-register.txt", "Problem register\n")
    change = upload(org_a, admin, "change-record.txt", "Change record\n")
    first = services.finding_record(
        audit=audit,
        actor=chen,
        grade="minor",
        clause=_clause("8.6.1"),
        statement='=HYPERLINK("http://evil.example") two P1 incidents closed unconfirmed',
        evidence=[procedure, report],
    )
    services.finding_record(
        audit=audit,
        actor=chen,
        grade="observation",
        statement="Problem trends",
        evidence=[register],
    )
    services.closing_meeting_record(audit=audit, actor=chen, held_on=org_a.local_today())
    action = first.corrective_action
    services.action_update(
        action=action, actor=admin, root_cause="No check", plan="Add a check", evidence=[change]
    )
    evidence_services.evidence_add_version(
        evidence=procedure,
        actor=admin,
        upload=SimpleUploadedFile("incident-procedure.txt", b"Incident procedure v2\n"),
        change_note="Second issue",
    )
    return {"procedure": procedure, "report": report, "register": register, "change": change}


def _clause(number):
    from itsms.models import Clause

    return Clause.objects.get(standard__code="iso20000-1-2018", number=number)


def build(audit, actor, django_capture_on_commit_callbacks, language="en") -> AuditPack:
    with django_capture_on_commit_callbacks(execute=True):
        pack = pack_services.pack_request(audit=audit, actor=actor, language=language)
    pack.refresh_from_db()
    return pack


def pack_bytes(pack) -> bytes:
    with default_storage.open(pack.file.name, "rb") as handle:
        return handle.read()


def rewrite(data: bytes, change) -> bytes:
    """A copy of the ZIP with ``change(name, bytes) -> bytes | None`` applied (None drops)."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            content = change(info.filename, source.read(info.filename))
            if content is not None:
                out.writestr(info.filename, content)
    return target.getvalue()


def test_the_pack_holds_the_report_plan_workbook_and_each_version_exactly_as_sampled(
    org_a, audit, chen, sampled, django_capture_on_commit_callbacks
):
    pack = build(audit, chen, django_capture_on_commit_callbacks)
    assert pack.status == PackStatus.READY
    assert (pack.evidence_count, pack.failed_count) == (4, 0)
    archive = zipfile.ZipFile(io.BytesIO(pack_bytes(pack)))
    names = set(archive.namelist())
    assert {
        "report/audit-report.pdf",
        "plan/audit-plan.pdf",
        "findings/findings-and-corrective-actions.xlsx",
        "manifest.json",
        "manifest.sig",
        "SHA256SUMS",
        "README.txt",
        "public-key.pem",
    } <= names
    assert archive.read("report/audit-report.pdf").startswith(b"%PDF")
    assert archive.read("plan/audit-plan.pdf").startswith(b"%PDF")
    procedure = sampled["procedure"]
    path = f"evidence/E{procedure.pk}-v1-incident-procedure.txt"
    # Sampled at version 1; version 2 came later: the pack holds version 1.
    assert archive.read(path) == b"Incident procedure v1\n"
    assert not any(f"E{procedure.pk}-v2" in n for n in names)
    report = sampled["report"]
    assert archive.read(f"evidence/E{report.pk}-v1-事件报告-三月.txt") == "三月事件报告\n".encode()
    manifest = json.loads(archive.read("manifest.json"))
    entry = next(f for f in manifest["files"] if f["path"] == path)
    assert entry["recorded_sha256"] == procedure.versions.get(number=1).sha256
    assert entry["sampled_in"] == [audit.findings.get(number=1).reference]
    change = next(
        f for f in manifest["files"] if f.get("evidence", {}).get("id") == sampled["change"].pk
    )
    assert "corrective action" in change["sampled_in"][0]
    assert manifest["audit"]["reference"] == audit.reference
    assert manifest["signature"]["key_id"] == signing.key_id() == pack.key_id
    assert manifest["failed"] == []


def test_the_workbook_lists_findings_actions_and_evidence_and_runs_no_formula(
    audit, chen, sampled, django_capture_on_commit_callbacks
):
    pack = build(audit, chen, django_capture_on_commit_callbacks)
    archive = zipfile.ZipFile(io.BytesIO(pack_bytes(pack)))
    book = load_workbook(io.BytesIO(archive.read("findings/findings-and-corrective-actions.xlsx")))
    assert book.sheetnames == ["Findings", "Corrective actions", "Evidence sampled"]
    findings = list(book["Findings"].iter_rows(values_only=True))
    assert findings[0][0] == "Reference" and len(findings) == 3
    first = findings[1]
    assert first[0] == audit.findings.get(number=1).reference
    assert first[4].startswith("=HYPERLINK")  # the text as typed …
    cell = book["Findings"].cell(row=2, column=5)
    assert cell.data_type == "s"  # … stored as text, never as a formula
    assert "incident-procedure.txt" in first[7]
    actions = list(book["Corrective actions"].iter_rows(values_only=True))
    assert actions[1][4] == "Add a check" and "change-record.txt" in actions[1][12]
    evidence = list(book["Evidence sampled"].iter_rows(values_only=True))
    assert len(evidence) == 5 and all(row[8] == "yes" for row in evidence[1:])


def test_the_manifest_verifies_every_file_of_the_pack(
    audit, chen, sampled, django_capture_on_commit_callbacks
):
    pack = build(audit, chen, django_capture_on_commit_callbacks)
    data = pack_bytes(pack)
    result = manifests.verify_zip(io.BytesIO(data))
    assert result.ok and result.signature_valid and result.key_trusted
    listed = {f["path"] for f in result.manifest["files"]}
    assert {c.path for c in result.files} == listed
    assert set(zipfile.ZipFile(io.BytesIO(data)).namelist()) == listed | manifests.CONTROL_FILES
    # The zip's own hash is the one the page shows.
    import hashlib

    assert hashlib.sha256(data).hexdigest() == pack.sha256


@pytest.mark.parametrize(
    "tamper,problem",
    [
        ("evidence", "SHA-256 differs from the manifest"),
        ("manifest", "the signature of manifest.json is not valid"),
        ("extra", "is in the ZIP but not in the manifest"),
        ("drop", "missing from the ZIP"),
    ],
)
def test_a_tampered_pack_is_detected(
    audit, chen, sampled, django_capture_on_commit_callbacks, tamper, problem
):
    data = pack_bytes(build(audit, chen, django_capture_on_commit_callbacks))

    def change(name, content):
        if tamper == "evidence" and name.startswith("evidence/") and "procedure" in name:
            return content.replace(b"v1", b"v9")
        if tamper == "manifest" and name == "manifest.json":
            return content.replace(b'"failed": []', b'"failed": [{}]')
        if tamper == "drop" and name.startswith("plan/"):
            return None
        return content

    tampered = rewrite(data, change)
    if tamper == "extra":
        buffer = io.BytesIO(tampered)
        with zipfile.ZipFile(buffer, "a") as out:
            out.writestr("evidence/slipped-in.txt", b"not sampled")
        tampered = buffer.getvalue()
    result = manifests.verify_zip(io.BytesIO(tampered))
    assert not result.ok
    found = [c.problem for c in result.files if not c.ok] + result.problems
    assert any(problem in text for text in found), found


def test_a_version_whose_stored_bytes_changed_is_left_out_and_listed_as_failed(
    org_a, members, audit, chen, sampled, django_capture_on_commit_callbacks
):
    report = sampled["report"]
    version = report.versions.get(number=1)
    with default_storage.open(version.file.name, "wb") as handle:
        handle.write("三月事件报告（改）\n".encode())
    pack = build(audit, chen, django_capture_on_commit_callbacks)
    assert (pack.evidence_count, pack.failed_count) == (3, 1)
    archive = zipfile.ZipFile(io.BytesIO(pack_bytes(pack)))
    assert not any(f"E{report.pk}-" in n for n in archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    (failed,) = manifest["failed"]
    assert failed["evidence"]["id"] == report.pk and failed["recorded_sha256"] == version.sha256
    assert failed["observed_sha256"] != version.sha256
    assert manifests.verify_zip(io.BytesIO(pack_bytes(pack))).ok  # what is in it is intact
    version.refresh_from_db()
    assert version.integrity_failed_at is not None
    assert Notification.objects.filter(
        organization=org_a, user=members[Role.ADMIN], text__contains=report.title
    ).exists()
    book = load_workbook(io.BytesIO(archive.read("findings/findings-and-corrective-actions.xlsx")))
    rows = list(book["Evidence sampled"].iter_rows(values_only=True))
    assert any(row[2] == report.title and row[8].startswith("no") for row in rows)


def test_sha256sum_and_openssl_verify_the_unpacked_pack(
    tmp_path, audit, chen, sampled, django_capture_on_commit_callbacks
):
    need_service(bool(shutil.which("sha256sum")), "sha256sum")
    need_service(bool(shutil.which("openssl")), "openssl")
    data = pack_bytes(build(audit, chen, django_capture_on_commit_callbacks))
    zipfile.ZipFile(io.BytesIO(data)).extractall(tmp_path)
    checked = subprocess.run(  # noqa: S603
        ["sha256sum", "-c", "SHA256SUMS"],  # noqa: S607
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert (
        checked.stdout.count(": OK")
        == len(json.loads((tmp_path / "manifest.json").read_text())["files"]) + 1
    )
    signature = subprocess.run(  # noqa: S603
        [  # noqa: S607
            "openssl",
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "public-key.pem",
            "-rawin",
            "-in",
            "manifest.json",
            "-sigfile",
            "manifest.sig",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert signature.returncode == 0 and "Verified Successfully" in signature.stdout
    (tmp_path / "plan" / "audit-plan.pdf").write_bytes(b"%PDF-1.7 forged")
    again = subprocess.run(  # noqa: S603
        ["sha256sum", "-c", "SHA256SUMS"],  # noqa: S607
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert again.returncode != 0 and "audit-plan.pdf: FAILED" in again.stdout


def test_verify_pack_command_passes_a_pack_and_fails_a_tampered_one(
    tmp_path, audit, chen, sampled, django_capture_on_commit_callbacks
):
    data = pack_bytes(build(audit, chen, django_capture_on_commit_callbacks))
    good = tmp_path / "pack.zip"
    good.write_bytes(data)
    out = io.StringIO()
    call_command("verify_pack", str(good), stdout=out)
    assert "OK: intact and signed by a trusted key" in out.getvalue()
    bad = tmp_path / "bad.zip"
    bad.write_bytes(
        rewrite(
            data,
            lambda n, c: c + b"x" if n == "findings/findings-and-corrective-actions.xlsx" else c,
        )
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="NOT VERIFIED"):
        call_command("verify_pack", str(bad), stdout=out)
    assert "FAILED findings/findings-and-corrective-actions.xlsx" in out.getvalue()


def test_a_version_is_copied_in_chunks_not_held_in_memory(tmp_path, org_a, members):
    """A 24 MB file goes through the pack with a few MB of Python memory at most."""
    import hashlib
    import os
    import tracemalloc

    from audits.pack.build import _copy_version
    from audits.pack.contents import Sampled

    evidence = upload(org_a, members[Role.ADMIN], "big.txt", "small at first\n")
    version = evidence.current_version
    blob = os.urandom(24 * 1024 * 1024)
    with default_storage.open(version.file.name, "wb") as handle:
        handle.write(blob)
    type(version).objects.filter(pk=version.pk).update(
        sha256=hashlib.sha256(blob).hexdigest(), size=len(blob)
    )
    version.refresh_from_db()
    del blob
    signed = manifests.SignedZip(header={"format": "test"})
    try:
        tracemalloc.start()
        entry = _copy_version(signed, Sampled(version, findings=["A1-F1"]), "evidence/big.txt")
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert entry is not None and entry["size"] == 24 * 1024 * 1024
        assert peak < 6 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    finally:
        signed.discard()


def test_a_second_request_while_building_returns_the_same_pack_and_a_stale_one_gives_way(
    audit, chen, sampled
):
    first = pack_services.pack_request(audit=audit, actor=chen, language="en")
    again = pack_services.pack_request(audit=audit, actor=chen, language="zh-hans")
    assert again.pk == first.pk
    from datetime import timedelta

    from django.utils import timezone

    AuditPack.objects.filter(pk=first.pk).update(progressed_at=timezone.now() - timedelta(hours=2))
    fresh = pack_services.pack_request(audit=audit, actor=chen, language="en")
    assert fresh.pk != first.pk
    first.refresh_from_db()
    assert first.status == PackStatus.FAILED and first.error_message


def test_progress_is_reported_as_files_go_in(audit, chen, sampled):
    from audits.pack import build as builder

    pack = AuditPack.objects.create(
        organization=audit.organization, audit=audit, requested_by=chen, language="en"
    )
    seen = []
    built = builder.build(pack, progress=lambda done, total: seen.append((done, total)))
    try:
        totals = {total for _done, total in seen}
        assert totals == {4 + 4}  # report, plan, 4 versions, workbook, manifest
        assert [done for done, _ in seen] == list(range(0, 9))
    finally:
        import os

        os.unlink(built.path)


# --- who may -------------------------------------------------------------------------------


@pytest.fixture
def ready_pack(audit, chen, sampled, django_capture_on_commit_callbacks):
    return build(audit, chen, django_capture_on_commit_callbacks)


def urls(org, audit, pack):
    return {
        "page": reverse("audits:audit_pack", kwargs={"org_slug": org.slug, "pk": audit.pk}),
        "progress": reverse("audits:pack_progress", kwargs={"org_slug": org.slug, "pk": pack.pk}),
        "download": reverse("audits:pack_download", kwargs={"org_slug": org.slug, "pk": pack.pk}),
    }


@pytest.mark.parametrize(
    "who,status",
    [
        ("consultant", 200),
        ("admin", 200),
        ("lead auditor", 200),
        ("contributor", 403),
        ("viewer", 403),
        ("member auditor of no audit", 403),
        ("auditor of another audit", 404),
        ("outsider", 404),
    ],
)
def test_the_pack_is_for_the_audits_auditors_and_the_organisations_managers(
    client, org_a, members, audit, chen, ready_pack, who, status
):
    user = {
        "consultant": members[Role.CONSULTANT],
        "admin": members[Role.ADMIN],
        "lead auditor": chen,
        "contributor": members[Role.CONTRIBUTOR],
        "viewer": members[Role.VIEWER],
        "member auditor of no audit": members[Role.AUDITOR],
    }.get(who)
    if who == "auditor of another audit":
        other = services.audit_create(
            organization=org_a,
            actor=members[Role.ADMIN],
            kind=AuditKind.SURVEILLANCE,
            title="Surveillance 1",
            planned_start=date(2027, 11, 2),
            planned_end=date(2027, 11, 3),
        )
        user = UserFactory(email="wu@other-body.example")
        services.assignment_add(audit=other, actor=members[Role.ADMIN], user=user)
    if who == "outsider":
        user = UserFactory(email="nobody@example.com")
    client.force_login(user)
    for name, url in urls(org_a, audit, ready_pack).items():
        response = client.get(url)
        assert response.status_code == status, (name, response.status_code)
        if name == "download" and status == 200:
            assert response["Content-Type"] == "application/zip"
            assert b"".join(response.streaming_content).startswith(b"PK")
    response = client.post(urls(org_a, audit, ready_pack)["page"], {"language": "en"})
    assert response.status_code == (302 if status == 200 else status)


def test_an_auditor_whose_assignment_ended_no_longer_has_the_pack(
    client, org_a, members, audit, chen, ready_pack
):
    assignment = AuditAssignment.objects.get(audit=audit, user=chen)
    services.assignment_end(assignment=assignment, actor=members[Role.ADMIN])
    client.force_login(chen)
    assert client.get(urls(org_a, audit, ready_pack)["download"]).status_code == 404


def test_a_member_auditor_assigned_to_the_audit_has_the_pack(
    client, org_a, members, audit, ready_pack
):
    auditor = members[Role.AUDITOR]
    services.assignment_add(audit=audit, actor=members[Role.ADMIN], user=auditor)
    client.force_login(auditor)
    assert client.get(urls(org_a, audit, ready_pack)["download"]).status_code == 200


def test_the_page_shows_progress_while_building_and_the_download_when_ready(
    client, org_a, audit, chen, sampled, members
):
    client.force_login(members[Role.CONSULTANT])
    pack = pack_services.pack_request(audit=audit, actor=chen, language="en")  # not yet run
    AuditPack.objects.filter(pk=pack.pk).update(status=PackStatus.BUILDING, done=3, total=8)
    page = client.get(urls(org_a, audit, pack)["page"]).content.decode()
    assert "3 of 8 files" in page and 'hx-trigger="every 1s"' in page
    progress = client.get(urls(org_a, audit, pack)["progress"]).content.decode()
    assert "<progress" in progress and 'value="3"' in progress
    pack_services.pack_build(pack_id=pack.pk)
    progress = client.get(urls(org_a, audit, pack)["progress"]).content.decode()
    assert "hx-trigger" not in progress and "Download the audit pack" in progress
    pack.refresh_from_db()
    assert pack.sha256 in progress


def test_the_pack_page_runs_the_same_queries_for_one_or_many_samples(
    client, org_a, members, audit, chen
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(members[Role.CONSULTANT])
    url = reverse("audits:audit_pack", kwargs={"org_slug": org_a.slug, "pk": audit.pk})

    def sample(n):
        items = [
            upload(org_a, members[Role.ADMIN], f"record-{n}-{i}.txt", f"record {i}\n")
            for i in range(n)
        ]
        services.finding_record(
            audit=audit, actor=chen, grade="observation", statement=f"{n}", evidence=items
        )

    sample(1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    sample(6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_chinese_pack_is_in_chinese(audit, chen, sampled, django_capture_on_commit_callbacks):
    pack = build(audit, chen, django_capture_on_commit_callbacks, language="zh-hans")
    archive = zipfile.ZipFile(io.BytesIO(pack_bytes(pack)))
    book = load_workbook(io.BytesIO(archive.read("findings/findings-and-corrective-actions.xlsx")))
    assert book.sheetnames[0] != "Findings"
    assert "sha256sum -c SHA256SUMS" in archive.read("README.txt").decode()
    assert manifests.verify_zip(io.BytesIO(pack_bytes(pack))).ok


def test_a_member_of_another_organisation_sees_no_pack(client, org_b, audit, ready_pack):
    member = MembershipFactory(organization=org_b, role=Role.CONSULTANT).user
    client.force_login(member)
    for url in urls(audit.organization, audit, ready_pack).values():
        assert client.get(url).status_code == 404
