"""django-rest-knox's own token table is never used: the product's tokens are
``itsms.ApiToken`` (``KNOX_TOKEN_MODEL``), yet knox's first migration creates ``knox_authtoken``
with a foreign key to the users. On PostgreSQL that key stops the test database being flushed
(TRUNCATE of the users refused), and an empty table helps nobody: it is dropped."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("itsms", "0015_evidence_review_by_index"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP TABLE IF EXISTS knox_authtoken", reverse_sql=migrations.RunSQL.noop
        ),
    ]
