"""``manage.py export_organization <slug> <path>``: the organisation archive, at once.

The same archive as the page builds through the Celery worker (``itsms.archive.export``).
"""

import shutil

from django.core.management.base import BaseCommand, CommandError

from itsms.archive import export
from itsms.models import Organization


class Command(BaseCommand):
    help = "Write everything of one organisation (rows, history, files) to a signed ZIP."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("path", help="where to write the ZIP")

    def handle(self, *args, slug, path, **options):
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise CommandError(f"No organisation {slug!r}.")

        def progress(done, total):
            if options["verbosity"] > 1:
                self.stderr.write(f"\r{done}/{total}", ending="")

        built = export.build(organization, progress=progress)
        shutil.move(built.path, path)
        self.stdout.write(
            f"{path}: {built.rows} rows, {built.files} files, {built.size} bytes, "
            f"SHA-256 {built.sha256}"
        )
