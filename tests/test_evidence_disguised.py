"""Never a disguised file: every file of the corpus (``evidence_corpus.CORPUS``: macros under
any name, programs and archives inside documents, archive bombs, encryption, path tricks,
damaged containers) is refused with a message that says why, in English and in Chinese,
through the upload page, the API create and the API new-version endpoint, and nothing is
stored (no row, no version, no file). Real documents still pass."""

import html
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from itsms.evidence import containers, services, validation
from itsms.evidence.validation import UploadRefused, check_upload
from itsms.models import Evidence, EvidenceVersion

from .evidence_corpus import CORPUS, CORPUS_SETTINGS, GOOD
from .evidence_files import legacy_doc, legacy_xls, odf, real_docx, real_pptx, real_xlsx
from .test_evidence import pdf, stored_files

pytestmark = pytest.mark.django_db

BAD = [pytest.param(bad, id=bad.case) for bad in CORPUS]
FINE = [pytest.param(good, id=good.case) for good in GOOD]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for name, value in CORPUS_SETTINGS.items():
        setattr(settings, name, value)
    return tmp_path


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("bad", BAD)
def test_each_disguised_file_is_refused_with_its_reason_in_both_languages(media, bad, language):
    with translation.override(language), pytest.raises(UploadRefused) as refused:
        check_upload(upload(bad.name, bad.build()))
    expected = bad.en if language == "en" else bad.zh
    assert expected in refused.value.message
    assert bad.name in refused.value.message


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("bad", BAD)
def test_the_upload_page_refuses_each_and_stores_nothing(
    client, media, org_a, consultant, bad, language
):
    client.force_login(consultant)
    response = client.post(
        reverse("itsms:evidence_upload", kwargs={"org_slug": org_a.slug}),
        {"kind": "record", "confidentiality": "internal", "files": [upload(bad.name, bad.build())]},
        headers={"accept-language": language},
    )
    assert response.status_code == 400
    text = page_text(response)
    assert (bad.en if language == "en" else bad.zh) in text
    assert 'role="alert"' in text
    assert stored_files(media) == []
    assert not Evidence.objects.exists() and not EvidenceVersion.objects.exists()


