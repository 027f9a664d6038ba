"""Importing an organisation archive into this instance, as a new organisation.

The archive is checked first (signature, every file's SHA-256, a key this instance trusts, a
format it reads, models and columns it has); then everything goes in one transaction — a
failure leaves nothing behind, and files already stored are removed again:

- people are matched by email (case-insensitive) or created without a password (they set
  one with "forgot password"; staff and superuser flags are never imported);
- reference rows (clauses) are matched by natural key (standard code and number);
- rows get new ids, parents first; nullable keys that point forward, pointers by type
  (``archive_pointers``) and links into the product (``archive_urls``) are set once every row
  is in; secret token hashes are replaced (``archive_regenerate``): old links do not work here;
- files are stored under new names, their SHA-256 checked again as they are copied;
- history rows keep who did what and when; the ids of rows deleted before the export have no
  row here, and are replaced by negative ids that no row will ever have.
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import tempfile
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import urlsplit, urlunsplit

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.db.models.functions import Lower
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from itsms.models import Organization, User
from itsms.models.tenancy import SLUG_VALIDATOR
from itsms.shared import manifests

from . import registry
from .export import FORMAT, FORMAT_VERSION, columns

SPOOL_BYTES = 1024 * 1024


class _Dropped(Exception):
    """This row points at a row that was gone before the export: it is left out."""


class ArchiveRefused(Exception):
    """The archive cannot be imported; nothing was changed. ``code`` says why."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class Restored:
    organization: Organization
    rows: int = 0
    files: int = 0
    history: int = 0
    users_created: int = 0
    users_matched: int = 0
    warnings: list[str] = field(default_factory=list)
    #: {model: {id in the archive: id here}}
    ids: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


def check(path: str, trusted_key_ids=None) -> dict:
    """Verify the archive and that this instance can read it; returns its manifest."""
    verification = manifests.verify_zip(path, trusted_key_ids)
    if not verification.ok:
        problems = verification.problems + [
            f"{f.path}: {f.problem}" for f in verification.files if not f.ok
        ]
        raise ArchiveRefused("not_intact", "The archive is not intact: " + "; ".join(problems))
    if not verification.key_trusted:
        raise ArchiveRefused(
            "untrusted_key",
            f"The archive is signed by the key {verification.key_id}, which this instance does "
            "not know; if it is the key of the instance it came from, trust it explicitly.",
        )
    manifest = verification.manifest
    if manifest.get("format") != FORMAT:
        raise ArchiveRefused("not_an_archive", "This is not an organisation archive.")
    if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise ArchiveRefused("newer_format", "The archive was written by a newer version.")
    known = {registry.label(m): m for m in registry.archived_models()}
    for described in manifest.get("models", []):
        model = known.get(described["model"])
        if model is None:
            raise ArchiveRefused(
                "unknown_model", f"This instance has no {described['model']} to import into."
            )
        unknown = set(described["fields"]) - {f.attname for f in columns(model)}
        if unknown:
            raise ArchiveRefused(
                "unknown_fields",
                f"{described['model']} has columns this instance does not: {sorted(unknown)}",
            )
    return manifest


def restore(path: str, *, slug=None, name=None, trusted_key_ids=None, log=None) -> Restored:
    """Import the archive at ``path`` as a new organisation (``slug``/``name`` override the
    archived ones, e.g. to import a copy beside the original)."""
    manifest = check(path, trusted_key_ids)
    with zipfile.ZipFile(path) as archive:
        return _Restorer(archive, manifest, log=log).run(slug=slug, name=name)


