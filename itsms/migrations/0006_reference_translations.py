"""Clause headings, guidance and notes stored per language; research notes apart; the
"What changed in 2018" reference data; new-in-2018 flags from the curated list.

The final step loads the reference data again, which also corrects databases loaded
before: the new-in-2018 flags follow ``new_in_2018_without_2011_predecessor`` of the
shared reference instead of being inferred from the correlation.
"""

from django.db import migrations, models


def load(apps, schema_editor):
    from itsms.standards.reference import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("itsms", "0005_readiness_snapshot")]

    operations = [
        migrations.RenameField("clause", "title", "title_en"),
        migrations.RenameField("clause", "guidance", "guidance_en"),
        migrations.RenameField("clause", "note", "note_en"),
        migrations.RenameField("clausecorrelation", "note", "note_en"),
        migrations.AddField(
            model_name='clause',
            name='note_zh_hans',
            field=models.TextField(blank=True, verbose_name='note (Simplified Chinese)'),
        ),
        migrations.AddField(
            model_name='clause',
            name='research_note',
            field=models.TextField(blank=True, help_text='How the heading was sourced. Internal: never shown on pages or in the API.', verbose_name='research note'),
        ),
        migrations.AddField(
            model_name='clause',
            name='title_zh_hans',
            field=models.CharField(blank=True, help_text="This project's own translation of the heading.", max_length=200, verbose_name='title (Simplified Chinese)'),
        ),
        migrations.AddField(
            model_name='clausecorrelation',
            name='note_zh_hans',
            field=models.TextField(blank=True, verbose_name='note (Simplified Chinese)'),
        ),
        migrations.AddField(
            model_name='clausecorrelation',
            name='research_note',
            field=models.TextField(blank=True, help_text="The crosswalk's own remarks. Internal: never shown on pages or in the API.", verbose_name='research note'),
        ),
        migrations.AlterField(
            model_name='clausecorrelation',
            name='relation',
            field=models.CharField(blank=True, choices=[('same', 'same clause'), ('same-topic', 'same topic, not subdivided there'), ('partial', 'overlaps in part'), ('different-number', 'same topic under another number')], max_length=40, verbose_name='relation'),
        ),
        migrations.CreateModel(
            name='EditionChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.SlugField(max_length=60, unique=True, verbose_name='key')),
                ('topic', models.CharField(choices=[('structure', 'Structure'), ('terminology', 'Terminology'), ('documented-information', 'Less mandatory documented information'), ('separated', 'Clauses separated'), ('portfolio', 'The service portfolio'), ('new', 'New areas')], max_length=30, verbose_name='topic')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('title_en', models.CharField(max_length=200, verbose_name='title')),
                ('title_zh_hans', models.CharField(blank=True, max_length=200, verbose_name='title (Simplified Chinese)')),
                ('summary_en', models.TextField(verbose_name='summary')),
                ('summary_zh_hans', models.TextField(blank=True, verbose_name='summary (Simplified Chinese)')),
                ('clauses', models.ManyToManyField(blank=True, related_name='edition_changes', to='itsms.clause', verbose_name='clauses')),
            ],
            options={
                'verbose_name': 'change in the 2018 edition',
                'verbose_name_plural': 'changes in the 2018 edition',
                'ordering': ['order'],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
