"""The in-app inbox: notify(), email preferences, the inbox pages and the header count."""

import re

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as account_services
from audit.models import Action, AuditEvent
from catalogue import review
from catalogue.models import ToolState
from notifications import inbox
from notifications.models import Kind, Notification, NotificationPreference, OutboxMessage, UserSettings
from providers import services as provider_services
from testkit import factories

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")
SETTINGS = reverse("notifications:preferences")


def send(user, kind=Kind.TOOL_REVIEW, **kwargs):
    kwargs.setdefault("message", "tool_publish")
    kwargs.setdefault("params", {"tool": "Fictitious Finder"})
    kwargs.setdefault("link", "/tools/mine/")
    return inbox.notify(user, kind, **kwargs)


def open_url(notification):
    return reverse("notifications:open", kwargs={"public_id": notification.public_id})


def read_url(notification):
    return reverse("notifications:mark_read", kwargs={"public_id": notification.public_id})


# --- notify() ---------------------------------------------------------------------------
def test_notify_writes_the_inbox_row_and_one_email_to_the_recipient_only(provider_admin, provider_member):
    mail.outbox.clear()
    notification = send(provider_admin)

    assert list(Notification.objects.filter(user=provider_admin)) == [notification]
    assert not Notification.objects.filter(user=provider_member).exists()
    (message,) = mail.outbox
    assert message.to == [provider_admin.email]
    assert message.subject == "[SaferHub] Fictitious Finder is now published in the catalogue"
    assert "http" in message.body and "/tools/mine/" in message.body
    assert inbox.render_title(notification) == "Fictitious Finder is now published in the catalogue"


@override_settings(EMAIL_BACKEND="notifications.backends.OutboxEmailBackend")
def test_a_rolled_back_decision_leaves_neither_notification_nor_email(provider_admin):
    with pytest.raises(RuntimeError), transaction.atomic():
        send(provider_admin)
        assert Notification.objects.count() == 1 and OutboxMessage.objects.count() == 1
        raise RuntimeError("the decision failed after notifying")

    assert Notification.objects.count() == 0
    assert OutboxMessage.objects.count() == 0

    with transaction.atomic():
        send(provider_admin)
    assert Notification.objects.count() == 1
    (queued,) = OutboxMessage.objects.all()
    assert queued.payload["to"] == [provider_admin.email]


def test_turning_email_off_keeps_the_inbox_entry_but_sends_no_mail(provider_admin):
    NotificationPreference.objects.create(user=provider_admin, kind=Kind.TOOL_REVIEW, email=False)
    mail.outbox.clear()

    send(provider_admin)
    send(provider_admin, Kind.ORGANISATION_DECISION, message="organisation_approved", params={"organisation": "X"})

    assert Notification.objects.filter(user=provider_admin).count() == 2
    assert [m.subject for m in mail.outbox] == ["[SaferHub] X was approved"]


@pytest.mark.parametrize("kind", [Kind.TOOL_SUSPENDED, Kind.TOOL_REMOVED])
def test_safety_notices_are_always_emailed(provider_admin, kind):
    NotificationPreference.objects.create(user=provider_admin, kind=kind, email=False)
    mail.outbox.clear()

    send(provider_admin, kind, message="unregistered_in_this_test")

    assert [m.to for m in mail.outbox] == [[provider_admin.email]]


def test_the_safety_flag_overrides_a_preference(provider_admin):
    NotificationPreference.objects.create(user=provider_admin, kind=Kind.TOOL_UPDATE, email=False)
    mail.outbox.clear()
    send(provider_admin, Kind.TOOL_UPDATE, safety=True)
    assert len(mail.outbox) == 1


def test_emails_are_written_in_the_recipients_language(pending_officer, coordinator):
    UserSettings.objects.create(user=pending_officer, language="fr")
    mail.outbox.clear()

    account_services.approve_officer(pending_officer.officer, by=coordinator)

    (message,) = mail.outbox
    assert message.subject == "[SaferHub] Votre inscription a été approuvée"


