import factory
from django.utils import timezone

from itsms.models import Invitation, Membership, Organization, Role, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    time_zone = "Asia/Shanghai"
    language = "en"
    scope = "IT services"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.CONTRIBUTOR


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation with a known token: ``factory.token`` after creation is on ``_token``."""

    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.CONTRIBUTOR
    expires_at = factory.LazyFunction(Invitation.default_expiry)
    created_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        token, token_hash = Invitation.new_token()
        obj = super()._create(model_class, *args, token_hash=token_hash, **kwargs)
        obj._token = token
        return obj
