"""The rows of the gap assessment tree, rendered without a Django form (or template) per row.

57 full forms — each select rendered option by option through the widget templates — made
the tree the slowest page of the product, at any organisation size. Here a row is one HTML
string: each select's options are rendered once for the page and every row only marks its
own value, and the words of the row are translated once. The names, values and formats are
exactly what ``ClauseAssessmentForm`` parses (``tests/test_forms_round_trip.py`` submits a row
as the page renders it); each row's fields carry ids of their own (``a-8-2-3-status``), so
no two elements of the page share one.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itsms.models import OtherParty, Status
from itsms.shared.forms import ISO_DATE

MATURITY_LEVELS = range(6)

#: The column headings, and each field's label where the columns do not fit (narrow screens).
LABELS = {
    "status": gettext_lazy("Status"),
    "maturity": gettext_lazy("Maturity"),
    "owner": gettext_lazy("Owner"),
    "target_date": gettext_lazy("Target date"),
    "other_party": gettext_lazy("Operated by"),
    "other_party_name": gettext_lazy("Name of the party"),
    "notes": gettext_lazy("Notes"),
}


def _options(choices) -> list[tuple[str, str]]:
    """(value, rendered <option>) for each choice, escaped once."""
    return [
        (str(value), f'<option value="{escape(value)}">{escape(label)}</option>')
        for value, label in choices
    ]


class RowChoices:
    """The options of the rows' selects, rendered once for the page."""

    def __init__(self, members):
        self._lists = {
            "status": _options(Status.choices),
            "maturity": _options((i, str(i)) for i in MATURITY_LEVELS),
            "owner": _options(
                [("", _("— no owner —"))] + [(m.pk, m.get_full_name() or m.email) for m in members]
            ),
            "other_party": _options(OtherParty.choices),
        }
        self._cache: dict[tuple[str, str], SafeString] = {}

    def options(self, name: str, value) -> SafeString:
        """The options of select ``name`` with ``value`` selected (a value that is no longer
        among the choices — a former member as owner — is kept, so saving the row unchanged
        does not clear it)."""
        value = "" if value is None else str(value)
        key = (name, value)
        if key not in self._cache:
            parts = []
            found = False
            for option_value, html in self._lists[name]:
                if option_value == value and not found:
                    html = html.replace("<option ", "<option selected ", 1)
                    found = True
                parts.append(html)
            if not found:
                gone = _("(not a member)")
                parts.append(f'<option value="{escape(value)}" selected>{escape(gone)}</option>')
            self._cache[key] = mark_safe("".join(parts))  # noqa: S308 (escaped above)
        return self._cache[key]


EDITABLE = (
    '<form class="arow leaf editable depth-{depth}{overdue}" id="clause-{number}"'
    ' data-clause="{number}" data-row method="post" action="{url}"'
    ' aria-labelledby="{key}-title">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
    '<input type="hidden" name="clause" value="{number}">'
    '<input type="hidden" name="version" value="{version}">'
    '<span class="cl" id="{key}-title"><a class="num" href="{url}" title="{details}">{number}</a>'
    " {title}{chips}</span>"
    '<label class="f f-status" for="{key}-status"><span class="lbl">{l_status}</span>'
    '<select name="status" id="{key}-status">{status}</select></label>'
    '<label class="f f-maturity" for="{key}-maturity"><span class="lbl">{l_maturity}</span>'
    '<select name="maturity" id="{key}-maturity">{maturity}</select></label>'
    '<label class="f f-owner" for="{key}-owner"><span class="lbl">{l_owner}</span>'
    '<select name="owner" id="{key}-owner">{owner}</select></label>'
    '<label class="f f-date" for="{key}-target_date"><span class="lbl">{l_target_date}</span>'
    '<input type="date" name="target_date" id="{key}-target_date" value="{target_date}"></label>'
    '<span class="f f-other"><label class="lbl" for="{key}-other_party">{l_other_party}</label>'
    '<select name="other_party" id="{key}-other_party">{other_party}</select>'
    '<input type="text" name="other_party_name" id="{key}-other_party_name"'
    ' value="{other_party_name}" maxlength="200" placeholder="{l_other_party_name}"'
    ' aria-label="{l_other_party_name}"></span>'
    '<label class="f f-notes" for="{key}-notes"><span class="lbl">{l_notes}</span>'
    '<textarea name="notes" id="{key}-notes" rows="2" placeholder="{l_notes}">\n{notes}'
    "</textarea></label>"
    '<span class="rowmsg" id="{key}-message" role="status" aria-live="polite"'
    " data-row-message></span>"
    '<noscript><button class="btn small" type="submit">{save}</button></noscript>'
    "</form>"
)

