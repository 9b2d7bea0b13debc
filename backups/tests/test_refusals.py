"""What `backup` and `restore` refuse, each with a message that says why and what to do; a refused
restore changes nothing."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit.models import AuditEvent
from backups import archive

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def manifest(**changes) -> dict:
    """A manifest as `backup` writes it, for this database's engine, with `changes`."""
    database = b"not a database"
    made = {
        "format": archive.FORMAT,
        "format_version": archive.FORMAT_VERSION,
        "created_at": "2025-01-01T00:00:00+00:00",
        "app_version": "0.1.0",
        "database": {
            "engine": connection.vendor,
            "member": archive.DATABASE_MEMBERS[connection.vendor],
            "bytes": len(database),
            "sha256": hashlib.sha256(database).hexdigest(),
            "tables": {},
        },
        "migrations": [["audit", "0001_initial"]],
        "media": [],
    }
    made.update(changes)
    return made


def write_archive(path: Path, first: dict | None, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in ([(archive.MANIFEST, json.dumps(first).encode())] if first else []) + list(members.items()):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def refused(*args) -> str:
    with pytest.raises(CommandError) as refusal:
        call_command(*args)
    return str(refusal.value)


def test_backup_refuses_a_file_inside_media_root_an_existing_file_and_a_missing_folder(tmp_path, media):
    media.mkdir()
    assert "inside MEDIA_ROOT" in refused("backup", str(media / "hub.tar.gz"))
    existing = tmp_path / "hub.tar.gz"
    existing.write_bytes(b"an older backup")
    assert "exists already" in refused("backup", str(existing))
    assert existing.read_bytes() == b"an older backup"
    assert "does not exist" in refused("backup", str(tmp_path / "no-such-folder" / "hub.tar.gz"))


def test_a_missing_postgresql_client_is_named(monkeypatch):
    monkeypatch.setattr(archive.shutil, "which", lambda name: None)
    for tool in ("pg_dump", "pg_restore"):
        with pytest.raises(archive.BackupError, match=f"{tool} was not found on the PATH. Install the PostgreSQL"):
            archive._client_tool(tool)


@pytest.mark.parametrize(
    "first,message",
    [
        (None, "it does not start with manifest.json"),
        ({"format": "something-else"}, "names another format"),
        ({"format": archive.FORMAT, "format_version": 2, "app_version": "9.0"}, "this release reads format 1"),
        ({"format": archive.FORMAT, "format_version": archive.FORMAT_VERSION}, "incomplete or damaged"),
    ],
)
def test_restore_refuses_what_is_not_a_backup_it_can_read(tmp_path, first, message):
    assert message in refused("restore", str(write_archive(tmp_path / "x.tar.gz", first, {"notes.txt": b"x"})))


def test_restore_refuses_a_file_that_is_not_an_archive(tmp_path):
    path = tmp_path / "hub.tar.gz"
    path.write_bytes(b"plain text")
    assert "not a readable .tar.gz file" in refused("restore", str(path))
    assert "does not exist" in refused("restore", str(tmp_path / "missing.tar.gz"))


def test_restore_refuses_an_archive_of_the_other_engine(tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    database = manifest()["database"] | {"engine": other, "member": archive.DATABASE_MEMBERS[other]}
    message = refused("restore", str(write_archive(tmp_path / "x.tar.gz", manifest(database=database), {})))
    assert f"This archive holds a {archive.ENGINE_NAMES[other]} database, but DATABASE_URL points at" in message
    assert "does not move a hub between database engines" in message


def test_restore_refuses_an_archive_of_a_newer_release(tmp_path):
    newer = manifest(migrations=[["audit", "0001_initial"], ["catalogue", "9999_from_the_future"]], app_version="2.0")
    message = refused("restore", str(write_archive(tmp_path / "x.tar.gz", newer, {})))
    assert "catalogue.9999_from_the_future" in message and "made by a newer release (2.0)" in message


def test_restore_refuses_a_target_that_is_not_empty_unless_forced(tmp_path, media):
    media.mkdir()
    (media / "upload.pdf").write_bytes(b"%PDF")
    path = write_archive(tmp_path / "x.tar.gz", manifest(), {archive.DATABASE_MEMBERS[connection.vendor]: b"damaged"})
    events = AuditEvent.objects.count()
    message = refused("restore", str(path))
    assert "The target is not empty" in message and "tables" in message and "holds 1 file." in message
    assert "--force" in message
    # Forced, it reaches the archive's database, finds it damaged and stops before changing anything.
    assert "does not match its checksum" in refused("restore", str(path), "--force")
    assert AuditEvent.objects.count() == events and (media / "upload.pdf").read_bytes() == b"%PDF"
