"""The coordinators' audit log page and CSV export (issue 2, SECURITY.md AU-01)."""

import csv
import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Action, AuditEvent
from testkit import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(signed_in, coordinator):
    client = signed_in(coordinator)
    # Signing in may itself write events; the tests look at the ones they make.
    client.events_before = set(AuditEvent.objects.values_list("id", flat=True))
    return client


def make_event(action=Action.LOGIN, *, at=None, **kwargs):
    with time_machine.travel(at or datetime(2026, 3, 1, 12, 0, tzinfo=UTC), tick=False):
        return factories.AuditEventFactory(action=action, **kwargs)


def table_rows(response):
    before = getattr(response.client, "events_before", set())
    return [event for event in response.context["page"].object_list if event.pk not in before]


# --- access ---------------------------------------------------------------------
@pytest.mark.parametrize("name", ["audit:log", "audit:export"])
def test_only_coordinators_reach_the_log(client, signed_in, verified_officer, provider_admin, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response.headers["Location"]
    for user in (verified_officer, provider_admin):
        assert signed_in(user).get(reverse(name)).status_code == 403
    assert not AuditEvent.objects.filter(action__in=[Action.AUDIT_VIEWED, Action.AUDIT_EXPORTED]).exists()


# --- the page ---------------------------------------------------------------------
def test_log_lists_newest_first_with_the_event_details(coordinator_client):
    older = make_event(
        Action.ORG_APPROVED,
        at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        target_type="providers.organisation",
        target_id="org-uuid-1",
        target_label="Example Tools Ltd",
        before={"status": "pending"},
        after={"status": "approved"},
        ip_address="203.0.113.9",
        actor_label="Coordinator 1234",
    )
    newer = make_event(Action.LOGIN_FAILED, at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC), outcome="failure")
    response = coordinator_client.get(reverse("audit:log"))
    assert response.status_code == 200
    assert table_rows(response) == [newer, older]
    html = response.content.decode()
    for text in (
        "March 1, 2026 9:30 a.m.",
        "Organisation approved",
        "Failed sign-in",
        "Failure",
        "providers.organisation",
        "org-uuid-1",
        "Example Tools Ltd",
        "203.0.113.9",
        "Coordinator 1234",
        "&quot;status&quot;: &quot;pending&quot;",
        "&quot;status&quot;: &quot;approved&quot;",
    ):
        assert text in html, text


