"""Name and emblem: providers notify, coordinators acknowledge or object, both see the history."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from audit.models import Action, AuditEvent
from catalogue.tests.test_provider_helpers import (
    jpeg_with_exif,
    pdf_bytes,
    pixel_bomb,
    png_bytes,
    upload,
    working_member,
)
from emblem import services
from emblem.models import EmblemEntry, EmblemNotification, State
from notifications.models import Kind, Notification, NotificationPreference
from testkit import factories
from testkit.personas import reauthenticate, sign_in
from testkit.urltable import all_expectations, url_names

pytestmark = pytest.mark.django_db

LIST = reverse("emblem:list")
NEW = reverse("emblem:new")
REMINDER = "may not present its tools as supported, endorsed or verified by the initiative"
CHANGED_MEANWHILE = "changed meanwhile"


@pytest.fixture
def member(db):
    return working_member()


@pytest.fixture
def colleague(member):
    return factories.MembershipFactory(organisation=member.membership.organisation, is_admin=False).user


@pytest.fixture
def provider(client, member):
    return sign_in(client, member)


@pytest.fixture
def coordinator_client(coordinator):
    return other_client(coordinator)


def other_client(user):
    """A signed-in client; a coordinator's has just confirmed the password, as decisions ask."""
    from django.test import Client

    client = sign_in(Client(), user)
    if user.is_coordinator:
        reauthenticate(client)
    return client


def form_data(**overrides):
    today = timezone.localdate()
    data = {
        "intended_use": "A slide naming the initiative as a place where our tool is listed.",
        "medium": "presentation",
        "audience": "Attendees of the Example Policing Conference",
        "period_start": (today + timedelta(days=3)).isoformat(),
        "period_end": (today + timedelta(days=10)).isoformat(),
        "sample": upload("My Slide.png", png_bytes(), "image/png"),
    }
    data.update(overrides)
    return data


def detail(notification):
    return reverse("emblem:detail", args=[notification.public_id])


def decide_url(notification):
    return reverse("emblem:decide", args=[notification.public_id])


# --- the whole journey ----------------------------------------------------------------------
def test_full_flow_notify_object_reply_renotify_acknowledge(
    provider, member, colleague, coordinator, coordinator_client
):
    second_coordinator = factories.CoordinatorFactory()
    outsider = factories.MembershipFactory().user  # another organisation's member

    page = provider.get(NEW)
    assert page.status_code == 200
    assert REMINDER in page.content.decode()

    response = provider.post(NEW, form_data())
    notification = EmblemNotification.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(notification)
    assert notification.state == State.SUBMITTED
    assert notification.organisation == member.membership.organisation
    assert notification.sample.name.startswith("emblem/") and "Slide" not in notification.sample.name
    assert notification.sample_type == "png"
    # The coordinators are told, one message each; the provider is not.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, second_coordinator.email])
    assert member.membership.organisation.name in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action=Action.EMBLEM_NOTIFIED, actor=member).count() == 1

    # The coordinator sees it in the list and on its page, and objects.
    listing = coordinator_client.get(LIST).content.decode()
    assert member.membership.organisation.name in listing and detail(notification) in listing
    page = coordinator_client.get(detail(notification)).content.decode()
    assert "Attendees of the Example Policing Conference" in page
    mail.outbox.clear()
    response = coordinator_client.post(
        decide_url(notification),
        {"decision": "objected", "comment": "Please do not use the emblem on the slide.", "version": 1},
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.state == State.OBJECTED and notification.decided_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, colleague.email])
    assert outsider.email not in [m.to[0] for m in mail.outbox]
    assert "Please do not use the emblem on the slide." in mail.outbox[0].body
    event = AuditEvent.objects.get(action=Action.EMBLEM_OBJECTED)
    assert event.actor == coordinator and event.target_id == str(notification.public_id)
    assert event.before["state"] == "submitted" and event.after["state"] == "objected"

    # The provider sees the objection in the history and replies.
    page = provider.get(detail(notification)).content.decode()
    assert "Please do not use the emblem on the slide." in page
    assert "The coordinators" in page and coordinator.full_name not in page
    assert REMINDER in page
    mail.outbox.clear()
    response = provider.post(
        reverse("emblem:comment", args=[notification.public_id]), {"comment": "Understood, we will change it."}
    )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, second_coordinator.email])
    assert AuditEvent.objects.filter(action=Action.EMBLEM_COMMENTED, actor=member).count() == 1

    # ...and sends a new notification that starts from the earlier one.
    prefilled = provider.get(f"{NEW}?previous={notification.public_id}").content.decode()
    assert "Attendees of the Example Policing Conference" in prefilled
    response = provider.post(
        NEW, form_data(previous=str(notification.public_id), intended_use="A slide naming the initiative, no emblem.")
    )
    revised = EmblemNotification.objects.exclude(pk=notification.pk).get()
    assert revised.previous == notification
    assert detail(revised) in provider.get(detail(notification)).content.decode()

    # Both sides see the history, newest first.
    history = coordinator_client.get(detail(notification)).content.decode()
    comment_at = history.index("Understood, we will change it.")
    objection_at = history.index("Please do not use the emblem on the slide.")
    sent_at = history.index("Notification sent")
    assert comment_at < objection_at < sent_at

    # The revised one is acknowledged.
    coordinator_client.post(decide_url(revised), {"decision": "acknowledged", "comment": "", "version": 1})
    revised.refresh_from_db()
    assert revised.state == State.ACKNOWLEDGED
    assert AuditEvent.objects.filter(action=Action.EMBLEM_ACKNOWLEDGED, actor=coordinator).count() == 1
    assert [e.kind for e in revised.entries.all()] == ["acknowledged", "submitted"]
    assert "Acknowledged" in provider.get(LIST).content.decode()


