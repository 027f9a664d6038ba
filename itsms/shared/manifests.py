"""Signed ZIPs with a manifest: the audit pack and the organisation archive are written here.

A ``SignedZip`` is written entry by entry into a temporary file on disk (never held in memory):
each entry is copied in chunks and hashed as it is written. ``finish()`` adds

- ``manifest.json``: the header given (what the ZIP is, for whom, when), every file with its
  size and SHA-256 (and what the caller adds: the version's recorded hash, where it was
  sampled…), the files left out (``failed``), the format version and the signing key;
- ``manifest.sig``: the Ed25519 signature of ``manifest.json``'s exact bytes (raw, 64 bytes);
- ``SHA256SUMS``: every file and ``manifest.json`` in the format of ``sha256sum -c``.

``verify_zip`` checks all three, as ``manage.py verify_pack`` and the verification page do.
Without this software: ``sha256sum -c SHA256SUMS`` in the unpacked folder checks every file,
and ``openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile
manifest.sig`` checks the signature.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from . import signing

CHUNK = 1024 * 1024
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SUMS = "SHA256SUMS"
#: Entries that are not listed in the manifest's files (they describe the others).
CONTROL_FILES = frozenset({MANIFEST, SIGNATURE, SUMS})

_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\/:*?\"<>|]+")


def safe_name(name: str, fallback: str = "file") -> str:
    """One path component fit for a ZIP, a file system and ``sha256sum``: no separators, no
    control characters, no dot-only names; Chinese is kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = _UNSAFE.sub("_", name).strip(" .")
    return name[:150] or fallback


def _utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def temp_dir() -> str | None:
    return getattr(settings, "EXPORT_TEMP_DIR", None)


class SignedZip:
    """A ZIP streamed to a temporary file, every entry hashed on the way in."""

    def __init__(self, *, header: dict, prefix: str = "itsms-"):
        self.header = header
        handle, self.path = tempfile.mkstemp(prefix=prefix, suffix=".zip", dir=temp_dir())
        os.close(handle)
        self._zip = zipfile.ZipFile(
            self.path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6, allowZip64=True
        )
        self.files: list[dict] = []
        self.failed: list[dict] = []
        self._taken: set[str] = {name.casefold() for name in CONTROL_FILES}

    def unique_path(self, path: str) -> str:
        """``path``, or ``path`` with a counter when it is taken (names are compared folded)."""
        stem, dot, extension = path.rpartition(".")
        if not dot or "/" in extension:
            stem, extension = path, ""
        candidate, counter = path, 1
        while candidate.casefold() in self._taken:
            counter += 1
            candidate = f"{stem}-{counter}.{extension}" if extension else f"{stem}-{counter}"
        self._taken.add(candidate.casefold())
        return candidate

    def add_chunks(
        self, path: str, chunks: Iterable[bytes], *, reserved: bool = False, **meta
    ) -> dict:
        """Write an entry from an iterable of byte chunks; returns its manifest entry.
        ``reserved``: ``path`` came from ``unique_path`` already."""
        path = path if reserved else self.unique_path(path)
        digest, size = hashlib.sha256(), 0
        with self._zip.open(path, "w", force_zip64=True) as entry:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                entry.write(chunk)
        listed = {"path": path, "size": size, "sha256": digest.hexdigest(), **meta}
        self.files.append(listed)
        return listed

    def add_file(self, path: str, handle: IO[bytes], *, reserved: bool = False, **meta) -> dict:
        return self.add_chunks(path, iter_chunks(handle), reserved=reserved, **meta)

    def add_bytes(self, path: str, data: bytes, **meta) -> dict:
        return self.add_chunks(path, [data], **meta)

    def add_failed(self, **info) -> None:
        """A file that should have been in the ZIP and is not (its reason in ``info``)."""
        self.failed.append(info)

    def manifest_bytes(self) -> bytes:
        document = {
            **self.header,
            "format_version": self.header.get("format_version", 1),
            "generated_at": self.header.get("generated_at") or _utc_now(),
            "signature": {
                **signing.describe(),
                "file": SIGNATURE,
                "signs": MANIFEST,
            },
            "files": self.files,
            "failed": self.failed,
        }
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def finish(self) -> tuple[str, int, str]:
        """Write the manifest, its signature and the listing; return (path, size, SHA-256)."""
        manifest = self.manifest_bytes()
        self._zip.writestr(MANIFEST, manifest)
        self._zip.writestr(SIGNATURE, signing.sign(manifest))
        lines = [f"{f['sha256']}  {f['path']}\n" for f in self.files]
        lines.append(f"{hashlib.sha256(manifest).hexdigest()}  {MANIFEST}\n")
        self._zip.writestr(SUMS, "".join(lines).encode("utf-8"))
        self._zip.close()
        return self.path, os.path.getsize(self.path), file_sha256(self.path)

    def discard(self) -> None:
        try:
            self._zip.close()
        finally:
            if os.path.exists(self.path):
                os.unlink(self.path)


