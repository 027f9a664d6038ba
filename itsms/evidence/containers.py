"""Documents that are ZIP archives (Office Open XML, OpenDocument): the directory, the declared
content, and every part by its bytes.

Nothing is extracted: the ZIP directory is read first (number of parts, expanded size and
ratio of each part, encryption, compression methods, names), then only what is needed: the
XML that declares content types, relationships and the OpenDocument manifest (parsed with
``defusedxml``), the first bytes of every part, and in full only the documents embedded in
the document (a chart's workbook, an OLE object), which are inspected in turn, one level deep.

Refused, whatever the parts are called: macros and other code (declared by content type, by
relationship, by folder, or found as a VBA project inside any part), programs (by their bytes
or their name), archives inside the document, archive bombs, encrypted parts, and names that
try to leave the document (``../``, absolute paths, backslashes, control characters,
duplicates).
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import limits, ole, refusals, signatures

#: The uploaded document is depth 0; documents embedded in it (depth 1) are inspected too;
#: a container inside an embedded document is refused rather than inspected further.
MAX_EMBEDDED_DEPTH = 1
#: The largest declaration part read (content types, relationships, manifest).
XML_PART_LIMIT = 16 * limits.MB

OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": "pptx",
}
#: When the package declares no main part (minimal packages), its folders tell the kind.
OOXML_FOLDERS = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))

#: (text in a content type, what it is): VBA projects and their signatures, Word's VBA data,
#: every macro-enabled main part (.docm, .xlsm, .xlsb, .pptm, templates, add-ins), Excel 4.0
#: macro sheets, ActiveX controls.
CODE_CONTENT_TYPES = (
    ("vbaproject", gettext_lazy("a VBA project")),
    ("vbadata", gettext_lazy("a VBA project")),
    ("macroenabled", gettext_lazy("a macro-enabled document")),
    ("macrosheet", gettext_lazy("Excel 4.0 macro sheets")),
    ("activex", gettext_lazy("ActiveX controls")),
)
#: (text in the last segment of a relationship type, what it points to).
CODE_RELATIONSHIPS = (
    ("vbaproject", gettext_lazy("a VBA project")),
    ("vbadata", gettext_lazy("a VBA project")),
    ("macrosheet", gettext_lazy("Excel 4.0 macro sheets")),
    ("activexcontrol", gettext_lazy("ActiveX controls")),
)
#: What the standard library's ZIP reader raises on damaged archives.
DAMAGED = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)
#: OpenDocument folders of macro libraries (Basic) and scripts (Python, JavaScript, BeanShell).
ODF_CODE_FOLDERS = ("basic/", "scripts/")
DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Context:
    """Where the inspection is: the upload's name (for messages) and the path of parts."""

    name: str
    depth: int = 0
    trail: tuple[str, ...] = ()

    def part(self, part: str | None = None) -> str:
        parts = self.trail + ((part,) if part else ())
        return refusals.TRAIL.join(parts) if parts else _("the whole document")

    def child(self, part: str) -> Context:
        return Context(self.name, self.depth + 1, (*self.trail, part))


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _attr(element, local: str) -> str:
    for key, value in element.attrib.items():
        if _local(key) == local:
            return value or ""
    return ""


def _unsafe(name: str) -> str | None:
    """Why a part's name is unsafe, or None."""
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        return _("it contains control characters")
    if "\\" in name:
        return _("it uses backslashes")
    if name.startswith("/") or DRIVE.match(name):
        return _("it is an absolute path")
    if any(segment in ("", ".", "..") for segment in name.rstrip("/").split("/")):
        return _("it has empty, “.” or “..” folders")
    return None


def _damaged(ctx: Context) -> refusals.UploadRefused:
    return refusals.cannot_check(ctx.name, _("the archive is damaged"))


