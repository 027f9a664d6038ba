"""Writing an organisation archive: every row, history row and file of one organisation.

The ZIP (``itsms.shared.manifests.SignedZip``, streamed to a temporary file) holds::

    data/organization.json                    the organisation's row
    data/<app>.<model>.jsonl                  its rows, one JSON object a line ("pk" + fields)
    data/m2m/<app>.<model>.<field>.jsonl      the rows' many-to-many links, [from, to] a line
    data/history/<app>.<historical>.jsonl     the history rows (who changed what, when)
    data/permissions.jsonl                    object permissions on the organisation's rows
    data/users.jsonl                          the people the rows name (matched by email)
    data/refs/<app>.<model>.jsonl             reference rows they name, by natural key
    files/<app>.<model>/<pk>-<field>/<name>   every stored file
    manifest.json, manifest.sig, SHA256SUMS   (signed; the format and its version)

Rows are read straight from the database in primary-key order (``values_list``, chunked), so
memory does not grow with the organisation. On PostgreSQL the whole export reads one
snapshot (a repeatable-read, read-only transaction); elsewhere a row whose parent is not in
the archive (created while the export ran) is left for the next archive.
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.duration import duration_iso_string

from itsms.models import Organization, User
from itsms.shared import manifests

from . import registry

FORMAT = "itsms-organization-archive"
FORMAT_VERSION = 1
ROWS_PER_CHUNK = 2000
#: the bytes of JSON lines gathered before they are written into the ZIP
WRITE_BYTES = 256 * 1024


def encode(value):
    """A column's value as JSON (lossless: ``Field.to_python`` reads it back)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return duration_iso_string(value)
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot archive {type(value).__name__}")


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, default=encode, separators=(",", ":"))


def _lines(rows: Iterator[dict]) -> Iterator[bytes]:
    buffer, size = [], 0
    for row in rows:
        line = (dumps(row) + "\n").encode("utf-8")
        buffer.append(line)
        size += len(line)
        if size >= WRITE_BYTES:
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)


def columns(model) -> list:
    """The concrete columns an archive keeps of ``model`` (all but the primary key)."""
    return [f for f in model._meta.concrete_fields if not f.primary_key]


