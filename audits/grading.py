"""How findings are graded, in plain words beside the grade choice (from the seed document:
the minor grade has "no significant effect on the system", the observation covers "other
matters the auditee should note")."""

from django.utils.translation import gettext_lazy as _

GRADING_CRITERIA = [
    {
        "grade": "major",
        "label": _("Major nonconformity"),
        "criteria": [
            _("A required control is not implemented or not met."),
            _("A systemic or regional failure."),
            _("Could lead to serious consequences."),
        ],
    },
    {
        "grade": "minor",
        "label": _("Minor nonconformity"),
        "criteria": [
            _("An isolated human error."),
            _("A document occasionally not followed, with limited consequence."),
            _("No significant effect on the system."),
        ],
    },
    {
        "grade": "observation",
        "label": _("Observation"),
        "criteria": [
            _("Evidence slightly insufficient."),
            _("A problem that could become a nonconformity."),
            _("Other matters the auditee should note."),
        ],
    },
    {
        "grade": "ofi",
        "label": _("Opportunity for improvement"),
        "criteria": [_("No requirement is breached; a way to do better.")],
    },
]

#: Stage 1 only: what could become a nonconformity at stage 2 (ISO/IEC 17021-1 §9.3.1.2).
CONCERN_CRITERIA = {
    "grade": "concern",
    "label": _("Area of concern"),
    "criteria": [
        _("Found at stage 1: could become a nonconformity at stage 2."),
        _("To be resolved before stage 2."),
    ],
}


def criteria_for(audit) -> list[dict]:
    """The criteria shown beside the grade choice of this audit's findings."""
    if audit is not None and audit.kind == "stage1":
        return [*GRADING_CRITERIA, CONCERN_CRITERIA]
    return GRADING_CRITERIA
