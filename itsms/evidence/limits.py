"""Size limits of evidence uploads, and the middleware that refuses an oversized request body
before a byte of it is read.

Settings (``itsms/settings/base.py``, documented in the README's configuration table):
``EVIDENCE_MAX_UPLOAD_MB`` (one file), ``EVIDENCE_MAX_UPLOAD_TOTAL_MB`` (all files of one
upload), and for documents that are archives (Office, OpenDocument) ``EVIDENCE_ARCHIVE_MAX_
EXPANDED_MB``, ``EVIDENCE_ARCHIVE_MAX_RATIO`` and ``EVIDENCE_ARCHIVE_MAX_PARTS``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

MB = 1024 * 1024
#: Room for the form fields and multipart boundaries around the files of one request. The
#: fields themselves are capped by Django's DATA_UPLOAD_MAX_MEMORY_SIZE.
FORM_ROOM = 64 * 1024
#: Views that take exactly one file per request (URL names); every other request may carry
#: at most one multi-file upload.
SINGLE_FILE_VIEWS = frozenset(
    {
        "itsms:evidence_version_upload",
        "itsms-api:evidence-list",
        "itsms-api:evidence-upload-version",
    }
)
#: A part smaller than this is never an archive bomb, whatever its compression ratio.
RATIO_APPLIES_ABOVE = MB


def max_upload_bytes() -> int:
    """The largest file accepted."""
    return int(settings.EVIDENCE_MAX_UPLOAD_MB) * MB


def max_total_bytes() -> int:
    """The largest total of all files of one upload (never below one file's limit)."""
    return max(int(settings.EVIDENCE_MAX_UPLOAD_TOTAL_MB) * MB, max_upload_bytes())


def max_expanded_bytes() -> int:
    """The most that the parts of one archive may add up to once decompressed."""
    return int(settings.EVIDENCE_ARCHIVE_MAX_EXPANDED_MB) * MB


def max_ratio() -> int:
    return int(settings.EVIDENCE_ARCHIVE_MAX_RATIO)


def max_parts() -> int:
    return int(settings.EVIDENCE_ARCHIVE_MAX_PARTS)


def _form_room() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) + FORM_ROOM


def request_limit(view_name: str | None) -> tuple[int, int]:
    """(largest body accepted, the file limit to tell the user) for a request to this view."""
    if view_name in SINGLE_FILE_VIEWS:
        return max_upload_bytes() + _form_room(), max_upload_bytes()
    return max_total_bytes() + _form_room(), max_total_bytes()


def _declared_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        return None  # Django itself treats a malformed length as an empty body


class RequestBodyLimitMiddleware:
    """Answers 413 to a request whose declared body (Content-Length) exceeds the limit of its
    view, before anything (CSRF, the upload handlers) reads the body.

    Place it after the locale and authentication middleware (so the page is in the user's
    language, with the user's menu) and before anything that may read ``request.POST``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _declared_length(request)
        if length:
            try:
                view_name = resolve(request.path_info).view_name
            except Resolver404:
                view_name = None
            limit, file_limit = request_limit(view_name)
            if length > limit:
                return self.refuse(request, length, file_limit, view_name)
        return self.get_response(request)

    def refuse(self, request, length, file_limit, view_name):
        if view_name in SINGLE_FILE_VIEWS:
            message = _(
                "This upload is %(size)s; a file may be at most %(max)s. Nothing was stored."
            )
        else:
            message = _(
                "This request is %(size)s; one upload may be at most %(max)s in all. Upload "
                "fewer or smaller files at a time. Nothing was stored."
            )
        message %= {"size": filesizeformat(length), "max": filesizeformat(file_limit)}
        # The body stays unread; the server (gunicorn, runserver) discards or closes it.
        if request.path_info.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=413)
        elif "application/json" in request.headers.get("Accept", ""):
            response = JsonResponse({"detail": message, "errors": {"files": [message]}}, status=413)
        else:
            response = render(request, "413.html", {"message": message}, status=413)
        return response
