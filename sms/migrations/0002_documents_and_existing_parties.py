"""The 7.5.4 documents (reference data), and the suppliers list started from the other parties
the gap assessment already names: each (kind, name) an organisation typed becomes a supplier
of the list, and the clauses naming it point at it. The assessments' own fields are kept."""

from django.db import migrations
from django.db.models import Max


def load_documents(apps, schema_editor):
    from sms.reference import load_documents as load

    load(apps.get_model("sms", "DocumentRequirement"), apps.get_model("itsms", "Clause"))


def suppliers_from_assessments(apps, schema_editor):
    ClauseAssessment = apps.get_model("itsms", "ClauseAssessment")
    Supplier = apps.get_model("sms", "Supplier")
    SupplierClause = apps.get_model("sms", "SupplierClause")
    kinds = {"external_supplier", "internal_supplier", "customer"}
    rows = (
        ClauseAssessment.objects.exclude(other_party="")
        .exclude(other_party_name="")
        .order_by("organization_id", "clause__order")
    )
    suppliers = {}
    for row in rows.iterator():
        if row.other_party not in kinds:
            continue
        name = row.other_party_name.strip()
        key = (row.organization_id, row.other_party, name.lower())
        supplier = suppliers.get(key)
        if supplier is None:
            supplier = Supplier.objects.filter(
                organization_id=row.organization_id, kind=row.other_party, title__iexact=name
            ).first()
        if supplier is None:
            top = Supplier.objects.filter(organization_id=row.organization_id).aggregate(
                n=Max("number")
            )["n"]
            supplier = Supplier.objects.create(
                organization_id=row.organization_id,
                number=(top or 0) + 1,
                title=name,
                kind=row.other_party,
                status="active",
                description="",
                links={},
            )
        suppliers[key] = supplier
        if not SupplierClause.objects.filter(assessment_id=row.pk).exists():
            SupplierClause.objects.create(
                organization_id=row.organization_id, supplier=supplier, assessment_id=row.pk
            )


class Migration(migrations.Migration):
    dependencies = [
        ("sms", "0001_registers"),
        ("itsms", "0006_reference_translations"),
    ]

    operations = [
        migrations.RunPython(load_documents, migrations.RunPython.noop),
        migrations.RunPython(suppliers_from_assessments, migrations.RunPython.noop),
    ]
