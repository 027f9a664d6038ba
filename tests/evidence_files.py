"""Builders of small real documents for the upload tests: OLE compound files (the older Office
formats, VBA projects, OLE packages), Office Open XML and OpenDocument packages, archives.

Everything is generated here, in memory; nothing is read from disk. Office Open XML documents
come from python-docx, openpyxl and python-pptx, then are edited part by part where a test
needs a disguise.
"""

from __future__ import annotations

import io
import struct
import zipfile

FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
SECTOR, MINI, CUTOFF = 512, 64, 4096
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --- OLE compound files (MS-CFB, version 3) --------------------------------------------------


class _Entry:
    def __init__(self, name, kind, data=b""):
        self.name, self.kind, self.data = name, kind, data
        self.children: list[_Entry] = []
        self.sid = 0
        self.start, self.size = END, 0


def _tree(streams: dict[str, bytes]) -> list[_Entry]:
    root = _Entry("Root Entry", 5)
    for path, data in streams.items():
        node = root
        *folders, leaf = path.split("/")
        for folder in folders:
            found = next((c for c in node.children if c.name == folder and c.kind == 1), None)
            if found is None:
                found = _Entry(folder, 1)
                node.children.append(found)
            node = found
        node.children.append(_Entry(leaf, 2, data))
    order: list[_Entry] = []

    def walk(entry):
        entry.sid = len(order)
        order.append(entry)
        for child in entry.children:
            walk(child)

    walk(root)
    return order


def _chain(fat: list[int], start: int, count: int) -> None:
    for i in range(count):
        fat[start + i] = start + i + 1 if i < count - 1 else END


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE compound file holding ``streams`` ({"Storage/Stream": bytes}); small streams go
    to the mini stream, as Office writes them."""
    entries = _tree(streams)
    mini = bytearray()
    mini_fat: list[int] = []
    big: list[_Entry] = []
    for entry in entries:
        if entry.kind != 2:
            continue
        entry.size = len(entry.data)
        if entry.size < CUTOFF:
            if entry.size == 0:
                entry.start = END
                continue
            entry.start = len(mini) // MINI
            count = -(-entry.size // MINI)
            mini += entry.data.ljust(count * MINI, b"\0")
            mini_fat += [0] * count
            _chain(mini_fat, entry.start, count)
        else:
            big.append(entry)
    sectors: list[bytes] = []
    fat_chains: list[tuple[int, int]] = []

    def place(data: bytes) -> int:
        start = len(sectors)
        count = max(1, -(-len(data) // SECTOR))
        padded = data.ljust(count * SECTOR, b"\0")
        sectors.extend(padded[i * SECTOR : (i + 1) * SECTOR] for i in range(count))
        fat_chains.append((start, count))
        return start

    for entry in big:
        entry.start = place(entry.data)
    root = entries[0]
    if mini:
        root.start, root.size = place(bytes(mini)), len(mini)
    mini_fat_start, mini_fat_count = END, 0
    if mini_fat:
        table = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
        table = table.ljust(-(-len(table) // SECTOR) * SECTOR, b"\xff")
        mini_fat_start = place(table)
        mini_fat_count = len(table) // SECTOR
    directory = b"".join(_direntry(e, entries) for e in entries)
    directory = directory.ljust(-(-len(directory) // SECTOR) * SECTOR, b"\0")
    # Unused directory slots must read as empty entries with no siblings.
    empty = _empty_direntry()
    slots = len(directory) // 128
    directory = directory[: len(entries) * 128] + empty * (slots - len(entries))
    dir_start = place(directory)
    fat_count = 1
    while fat_count * (SECTOR // 4) < len(sectors) + fat_count:
        fat_count += 1
    fat = [FREE] * (fat_count * (SECTOR // 4))
    for start, count in fat_chains:
        _chain(fat, start, count)
    fat_start = len(sectors)
    for i in range(fat_count):
        fat[fat_start + i] = FATSECT
    table = struct.pack(f"<{len(fat)}I", *fat)
    sectors.extend(table[i * SECTOR : (i + 1) * SECTOR] for i in range(fat_count))
    difat = [fat_start + i for i in range(fat_count)] + [FREE] * (109 - fat_count)
    header = (
        OLE_MAGIC
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIII", 0, fat_count, dir_start, 0, CUTOFF)
        + struct.pack("<IIII", mini_fat_start, mini_fat_count, END, 0)
        + struct.pack("<109I", *difat)
    )
    assert len(header) == SECTOR, len(header)
    return header + b"".join(sectors)


def _direntry(entry: _Entry, entries: list[_Entry]) -> bytes:
    name = entry.name.encode("utf-16-le") + b"\0\0"
    child = entry.children[0].sid if entry.children else NOSTREAM
    parent = next((e for e in entries if entry in e.children), None)
    right = NOSTREAM
    if parent is not None:
        index = parent.children.index(entry)
        if index + 1 < len(parent.children):
            right = parent.children[index + 1].sid
    return (
        name.ljust(64, b"\0")
        + struct.pack("<HBB", len(name), entry.kind, 1)
        + struct.pack("<III", NOSTREAM, right, child)
        + b"\0" * 16
        + struct.pack("<I", 0)
        + b"\0" * 16
        + struct.pack("<IQ", entry.start if entry.kind != 1 else 0, entry.size)
    )


def _empty_direntry() -> bytes:
    return (
        b"\0" * 64
        + struct.pack("<HBB", 0, 0, 0)
        + struct.pack("<III", *[NOSTREAM] * 3)
        + (b"\0" * 36 + struct.pack("<IQ", 0, 0))
    )


def _fib(encrypted: bool = False) -> bytes:
    """The start of a Word 97 WordDocument stream: the FIB with its magic number."""
    flags = 0x0100 if encrypted else 0  # fEncrypted (MS-DOC 2.5.2)
    base = struct.pack("<HHHHH", 0xA5EC, 0x00C1, 0x6027, 0x0409, 0) + struct.pack("<H", flags)
    return base.ljust(4096, b"\0")


def biff(sheet_type: int = 0) -> bytes:
    """A tiny Excel 97 Workbook stream: BOF, one BOUNDSHEET (0 worksheet, 1 Excel 4.0 macro
    sheet), EOF."""
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0, 0, 0, 0)
    name = b"Sheet1"
    sheet = struct.pack("<IBB", 0, 0, sheet_type) + bytes([len(name), 0]) + name
    boundsheet = struct.pack("<HH", 0x0085, len(sheet)) + sheet
    eof = struct.pack("<HH", 0x000A, 0)
    return (bof + boundsheet + eof).ljust(4096, b"\0")


def legacy_doc(extra: dict[str, bytes] | None = None, *, encrypted: bool = False) -> bytes:
    """A Word 97-2003 document without macros (plus any ``extra`` streams)."""
    streams = {
        "WordDocument": _fib(encrypted),
        "1Table": b"\0" * 1024,
        "\x05SummaryInformation": b"\xfe\xff" + b"\0" * 46,
    }
    return compound_file({**streams, **(extra or {})})


def legacy_xls(sheet_type: int = 0, extra: dict[str, bytes] | None = None) -> bytes:
    return compound_file({"Workbook": biff(sheet_type), **(extra or {})})


def legacy_ppt() -> bytes:
    return compound_file({"PowerPoint Document": b"\0" * 4096, "Current User": b"\0" * 64})


def vba_project(root: str = "") -> dict[str, bytes]:
    """The storages and streams of a VBA project (MS-OVBA 2.2.1), under ``root``."""
    prefix = root + "/" if root else ""
    code = b'\x01\x00\x00Attribut\x00e VB_Nam\x00e = "Module1"\r\nSub AutoOpen()\r\n'
    return {
        prefix + "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\nModule=Module1\r\n',
        prefix + "VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00",
        prefix + "VBA/dir": b"\x01\x00\x00" + b"\0" * 64,
        prefix + "VBA/Module1": code,
    }


def ole_package(filename: str, payload: bytes) -> bytes:
    """An Ole10Native stream: a file attached in a document as an "OLE Package"."""
    name = filename.encode("latin-1") + b"\0"
    body = (
        struct.pack("<H", 2)
        + name
        + b"C:\\Users\\me\\"
        + name
        + struct.pack("<II", 0, 0)
        + b"C:\\Temp\\"
        + name
        + struct.pack("<I", len(payload))
        + payload
    )
    return struct.pack("<I", len(body)) + body


# --- ZIP packages ----------------------------------------------------------------------------


def zip_of(members, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP archive of ``members`` ([(name, bytes)] or {name: bytes}), in that order."""
    items = members.items() if isinstance(members, dict) else members
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in items:
            if isinstance(name, zipfile.ZipInfo):
                archive.writestr(name, data)
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