@pytest.mark.parametrize("bad", BAD)
def test_the_api_create_refuses_each_with_400_and_stores_nothing(
    api_client, media, org_a, consultant, bad
):
    api_client.force_authenticate(consultant)
    response = api_client.post(
        reverse("itsms-api:evidence-list"),
        {"organization": org_a.slug, "file": upload(bad.name, bad.build())},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert any(bad.en in message for message in response.json()["file"])
    assert stored_files(media) == []
    assert not Evidence.objects.exists() and not EvidenceVersion.objects.exists()


@pytest.mark.parametrize("bad", BAD)
def test_the_api_new_version_refuses_each_and_keeps_the_item_as_it_was(
    api_client, media, org_a, consultant, bad
):
    evidence = services.evidence_create(organization=org_a, actor=consultant, upload=pdf())
    before = stored_files(media)
    api_client.force_authenticate(consultant)
    response = api_client.post(
        reverse("itsms-api:evidence-upload-version", args=[evidence.pk]),
        {"file": upload(bad.name, bad.build()), "change_note": "Revised"},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert any(bad.en in message for message in response.json()["file"])
    assert stored_files(media) == before
    assert EvidenceVersion.objects.get().number == 1
    evidence.refresh_from_db()
    assert evidence.current_version.original_name == "procedure.pdf"


@pytest.mark.parametrize("good", FINE)
def test_real_documents_pass_the_page_and_keep_their_chinese_names(
    client, media, org_a, consultant, good
):
    client.force_login(consultant)
    response = client.post(
        reverse("itsms:evidence_upload", kwargs={"org_slug": org_a.slug}),
        {
            "kind": "record",
            "confidentiality": "internal",
            "files": [upload(good.name, good.build())],
        },
    )
    assert response.status_code == 302, page_text(response)[-2000:]
    version = EvidenceVersion.objects.get()
    assert version.original_name == good.name
    assert version.content_type == good.content_type
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize("good", FINE)
def test_real_documents_pass_the_api_as_items_and_as_new_versions(
    api_client, media, org_a, consultant, good
):
    api_client.force_authenticate(consultant)
    created = api_client.post(
        reverse("itsms-api:evidence-list"),
        {"organization": org_a.slug, "file": upload(good.name, good.build())},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    assert created.json()["current_version"]["content_type"] == good.content_type
    version = api_client.post(
        reverse("itsms-api:evidence-upload-version", args=[created.json()["id"]]),
        {"file": upload(good.name, good.build()), "change_note": "第二版"},
        format="multipart",
    )
    assert version.status_code == 201, version.content
    assert version.json()["number"] == 2
    assert len(stored_files(media)) == 2


def test_a_file_whose_inspection_fails_unexpectedly_is_refused_not_a_server_error(
    client, media, org_a, consultant, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RecursionError("a parser bug")

    monkeypatch.setattr(containers, "inspect_zip", broken)
    client.force_login(consultant)
    response = client.post(
        reverse("itsms:evidence_upload", kwargs={"org_slug": org_a.slug}),
        {"kind": "record", "confidentiality": "internal", "files": [upload("a.docx", real_docx())]},
    )
    assert response.status_code == 400
    assert "The content of “a.docx” cannot be checked" in page_text(response)
    assert "Inspection of 'a.docx' failed" in caplog.text
    assert stored_files(media) == []


# --- fuzzing: damaged containers are refused, never an unexpected exception ------------------

SEEDS = {
    "policy.docx": real_docx,
    "kpis.xlsx": real_xlsx,
    "review.pptx": real_pptx,
    "plan.odt": odf,
    "procedure.doc": legacy_doc,
    "kpis.xls": legacy_xls,
}
_built: dict[str, bytes] = {}


def _seed(name: str) -> bytes:
    if name not in _built:
        _built[name] = SEEDS[name]()
    return _built[name]


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(_seed(name))
    how = draw(st.sampled_from(["flip", "truncate", "splice", "zero-range"]))
    if how == "flip":
        for _ in range(draw(st.integers(1, 12))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    elif how == "truncate":
        data = data[: draw(st.integers(8, len(data) - 1))]
    elif how == "splice":
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(min_size=1, max_size=64))
    else:
        start = draw(st.integers(0, len(data) - 1))
        data[start : start + draw(st.integers(1, 512))] = b"\0" * 512
    return name, bytes(data)


@hypothesis_settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=mutated())
def test_mutated_documents_are_accepted_or_refused_never_an_error(case):
    """Below the last guard: every damage the fuzzer makes is met by a named refusal."""
    name, data = case
    with override_settings(**CORPUS_SETTINGS):
        file = upload(name, data)
        head = file.read(validation.SNIFF_BYTES)
        try:
            validation._describe(head, file, name)
        except UploadRefused as refused:
            assert name in refused.message


# --- the README documents every limit ----------------------------------------------------------


def test_every_upload_limit_is_in_the_readme_configuration_table():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for name in CORPUS_SETTINGS:
        assert f"| `{name}` |" in readme, name


def test_an_archive_declaring_more_parts_than_allowed_is_refused_before_its_directory_is_read(
    media,
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(CORPUS_SETTINGS["EVIDENCE_ARCHIVE_MAX_PARTS"] + 1):
            archive.writestr(f"p{i}.xml", b"")
    data = bytearray(buffer.getvalue())
    # Keep the end record's count, remove the directory: a reader that builds the directory
    # first fails as damaged; the count alone names the reason.
    end = data.rfind(b"PK\x05\x06")
    with pytest.raises(UploadRefused, match="more than 200 parts"):
        check_upload(upload("x.docx", bytes(data[:4]) + bytes(data[end:])))
