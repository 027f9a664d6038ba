"""Importing the gap assessment: a dry run that says exactly what would change, then apply.

``preview_gap_assessment`` reads the rows of a workbook (``workbook.read``) against the
organisation's assessment in a fixed number of queries (members, clauses and assessments are
each read once), and stores an ``ImportPreview``: each row new, changed (before/after per
field), unchanged or refused with its reason. Nothing is written to the assessment.
``apply_preview`` then writes every change in one transaction through ``assessment_update``
(validation, history recorded as the importing user, the owner's permission), or nothing: a
refused row, or a row changed by someone since the preview, refuses the whole import.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itsms.models import (
    Clause,
    ClauseAssessment,
    ImportKind,
    ImportPreview,
    Membership,
    Organization,
    PreviewState,
    RowOutcome,
    User,
)
from itsms.models.assessment import NO_EXCLUSION_MESSAGE
from itsms.shared import versioning

from . import services, workbook
from .selectors import PRIMARY

#: Words that try to exclude a clause; ISO/IEC 20000-1:2018 clause 1.2 allows none.
EXCLUSION_WORDS = {
    "n/a",
    "na",
    "not applicable",
    "not_applicable",
    "excluded",
    "exclusion",
    "不适用",
    "不适用的",
    "排除",
}


class ImportRefused(Exception):
    """The preview cannot be applied; the message says why (nothing was written)."""


def _date(value):
    if value in ("", None):
        return None
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _shown(field, value):
    """A value as the preview shows it (JSON-safe)."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class _Context:
    """What every row is checked against, each read once."""

    def __init__(self, organization):
        self.organization = organization
        self.members = {
            email.casefold(): pk
            for pk, email in Membership.objects.filter(organization=organization).values_list(
                "user_id", "user__email"
            )
        }
        self.emails = {
            pk: email
            for pk, email in Membership.objects.filter(organization=organization).values_list(
                "user_id", "user__email"
            )
        }
        clauses = Clause.objects.filter(standard__code=PRIMARY).values_list(
            "pk", "number", "children"
        )
        self.clauses, self.headings = {}, set()
        for pk, number, child in clauses:
            self.clauses[number] = pk
            if child is not None:
                self.headings.add(number)
        self.assessments = {
            a.clause_id: a
            for a in ClauseAssessment.objects.filter(organization=organization).select_related(
                "owner"
            )
        }
        self.status_words = workbook.status_words()
        self.party_words = workbook.party_words()


def _parse(values: dict, ctx: _Context) -> tuple[dict, str | None]:
    """The row's new field values (only the columns present), or the reason it is refused."""
    parsed = {}
    if "status" in values:
        word = str(values["status"]).strip().casefold()
        if word in EXCLUSION_WORDS:
            return {}, str(NO_EXCLUSION_MESSAGE)
        if word == "":
            return {}, _("The status is empty.")
        if word not in ctx.status_words:
            return {}, _("Unknown status “%(value)s”.") % {"value": values["status"]}
        parsed["status"] = ctx.status_words[word]
    if "maturity" in values:
        text = str(values["maturity"]).strip() or "0"
        if not text.isdigit() or not 0 <= int(text) <= 5:
            return {}, _("Maturity must be a whole number from 0 to 5, not “%(value)s”.") % {
                "value": values["maturity"]
            }
        parsed["maturity"] = int(text)
    if "owner" in values:
        email = str(values["owner"]).strip()
        if email and email.casefold() not in ctx.members:
            # The same answer whether the address exists elsewhere or nowhere.
            return {}, _("Unknown member “%(value)s”: the owner must be a member.") % {
                "value": email
            }
        parsed["owner"] = ctx.members[email.casefold()] if email else None
    if "target_date" in values:
        try:
            parsed["target_date"] = _date(values["target_date"])
        except ValueError:
            return {}, _("Bad date “%(value)s”: write it as YYYY-MM-DD.") % {
                "value": values["target_date"]
            }
    if "other_party" in values:
        word = str(values["other_party"]).strip().casefold()
        if word and word not in ctx.party_words:
            return {}, _("Unknown “operated by” value “%(value)s”.") % {
                "value": values["other_party"]
            }
        parsed["other_party"] = ctx.party_words.get(word, "")
    for key in ("other_party_name", "notes"):
        if key in values:
            parsed[key] = str(values[key] if values[key] is not None else "")
    if parsed.get("other_party_name") and not parsed.get("other_party", "x"):
        return {}, _("A name of the other party is given but not who operates the clause.")
    if len(parsed.get("other_party_name", "")) > 200:
        return {}, _("The name of the other party is longer than 200 characters.")
    return parsed, None