class _Restorer:
    def __init__(self, archive: zipfile.ZipFile, manifest: dict, log=None):
        self.archive = archive
        self.manifest = manifest
        self.log = log or (lambda message: None)
        self.files_listed = {f["path"]: f for f in manifest.get("files", [])}
        self.ids: dict[type, dict[int, int]] = defaultdict(dict)
        self.users: dict[int, int] = {}
        self.refs: dict[type, dict[int, int]] = defaultdict(dict)
        self.ghosts: dict[type, dict[int, int]] = defaultdict(dict)
        self.ghost_next: dict[type, int] = {}
        self.imported: set[type] = set()
        self.dropped: dict[type, set[int]] = defaultdict(set)
        self.later: dict[tuple[type, str], list[tuple[int, object]]] = defaultdict(list)
        self.file_names: dict[str, str] = {}
        self.stored: list[str] = []
        self.old_slug = manifest["organization"]["slug"]
        self.result: Restored | None = None

    # -- reading -----------------------------------------------------------------------------

    def lines(self, path: str):
        if path not in self.files_listed:
            return
        with self.archive.open(path) as raw:
            for line in io.TextIOWrapper(raw, encoding="utf-8"):
                if line.strip():
                    yield json.loads(line)

    # -- people, reference rows, the organisation -----------------------------------------------

    def restore_users(self) -> None:
        rows = list(self.lines("data/users.jsonl"))
        emails = {row["email"].lower() for row in rows}
        existing = {
            u.email_lower: u.pk
            for u in User.objects.annotate(email_lower=Lower("email")).filter(
                email_lower__in=emails
            )
        }
        new = []
        for row in rows:
            email = row["email"].lower()
            if email in existing:
                self.users[row["pk"]] = existing[email]
                self.result.users_matched += 1
                continue
            user = User(email=email, full_name=row.get("full_name", ""))
            user.is_active = bool(row.get("is_active", True))
            user.set_unusable_password()
            new.append((row["pk"], user))
        for old, user in zip(
            [old for old, _ in new], User.objects.bulk_create([u for _, u in new]), strict=True
        ):
            self.users[old] = user.pk
        self.result.users_created = len(new)

    def restore_refs(self) -> None:
        for entry in self.manifest.get("files", []):
            if entry.get("kind") != "refs":
                continue
            model = apps.get_model(entry["model"])
            for row in self.lines(entry["path"]):
                try:
                    found = model._default_manager.get_by_natural_key(*row["key"])
                except model.DoesNotExist as exc:
                    raise ArchiveRefused(
                        "missing_reference",
                        f"{entry['model']} {' '.join(map(str, row['key']))} is not in this "
                        "instance's reference data.",
                    ) from exc
                self.refs[model][row["pk"]] = found.pk

    def restore_organization(self, slug, name) -> Organization:
        row = next(self.lines("data/organization.json"))
        slug = (slug or row["slug"]).lower()
        try:
            SLUG_VALIDATOR(slug)
        except ValidationError as exc:
            raise ArchiveRefused("bad_slug", f"{slug!r}: {' '.join(exc.messages)}") from exc
        if Organization.objects.annotate(s=Lower("slug")).filter(s=slug).exists():
            raise ArchiveRefused(
                "slug_taken", f"An organisation {slug!r} exists here: import under another slug."
            )
        organization = self.build(Organization, {**row, "slug": slug, "name": name or row["name"]})
        (pk,) = Organization._base_manager._insert(
            [organization],
            fields=columns(Organization),
            returning_fields=[Organization._meta.pk],
            raw=True,
        )[0]
        organization.pk = pk
        self.ids[Organization][row["pk"]] = pk
        self.imported.add(Organization)
        return organization

    # -- rows ---------------------------------------------------------------------------------

    def mapped(self, field, value, *, model, old_pk):
        """A foreign key's value here; a key to rows not in yet is kept for later."""
        if value is None:
            return None
        kind = registry.target_kind(field)
        target = field.related_model
        if kind == "organization":
            return self.organization.pk
        if kind == "user":
            return self._required(field, self.users.get(value), model)
        if kind == "global":
            return self._required(field, self.refs[target].get(value), model)
        if kind == "excluded":
            return self._required(field, None, model)
        if target in self.imported and target is not model:
            if value in self.dropped[target]:
                if field.null:
                    return None
                raise _Dropped
            return self._required(field, self.ids[target].get(value), model)
        if not field.null:
            raise ArchiveRefused(
                "order", f"{registry.label(model)}.{field.name} points at rows not yet imported."
            )
        self.later[(model, field.attname)].append((old_pk, ("fk", target, value)))
        return None

    def _required(self, field, value, model):
        if value is None and not field.null:
            raise ArchiveRefused(
                "dangling",
                f"{registry.label(model)}.{field.name} points at a row not in the archive.",
            )
        return value

    def build(self, model, row: dict):
        """An unsaved instance of ``model`` from an archived row (keys mapped)."""
        values = {}
        old_pk = row.get("pk")
        pointer_fields = registry.pointers(model)
        fresh = set(registry.regenerated(model))
        for column in columns(model):
            if column.attname not in row:
                continue
            value = row[column.attname]
            if column.is_relation:
                value = self.mapped(column, value, model=model, old_pk=old_pk)
            elif column.name in fresh:
                value = secrets.token_hex(max(8, (column.max_length or 64) // 2))
            elif value is not None:
                value = column.to_python(value)
            if column.attname in pointer_fields and value is not None:
                type_field, targets = pointer_fields[column.attname]
                target = targets.get(row.get(type_field))
                if target is not None:
                    value = self.pointed(model, column, apps.get_model(target), value, old_pk)
            if column.name in registry.url_fields(model) and value:
                self.later[(model, column.attname)].append((old_pk, ("url", None, value)))
            values[column.attname] = value
        return model(**values)

    def pointed(self, model, column, target, value, old_pk):
        """A pointer by type (``archive_pointers``): mapped now when its target is in."""
        if target not in self.imported:  # only when keys run in a circle
            self.later[(model, column.attname)].append((old_pk, ("pointer", target, value)))
            return value
        mapped = self.ids[target].get(value)
        if mapped is None:
            raise _Dropped
        return mapped

    def insert(self, model, rows: list[dict]) -> None:
        objects, kept = [], []
        for row in rows:
            try:
                objects.append(self.build(model, row))
            except _Dropped:
                self.dropped[model].add(row["pk"])
                continue
            kept.append(row)
        if len(kept) < len(rows):
            self.result.warnings.append(
                f"{len(rows) - len(kept)} {registry.label(model)} about rows deleted before the "
                "export were left out"
            )
        rows = kept
        fields = columns(model)
        size = max(1, connection.ops.bulk_batch_size(fields, objects) or len(objects))
        for start in range(0, len(objects), size):
            batch, olds = objects[start : start + size], rows[start : start + size]
            returned = model._base_manager._insert(
                batch, fields=fields, returning_fields=[model._meta.pk], raw=True
            )
            for row, (pk,) in zip(olds, returned, strict=True):
                self.ids[model][row["pk"]] = pk
        self.result.rows += len(objects)

    def restore_model(self, model) -> None:
        batch = []
        for row in self.lines(f"data/{registry.label(model)}.jsonl"):
            batch.append(row)
            if len(batch) >= 1000:
                self.insert(model, batch)
                batch = []
        if batch:
            self.insert(model, batch)
        self.imported.add(model)

    def restore_links(self, model) -> None:
        for link in registry.auto_m2m_fields(model):
            through = link.remote_field.through
            source = through._meta.get_field(link.m2m_field_name())
            target = through._meta.get_field(link.m2m_reverse_field_name())
            rows = []
            for owner, other in self.lines(f"data/m2m/{registry.label(model)}.{link.name}.jsonl"):
                kind = registry.target_kind(target)
                mapped = (
                    self.refs[target.related_model].get(other)
                    if kind == "global"
                    else self.ids[target.related_model].get(other)
                )
                if mapped is None:
                    self.result.warnings.append(f"a link of {link} to a missing row was dropped")
                    continue
                rows.append(
                    through(**{source.attname: self.ids[model][owner], target.attname: mapped})
                )
            through._base_manager.bulk_create(rows, batch_size=1000)

    def apply_later(self) -> None:
        """Keys that pointed forward, pointers by type, links into the product."""
        for (model, attname), items in self.later.items():
            doomed, updates = [], []
            for old_pk, (kind, target, value) in items:
                pk = self.ids[model].get(old_pk)
                if pk is None:
                    continue  # the row was left out
                if kind == "url":
                    updates.append(model(pk=pk, **{attname: self.rewrite_url(value)}))
                    continue
                mapped = self.ids[target].get(value)
                if mapped is None and kind == "pointer":
                    doomed.append(pk)  # what it pointed at was gone before the export
                elif mapped is not None:
                    updates.append(model(pk=pk, **{attname: mapped}))
            name = next(f.name for f in model._meta.concrete_fields if f.attname == attname)
            model._base_manager.bulk_update(updates, [name], batch_size=500)
            if doomed:
                model._base_manager.filter(pk__in=doomed).delete()
                self.result.warnings.append(
                    f"{len(doomed)} {registry.label(model)} pointing at deleted rows were dropped"
                )

    def rewrite_url(self, url: str) -> str:
        """A link into the product (``/o/<slug>/evidence/12/``) with the new slug and ids."""
        parts = urlsplit(url)
        try:
            match = resolve(parts.path)
        except Resolver404:
            return url.replace(f"/o/{self.old_slug}/", f"/o/{self.organization.slug}/", 1)
        kwargs = dict(match.kwargs)
        if kwargs.get("org_slug") == self.old_slug:
            kwargs["org_slug"] = self.organization.slug
        view = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
        queryset = getattr(view, "queryset", None)
        model = queryset.model if queryset is not None else getattr(view, "model", None)
        if "pk" in kwargs and model in self.ids:
            kwargs["pk"] = self.ids[model].get(int(kwargs["pk"]), kwargs["pk"])
        return urlunsplit(parts._replace(path=reverse(match.view_name, kwargs=kwargs)))

    # -- files, history, permissions -------------------------------------------------------------

    def restore_files(self) -> None:
        updates: dict[tuple[type, str], list] = defaultdict(list)
        for entry in self.manifest.get("files", []):
            if entry.get("kind") != "file":
                continue
            model = apps.get_model(entry["model"])
            old_name = entry["name"]
            suffix = PurePosixPath(old_name).suffix[:16]
            top = old_name.split("/", 1)[0] if "/" in old_name else "files"
            new_name = (
                f"{top}/{self.organization.pk}/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"
            )
            digest = hashlib.sha256()
            with tempfile.SpooledTemporaryFile(SPOOL_BYTES, dir=manifests.temp_dir()) as spool:
                with self.archive.open(entry["path"]) as source:
                    for chunk in manifests.iter_chunks(source):
                        digest.update(chunk)
                        spool.write(chunk)
                if digest.hexdigest() != entry["sha256"]:
                    raise ArchiveRefused("not_intact", f"{entry['path']} changed while importing")
                spool.seek(0)
                stored = default_storage.save(new_name, File(spool, name=new_name))
            self.stored.append(stored)
            self.file_names[old_name] = stored
            pk = self.ids[model][entry["pk"]]
            updates[(model, entry["field"])].append(model(pk=pk, **{entry["field"]: stored}))
            self.result.files += 1
        for (model, name), objects in updates.items():
            model._base_manager.bulk_update(objects, [name], batch_size=500)

    def ghost(self, model, old: int) -> int:
        """An id for a row deleted before the export (history only): negative, never a row's."""
        if old in self.ghosts[model]:
            return self.ghosts[model][old]
        if model not in self.ghost_next:
            lowest = 0
            historical = registry.history_model(model)
            if historical is not None:
                lowest = historical._base_manager.aggregate(m=models.Min("id"))["m"] or 0
            self.ghost_next[model] = min(lowest, 0) - 1
        ghost = self.ghosts[model][old] = self.ghost_next[model]
        self.ghost_next[model] -= 1
        return ghost

    def history_value(self, model, column, value):
        if value is None:
            return None
        if column.name == "id":
            return self.ids[model].get(value) or self.ghost(model, value)
        if column.is_relation:
            kind = registry.target_kind(column)
            target = column.related_model
            if kind == "organization":
                return self.organization.pk if value == self.old_org_pk else None
            if kind == "user":
                return self.users.get(value)
            if kind == "global":
                return self.refs[target].get(value)
            if kind == "excluded":
                return None
            return self.ids[target].get(value) or self.ghost(target, value)
        if column.name in self.history_file_fields.get(model, ()):
            return self.file_names.get(value, value)
        return column.to_python(value)

    def restore_history(self) -> None:
        self.history_file_fields = {
            m: {f.name for f in registry.file_fields(m)} for m in registry.archived_models()
        }
        for entry in self.manifest.get("files", []):
            if entry.get("kind") != "history":
                continue
            model = apps.get_model(entry["model"])
            historical = registry.history_model(model)
            fields = [f for f in historical._meta.concrete_fields if not f.primary_key]
            batch = []
            for row in self.lines(entry["path"]):
                values = {
                    f.attname: self.history_value(model, f, row.get(f.attname))
                    for f in fields
                    if f.attname in row
                }
                batch.append(historical(**values))
                if len(batch) >= 500:
                    self._insert_history(historical, fields, batch)
                    batch = []
            if batch:
                self._insert_history(historical, fields, batch)

    def _insert_history(self, historical, fields, batch) -> None:
        size = max(1, connection.ops.bulk_batch_size(fields, batch) or len(batch))
        for start in range(0, len(batch), size):
            historical._base_manager._insert(batch[start : start + size], fields=fields, raw=True)
        self.result.history += len(batch)

    def restore_permissions(self) -> None:
        from guardian.models import UserObjectPermission

        permissions: dict[tuple, Permission] = {}
        rows = []
        for row in self.lines("data/permissions.jsonl"):
            key = tuple(row["permission"])
            if key not in permissions:
                permissions[key] = Permission.objects.get_by_natural_key(*key)
            model = apps.get_model(row["model"])
            pk = self.ids[model].get(row["object_pk"])
            user = self.users.get(row["user"])
            if pk is None or user is None:
                continue
            rows.append(
                UserObjectPermission(
                    user_id=user,
                    permission=permissions[key],
                    content_type=ContentType.objects.get_for_model(model),
                    object_pk=str(pk),
                )
            )
        UserObjectPermission.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)

    # -- the whole ---------------------------------------------------------------------------

    def run(self, *, slug=None, name=None) -> Restored:
        row = next(self.lines("data/organization.json"))
        self.old_org_pk = row["pk"]
        try:
            with transaction.atomic():
                self.result = Restored(organization=None)
                self.restore_users()
                self.restore_refs()
                self.organization = self.restore_organization(slug, name)
                self.result.organization = self.organization
                present = {m["model"] for m in self.manifest.get("models", [])}
                order = [m for m in registry.archived_models() if registry.label(m) in present]
                for model in order:
                    self.restore_model(model)
                    self.log(f"{registry.label(model)}: {len(self.ids[model])}")
                for model in order:
                    self.restore_links(model)
                self.apply_later()
                self.restore_files()
                self.restore_history()
                self.restore_permissions()
        except BaseException:
            for name_ in self.stored:
                default_storage.delete(name_)
            raise
        self.result.ids = dict(self.ids)
        self.result.users = dict(self.users)
        return self.result