def test_times_are_shown_in_the_readers_zone_and_language(coordinator_client, coordinator):
    make_event(at=datetime(2026, 3, 1, 23, 15, tzinfo=UTC))
    coordinator.time_zone = "Europe/Paris"
    coordinator.save(update_fields=["time_zone"])
    html = coordinator_client.get(reverse("audit:log"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # 23:15 UTC is past midnight in Paris; the machine-readable time stays UTC.
    assert "2 mars 2026 00:15" in html and 'datetime="2026-03-01T23:15:00+00:00"' in html
    assert "Europe/Paris" in html


def test_the_log_names_actors_with_role_and_reference(coordinator_client):
    officer = factories.UserFactory(full_name="Amira Haddad", role="officer")
    closed = factories.UserFactory(full_name="Gone Person", role="provider")
    make_event(actor=officer, actor_label=str(officer))
    make_event(actor=closed, actor_label=str(closed))
    closed.full_name = "Gone Person"
    closed.closed_at = datetime(2026, 3, 2, tzinfo=UTC)
    closed.save(update_fields=["full_name", "closed_at"])
    html = coordinator_client.get(reverse("audit:log")).content.decode()
    assert '<span class="audit-actor-name">Amira Haddad</span>' in html
    assert "Law-enforcement user" in html and str(officer.public_id) in html
    # A closed account is shown by its role and reference only.
    assert "Gone Person" not in html and str(closed.public_id) in html


def test_long_before_after_values_are_shortened(coordinator_client):
    make_event(after={"reason": "x" * 2000})
    html = coordinator_client.get(reverse("audit:log")).content.decode()
    assert "x" * 2000 not in html
    assert "x" * 200 in html


def test_viewing_the_log_is_itself_recorded(coordinator_client, coordinator):
    coordinator_client.get(reverse("audit:log"), {"action": Action.LOGIN, "page": "1"})
    event = AuditEvent.objects.get(action=Action.AUDIT_VIEWED)
    assert event.actor == coordinator
    assert event.after == {"filters": {"action": "auth.login"}, "page": 1}


def test_pages_hold_fifty_events(coordinator_client):
    for _ in range(55):
        make_event()
    first = coordinator_client.get(reverse("audit:log"))
    total = first.context["page"].paginator.count
    assert total >= 55
    assert len(first.context["page"].object_list) == 50
    second = coordinator_client.get(reverse("audit:log"), {"page": 2})
    # The first page view's own event came in on top meanwhile.
    assert len(second.context["page"].object_list) == total + 1 - 50
    assert 'rel="prev"' in second.content.decode()
    # A nonsense page number shows a page, never an error.
    assert coordinator_client.get(reverse("audit:log"), {"page": "abc"}).status_code == 200


def test_the_log_page_has_no_n_plus_one(coordinator_client, django_assert_max_num_queries):
    make_event(actor=factories.CoordinatorFactory())
    with CaptureQueriesContext(connection) as one_row:
        coordinator_client.get(reverse("audit:log"))
    for _ in range(30):
        make_event(actor=factories.CoordinatorFactory())
    # Thirty rows by thirty different actors cost no more queries than one row.
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        response = coordinator_client.get(reverse("audit:log"))
    assert len(table_rows(response)) == 32


# --- filters ---------------------------------------------------------------------
def test_filter_by_action_and_outcome(coordinator_client):
    login = make_event(Action.LOGIN)
    failed = make_event(Action.LOGIN_FAILED, outcome="failure")
    make_event(Action.ORG_APPROVED)
    assert table_rows(coordinator_client.get(reverse("audit:log"), {"action": Action.LOGIN})) == [login]
    assert table_rows(coordinator_client.get(reverse("audit:log"), {"outcome": "failure"})) == [failed]


def test_filter_by_actor_email_fragment(coordinator_client):
    alice = factories.CoordinatorFactory(email="alice.audit@coordinators.example.org")
    bob = factories.CoordinatorFactory(email="bob@coordinators.example.org")
    by_alice = make_event(actor=alice)
    make_event(actor=bob)
    make_event()
    rows = table_rows(coordinator_client.get(reverse("audit:log"), {"actor": "ALICE.audit"}))
    assert rows == [by_alice]
    assert table_rows(coordinator_client.get(reverse("audit:log"), {"actor": "nobody-like-this"})) == []


def test_filter_by_target_id(coordinator_client):
    wanted = make_event(target_id="abc-123")
    make_event(target_id="abc-1234")
    assert table_rows(coordinator_client.get(reverse("audit:log"), {"target_id": "abc-123"})) == [wanted]


def test_filter_by_utc_dates_includes_the_whole_last_day(coordinator_client):
    make_event(at=datetime(2026, 2, 28, 23, 59, tzinfo=UTC))
    first = make_event(at=datetime(2026, 3, 1, 0, 0, tzinfo=UTC))
    last = make_event(at=datetime(2026, 3, 2, 23, 59, 59, tzinfo=UTC))
    make_event(at=datetime(2026, 3, 3, 0, 0, tzinfo=UTC))
    rows = table_rows(
        coordinator_client.get(reverse("audit:log"), {"date_from": "2026-03-01", "date_to": "2026-03-02"})
    )
    assert rows == [last, first]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"action": "auth.nonsense"}, "action"),
        ({"outcome": "maybe"}, "outcome"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_to": "2026-02-30"}, "date_to"),
        ({"date_from": "2026-03-05", "date_to": "2026-03-01"}, "date_to"),
        ({"actor": "a" * 300}, "actor"),
        ({"target_id": "x" * 101}, "target_id"),
        ({"target_id": "bad\x00byte"}, "target_id"),
    ],
)
@pytest.mark.parametrize("name", ["audit:log", "audit:export"])
def test_invalid_filters_answer_400_with_the_error_next_to_the_field(coordinator_client, params, field, name):
    response = coordinator_client.get(reverse(name), params)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert not AuditEvent.objects.filter(action__in=[Action.AUDIT_VIEWED, Action.AUDIT_EXPORTED]).exists()


def test_extreme_but_valid_dates_do_not_break_the_page(coordinator_client):
    response = coordinator_client.get(reverse("audit:log"), {"date_from": "0001-01-01", "date_to": "9999-12-31"})
    assert response.status_code == 200


def test_filters_keep_what_was_typed(coordinator_client):
    html = coordinator_client.get(reverse("audit:log"), {"actor": "someone", "date_from": "nope"}).content.decode()
    assert 'value="someone"' in html
    assert 'value="nope"' in html


# --- export --------------------------------------------------------------------
def read_csv(response):
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_export_streams_the_filtered_events_as_an_attachment(coordinator_client, coordinator):
    wanted = make_event(
        Action.ORG_APPROVED,
        target_id="org-1",
        target_label="Example Tools Ltd",
        after={"status": "approved"},
        ip_address="198.51.100.7",
    )
    make_event(Action.LOGIN)
    response = coordinator_client.get(reverse("audit:export"), {"action": Action.ORG_APPROVED})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="saferhub-audit-')
    rows = read_csv(response)
    assert rows[0][:3] == ["time_utc", "actor", "action"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["action"] == "org.approved"
    assert row["action_label"] == "Organisation approved"
    assert row["target_id"] == "org-1"
    assert row["ip_address"] == "198.51.100.7"
    assert row["after"] == '{"status": "approved"}'
    assert row["time_utc"] == wanted.created_at.astimezone(UTC).isoformat()
    exported = AuditEvent.objects.get(action=Action.AUDIT_EXPORTED)
    assert exported.actor == coordinator
    assert exported.after == {"filters": {"action": "org.approved"}}


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1+1"])
def test_export_neutralises_spreadsheet_formulas(coordinator_client, payload):
    make_event(target_label=payload, target_id="formula")
    rows = read_csv(coordinator_client.get(reverse("audit:export"), {"target_id": "formula"}))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["target_label"] == "'" + payload


def test_export_link_on_the_page_carries_the_filters(coordinator_client):
    html = coordinator_client.get(reverse("audit:log"), {"action": Action.LOGIN, "page": 1}).content.decode()
    assert reverse("audit:export") + "?action=auth.login" in html
