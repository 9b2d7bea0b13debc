"""Create the fictitious demo data set and print how to sign in as each demo account."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import data
from demo.catalogue import summary as catalogue_summary
from demo.people import DemoError
from demo.seed import seed


class Command(BaseCommand):
    help = (
        "Create demo coordinators, officers, provider organisations, demo terms and a demo catalogue of "
        "fictitious tools (idempotent). "
        "Runs only with DEBUG on, or with --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--accounts-json", metavar="PATH", help="Also write the demo accounts to PATH as JSON.")
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (never on a production hub)."
        )

    def handle(self, *args, accounts_json=None, force=False, **options):
        if not (settings.DEBUG or force):
            raise CommandError(
                "seed_demo creates accounts with a published password. It runs only when DEBUG is on "
                "(DEBUG=1) or with --force; never use it on a production hub."
            )
        try:
            accounts = seed()
        except DemoError as exc:
            raise CommandError(str(exc)) from exc

        rows = [("EMAIL", "ROLE", "ORGANISATION", "PASSWORD", "TOTP SECRET")]
        rows += [(a.email, a.role, a.organisation or "-", a.password, a.totp_secret) for a in accounts]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(accounts)} demo accounts."))
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        self.stdout.write(catalogue_summary())
        self.stdout.write(
            "Sign in with the email and password above; for the second factor add the TOTP secret to an "
            "authenticator app, or run: DEBUG=1 python manage.py demo_code EMAIL"
        )

        if accounts_json:
            listed = [a.as_json() for a in accounts if a.role in data.JSON_ROLES]
            path = Path(accounts_json)
            try:
                path.write_text(json.dumps(listed, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot write {path}: {exc}") from exc
            self.stdout.write(f"Wrote {len(listed)} demo accounts to {path}.")
