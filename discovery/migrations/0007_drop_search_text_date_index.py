# The index on the search texts' date (catalogue migration 0004) served only the criteria
# indexes' old fingerprint, MAX(updated_at) on every search; the stamp of migration 0006 replaced
# it. Every search-text write kept it up to date for nothing. Dropping an index rebuilds no table,
# so SQLite keeps its triggers.

from django.db import migrations

CREATE = "CREATE INDEX catalogue_toolsearch_updated ON catalogue_toolsearchtext (updated_at)"
DROP = "DROP INDEX IF EXISTS catalogue_toolsearch_updated"


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0006_search_text_stamp"),
        ("catalogue", "0004_search_vector"),
    ]

    operations = [migrations.RunSQL(DROP, CREATE)]
