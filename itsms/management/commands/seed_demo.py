"""Demo data for the embedded mode: idempotent (a second run adds nothing)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from itsms.models import Membership, Organization, Role, User

DEMO_PASSWORD = "Workbench-demo-2026"  # noqa: S105 (printed on start; embedded mode only)

ORGANIZATIONS = [
    {
        "slug": "eastern-harbour-bank",
        "name": "Eastern Harbour Bank",
        "time_zone": "Asia/Shanghai",
        "language": "zh-hans",
        "scope": "IT services supporting retail banking, Shanghai data centre",
    },
    {
        "slug": "meridian-logistics",
        "name": "Meridian Logistics",
        "time_zone": "Europe/Berlin",
        "language": "en",
        "scope": "Managed IT services for warehouse and fleet systems, Hamburg and Rotterdam",
    },
]

USERS = [
    # email, full name, {org slug: role}
    (
        "li@northbridge.example",
        "Li Na",
        {"eastern-harbour-bank": Role.CONSULTANT, "meridian-logistics": Role.CONSULTANT},
    ),
    ("wang@ehbank.example", "Wang Wei", {"eastern-harbour-bank": Role.ADMIN}),
    ("zhao@ehbank.example", "Zhao Lei", {"eastern-harbour-bank": Role.CONTRIBUTOR}),
    ("chen@huaxin.example", "Chen Jing", {"eastern-harbour-bank": Role.AUDITOR}),
    ("zhou@ehbank.example", "Zhou Min", {"eastern-harbour-bank": Role.VIEWER}),
]


class Command(BaseCommand):
    help = "Create the demo organisations and one user per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true")

    @transaction.atomic
    def handle(self, *args, quiet=False, **options):
        created = 0
        orgs = {}
        for data in ORGANIZATIONS:
            org, was_created = Organization.objects.get_or_create(
                slug=data["slug"], defaults={k: v for k, v in data.items() if k != "slug"}
            )
            orgs[org.slug] = org
            created += was_created
        for email, name, roles in USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
                created += 1
            for slug, role in roles.items():
                _, was_created = Membership.objects.get_or_create(
                    organization=orgs[slug], user=user, defaults={"role": role}
                )
                created += was_created
        if not User.objects.filter(email="admin@workbench.example").exists():
            User.objects.create_superuser(
                email="admin@workbench.example", password=DEMO_PASSWORD, full_name="Site admin"
            )
            created += 1
        if not quiet:
            self.stdout.write(f"Demo data: {created} rows created.")
