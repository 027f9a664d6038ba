"""Why an upload is refused, in words the uploader can act on (both languages).

Every check of an upload raises ``UploadRefused`` through one of these builders, so that the
same reason always reads the same way on the page and in the API.
"""

from __future__ import annotations

import unicodedata

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

#: Separates the parts of a path into embedded documents: "word/embeddings/x.xlsx › xl/a.bin".
TRAIL = " › "


class UploadRefused(Exception):
    """An upload that is not stored, with the reason in words the uploader can act on."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def shown(part: str, limit: int = 120) -> str:
    """A part's name as it can be shown: no control or formatting characters, not too long."""
    text = "".join(
        "?" if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in str(part or "")
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"


def macros(name: str, what: str, part: str) -> UploadRefused:
    return UploadRefused(
        _(
            "“%(name)s” contains macros or other code (%(what)s, in %(part)s). Macros are never "
            "accepted: save the document without them (for example as .docx, .xlsx or .pptx) "
            "and upload again."
        )
        % {"name": name, "what": what, "part": shown(part)}
    )


def program_inside(name: str, what: str, part: str) -> UploadRefused:
    return UploadRefused(
        _(
            "“%(name)s” contains %(what)s (%(part)s). Programs are never accepted, not even "
            "inside a document."
        )
        % {"name": name, "what": what, "part": shown(part)}
    )


def nested_archive(name: str, what: str, part: str) -> UploadRefused:
    return UploadRefused(
        _(
            "“%(name)s” contains %(what)s (%(part)s). Archives inside documents are not "
            "accepted; upload the files themselves."
        )
        % {"name": name, "what": what, "part": shown(part)}
    )


def too_many_parts(name: str, limit: int) -> UploadRefused:
    return UploadRefused(
        _("“%(name)s” has more than %(max)s parts, so it is refused as a possible archive bomb.")
        % {"name": name, "max": limit}
    )


def expands_too_much(name: str, limit_bytes: int) -> UploadRefused:
    return UploadRefused(
        _(
            "“%(name)s” would expand to more than %(max)s when opened, so it is refused as a "
            "possible archive bomb."
        )
        % {"name": name, "max": filesizeformat(limit_bytes)}
    )


def compressed_too_much(name: str, part: str, ratio: int) -> UploadRefused:
    return UploadRefused(
        _(
            "A part of “%(name)s” (%(part)s) is compressed more than %(ratio)s times, so the "
            "file is refused as a possible archive bomb."
        )
        % {"name": name, "part": shown(part), "ratio": ratio}
    )


def encrypted(name: str, part: str) -> UploadRefused:
    return UploadRefused(
        _(
            "“%(name)s” is encrypted or password-protected (%(part)s), so its content cannot be "
            "checked. Remove the password and upload again."
        )
        % {"name": name, "part": shown(part)}
    )


def unsafe_part_name(name: str, part: str, why: str) -> UploadRefused:
    return UploadRefused(
        _("“%(name)s” contains a part with an unsafe name (%(part)s): %(why)s.")
        % {"name": name, "part": shown(part), "why": why}
    )


def cannot_check(name: str, why: str) -> UploadRefused:
    return UploadRefused(
        _(
            "The content of “%(name)s” cannot be checked (%(why)s), so it is refused. Save it "
            "again from its application and upload the new copy."
        )
        % {"name": name, "why": why}
    )
