"""List pages read a fixed number of queries however many items there are; overdue reviews."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.models import Item, ItemSearchText, ItemStep, ItemText, PublishedVersion
from notifications.models import Kind, Notification
from testkit import factories

from .helpers import publish_item

pytestmark = pytest.mark.django_db


def bulk_items(count: int, owner, *, start: int = 0) -> None:
    """`count` published items (English and French, on the triage step), written in bulk."""
    now = timezone.now()
    old = timezone.localdate() - datetime.timedelta(days=400)
    items = Item.objects.bulk_create(
        Item(slug=f"bulk-{start + index}", owner=owner, published_at=now, last_reviewed_on=old)
        for index in range(count)
    )
    texts, versions, steps, search = [], [], [], []
    for item in items:
        for code in ("en", "fr"):
            title = f"Bulk words {item.slug} {code}"
            texts.append(
                ItemText(
                    item=item,
                    language=code,
                    title=title,
                    updated_by=owner,
                    status="published",
                    published_title=title,
                    published_number=1,
                    published_at=now,
                )
            )
            versions.append(PublishedVersion(item=item, language=code, number=1, title=title, approved_by=owner))
            search.append(ItemSearchText(item=item, language=code, text=f"bulk words {item.slug}"))
        steps.append(ItemStep(item=item, step="triage"))
    ItemText.objects.bulk_create(texts)
    PublishedVersion.objects.bulk_create(versions)
    ItemStep.objects.bulk_create(steps)
    ItemSearchText.objects.bulk_create(search)


PAGES = [
    ("learning:index", {}, {}),
    ("learning:step", {"step": "triage"}, {}),
    ("learning:coverage", {}, {}),
    ("learning:overdue", {}, {}),
    ("learning:write", {}, {}),
    ("home:search", {}, {"q": "bulk words"}),
]


@pytest.mark.parametrize(("name", "kwargs", "params"), PAGES)
def test_list_pages_read_the_same_number_of_queries_for_10_and_200_items(signed_in, coordinator, name, kwargs, params):
    client = signed_in(coordinator)
    url = reverse(name, kwargs=kwargs)
    bulk_items(10, coordinator)
    client.get(url, params)  # warm the per-process caches (questionnaires, criteria index)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, params).status_code == 200
    bulk_items(190, coordinator, start=10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, params)
    assert response.status_code == 200
    assert len(many) == len(few), [query["sql"][:120] for query in many.captured_queries]


def test_items_not_reviewed_for_a_year_are_listed_and_sent_to_the_coordinators_once(signed_in, coordinator):
    other = factories.CoordinatorFactory()
    fresh = publish_item("fresh-item", title="Fresh item", by=coordinator)
    stale = publish_item("stale-item", title="Stale item", by=coordinator)
    Item.objects.filter(pk=stale.pk).update(last_reviewed_on=timezone.localdate() - datetime.timedelta(days=366))

    html = signed_in(coordinator).get(reverse("learning:overdue")).content.decode()
    assert "Stale item" in html and "Fresh item" not in html

    assert services.remind_overdue_reviews() == 1
    assert services.remind_overdue_reviews() == 0  # once per interval, whatever the number of workers
    assert set(Notification.objects.filter(kind=Kind.LEARNING_REVIEW).values_list("user", flat=True)) == {
        coordinator.pk,
        other.pk,
    }
    later = timezone.now() + services.REMINDER_INTERVAL + datetime.timedelta(minutes=1)
    assert services.remind_overdue_reviews(now=later) == 1

    signed_in(coordinator).post(reverse("learning:mark_reviewed", args=[stale.slug]))
    assert "Stale item" not in signed_in(coordinator).get(reverse("learning:overdue")).content.decode()
    assert fresh.last_reviewed_on == timezone.localdate()


def test_the_reminder_job_is_registered():
    from notifications.jobs import registered_jobs

    assert "learning_overdue_reviews" in registered_jobs()
