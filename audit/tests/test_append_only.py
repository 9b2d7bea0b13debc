"""No code path edits or deletes an audit event (SECURITY.md AU-02), and events are
written in the transaction of the change they record (AU-01)."""

import ast
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.backends.sqlite3 import base as sqlite_base
from django.test import RequestFactory

from audit.models import Action, AppendOnlyError, AuditEvent
from audit.services import record
from testkit import factories

pytestmark = pytest.mark.django_db

PROJECT_ROOT = Path(__file__).resolve().parents[2]
THIS_FILE = Path(__file__).resolve()


@pytest.fixture
def event():
    return record(Action.LOGIN, target_label="original", after={"kept": True})


# --- the ORM refuses -------------------------------------------------------------
def test_saving_an_existing_event_is_refused(event):
    event.target_label = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.save(update_fields=["target_label"])
    assert AuditEvent.objects.get(pk=event.pk).target_label == "original"


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda qs: qs.update(target_label="rewritten"),
        lambda qs: qs.delete(),
        lambda qs: qs.bulk_update(list(qs), ["target_label"]),
        lambda qs: qs.filter(action=Action.LOGIN).update(outcome="failure"),
        lambda qs: qs.filter(action=Action.LOGIN).delete(),
    ],
    ids=["update", "delete", "bulk_update", "filtered-update", "filtered-delete"],
)
def test_queryset_changes_are_refused(event, change):
    with pytest.raises(AppendOnlyError):
        change(AuditEvent.objects.all())
    event_now = AuditEvent.objects.get(pk=event.pk)
    assert (event_now.target_label, event_now.outcome) == ("original", "success")


def test_manager_level_changes_are_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(target_label="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk, target_label="original").exists()


# --- the database refuses (PostgreSQL and SQLite) --------------------------------
RAW_CHANGES = [
    "UPDATE audit_auditevent SET target_label = 'rewritten' WHERE id = %s",
    "DELETE FROM audit_auditevent WHERE id = %s",
]


class Rollback(Exception):
    """Raised to undo what a control test did on purpose."""


def refused_by_database(change) -> bool:
    """True when the database refuses `change()` with its append-only error.

    The change runs in a savepoint, so whatever the database lets through is undone.
    """
    try:
        with transaction.atomic():
            change()
    except DatabaseError as exc:
        assert "append-only" in str(exc)
        return True
    return False


def _raw(sql, pk):
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])


@pytest.mark.parametrize("sql", RAW_CHANGES, ids=["update", "delete"])
def test_raw_sql_changes_are_refused_by_the_database(event, sql):
    assert refused_by_database(lambda: _raw(sql, event.pk))
    assert AuditEvent.objects.get(pk=event.pk).target_label == "original"


@pytest.mark.parametrize(
    "change",
    [
        lambda qs: qs.update(target_label="rewritten"),
        lambda qs: qs.delete(),
        lambda qs: qs.bulk_update(list(qs), ["target_label"]),
    ],
    ids=["update", "delete", "bulk_update"],
)
def test_the_orm_without_the_append_only_queryset_is_refused_by_the_database(event, change):
    # _base_manager is a plain manager: it skips AuditEventQuerySet's refusal, as a
    # careless script or a future code path might; the database still says no.
    assert refused_by_database(lambda: change(AuditEvent._base_manager.filter(pk=event.pk)))
    assert AuditEvent.objects.get(pk=event.pk).target_label == "original"


def test_control_without_the_triggers_the_check_sees_the_change_go_through(event):
    """The check above fails when the database does not enforce append-only."""
    with pytest.raises(Rollback), transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("DROP TRIGGER audit_event_no_update_delete ON audit_auditevent")
            else:
                cursor.execute("DROP TRIGGER audit_event_no_update")
                cursor.execute("DROP TRIGGER audit_event_no_delete")
        assert not refused_by_database(lambda: _raw(RAW_CHANGES[0], event.pk))
        assert not refused_by_database(lambda: AuditEvent._base_manager.filter(pk=event.pk).delete())
        raise Rollback
    # The triggers came back with the rollback.
    assert refused_by_database(lambda: _raw(RAW_CHANGES[1], event.pk))


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL flushes with TRUNCATE, which fires no row trigger"
)
def test_on_sqlite_a_production_flush_cannot_empty_the_audit_log(event):
    """`manage.py flush` with Django's own SQLite backend is refused: only the test suite's
    backend (testkit.sqlite_backend) lifts the triggers around its flush."""
    sql = connection.ops.sql_flush(no_style(), [AuditEvent._meta.db_table])
    assert refused_by_database(lambda: sqlite_base.DatabaseOperations.execute_sql_flush(connection.ops, sql))
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    # The test backend's flush does empty it, and leaves the triggers in place.
    with pytest.raises(Rollback), transaction.atomic():
        connection.ops.execute_sql_flush(sql)
        assert not AuditEvent.objects.exists()
        raise Rollback
    assert refused_by_database(lambda: _raw(RAW_CHANGES[1], event.pk))
    later = record(Action.LOGIN, target_label="later")
    assert refused_by_database(lambda: _raw(RAW_CHANGES[1], later.pk))