def test_links_elsewhere_are_dropped_and_unknown_messages_still_render(provider_admin):
    notification = send(provider_admin, message="no_such_message", link="https://evil.example.com/")
    assert notification.link == ""
    assert inbox.render_title(notification) == str(Kind.TOOL_REVIEW.label)
    missing = send(provider_admin, params={})
    assert inbox.render_title(missing) == "… is now published in the catalogue"
    for link in ["//evil.example.com/x", "/\\evil.example.com", "javascript:alert(1)"]:
        assert inbox.safe_link(link) == ""


# --- the decisions that notify ------------------------------------------------------------
def test_vetting_decisions_reach_the_inbox_and_email_once(pending_officer, coordinator):
    other = factories.OfficerProfileFactory().user
    mail.outbox.clear()

    account_services.reject_officer(other.officer, by=coordinator, reason="Not a law-enforcement agency.")
    account_services.approve_officer(pending_officer.officer, by=coordinator)

    approved = Notification.objects.get(user=pending_officer)
    assert approved.kind == Kind.VETTING_DECISION and approved.link == reverse("accounts:profile")
    assert inbox.render_title(approved) == "Your registration was approved"
    rejected = Notification.objects.get(user=other)
    assert inbox.render_title(rejected) == "Your registration was not approved"
    assert inbox.detail(rejected) == "Not a law-enforcement agency."
    assert sorted(m.to[0] for m in mail.outbox) == sorted([pending_officer.email, other.email])


def test_organisation_decisions_notify_each_admin_not_other_members(coordinator):
    organisation = factories.OrganisationFactory(status="pending", name="Beacon Labs")
    admin = factories.MembershipFactory(organisation=organisation, is_admin=True).user
    member = factories.MembershipFactory(organisation=organisation, is_admin=False).user
    mail.outbox.clear()

    provider_services.approve_organisation(organisation, by=coordinator)

    (notification,) = Notification.objects.all()
    assert notification.user == admin and notification.kind == Kind.ORGANISATION_DECISION
    assert inbox.render_title(notification) == "Beacon Labs was approved"
    assert notification.link == reverse("providers:my_organisation")
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert not Notification.objects.filter(user=member).exists()


@pytest.mark.parametrize(
    ("decide", "title"),
    [
        (lambda tool, by: review.publish_tool(tool, by=by, expected_version=tool.version), "is now published"),
        (
            lambda tool, by: review.request_changes(tool, by=by, comment="Answer Q3.", expected_version=tool.version),
            "Changes requested for",
        ),
        (
            lambda tool, by: review.reject_tool(tool, by=by, reason="Out of scope.", expected_version=tool.version),
            "was not accepted",
        ),
    ],
)
def test_review_decisions_notify_every_active_member(coordinator, organisation, decide, title):
    admin = factories.MembershipFactory(organisation=organisation, is_admin=True).user
    member = factories.MembershipFactory(organisation=organisation).user
    gone = factories.MembershipFactory(organisation=organisation, user__is_active=False).user
    tool = factories.ToolFactory(organisation=organisation, state=ToolState.SUBMITTED, name="Fictitious Finder")
    mail.outbox.clear()

    decide(tool, coordinator)

    notifications = Notification.objects.filter(kind=Kind.TOOL_REVIEW)
    assert sorted(n.user_id for n in notifications) == sorted([admin.pk, member.pk])
    assert all(title in inbox.render_title(n) and "Fictitious Finder" in inbox.render_title(n) for n in notifications)
    assert all(n.link == reverse("catalogue:provider_tool", kwargs={"slug": tool.slug}) for n in notifications)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([admin.email, member.email])
    assert not Notification.objects.filter(user=gone).exists()


