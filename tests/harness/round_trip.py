"""A page's forms as a browser sees them, and the database before and after a submit.

``page_forms(html)`` parses the forms of a page and ``Form.submission()`` gives the values a
browser sends when the form is submitted unchanged, applying the browser's own rules: a date
field holding anything but ``YYYY-MM-DD`` is empty (``2026/11/22`` is how Chinese dates were
lost), a text field drops line breaks, a textarea ends its lines with CRLF, a select without
a selected option sends its first one, unchecked boxes and disabled fields send nothing.

``snapshot()`` reads every row of the project's models; ``changes(before, after)`` lists what
differs (bookkeeping such as version counters and ``auto_now`` stamps aside, as in the
history), and ``new_history_changes`` what the history rows written meanwhile changed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.apps import apps

from itsms.shared import history

PROJECT_APPS = ("itsms", "processes", "audits", "certification")
#: Rows derived from others, rewritten by design whenever their source is saved (the search
#: index): not something a user typed, so not compared.
DERIVED = {"itsms.SearchDocument"}
VOID = {"input", "br", "img", "hr", "meta", "link", "source", "wbr", "col", "area", "base"}


@dataclass
class Control:
    tag: str
    attrs: dict
    text: str = ""  # a textarea's content
    options: list = field(default_factory=list)  # a select's [(value, selected, disabled)]

    @property
    def name(self):
        return self.attrs.get("name")

    @property
    def type(self):
        if self.tag == "input":
            return (self.attrs.get("type") or "text").lower()
        if self.tag == "button":
            return (self.attrs.get("type") or "submit").lower()
        return self.tag


@dataclass
class Form:
    attrs: dict
    controls: list = field(default_factory=list)

    def action(self, page_url: str) -> str:
        return urljoin(page_url, self.attrs.get("action") or page_url)

    def names(self) -> set[str]:
        """The names the form can send (a submit button's too: it may carry a field)."""
        return {c.name for c in self.controls if c.name and c.type not in ("reset", "button")}

    def ids(self) -> set[str]:
        return {c.attrs["id"] for c in self.controls if c.attrs.get("id")}

    def buttons(self) -> list[Control]:
        return [c for c in self.controls if c.type in ("submit", "image")]

    def submission(self, button: Control | None = None) -> list[tuple[str, str]]:
        """The entry list of submitting the form unchanged with ``button``."""
        entries = []
        for control in self.controls:
            name = control.name
            if not name or "disabled" in control.attrs:
                continue
            kind = control.type
            if kind in BUTTONS:
                if control is button:
                    entries.append((name, control.attrs.get("value", "")))
                continue
            if kind in ("checkbox", "radio"):
                if "checked" in control.attrs:
                    entries.append((name, control.attrs.get("value", "on")))
            elif kind == "file":
                continue  # an empty file chooser: Django sees no file
            elif control.tag == "select":
                entries += [(name, v) for v in selected(control)]
            elif control.tag == "textarea":
                text = control.text.replace("\r\n", "\n").replace("\r", "\n")
                entries.append((name, text.replace("\n", "\r\n")))
            else:
                entries.append((name, sanitize(kind, control.attrs.get("value", ""))))
        return entries


BUTTONS = {"submit", "image", "reset", "button"}


def selected(control: Control) -> list[str]:
    chosen = [v for v, is_selected, disabled in control.options if is_selected and not disabled]
    multiple = "multiple" in control.attrs
    if multiple:
        return chosen
    if chosen:
        return chosen[-1:]
    size = int(control.attrs.get("size") or 1)
    if size > 1:
        return []
    enabled = [v for v, _s, disabled in control.options if not disabled]
    return enabled[:1]


NUMBER = re.compile(r"^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?$")
DATE = re.compile(r"^(\d{4,})-(\d{2})-(\d{2})$")
DATETIME = re.compile(r"^(\d{4,})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$")


def sanitize(kind: str, value: str) -> str:
    """The value sanitization algorithm of the HTML standard, for the input types we use."""
    if kind in ("text", "search", "tel", "password"):
        return value.replace("\r", "").replace("\n", "")
    if kind in ("email", "url"):
        return value.replace("\r", "").replace("\n", "").strip(" \t\f")
    if kind == "number":
        return value if NUMBER.match(value) else ""
    if kind == "date":
        match = DATE.match(value)
        if not match:
            return ""
        try:
            datetime.date(*map(int, match.groups()))
        except ValueError:
            return ""
        return value
    if kind == "datetime-local":
        match = DATETIME.match(value)
        if not match:
            return ""
        y, mo, d, h, mi, s, frac = match.groups()
        try:
            datetime.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
        except ValueError:
            return ""
        normal = f"{y}-{mo}-{d}T{h}:{mi}"
        if (s and s != "00") or (frac and int(frac)):
            normal += f":{s or '00'}" + (f".{frac}" if frac and int(frac) else "")
        return normal
    return value


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.ids: list[str] = []
        self.form: Form | None = None
        self.textarea: Control | None = None
        self.select: Control | None = None
        self.option: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: ("" if v is None else v) for k, v in attrs}
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "form":
            self.form = Form(attrs)
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        if tag in ("input", "button"):
            self.form.controls.append(Control(tag, attrs))
        elif tag == "textarea":
            self.textarea = Control(tag, attrs)
            self.form.controls.append(self.textarea)
        elif tag == "select":
            self.select = Control(tag, attrs)
            self.form.controls.append(self.select)
        elif tag == "option" and self.select is not None:
            self._close_option()
            self.option = [attrs.get("value"), "selected" in attrs, "disabled" in attrs, ""]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def _close_option(self):
        if self.option is not None and self.select is not None:
            value, is_selected, disabled, text = self.option
            if value is None:
                value = " ".join(text.split())
            self.select.options.append((value, is_selected, disabled))
        self.option = None

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "option":
            self._close_option()
        elif tag == "select":
            self._close_option()
            self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            if not self.textarea.text and data.startswith("\n"):
                data = data[1:]  # the newline right after <textarea> is not content
            self.textarea.text += data
        elif self.option is not None:
            self.option[3] += data


