"""The text of evidence files, extracted once after the upload, makes them findable."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from itsms.evidence import services as evidence_services
from itsms.evidence import text
from itsms.models import EvidenceVersion
from itsms.search import selectors

from .evidence_files import odf, png, real_docx, real_pptx, real_xlsx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"


def pdf(body_html: str) -> bytes:
    from weasyprint import HTML

    style = "<style>body { font-family: 'Noto Sans CJK SC', sans-serif; }</style>"
    return HTML(string=f"<html><head>{style}</head><body>{body_html}</body></html>").write_pdf()


def extract(data: bytes, content_type: str) -> str:
    return text.extract_from(io.BytesIO(data), content_type)


def test_pdf_text_in_chinese_and_english():
    data = pdf("<h1>事件管理程序</h1><p>Every P1 incident is resolved within 4 hours.</p>")
    extracted = extract(data, "application/pdf")
    assert "事件管理程序" in extracted.replace(" ", "")
    assert "P1 incident is resolved" in extracted


def test_office_open_xml_text():
    assert "所有变更须经变更管理过程批准" in extract(real_docx(), DOCX)
    assert "服务管理方针" in extract(real_docx(), DOCX)
    sheet = extract(real_xlsx(), XLSX)
    assert "事件数" in sheet and "解决率" in sheet
    slides = extract(real_pptx(), PPTX)
    assert "管理评审" in slides and "服务报告与持续改进" in slides


def test_opendocument_text():
    assert extract(odf(), ODT) == "服务连续性计划"


def test_plain_text_in_utf8_and_in_gb18030():
    assert extract("事件记录".encode(), "text/plain") == "事件记录"
    assert extract("事件记录".encode("gb18030"), "text/csv") == "事件记录"


def test_images_and_damaged_files_yield_no_text():
    assert extract(png(), "image/png") == ""
    assert not text.extractable("image/png")
    assert not text.extractable("application/msword")


def test_a_damaged_file_yields_no_text_and_no_error(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    assert text.extract("broken.pdf", "application/pdf") == ""
    assert text.extract("broken.docx", DOCX) == ""


def test_extracted_text_is_capped(tmp_path):
    long = ("事件 incident " * 30_000).encode()
    assert len(extract(long, "text/plain")) == text.MAX_CHARS


@pytest.mark.django_db
def test_an_uploaded_document_is_found_by_words_only_in_its_file(
    org_a, consultant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = evidence_services.evidence_create(
            organization=org_a,
            actor=consultant,
            upload=SimpleUploadedFile(
                "policy.docx", real_docx("所有重大变更须经变更咨询委员会批准。")
            ),
            title="Change policy",
        )
    version = EvidenceVersion.objects.get(evidence=item)
    assert "变更咨询委员会" in version.extracted_text and version.text_extracted_at

    def titles(query):
        results = selectors.search(consultant, query, organizations=[org_a.pk], kind="evidence")
        return [r.hit.title for o in results.organizations for g in o.groups for r in g.results]

    assert titles("变更咨询委员会") == ["Change policy"]

    # a new version: its text replaces the old one's
    with django_capture_on_commit_callbacks(execute=True):
        evidence_services.evidence_add_version(
            evidence=item,
            actor=consultant,
            upload=SimpleUploadedFile("policy.docx", real_docx("紧急变更由值班经理批准。")),
            change_note="Emergency changes",
        )
    assert titles("值班经理") == ["Change policy"]
    assert titles("变更咨询委员会") == []


@pytest.mark.django_db
def test_extraction_runs_once_per_version(org_a, consultant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = evidence_services.evidence_create(
            organization=org_a,
            actor=consultant,
            upload=SimpleUploadedFile("notes.txt", "事件复盘".encode()),
            title="Review",
        )
    version = item.versions.get()
    assert evidence_services.version_text_extract(version_id=version.pk) is False
