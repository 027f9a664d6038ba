"""The text of an evidence file, extracted once after its upload, for search.

- PDF: pypdf (pinned), page by page.
- Office Open XML (``.docx``, ``.xlsx``, ``.pptx``) and OpenDocument (``.odt``, ``.ods``,
  ``.odp``, ``.odg``): the text elements of the document's own XML parts, read from the ZIP
  with defusedxml (the container was checked at upload: no macros, no bombs; the sizes read
  here are bounded again).
- Plain text, CSV, Markdown: decoded (UTF-8, else GB 18030, the Chinese national encoding).
- Images and the older binary Office formats: no text (nothing is guessed).

At most ``MAX_CHARS`` characters are kept. A file whose text cannot be read (damaged,
encrypted) yields "" and is logged; extraction runs after the upload is committed and never
fails it.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile

from defusedxml import ElementTree

from . import storage

logger = logging.getLogger("itsms.evidence")

MAX_CHARS = 200_000
#: Bytes read from one XML part of a document (a 30 MB document.xml is already very large).
MAX_PART_BYTES = 30 * 1024 * 1024
#: Pages of a PDF read.
MAX_PDF_PAGES = 500

PDF = "application/pdf"
TEXT_TYPES = ("text/plain", "text/csv", "text/markdown")
_ODF_PREFIX = "application/vnd.oasis.opendocument."
_OOXML_PARTS = {
    "wordprocessingml": re.compile(
        r"^word/(document|footnotes|endnotes|header\d*|footer\d*)\.xml$"
    ),
    "spreadsheetml": re.compile(r"^xl/(sharedStrings|worksheets/sheet\d+)\.xml$"),
    "presentationml": re.compile(r"^ppt/(slides/slide\d+|notesSlides/notesSlide\d+)\.xml$"),
}
#: OOXML elements that end a line of text (paragraphs, table cells and rows, shared strings).
_BREAKS = {"p", "tc", "si", "tr", "row"}
_TEXT_ELEMENTS = {"t"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _natural(name: str):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _xml_text(data: bytes, odf: bool) -> str:
    """The text of one XML part: OOXML's text (``t``) elements, a line per paragraph, cell or
    shared string; ODF's paragraphs and headings."""
    if odf:
        root = ElementTree.fromstring(data)
        return "\n".join(
            "".join(element.itertext())
            for element in root.iter()
            if _local(element.tag) in ("p", "h")
        )
    out: list[str] = []
    for _event, element in ElementTree.iterparse(io.BytesIO(data), events=("end",)):
        name = _local(element.tag)
        if name in _TEXT_ELEMENTS and element.text:
            out.append(element.text)
        elif name in _BREAKS:
            out.append("\n")
        elif name in ("tab", "br", "c"):
            out.append(" ")
        if name not in _TEXT_ELEMENTS:
            element.clear()
    return "".join(out)


def _zip_text(handle, content_type: str) -> str:
    odf = content_type.startswith(_ODF_PREFIX)
    pattern = None
    if not odf:
        pattern = next((p for key, p in _OOXML_PARTS.items() if key in content_type), None)
        if pattern is None:
            return ""
    pieces, size = [], 0
    with zipfile.ZipFile(handle) as archive:
        names = sorted(
            (
                info
                for info in archive.infolist()
                if (info.filename == "content.xml" if odf else pattern.match(info.filename))
            ),
            key=lambda info: _natural(info.filename),
        )
        for info in names:
            if info.file_size > MAX_PART_BYTES:
                continue
            with archive.open(info) as part:
                data = part.read(MAX_PART_BYTES + 1)
            if len(data) > MAX_PART_BYTES:
                continue
            text = _xml_text(data, odf)
            pieces.append(text)
            size += len(text)
            if size >= MAX_CHARS:
                break
    return "\n".join(pieces)


def _pdf_text(handle) -> str:
    from pypdf import PdfReader

    reader = PdfReader(handle)
    if reader.is_encrypted:
        return ""
    pieces, size = [], 0
    for page in reader.pages[:MAX_PDF_PAGES]:
        text = page.extract_text() or ""
        pieces.append(text)
        size += len(text)
        if size >= MAX_CHARS:
            break
    return "\n".join(pieces)


def _plain_text(handle) -> str:
    data = handle.read(MAX_CHARS * 4)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def extractable(content_type: str) -> bool:
    return (
        content_type == PDF
        or content_type in TEXT_TYPES
        or content_type.startswith(_ODF_PREFIX)
        or "openxmlformats-officedocument" in content_type
    )


def extract_from(handle, content_type: str) -> str:
    """The text of an open, seekable binary file of ``content_type`` (at most ``MAX_CHARS``)."""
    if content_type == PDF:
        text = _pdf_text(handle)
    elif content_type in TEXT_TYPES:
        text = _plain_text(handle)
    elif extractable(content_type):
        text = _zip_text(handle, content_type)
    else:
        return ""
    text = re.sub(r"[ \t\r\f\v]+", " ", text.replace("\x00", ""))
    return re.sub(r"\n\s*\n+", "\n", text).strip()[:MAX_CHARS]


def extract(stored_name: str, content_type: str) -> str:
    """The text of a stored evidence file; "" when it has none or cannot be read."""
    if not extractable(content_type):
        return ""
    with storage.storage().open(stored_name, "rb") as handle:  # OSError: retried by the task
        data = io.BytesIO(handle.read())
    try:
        return extract_from(data, content_type)
    except Exception:  # noqa: BLE001 - a damaged file must never fail the task
        logger.warning("No text extracted from %s (%s)", stored_name, content_type, exc_info=True)
        return ""