class _Package:
    """Read access to the parts of an open archive, by name (case-insensitive, as in OPC)."""

    def __init__(self, archive: zipfile.ZipFile, ctx: Context):
        self.archive = archive
        self.ctx = ctx
        self.files = [i for i in archive.infolist() if not i.is_dir()]
        self.by_name = {i.filename.casefold(): i for i in self.files}
        self._xml: dict[str, object] = {}

    def get(self, name: str):
        return self.by_name.get(name.lstrip("/").casefold())

    def head(self, info) -> bytes:
        with self.archive.open(info) as handle:
            return handle.read(signatures.HEAD_BYTES)

    def read(self, info, limit: int) -> bytes:
        if info.file_size > limit:
            raise refusals.cannot_check(self.ctx.name, _("a part is too large to check"))
        with self.archive.open(info) as handle:
            return handle.read(limit + 1)

    def xml(self, info):
        if info.filename not in self._xml:
            data = self.read(info, XML_PART_LIMIT)
            try:
                self._xml[info.filename] = SafeElementTree.fromstring(data)
            except (ParseError, DefusedXmlException, ValueError) as exc:
                raise refusals.cannot_check(
                    self.ctx.name,
                    _("%(part)s is not valid XML") % {"part": refusals.shown(info.filename)},
                ) from exc
        return self._xml[info.filename]


def inspect_zip(fileobj, ctx: Context, *, documents_only: bool = False) -> tuple[str, str]:
    """Inspect a ZIP-based file; return (family, detail): ("ooxml", "docx"|"xlsx"|"pptx"|""),
    ("odf", its mimetype) or ("zip", "") for any other archive.

    ``documents_only`` (for embedded parts) refuses a plain archive before looking inside.
    """
    _check_declared_count(fileobj, ctx)
    try:
        archive = zipfile.ZipFile(fileobj)
    except DAMAGED as exc:
        raise _damaged(ctx) from exc
    with archive:
        _check_directory(archive.infolist(), ctx)
        package = _Package(archive, ctx)
        try:
            family, detail = _kind(package)
            if documents_only and family == "zip":
                raise refusals.nested_archive(ctx.name, _("a ZIP archive"), ctx.part())
            if family == "ooxml":
                _check_ooxml(package)
            elif family == "odf":
                _check_odf(package)
            _check_parts(package)
        except DAMAGED as exc:
            raise _damaged(ctx) from exc
    return family, detail


def _check_declared_count(fileobj, ctx: Context) -> None:
    """Count the parts from the end record before the directory is read into memory."""
    fileobj.seek(0)
    try:
        end = zipfile._EndRecData(fileobj)  # the standard library's reader of the end record
    except DAMAGED as exc:
        raise _damaged(ctx) from exc
    fileobj.seek(0)
    if end is None:
        raise _damaged(ctx)
    if end[zipfile._ECD_ENTRIES_TOTAL] > limits.max_parts():
        raise refusals.too_many_parts(ctx.name, limits.max_parts())


def _check_directory(infos, ctx: Context) -> None:
    """Bombs, encryption, compression methods and names, from the directory alone."""
    if len(infos) > limits.max_parts():
        raise refusals.too_many_parts(ctx.name, limits.max_parts())
    ratio = limits.max_ratio()
    seen = set()
    total = 0
    for info in infos:
        name = info.orig_filename
        why = _unsafe(name)
        if why:
            raise refusals.unsafe_part_name(ctx.name, ctx.part(name), why)
        key = unicodedata.normalize("NFC", name).casefold()
        if key in seen:
            raise refusals.unsafe_part_name(ctx.name, ctx.part(name), _("two parts have this name"))
        seen.add(key)
        if info.flag_bits & 0x1:
            raise refusals.encrypted(ctx.name, ctx.part(name))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refusals.cannot_check(
                ctx.name, _("it uses a compression method that documents do not use")
            )
        total += info.file_size
        if info.file_size > limits.RATIO_APPLIES_ABOVE and info.file_size > ratio * max(
            info.compress_size, 1
        ):
            raise refusals.compressed_too_much(ctx.name, ctx.part(name), ratio)
    if total > limits.max_expanded_bytes():
        raise refusals.expands_too_much(ctx.name, limits.max_expanded_bytes())


def _kind(package: _Package) -> tuple[str, str]:
    mimetype = package.get("mimetype")
    if mimetype is not None and mimetype.file_size < 200:
        return "odf", package.read(mimetype, 200).decode("ascii", "replace").strip()
    if package.get("[Content_Types].xml") is not None:
        return "ooxml", _ooxml_kind(package)
    return "zip", ""


def _content_types(package: _Package) -> list[tuple[str, str, str]]:
    """The declarations of [Content_Types].xml: (Default or Override, extension or part
    name, content type)."""
    root = package.xml(package.get("[Content_Types].xml"))
    declared = []
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "Default":
            declared.append((tag, _attr(element, "Extension"), _attr(element, "ContentType")))
        elif tag == "Override":
            declared.append((tag, _attr(element, "PartName"), _attr(element, "ContentType")))
    return declared


