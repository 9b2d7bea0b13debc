"""Print the current TOTP code of a demo account, for trying the demo without an app."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from demo.people import stored_totp_secret


class Command(BaseCommand):
    help = "Print the current 6-digit TOTP code of a demo account (DEBUG only, demo accounts only)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="Email address of a demo account (see seed_demo's output).")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code runs only when DEBUG is on (DEBUG=1).")
        user = User.objects.filter(email__iexact=email.strip(), is_demo=True).first()
        if user is None:
            raise CommandError(f"{email} is not a demo account. demo_code only helps with demo accounts.")
        try:
            secret = stored_totp_secret(user)
        except ValueError as exc:
            raise CommandError(
                "The stored TOTP secret cannot be decrypted: FIELD_ENCRYPTION_KEY/SECRET_KEY changed "
                "since seed_demo ran."
            ) from exc
        if secret is None:
            raise CommandError(f"{email} has no authenticator app set up.")
        period = mfa_settings.TOTP_PERIOD
        now = time.time()
        self.stdout.write(format_hotp_value(hotp_value(secret, int(now) // period)))
        remaining = period - int(now) % period
        self.stderr.write(f"Valid for {remaining} more seconds; each code works once.")
