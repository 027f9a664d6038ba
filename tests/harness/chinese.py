"""What a Chinese reader sees, and the English left in it.

``visible_text(html)`` keeps what a browser shows or reads aloud: text nodes (not script or
style), and the attributes shown to people (``title``, ``placeholder``, ``aria-label``,
``alt``, the ``value`` of input buttons; a ``<button>`` shows its content, not its value).
``english_left(text, user_data)`` removes what may stay in Latin letters (user-entered data,
the names and marks of ``ALLOWED_*``) and returns the English words that remain.
"""

import re
from functools import cache
from html.parser import HTMLParser

from django.apps import apps
from django.db import models

#: Shown attributes; every other attribute value (class, href, data-*, value of a text
#: input — user data) is not read by a person.
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
BUTTON_TYPES = {"submit", "button", "reset"}

#: What may stay in Latin letters in a Chinese text, and why. Keep it short: a new entry
#: needs a reason a Chinese auditor would accept.
ALLOWED_PATTERNS = {
    r"ISO(?:/IEC)?\s?\d{4,5}(?:-\d+)?(?::\d{4})?(?:\s?系列)?": (
        "standard names (ISO/IEC 20000-1:2018, ISO 9001:2015, ISO/IEC 27000): cited so in Chinese"
    ),
    r"GB/T\s?\d+(?:\.\d+)?-\d{4}": "the national standard's name (GB/T 24405.1-2019)",
    r"ITSMS Workbench|ITSMS": "the product's name",
    r"\bEnglish\b": "the language switch names each language in that language",
    r"\b(?:A\d+-)?F\d+\b|\bA\d+\b": "audit and finding references (A1, A1-F2 …): identifiers",
    r"\b(?:R|OBJ|SUP|AGR|OFI)-\d{3,}\b": (
        "references of the SMS records' registers (R-007, OBJ-002, SUP-001, AGR-003, OFI-001): "
        "identifiers"
    ),
    r"(?<![A-Za-z])[a-l]\)": "list items of a clause (7.5.4 a) … l)), lettered so in GB/T 24405.1",
    r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?": (
        "ISO 8601 timestamps in CSV exports (2026-12-02T00:08+00:00): machine-readable data"
    ),
    r"\btestserver\b": "the site's domain (the test client's host)",
    r"\bv\d+\b": "version marks of evidence files (v1, v2)",
    r"Authorization: Token <key>": "the HTTP header an API client sends, literally",
    r"\bYYYY-MM-DD\b": "the date format a spreadsheet cell must follow, written literally",
    r"OpenID Connect|SAML(?: 2\.0)?": "single sign-on protocols, named so in Chinese IT practice",
    r"\b[\w-]+\.example\b": "example domains (RFC 2606) in help texts: addresses, not words",
    r"/?\.well-known/?": "a fixed path of OpenID Connect discovery",
    r"Google Authenticator|Microsoft Authenticator|FreeOTP": "names of authenticator apps",
    r"sha256sum -c SHA256SUMS": "the command that checks an audit pack, literally",
    r"openssl pkeyutl -verify -pubin -inkey public-key\.pem -rawin -in manifest\.json "
    r"-sigfile manifest\.sig": "the command that checks a pack's signature, literally",
    r"python manage\.py (?:import_organization|verify_pack) \S+(?: --trust-key [0-9a-f]{64})?": (
        "the command a site administrator runs, literally"
    ),
    r"\b[0-9a-f]{64}\b": "SHA-256 sums and signing-key fingerprints: identifiers",
    r"\bOpenSSL(?: 3)?\b": "the tool's name",
}
ALLOWED_WORDS = {
    # Abbreviations Chinese ITSM practice and GB/T 24405 readers write in Latin letters.
    "KPI": "key performance indicator, written so in Chinese practice",
    "SLA": "service level agreement (服务级别协议, SLA)",
    "OLA": "operational level agreement",
    "RACI": "responsibility matrix",
    "ITIL": "the framework's name, written so in Chinese ITSM practice",
    "PDCA": "the Plan-Do-Check-Act cycle, written so in Chinese (PDCA 循环)",
    "PESTLE": "analysis method named in the guidance",
    "SWOT": "analysis method named in the guidance",
    "RFC": "request for change",
    "CMDB": "configuration management database, named where 2018 replaced it",
    "HLS": "高阶结构（HLS）, as in zh-terms.md",
    "PDF": "file format",
    "CSV": "file format",
    "XLSX": "file format (Excel workbook)",
    "Excel": "the spreadsheet program's name, written so in Chinese (Excel 工作簿)",
    "ZIP": "file format (the audit pack, the organisation archive)",
    "API": "the programming interface",
    "ID": "identifier",
    "iCal": "calendar feed format",
    "SHA": "SHA-256, the hash of uploads",
    "P1": "incident priorities",
    "P2": "incident priorities",
    "P3": "incident priorities",
    "P4": "incident priorities",
    "MB": "unit of file size",
    "Tab": "the key's name, as printed on keyboards (Tab 键)",
    "Office": "file format family (Office 文档)",
    "OpenDocument": "file format name",
    "Markdown": "file format name",
    "IP": "IP 地址, as written in Chinese",
    "URL": "web address, written so in Chinese IT practice",
    "URI": "redirect URI, the OAuth term as IdP consoles show it",
    "XML": "file format",
    "ACS": "断言消费服务（ACS）: the SAML term as IdP consoles show it",
    "USB": "USB 安全密钥",
    "NFC": "NFC 安全密钥",
    "Chrome": "browser name (a new-device notice names the browser)",
    "Windows": "operating system name (a new-device notice names it)",
}

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’]*")
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        attrs = dict(attrs)
        for name in SHOWN_ATTRIBUTES & attrs.keys():
            self.parts.append(attrs[name] or "")
        if tag == "input" and (attrs.get("type") or "").lower() in BUTTON_TYPES:
            self.parts.append(attrs.get("value") or "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return normalize(" ".join(parser.parts))


def normalize(text: str) -> str:
    """One space for any run of whitespace, none between Chinese characters (PDF line wraps)."""
    text = re.sub(r"\s+", " ", text)
    return re.sub(rf"(?<={_CJK}) (?={_CJK})", "", text).strip()


#: Text columns the product writes itself (in the organisation's language): never treated as
#: user data, so English there is found. Everything else typed into a tenant row is user data.
PRODUCT_TEXT = {
    ("itsms", "Notification", "text"),
    ("certification", "Reminder", "title"),
    ("certification", "ChecklistItem", "text"),
}


def text_values(obj) -> list[str]:
    """The free-text values of one row (what a test planted in it)."""
    return [
        getattr(obj, f.name)
        for f in obj._meta.get_fields()
        if isinstance(f, (models.CharField, models.TextField)) and getattr(obj, f.name)
    ]


def user_data(planted=()) -> list[str]:
    """Every free-text value people typed (organisations, users, every tenant row).

    ``planted``: values a test wrote into rows the product would otherwise write itself.
    Longest first, each also split into its lines (pages break long text with <br>).
    """
    from itsms.models import Organization, TenantModel, User

    values: set[str] = {normalize(v) for v in planted}
    for model in apps.get_models():
        if not (model in (Organization, User) or issubclass(model, TenantModel)):
            continue
        if model.__name__.startswith("Historical"):
            continue
        fields = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, (models.CharField, models.TextField))
            and not f.choices
            and (model._meta.app_label, model.__name__, f.name) not in PRODUCT_TEXT
            and f.name != "password"
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if value:
                    values.add(normalize(value))
                    values.update(normalize(line) for line in str(value).splitlines() if line)
    return sorted((v for v in values if v), key=len, reverse=True)


@cache
def _time_zones() -> list[str]:
    import zoneinfo

    return sorted(zoneinfo.available_timezones(), key=len, reverse=True)


def without_allowed(text: str, data: list[str]) -> str:
    """``text`` without addresses (email, links), ``ALLOWED_PATTERNS``, user data and
    time-zone names (IANA identifiers, as every system shows them), each a whole word."""
    text = re.sub(r"\S+@\S+\.\S+|https?://\S+|/[\w./-]+\.(?:ics|pdf|csv)", " ", text)
    for pattern in ALLOWED_PATTERNS:
        text = re.sub(pattern, " ", text)
    for value in [*data, *_time_zones()]:
        if value in text:
            text = re.sub(rf"(?<![A-Za-z]){re.escape(value)}(?![A-Za-z])", " ", text)
    return text


def english_left(text: str, data: list[str]) -> list[str]:
    """The English words of ``text`` outside user data and ``ALLOWED_*``."""
    return [w for w in _WORD.findall(without_allowed(text, data)) if w not in ALLOWED_WORDS]


def context_of(text: str, word: str, width: int = 40) -> str:
    found = re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text)
    if not found:
        return ""
    return text[max(0, found.start() - width) : found.end() + width]
