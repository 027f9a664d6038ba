"""Make an API token for a user and print its key (scripts, CI's fuzzing, a developer's shell)."""

from django.core.management.base import BaseCommand, CommandError

from itsms.accounts import tokens
from itsms.models import User


class Command(BaseCommand):
    help = "Create a named, expiring API token for the user with this email; print the key."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="command line")
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, email, name, days, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with the email {email}.")
        _token, key = tokens.api_token_create(user=user, name=name, days=days)
        self.stdout.write(key)
