"""The seed's checklist of the six certification steps (site admins can edit it later)."""

from django.db import migrations

ITEMS = {
    1: [
        "Purpose of the certification agreed",
        "Scope of the service management system defined",
        "Vision and order of improvement set",
        "Interested parties and expected benefits identified",
        "Understanding of ISO/IEC 20000-1:2018 built in the team",
        "Lessons learnt from similar organisations and consultants collected",
        "Top-management support secured",
        "ITIL / ISO/IEC 20000 knowledge in the team assessed and trained",
        "Certification body chosen",
    ],
    2: [
        "Gap analysis done (see the gap assessment)",
        "Overall plan agreed",
        "Commitment of management and owners confirmed",
    ],
    3: [
        "Service improvement plan set up as PDCA cycles",
        "Detailed assessment of each process done",
        "Policies, processes and procedures written",
        "Processes implemented",
        "Improvements made",
        "Periodic review held",
    ],
    4: [
        "Internal audit held",
        "Certification audit booked with the certification body",
        "Audit scope agreed",
        "Evidence prepared for the auditors",
    ],
    5: [
        "Stage 1 audit held",
        "Stage 2 audit held",
        "Closing meeting held",
        "Responses to nonconformities submitted within six weeks",
    ],
    6: [
        "Surveillance audits planned every year",
        "Recertification planned before expiry",
        "Continual improvement of the SMS kept up",
    ],
}


def seed(apps, schema_editor):
    _seed(apps.get_model("certification", "ChecklistTemplateItem"))


def _seed(Item):
    if Item.objects.exists():
        return
    Item.objects.bulk_create(
        Item(step=step, text=text, order=i) for step, texts in ITEMS.items()
        for i, text in enumerate(texts, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
