"""The organisation archive: every tenant model is in it (found in the app registry), nothing of
another organisation is, and export → import gives back every row, history row and file."""

import hashlib
import io
import os
import shutil
import zipfile

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from audits.models import AuditPack
from itsms.archive import export, registry, restore
from itsms.models import (
    EvidenceVersion,
    IdentityProvider,
    Membership,
    Organization,
    OrganizationArchive,
    Role,
    SSODomain,
    User,
)
from itsms.shared import manifests
from tests.factories import MembershipFactory, UserFactory
from tests.harness import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted(org_a, org_b):
    """One row of every tenant model in A (marker "alpha") and in B (the sweep's marker)."""
    rows = world.plant(org_a, "alpha")
    world.plant(org_b, world.MARKER)
    return rows


@pytest.fixture
def archive_path(org_a, planted, tmp_path):
    built = export.build(org_a)
    path = tmp_path / "archive.zip"
    shutil.move(built.path, path)
    return str(path)


def _entries(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _stored_sha256(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_every_tenant_model_is_archived_or_excluded_with_a_reason():
    """Found generically: the archive's models are the sweep's tenant models, less the build
    artefacts and the per-instance single sign-on settings, each saying why it is left out."""
    found = set(registry.tenant_models())
    assert found == set(world.tenant_models())
    excluded = registry.excluded_models()
    assert set(excluded) == {AuditPack, OrganizationArchive, IdentityProvider, SSODomain}
    assert all(reason.strip() for reason in excluded.values())
    assert set(registry.archived_models()) == found - set(excluded)


def test_the_archive_holds_a_row_of_every_model_and_every_file(org_a, planted, archive_path):
    """A tenant model that the archive missed (or a table it read empty) fails here."""
    entries = _entries(archive_path)
    assert manifests.verify_zip(archive_path).ok
    for model in registry.archived_models():
        name = f"data/{registry.label(model)}.jsonl"
        assert name in entries, name
        expected = model._base_manager.filter(organization=org_a).count()
        assert expected >= 1, f"the builder of {name} planted nothing"
        assert entries[name].count(b"\n") == expected, name
    files = [n for n in entries if n.startswith("files/")]
    versions = EvidenceVersion.objects.filter(organization=org_a)
    assert len(files) >= versions.count() >= 1
    hashes = {hashlib.sha256(entries[n]).hexdigest() for n in files}
    assert {v.sha256 for v in versions} <= hashes


def test_nothing_of_another_organisation_is_ever_in_the_archive(org_b, archive_path):
    marker = world.MARKER.encode()
    for name, data in _entries(archive_path).items():
        assert marker not in data.lower(), name
        assert org_b.slug.encode() not in data, name


def _expected(model, field, value, restored, new_org):
    """What column ``field`` of an imported row must hold, given the archived row's value."""
    if value is None:
        return None
    kind = registry.target_kind(field) if field.is_relation else None
    if kind == "organization":
        return new_org.pk
    if kind == "user":
        return restored.users[value]
    if kind == "tenant":
        return restored.ids[field.related_model][value]
    pointer = registry.pointers(model).get(field.attname)
    if pointer is not None:
        return pointer  # checked by the caller, it needs the type column
    return value


def test_export_then_import_gives_back_every_row_history_row_and_file(
    org_a, members, planted, archive_path
):
    before = {
        model: list(model._base_manager.filter(organization=org_a).order_by("pk"))
        for model in registry.archived_models()
    }
    restored = restore.restore(archive_path, slug="alpha-copy", name="Alpha copy")
    new_org = restored.organization
    assert new_org.slug == "alpha-copy" and new_org.name == "Alpha copy"
    assert Organization.objects.filter(slug="alpha-copy").count() == 1
    for field in export.columns(Organization):
        if field.name not in ("slug", "name"):
            assert getattr(new_org, field.attname) == getattr(org_a, field.attname), field.name

    for model, rows in before.items():
        copies = model._base_manager.filter(organization=new_org)
        assert copies.count() == len(rows), registry.label(model)
        by_pk = {row.pk: row for row in copies}
        fresh = set(registry.regenerated(model))
        urls = set(registry.url_fields(model))
        files = {f.name for f in registry.file_fields(model)}
        for row in rows:
            copy = by_pk[restored.ids[model][row.pk]]
            for field in export.columns(model):
                old, new = getattr(row, field.attname), getattr(copy, field.attname)
                where = f"{registry.label(model)}.{field.name}"
                if field.name in fresh:
                    assert new and new != old, where
                elif field.name in urls:
                    assert (new or "") == (old or "").replace("/o/alpha-bank/", "/o/alpha-copy/")
                elif field.name in files:
                    if old:
                        assert new.name != old.name, where
                        assert _stored_sha256(new.name) == _stored_sha256(old.name), where
                elif field.attname in registry.pointers(model):
                    type_field, targets = registry.pointers(model)[field.attname]
                    target = apps.get_model(targets[getattr(row, type_field)])
                    assert new == restored.ids[target][old], where
                else:
                    assert new == _expected(model, field, old, restored, new_org), where

        historical = registry.history_model(model)
        if historical is not None:
            old_history = historical._base_manager.filter(organization_id=org_a.pk)
            new_history = historical._base_manager.filter(organization_id=new_org.pk)
            assert new_history.count() == old_history.count() >= 1, registry.label(model)
            assert sorted(new_history.values_list("history_date", "history_type")) == sorted(
                old_history.values_list("history_date", "history_type")
            )

    # people were matched by email, not duplicated
    assert restored.users_created == 0 and restored.users_matched >= len(members)
    # the imported organisation's own archive verifies, and holds the same files
    again = export.build(new_org)
    try:
        assert manifests.verify_zip(again.path).ok
        old_files = {
            hashlib.sha256(d).hexdigest()
            for n, d in _entries(archive_path).items()
            if n.startswith("files/")
        }
        new_files = {
            hashlib.sha256(d).hexdigest()
            for n, d in _entries(again.path).items()
            if n.startswith("files/")
        }
        assert new_files == old_files
    finally:
        os.unlink(again.path)


def test_people_unknown_here_are_created_by_email_without_a_password(org_a, planted, tmp_path):
    built = export.build(org_a)
    emails = list(
        Membership.objects.filter(organization=org_a).values_list("user__email", flat=True)
    )
    # the instance the archive goes to does not know them: their addresses change here
    moved = User.objects.filter(email__in=emails)
    for user in moved:
        user.email = f"gone-{user.pk}@elsewhere.example"
        user.save(update_fields=["email"])
    restored = restore.restore(built.path, slug="alpha-elsewhere")
    assert restored.users_created >= len(emails)
    created = User.objects.filter(email__in=[e.lower() for e in emails])
    assert created.count() == len(emails)
    assert not any(u.has_usable_password() for u in created)
    assert not any(u.is_staff or u.is_superuser for u in created)
    members = Membership.objects.filter(organization=restored.organization).values_list(
        "user__email", flat=True
    )
    assert sorted(members) == sorted(e.lower() for e in emails)


def test_a_tampered_archive_is_refused_and_nothing_is_imported(org_a, planted, archive_path):
    entries = _entries(archive_path)
    name = next(n for n in entries if n.startswith("data/itsms.evidence."))
    tampered = io.BytesIO()
    with zipfile.ZipFile(tampered, "w") as out:
        for entry, data in entries.items():
            out.writestr(entry, data.replace(b"alpha", b"omega") if entry == name else data)
    path = archive_path + ".tampered.zip"
    with open(path, "wb") as handle:
        handle.write(tampered.getvalue())
    count = Organization.objects.count()
    with pytest.raises(CommandError, match="not_intact"):
        call_command("import_organization", path, slug="alpha-tampered")
    assert Organization.objects.count() == count
    with pytest.raises(CommandError, match="slug_taken"):
        call_command("import_organization", archive_path)  # alpha-bank exists here
    out = io.StringIO()
    call_command("import_organization", archive_path, slug="alpha-two", stdout=out)
    assert "Imported" in out.getvalue()


def test_an_archive_signed_by_an_unknown_key_needs_its_key_trusted(org_a, planted, archive_path):
    with pytest.raises(restore.ArchiveRefused) as refused:
        restore.restore(archive_path, slug="alpha-x", trusted_key_ids=set())
    assert refused.value.code == "untrusted_key"
    key = manifests.verify_zip(archive_path).key_id
    assert restore.restore(archive_path, slug="alpha-x", trusted_key_ids={key}).rows > 0


# --- the pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_the_archive_page_is_for_consultants_and_admins(client, org_a, members, role):
    client.force_login(members[role])
    url = reverse("itsms:organization_archive", kwargs={"org_slug": org_a.slug})
    expected = 200 if role in (Role.CONSULTANT, Role.ADMIN) else 403
    assert client.get(url).status_code == expected
    assert client.post(url, {"language": "en"}).status_code in (
        (302,) if expected == 200 else (403,)
    )


def test_an_admin_builds_and_downloads_the_archive(
    client, org_a, members, planted, django_capture_on_commit_callbacks
):
    client.force_login(members[Role.ADMIN])
    url = reverse("itsms:organization_archive", kwargs={"org_slug": org_a.slug})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"language": "zh-hans"}).status_code == 302
    archive = OrganizationArchive.objects.filter(organization=org_a).latest("pk")
    assert archive.requested_by == members[Role.ADMIN] and archive.language == "zh-hans"
    assert archive.status == "ready" and archive.rows > 0 and archive.files > 0
    page = client.get(url).content.decode()
    download = reverse("itsms:archive_download", kwargs={"org_slug": org_a.slug, "pk": archive.pk})
    assert download in page
    response = client.get(download)
    assert response.status_code == 200 and response.streaming
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == archive.sha256
    assert manifests.verify_zip(io.BytesIO(data)).ok
    progress = reverse("itsms:archive_progress", kwargs={"org_slug": org_a.slug, "pk": archive.pk})
    assert client.get(progress).status_code == 200