# --- the inbox pages ----------------------------------------------------------------------
def test_the_inbox_lists_only_my_notifications_newest_first_with_unread_marked(signed_in, provider_admin):
    first = send(provider_admin, params={"tool": "Older Tool"})
    second = send(provider_admin, params={"tool": "Newer Tool"})
    inbox.mark_read(first)
    send(factories.MembershipFactory().user, params={"tool": "Someone Else's Tool"})

    html = signed_in(provider_admin).get(INBOX).content.decode()

    assert html.index("Newer Tool") < html.index("Older Tool")
    assert "Someone Else" not in html
    assert html.count("Unread</strong>") == 1
    assert read_url(second) in html and read_url(first) not in html


def test_opening_marks_read_and_goes_to_the_subject(signed_in, provider_admin):
    notification = send(provider_admin, link="/tools/mine/")
    client = signed_in(provider_admin)

    assert client.get(open_url(notification)).status_code == 405
    response = client.post(open_url(notification))

    assert response.status_code == 302 and response["Location"] == "/tools/mine/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_a_notification_without_a_link_returns_to_the_inbox(signed_in, provider_admin):
    notification = send(provider_admin, link="https://evil.example.com/")
    response = signed_in(provider_admin).post(open_url(notification), {"page": "2"})
    assert response["Location"] == INBOX + "?page=2"


def test_another_users_notification_is_a_404_and_stays_unread(signed_in, provider_admin, provider_member):
    notification = send(provider_member)
    client = signed_in(provider_admin)

    assert client.post(open_url(notification)).status_code == 404
    assert client.post(read_url(notification)).status_code == 404
    client.post(reverse("notifications:mark_all_read"))

    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read_and_mark_all_read(signed_in, provider_admin):
    one, two, three = (send(provider_admin) for _ in range(3))
    client = signed_in(provider_admin)

    response = client.post(read_url(one))
    assert response["Location"] == INBOX
    assert inbox.unread_count(provider_admin) == 2

    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "2 notifications marked as read." in response.content.decode()
    assert inbox.unread_count(provider_admin) == 0


def test_the_header_shows_the_unread_count(signed_in, provider_admin):
    for _ in range(3):
        send(provider_admin)
    client = signed_in(provider_admin)

    assert "Inbox (3)" in client.get(reverse("home:home")).content.decode()
    client.post(reverse("notifications:mark_all_read"))
    html = client.get(reverse("home:home")).content.decode()
    assert "Inbox (" not in html and ">Inbox</a>" in html


def test_the_header_count_costs_one_query_and_none_for_visitors(client, signed_in, provider_admin):
    send(provider_admin)
    with CaptureQueriesContext(connection) as anonymous:
        assert client.get(reverse("core:landing")).status_code == 200
    assert not any("notifications_notification" in q["sql"] for q in anonymous.captured_queries)

    signed_in(provider_admin)
    with CaptureQueriesContext(connection) as member:
        assert "Inbox (1)" in client.get(reverse("home:home")).content.decode()
    assert sum("notifications_notification" in q["sql"] for q in member.captured_queries) == 1


def header_notification_queries(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("home:home")).content.decode()
    return html, sum("notifications_notification" in q["sql"] for q in queries.captured_queries)


def test_the_header_count_is_kept_between_pages_and_follows_every_change(signed_in, provider_admin):
    first = send(provider_admin)
    client = signed_in(provider_admin)
    html, queries = header_notification_queries(client)
    assert "Inbox (1)" in html and queries == 1
    html, queries = header_notification_queries(client)
    assert "Inbox (1)" in html and queries == 0, "the second page reads the kept count"

    send(provider_admin)
    assert "Inbox (2)" in header_notification_queries(client)[0]
    factories.NotificationFactory(user=provider_admin)  # any row written, not only through notify()
    assert "Inbox (3)" in header_notification_queries(client)[0]
    client.post(read_url(first))
    assert "Inbox (2)" in header_notification_queries(client)[0]
    Notification.objects.filter(user=provider_admin, read_at__isnull=True).first().delete()
    assert "Inbox (1)" in header_notification_queries(client)[0]
    client.post(reverse("notifications:mark_all_read"))
    html, queries = header_notification_queries(client)
    assert "Inbox (" not in html and queries == 1