READONLY = (
    '<div class="arow leaf readonly depth-{depth}{overdue}" id="clause-{number}"'
    ' data-clause="{number}">'
    '<span class="cl"><a class="num" href="{url}">{number}</a> {title}{chips}</span>'
    '<span class="f"><span class="lbl">{l_status}</span>'
    '<span class="badge status-{status_value}">{status}</span></span>'
    '<span class="f"><span class="lbl">{l_maturity}</span>{maturity}</span>'
    '<span class="f"><span class="lbl">{l_owner}</span>{owner}</span>'
    '<span class="f"><span class="lbl">{l_target_date}</span>{target_date}</span>'
    '<span class="f"><span class="lbl">{l_other_party}</span>{other_party}</span>'
    '<span class="f f-notes muted"><span class="lbl">{l_notes}</span>{notes}</span>'
    "</div>"
)

NOT_ASSESSED = (
    '<div class="arow leaf readonly depth-{depth}" id="clause-{number}" data-clause="{number}">'
    '<span class="cl"><span class="num">{number}</span> {title}</span>'
    '<span class="muted">{text}</span></div>'
)


class RowRenderer:
    """Renders the leaf rows of one organisation's tree for one reader."""

    def __init__(self, organization, members, csrf_token: str):
        self.choices = RowChoices(members)
        self.csrf = csrf_token
        pk = 999999999  # one reverse() for the page; each row puts its own pk in its place
        self.url_template = reverse(
            "itsms:assessment_row", kwargs={"org_slug": organization.slug, "pk": pk}
        ).replace(str(pk), "{pk}")
        self.words = {f"l_{name}": str(label) for name, label in LABELS.items()}
        self.details = _("Details and history")
        self.save = _("Save")
        self.new = _("new in 2018")
        self.corresponds = _("Corresponds to ISO/IEC 27001:2013")
        self.not_assessed = _("Not in the assessment yet")

    def _chips(self, clause, links=True):
        chips = []
        if clause.new_in_edition:
            chips.append(format_html(' <span class="chip new">{}</span>', self.new))
        if links:
            chips.append(
                format_html_join(
                    "",
                    ' <span class="chip cother" title="{}">27001 {}</span>',
                    ((self.corresponds, link.other.number) for link in clause.iso27001_links),
                )
            )
        return mark_safe("".join(chips))  # noqa: S308 (each part is format_html)

    def render(self, node) -> SafeString:
        clause, assessment = node["clause"], node["assessment"]
        common = {"depth": node["depth"], "number": clause.number, "title": clause.title}
        if assessment is None:
            return format_html(NOT_ASSESSED, text=self.not_assessed, **common)
        overdue = " overdue" if node["overdue"] else ""
        url = self.url_template.format(pk=assessment.pk)
        if node["editable"]:
            date = assessment.target_date
            return format_html(
                EDITABLE,
                key="a-" + clause.number.replace(".", "-"),
                overdue=overdue,
                url=url,
                csrf=self.csrf,
                version=assessment.version,
                details=self.details,
                chips=self._chips(clause),
                status=self.choices.options("status", assessment.status),
                maturity=self.choices.options("maturity", assessment.maturity),
                owner=self.choices.options("owner", assessment.owner_id),
                target_date=date.strftime(ISO_DATE) if date else "",
                other_party=self.choices.options("other_party", assessment.other_party),
                other_party_name=assessment.other_party_name,
                notes=assessment.notes,
                save=self.save,
                **self.words,
                **common,
            )
        other = "—"
        if assessment.other_party:
            other = assessment.get_other_party_display()
            if assessment.other_party_name:
                other = f"{other}: {assessment.other_party_name}"
        notes = escape(Truncator(assessment.notes).chars(160)).replace("\n", "<br>")
        return format_html(
            READONLY,
            overdue=overdue,
            url=url,
            chips=self._chips(clause, links=False),
            status_value=assessment.status,
            status=assessment.get_status_display(),
            maturity=assessment.maturity,
            owner=(assessment.owner.get_full_name() if assessment.owner else "") or "—",
            target_date=(
                formats.date_format(assessment.target_date, "SHORT_DATE_FORMAT")
                if assessment.target_date
                else "—"
            ),
            other_party=other,
            notes=mark_safe(notes),  # noqa: S308 (escaped above)
            **self.words,
            **common,
        )