def test_another_organisations_admin_gets_404_for_the_archive(client, org_a, org_b, planted):
    archive = OrganizationArchive.objects.filter(organization=org_b).first()
    admin_b = UserFactory()
    MembershipFactory(organization=org_a, user=admin_b, role=Role.ADMIN)
    client.force_login(admin_b)
    for name in ("itsms:archive_download", "itsms:archive_progress"):
        url = reverse(name, kwargs={"org_slug": org_a.slug, "pk": archive.pk})
        assert client.get(url).status_code == 404, name
    outsider = UserFactory()
    client.force_login(outsider)
    url = reverse("itsms:organization_archive", kwargs={"org_slug": org_a.slug})
    assert client.get(url).status_code in (403, 404)


def test_the_export_command_writes_an_archive_that_verify_pack_passes(org_a, planted, tmp_path):
    path = str(tmp_path / "alpha.zip")
    out = io.StringIO()
    call_command("export_organization", org_a.slug, path, stdout=out)
    assert "rows" in out.getvalue()
    out = io.StringIO()
    call_command("verify_pack", path, stdout=out)
    assert "OK: intact and signed by a trusted key" in out.getvalue()
    with pytest.raises(CommandError, match="No organisation"):
        call_command("export_organization", "no-such-org", path)


def test_the_archive_page_runs_the_same_queries_for_one_or_many_archives(client, org_a, members):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(members[Role.ADMIN])
    url = reverse("itsms:organization_archive", kwargs={"org_slug": org_a.slug})

    def archives(n):
        for i in range(n):
            OrganizationArchive.objects.create(
                organization=org_a,
                requested_by=members[Role.ADMIN],
                **world.stored_export(org_a, f"many{n}-{i}", "archives"),
            )

    archives(1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    archives(6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
