# PostgreSQL free-text search reads a stored tsvector column (generated from the search text,
# so bulk loads that write the text directly keep it current too) through a GIN index, instead
# of an expression index that the planner may skip, recomputing to_tsvector for every row.
# Nothing else changes on SQLite (FTS5, migration 0002). On every database an index on
# updated_at makes the catalogue's freshness check (count and newest change) an index read.

from django.db import migrations

POSTGRES_FORWARD = [
    "ALTER TABLE catalogue_toolsearchtext ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(text, ''))) STORED",
    "CREATE INDEX catalogue_toolsearch_vector_gin ON catalogue_toolsearchtext USING gin (search_vector)",
    "DROP INDEX IF EXISTS catalogue_toolsearch_gin",
    # The stored vectors are large (TOAST): a sequential scan detoasts every one of them, yet
    # the planner prefers it once a word is common. The function plans its query with the
    # GIN index (a few ms instead of ~45 ms at 10,000 tools).
    "CREATE FUNCTION catalogue_search_ids(query tsquery) RETURNS SETOF bigint "
    "LANGUAGE sql STABLE SET enable_seqscan = off AS $$ "
    "SELECT tool_id FROM catalogue_toolsearchtext WHERE search_vector @@ query $$",
]
POSTGRES_BACKWARD = [
    "DROP FUNCTION IF EXISTS catalogue_search_ids(tsquery)",
    "CREATE INDEX IF NOT EXISTS catalogue_toolsearch_gin ON catalogue_toolsearchtext "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(text, '')))",
    "DROP INDEX IF EXISTS catalogue_toolsearch_vector_gin",
    "ALTER TABLE catalogue_toolsearchtext DROP COLUMN IF EXISTS search_vector",
]


UPDATED_FORWARD = ["CREATE INDEX catalogue_toolsearch_updated ON catalogue_toolsearchtext (updated_at)"]
UPDATED_BACKWARD = ["DROP INDEX IF EXISTS catalogue_toolsearch_updated"]


def _run(statements, vendor="postgresql"):
    def run(apps, schema_editor):
        if vendor is None or schema_editor.connection.vendor == vendor:
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_tool_state_suspended_removed"),
    ]

    operations = [
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD)),
        migrations.RunPython(_run(UPDATED_FORWARD, None), _run(UPDATED_BACKWARD, None)),
    ]
