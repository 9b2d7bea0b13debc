"""Moving Concern and ConcernNote from moderation to concerns loses nothing (issue 9).

A database at the previous layout (moderation 0004, no concerns app) gets a concern and a note
written through the historical moderation models; migrating forward, the concerns app's models
read the same rows and the content types follow the models. Migrating back gives them to
moderation again."""

import pytest
from django.contrib.contenttypes.models import ContentType

from concerns.models import Concern, ConcernNote
from testkit import factories
from testkit.migrations import migrate_to

BEFORE = [("moderation", "0004_concern_notice"), ("concerns", None)]


@pytest.mark.django_db(transaction=True)
def test_concerns_written_before_the_move_are_found_after_it():
    officer = factories.OfficerFactory()
    coordinator = factories.CoordinatorFactory()
    tool = factories.ToolFactory(published=True)
    content_type_id = ContentType.objects.get_for_model(Concern).pk

    old_apps = migrate_to(BEFORE)
    with pytest.raises(LookupError):
        old_apps.get_model("concerns", "Concern")  # the previous layout: no concerns app yet
    OldContentType = old_apps.get_model("contenttypes", "ContentType")
    assert OldContentType.objects.get(pk=content_type_id).app_label == "moderation"
    OldConcern = old_apps.get_model("moderation", "Concern")
    old = OldConcern.objects.create(
        tool_id=tool.pk, reporter_id=officer.pk, category="other", description="Written before the move."
    )
    old_apps.get_model("moderation", "ConcernNote").objects.create(
        concern_id=old.pk, author_id=coordinator.pk, text="Looked at it."
    )

    new_apps = migrate_to()
    with pytest.raises(LookupError):
        new_apps.get_model("moderation", "Concern")
    concern = Concern.objects.get()
    assert (concern.pk, concern.public_id, concern.reporter, concern.tool) == (old.pk, old.public_id, officer, tool)
    assert list(ConcernNote.objects.values_list("concern_id", "text")) == [(old.pk, "Looked at it.")]
    ContentType.objects.clear_cache()
    assert ContentType.objects.get(pk=content_type_id).app_label == "concerns"

    # And back: the previous layout reads the rows written after the move.
    Concern.objects.create(tool=tool, reporter=officer, category="other", description="Written after the move.")
    back_apps = migrate_to(BEFORE)
    assert back_apps.get_model("moderation", "Concern").objects.count() == 2
    assert back_apps.get_model("contenttypes", "ContentType").objects.get(pk=content_type_id).app_label == "moderation"
    migrate_to()
    ContentType.objects.clear_cache()