def parse(html: str) -> _Parser:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser


def duplicate_ids(html: str) -> list[str]:
    seen, dupes = set(), []
    for element_id in parse(html).ids:
        if element_id in seen:
            dupes.append(element_id)
        seen.add(element_id)
    return dupes


def find_form(html: str, page_url: str, posts_to: str, **attrs) -> Form:
    """The form of the page that posts to ``posts_to`` (and has ``attrs``)."""
    path = urlsplit(posts_to).path
    found = []
    for form in parse(html).forms:
        if (form.attrs.get("method") or "get").lower() != "post":
            continue
        if urlsplit(form.action(page_url)).path != path:
            continue
        if all(_matches(form.attrs, k.replace("_", "-"), v) for k, v in attrs.items()):
            found.append(form)
    assert len(found) == 1, f"{len(found)} forms of {page_url} post to {posts_to} with {attrs}"
    return found[0]


def _matches(attrs, key, value):
    if key == "class":
        return value in (attrs.get("class") or "").split()
    return attrs.get(key) == value


# --- the database -------------------------------------------------------------------------


def _models(historical: bool):
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in PROJECT_APPS or model._meta.label in DERIVED:
            continue
        if model.__name__.startswith("Historical") == historical:
            yield model


def _kept(f) -> bool:
    return f.name not in history.BOOKKEEPING and not getattr(f, "auto_now", False)


def snapshot() -> dict:
    """Every row of every model of the project (history aside), by model and primary key."""
    rows = {}
    for model in _models(historical=False):
        names = [f.attname for f in model._meta.concrete_fields if _kept(f)]
        pk = model._meta.pk.attname
        rows[model._meta.label] = {
            r[pk]: {n: r[n] for n in names} for r in model._base_manager.values(pk, *names)
        }
    rows["__history__"] = {
        model._meta.label: model._base_manager.order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
        or 0
        for model in _models(historical=True)
    }
    return rows


@dataclass(frozen=True)
class Difference:
    model: str  # the model's label, e.g. "audits.Audit" (for a history record: its model's)
    field: str | None  # None: a row created or deleted
    text: str

    def __str__(self):
        return self.text


def changes(before: dict, after: dict) -> list[Difference]:
    """What differs between two snapshots (history aside)."""
    found = []
    for label, rows in after.items():
        if label == "__history__":
            continue
        old_rows = before.get(label, {})
        for pk in rows.keys() - old_rows.keys():
            found.append(Difference(label, None, f"{label} #{pk} created"))
        for pk in old_rows.keys() - rows.keys():
            found.append(Difference(label, None, f"{label} #{pk} deleted"))
        for pk in rows.keys() & old_rows.keys():
            for name, value in rows[pk].items():
                old = old_rows[pk].get(name)
                if old != value:
                    text = f"{label} #{pk} {name}: {old!r} → {value!r}"
                    found.append(Difference(label, name, text))
    return found


def new_history_changes(before: dict) -> list[Difference]:
    """What each history record written since ``before`` changed, field by field."""
    found = []
    for model in _models(historical=True):
        start = before["__history__"].get(model._meta.label, 0)
        for record in model._base_manager.filter(history_id__gt=start).order_by("history_id"):
            label = record.instance_type._meta.label
            if record.history_type != "~":
                text = f"history of {label}: a record {record.history_type}"
                found.append(Difference(label, None, text))
                continue
            pk_name = record.instance_type._meta.pk.attname
            older = (
                model._base_manager.filter(
                    **{pk_name: getattr(record, pk_name)}, history_id__lt=record.history_id
                )
                .order_by("-history_id")
                .first()
            )
            if older is None:
                continue
            for f, old, new in history.changed_fields(record, older):
                text = f"history of {label} #{getattr(record, pk_name)}: {f.name} {old!r} → {new!r}"
                found.append(Difference(label, f.name, text))
    return found
