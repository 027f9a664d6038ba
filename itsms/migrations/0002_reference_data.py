"""Load the clause trees and correlations shipped in itsms/standards/reference/ (idempotent)."""

from django.db import migrations


def load(apps, schema_editor):
    from itsms.standards.reference import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("itsms", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