def iter_chunks(handle: IO[bytes], size: int = CHUNK) -> Iterator[bytes]:
    while chunk := handle.read(size):
        yield chunk


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter_chunks(handle):
            digest.update(chunk)
    return digest.hexdigest()


# --- verification ---------------------------------------------------------------------------


@dataclass
class FileCheck:
    path: str
    ok: bool
    problem: str = ""


@dataclass
class Verification:
    """What ``verify_zip`` found. ``ok`` needs a valid signature and every file intact."""

    manifest: dict = field(default_factory=dict)
    signature_valid: bool = False
    key_id: str = ""
    key_trusted: bool = False
    files: list[FileCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.signature_valid and not self.problems and all(f.ok for f in self.files)

    @property
    def failed(self) -> list[dict]:
        """Files the builder left out (their stored hash did not verify)."""
        return list(self.manifest.get("failed") or [])


def _hash_entry(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with archive.open(name) as entry:
        for chunk in iter_chunks(entry):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def verify_zip(
    source: str | BinaryIO, trusted_key_ids: Iterable[str] | None = None
) -> Verification:
    """Check a signed ZIP: the signature of its manifest, then every file listed against its
    size and SHA-256 (and the hash recorded when it was stored), then ``SHA256SUMS``, and that
    nothing unlisted was slipped in. ``trusted_key_ids`` defaults to this instance's key."""
    result = Verification()
    trusted = set(trusted_key_ids) if trusted_key_ids is not None else {signing.key_id()}
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        result.problems.append(_("not a ZIP file: %(error)s") % {"error": exc})
        return result
    with archive:
        names = set(archive.namelist())
        for required in (MANIFEST, SIGNATURE):
            if required not in names:
                result.problems.append(_("%(name)s is missing") % {"name": required})
        if result.problems:
            return result
        manifest_bytes = archive.read(MANIFEST)
        try:
            result.manifest = json.loads(manifest_bytes)
            described = result.manifest["signature"]
            key = signing.load_public_key(described["public_key"])
        except (ValueError, KeyError, TypeError) as exc:
            result.problems.append(_("the manifest cannot be read: %(error)s") % {"error": exc})
            return result
        result.key_id = signing.key_id(key)
        if described.get("key_id") and described["key_id"] != result.key_id:
            result.problems.append(_("the manifest's key fingerprint does not match its key"))
        result.signature_valid = signing.verify(key, manifest_bytes, archive.read(SIGNATURE))
        if not result.signature_valid:
            result.problems.append(_("the signature of manifest.json is not valid"))
        result.key_trusted = result.key_id in trusted
        listed = set()
        for entry in result.manifest.get("files") or []:
            path = entry.get("path", "")
            listed.add(path)
            if path not in names:
                result.files.append(FileCheck(path, False, _("missing from the ZIP")))
                continue
            observed, size = _hash_entry(archive, path)
            if observed != entry.get("sha256"):
                result.files.append(FileCheck(path, False, _("SHA-256 differs from the manifest")))
            elif size != entry.get("size"):
                result.files.append(FileCheck(path, False, _("size differs from the manifest")))
            elif entry.get("recorded_sha256") and entry["recorded_sha256"] != observed:
                result.files.append(
                    FileCheck(path, False, _("SHA-256 differs from the recorded one"))
                )
            else:
                result.files.append(FileCheck(path, True))
        for extra in sorted(names - listed - CONTROL_FILES):
            if not extra.endswith("/"):
                result.problems.append(
                    _("%(name)s is in the ZIP but not in the manifest") % {"name": extra}
                )
        if SUMS in names:
            _check_sums(archive.read(SUMS), result, manifest_bytes)
        else:
            result.problems.append(_("%(name)s is missing") % {"name": SUMS})
    return result


def _check_sums(text: bytes, result: Verification, manifest_bytes: bytes) -> None:
    expected = {f["path"]: f["sha256"] for f in result.manifest.get("files") or []}
    expected[MANIFEST] = hashlib.sha256(manifest_bytes).hexdigest()
    seen = {}
    for line in text.decode("utf-8", "replace").splitlines():
        digest, _sep, path = line.partition("  ")
        seen[path] = digest
    if seen != expected:
        result.problems.append(
            _("%(name)s does not list exactly the files of the manifest") % {"name": SUMS}
        )
