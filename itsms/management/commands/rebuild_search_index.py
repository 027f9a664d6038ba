from django.core.management.base import BaseCommand, CommandError

from itsms.models import Organization, SearchDocument
from itsms.search import registry, services


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the data (every organisation, or those named): after "
        "bulk imports, an upgrade of jieba, or a change to what a kind indexes."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Organisations to rebuild (default: all).")
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            help="Only this kind (repeatable): " + ", ".join(k.key for k in registry.kinds()),
        )

    def handle(self, *args, slugs=(), kinds=None, **options):
        known = {k.key for k in registry.kinds()}
        unknown = set(kinds or ()) - known
        if unknown:
            raise CommandError(f"Unknown kind(s): {', '.join(sorted(unknown))}")
        organizations = Organization.objects.all()
        if slugs:
            organizations = organizations.filter(slug__in=slugs)
            missing = set(slugs) - set(organizations.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No such organisation: {', '.join(sorted(missing))}")
        # Documents of kinds no longer registered go first.
        SearchDocument.objects.filter(organization__in=organizations).exclude(
            kind__in=known
        ).delete()
        written = services.rebuild(organizations, kinds)
        total = SearchDocument.objects.filter(organization__in=organizations).count()
        summary = ", ".join(f"{kind} {n}" for kind, n in sorted(written.items())) or "nothing"
        self.stdout.write(
            self.style.SUCCESS(f"Search index rebuilt: {summary} written, {total} documents.")
        )
