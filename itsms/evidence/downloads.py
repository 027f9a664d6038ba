"""Serving an evidence file: verified, as an attachment, never from a public URL."""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse, HttpResponse

from . import storage

UNSAFE_ASCII = '"\\;'


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the exact name as RFC 5987 ``filename*``."""
    fallback = (
        "".join(
            ch if 32 <= ord(ch) < 127 and ch not in UNSAFE_ASCII else "_" for ch in filename
        ).strip()
        or "download"
    )
    if "." in filename and "." not in fallback:
        fallback += "." + filename.rsplit(".", 1)[1].encode("ascii", "ignore").decode()
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(version, data: bytes | None = None) -> HttpResponse:
    """The version's file as an attachment: ``data`` (already verified) or streamed."""
    if data is not None:
        response = HttpResponse(data, content_type=version.content_type)
    else:
        response = FileResponse(
            storage.open_for_download(version.file.name), content_type=version.content_type
        )
    response["Content-Disposition"] = content_disposition(version.original_name)
    response["Content-Length"] = str(version.size)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser ever render it, nothing inside may run or reach out.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Evidence-SHA256"] = version.sha256
    return response
