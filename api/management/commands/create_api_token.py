"""Print a new personal API token for a verified officer or coordinator (for scripts)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api import services
from core import policy


class Command(BaseCommand):
    help = "Create a personal API token for the user with this email address and print it (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="Created with manage.py")

    def handle(self, *args, email, name, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError("No user has this email address.")
        if not policy.can(user, "api.use"):
            raise CommandError("Only verified officers and coordinators may have API tokens.")
        name = name.strip()[:100] or "Created with manage.py"
        _token, secret = services.create_token(user, name, by_operator=True)
        self.stdout.write(secret)
