"""The lost-factor path from the command line: when the site admin themself lost their
authenticator (and so cannot open /admin/), or for scripted support."""

from django.core.management.base import BaseCommand, CommandError

from itsms.accounts.services import second_factors_reset
from itsms.models import User


class Command(BaseCommand):
    help = "Remove every second factor of a user (lost phone or key); they set up a new one."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the email address {email}.")
        removed = second_factors_reset(user=user, actor=user)
        self.stdout.write(f"Removed {removed} second factors of {user.email}; sessions ended.")
