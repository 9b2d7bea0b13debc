"""A populated hub backed up with `manage.py backup` and restored with `manage.py restore` into an
empty database and an empty MEDIA_ROOT answers every URL of the URL table as the original does,
for every persona, and serves the same key pages and the same file bytes (issue 13, backups).

"As the original does" is the URL x persona table: core/tests/test_url_permissions.py checks the
original hub against it, and the same walk (every page, every persona, each POST's valid body with
its effect, in a savepoint rolled back) runs here against the restored one. The key pages are
fetched from both and compared. The restore goes into a temporary SQLite file, or on PostgreSQL
into a database created for the test and dropped after it: the default connection points at it
while the restored hub is walked.
"""

import copy
import functools
import json
import re
import stat
import tarfile
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.utils import load_backend
from django.test import Client, override_settings
from django.urls import reverse

from audit.models import Action, AuditEvent
from backups import archive
from core.tests.test_url_permissions import walk
from testkit import factories
from testkit.personas import PERSONAS, make_personas, sign_in
from testkit.urltable import all_expectations, build_world

pytestmark = pytest.mark.django_db(transaction=True)

# Uploaded files the URL table serves (a tool's attachment and logo, an emblem sample, event
# slides, a learning resource and image), and pages whose content must come back too.
FILES = {
    "catalogue:attachment_download",
    "catalogue:logo",
    "emblem:sample",
    "events:slides",
    "learning:resource",
    "learning:image",
}
KEY_PAGES = FILES | {"discovery:catalogue", "catalogue:tool_detail"}
# What differs between two renderings of one page: the CSRF token and the CSP nonce.
VOLATILE = re.compile(rb'(name="csrfmiddlewaretoken" value=|nonce=|"X-CSRFToken": )"[^"]*"')


def content(response) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return VOLATILE.sub(rb'\1""', body)


def key_pages(world, names=KEY_PAGES) -> dict[tuple[str, str], bytes]:
    """The content of each key page, for every persona the table lets see it."""
    table = all_expectations()
    pages = {}
    for persona in PERSONAS:
        client = Client(raise_request_exception=False)
        if world.users[persona] is not None:
            sign_in(client, world.users[persona])
        for name in sorted(names):
            expect = table[name]
            if expect.statuses[persona] == 200:
                response = client.get(reverse(name, kwargs=expect.kwargs(world) if expect.kwargs else None))
                pages[(persona, name)] = content(response) if response.status_code == 200 else response.status_code
    return pages


def restored_problems(world, originals, names=None) -> list[str]:
    """What the restored hub answers differently: the URL table walk for every persona (all URLs,
    or `names`), and the key pages compared with the original's."""
    table = {name: expect for name, expect in all_expectations().items() if names is None or name in names}
    problems = []
    for persona in PERSONAS:
        client = Client(raise_request_exception=False)
        if world.users[persona] is not None:
            sign_in(client, world.users[persona])
        problems += [f"{persona}: {failure}" for failure in walk(client, world, persona, table)]
    restored = key_pages(world, {name for _persona, name in originals})
    problems += [
        f"{persona} {name}: other content after the restore"
        for (persona, name), page in originals.items()
        if restored[(persona, name)] != page
    ]
    return problems


@contextmanager
def empty_hub(tmp_path):
    """An empty database and an empty MEDIA_ROOT, which the hub uses inside the block: the default
    connection points at a new SQLite file, or at a PostgreSQL database created for it."""
    original = connections["default"]
    target = copy.deepcopy(original.settings_dict)
    postgresql = original.vendor == "postgresql"
    if postgresql:
        target["NAME"] = f"{original.settings_dict['NAME']}_restored"
        with original.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{target["NAME"]}"')
    else:
        target["NAME"] = str(tmp_path / f"restored-{len(list(tmp_path.glob('restored-*')))}.sqlite3")
    replacement = load_backend(target["ENGINE"]).DatabaseWrapper(target, "default")
    connections["default"] = replacement
    try:
        with override_settings(MEDIA_ROOT=str(tmp_path / "restored-media")):
            yield
    finally:
        replacement.close()
        connections["default"] = original
        if postgresql:
            with original.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}" WITH (FORCE)')