# --- no code path tries ----------------------------------------------------------
CHANGING_METHODS = {"update", "delete", "bulk_update", "update_or_create", "_raw_delete", "_update"}
SQL_WORDS = ("update audit_auditevent", "delete from audit_auditevent", "truncate audit_auditevent")


def _chain_mentions_audit_event(node) -> bool:
    """True when an expression like AuditEvent.objects.filter(...) starts from AuditEvent."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute | ast.Subscript):
            node = node.value
        else:
            return isinstance(node, ast.Name) and node.id in {"AuditEvent", "AuditEventQuerySet"}


def offending_lines(source: str) -> list[int]:
    """Lines that change or delete audit events through the ORM or in raw SQL."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in CHANGING_METHODS and _chain_mentions_audit_event(node.func.value):
                lines.append(node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = " ".join(node.value.lower().replace('"', "").split())
            if any(word in text for word in SQL_WORDS):
                lines.append(node.lineno)
    return sorted(lines)


def project_python_files():
    for path in PROJECT_ROOT.rglob("*.py"):
        parts = path.relative_to(PROJECT_ROOT).parts
        if any(part.startswith(".") or part in {"migrations", "node_modules", "__pycache__"} for part in parts):
            continue
        yield path


def test_the_source_scan_recognises_offending_code():
    bad = (
        "AuditEvent.objects.filter(pk=1).update(action='x')\n"
        "AuditEvent.objects.all().delete()\n"
        "AuditEvent.objects.filter(\n    pk=1,\n).order_by('id')[:5].delete()\n"
        "cursor.execute('DELETE FROM audit_auditevent')\n"
        'cursor.execute("UPDATE \\"audit_auditevent\\" SET action = 1")\n'
    )
    assert offending_lines(bad) == [1, 2, 3, 6, 7]
    harmless = "AuditEvent.objects.create(action='x')\nsomething.update(x=1)\nOutboxMessage.objects.update(a=1)\n"
    assert offending_lines(harmless) == []


def test_no_code_path_changes_or_deletes_audit_events():
    files = list(project_python_files())
    assert any(path.name == "services.py" and path.parent.name == "audit" for path in files)
    found = []
    for path in files:
        if path.resolve() == THIS_FILE:
            continue  # the tests above try on purpose, to prove the refusal
        for line in offending_lines(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(PROJECT_ROOT)}:{line}")
    assert not found, "Code that changes or deletes audit events: " + ", ".join(found)


# --- the audit log is read only through /audit/, where reading it is audited ----------
def test_the_admin_does_not_offer_the_audit_log(signed_in, coordinator, event):
    """Reading the log through the admin would leave no trace (issue 13 hole 3): it is not there."""
    assert AuditEvent not in admin.site._registry
    client = signed_in(coordinator)
    for url in ("/admin/audit/auditevent/", f"/admin/audit/auditevent/{event.pk}/change/"):
        assert client.get(url).status_code == 404
    assert "/admin/audit/" not in client.get("/admin/").content.decode()


# --- written in the caller's transaction -----------------------------------------
class Boom(Exception):
    pass


def test_an_error_after_the_write_leaves_no_event():
    user = factories.CoordinatorFactory()
    with pytest.raises(Boom), transaction.atomic():
        record(Action.ACCOUNT_DISABLED, actor=user, target=user)
        assert AuditEvent.objects.filter(action=Action.ACCOUNT_DISABLED).count() == 1
        raise Boom
    assert not AuditEvent.objects.filter(action=Action.ACCOUNT_DISABLED).exists()


def test_a_rolled_back_change_takes_its_event_with_it():
    user = factories.CoordinatorFactory(full_name="Before")
    with pytest.raises(Boom), transaction.atomic():
        user.full_name = "After"
        user.save(update_fields=["full_name"])
        record(Action.ACCOUNT_ENABLED, actor=user, target=user, before={"x": 1}, after={"x": 2})
        raise Boom
    user.refresh_from_db()
    assert user.full_name == "Before"
    assert not AuditEvent.objects.filter(action=Action.ACCOUNT_ENABLED).exists()


def test_a_commit_keeps_exactly_one_event():
    user = factories.CoordinatorFactory()
    with transaction.atomic():
        record(Action.ACCOUNT_DISABLED, actor=user, target=user)
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_DISABLED, target_id=str(user.public_id)).count() == 1


def test_record_describes_actor_and_target_without_names():
    user = factories.CoordinatorFactory(full_name="Secret Name", email="secret.name@example.org")
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.23")
    event = record(Action.ACCOUNT_UNLOCKED, actor=user, target=user, request=request)
    assert event.actor == user
    assert event.target_type == "accounts.user"
    assert event.target_id == str(user.public_id)
    assert event.ip_address == "198.51.100.23"
    for text in (event.actor_label, event.target_label):
        assert "Secret" not in text and "secret.name" not in text