def _ooxml_kind(package: _Package) -> str:
    """The kind the package's main part declares, else the kind its folders suggest."""
    declared = _content_types(package)
    defaults = {key.casefold(): value for tag, key, value in declared if tag == "Default"}
    overrides = {key.casefold(): value for tag, key, value in declared if tag == "Override"}
    rels = package.get("_rels/.rels")
    if rels is not None:
        for element in package.xml(rels).iter():
            kind = _attr(element, "Type").rsplit("/", 1)[-1].casefold()
            if _local(element.tag) == "Relationship" and kind == "officedocument":
                target = "/" + _attr(element, "Target").lstrip("/")
                extension = target.rsplit(".", 1)[-1].casefold()
                declared = overrides.get(target.casefold()) or defaults.get(extension, "")
                if declared in OOXML_MAIN:
                    return OOXML_MAIN[declared]
    names = [info.filename for info in package.files]
    for folder, kind in OOXML_FOLDERS:
        if any(name.startswith(folder) for name in names):
            return kind
    return ""


def _check_ooxml(package: _Package) -> None:
    ctx = package.ctx
    for tag, key, content_type in _content_types(package):
        part = key if tag == "Override" else "[Content_Types].xml"
        lowered = content_type.casefold()
        for needle, what in CODE_CONTENT_TYPES:
            if needle in lowered:
                raise refusals.macros(ctx.name, str(what), ctx.part(part.lstrip("/")))
    for info in package.files:
        if "vbaproject" in info.filename.casefold():
            raise refusals.macros(ctx.name, _("a VBA project"), ctx.part(info.filename))
        if not info.filename.casefold().endswith(".rels"):
            continue
        for element in package.xml(info).iter():
            if _local(element.tag) != "Relationship":
                continue
            kind = _attr(element, "Type").rsplit("/", 1)[-1].casefold()
            for needle, what in CODE_RELATIONSHIPS:
                if needle in kind:
                    target = _attr(element, "Target")
                    raise refusals.macros(
                        ctx.name, str(what), ctx.part(f"{info.filename}: {target}")
                    )


def _check_odf(package: _Package) -> None:
    ctx = package.ctx
    for info in package.files:
        if info.filename.casefold().startswith(ODF_CODE_FOLDERS):
            raise refusals.macros(ctx.name, _("Basic or script modules"), ctx.part(info.filename))
    manifest = package.get("META-INF/manifest.xml")
    if manifest is None:
        return
    for element in package.xml(manifest).iter():
        tag = _local(element.tag)
        if tag == "encryption-data":
            raise refusals.encrypted(ctx.name, ctx.part(manifest.filename))
        if tag != "file-entry":
            continue
        path = _attr(element, "full-path")
        media = _attr(element, "media-type").casefold()
        if path.casefold().startswith(ODF_CODE_FOLDERS) or "script" in media or "basic" in media:
            raise refusals.macros(
                ctx.name, _("Basic or script modules"), ctx.part(f"{manifest.filename}: {path}")
            )


def _check_parts(package: _Package) -> None:
    ctx = package.ctx
    for info in package.files:
        if signatures.program_name(info.filename):
            raise refusals.program_inside(
                ctx.name, _("a program or script"), ctx.part(info.filename)
            )
        head = package.head(info)
        inspect_part(
            head, lambda i=info: package.read(i, limits.max_upload_bytes()), ctx, info.filename
        )


def inspect_part(head: bytes, load, ctx: Context, part: str) -> None:
    """A part of a document (a ZIP member, an OLE stream, an attached file), by its bytes:
    programs and archives are refused; embedded documents are inspected, one level deep.
    ``load()`` returns the part's bytes in full, and is only called for embedded documents."""
    what = signatures.program(head, strict=True)
    if what:
        raise refusals.program_inside(ctx.name, what, ctx.part(part))
    if signatures.is_ole(head) or signatures.is_zip(head):
        if ctx.depth >= MAX_EMBEDDED_DEPTH:
            raise refusals.nested_archive(
                ctx.name, _("a document or archive inside an embedded document"), ctx.part(part)
            )
        child = ctx.child(part)
        data = load()
        if signatures.is_ole(head):
            ole.inspect(data, child)
        else:
            inspect_zip(io.BytesIO(data), child, documents_only=True)
        return
    what = signatures.archive(head)
    if what:
        raise refusals.nested_archive(ctx.name, what, ctx.part(part))
