"""The OpenAPI document says what the server answers (checked live by bin/fuzz in CI)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_client, consultant):
    api_client.force_authenticate(consultant)
    return api_client.get(reverse("schema"), {"format": "json"}).json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_every_operation_documents_its_error_answers(schema):
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        assert {"400", "401", "403", "404", "429"} <= codes, (method, path)
        if method != "get":
            assert "409" in codes, (method, path)


def test_columns_that_may_be_null_are_documented_nullable(schema):
    components = schema["components"]["schemas"]
    for component, field in [
        ("Audit", "response_deadline"),
        ("Finding", "response_deadline"),
        ("Clause", "parent"),
        ("Evidence", "approved_by"),
        ("Evidence", "approved_version"),
        ("Evidence", "deleted_by"),
    ]:
        assert components[component]["properties"][field].get("nullable") is True, field


def test_readiness_is_one_object_not_a_list(schema):
    response = schema["paths"]["/api/v1/readiness/"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Readiness"
    }


def test_downloads_declare_the_types_files_are_served_with(schema):
    for path in ("/api/v1/evidence/{id}/download/", "/api/v1/evidence-versions/{id}/download/"):
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]
        assert {"application/pdf", "image/png", "text/plain"} <= set(content)
        assert "application/octet-stream" not in content


def test_a_patch_of_a_versioned_object_requires_the_version(schema):
    components = schema["components"]["schemas"]
    for name in ("PatchedAuditRequest", "PatchedFindingRequest", "PatchedEvidenceRequest"):
        assert "version" in components[name]["required"], name


def test_an_unknown_api_address_answers_json(api_client, consultant):
    api_client.force_authenticate(consultant)
    for url in ("/api/v1/certificates/0.5/", "/api/v1/no-such-thing/"):
        response = api_client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Not found."}


def test_an_unknown_page_still_answers_the_site_page(client, consultant):
    client.force_login(consultant)
    response = client.get("/o/nowhere/at/all/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
