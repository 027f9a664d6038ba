"""The seed's checklist of the six certification steps, as translation keys.

Each item has a key ("1.5" = step 1, item 5). Rows store the key and the English text; an item
whose text is still the seed's shows in the reader's language (``label``); an item a user
wrote or edited shows as written. The wording of 1.5, 1.8, 1.9 and 2.4 completes the seed as
issue 12 asks.
"""

from django.utils.translation import gettext, gettext_noop

SEED: dict[str, str] = {
    "1.1": gettext_noop("Purpose of the certification agreed"),
    "1.2": gettext_noop("Scope of the service management system defined"),
    "1.3": gettext_noop("Vision and order of improvement set"),
    "1.4": gettext_noop("Interested parties and expected benefits identified"),
    "1.5": gettext_noop(
        "Understanding of ISO/IEC 20000-1:2018 built in the team: every requirement of "
        "clauses 4–10 applies (none may be excluded), and how the stage 1, stage 2 and "
        "surveillance audits work"
    ),
    "1.6": gettext_noop("Lessons learnt from similar organisations and consultants collected"),
    "1.7": gettext_noop("Top-management support secured"),
    "1.8": gettext_noop(
        "ITIL / ISO/IEC 20000 knowledge in the team assessed, and training given where it "
        "falls short (awareness for everyone, process owners, internal auditors)"
    ),
    "1.9": gettext_noop(
        "Certification body chosen: accredited for ISO/IEC 20000-1, its rules known "
        "(response window for nonconformities, recertification lead time) and the audit "
        "dates agreed"
    ),
    "2.1": gettext_noop("Gap analysis done (see the gap assessment)"),
    "2.2": gettext_noop("Overall plan agreed"),
    "2.3": gettext_noop("Commitment of management and owners confirmed"),
    "2.4": gettext_noop(
        "Risks of the certification process managed (schedule, resources, scope changes, "
        "readiness for the audit)"
    ),
    "3.1": gettext_noop("Service improvement plan set up as PDCA cycles"),
    "3.2": gettext_noop("Detailed assessment of each process done"),
    "3.3": gettext_noop("Policies, processes and procedures written"),
    "3.4": gettext_noop("Processes implemented"),
    "3.5": gettext_noop("Improvements made"),
    "3.6": gettext_noop("Periodic review held"),
    "4.1": gettext_noop("Internal audit held"),
    "4.2": gettext_noop("Certification audit booked with the certification body"),
    "4.3": gettext_noop("Audit scope agreed"),
    "4.4": gettext_noop("Evidence prepared for the auditors"),
    "5.1": gettext_noop("Stage 1 audit held"),
    "5.2": gettext_noop("Stage 2 audit held"),
    "5.3": gettext_noop("Closing meeting held"),
    "5.4": gettext_noop("Responses to nonconformities submitted within six weeks"),
    "6.1": gettext_noop("Surveillance audits planned every year"),
    "6.2": gettext_noop("Recertification planned before expiry"),
    "6.3": gettext_noop("Continual improvement of the SMS kept up"),
}

#: The earlier English wording of items whose text the seed completes (existing rows that
#: still read so are moved to the new wording by migration 0003).
PREVIOUS_TEXT: dict[str, str] = {
    "1.5": "Understanding of ISO/IEC 20000-1:2018 built in the team",
    "1.8": "ITIL / ISO/IEC 20000 knowledge in the team assessed and trained",
    "1.9": "Certification body chosen",
}


def step_of(key: str) -> int:
    return int(key.split(".")[0])


def order_of(key: str) -> int:
    return int(key.split(".")[1])


def label(key: str, text: str) -> str:
    """The item's text in the active language: the seed's translation while unchanged."""
    seed = SEED.get(key or "")
    return gettext(seed) if seed is not None and text == seed else text
