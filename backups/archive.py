"""One archive holds a whole hub: its database and the files under MEDIA_ROOT (README "Backups").

An archive is a gzip-compressed tar file (`tar -tzf` lists it):

    manifest.json      what it holds; first, so a restore checks it before it changes anything
    database.sqlite3   SQLite: a copy made with SQLite's online backup API, consistent while the hub runs
    database.pgdump    PostgreSQL: `pg_dump --format=custom`, read from the snapshot the row counts come from
    media/<path>       every file under MEDIA_ROOT

The database is copied before the files, so every file the copy names is in the archive (unless
it was deleted in between). The manifest counts the rows of every table and lists every file
with its size; a restore checks what it restored against both.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from audit.models import Action
from audit.services import record

FORMAT = "saferhub-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024

SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
POSTGRESQL_TABLES = (
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
)
MIGRATIONS = "SELECT app, name FROM django_migrations"


class BackupError(Exception):
    """Why a backup or a restore cannot go on; the commands print it as it is."""


@dataclass
class BackupSummary:
    path: Path
    archive_bytes: int
    engine: str
    database: str
    database_bytes: int
    tables: dict[str, int]
    media_root: Path
    media_files: int
    media_bytes: int
    skipped: list[str] = field(default_factory=list)


@dataclass
class RestoreSummary:
    manifest: dict
    database: str
    tables: dict[str, int]
    media_root: Path
    media_files: int
    media_bytes: int
    removed_files: int
    pending_migrations: list[str]
    audit_recorded: bool
    cache_cleared: bool


# --- helpers shared by both directions ------------------------------------------------------
def engine() -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support SQLite and PostgreSQL; this database is {connection.vendor}.")
    return connection.vendor


def database_label() -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        return f'PostgreSQL database "{settings_dict["NAME"]}" on {settings_dict.get("HOST") or "the local socket"}'
    return f"SQLite database {settings_dict['NAME']}"


def app_version() -> str:
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def size(count: int) -> str:
    """A byte count as people read it, with the exact figure."""
    value, unit = float(count), "bytes"
    for larger in ("KB", "MB", "GB", "TB"):
        if value < 1024:
            break
        value, unit = value / 1024, larger
    return f"{count:,} bytes" if unit == "bytes" else f"{value:.1f} {unit} ({count:,} bytes)"


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _counts(cursor, tables_query: str, quote) -> dict[str, int]:
    """Rows per table, through a DB-API cursor (of the copy, the snapshot or the restored database)."""
    cursor.execute(tables_query)
    tables = sorted(row[0] for row in cursor.fetchall())
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names read from the catalogue, quoted
        counts[table] = cursor.fetchone()[0]
    return counts


def _live_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _counts(cursor, POSTGRESQL_TABLES, connection.ops.quote_name)
        return _counts(cursor, SQLITE_TABLES, _quote_sqlite)


def _client_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on the PATH. Install the PostgreSQL client tools of the server's major version "
            f"(Debian: apt-get install postgresql-client), or back up with pg_dump/pg_restore by hand (README, Backups)."
        )
    return path


def _postgresql_command(tool: str, *options: str) -> tuple[list[str], dict[str, str]]:
    """`tool` with the connection of DATABASES["default"]: password and SSL settings go through
    libpq's environment (as Django's own `dbshell` passes them), never on the command line."""
    settings_dict = connection.settings_dict
    _args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    command = [_client_tool(tool), "--no-password", *options]
    for flag, key in (("--username", "USER"), ("--host", "HOST"), ("--port", "PORT")):
        if settings_dict.get(key):
            command.append(f"{flag}={settings_dict[key]}")
    if settings_dict.get("NAME"):
        command.append(f"--dbname={settings_dict['NAME']}")
    return command, {**os.environ, **(env or {})}


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our own arguments, no shell
    except OSError as exc:
        raise BackupError(f"Could not run {command[0]}: {exc}") from exc
    if result.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed (exit {result.returncode}):\n{result.stderr.strip()[-3000:]}"
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> tuple[list[tuple[Path, str, int]], list[str]]:
    """(regular files under `root` as (path, name in the archive, size), what was left out)."""
    files, skipped = [], []
    if not root.is_dir():
        return files, skipped
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_symlink() or not (path.is_dir() or path.is_file()):
            # Uploads are plain files; a link could point anywhere, so it is named, not followed.
            skipped.append(relative)
        elif path.is_file():
            files.append((path, relative, path.stat().st_size))
    return files, skipped


def _files_under(root: Path) -> int:
    return sum(1 for path in root.rglob("*") if not path.is_dir()) if root.is_dir() else 0


# --- backup ---------------------------------------------------------------------------------
def _copy_sqlite(dest: Path) -> tuple[dict[str, int], list[list[str]]]:
    connection.ensure_connection()
    copy = sqlite3.connect(dest)
    try:
        # One step (the default): the copy is the database at one moment, even while the hub writes.
        connection.connection.backup(copy)
        cursor = copy.cursor()
        tables = _counts(cursor, SQLITE_TABLES, _quote_sqlite)
        cursor.execute(MIGRATIONS)
        return tables, sorted([app, name] for app, name in cursor.fetchall())
    finally:
        copy.close()


def _copy_postgresql(dest: Path) -> tuple[dict[str, int], list[list[str]]]:
    command, env = _postgresql_command("pg_dump", "--format=custom", f"--file={dest}")
    if connection.in_atomic_block:
        raise BackupError("A backup cannot run inside a database transaction.")
    with transaction.atomic(), connection.cursor() as cursor:
        # pg_dump reads the snapshot this transaction exports, so the counts and migrations in the
        # manifest describe exactly the dumped data, while the hub goes on writing.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = _counts(cursor, POSTGRESQL_TABLES, connection.ops.quote_name)
        cursor.execute(MIGRATIONS)
        migrations = sorted([app, name] for app, name in cursor.fetchall())
        _run([*command, f"--snapshot={snapshot}"], env)
    return tables, migrations


def _tar_member(name: str, data: bytes) -> tuple[tarfile.TarInfo, io.BytesIO]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    return info, io.BytesIO(data)


def make_backup(target: Path, *, force: bool = False) -> BackupSummary:
    """Write the database and MEDIA_ROOT into the archive `target`; records "backup made" in the audit log."""
    vendor = engine()
    target = target.expanduser().absolute()
    media_root = Path(settings.MEDIA_ROOT).absolute()
    if target.is_relative_to(media_root):
        raise BackupError(f"{target} is inside MEDIA_ROOT ({media_root}): the archive would hold a copy of itself.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    if target.exists() and not force:
        raise BackupError(f"{target} exists already. Choose another name, or replace it with --force.")
    member = DATABASE_MEMBERS[vendor]
    try:
        # Next to the archive, so the database copy is on a disk with room for the archive.
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".saferhub-backup-") as work:
            copy = Path(work) / member
            tables, migrations = _copy_sqlite(copy) if vendor == "sqlite" else _copy_postgresql(copy)
            media, skipped = _media_files(media_root)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "app_version": app_version(),
                "database": {
                    "engine": vendor,
                    "member": member,
                    "bytes": copy.stat().st_size,
                    "sha256": _sha256(copy),
                    "tables": tables,
                },
                "migrations": migrations,
                "media": [{"path": name, "bytes": length} for _path, name, length in media],
            }
            partial = target.with_name(target.name + ".partial")
            try:
                # Owner-only: the archive holds everyone's personal data and password hashes. A new
                # file, so a leftover of a crashed run cannot lend it its wider permissions.
                partial.unlink(missing_ok=True)
                descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "wb") as raw:
                    with tarfile.open(fileobj=raw, mode="w:gz") as tar:
                        tar.addfile(*_tar_member(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode()))
                        tar.add(copy, arcname=member, recursive=False)
                        for path, name, _length in media:
                            tar.add(path, arcname=MEDIA_PREFIX + name, recursive=False)
                    raw.flush()
                    os.fsync(raw.fileno())
                os.replace(partial, target)
            finally:
                partial.unlink(missing_ok=True)
    except (OSError, sqlite3.Error, tarfile.TarError, DatabaseError) as exc:
        raise BackupError(f"The backup was not written: {exc}") from exc
    summary = BackupSummary(
        path=target,
        archive_bytes=target.stat().st_size,
        engine=vendor,
        database=database_label(),
        database_bytes=manifest["database"]["bytes"],
        tables=tables,
        media_root=media_root,
        media_files=len(media),
        media_bytes=sum(length for _path, _name, length in media),
        skipped=skipped,
    )
    # Recorded once the archive exists, so the log never claims a backup that failed; the archive
    # itself therefore ends just before this event.
    record(
        Action.BACKUP_MADE,
        target_label=target.name,
        after={
            "archive": target.name,
            "bytes": summary.archive_bytes,
            "created_at": manifest["created_at"],
            "engine": vendor,
            "tables": len(tables),
            "rows": sum(tables.values()),
            "media_files": summary.media_files,
            "media_bytes": summary.media_bytes,
        },
    )
    return summary


# --- restore --------------------------------------------------------------------------------
def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise BackupError(f"{archive} is not a SaferHub backup: it does not start with {MANIFEST}.")
    try:
        manifest = json.loads(tar.extractfile(first).read())
    except ValueError as exc:
        raise BackupError(f"{archive}: {MANIFEST} cannot be read ({exc}).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a SaferHub backup (its {MANIFEST} names another format).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{archive} is in backup format {manifest.get('format_version')!r}; this release reads format "
            f"{FORMAT_VERSION}. Restore it with the release that made it ({manifest.get('app_version', 'unknown')})."
        )
    if not _well_formed(manifest):
        raise BackupError(f"{archive}: {MANIFEST} is incomplete or damaged.")
    return manifest


def _well_formed(manifest: dict) -> bool:
    database, migrations, media = manifest.get("database"), manifest.get("migrations"), manifest.get("media")
    return (
        isinstance(database, dict)
        and database.get("engine") in DATABASE_MEMBERS
        and database.get("member") == DATABASE_MEMBERS[database["engine"]]
        and isinstance(database.get("tables"), dict)
        and isinstance(database.get("sha256"), str)
        and isinstance(database.get("bytes"), int)
        and isinstance(manifest.get("created_at"), str)
        and isinstance(migrations, list)
        and all(isinstance(pair, list) and len(pair) == 2 for pair in migrations)
        and isinstance(media, list)
        and all(
            isinstance(item, dict) and isinstance(item.get("path"), str) and isinstance(item.get("bytes"), int)
            for item in media
        )
    )


def _check_engine(manifest: dict, vendor: str) -> None:
    made = manifest["database"]["engine"]
    if made != vendor:
        raise BackupError(
            f"This archive holds a {ENGINE_NAMES[made]} database, but DATABASE_URL points at {ENGINE_NAMES[vendor]}. "
            f"Restore it into a {ENGINE_NAMES[made]} database: a backup does not move a hub between database engines."
        )


def _pending_migrations(manifest: dict) -> list[str]:
    """This code's migrations the archive's database lacks (`migrate` adds them); refuses an
    archive made by newer code, whose tables this code does not know."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    apps = {app for app, _name in known}
    # Rows of apps no longer installed stay in django_migrations (Django ignores them too).
    archived = {tuple(pair) for pair in manifest["migrations"] if pair[0] in apps}
    unknown = sorted(archived - known)
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            f"The archive's database has {len(unknown)} migration(s) this code does not have ({names}...): "
            f"it was made by a newer release ({manifest.get('app_version', 'unknown')}). Restore it with that release."
        )
    return [f"{app}.{name}" for app, name in sorted(known - archived)]


