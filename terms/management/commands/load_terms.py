"""Load one version of a terms document from a Markdown or text file."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from terms.models import Audience, TermsDocument
from terms.services import load_terms


class Command(BaseCommand):
    help = "Load a terms document version: load_terms --audience providers --version 1.0 --effective 2022-06-01 FILE"

    def create_parser(self, prog_name, subcommand, **kwargs):
        # `--version` names the document's version here, not Django's.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help="Markdown or text file (UTF-8).")
        parser.add_argument("--audience", required=True, choices=Audience.values)
        parser.add_argument("--version", required=True, dest="doc_version")
        parser.add_argument("--effective", required=True, help="Date it takes effect, YYYY-MM-DD.")
        parser.add_argument("--title", help="Title shown to users (default: the file's first line).")
        parser.add_argument(
            "--summary", default="", help="Summary of changes since the previous version (required after the first)."
        )

    def handle(self, *args, file, audience, doc_version, effective, title=None, summary="", **options):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        if not text.strip():
            raise CommandError(f"{file} is empty.")
        try:
            effective_from = datetime.date.fromisoformat(effective)
        except ValueError as exc:
            raise CommandError("--effective must be a date like 2022-06-01.") from exc
        if not title:
            first = next((line.strip() for line in text.splitlines() if line.strip()), "")
            title = first.lstrip("# ").strip()[:200] or f"{audience} {doc_version}"
        if (
            not summary.strip()
            and TermsDocument.objects.filter(audience=audience).exclude(version=doc_version).exists()
        ):
            raise CommandError("--summary is required: say what changed since the previous version.")
        try:
            document = load_terms(
                audience=audience,
                version=doc_version,
                effective_from=effective_from,
                title=title,
                body=text,
                summary=summary,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {document} ({len(text)} characters), effective {effective_from}.")
        )
