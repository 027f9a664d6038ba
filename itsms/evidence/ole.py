"""OLE compound files: Word, Excel and PowerPoint 97-2003 documents, and the objects embedded
in documents (``oleObject1.bin``, ``vbaProject.bin`` whatever its name).

Read with ``olefile``; macros found with ``oletools`` (``olevba``: VBA projects, VBA code in any
stream, Excel 4.0 macro sheets; ``crypto``: encryption). A compound file that cannot be read
is refused: what cannot be inspected is not stored.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings

import olefile
from django.utils.translation import gettext as _

from . import refusals, signatures

logger = logging.getLogger("itsms.evidence")

#: The stream each older Office format must have (names are case-insensitive in OLE files).
KINDS = (
    ("doc", ("WordDocument",)),
    ("xls", ("Workbook", "Book")),
    ("ppt", ("PowerPoint Document",)),
)
#: Storages of a VBA project: Word's, Excel's, and the project's own (MS-OVBA 2.2.1).
MACRO_STORAGES = frozenset({"MACROS", "_VBA_PROJECT_CUR", "VBA", "_VBA_PROJECT"})
#: An encrypted Office Open XML document is a compound file holding these (MS-OFFCRYPTO).
ENCRYPTION_STREAMS = frozenset({"ENCRYPTIONINFO", "ENCRYPTEDPACKAGE", "\x06DATASPACES"})
NATIVE = "\x01OLE10NATIVE"
#: oletools' loggers narrate every file at INFO level; a refusal is reported by ours instead.
QUIET_LOGGERS = ("olevba", "crypto", "oleobj", "ftguess", "ppt_parser", "record_base", "olefile")


def _oletools():
    # oletools imports pyparsing's old names, which warn on every import.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from oletools import crypto, oleobj, olevba
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    return crypto, oleobj, olevba


def kind_of(ole) -> str:
    for kind, streams in KINDS:
        if any(ole.exists(name) for name in streams):
            return kind
    return ""


def inspect(data: bytes, ctx) -> str:
    """Inspect a compound file; return its kind ('doc', 'xls', 'ppt', or '' for another one).

    Refuses (``UploadRefused``) encryption, macros and programs or archives in any stream.
    """
    crypto, oleobj, olevba = _oletools()
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception as exc:  # olefile raises OSError and its own errors on damaged files
        logger.info("Unreadable compound file %r: %s", ctx.name, exc)
        raise refusals.cannot_check(ctx.name, _("the compound file is damaged")) from exc
    with contextlib.closing(ole):
        try:
            entries = ole.listdir(streams=True, storages=True)
            kind = kind_of(ole)
        except Exception as exc:
            raise refusals.cannot_check(ctx.name, _("the compound file is damaged")) from exc
        for entry in entries:
            names = {part.upper() for part in entry}
            if names & ENCRYPTION_STREAMS:
                raise refusals.encrypted(ctx.name, ctx.part("/".join(entry)))
        for entry in entries:
            if {part.upper() for part in entry} & MACRO_STORAGES:
                raise refusals.macros(ctx.name, _("a VBA project"), ctx.part("/".join(entry)))
        try:
            is_encrypted = crypto.is_encrypted(ole)
        except Exception:  # msoffcrypto cannot tell: the format checks below still run
            logger.info("Encryption check failed on %r", ctx.name, exc_info=True)
            is_encrypted = False
        if is_encrypted:
            raise refusals.encrypted(ctx.name, ctx.part())
        _macros_by_content(olevba, data, ctx, excel=kind == "xls")
        for entry in ole.listdir(streams=True, storages=False):
            path = "/".join(entry)
            try:
                content = ole.openstream(entry).read()
            except Exception as exc:
                raise refusals.cannot_check(ctx.name, _("the compound file is damaged")) from exc
            if entry[-1].upper() == NATIVE:
                _embedded_package(oleobj, content, ctx, path)
            else:
                from .containers import inspect_part

                inspect_part(content[: signatures.HEAD_BYTES], lambda c=content: c, ctx, path)
    return kind


def _macros_by_content(olevba, data: bytes, ctx, *, excel: bool) -> None:
    """VBA code in any stream (under any name), and Excel 4.0 macro sheets, per olevba."""
    try:
        parser = olevba.VBA_Parser("upload", data=data, relaxed=True)
        try:
            vba = parser.detect_vba_macros()
            xlm = parser.detect_xlm_macros()
            if not xlm and excel:
                # olevba looks for macro sheets only when the root's class id says Excel; Excel
                # opens a workbook without it, so its BIFF reader runs on every workbook stream.
                xlm = parser._extract_xlm_plugin_biff()
        finally:
            parser.close()
    except Exception as exc:  # olevba's own errors on files it cannot parse
        logger.info("olevba could not parse %r: %s", ctx.name, exc)
        raise refusals.cannot_check(ctx.name, _("the compound file is damaged")) from exc
    if vba:
        raise refusals.macros(ctx.name, _("VBA code"), ctx.part())
    if xlm:
        raise refusals.macros(ctx.name, _("Excel 4.0 macro sheets"), ctx.part())


def _embedded_package(oleobj, content: bytes, ctx, path: str) -> None:
    """An "OLE Package": any file attached inside the document, checked by name and bytes."""
    try:
        native = oleobj.OleNativeStream(content)
    except Exception as exc:
        raise refusals.cannot_check(ctx.name, _("an embedded object is damaged")) from exc
    name = native.filename or ""
    payload = native.data if isinstance(native.data, bytes) else b""
    part = path + "/" + name if name else path
    if signatures.program_name(name) or signatures.program_name(native.src_path or ""):
        raise refusals.program_inside(ctx.name, _("a program or script"), ctx.part(part))
    what = signatures.program(payload[: signatures.HEAD_BYTES])
    if what:
        raise refusals.program_inside(ctx.name, what, ctx.part(part))
    from .containers import inspect_part

    inspect_part(payload[: signatures.HEAD_BYTES], lambda: payload, ctx, part)
