"""Write the database and the uploaded files into one archive (README, Backups)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.archive import BackupError, make_backup, size


class Command(BaseCommand):
    help = "Back up the database and the files under MEDIA_ROOT into one archive: backup FILE.tar.gz"

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive to write (a .tar.gz file outside MEDIA_ROOT).")
        parser.add_argument("--force", action="store_true", help="Replace FILE if it exists.")

    def handle(self, *args, file, force, **options):
        try:
            summary = make_backup(Path(file), force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(summary.tables.values())
        self.stdout.write(
            f"Database: {summary.database}: {len(summary.tables)} tables, {rows:,} rows, "
            f"copy of {size(summary.database_bytes)}."
        )
        self.stdout.write(f"Files: {summary.media_files:,} under {summary.media_root}, {size(summary.media_bytes)}.")
        for name in summary.skipped:
            self.stderr.write(f"Not a plain file, left out: {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {summary.path} ({size(summary.archive_bytes)}, readable by its owner only) and recorded "
                "“backup made” in the audit log. Keep it encrypted and away from the hub's servers."
            )
        )
