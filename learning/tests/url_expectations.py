"""URL table of the Learning Centre (/learn/) and the hub's search lives in home.

Readers are verified officers and coordinators; providers and pending officers get 403 and
anonymous visitors the sign-in page. Progress is an officer's own (coordinators see aggregates
only, so their progress pages and marks answer 403). Writing: coordinators here (the verified
officer persona is no contributor; test_authoring covers contributors). Review: coordinators.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.tests.url_expectations_review import png_bytes
from learning import services
from learning.models import CheckResult, Contributor, Item, ItemText, Kind, LessonDone, Topic
from questionnaires.models import Question
from questionnaires.selectors import workflow_steps
from testkit import factories
from testkit.urltable import COORDINATOR_ONLY, COORDINATOR_POST, HUB, LOGIN, Expect, fresh, no_fields, same

from .helpers import CHECK, MODULE_BODY, publish_item

OFFICER_ONLY = same(403, anonymous=LOGIN, verified_officer=200)
OFFICER_POST = same(403, anonymous=LOGIN, verified_officer=302)


def ensure_workflow_steps() -> None:
    """Other apps' worlds replace the shipped questionnaires: keep a workflow-steps criterion."""
    if not any(option.value == "triage" for option in workflow_steps()):
        factories.make_questionnaire(
            "learning-steps-form",
            [
                {
                    "key": "workflow-steps",
                    "type": Question.Type.MULTIPLE_CHOICE,
                    "criterion": True,
                    "options": ["triage", "victim-identification"],
                }
            ],
            order=80,
            keep_shipped=True,
        )


def build_world(world):
    ensure_workflow_steps()
    coordinator = factories.CoordinatorFactory()
    world.objects["learning_module"] = publish_item(
        "url-table-module", kind=Kind.MODULE, body=MODULE_BODY, check=CHECK, by=coordinator
    )
    world.objects["learning_resource"] = publish_item("url-table-resource", kind=Kind.RESOURCE, by=coordinator)
    draft = services.create_item(coordinator, slug="url-table-draft", title="A draft", body="Draft text.")
    world.objects["learning_draft"] = draft
    in_review = services.create_item(coordinator, slug="url-table-review", title="In review", body="Text.")
    services.submit(ItemText.objects.get(item=in_review), coordinator)
    world.objects["learning_in_review"] = in_review
    world.objects["learning_image"] = services.upload_image(
        draft, coordinator, file=SimpleUploadedFile("x.png", png_bytes()), content_type="image/png"
    )
    # The topics come from a data migration, which a transactional test before this one may have
    # flushed away.
    world.objects["learning_topic"] = Topic.objects.order_by("pk").first() or Topic.objects.create(
        slug="investigation-techniques", names={"en": "Investigation techniques"}, order=1
    )
    contributor = factories.OfficerProfileFactory(verified=True).user
    services.grant_contributor(contributor, coordinator)
    world.objects["learning_contributor"] = contributor


def _item(name):
    return lambda w: {"slug": getattr(w, name).slug}


def _text(name):
    return lambda w: {"slug": getattr(w, name).slug, "language_code": "en"}


def _item_fields(**extra):
    return {"kind": "article", "section": "general", "level": "introductory", "reading_minutes": "5", **extra}


