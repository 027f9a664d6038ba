"""Never a blind overwrite: the one rule of every versioned object.

A versioned model (``version``: a whole number, 1 when created) is changed only by a service
that locks the row and calls ``claim(locked, version)`` with the version the editor loaded:

- the version is **required** from an editor (API and pages pass what the request carried,
  ``None`` when it carried nothing): without it the answer is 400, ``{"version": [...]}``;
- a version other than the stored one raises ``StaleVersion`` carrying the row as stored: the
  API answers 409 with ``current`` (the object's present values, ``itsms.shared.exceptions``),
  a page answers 409 with the form as typed and the stored values beside it
  (``conflicting_values``);
- otherwise the version goes up by one and the service saves.

A write made by the product itself (a bulk assignment, the demo seed, a state change following
from another write) passes nothing: ``version=ANY``, the default of the services.

Versioned: clause assessments, processes, audits, findings, corrective actions, evidence
(``tests/test_versioning.py`` finds every model with a ``version`` field and checks its API
and page writes).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class _Any:
    def __repr__(self):
        return "ANY"


#: "No check": a write the product makes itself, not an editor's.
ANY = _Any()

VERSION_REQUIRED = gettext_lazy(
    "Send the version you loaded (“version”), so that nobody's change is overwritten; "
    "reload to get it."
)
VERSION_INVALID = gettext_lazy("A version is a whole number, as loaded.")


class StaleVersion(Exception):
    """Someone saved since the editor loaded the object; nothing was changed.

    ``current`` is the object as stored now.
    """

    def __init__(self, current, what=None, message=None):
        self.current = current
        if callable(message):
            message = message()
        super().__init__(
            message
            or _(
                "%(what)s was changed by someone else since you opened it; nothing was "
                "overwritten. Reload to see their change."
            )
            % {"what": what if what is not None else current}
        )


def check(locked, version, what=None, message=None) -> None:
    """Raise unless ``version`` (what the editor loaded) is the stored one; ``ANY`` passes.

    ``what`` names the object in the message (its ``str()`` by default); ``message`` replaces
    the message."""
    if version is ANY:
        return
    if version is None or version == "":
        raise ValidationError({"version": VERSION_REQUIRED}, code="required")
    try:
        loaded = int(version)
    except (TypeError, ValueError):
        raise ValidationError({"version": VERSION_INVALID}, code="invalid") from None
    if loaded != locked.version:
        raise StaleVersion(locked, what, message)


def claim(locked, version, what=None, message=None) -> None:
    """``check``, then take the next version (the caller saves ``locked``)."""
    check(locked, version, what, message)
    locked.version += 1


def conflicting_values(form, current) -> list[dict]:
    """For a page's 409: each field whose stored value differs from what was typed."""
    rows = []
    if not form.is_bound:
        return rows
    for name, field in form.fields.items():
        if name == "version" or field.widget.is_hidden:
            continue
        typed = form.data.get(form.add_prefix(name), "")
        stored = field.prepare_value(getattr(current, name, None))
        if hasattr(stored, "all"):
            continue
        shown = "" if stored is None else str(stored)
        if shown != str(typed):
            display = getattr(current, f"get_{name}_display", None)
            value = getattr(current, name, None)
            rows.append(
                {
                    "label": field.label,
                    "stored": display() if display else ("—" if value in (None, "") else value),
                }
            )
    return rows


def stale_form(form, stale: StaleVersion) -> dict:
    """A page's answer to a stale save (409): the form keeps what was typed, says what happened,
    lists the values stored meanwhile (``partials/conflict.html``) and now carries the stored
    version, so that saving again is a decision made with the other change in view."""
    form.add_error(None, str(stale))
    conflicts = conflicting_values(form, stale.current)
    if "version" in form.fields:
        data = form.data.copy()
        data[form.add_prefix("version")] = stale.current.version
        form.data = data
    return {"conflicts": conflicts}
