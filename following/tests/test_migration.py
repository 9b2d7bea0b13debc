"""Moving Follow and SavedSearch from catalogue to following loses nothing (issue 9).

A database at the previous layout (catalogue 0006, no following app) gets a follow and a saved
search written through the historical catalogue models; migrating forward, the following app's
models read the same rows. Migrating back gives them to the catalogue models again."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from following.models import Follow, SavedSearch
from testkit import factories

BEFORE = [("catalogue", "0006_tool_state_applied"), ("following", None)]


def _migrate(targets=None):
    """Migrate to `targets` (default: every app's latest migration); the models as they were then."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()  # the graph as the database now records it
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    # The models as they were at those migrations (an unapplied app is absent).
    return executor.loader.project_state([target for target in targets if target[1]]).apps


@pytest.mark.django_db(transaction=True)
def test_follows_and_saved_searches_written_before_the_move_are_found_after_it():
    officer = factories.OfficerFactory()
    tool = factories.ToolFactory(published=True)
    public_id = uuid.uuid4()

    old_apps = _migrate(BEFORE)
    with pytest.raises(LookupError):
        old_apps.get_model("following", "Follow")  # the previous layout: no following app yet
    OldFollow = old_apps.get_model("catalogue", "Follow")
    OldSavedSearch = old_apps.get_model("catalogue", "SavedSearch")
    old_follow = OldFollow.objects.create(user_id=officer.pk, tool_id=tool.pk)
    OldSavedSearch.objects.create(user_id=officer.pk, name="Triage tools", query="q=triage", public_id=public_id)

    new_apps = _migrate()
    with pytest.raises(LookupError):
        new_apps.get_model("catalogue", "Follow")

    follow = Follow.objects.get()
    assert (follow.pk, follow.user, follow.tool) == (old_follow.pk, officer, tool)
    assert follow.last_seen_at == old_follow.last_seen_at
    assert list(officer.follows.values_list("tool__slug", flat=True)) == [tool.slug]
    saved = SavedSearch.objects.get()
    assert (saved.public_id, saved.user, saved.name, saved.query) == (public_id, officer, "Triage tools", "q=triage")

    # And back: the previous layout reads the rows written after the move.
    Follow.objects.create(user=factories.OfficerFactory(), tool=tool)
    back_apps = _migrate(BEFORE)
    assert back_apps.get_model("catalogue", "Follow").objects.count() == 2
    assert back_apps.get_model("catalogue", "SavedSearch").objects.get().public_id == public_id
    _migrate()
