"""Size limits of uploads: a request whose declared body exceeds its view's limit answers 413
before a byte of the body is read (page in the user's language, JSON for the script and the
API), and the files of one multi-file upload have a total cap."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from itsms.evidence import limits, services
from itsms.models import Evidence, EvidenceVersion

from .test_evidence import PDF, pdf, stored_files

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_UPLOAD_MB = 2
    settings.EVIDENCE_MAX_UPLOAD_TOTAL_MB = 4
    return tmp_path


def text_of(response) -> str:
    """The answer's text, with the non-breaking spaces of file sizes as plain spaces."""
    body = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        import json

        body = json.dumps(response.json(), ensure_ascii=False)
    return body.replace("\xa0", " ").replace("\\u00a0", " ")


def declared(client, url, length, **extra):
    return client.generic(
        "POST",
        url,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": UnreadableBody()},
        **extra,
    )


@pytest.mark.parametrize(
    "language,words",
    [
        ("en", "This request is 50.0 MB; one upload may be at most 4.0 MB in all."),
        ("zh-hans", "本次请求大小为 50.0 MB；一次上传合计最多 4.0 MB。"),
    ],
)
def test_an_oversized_upload_page_request_gets_413_before_its_body_is_read(
    client, media, org_a, consultant, language, words
):
    client.force_login(consultant)
    url = reverse("itsms:evidence_upload", kwargs={"org_slug": org_a.slug})
    response = declared(client, url, 50 * MB, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 413
    text = text_of(response)
    assert words in text and 'role="alert"' in text
    assert stored_files(media) == [] and not Evidence.objects.exists()


def test_the_upload_script_gets_the_413_as_json(client, media, org_a, consultant):
    client.force_login(consultant)
    url = reverse("itsms:evidence_upload", kwargs={"org_slug": org_a.slug})
    response = declared(client, url, 50 * MB, HTTP_ACCEPT="application/json")
    assert response.status_code == 413
    assert "at most 4.0\xa0MB in all" in response.json()["errors"]["files"][0]


def test_the_api_answers_413_with_the_file_limit_on_create_and_new_version(
    api_client, media, org_a, consultant
):
    evidence = services.evidence_create(organization=org_a, actor=consultant, upload=pdf())
    api_client.force_authenticate(consultant)
    # Above one file's limit (plus room for the form) but below a multi-file upload's.
    length = limits.max_upload_bytes() + limits._form_room() + 1
    assert length < limits.max_total_bytes() + limits._form_room()
    for url in (
        reverse("itsms-api:evidence-list"),
        reverse("itsms-api:evidence-upload-version", args=[evidence.pk]),
    ):
        response = declared(api_client, url, length)
        assert response.status_code == 413, url
        assert "a file may be at most 2.0\xa0MB" in response.json()["detail"]
    assert EvidenceVersion.objects.count() == 1 and len(stored_files(media)) == 1


def test_the_version_page_has_the_one_file_limit(client, media, org_a, consultant):
    evidence = services.evidence_create(organization=org_a, actor=consultant, upload=pdf())
    client.force_login(consultant)
    url = reverse(
        "itsms:evidence_version_upload", kwargs={"org_slug": org_a.slug, "pk": evidence.pk}
    )
    response = declared(client, url, limits.max_upload_bytes() + limits._form_room() + 1)
    assert response.status_code == 413
    assert "a file may be at most 2.0 MB" in text_of(response)


def test_any_other_request_with_a_huge_body_gets_413_too(client, media):
    response = declared(client, reverse("login"), 10 * 1024 * MB)
    assert response.status_code == 413


def test_files_of_one_upload_are_capped_in_total_and_none_is_stored(
    client, media, org_a, consultant
):
    client.force_login(consultant)
    url = reverse("itsms:evidence_upload", kwargs={"org_slug": org_a.slug})
    files = [
        SimpleUploadedFile(f"记录{i}.pdf", PDF + b"0" * int(1.5 * MB), "application/pdf")
        for i in range(3)
    ]
    response = client.post(url, {"kind": "record", "confidentiality": "internal", "files": files})
    assert response.status_code == 400
    text = text_of(response)
    assert "These 3 files add up to 4.5 MB; one upload may be at most 4.0 MB in all." in text
    assert stored_files(media) == [] and not Evidence.objects.exists()
    two = files[:2]
    for f in two:
        f.seek(0)
    ok = client.post(url, {"kind": "record", "confidentiality": "internal", "files": two})
    assert ok.status_code == 302 and len(stored_files(media)) == 2
