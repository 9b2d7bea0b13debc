# The questions each tool answered per questionnaire version, kept with its search text.
# On SQLite, adding a column rebuilds the table, which drops its triggers: the FTS5 mirror's
# triggers (catalogue migration 0002) are made again, the same statements.

from django.db import migrations, models

SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS catalogue_toolsearch_ai",
    "DROP TRIGGER IF EXISTS catalogue_toolsearch_au",
    "DROP TRIGGER IF EXISTS catalogue_toolsearch_ad",
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


def triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0004_thesaurus_starting_set"),
    ]

    operations = [
        # Backwards, removing the column rebuilds the table too: the triggers are made after it.
        migrations.RunPython(migrations.RunPython.noop, triggers_again),
        migrations.AddField(
            model_name="toolsearchtext",
            name="answered",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(triggers_again, migrations.RunPython.noop),
    ]