def unzip(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(i.filename, archive.read(i)) for i in archive.infolist()]


def edited(package: bytes, *, add=(), replace=None, drop=()) -> bytes:
    """The package with parts added, replaced ({name: bytes or function of bytes}) or dropped."""
    replace = replace or {}
    members = []
    for name, data in unzip(package):
        if name in drop:
            continue
        if name in replace:
            change = replace[name]
            data = change(data) if callable(change) else change
        members.append((name, data))
    return zip_of([*members, *add])


def png(size=(4, 4)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def real_docx(text: str = "信息安全方针：所有变更须经变更管理过程批准。", picture=False) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("服务管理方针", level=1)
    document.add_paragraph(text)
    if picture:
        document.add_picture(io.BytesIO(png()))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def real_xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "事件"
    sheet.append(["月份", "事件数", "解决率"])
    sheet.append(["1月", 42, 0.97])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def real_pptx() -> bytes:
    import pptx

    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "管理评审"
    slide.placeholders[1].text = "服务报告与持续改进"
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


ODF_TEXT = "application/vnd.oasis.opendocument.text"
ODF_SHEET = "application/vnd.oasis.opendocument.spreadsheet"


def odf(mimetype: str = ODF_TEXT, extra=(), manifest_entries=()) -> bytes:
    """An OpenDocument package as LibreOffice writes it: ``mimetype`` first and stored."""
    entries = [("/", mimetype), ("content.xml", "text/xml"), ("styles.xml", "text/xml")]
    entries += list(manifest_entries)
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.3">'
        + "".join(
            f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{media}"/>'
            for path, media in entries
        )
        + "</manifest:manifest>"
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        "<text:p>服务连续性计划</text:p></office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # stored, first
        archive.writestr("content.xml", content)
        archive.writestr("styles.xml", "<office:document-styles/>")
        archive.writestr("META-INF/manifest.xml", manifest)
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()