def _current(assessment: ClauseAssessment | None) -> dict:
    if assessment is None:
        return {
            "status": "not_started",
            "maturity": 0,
            "owner": None,
            "target_date": None,
            "other_party": "",
            "other_party_name": "",
            "notes": "",
        }
    return {
        "status": assessment.status,
        "maturity": assessment.maturity,
        "owner": assessment.owner_id,
        "target_date": assessment.target_date,
        "other_party": assessment.other_party,
        "other_party_name": assessment.other_party_name,
        "notes": assessment.notes,
    }


#: Rows planned between two progress updates of a background preview (one UPDATE each).
PROGRESS_BATCH = 500


def plan_rows(organization: Organization, rows, progress=None) -> list[dict]:
    """Each row's outcome against the organisation's assessment (no writes but ``progress``:
    called with the share done after every ``PROGRESS_BATCH`` rows)."""
    ctx = _Context(organization)
    planned, seen = [], {}
    total = len(rows) or 1
    for index, (line, values) in enumerate(rows, start=1):
        if progress is not None and index % PROGRESS_BATCH == 0:
            progress(index / total)
        number = str(values.get("clause", "")).strip()
        entry = {"line": line, "key": number, "outcome": RowOutcome.REFUSED.value, "changes": {}}
        if number not in ctx.clauses:
            entry["reason"] = _("Unknown clause “%(value)s”.") % {"value": number}
        elif number in ctx.headings:
            entry["reason"] = _(
                "%(number)s is a heading: assess its sub-clauses; its score is their roll-up."
            ) % {"number": number}
        elif number in seen:
            entry["reason"] = _("Clause %(number)s is already on line %(line)s.") % {
                "number": number,
                "line": seen[number],
            }
        else:
            seen[number] = line
            parsed, reason = _parse(values, ctx)
            if reason:
                entry["reason"] = reason
            else:
                assessment = ctx.assessments.get(ctx.clauses[number])
                before = _current(assessment)
                changes = {}
                for field, after in parsed.items():
                    if before[field] != after:
                        shown_before, shown_after = before[field], after
                        if field == "owner":
                            shown_before = (
                                ctx.emails.get(before[field], "") if before[field] else ""
                            )
                            shown_after = ctx.emails.get(after, "") if after else ""
                        changes[field] = [_shown(field, shown_before), _shown(field, shown_after)]
                entry["changes"] = changes
                entry["values"] = {k: _shown(k, v) for k, v in parsed.items()}
                entry["version"] = assessment.version if assessment else None
                if assessment is None:
                    entry["outcome"] = RowOutcome.NEW.value
                elif changes:
                    entry["outcome"] = RowOutcome.CHANGED.value
                else:
                    entry["outcome"] = RowOutcome.UNCHANGED.value
        planned.append(entry)
    return planned


@transaction.atomic
def preview_gap_assessment(
    *, organization: Organization, actor: User, rows, file_name: str
) -> ImportPreview:
    """Store the dry run of a gap-assessment workbook; nothing of the assessment changes."""
    preview = ImportPreview(
        organization=organization,
        kind=ImportKind.GAP_ASSESSMENT,
        file_name=file_name[:200],
        created_by=actor,
        rows=plan_rows(organization, rows),
    )
    preview.full_clean()
    preview.save()
    return preview


