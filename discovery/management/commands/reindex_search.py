"""Write the search text of every published tool again (after an upgrade of the tokeniser)."""

from django.core.management.base import BaseCommand

from discovery import search


class Command(BaseCommand):
    help = "Write the free-text search index of every published tool again."

    def handle(self, *args, **options):
        count = search.reindex_published()
        self.stdout.write(f"{count} published tools indexed.")
