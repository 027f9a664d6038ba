from django.core.management.base import BaseCommand
from django.db import transaction

from itsms.standards.reference import load_reference_data


class Command(BaseCommand):
    help = "Reload the shipped reference data (standards, clause trees, correlations)."

    def handle(self, *args, **options):
        with transaction.atomic():
            load_reference_data()
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