@pytest.fixture
def backed_up(tmp_path, settings):
    """The URL table's world with its uploaded files, every persona with a second factor, and an
    archive of it all made by `manage.py backup`."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    users = make_personas()
    world = build_world(users)
    for user in users.values():
        if user is not None:
            factories.add_totp(user)
    path = tmp_path / "hub.tar.gz"
    call_command("backup", str(path))
    return world, path


def test_a_restored_hub_answers_every_url_as_the_original(backed_up, tmp_path):
    world, path = backed_up
    originals = key_pages(world)
    # The comparison covers the catalogue, a tool's page and every file, each for someone who sees it.
    assert {name for _persona, name in originals} == KEY_PAGES
    assert all(isinstance(page, bytes) for page in originals.values()), originals
    # One archive, readable by its owner only: the manifest first, then the database, then every file.
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with tarfile.open(path) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile(archive.MANIFEST))
    assert names[:2] == [archive.MANIFEST, archive.DATABASE_MEMBERS[connection.vendor]]
    assert names[2:] == ["media/" + item["path"] for item in manifest["media"]] and len(names) >= 2 + len(FILES)
    made = AuditEvent.objects.get(action=Action.BACKUP_MADE)
    assert made.after["media_files"] == len(manifest["media"]) and made.after["archive"] == path.name
    with empty_hub(tmp_path):
        call_command("restore", str(path))
        problems = restored_problems(world, originals)
        # The audit log comes back as it was when the backup was made, and says it was restored.
        restored_events = set(AuditEvent.objects.values_list("action", flat=True))
    assert not problems, "\n".join(problems)
    assert Action.BACKUP_RESTORED in restored_events and Action.BACKUP_MADE not in restored_events


# --- controls: the comparison notices a restore that loses files or a table ----------------------
def test_control_a_restore_without_the_files_is_found(backed_up, tmp_path, monkeypatch):
    world, path = backed_up
    originals = key_pages(world, FILES)

    def files_not_restored(tar, manifest, media_root):
        return len(manifest["media"]), sum(item["bytes"] for item in manifest["media"])

    monkeypatch.setattr(archive, "_extract_media", files_not_restored)
    with empty_hub(tmp_path):
        call_command("restore", str(path))
        problems = restored_problems(world, originals, FILES)
    for name in FILES:
        assert any(f"coordinator {name}" in problem or f"coordinator: {name}" in problem for problem in problems), (
            name,
            problems,
        )


def test_control_a_restore_that_skips_a_table_is_found(backed_up, tmp_path, monkeypatch):
    world, path = backed_up
    names = {"catalogue:attachment_download", "catalogue:tool_detail"}
    originals = key_pages(world, names)
    check = archive._check_restored

    def without_attachments(manifest, *, checked):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalogue_attachment")
        return check(manifest) if checked else manifest["database"]["tables"]

    # The restore's own check of the row counts refuses it ...
    monkeypatch.setattr(archive, "_check_restored", functools.partial(without_attachments, checked=True))
    with empty_hub(tmp_path), pytest.raises(CommandError, match=r"catalogue_attachment: 0 rows restored, \d+ in"):
        call_command("restore", str(path))
    # ... and without that check, the walk of the restored hub finds the loss.
    monkeypatch.setattr(archive, "_check_restored", functools.partial(without_attachments, checked=False))
    with empty_hub(tmp_path):
        call_command("restore", str(path))
        problems = restored_problems(world, originals, names)
    assert any("verified_officer: catalogue:attachment_download" in problem for problem in problems), problems
    assert any("verified_officer catalogue:tool_detail: other content" in problem for problem in problems), problems
