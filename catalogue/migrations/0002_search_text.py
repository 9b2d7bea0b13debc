# Free-text search: a search-text row per tool, with an FTS5 mirror on SQLite and a GIN
# index on PostgreSQL. Both see the same pre-tokenised, lower-cased words (catalogue.search).

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE catalogue_toolsearch_fts USING fts5(text, tokenize='unicode61 remove_diacritics 2')",
    """CREATE TRIGGER catalogue_toolsearch_ai AFTER INSERT ON catalogue_toolsearchtext BEGIN
         INSERT INTO catalogue_toolsearch_fts(rowid, text) VALUES (new.tool_id, new.text);
       END""",
    """CREATE TRIGGER catalogue_toolsearch_au AFTER UPDATE ON catalogue_toolsearchtext BEGIN
         DELETE FROM catalogue_toolsearch_fts WHERE rowid = old.tool_id;
         INSERT INTO catalogue_toolsearch_fts(rowid, text) VALUES (new.tool_id, new.text);
       END""",
    """CREATE TRIGGER catalogue_toolsearch_ad AFTER DELETE ON catalogue_toolsearchtext BEGIN
         DELETE FROM catalogue_toolsearch_fts WHERE rowid = old.tool_id;
       END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalogue_toolsearch_ad",
    "DROP TRIGGER IF EXISTS catalogue_toolsearch_au",
    "DROP TRIGGER IF EXISTS catalogue_toolsearch_ai",
    "DROP TABLE IF EXISTS catalogue_toolsearch_fts",
]
# The expression must be the one catalogue.search queries with, so the index is used.
POSTGRES_FORWARD = [
    "CREATE INDEX catalogue_toolsearch_gin ON catalogue_toolsearchtext "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(text, '')))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS catalogue_toolsearch_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ToolSearchText",
            fields=[
                (
                    "tool",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_text",
                        serialize=False,
                        to="catalogue.tool",
                    ),
                ),
                ("text", models.TextField(blank=True)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
