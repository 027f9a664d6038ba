"""The notification preference moves to the core (``itsms.NotificationPreference``): every
notification follows it now, not only reminders. Each user's choice is copied, then the
certification table goes."""

from django.db import migrations


def copy_to_core(apps, schema_editor):
    Old = apps.get_model("certification", "NotificationPreference")
    New = apps.get_model("itsms", "NotificationPreference")
    New.objects.bulk_create(
        [New(user_id=p.user_id, channel=p.channel) for p in Old.objects.all()],
        ignore_conflicts=True,
    )


def copy_back(apps, schema_editor):
    Old = apps.get_model("certification", "NotificationPreference")
    New = apps.get_model("itsms", "NotificationPreference")
    Old.objects.bulk_create(
        [Old(user_id=p.user_id, channel=p.channel) for p in New.objects.all()],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0003_stored_cycle_queue_lease_checklist_keys"),
        ("itsms", "0009_notification_preference_user_time_zone"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, copy_back),
        migrations.DeleteModel(name="NotificationPreference"),
    ]
