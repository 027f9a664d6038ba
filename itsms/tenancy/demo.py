"""Demo organisations and one user per role (the embedded mode's seed; see ``seed_demo``)."""

from itsms.models import Role

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
    # The certification body's lead auditor: no member of the bank; ``seed_demo`` assigns her
    # to the stage 2 audit only, and she reads the bank exactly while that assignment lasts.
    ("chen@huaxin.example", "Chen Jing", {}),
    # The bank's internal auditor: a member with the auditor role.
    ("sun@ehbank.example", "Sun Hui", {"eastern-harbour-bank": Role.AUDITOR}),
    ("zhou@ehbank.example", "Zhou Min", {"eastern-harbour-bank": Role.VIEWER}),
]
SITE_ADMIN = "admin@workbench.example"


def seed_core() -> int:
    """Organisations, users and memberships; returns how many rows were created."""
    from itsms.models import Membership, Organization, User

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
    if not User.objects.filter(email=SITE_ADMIN).exists():
        User.objects.create_superuser(
            email=SITE_ADMIN, password=DEMO_PASSWORD, full_name="Site admin"
        )
        created += 1
    return created