def test_control_without_dropping_the_kept_count_the_header_would_go_stale(signed_in, provider_admin, monkeypatch):
    send(provider_admin)
    client = signed_in(provider_admin)
    assert "Inbox (1)" in header_notification_queries(client)[0]
    monkeypatch.setattr(inbox.generations, "bump", lambda key, **kwargs: None)
    send(provider_admin)
    assert "Inbox (1)" in header_notification_queries(client)[0]


def test_a_count_read_before_a_commit_is_not_kept_under_the_new_token(
    provider_admin, django_capture_on_commit_callbacks
):
    """Another process counting while a notification is being committed keeps what it counted
    under the token it read; the commit draws a new token, so the header never keeps it."""
    token_key = inbox.INBOX_GENERATION_KEY.format(user_id=provider_admin.pk)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send(provider_admin)
        # What the other process stores: the count of committed rows (none yet), under the token
        # it read during the commit.
        during_commit = inbox.generations.current(token_key)
        inbox.cache.set(inbox.UNREAD_KEY.format(user_id=provider_admin.pk, token=during_commit), 0)
    assert inbox.generations.current(token_key) != during_commit
    assert inbox.unread_count(provider_admin) == 1


def test_the_inbox_page_query_count_does_not_grow_with_notifications(
    signed_in, provider_admin, django_assert_max_num_queries
):
    client = signed_in(provider_admin)
    for _ in range(3):
        send(provider_admin)
    client.get(INBOX)
    send(provider_admin)  # both pages count the unread anew (the kept count was dropped)
    with CaptureQueriesContext(connection) as few:
        client.get(INBOX)
    for _ in range(40):
        factories.NotificationFactory(user=provider_admin)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INBOX)
    assert response.context["page"].paginator.num_pages == 2


# --- preferences --------------------------------------------------------------------------
def test_preferences_show_my_kinds_with_safety_always_on(signed_in, verified_officer):
    html = signed_in(verified_officer).get(SETTINGS).content.decode()

    assert "Updates to tools I follow" in html
    assert "Decisions on my organisation" not in html
    assert "Always sent by email" in html
    assert 'name="email_tool_suspended"' in html and "disabled" in html


def test_saving_preferences_is_respected_and_audited(signed_in, provider_admin):
    client = signed_in(provider_admin)
    data = {"language": "es", "email_organisation_decision": "on"}  # tool_review left unticked
    response = client.post(SETTINGS, data)

    assert response.status_code == 302
    assert inbox.email_preferences(provider_admin)["tool_review"] is False
    assert inbox.email_preferences(provider_admin)["organisation_decision"] is True
    # Safety kinds cannot be switched off, even by leaving them out.
    assert inbox.email_preferences(provider_admin)["tool_suspended"] is True
    assert inbox.language_for(provider_admin) == "es"
    event = AuditEvent.objects.get(action=Action.NOTIFICATION_SETTINGS_CHANGED)
    assert event.actor == provider_admin and event.after["email"]["tool_review"] is False

    mail.outbox.clear()
    send(provider_admin)
    send(provider_admin, Kind.TOOL_SUSPENDED, safety=True)
    assert len(mail.outbox) == 1


def test_a_bad_language_is_a_400_that_keeps_the_choices(signed_in, provider_admin):
    response = signed_in(provider_admin).post(SETTINGS, {"language": "xx", "email_organisation_decision": "on"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    # What was typed is kept: the ticked box stays ticked, the unticked one unticked.
    assert re.search(r'<input[^>]*name="email_organisation_decision"[^>]*checked', html)
    assert not re.search(r'<input[^>]*name="email_tool_review"[^>]*checked', html)
    assert not NotificationPreference.objects.exists() and not UserSettings.objects.exists()


def test_provider_supplied_names_and_reasons_are_escaped(signed_in, provider_admin):
    send(provider_admin, params={"tool": "<script>x()</script>", "detail": "<b>bold</b>\nsecond line"})
    html = signed_in(provider_admin).get(INBOX).content.decode()
    assert "<script>x()" not in html and "&lt;script&gt;x()&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;<br>second line" in html
