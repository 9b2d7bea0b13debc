"""Events: planning, registration with a waiting list, reminders, calendar files, privacy, the report."""

from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from catalogue.models import ToolState
from catalogue.tests.test_provider_helpers import pdf_bytes, png_bytes, upload, working_member
from core import policy
from events import ics, selectors, services
from events.models import Event, EventStatus, Participant, Registration, Reminder
from events.rules import _see_registrations
from notifications.models import Kind, Notification
from testkit import factories
from testkit.personas import reauthenticate, sign_in

from .factories import EventFactory, ParticipantFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("events:list")


def client_for(user) -> Client:
    return sign_in(Client(), user)


def officer(**kwargs):
    return factories.OfficerProfileFactory(verified=True, **kwargs).user


def detail(event):
    return reverse("events:detail", args=[event.public_id])


# --- registration, the waiting list and promotion ---------------------------------------------
def test_full_event_puts_officers_on_the_waiting_list_and_promotes_the_first_when_one_cancels():
    event = EventFactory(capacity=1)
    first, second, third = officer(), officer(), officer()
    assert services.register(event, user=first).status == Registration.Status.REGISTERED
    assert services.register(event, user=second).status == Registration.Status.WAITING
    assert services.register(event, user=third).status == Registration.Status.WAITING
    mail.outbox.clear()

    services.cancel_registration(event, user=first)

    statuses = dict(Registration.objects.filter(event=event).values_list("user_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "registered", third.pk: "waiting"}
    promoted = Notification.objects.get(user=second, kind=Kind.EVENT_UPDATE)
    assert promoted.message_key == "event_promoted" and promoted.link == detail(event)
    assert [message.to for message in mail.outbox] == [[second.email]]
    assert AuditEvent.objects.filter(action=Action.EVENT_PROMOTED).count() == 1
    # The promoted officer's page says so; the third is now first in line.
    page = client_for(second).get(detail(event)).content.decode()
    assert "You have a place" in page
    page = client_for(third).get(detail(event)).content.decode()
    assert "You are on the waiting list (number 1)" in page


def test_registering_twice_keeps_one_registration_and_cancelling_again_changes_nothing():
    event = EventFactory(capacity=5)
    user = officer()
    services.register(event, user=user)
    services.register(event, user=user)
    assert Registration.objects.filter(event=event, user=user).count() == 1
    services.cancel_registration(event, user=user)
    audits = AuditEvent.objects.count()
    services.cancel_registration(event, user=user)
    assert AuditEvent.objects.count() == audits
    # Registering again puts the officer at the back of the queue.
    assert services.register(event, user=user).status == Registration.Status.REGISTERED


def test_a_newcomer_does_not_jump_the_waiting_list_when_a_place_is_free():
    event = EventFactory(capacity=1)
    holder, waiting, newcomer = officer(), officer(), officer()
    services.register(event, user=holder)
    services.register(event, user=waiting)
    # A place frees up outside the service (say, an account deleted): the queue still comes first.
    Registration.objects.filter(user=holder).delete()
    assert services.register(event, user=newcomer).status == Registration.Status.WAITING


def test_promotion_skips_a_registration_that_left_the_list_meanwhile(monkeypatch):
    """A race: between reading the waiting list and promoting, the first in line leaves it. The
    conditional update refuses to promote them, and the place goes to the next one."""
    event = EventFactory(capacity=1)
    holder, leaving, next_in_line = officer(), officer(), officer()
    for user in (holder, leaving, next_in_line):
        services.register(event, user=user)
    real = services.next_waiting_ids

    def read_then_someone_leaves(locked_event, count):
        ids = real(locked_event, count)
        Registration.objects.filter(event=event, user=leaving).update(status=Registration.Status.CANCELLED)
        return ids

    monkeypatch.setattr(services, "next_waiting_ids", read_then_someone_leaves)
    services.cancel_registration(event, user=holder)
    statuses = dict(Registration.objects.filter(event=event).values_list("user_id", "status"))
    assert statuses[leaving.pk] == "cancelled"
    assert statuses[next_in_line.pk] == "registered"
    assert Registration.objects.filter(event=event, status="registered").count() == 1
    assert not Notification.objects.filter(user=leaving).exists()


def test_promotion_never_gives_more_places_than_the_capacity():
    event = EventFactory(capacity=2)
    users = [officer() for _ in range(5)]
    for user in users:
        services.register(event, user=user)
    services.cancel_registration(event, user=users[0])
    services.cancel_registration(event, user=users[1])
    # Running the promotion again (a second worker, a retry) finds no free place.
    locked = type(event).objects.get(pk=event.pk)
    assert services._promote_waiting(locked) == []
    registered = list(
        Registration.objects.filter(event=event, status="registered")
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    assert registered == [users[2].pk, users[3].pk]


def test_more_places_move_the_waiting_list_up(coordinator):
    event = EventFactory(capacity=1)
    users = [officer() for _ in range(3)]
    for user in users:
        services.register(event, user=user)
    services.update_event(event, by=coordinator, expected_version=event.version, capacity=3)
    assert Registration.objects.filter(event=event, status="registered").count() == 3


def test_registration_is_closed_once_the_event_started_or_was_cancelled(coordinator):
    started = EventFactory(past=True)
    with pytest.raises(services.EventClosed):
        services.register(started, user=officer())
    event = EventFactory()
    user = officer()
    services.register(event, user=user)
    mail.outbox.clear()
    services.cancel_event(event, by=coordinator)
    assert Notification.objects.filter(user=user, message_key="event_cancelled").count() == 1
    assert len(mail.outbox) == 1
    response = client_for(user).post(reverse("events:register", args=[event.public_id]))
    assert response.status_code == 409
    assert "registration is closed" in response.content.decode()


def test_an_officer_registers_and_cancels_through_the_pages():
    event = EventFactory(capacity=1)
    user = officer()
    client = client_for(user)
    response = client.post(reverse("events:register", args=[event.public_id]), follow=True)
    assert "You have a place at this event." in response.content.decode()
    other = client_for(officer())
    response = other.post(reverse("events:register", args=[event.public_id]), follow=True)
    assert "you are on the waiting list" in response.content.decode()
    response = client.post(reverse("events:unregister", args=[event.public_id]), follow=True)
    assert "Your registration is cancelled." in response.content.decode()
    assert Registration.objects.get(event=event, status="registered").user != user


# --- reminders ----------------------------------------------------------------------------------
def test_reminders_go_out_7_days_and_1_day_before_and_never_twice():
    now = timezone.now()
    event = EventFactory(starts_at=now + timedelta(days=6, hours=12))
    registration = RegistrationFactory(event=event, registered_at=now - timedelta(days=10))
    mail.outbox.clear()

    assert services.send_reminders(now=now) == 1
    assert services.send_reminders(now=now) == 0
    assert services.send_reminders(now=now + timedelta(hours=1)) == 0
    assert list(Reminder.objects.values_list("before", flat=True)) == ["7d"]
    assert Notification.objects.filter(user=registration.user, message_key="event_reminder").count() == 1
    assert len(mail.outbox) == 1

    later = now + timedelta(days=5, hours=14)  # 22 hours before the start
    assert services.send_reminders(now=later) == 1
    assert services.send_reminders(now=later) == 0
    assert sorted(Reminder.objects.values_list("before", flat=True)) == ["1d", "7d"]
    assert len(mail.outbox) == 2


def test_reminders_skip_whoever_got_the_place_after_the_moment_and_cancelled_events(coordinator):
    now = timezone.now()
    event = EventFactory(starts_at=now + timedelta(days=3))
    # Promoted two days ago: after the 7-day moment, so no 7-day reminder; the 1-day one comes.
    late = RegistrationFactory(event=event, registered_at=now - timedelta(days=2))
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITING, registered_at=None)
    cancelled_event = EventFactory(starts_at=now + timedelta(hours=20), status=EventStatus.CANCELLED)
    RegistrationFactory(event=cancelled_event, registered_at=now - timedelta(days=9))
    assert services.send_reminders(now=now) == 0
    assert services.send_reminders(now=now + timedelta(days=2, hours=1)) == 1
    assert Reminder.objects.get().registration == late
    assert not Notification.objects.filter(user=waiting.user).exists()


def test_the_reminder_job_is_registered():
    from notifications.jobs import registered_jobs

    assert "events.reminders" in registered_jobs()


# --- time zones ---------------------------------------------------------------------------------
def test_officers_see_times_in_their_own_time_zone_and_can_change_it():
    event = EventFactory(starts_at=datetime(2031, 1, 15, 9, 0, tzinfo=ZoneInfo("UTC")))
    user = officer()
    client = client_for(user)
    page = client.get(detail(event)).content.decode()
    assert "(UTC)" in page
    response = client.post(reverse("events:time_zone"), {"time_zone": "Asia/Manila"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.time_zone == "Asia/Manila"
    assert AuditEvent.objects.filter(action=Action.TIME_ZONE_CHANGED, actor=user).exists()
    page = client.get(detail(event)).content.decode()
    assert "Jan. 15, 2031 5 p.m." in page and "(Asia/Manila)" in page
    # The event's own zone is named too: 10:00 in Paris.
    assert "2031-01-15 10:00 – 2031-01-15 12:00 in Europe/Paris" in page
    list_page = client.get(LIST).content.decode()
    assert "Times are shown in your time zone, Asia/Manila." in list_page


def test_an_unknown_time_zone_is_refused():
    user = officer()
    response = client_for(user).post(reverse("events:time_zone"), {"time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.time_zone == ""


# --- planning -------------------------------------------------------------------------------------
def event_form(**overrides):
    data = {
        "kind": "webinar",
        "title": "Responsible use of classifiers",
        "description": "What a classifier's score means, and what it does not.",
        "starts": "2031-06-03T14:00",
        "ends": "2031-06-03T15:30",
        "time_zone": "America/Toronto",
        "online_url": "https://meet.example/classifiers",
        "place": "",
        "languages": ["fr", "en"],
        "audience": "officers_and_providers",
        "capacity": "40",
    }
    data.update(overrides)
    return data


def test_a_coordinator_creates_an_event_in_its_time_zone(coordinator):
    client = client_for(coordinator)
    response = client.post(reverse("events:new"), event_form())
    assert response.status_code == 302
    event = Event.objects.get()
    # 14:00 in Toronto in June (EDT, UTC-4) is 18:00 UTC.
    assert event.starts_at == datetime(2031, 6, 3, 18, 0, tzinfo=ZoneInfo("UTC"))
    assert event.languages == ["en", "fr"]
    assert AuditEvent.objects.filter(action=Action.EVENT_CREATED).count() == 1


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"time_zone": "Nowhere/Atlantis"}, "Select a valid choice"),
        # Paris skips from 02:00 to 03:00 on 30 March 2031.
        ({"time_zone": "Europe/Paris", "starts": "2031-03-30T02:30"}, "does not exist in that time zone"),
        ({"ends": "2031-06-03T13:00"}, "The end must be after the start."),
        ({"online_url": "", "place": ""}, "Give an online link, a place, or both."),
        ({"capacity": "0"}, "greater than or equal to 1"),
        ({"languages": ["xx"]}, "Select a valid choice"),
    ],
)
def test_bad_event_input_is_refused_and_kept(coordinator, overrides, message):
    response = client_for(coordinator).post(reverse("events:new"), event_form(**overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Responsible use of classifiers" in page
    assert not Event.objects.exists()


def test_two_coordinators_editing_at_once_the_second_is_told_and_keeps_the_text(coordinator):
    event = EventFactory()
    client = client_for(coordinator)
    url = reverse("events:edit", args=[event.public_id])
    stale_version = event.version
    services.update_event(event, by=coordinator, expected_version=event.version, capacity=99)
    response = client.post(url, event_form(title="My edited title", version=str(stale_version)))
    assert response.status_code == 409
    assert "My edited title" in response.content.decode()


def test_participants_link_provider_representatives_to_their_organisation(coordinator):
    event = EventFactory()
    member = working_member()
    organisation = member.membership.organisation
    client = client_for(coordinator)
    reauthenticate(client)  # the participants page names officers
    url = reverse("events:participants", args=[event.public_id])
    response = client.post(
        url, {"role": "speaker", "kind": "provider", "organisation": organisation.pk, "account_email": member.email}
    )
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert participant.organisation == organisation and participant.user == member
    # A provider without an organisation, an officer without an account, someone else's member: refused.
    other = factories.MembershipFactory().user
    for body, message in [
        ({"role": "speaker", "kind": "provider"}, "Choose the representative&#x27;s organisation."),
        ({"role": "participant", "kind": "officer"}, "Give the email address of their account."),
        (
            {"role": "speaker", "kind": "provider", "organisation": organisation.pk, "account_email": other.email},
            "This account is not a member of that organisation.",
        ),
        ({"role": "speaker", "kind": "external"}, "Give the person&#x27;s name."),
    ]:
        response = client.post(url, body)
        assert response.status_code == 400, body
        assert message in response.content.decode()
    assert Participant.objects.count() == 1
    remove = reverse("events:participant_remove", args=[event.public_id, participant.pk])
    assert client.post(remove).status_code == 302
    assert not Participant.objects.exists()
    assert AuditEvent.objects.filter(action=Action.EVENT_PARTICIPANT_REMOVED).count() == 1


# --- calendar entries -----------------------------------------------------------------------------
def test_the_calendar_entry_is_rfc_5545_with_utc_times_escaping_and_folding():
    event = EventFactory(
        title="Triage; tools, and \\ backslashes",
        description="Line one\nLine two with a long text " + "é" * 80,
        starts_at=datetime(2031, 1, 15, 9, 30, tzinfo=ZoneInfo("Europe/Paris")),
        ends_at=datetime(2031, 1, 15, 11, 0, tzinfo=ZoneInfo("Europe/Paris")),
        place="Room 4, Fictitious Centre",
    )
    user = officer()
    RegistrationFactory(event=event, user=user)
    response = client_for(user).get(reverse("events:ics", args=[event.public_id]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    raw = response.content
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    physical = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in physical)
    for line in physical:
        line.decode("utf-8")  # no character split across a fold
    unfolded = raw.decode().replace("\r\n ", "")
    lines = unfolded.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and "VERSION:2.0" in lines
    assert "DTSTART:20310115T083000Z" in lines and "DTEND:20310115T100000Z" in lines
    assert "SUMMARY:Triage\\; tools\\, and \\\\ backslashes" in lines
    assert any(line.startswith("DESCRIPTION:Line one\\nLine two") for line in lines)
    assert "LOCATION:Room 4\\, Fictitious Centre\\, https://meet.example/room-1" in lines
    assert f"UID:event-{event.public_id}@127.0.0.1" in lines or any(line.startswith("UID:event-") for line in lines)


def test_fold_never_splits_a_character():
    line = "SUMMARY:" + "中" * 40
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert folded.replace("\r\n ", "") == line


def test_officers_without_a_place_get_no_online_link():
    event = EventFactory()
    user = officer()
    client = client_for(user)
    assert "meet.example" not in client.get(detail(event)).content.decode()
    assert b"meet.example" not in client.get(reverse("events:ics", args=[event.public_id])).content
    services.register(event, user=user)
    assert "meet.example" in client.get(detail(event)).content.decode()


# --- privacy: providers and others ---------------------------------------------------------------
CANARY_NAME = "Canary Officer Zebulon"


def provider_pages(event, provider):
    client = client_for(provider)
    return [
        client.get(LIST).content.decode(),
        client.get(detail(event)).content.decode(),
        client.get(reverse("events:ics", args=[event.public_id])).content.decode(),
    ]


def test_providers_never_see_who_registered_or_how_many():
    event = EventFactory(for_providers=True, capacity=2)
    registrant = officer(user__full_name=CANARY_NAME)
    services.register(event, user=registrant)
    services.register(event, user=officer())
    services.register(event, user=officer())
    ParticipantFactory(event=event, kind=Participant.Kind.OFFICER, organisation=None, user=registrant)
    provider = working_member()
    for page in provider_pages(event, provider):
        assert CANARY_NAME not in page
        assert "waiting" not in page.lower()
        assert "places" not in page.lower() and " left" not in page
    # An officers-only event does not exist for providers.
    hidden = EventFactory(title="Officers only, hidden")
    client = client_for(provider)
    assert client.get(detail(hidden)).status_code == 404
    assert "Officers only, hidden" not in client.get(LIST).content.decode()


def test_control_the_provider_check_fails_when_counts_are_shown_to_providers(monkeypatch):
    event = EventFactory(for_providers=True, capacity=1)
    services.register(event, user=officer())
    services.register(event, user=officer())
    monkeypatch.setitem(policy.RULES, "events.see_registrations", lambda user, obj=None: True)
    pages = provider_pages(event, working_member())
    assert any("waiting" in page.lower() for page in pages)
    monkeypatch.setitem(policy.RULES, "events.see_registrations", _see_registrations)


def test_pending_officers_and_providers_without_terms_see_nothing():
    event = EventFactory(for_providers=True)
    pending = factories.OfficerProfileFactory().user
    working_member()  # a current provider-terms document, accepted by that member's organisation only
    no_terms = factories.MembershipFactory(is_admin=True).user
    for user in (pending, no_terms):
        client = client_for(user)
        assert client.get(LIST).status_code == 403
        assert client.get(detail(event)).status_code == 403
        assert list(selectors.events_with_materials(user)) == []
    assert Client().get(LIST).status_code == 302


# --- materials ----------------------------------------------------------------------------------
def test_materials_after_the_event_slides_checked_and_served_as_a_download(coordinator):
    event = EventFactory(past=True, for_providers=True)
    upcoming = EventFactory()
    client = client_for(coordinator)
    assert client.get(reverse("events:materials", args=[upcoming.public_id])).status_code == 302
    url = reverse("events:materials", args=[event.public_id])
    response = client.post(url, {"recording_url": "https://video.example/r", "slides": upload("s.pdf", png_bytes())})
    assert response.status_code == 400
    assert "The file must be a PDF document." in response.content.decode()
    response = client.post(url, {"recording_url": "https://video.example/r", "slides": upload("s.pdf", pdf_bytes())})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.has_materials and event.slides.name.endswith(".pdf")
    download = client_for(working_member()).get(reverse("events:slides", args=[event.public_id]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    # The Learning Centre's selector: past events with materials, as each reader may see them.
    assert list(selectors.events_with_materials(officer())) == [event]
    officers_only = EventFactory(past=True, recording_url="https://video.example/o")
    assert list(selectors.events_with_materials(working_member())) == [event]
    assert set(selectors.events_with_materials(coordinator)) == {event, officers_only}


# --- the representation report --------------------------------------------------------------------
def published_provider(name):
    organisation = factories.OrganisationFactory(name=name)
    factories.ToolFactory(organisation=organisation, state=ToolState.PUBLISHED)
    return organisation


def representation_world():
    today = timezone.localdate()
    loud, quiet, absent = (published_provider(n) for n in ("Loud Org", "Quiet Org", "Absent Org"))
    unpublished = factories.OrganisationFactory(name="Unpublished Org")
    held = [EventFactory(starts_at=timezone.now() - timedelta(days=days)) for days in (10, 40, 70)]
    for event in held:
        ParticipantFactory(event=event, organisation=loud, role=Participant.Role.SPEAKER)
    ParticipantFactory(event=held[0], organisation=loud, role=Participant.Role.PARTICIPANT)
    ParticipantFactory(event=held[1], organisation=quiet, role=Participant.Role.PARTICIPANT)
    # Not counted: a cancelled event, and one before the period.
    ParticipantFactory(event=EventFactory(past=True, status=EventStatus.CANCELLED), organisation=quiet)
    ParticipantFactory(event=EventFactory(starts_at=timezone.now() - timedelta(days=500)), organisation=quiet)
    return today, loud, quiet, absent, unpublished


def test_representation_counts_appearances_shares_and_providers_that_never_appeared():
    today, loud, quiet, absent, unpublished = representation_world()
    report = selectors.representation(today - timedelta(days=365), today, multiple=2)
    rows = {row.organisation.name: row for row in report.rows}
    assert set(rows) == {"Loud Org", "Quiet Org", "Absent Org"}
    assert (rows["Loud Org"].speaker, rows["Loud Org"].participant) == (3, 1)
    assert (rows["Quiet Org"].speaker, rows["Quiet Org"].participant) == (0, 1)
    assert rows["Absent Org"].total == 0
    assert report.equal_share == Fraction(1, 3)
    assert rows["Loud Org"].share == Fraction(4, 5)
    # 4/5 is above 2 x 1/3.
    assert [row.organisation for row in report.over_represented] == [loud]
    assert [row.organisation for row in report.never_appeared] == [absent]
    # Values [0, 1, 4]: 2 * (1*0 + 2*1 + 3*4) / (3 * 5) - 4/3 = 28/15 - 20/15 = 8/15.
    assert report.gini == Fraction(8, 15)
    assert report.ratio is None and report.ratio_among_appeared == 4
    assert report.events == 3


def test_the_representation_page_shows_the_warning_chart_and_definition(coordinator, settings):
    representation_world()
    client = client_for(coordinator)
    page = client.get(reverse("events:representation")).content.decode()
    assert 'id="representation-warning"' in page and "Loud Org: 80% of appearances" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and '<title id="chart-representation-title">' in page
    assert "those that never appeared count with 0" in page
    assert "Absent Org" in page.split('id="never-appeared"')[1]
    # A higher multiple in the settings: 4/5 is below 3 x 1/3, so no warning.
    settings.EVENTS_OVERREPRESENTATION_MULTIPLE = 3
    page = client.get(reverse("events:representation")).content.decode()
    assert 'id="representation-warning"' not in page


def test_the_representation_period_is_chosen_and_checked(coordinator):
    representation_world()
    client = client_for(coordinator)
    today = timezone.localdate()
    page = client.get(reverse("events:representation"), {"since": today - timedelta(days=20), "until": today})
    assert 'id="representation-appearances">2<' in page.content.decode()
    response = client.get(reverse("events:representation"), {"since": today, "until": today - timedelta(days=1)})
    assert response.status_code == 400
    assert "must not be before its start" in response.content.decode()
    response = client.get(reverse("events:representation"), {"since": "not a date", "until": "2030-01-01"})
    assert response.status_code == 400


def test_the_representation_csv_goes_through_the_csv_writer(coordinator):
    representation_world()
    published_provider("=HYPERLINK(1)")
    response = client_for(coordinator).get(reverse("events:representation_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Organisation,As speaker,As participant,Appearances")
    assert "Loud Org,3,1,4,80,25,yes,yes" in text
    assert "'=HYPERLINK(1)" in text


# --- queries stay constant ----------------------------------------------------------------------
def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["officer", "coordinator", "provider"])
def test_the_event_lists_use_as_many_queries_for_200_events_as_for_10(persona, coordinator):
    user = {"officer": officer, "coordinator": lambda: coordinator, "provider": working_member}[persona]()
    client = client_for(user)
    registrant = officer()

    def add(count, **kwargs):
        for _ in range(count):
            event = EventFactory(for_providers=True, **kwargs)
            RegistrationFactory(event=event, user=registrant)
            if persona == "officer":
                RegistrationFactory(event=event, user=user)

    add(10)
    add(10, past=True)
    client.get(LIST)  # the first request of a session does its own one-off work
    few = (count_queries(client, LIST), count_queries(client, reverse("events:past")))
    add(190)
    add(190, past=True)
    assert (count_queries(client, LIST), count_queries(client, reverse("events:past"))) == few


def test_the_list_shows_places_and_my_status():
    full = EventFactory(capacity=1, title="Full one")
    user = officer()
    services.register(full, user=officer())
    services.register(full, user=user)
    page = client_for(user).get(LIST).content.decode()
    assert "Full · 1 waiting" in page and "You are on the waiting list" in page
    assert "Full one" in page


def test_the_materials_period_default_is_the_last_twelve_months():
    from events.forms import last_twelve_months

    assert last_twelve_months(date(2031, 5, 10)) == (date(2030, 5, 10), date(2031, 5, 10))


def test_officer_names_are_shown_to_re_authenticated_coordinators_only_and_each_view_is_audited(coordinator):
    event = EventFactory()
    speaker = officer(user__full_name="Officer Speaker Quill")
    registrant = officer(user__full_name="Officer Registrant Wren")
    ParticipantFactory(event=event, kind=Participant.Kind.OFFICER, organisation=None, user=speaker)
    services.register(event, user=registrant)
    page = client_for(officer()).get(detail(event)).content.decode()
    assert "Officer Speaker Quill" not in page and "A law-enforcement officer" in page
    client = client_for(coordinator)
    participants = reverse("events:participants", args=[event.public_id])
    # Without a recent password: the public page does not name officers, the participants page asks.
    page = client.get(detail(event)).content.decode()
    assert "Officer Speaker Quill" not in page and "A law-enforcement officer" in page
    assert "reauthenticate" in client.get(participants)["Location"]
    assert not AuditEvent.objects.filter(action=Action.OFFICER_DETAILS_VIEWED).exists()
    reauthenticate(client)
    assert "Officer Speaker Quill" not in client.get(detail(event)).content.decode()
    assert "Officer Speaker Quill" in client.get(participants).content.decode()
    page = client.get(reverse("events:registrations", args=[event.public_id])).content.decode()
    assert "Officer Registrant Wren" in page
    viewed = AuditEvent.objects.filter(action=Action.OFFICER_DETAILS_VIEWED, actor=coordinator)
    assert set(viewed.values_list("target_id", flat=True)) == {str(speaker.public_id), str(registrant.public_id)}
    services.cancel_event(event, by=coordinator)
    assert AuditEvent.objects.filter(action=Action.EVENT_CANCELLED, actor=coordinator).count() == 1
