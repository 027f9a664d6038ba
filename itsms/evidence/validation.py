"""Checks of an uploaded file before anything is stored: name, size, and type by content.

``check_upload(uploaded)`` reads the file (hashing it on the way) and either returns a
``CheckedUpload`` or raises ``UploadRefused`` with a message the uploader can act on. The
type is decided by the bytes (magic numbers, the inside of ZIP and OLE containers, text
heuristics) and must agree with the name's extension: a Windows program named
``procedure.pdf`` is refused, whatever its name says. Containers are inspected by content
(``containers`` for Office Open XML and OpenDocument, ``ole`` for the older Office formats):
macros, programs, nested archives, archive bombs and encrypted parts are refused whatever
they are called.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import containers, ole, signatures
from .limits import max_upload_bytes
from .refusals import UploadRefused

__all__ = ["ACCEPT", "ALLOWED_EXTENSIONS", "CheckedUpload", "UploadRefused", "check_upload"]
__all__ += ["max_upload_bytes", "sanitise_name"]

logger = logging.getLogger("itsms.evidence")

#: Below Django's own 255: the multipart parser silently cuts longer names to 255 characters,
#: so a cut name is recognised (and refused) rather than stored half-truncated.
MAX_NAME_LENGTH = 200
SNIFF_BYTES = 64 * 1024

OOXML = {
    "docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
ODF = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "odg": "application/vnd.oasis.opendocument.graphics",
}
OLE = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
IMAGES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
}
TEXT = {"txt": "text/plain", "csv": "text/csv", "md": "text/markdown", "markdown": "text/markdown"}
ALLOWED_EXTENSIONS = sorted({"pdf", *OOXML, *ODF, *OLE, *IMAGES, *TEXT})
#: Every content type a stored file may have (downloads answer with the file's own).
CONTENT_TYPES = sorted(
    {"application/pdf", *(t for _p, t in OOXML.values()), *ODF.values(), *OLE.values()}
    | {*IMAGES.values(), *TEXT.values()}
)
#: For the file input's ``accept`` attribute.
ACCEPT = ",".join("." + ext for ext in ALLOWED_EXTENSIONS)


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # the sanitised original name, kept for downloads
    extension: str
    content_type: str  # detected from the content
    size: int
    sha256: str


def sanitise_name(raw: str) -> str:
    """The file name to keep: NFC, no control or formatting characters, no folders.

    Django's multipart parser already keeps only the last part of a path ("../../etc/passwd"
    arrives as "passwd", which then has no accepted extension); names with a folder part that
    reach us some other way, and overlong names, are refused rather than silently rewritten:
    the uploader should know which file we mean. Chinese (and any other script's) letters
    are kept as they are.
    """
    name = unicodedata.normalize("NFC", raw or "")
    # Cc: control characters; Cf: formatting ones such as U+202E, which can disguise
    # "gpj.exe" as "exe.jpg".
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    if "/" in name or "\\" in name:
        raise UploadRefused(
            _("“%(name)s” contains a folder path; upload the file under its plain name.")
            % {"name": name[:80]}
        )
    name = name.strip().strip(".").strip()
    if not name:
        raise UploadRefused(_("The file has no usable name."))
    if len(name) > MAX_NAME_LENGTH:
        raise UploadRefused(
            _(
                "The file name “%(start)s…” is too long: at most %(max)s characters are "
                "allowed. Shorten it and upload again."
            )
            % {"start": name[:40], "max": MAX_NAME_LENGTH}
        )
    return name


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return ""
    return ext.lower()


def _looks_like_text(sample: bytes) -> bool:
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            sample.decode("utf-16")
        except UnicodeDecodeError:
            return len(sample) % 2 == 1  # cut in the middle of a character
        return True
    if b"\x00" in sample:
        return False
    # Tabs, line breaks and form feeds are text; other C0 controls are not. UTF-8, GB 18030
    # and other legacy encodings are all accepted (Excel in China saves CSV in GBK).
    controls = set(range(0x00, 0x09)) | {0x0B} | set(range(0x0E, 0x1B)) | set(range(0x1C, 0x20))
    return not any(byte in controls for byte in sample)


def _describe(head: bytes, upload, display: str) -> tuple[str, str]:
    """(family, detail) of the content: family is what the bytes are, whatever the name.

    Containers are inspected on the way; what they must not hold is refused here.
    """
    what = signatures.program(head)
    if what:
        return "program", what
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    ctx = containers.Context(display)
    if signatures.is_zip(head):
        return containers.inspect_zip(upload, ctx)
    if signatures.is_ole(head):
        upload.seek(0)
        return "ole", ole.inspect(upload.read(), ctx)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image", "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image", "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image", "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image", "image/webp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image", "image/tiff"
    if _looks_like_text(head):
        return "text", ""
    return "unknown", ""


def _described(head: bytes, upload, display: str) -> tuple[str, str]:
    """``_describe``, with a last guard: a file whose inspection fails in a way no check
    foresaw is refused (and logged), never stored and never a server error."""
    try:
        return _describe(head, upload, display)
    except UploadRefused:
        raise
    except Exception as exc:
        logger.exception("Inspection of %r failed", display)
        raise UploadRefused(
            _(
                "The content of “%(name)s” cannot be checked, so it is refused. Save it again "
                "from its application and upload the new copy."
            )
            % {"name": display}
        ) from exc


OLE_KINDS = {
    "doc": gettext_lazy("an older Word document"),
    "xls": gettext_lazy("an older Excel workbook"),
    "ppt": gettext_lazy("an older PowerPoint presentation"),
    "": gettext_lazy("a compound file that is not an Office document (such as an installer)"),
}


def _content_type_for(extension: str, family: str, detail: str, display: str) -> str:
    """The content type of a file whose bytes are ``family``, if its extension agrees."""
    if family == "pdf" and extension == "pdf":
        return detail
    if family == "ooxml" and extension in OOXML and detail == extension:
        return OOXML[extension][1]
    if family == "odf" and extension in ODF and detail == ODF[extension]:
        return ODF[extension]
    if family == "ole" and extension in OLE and detail == extension:
        return OLE[extension]
    if family == "image" and extension in IMAGES and IMAGES[extension] == detail:
        return detail
    if family == "text" and extension in TEXT:
        return TEXT[extension]
    what = {
        "pdf": _("a PDF"),
        "ooxml": _("an Office document"),
        "odf": _("an OpenDocument file"),
        "ole": str(OLE_KINDS.get(detail, OLE_KINDS[""])),
        "image": _("an image"),
        "text": _("plain text"),
        "zip": _("a ZIP archive"),
    }.get(family, _("of an unknown type"))
    raise UploadRefused(
        _(
            "The content of “%(name)s” is %(what)s, which does not match its name. "
            "Upload the real document, or give it the right extension."
        )
        % {"name": display, "what": what}
    )


def check_upload(upload) -> CheckedUpload:
    """Check an uploaded file (Django ``UploadedFile``); raise ``UploadRefused`` if unfit."""
    name = sanitise_name(getattr(upload, "name", "") or "")
    display = name if len(name) <= 80 else name[:77] + "…"
    limit = max_upload_bytes()
    size = upload.size if upload.size is not None else 0
    if size > limit:
        raise UploadRefused(
            _("“%(name)s” is %(size)s; files may be at most %(max)s.")
            % {"name": display, "size": filesizeformat(size), "max": filesizeformat(limit)}
        )
    if size == 0:
        raise UploadRefused(_("“%(name)s” is empty (0 bytes).") % {"name": display})
    extension = _extension(name)
    if extension not in ALLOWED_EXTENSIONS:
        raise UploadRefused(
            _(
                "“%(name)s” is not a type we accept. Allowed: PDF, Office and OpenDocument "
                "documents, images, plain text, CSV and Markdown (%(list)s)."
            )
            % {"name": display, "list": ", ".join(ALLOWED_EXTENSIONS)}
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    family, detail = _described(head, upload, display)
    if family == "program":
        raise UploadRefused(
            _("“%(name)s” is %(what)s, not a document; programs are never accepted.")
            % {"name": display, "what": detail}
        )
    content_type = _content_type_for(extension, family, detail, display)
    digest = hashlib.sha256()
    counted = 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        counted += len(chunk)
        if counted > limit:  # a client that lied about the size
            raise UploadRefused(
                _("“%(name)s” is larger than %(max)s.")
                % {"name": display, "max": filesizeformat(limit)}
            )
    if counted == 0:
        raise UploadRefused(_("“%(name)s” is empty (0 bytes).") % {"name": display})
    upload.seek(0)
    return CheckedUpload(
        name=name,
        extension=extension,
        content_type=content_type,
        size=counted,
        sha256=digest.hexdigest(),
    )
