"""Writes of the Learning Centre. Each takes the acting user, runs in one transaction and
records its audit event there (and, where someone must be told, their inbox entry).

A language text moves draft → in review → published (TRANSITIONS); a coordinator publishes or
returns it with a comment. Publishing keeps the version whole (`PublishedVersion`), copies its
title and summary onto the text for list pages, and indexes it for search in its language.
Opening an item is counted once per officer (`record_view`) without an audit event: like
the catalogue's exposure counts, it is a reading statistic, not a change anyone makes.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import Action
from audit.services import record
from notifications.inbox import notify_many, register_message
from notifications.models import Kind

from .models import (
    TRANSITIONS,
    CheckResult,
    Completion,
    Contributor,
    Image,
    Item,
    ItemSearchText,
    ItemStep,
    ItemText,
    ItemView,
    LessonDone,
    PublishedVersion,
    TextStatus,
    Topic,
)
from .selectors import REVIEW_INTERVAL_DAYS, search_text, step_labels

register_message("learning_review_due", _("“%(item)s” has not been reviewed for 12 months"))

# Coordinators are reminded again after this long if an overdue item is still not reviewed.
REMINDER_INTERVAL = datetime.timedelta(days=30)


class NotAllowed(Exception):
    """The text is not in a state that allows this."""


def _move(text: ItemText, status: str) -> None:
    if status not in TRANSITIONS[TextStatus(text.status)]:
        raise NotAllowed(f"{text.status} -> {status}")
    text.status = status


# --- items and texts -----------------------------------------------------------------------
@transaction.atomic
def create_item(by, *, topics=(), steps=(), title, summary="", body="", check_text="", request=None, **fields) -> Item:
    """A new item with its original-language text as a draft."""
    item = Item.objects.create(owner=by, **fields)
    item.topics.set(topics)
    ItemStep.objects.bulk_create([ItemStep(item=item, step=step) for step in steps])
    ItemText.objects.create(
        item=item,
        language=item.original_language,
        title=title,
        summary=summary,
        body=body,
        check_text=check_text,
        updated_by=by,
    )
    record(Action.LEARNING_ITEM_CREATED, actor=by, target=item, request=request, after=_item_snapshot(item, steps))
    return item


def _item_snapshot(item: Item, steps=None) -> dict:
    return {
        "kind": item.kind,
        "section": item.section,
        "level": item.level,
        "reading_minutes": item.reading_minutes,
        "original_language": item.original_language,
        "distressing": item.distressing,
        "steps": sorted(steps if steps is not None else item.steps.values_list("step", flat=True)),
        "topics": sorted(item.topics.values_list("slug", flat=True)),
        "resource": bool(item.resource),
    }


@transaction.atomic
def update_item(item: Item, by, *, topics, steps, resource=None, request=None, **fields) -> Item:
    """Change what does not depend on the language; the search index follows."""
    before = _item_snapshot(item)
    for name, value in fields.items():
        setattr(item, name, value)
    if resource:
        item.resource = resource
    item.save()
    item.topics.set(topics)
    ItemStep.objects.filter(item=item).exclude(step__in=steps).delete()
    existing = set(ItemStep.objects.filter(item=item).values_list("step", flat=True))
    ItemStep.objects.bulk_create([ItemStep(item=item, step=step) for step in steps if step not in existing])
    reindex(item)
    record(
        Action.LEARNING_ITEM_CHANGED, actor=by, target=item, request=request, before=before, after=_item_snapshot(item)
    )
    return item


@transaction.atomic
def save_text(item: Item, language: str, by, *, title, summary="", body="", check_text="", request=None) -> ItemText:
    """Save a language version as a draft. A published text keeps what readers see until the
    new draft is published; a text in review must be returned before it is changed."""
    text = ItemText.objects.select_for_update().filter(item=item, language=language).first()
    if text is None:
        text = ItemText(item=item, language=language, updated_by=by)
    elif text.status == TextStatus.IN_REVIEW:
        raise NotAllowed("in review")
    elif text.status == TextStatus.PUBLISHED:
        _move(text, TextStatus.DRAFT)
    text.title, text.summary, text.body, text.check_text = title, summary, body, check_text
    text.updated_by, text.updated_at = by, timezone.now()
    text.save()
    record(Action.LEARNING_TEXT_SAVED, actor=by, target=item, request=request, after={"language": language})
    return text


def _locked(text: ItemText) -> ItemText:
    return ItemText.objects.select_for_update(of=("self",)).select_related("item").get(pk=text.pk)


@transaction.atomic
def submit(text: ItemText, by, *, request=None) -> ItemText:
    text = _locked(text)
    _move(text, TextStatus.IN_REVIEW)
    text.save(update_fields=["status"])
    record(
        Action.LEARNING_TEXT_SUBMITTED, actor=by, target=text.item, request=request, after={"language": text.language}
    )
    return text


@transaction.atomic
def publish(text: ItemText, by, *, request=None) -> PublishedVersion:
    """A coordinator approves a text in review: a new published version, seen by readers now."""
    text = _locked(text)
    _move(text, TextStatus.PUBLISHED)
    now = timezone.now()
    number = (
        PublishedVersion.objects.filter(item=text.item, language=text.language).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    version = PublishedVersion.objects.create(
        item=text.item,
        language=text.language,
        number=number,
        title=text.title,
        summary=text.summary,
        body=text.body,
        check_text=text.check_text,
        published_at=now,
        approved_by=by,
    )
    text.review_comment = ""
    text.published_title, text.published_summary = text.title, text.summary
    text.published_number, text.published_at = number, now
    text.save()
    item = text.item
    # Publishing is a review: the content was read and approved today.
    item.last_reviewed_on = timezone.localdate()
    fields = ["last_reviewed_on"]
    if item.published_at is None and text.language == item.original_language:
        item.published_at = now
        fields.append("published_at")
    item.save(update_fields=fields)
    _index(item, text, version.body)
    record(
        Action.LEARNING_TEXT_PUBLISHED,
        actor=by,
        target=item,
        request=request,
        after={"language": text.language, "number": number},
    )
    return version


@transaction.atomic
def return_text(text: ItemText, by, *, comment: str, request=None) -> ItemText:
    """A coordinator sends a text in review back to its author with a comment."""
    text = _locked(text)
    _move(text, TextStatus.DRAFT)
    text.review_comment = comment
    text.save(update_fields=["status", "review_comment"])
    record(
        Action.LEARNING_TEXT_RETURNED,
        actor=by,
        target=text.item,
        request=request,
        after={"language": text.language, "comment": comment},
    )
    return text


@transaction.atomic
def mark_reviewed(item: Item, by, *, request=None) -> Item:
    """A coordinator checked the item is still accurate: it leaves the overdue list."""
    before = {"last_reviewed_on": item.last_reviewed_on.isoformat() if item.last_reviewed_on else None}
    item.last_reviewed_on = timezone.localdate()
    item.review_reminded_at = None
    item.save(update_fields=["last_reviewed_on", "review_reminded_at"])
    record(
        Action.LEARNING_ITEM_REVIEWED,
        actor=by,
        target=item,
        request=request,
        before=before,
        after={"last_reviewed_on": item.last_reviewed_on.isoformat()},
    )
    return item


@transaction.atomic
def upload_image(item: Item, by, *, file, content_type: str, request=None) -> Image:
    """`file` is already checked and re-encoded (learning.images.clean_image)."""
    image = Image(item=item, content_type=content_type, uploaded_by=by)
    image.file.save("image", file, save=False)
    image.save()
    record(
        Action.LEARNING_IMAGE_UPLOADED, actor=by, target=item, request=request, after={"image": str(image.public_id)}
    )
    return image


# --- search index ----------------------------------------------------------------------------
def _index(item: Item, text: ItemText, body: str) -> None:
    labels = step_labels()
    topics = list(item.topics.all())
    names = []
    for step in item.steps.all():
        option = labels.get(step.step)
        if option is not None:
            names.append(option.labels.get(text.language) or option.label)
    words = search_text(text.published_title, text.published_summary, body, text.language, topics, names)
    ItemSearchText.objects.update_or_create(item=item, language=text.language, defaults={"text": words})


def reindex(item: Item) -> None:
    """Index every published language version of the item again (its topics or steps changed)."""
    for text in ItemText.objects.filter(item=item, published_number__isnull=False):
        version = PublishedVersion.objects.get(item=item, language=text.language, number=text.published_number)
        _index(item, text, version.body)


# --- contributors and topics ----------------------------------------------------------------------
@transaction.atomic
def grant_contributor(user: User, by, *, request=None) -> Contributor:
    contributor, created = Contributor.objects.get_or_create(user=user, defaults={"granted_by": by})
    if created:
        record(Action.LEARNING_CONTRIBUTOR_GRANTED, actor=by, target=user, request=request)
    return contributor


@transaction.atomic
def revoke_contributor(user: User, by, *, request=None) -> bool:
    deleted = Contributor.objects.filter(user=user).delete()[0]
    if deleted:
        record(Action.LEARNING_CONTRIBUTOR_REVOKED, actor=by, target=user, request=request)
    return bool(deleted)


@transaction.atomic
def save_topic(by, *, slug: str, names: dict, order: int = 0, topic: Topic | None = None, request=None) -> Topic:
    before = {"slug": topic.slug, "names": topic.names} if topic else None
    topic = topic or Topic()
    topic.slug, topic.names, topic.order = slug, {code: name for code, name in names.items() if name}, order
    topic.save()
    for item in Item.objects.filter(topics=topic):
        reindex(item)
    record(
        Action.LEARNING_TOPIC_SAVED,
        actor=by,
        target=topic,
        request=request,
        before=before,
        after={"slug": topic.slug, "names": topic.names},
    )
    return topic


# --- readers --------------------------------------------------------------------------------
def record_view(item: Item, user) -> None:
    """Count that the officer opened the item, once (a reading statistic; see the module)."""
    if ItemView.objects.filter(item=item, user=user).exists():
        return
    try:
        with transaction.atomic():
            ItemView.objects.create(item=item, user=user)
    except IntegrityError:
        pass  # the same officer, in another tab, at the same moment


@transaction.atomic
def mark_lesson_done(item: Item, user, *, lesson: int, lessons: int, request=None) -> bool:
    """Mark one lesson done (lesson 0: an article or resource read); True when the item is now
    complete (every lesson done)."""
    _created = LessonDone.objects.get_or_create(item=item, user=user, lesson=lesson)[1]
    ItemView.objects.get_or_create(item=item, user=user)
    done = LessonDone.objects.filter(item=item, user=user, lesson__gte=1).count()
    complete = lesson == 0 or done >= lessons
    if complete:
        Completion.objects.get_or_create(item=item, user=user)
    if _created:
        record(
            Action.LEARNING_LESSON_DONE,
            actor=user,
            target=item,
            request=request,
            after={"lesson": lesson, "complete": complete},
        )
    return complete


@transaction.atomic
def record_check(item: Item, user, *, score: int, total: int, request=None) -> CheckResult:
    result, _created = CheckResult.objects.update_or_create(
        item=item, user=user, defaults={"score": score, "total": total, "taken_at": timezone.now()}
    )
    ItemView.objects.get_or_create(item=item, user=user)
    record(
        Action.LEARNING_CHECK_TAKEN, actor=user, target=item, request=request, after={"score": score, "total": total}
    )
    return result


# --- the periodic job --------------------------------------------------------------------------
def remind_overdue_reviews(now=None) -> int:
    """Periodic: each published item not reviewed for 12 months goes to the coordinators' inbox,
    again every REMINDER_INTERVAL while it stays overdue (a conditional update, so two workers
    never remind twice)."""
    now = now or timezone.now()
    limit = now.date() - datetime.timedelta(days=REVIEW_INTERVAL_DAYS)
    overdue = Item.objects.filter(published_at__isnull=False).filter(
        Q(last_reviewed_on__isnull=True) | Q(last_reviewed_on__lte=limit)
    )
    count = 0
    for item_id in list(overdue.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = (
                Item.objects.filter(pk=item_id)
                .filter(Q(review_reminded_at__isnull=True) | Q(review_reminded_at__lte=now - REMINDER_INTERVAL))
                .update(review_reminded_at=now)
            )
            if not claimed:
                continue
            item = Item.objects.get(pk=item_id)
            original = ItemText.objects.filter(item=item, language=item.original_language).first()
            notify_many(
                User.objects.active_coordinators(),
                Kind.LEARNING_REVIEW,
                message="learning_review_due",
                params={"item": original.published_title if original else item.slug},
                link=reverse("learning:overdue"),
            )
            record(
                Action.LEARNING_REVIEW_REMINDED,
                target=item,
                after={"last_reviewed_on": item.last_reviewed_on.isoformat() if item.last_reviewed_on else None},
            )
            count += 1
    return count
