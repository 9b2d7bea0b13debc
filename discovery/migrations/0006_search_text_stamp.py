# A stamp drawn again by triggers on every change of the search texts. It replaces counting the
# texts and reading their newest date on every search (some 2 ms of the database's time a page at
# 10,000 tools). A random mark, not a counter: a rolled-back or flushed change never brings back
# a mark that an app server already holds.
#
# SQLite drops a table's triggers when a migration rebuilds it (adding a column to
# catalogue_toolsearchtext, say): such a migration makes these again, as 0005 does for FTS5.
# discovery/tests/test_search_text_stamp.py fails when they are missing.

from django.db import migrations, models

POSTGRESQL = [
    """CREATE FUNCTION discovery_search_text_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         -- A statement that changed no row (deleting a draft's absent text) draws nothing.
         IF TG_OP = 'TRUNCATE' OR EXISTS (SELECT 1 FROM changed) THEN
           INSERT INTO discovery_searchtextstamp (id, mark) VALUES (1, md5(random()::text || clock_timestamp()::text))
           ON CONFLICT (id) DO UPDATE SET mark = excluded.mark;
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER discovery_search_text_inserted AFTER INSERT ON catalogue_toolsearchtext
       REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION discovery_search_text_changed()""",
    """CREATE TRIGGER discovery_search_text_updated AFTER UPDATE ON catalogue_toolsearchtext
       REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION discovery_search_text_changed()""",
    """CREATE TRIGGER discovery_search_text_deleted AFTER DELETE ON catalogue_toolsearchtext
       REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION discovery_search_text_changed()""",
    """CREATE FUNCTION discovery_search_text_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO discovery_searchtextstamp (id, mark) VALUES (1, md5(random()::text || clock_timestamp()::text))
         ON CONFLICT (id) DO UPDATE SET mark = excluded.mark;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER discovery_search_text_truncated AFTER TRUNCATE ON catalogue_toolsearchtext
       FOR EACH STATEMENT EXECUTE FUNCTION discovery_search_text_truncated()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS discovery_search_text_inserted ON catalogue_toolsearchtext",
    "DROP TRIGGER IF EXISTS discovery_search_text_updated ON catalogue_toolsearchtext",
    "DROP TRIGGER IF EXISTS discovery_search_text_deleted ON catalogue_toolsearchtext",
    "DROP TRIGGER IF EXISTS discovery_search_text_truncated ON catalogue_toolsearchtext",
    "DROP FUNCTION IF EXISTS discovery_search_text_changed()",
    "DROP FUNCTION IF EXISTS discovery_search_text_truncated()",
]

# SQLite has row triggers only: a bulk load draws the mark once per row, still cheap. No
# conflict clause: the outer statement's (an upsert's) would override it inside the trigger.
SQLITE_DRAW = (
    "UPDATE discovery_searchtextstamp SET mark = lower(hex(randomblob(16))) WHERE id = 1; "
    "INSERT INTO discovery_searchtextstamp (id, mark) SELECT 1, lower(hex(randomblob(16))) "
    "WHERE NOT EXISTS (SELECT 1 FROM discovery_searchtextstamp WHERE id = 1)"
)
SQLITE = [
    f"CREATE TRIGGER discovery_search_text_inserted AFTER INSERT ON catalogue_toolsearchtext BEGIN {SQLITE_DRAW}; END",
    f"CREATE TRIGGER discovery_search_text_updated AFTER UPDATE ON catalogue_toolsearchtext BEGIN {SQLITE_DRAW}; END",
    f"CREATE TRIGGER discovery_search_text_deleted AFTER DELETE ON catalogue_toolsearchtext BEGIN {SQLITE_DRAW}; END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS discovery_search_text_inserted",
    "DROP TRIGGER IF EXISTS discovery_search_text_updated",
    "DROP TRIGGER IF EXISTS discovery_search_text_deleted",
]


def make_triggers(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)
    apps.get_model("discovery", "SearchTextStamp").objects.create(id=1, mark="first")


def drop_triggers(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0005_tool_answered_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTextStamp",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("mark", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(make_triggers, drop_triggers),
    ]