def _check_empty(media_root: Path, force: bool) -> None:
    tables = connection.introspection.table_names()
    files = _files_under(media_root)
    if (tables or files) and not force:
        found = []
        if tables:
            found.append(f"the {database_label()} holds {plural(len(tables), 'table')}")
        if files:
            found.append(f"MEDIA_ROOT ({media_root}) holds {plural(files, 'file')}")
        raise BackupError(
            f"The target is not empty: {' and '.join(found)}. A restore replaces them all. Restore into an empty "
            "database and an empty MEDIA_ROOT, or stop the app servers and workers and run again with --force."
        )


def _extract_database(tar: tarfile.TarFile, manifest: dict, work: Path) -> Path:
    expected = manifest["database"]
    member = tar.next()
    if member is None or member.name != expected["member"] or not member.isfile():
        raise BackupError(f"The archive is damaged: {expected['member']} should follow {MANIFEST}.")
    path = work / expected["member"]
    with tar.extractfile(member) as source, open(path, "wb") as copy:
        shutil.copyfileobj(source, copy, CHUNK)
    if path.stat().st_size != expected["bytes"] or _sha256(path) != expected["sha256"]:
        raise BackupError(f"The archive is damaged: {expected['member']} does not match its checksum in {MANIFEST}.")
    return path


