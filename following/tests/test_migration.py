"""Moving Follow and SavedSearch from catalogue to following loses nothing (issue 9).

A database at the previous layout (catalogue 0006, no following app) gets a follow and a saved
search written through the historical catalogue models; migrating forward, the following app's
models read the same rows. Migrating back gives them to the catalogue models again."""

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType

from following.models import Follow, SavedSearch
from testkit import factories
from testkit.migrations import migrate_to

BEFORE = [("catalogue", "0006_tool_state_applied"), ("following", None)]


@pytest.mark.django_db(transaction=True)
def test_follows_and_saved_searches_written_before_the_move_are_found_after_it():
    officer = factories.OfficerFactory()
    tool = factories.ToolFactory(published=True)
    public_id = uuid.uuid4()

    content_type_id = ContentType.objects.get_for_model(Follow).pk
    old_apps = migrate_to(BEFORE)
    assert old_apps.get_model("contenttypes", "ContentType").objects.get(pk=content_type_id).app_label == "catalogue"
    with pytest.raises(LookupError):
        old_apps.get_model("following", "Follow")  # the previous layout: no following app yet
    OldFollow = old_apps.get_model("catalogue", "Follow")
    OldSavedSearch = old_apps.get_model("catalogue", "SavedSearch")
    old_follow = OldFollow.objects.create(user_id=officer.pk, tool_id=tool.pk)
    OldSavedSearch.objects.create(user_id=officer.pk, name="Triage tools", query="q=triage", public_id=public_id)

    new_apps = migrate_to()
    ContentType.objects.clear_cache()
    assert ContentType.objects.get(pk=content_type_id).app_label == "following"
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
    back_apps = migrate_to(BEFORE)
    assert back_apps.get_model("catalogue", "Follow").objects.count() == 2
    assert back_apps.get_model("catalogue", "SavedSearch").objects.get().public_id == public_id
    migrate_to()