def test_a_pdf_sample_is_served_as_a_download_only(provider, coordinator_client):
    provider.post(NEW, form_data(sample=upload("flyer.pdf", pdf_bytes(), "application/pdf")))
    notification = EmblemNotification.objects.get()
    assert notification.sample_type == "pdf" and notification.sample.name.endswith(".pdf")

    for client in (provider, coordinator_client):
        response = client.get(reverse("emblem:sample", args=[notification.public_id]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "flyer" not in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_jpeg_sample_is_re_encoded_without_metadata(provider):
    original = jpeg_with_exif()
    provider.post(NEW, form_data(sample=upload("photo.jpg", original, "image/jpeg")))
    notification = EmblemNotification.objects.get()
    with notification.sample.open("rb") as stored:
        data = stored.read()
    assert b"Secret Camera Maker" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (40, 30)
    response = provider.get(reverse("emblem:sample", args=[notification.public_id]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment;")


def test_each_side_finds_the_news_in_its_inbox_and_may_mute_the_email(provider, member, colleague, coordinator):
    NotificationPreference.objects.create(user=colleague, kind=Kind.EMBLEM_UPDATE, email=False)
    provider.post(NEW, form_data())
    notification = EmblemNotification.objects.get()
    told = Notification.objects.get(user=coordinator)
    assert (told.kind, told.link) == (Kind.EMBLEM_UPDATE, detail(notification))
    assert (
        member.membership.organisation.name
        in other_client(coordinator).get(reverse("notifications:inbox")).content.decode()
    )
    mail.outbox.clear()

    services.decide(notification, by=coordinator, decision="objected", comment="Not on the slide.", expected_version=1)
    # Both members see it in the inbox; only the one who kept the email on gets the email.
    assert Notification.objects.filter(kind=Kind.EMBLEM_UPDATE, user__in=[member, colleague]).count() == 2
    assert [m.to[0] for m in mail.outbox] == [member.email]
    inbox = provider.get(reverse("notifications:inbox")).content.decode()
    assert "objected to your use of the name or emblem" in inbox and "Not on the slide." in inbox


# --- validation -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name,data,message",
    [
        ("page.png", b"<html><script>alert(1)</script></html>", "PDF document, a PNG image or a JPEG image"),
        ("anim.gif", b"GIF89a" + b"\0" * 50, "PDF document, a PNG image or a JPEG image"),
        ("big.png", png_bytes() + b"\0" * (5 * 1024 * 1024), "at most 5 MB"),
        ("bomb.png", pixel_bomb(), "million pixels"),
        ("broken.png", png_bytes()[:40], "not a readable PNG image"),
        ("fake.pdf", b"%PDF-1.7 not really a pdf", "must be a PDF document"),
        ("script.pdf", pdf_bytes(javascript=True), "scripts are not accepted"),
        ("polyglot.jpg", b"\xff\xd8\xff" + b"<html><script>alert(1)</script></html>", "not a readable JPEG image"),
    ],
    ids=[
        "html-renamed-png",
        "gif",
        "oversized",
        "pixel-bomb",
        "truncated-png",
        "fake-pdf",
        "pdf-javascript",
        "polyglot",
    ],
)
def test_bad_samples_are_refused_with_a_message_and_typed_values_kept(provider, name, data, message):
    response = provider.post(NEW, form_data(sample=upload(name, data)))

    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "Attendees of the Example Policing Conference" in body
    assert "A slide naming the initiative as a place where our tool is listed." in body
    assert 'value="presentation" selected' in body
    assert not EmblemNotification.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.EMBLEM_NOTIFIED).exists()
    assert not mail.outbox


def test_the_period_must_end_on_or_after_its_start(provider):
    today = timezone.localdate()
    response = provider.post(
        NEW,
        form_data(
            period_start=(today + timedelta(days=10)).isoformat(), period_end=(today + timedelta(days=2)).isoformat()
        ),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "The end of the period must be on or after its start." in body
    assert (today + timedelta(days=10)).isoformat() in body
    assert not EmblemNotification.objects.exists()


def test_missing_fields_are_named_and_nothing_is_sent(provider):
    response = provider.post(NEW, {"medium": "no-such-medium"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body
    assert "Select a valid choice." in body
    assert not EmblemNotification.objects.exists()


def test_extra_fields_cannot_set_state_or_organisation(provider, member):
    other = factories.OrganisationFactory()
    provider.post(NEW, form_data(state="acknowledged", organisation=other.pk, version=7))
    notification = EmblemNotification.objects.get()
    assert notification.state == State.SUBMITTED
    assert notification.organisation == member.membership.organisation
    assert notification.version == 1


def test_an_objection_needs_a_comment(coordinator_client):
    notification = factories.EmblemNotificationFactory()
    response = coordinator_client.post(decide_url(notification), {"decision": "objected", "comment": " ", "version": 1})
    assert response.status_code == 400
    assert "Tell the provider why you object." in response.content.decode()
    notification.refresh_from_db()
    assert notification.state == State.SUBMITTED


# --- who may do what ------------------------------------------------------------------------
def test_provider_b_cannot_see_or_touch_provider_a_notifications(client, member):
    notification = factories.EmblemNotificationFactory(organisation=member.membership.organisation)
    notification.state = State.OBJECTED
    notification.save()
    provider_b = working_member()
    sign_in(client, provider_b)

    assert client.get(detail(notification)).status_code == 404
    assert client.get(reverse("emblem:sample", args=[notification.public_id])).status_code == 404
    comment = reverse("emblem:comment", args=[notification.public_id])
    assert client.post(comment, {"comment": "Hello"}).status_code == 404
    assert client.post(decide_url(notification), {"decision": "acknowledged", "version": 1}).status_code == 403
    assert str(notification.public_id) not in client.get(LIST).content.decode()
    # Following up another organisation's notification is refused, and nothing is prefilled from it.
    prefilled = client.get(f"{NEW}?previous={notification.public_id}").content.decode()
    assert notification.audience not in prefilled
    response = client.post(NEW, form_data(previous=str(notification.public_id)))
    assert response.status_code == 400
    assert "The earlier notification was not found." in response.content.decode()
    assert EmblemNotification.objects.count() == 1
    assert not notification.entries.filter(kind=EmblemEntry.Kind.COMMENT).exists()


def test_members_of_an_organisation_without_accepted_terms_are_refused(signed_in, provider_member):
    factories.TermsDocumentFactory(audience="providers")  # current terms nobody in the organisation accepted
    client = signed_in(provider_member)
    refused = client.get(LIST)
    assert refused.status_code == 403
    # The refusal says why and where to look, not just "not allowed".
    assert "accepted the current provider terms" in refused.content.decode()
    assert reverse("providers:my_organisation") in refused.content.decode()
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data()).status_code == 403
    assert not EmblemNotification.objects.exists()


def test_officers_are_refused(signed_in, verified_officer):
    notification = factories.EmblemNotificationFactory()
    client = signed_in(verified_officer)
    assert client.get(LIST).status_code == 403
    assert client.get(detail(notification)).status_code == 403
    assert client.get(reverse("emblem:sample", args=[notification.public_id])).status_code == 403


def test_providers_cannot_decide_and_comment_only_after_an_objection(provider, member):
    notification = factories.EmblemNotificationFactory(organisation=member.membership.organisation)
    assert provider.post(decide_url(notification), {"decision": "acknowledged", "version": 1}).status_code == 403
    comment = reverse("emblem:comment", args=[notification.public_id])
    assert provider.post(comment, {"comment": "Any news?"}).status_code == 403
    page = provider.get(detail(notification)).content.decode()
    assert "Save decision" not in page and "Reply to the coordinators" not in page
    notification.refresh_from_db()
    assert notification.state == State.SUBMITTED and notification.entries.count() == 1


def test_coordinators_cannot_notify(coordinator_client):
    assert coordinator_client.get(NEW).status_code == 403


def test_deciding_needs_a_recent_password_confirmation(coordinator):
    from django.test import Client

    notification = factories.EmblemNotificationFactory()
    stale = sign_in(Client(), coordinator)  # signed in, but not re-authenticated
    response = stale.post(decide_url(notification), {"decision": "acknowledged", "version": 1})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    notification.refresh_from_db()
    assert notification.state == State.SUBMITTED


# --- concurrency ----------------------------------------------------------------------------
def test_two_coordinators_deciding_at_once_the_second_is_told_it_changed(coordinator, coordinator_client):
    notification = factories.EmblemNotificationFactory()
    second = other_client(factories.CoordinatorFactory())
    # Both loaded the page at version 1.
    assert 'name="version" value="1"' in coordinator_client.get(detail(notification)).content.decode()
    assert 'name="version" value="1"' in second.get(detail(notification)).content.decode()

    first = coordinator_client.post(decide_url(notification), {"decision": "acknowledged", "version": 1})
    late = second.post(decide_url(notification), {"decision": "objected", "comment": "No.", "version": 1}, follow=True)

    assert first.status_code == 302
    assert late.status_code == 409 and CHANGED_MEANWHILE in late.content.decode()
    # The objection's text is not lost: no decision is left, so it waits in the comment form.
    assert "No.</textarea>" in late.content.decode()
    notification.refresh_from_db()
    assert notification.state == State.ACKNOWLEDGED
    assert list(notification.entries.values_list("kind", flat=True)) == ["acknowledged", "submitted"]
    assert AuditEvent.objects.filter(action=Action.EMBLEM_ACKNOWLEDGED).count() == 1
    assert not AuditEvent.objects.filter(action=Action.EMBLEM_OBJECTED).exists()


def test_a_comment_made_meanwhile_stops_a_stale_decision(coordinator_client):
    notification = factories.EmblemNotificationFactory()
    other_client(factories.CoordinatorFactory()).post(
        reverse("emblem:comment", args=[notification.public_id]), {"comment": "Asked the provider by phone."}
    )
    response = coordinator_client.post(
        decide_url(notification), {"decision": "acknowledged", "version": 1}, follow=True
    )
    assert CHANGED_MEANWHILE in response.content.decode()
    notification.refresh_from_db()
    assert notification.state == State.SUBMITTED


# --- the list ---------------------------------------------------------------------------------
def test_coordinators_filter_the_list_by_state(coordinator_client):
    submitted = factories.EmblemNotificationFactory()
    acknowledged = factories.EmblemNotificationFactory(state=State.ACKNOWLEDGED)
    body = coordinator_client.get(LIST, {"state": "acknowledged"}).content.decode()
    assert detail(acknowledged) in body and detail(submitted) not in body
    body = coordinator_client.get(LIST).content.decode()
    assert detail(acknowledged) in body and detail(submitted) in body


def test_providers_see_only_their_own_organisation_in_the_list(provider, member):
    own = factories.EmblemNotificationFactory(organisation=member.membership.organisation)
    other = factories.EmblemNotificationFactory()
    body = provider.get(LIST).content.decode()
    assert detail(own) in body and detail(other) not in body
    assert REMINDER in body


@pytest.mark.parametrize("who", ["coordinator", "provider"])
def test_list_query_count_does_not_grow(who, provider, member, coordinator_client, django_assert_max_num_queries):
    client = coordinator_client if who == "coordinator" else provider

    def add(count):
        for _ in range(count):
            factories.EmblemNotificationFactory(organisation=member.membership.organisation)
            factories.EmblemNotificationFactory()

    add(2)
    client.get(LIST)  # warm caches (session, terms)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert response.status_code == 200


# --- the URL table and the reminder on the providers' tools page ------------------------------
def test_every_emblem_url_is_in_the_url_table():
    names = {name for name in url_names() if name.startswith("emblem:")}
    listed = {name for name in all_expectations() if name.startswith("emblem:")}
    assert names == listed
    assert {"emblem:list", "emblem:new", "emblem:detail", "emblem:decide", "emblem:sample"} <= names


def test_the_providers_tools_page_reminds_and_links_to_the_notification(provider):
    body = provider.get(reverse("catalogue:my_tools")).content.decode()
    assert "supported or verified by the initiative" in body
    assert LIST in body


def test_deciding_an_already_decided_notification_says_it_changed(coordinator_client):
    notification = factories.EmblemNotificationFactory(state=State.OBJECTED, version=2)
    response = coordinator_client.post(
        decide_url(notification), {"decision": "acknowledged", "version": 2}, follow=True
    )
    assert CHANGED_MEANWHILE in response.content.decode()
    notification.refresh_from_db()
    assert notification.state == State.OBJECTED
    assert not AuditEvent.objects.filter(action=Action.EMBLEM_ACKNOWLEDGED).exists()


def test_a_decision_without_its_version_is_refused_visibly(coordinator_client):
    notification = factories.EmblemNotificationFactory()
    response = coordinator_client.post(decide_url(notification), {"decision": "acknowledged"})
    assert response.status_code == 400
    assert "Reload the page and decide again." in response.content.decode()
    notification.refresh_from_db()
    assert notification.state == State.SUBMITTED