@contextmanager
def snapshot():
    """One consistent view of the data for the whole export, where the database offers it
    without blocking writers (PostgreSQL); yields whether it did."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield True
    else:
        yield False


@dataclass
class Built:
    path: str
    size: int
    sha256: str
    rows: int
    files: int


class _Collector:
    """What the rows point at beyond the organisation: users and reference rows."""

    def __init__(self):
        self.users: set[int] = set()
        self.refs: dict[type, set[int]] = defaultdict(set)

    def note(self, field, value) -> None:
        if value is None:
            return
        kind = registry.target_kind(field)
        if kind == "user":
            self.users.add(value)
        elif kind == "global":
            self.refs[field.related_model].add(value)


class Exporter:
    def __init__(self, organization: Organization, *, header: dict, progress=None):
        self.organization = organization
        self.header = header
        self.progress: Callable[[int, int], None] = progress or (lambda done, total: None)
        self.exported: dict[type, set[int]] = defaultdict(set)
        self.collector = _Collector()
        self.models = registry.archived_models()
        self.done = 0
        self.total = 0
        self.rows = 0
        self.files = 0
        self.skipped: dict[str, int] = {}
        self.described: list[dict] = []

    # -- progress ---------------------------------------------------------------------------

    def count(self) -> None:
        org = self.organization
        total = 0
        for model in self.models:
            total += model._base_manager.filter(organization=org).count()
            historical = registry.history_model(model)
            if historical is not None:
                total += historical._base_manager.filter(organization_id=org.pk).count()
        self.total = total + 1

    def tick(self, n: int = 1) -> None:
        self.done += n
        self.progress(min(self.done, self.total), self.total)

    # -- rows -------------------------------------------------------------------------------

    def _rows(self, model) -> Iterator[dict]:
        fields = columns(model)
        names = [f.attname for f in fields]
        required = [
            (i, f.related_model)
            for i, f in enumerate(fields)
            if f.is_relation and not f.null and f.related_model in self.exported_models
        ]
        relations = [(i, f) for i, f in enumerate(fields) if f.is_relation]
        queryset = (
            model._base_manager.filter(organization=self.organization)
            .order_by("pk")
            .values_list("pk", *names)
        )
        skipped = 0
        for n, values in enumerate(queryset.iterator(chunk_size=ROWS_PER_CHUNK), start=1):
            pk, values = values[0], values[1:]
            if any(values[i] not in self.exported[target] for i, target in required):
                skipped += 1  # its parent came after the parent's table was read
                continue
            for i, field in relations:
                self.collector.note(field, values[i])
            self.exported[model].add(pk)
            self.rows += 1
            if n % 500 == 0:
                self.tick(500)
            yield {"pk": pk, **dict(zip(names, values, strict=True))}
        if skipped:
            self.skipped[registry.label(model)] = skipped

    def write_model(self, signed, model) -> None:
        before = self.rows
        entry = signed.add_chunks(f"data/{registry.label(model)}.jsonl", _lines(self._rows(model)))
        count = self.rows - before
        self.tick(count % 500)
        entry.update(kind="rows", model=registry.label(model), rows=count)
        self.described.append(
            {
                "model": registry.label(model),
                "rows": count,
                "fields": [f.attname for f in columns(model)],
            }
        )
        for field in registry.auto_m2m_fields(model):
            self.write_links(signed, model, field)

    def write_links(self, signed, model, field) -> None:
        through = field.remote_field.through
        source = through._meta.get_field(field.m2m_field_name())
        target = through._meta.get_field(field.m2m_reverse_field_name())
        rows = (
            through._base_manager.filter(**{f"{source.name}__organization": self.organization})
            .order_by("pk")
            .values_list(source.attname, target.attname)
        )

        def pairs():
            for owner, other in rows.iterator(chunk_size=ROWS_PER_CHUNK):
                self.collector.note(target, other)
                yield [owner, other]

        name = f"{registry.label(model)}.{field.name}"
        entry = signed.add_chunks(f"data/m2m/{name}.jsonl", _lines(pairs()))
        entry.update(kind="links", model=registry.label(model), field=field.name)

    @property
    def exported_models(self) -> set:
        return set(self.models)

    def write_history(self, signed, model, *, of_organization: bool = False) -> None:
        historical = registry.history_model(model)
        if historical is None:
            return
        fields = [f for f in historical._meta.concrete_fields if not f.primary_key]
        names = [f.attname for f in fields]
        relations = [(i, f) for i, f in enumerate(fields) if f.is_relation]
        where = (
            {"id": self.organization.pk}
            if of_organization
            else {"organization_id": self.organization.pk}
        )
        queryset = (
            historical._base_manager.filter(**where).order_by("history_id").values_list(*names)
        )

        def rows():
            for n, values in enumerate(queryset.iterator(chunk_size=ROWS_PER_CHUNK), start=1):
                for i, field in relations:
                    self.collector.note(field, values[i])
                if n % 500 == 0:
                    self.tick(500)
                yield dict(zip(names, values, strict=True))

        entry = signed.add_chunks(
            f"data/history/{registry.label(historical)}.jsonl", _lines(rows())
        )
        entry.update(kind="history", model=registry.label(model))

    def write_permissions(self, signed) -> None:
        from guardian.models import UserObjectPermission

        def rows():
            targets = [(Organization, {self.organization.pk})] + [
                (model, self.exported[model]) for model in self.models
            ]
            for model, ids in targets:
                if not ids:
                    continue
                content_type = ContentType.objects.get_for_model(model)
                keys = sorted(str(pk) for pk in ids)
                for start in range(0, len(keys), 500):
                    found = UserObjectPermission.objects.filter(
                        content_type=content_type, object_pk__in=keys[start : start + 500]
                    ).select_related("permission__content_type")
                    for row in found.order_by("pk"):
                        self.collector.users.add(row.user_id)
                        perm = row.permission
                        yield {
                            "user": row.user_id,
                            "permission": [
                                perm.codename,
                                perm.content_type.app_label,
                                perm.content_type.model,
                            ],
                            "model": registry.label(model),
                            "object_pk": int(row.object_pk),
                        }

        entry = signed.add_chunks("data/permissions.jsonl", _lines(rows()))
        entry.update(kind="permissions")

    def write_users(self, signed) -> None:
        ids = sorted(self.collector.users)

        def rows():
            for start in range(0, len(ids), 1000):
                for user in User.objects.filter(pk__in=ids[start : start + 1000]).order_by("pk"):
                    yield {
                        "pk": user.pk,
                        "email": user.email,
                        "full_name": user.full_name,
                        "is_active": user.is_active,
                    }

        entry = signed.add_chunks("data/users.jsonl", _lines(rows()))
        entry.update(kind="users")

    def write_refs(self, signed) -> None:
        for model, ids in sorted(self.collector.refs.items(), key=lambda i: registry.label(i[0])):
            if not hasattr(model, "natural_key"):
                raise RuntimeError(
                    f"{registry.label(model)} is named by the organisation's rows but has no "
                    "natural_key(): an archive could not find it in another instance"
                )
            related = [f.name for f in registry.relations(model)]
            found = model._base_manager.filter(pk__in=ids).select_related(*related)

            def rows(found=found):
                for row in found.order_by("pk"):
                    yield {"pk": row.pk, "key": list(row.natural_key())}

            entry = signed.add_chunks(f"data/refs/{registry.label(model)}.jsonl", _lines(rows()))
            entry.update(kind="refs", model=registry.label(model))

    def write_files(self, signed) -> None:
        for model in self.models:
            for field in registry.file_fields(model):
                recorded_in = registry.file_hash_field(model, field.name)
                names = ["pk", field.attname] + ([recorded_in] if recorded_in else [])
                rows = (
                    model._base_manager.filter(organization=self.organization)
                    .exclude(**{field.attname: ""})
                    .order_by("pk")
                    .values_list(*names)
                )
                for values in rows.iterator(chunk_size=ROWS_PER_CHUNK):
                    pk, name = values[0], values[1]
                    if pk not in self.exported[model]:
                        continue
                    self.write_file(
                        signed, model, field, pk, name, values[2] if recorded_in else None
                    )

    def write_file(self, signed, model, field, pk, name, recorded) -> None:
        where = {"model": registry.label(model), "pk": pk, "field": field.name, "name": name}
        try:
            handle = default_storage.open(name, "rb")
        except OSError:
            signed.add_failed(**where, reason="missing from storage", recorded_sha256=recorded)
            return
        base = manifests.safe_name(name.rsplit("/", 1)[-1])
        with handle:
            entry = signed.add_file(
                f"files/{registry.label(model)}/{pk}-{field.name}/{base}",
                handle,
                kind="file",
                **where,
            )
        if recorded and entry["sha256"] == recorded:
            entry["recorded_sha256"] = recorded
        elif recorded:
            entry["integrity"] = "mismatch"  # kept as stored; the row records the failure
            entry["expected_sha256"] = recorded
        self.files += 1

    # -- the whole ---------------------------------------------------------------------------

    def organization_row(self) -> dict:
        fields = columns(Organization)
        row = Organization._base_manager.filter(pk=self.organization.pk).values(
            *[f.attname for f in fields]
        )[0]
        for field in fields:
            if field.is_relation:
                self.collector.note(field, row[field.attname])
        return {"pk": self.organization.pk, **row}

    def run(self) -> Built:
        self.count()
        self.progress(0, self.total)
        signed = manifests.SignedZip(header=self.header, prefix="organization-archive-")
        try:
            signed.add_bytes(
                "data/organization.json",
                (dumps(self.organization_row()) + "\n").encode("utf-8"),
                kind="organization",
            )
            self.write_history(signed, Organization, of_organization=True)
            for model in self.models:
                self.write_model(signed, model)
            for model in self.models:
                self.write_history(signed, model)
            self.write_permissions(signed)
            self.write_files(signed)
            self.write_users(signed)
            self.write_refs(signed)
            signed.header.update(
                models=self.described,
                rows=self.rows,
                files=self.files,
                left_for_the_next_archive=self.skipped,
                migrations=_migrations(),
            )
            path, size, sha256 = signed.finish()
        except BaseException:
            signed.discard()
            raise
        self.progress(self.total, self.total)
        return Built(path, size, sha256, self.rows, self.files)


def _migrations() -> dict[str, str]:
    """The latest migration applied of each app: what the schema of the rows was."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def header_for(organization: Organization, *, requested_by=None, language: str = "en") -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": "ITSMS Workbench",
        "organization": {
            "name": organization.name,
            "slug": organization.slug,
            "time_zone": organization.time_zone,
        },
        "requested_by": requested_by.email if requested_by else "",
        "language": language,
    }


def build(organization: Organization, *, requested_by=None, language="en", progress=None) -> Built:
    """Write the archive of ``organization`` to a temporary ZIP (the caller stores it)."""
    header = header_for(organization, requested_by=requested_by, language=language)
    with snapshot():
        return Exporter(organization, header=header, progress=progress).run()
