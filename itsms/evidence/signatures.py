"""What a run of bytes is, by its first bytes: programs, archives, compound files.

Shared by the check of a whole upload (``validation``) and the inspection of the parts inside
a document (``containers``, ``ole``). Only the bytes count here; names are checked elsewhere.
"""

from __future__ import annotations

import struct

from django.utils.translation import gettext_lazy as _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
#: How many bytes of a part are read to recognise it (a tar header ends at byte 262).
HEAD_BYTES = 4096

PROGRAMS = [
    (b"MZ", _("a Windows program")),
    (b"\x7fELF", _("a Linux program")),
    (b"\xcf\xfa\xed\xfe", _("a macOS program")),
    (b"\xce\xfa\xed\xfe", _("a macOS program")),
    (b"\xfe\xed\xfa\xce", _("a macOS program")),
    (b"\xfe\xed\xfa\xcf", _("a macOS program")),
    (b"\xca\xfe\xba\xbe", _("a macOS or Java program")),
    (b"\x4c\x00\x00\x00\x01\x14\x02\x00", _("a Windows shortcut")),
    (b"#!", _("a script")),
]

ARCHIVES = [
    (ZIP_MAGICS, _("a ZIP archive")),
    ((b"7z\xbc\xaf\x27\x1c",), _("a 7-Zip archive")),
    ((b"Rar!\x1a\x07",), _("a RAR archive")),
    ((b"\x1f\x8b\x08",), _("a gzip archive")),
    (tuple(b"BZh" + bytes([level]) for level in b"123456789"), _("a bzip2 archive")),
    ((b"\xfd7zXZ\x00",), _("an xz archive")),
    ((b"\x28\xb5\x2f\xfd",), _("a Zstandard archive")),
    ((b"MSCF\x00\x00\x00\x00",), _("a Windows cabinet archive")),
    ((b"LZIP",), _("an lzip archive")),
]

#: Names of parts that are programs or scripts whatever their bytes (Windows runs them by name).
PROGRAM_EXTENSIONS = frozenset(
    [
        "exe",
        "dll",
        "scr",
        "com",
        "pif",
        "cpl",
        "msi",
        "msp",
        "sys",
        "drv",
        "ocx",
        "bat",
        "cmd",
        "ps1",
        "psm1",
        "vbs",
        "vbe",
        "js",
        "jse",
        "wsf",
        "wsh",
        "wsc",
        "hta",
        "jar",
        "apk",
        "app",
        "sh",
        "bash",
        "csh",
        "ksh",
        "command",
        "lnk",
        "reg",
        "inf",
        "url",
        "scf",
        "gadget",
        "msc",
        "appx",
        "msix",
        "py",
        "pyw",
        "pl",
        "rb",
    ]
)


def _windows_program(head: bytes) -> bool:
    """``MZ`` followed by a DOS stub or a PE/NE/LE/LX header: inside documents two bytes alone
    are too weak a sign (a picture of 23,117 bytes starts with them in a Word binary file)."""
    if b"This program" in head[:512] or b"DOS mode" in head[:512]:
        return True
    if len(head) >= 0x40:
        (offset,) = struct.unpack_from("<I", head, 0x3C)
        if offset + 2 <= len(head) and head[offset : offset + 2] in (b"PE", b"NE", b"LE", b"LX"):
            return True
    return False


def program(head: bytes, *, strict: bool = False) -> str | None:
    """What kind of program these bytes are, or None.

    ``strict`` (for parts inside a document) asks for more than the first two bytes of a Windows
    program or a script, so that binary parts of real documents are not mistaken for programs.
    """
    for magic, label in PROGRAMS:
        if not head.startswith(magic):
            continue
        if strict and magic == b"MZ" and not _windows_program(head):
            continue
        if strict and magic == b"#!" and not head[2:4].lstrip(b" ").startswith(b"/"):
            continue
        return str(label)
    return None


def archive(head: bytes) -> str | None:
    """What kind of archive (or compressed file) these bytes are, or None."""
    for magics, label in ARCHIVES:
        if head.startswith(magics):
            return str(label)
    if len(head) >= 262 and head[257:262] == b"ustar":
        return str(_("a tar archive"))
    return None


def is_ole(head: bytes) -> bool:
    return head.startswith(OLE_MAGIC)


def is_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGICS)


def program_name(name: str) -> bool:
    """Whether a part's name is that of a program or script (``setup.exe``, ``run.vbs``)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower().rstrip(". ")
    return "." in base and base.rsplit(".", 1)[1] in PROGRAM_EXTENSIONS
