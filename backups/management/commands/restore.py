"""Replace the database and the uploaded files with an archive's (README, Backups)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.archive import ENGINE_NAMES, BackupError, plural, restore_backup, size


class Command(BaseCommand):
    help = (
        "Restore the database and the files under MEDIA_ROOT from an archive made by `backup`: restore FILE.tar.gz. "
        "Stop the app servers and workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="An archive made by manage.py backup.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database or MEDIA_ROOT that is not empty (everything in them is lost).",
        )

    def handle(self, *args, file, force, **options):
        try:
            summary = restore_backup(Path(file), force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = summary.manifest
        rows = sum(summary.tables.values())
        self.stdout.write(
            f"Archive: made {manifest['created_at']} by SaferHub {manifest.get('app_version', 'unknown')} "
            f"from {ENGINE_NAMES[manifest['database']['engine']]}."
        )
        self.stdout.write(
            f"Database: {summary.database}: {len(summary.tables)} tables, {rows:,} rows restored, "
            "each table's count checked against the archive."
        )
        removed = (
            f" (after removing the {plural(summary.removed_files, 'file')} found there)"
            if summary.removed_files
            else ""
        )
        self.stdout.write(
            f"Files: {summary.media_files:,} restored into {summary.media_root}, {size(summary.media_bytes)}{removed}."
        )
        if summary.audit_recorded:
            self.stdout.write(
                "Audit log: as it was when the backup was made; “restored from a backup” recorded after it."
            )
        else:
            self.stdout.write(
                "Audit log: as it was when the backup was made. The archive predates this code's audit table, "
                "so the restore itself could not be recorded in it."
            )
        if not summary.cache_cleared:
            self.stderr.write("The cache could not be cleared: clear it by hand (it describes the replaced database).")
        if summary.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The archive predates {len(summary.pending_migrations)} migration(s) of this code: "
                    "run manage.py migrate before starting the hub."
                )
            )
        self.stdout.write(self.style.SUCCESS("Restore complete. Start the app servers and workers again."))