def _restore_sqlite(copy: Path) -> None:
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a database transaction.")
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        # The backup API replaces the target database as a whole (tables, indexes, triggers).
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_postgresql(copy: Path) -> None:
    command, env = _postgresql_command(
        "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"
    )
    # Our own session could hold plans on the tables pg_restore drops.
    connection.close()
    _run([*command, str(copy)], env)


def _check_restored(manifest: dict) -> dict[str, int]:
    expected = manifest["database"]["tables"]
    restored = _live_counts()
    wrong = [
        f"{table}: {restored.get(table, 'missing')} rows restored, {rows} in the archive"
        for table, rows in sorted(expected.items())
        if restored.get(table) != rows
    ]
    if wrong:
        raise BackupError(
            "The database was restored but does not match the archive's manifest:\n  " + "\n  ".join(wrong[:20])
        )
    return {table: restored[table] for table in expected}


def _clear_media(media_root: Path) -> int:
    removed = _files_under(media_root)
    for child in media_root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    return removed


def _extract_media(tar: tarfile.TarFile, manifest: dict, media_root: Path) -> tuple[int, int]:
    expected = {item["path"]: item["bytes"] for item in manifest["media"]}
    written: dict[str, int] = {}
    # tar.next(), not iteration: iterating a TarFile starts again from its first member.
    while (member := tar.next()) is not None:
        if not member.name.startswith(MEDIA_PREFIX) or not (member.isfile() or member.isdir()):
            raise BackupError(f"The archive holds an unexpected entry, {member.name!r}; nothing more is extracted.")
        relative = PurePosixPath(member.name[len(MEDIA_PREFIX) :])
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise BackupError(f"The archive holds an unsafe path, {member.name!r}; nothing more is extracted.")
        if member.isdir():
            continue
        dest = media_root.joinpath(*relative.parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(member) as source, open(dest, "wb") as copy:
            shutil.copyfileobj(source, copy, CHUNK)
        written[relative.as_posix()] = dest.stat().st_size
    if written != expected:
        missing = sorted(set(expected) - set(written))
        different = sorted(name for name in written if expected.get(name) != written[name])
        raise BackupError(
            f"The files restored into {media_root} do not match the archive's manifest "
            f"(missing: {missing[:10]}, unlisted or of another size: {different[:10]})."
        )
    return len(written), sum(written.values())


def restore_backup(archive: Path, *, force: bool = False) -> RestoreSummary:
    """Replace the database and MEDIA_ROOT with the archive's; refuses a non-empty target unless
    `force`, and an archive of another engine or a newer release."""
    vendor = engine()
    media_root = Path(settings.MEDIA_ROOT).absolute()
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 - closed by the with block below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive} is not a SaferHub backup (not a readable .tar.gz file: {exc}).") from exc
    with tar, tempfile.TemporaryDirectory(prefix="saferhub-restore-") as work:
        try:
            manifest = _read_manifest(tar, archive)
            _check_engine(manifest, vendor)
            pending = _pending_migrations(manifest)
            _check_empty(media_root, force)
            copy = _extract_database(tar, manifest, Path(work))
            if vendor == "sqlite":
                _restore_sqlite(copy)
            else:
                _restore_postgresql(copy)
        except (tarfile.TarError, EOFError, OSError, sqlite3.Error, DatabaseError) as exc:
            raise BackupError(f"Nothing was restored: {exc}") from exc
        try:
            tables = _check_restored(manifest)
            media_root.mkdir(parents=True, exist_ok=True)
            removed = _clear_media(media_root) if force else 0
            files, media_bytes = _extract_media(tar, manifest, media_root)
        except (tarfile.TarError, EOFError, OSError, DatabaseError, BackupError) as exc:
            raise BackupError(
                f"The database has been replaced, but the restore did not complete: {exc}\n"
                "Fix the cause and run the restore again with --force."
            ) from exc
    # The restored audit log ends where the backup began; this event says what happened since. It
    # is written only if the restored audit table is the one this code writes to.
    audit_ready = not any(name.startswith("audit.") for name in pending)
    if audit_ready:
        record(
            Action.BACKUP_RESTORED,
            target_label=archive.name,
            after={
                "archive": archive.name,
                "created_at": manifest["created_at"],
                "app_version": manifest.get("app_version"),
                "tables": len(tables),
                "rows": sum(tables.values()),
                "media_files": files,
                "replaced": bool(force),
            },
        )
    # Cached pages, terms and criteria describe the database that was replaced.
    cleared = cache.clear() is not False
    return RestoreSummary(
        manifest=manifest,
        database=database_label(),
        tables=tables,
        media_root=media_root,
        media_files=files,
        media_bytes=media_bytes,
        removed_files=removed,
        pending_migrations=pending,
        audit_recorded=audit_ready,
        cache_cleared=cleared,
    )