@transaction.atomic
def preview_pending(
    *, organization: Organization, actor: User, content: bytes, extension: str, file_name: str
) -> ImportPreview:
    """A preview of a large file, read by the ``preview_read`` task once this commits."""
    from .tasks import read_preview

    preview = ImportPreview(
        organization=organization,
        kind=ImportKind.GAP_ASSESSMENT,
        file_name=file_name[:200],
        created_by=actor,
        state=PreviewState.PENDING,
        progress=0,
        source=content,
        file_format=extension,
    )
    preview.full_clean(exclude=["source"])
    preview.save()
    transaction.on_commit(lambda: read_preview.delay(preview.pk))
    return preview


def preview_read(preview_id: int) -> None:
    """Read and plan a pending preview (the task's body), with its progress saved as it goes."""
    import io

    preview = ImportPreview.objects.filter(pk=preview_id, state=PreviewState.PENDING).first()
    if preview is None:
        return
    extension = preview.file_format

    def progress(share):
        ImportPreview.objects.filter(pk=preview.pk).update(progress=max(5, int(share * 95)))

    try:
        rows = workbook.read(io.BytesIO(bytes(preview.source)), extension)
        ImportPreview.objects.filter(pk=preview.pk).update(progress=5)
        planned = plan_rows(preview.organization, rows, progress=progress)
    except workbook.UnreadableFile as exc:
        ImportPreview.objects.filter(pk=preview.pk).update(
            state=PreviewState.FAILED, error=str(exc), source=None, progress=100
        )
        return
    ImportPreview.objects.filter(pk=preview.pk).update(
        state=PreviewState.READY, rows=planned, source=None, error="", progress=100
    )


@transaction.atomic
def apply_preview(*, preview: ImportPreview, actor: User) -> int:
    """Write every new and changed row of the preview, all or nothing; the count written."""
    locked = ImportPreview.objects.select_for_update().get(pk=preview.pk)
    if locked.applied_at is not None:
        raise ImportRefused(_("This import was already applied."))
    if locked.state != PreviewState.READY:
        raise ImportRefused(_("The file is still being read; apply it once its preview is shown."))
    if locked.refused:
        raise ImportRefused(
            _("Some rows are refused: correct them in the file and upload it again.")
        )
    organization = locked.organization
    rows = [r for r in locked.rows if r["outcome"] != RowOutcome.REFUSED]
    if any(r["outcome"] == RowOutcome.NEW for r in rows):
        services.gap_assessment_start(organization=organization, actor=actor)
    ctx = _Context(organization)
    written = 0
    for row in rows:
        assessment = ctx.assessments.get(ctx.clauses.get(row["key"]))
        expected = row.get("version")
        if assessment is None or (expected is not None and assessment.version != expected):
            raise ImportRefused(_stale(row["key"]))
        if row["outcome"] == RowOutcome.UNCHANGED:
            continue
        values = dict(row["values"])
        if "owner" in values:
            values["owner"] = (
                User.objects.filter(pk=values["owner"]).first() if values["owner"] else None
            )
        if "target_date" in values:
            values["target_date"] = _date(values["target_date"])
        try:
            services.assessment_update(
                assessment=assessment, actor=actor, version=assessment.version, **values
            )
        except versioning.StaleVersion as exc:
            raise ImportRefused(_stale(row["key"])) from exc
        except ValidationError as exc:
            raise ImportRefused(
                _("Line %(line)s: %(errors)s")
                % {"line": row["line"], "errors": " ".join(exc.messages)}
            ) from exc
        written += 1
    locked.applied_at = timezone.now()
    locked.save(update_fields=["applied_at"])
    return written


def _stale(number):
    return _(
        "Clause %(number)s was changed since this preview; nothing was imported. "
        "Upload the file again to see the changes against the current assessment."
    ) % {"number": number}
