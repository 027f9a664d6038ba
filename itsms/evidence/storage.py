"""Where evidence files live: Django's default storage (local media or S3-compatible).

Stored names are random (``evidence/<org id>/<yyyy>/<uuid>.<ext>``): the uploader's file
name is kept in the database only, so no user input ever reaches a path. Nothing here
deletes a file; a user action never removes anything from storage.
"""

from __future__ import annotations

import contextlib
import hashlib
import uuid

from django.core.files.storage import default_storage
from django.utils import timezone

CHUNK = 1024 * 1024


def storage():
    return default_storage


def store(*, organization_id: int, extension: str, upload) -> str:
    """Save the (already checked) upload under a fresh random name; return the stored name."""
    name = f"evidence/{organization_id}/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"
    upload.seek(0)
    return storage().save(name, upload)


def discard(name: str) -> None:
    """Remove a file this request stored before its database rows were rolled back."""
    with contextlib.suppress(OSError):  # best effort clean-up of our own write
        storage().delete(name)


def read_and_hash(name: str, keep_up_to: int = 0) -> tuple[str, bytes | None]:
    """The SHA-256 of the stored bytes, and the bytes themselves when at most ``keep_up_to``.

    Serving the very bytes that were hashed leaves no window for the file to change between
    the check and the download; larger files are re-opened and streamed.
    """
    digest = hashlib.sha256()
    kept: list[bytes] | None = [] if keep_up_to else None
    total = 0
    with storage().open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            total += len(chunk)
            if kept is not None:
                if total > keep_up_to:
                    kept = None
                else:
                    kept.append(chunk)
    return digest.hexdigest(), (b"".join(kept) if kept is not None else None)


def open_for_download(name: str):
    return storage().open(name, "rb")
