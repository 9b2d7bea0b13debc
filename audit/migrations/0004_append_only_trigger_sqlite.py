"""On SQLite too, the database itself refuses to change or delete audit events (AU-02).

SQLite is the default database, so it must not be the weaker one. SQLite has no
TRUNCATE and no way to switch a trigger off, so this trigger also refuses
`manage.py flush`; only the test suite's own database backend (`testkit.sqlite_backend`)
lifts it around its table flush between tests.
"""

from django.db import migrations

TRIGGERS = {
    "UPDATE": "audit_event_no_update",
    "DELETE": "audit_event_no_delete",
}


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for operation, name in TRIGGERS.items():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(
            f"CREATE TRIGGER {name} BEFORE {operation} ON audit_auditevent "
            "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in TRIGGERS.values():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_action_choices_outside_migrations")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
