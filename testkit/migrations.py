"""Migrating a test database back and forth, for tests that a model move loses nothing."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets=None):
    """Migrate to `targets` (default: every app's latest migration); returns the models as they
    were at those migrations (an app whose target is None is absent)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()  # the graph as the database now records it
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1]]).apps