EXPECTATIONS = {
    "learning:index": Expect(HUB),
    "learning:step": Expect(HUB, kwargs=lambda w: {"step": "triage"}),
    "learning:progress": Expect(OFFICER_ONLY),
    "learning:item": Expect(HUB, kwargs=_item("learning_module")),
    "learning:item_versions": Expect(HUB, kwargs=_item("learning_module")),
    "learning:item_version": Expect(
        COORDINATOR_ONLY, kwargs=lambda w: {"slug": w.learning_module.slug, "language_code": "en", "number": 1}
    ),
    "learning:resource": Expect(HUB, kwargs=_item("learning_resource")),
    "learning:image": Expect(HUB, kwargs=lambda w: {"public_id": w.learning_image.public_id}),
    "learning:lesson_done": Expect(
        OFFICER_POST,
        kwargs=lambda w: {"slug": w.learning_module.slug, "lesson": 1},
        method="post",
        body=no_fields,
        effect=lambda w: LessonDone.objects.count(),
    ),
    "learning:check": Expect(
        same(403, anonymous=LOGIN, verified_officer=200),
        kwargs=_item("learning_module"),
        method="post",
        body=lambda w: {"q1": "1", "q2": "0"},
        effect=lambda w: CheckResult.objects.count(),
    ),
    "learning:write": Expect(COORDINATOR_ONLY),
    "learning:item_new": Expect(
        COORDINATOR_ONLY,
        body=lambda w: {"slug": "url-table-new", "original_language": "en", "title": "New", **_item_fields()},
        posted=COORDINATOR_POST,
        effect=lambda w: Item.objects.count(),
    ),
    "learning:item_edit": Expect(
        COORDINATOR_ONLY,
        kwargs=_item("learning_draft"),
        body=lambda w: _item_fields(level="specialist"),
        posted=COORDINATOR_POST,
        effect=lambda w: fresh(w.learning_draft).level,
    ),
    "learning:text_edit": Expect(
        COORDINATOR_ONLY,
        kwargs=_text("learning_draft"),
        body=lambda w: {"action": "save", "title": "A better draft", "body": "Better."},
        posted=COORDINATOR_POST,
        effect=lambda w: ItemText.objects.get(item=w.learning_draft).title,
    ),
    "learning:text_submit": Expect(
        COORDINATOR_POST,
        kwargs=_text("learning_draft"),
        method="post",
        body=no_fields,
        effect=lambda w: ItemText.objects.get(item=w.learning_draft).status,
    ),
    "learning:image_upload": Expect(
        COORDINATOR_POST,
        kwargs=_item("learning_draft"),
        method="post",
        body=lambda w: {"image": SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")},
        effect=lambda w: w.learning_draft.images.count(),
    ),
    "learning:review_queue": Expect(COORDINATOR_ONLY),
    "learning:review_text": Expect(
        COORDINATOR_ONLY,
        kwargs=_text("learning_in_review"),
        body=lambda w: {"action": "publish"},
        posted=COORDINATOR_POST,
        effect=lambda w: ItemText.objects.get(item=w.learning_in_review).status,
    ),
    "learning:coverage": Expect(COORDINATOR_ONLY),
    "learning:overdue": Expect(COORDINATOR_ONLY),
    "learning:mark_reviewed": Expect(COORDINATOR_POST, kwargs=_item("learning_module"), method="post", body=no_fields),
    "learning:statistics": Expect(COORDINATOR_ONLY),
    "learning:topics": Expect(
        COORDINATOR_ONLY,
        body=lambda w: {"slug": "url-table-topic", "order": "3", "name_en": "Open-source research"},
        posted=COORDINATOR_POST,
        effect=lambda w: Topic.objects.count(),
    ),
    "learning:topic_edit": Expect(
        COORDINATOR_ONLY,
        kwargs=lambda w: {"slug": w.learning_topic.slug},
        body=lambda w: {"slug": w.learning_topic.slug, "order": "9", "name_en": "Renamed topic"},
        posted=COORDINATOR_POST,
        effect=lambda w: fresh(w.learning_topic).names,
    ),
    "learning:contributors": Expect(
        COORDINATOR_ONLY,
        body=lambda w: {"email": w.users["verified_officer"].email},
        posted=COORDINATOR_POST,
        effect=lambda w: Contributor.objects.count(),
    ),
    "learning:contributor_revoke": Expect(
        COORDINATOR_POST,
        kwargs=lambda w: {"public_id": w.learning_contributor.public_id},
        method="post",
        body=no_fields,
        effect=lambda w: Contributor.objects.count(),
    ),
}
