"""How findings are graded, in plain words beside the grade choice (from the seed document)."""

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
        ],
    },
    {
        "grade": "observation",
        "label": _("Observation"),
        "criteria": [
            _("Evidence slightly insufficient."),
            _("A problem that could become a nonconformity."),
        ],
    },
    {
        "grade": "ofi",
        "label": _("Opportunity for improvement"),
        "criteria": [_("No requirement is breached; a way to do better.")],
    },
]
