"""``manage.py import_organization <zip>``: import an organisation archive (site admins).

Checks the archive (signature by this instance's key or one given with ``--trust-key``, every
file's SHA-256, the format and the columns), then imports it in one transaction as a new
organisation: people matched by email or created without a password, clauses matched by
standard code and number, every id remapped. ``--slug``/``--name`` import it under another
address, e.g. a copy beside the original.
"""

from django.core.management.base import BaseCommand, CommandError

from itsms.archive.restore import ArchiveRefused, restore
from itsms.shared import signing


class Command(BaseCommand):
    help = "Import an organisation archive as a new organisation."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive (ZIP)")
        parser.add_argument("--slug", help="the new organisation's slug (default: the archived)")
        parser.add_argument("--name", help="the new organisation's name (default: the archived)")
        parser.add_argument(
            "--trust-key",
            action="append",
            default=[],
            metavar="FINGERPRINT",
            help="the signing key of the instance the archive comes from (its fingerprint)",
        )

    def handle(self, *args, path, slug, name, trust_key, **options):
        log = self.stdout.write if options["verbosity"] > 1 else None
        try:
            restored = restore(
                path,
                slug=slug,
                name=name,
                trusted_key_ids={signing.key_id(), *trust_key},
                log=log,
            )
        except ArchiveRefused as exc:
            raise CommandError(f"{exc} [{exc.code}]") from exc
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        organization = restored.organization
        for warning in restored.warnings:
            self.stdout.write(self.style.WARNING(warning))
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {organization.name} as /o/{organization.slug}/: {restored.rows} rows, "
                f"{restored.history} history rows, {restored.files} files; people: "
                f"{restored.users_matched} matched, {restored.users_created} created"
            )
        )
