"""Coordinators review provider organisations: queue, approval, rejection, concurrency."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from providers import services
from providers.models import Organisation
from testkit import factories
from testkit.personas import sign_in

pytestmark = pytest.mark.django_db

QUEUE = reverse("providers:review_queue")


@pytest.fixture
def pending_org():
    organisation = factories.OrganisationFactory(status=Organisation.Status.PENDING, name="Beacon Research Lab")
    factories.MembershipFactory(organisation=organisation, is_admin=True, user__email="admin@beacon.example.com")
    factories.MembershipFactory(organisation=organisation, is_admin=False, user__email="staff@beacon.example.com")
    return organisation


def decide_url(organisation):
    return reverse("providers:review_decide", kwargs={"public_id": organisation.public_id})


def detail_url(organisation):
    return reverse("providers:review_detail", kwargs={"public_id": organisation.public_id})


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the queue ---------------------------------------------------------------------
def test_queue_lists_pending_first_then_oldest_first_with_age(signed_in, coordinator):
    now = timezone.now()
    factories.OrganisationFactory(name="Approved Old", created_at=now - timedelta(days=40))
    factories.OrganisationFactory(name="Pending New", status="pending", created_at=now - timedelta(days=1))
    factories.OrganisationFactory(name="Pending Old", status="pending", created_at=now - timedelta(days=9))
    factories.OrganisationFactory(name="Declined Org", status="rejected", created_at=now - timedelta(days=3))

    html = signed_in(coordinator).get(QUEUE).content.decode()

    positions = [html.index(name) for name in ["Pending Old", "Pending New", "Approved Old", "Declined Org"]]
    assert positions == sorted(positions)
    assert "9 days ago" in html and "1 day ago" in html


def test_queue_filters_by_status(signed_in, coordinator):
    factories.OrganisationFactory(name="Approved One")
    factories.OrganisationFactory(name="Pending One", status="pending")
    client = signed_in(coordinator)

    html = client.get(QUEUE, {"status": "pending"}).content.decode()
    assert "Pending One" in html and "Approved One" not in html

    response = client.get(QUEUE, {"status": "no-such-status"})
    assert response.status_code == 400


def test_queue_query_count_does_not_grow_with_organisations(signed_in, coordinator, django_assert_max_num_queries):
    def add_organisations(count):
        for _ in range(count):
            organisation = factories.OrganisationFactory(status="pending")
            factories.MembershipFactory.create_batch(2, organisation=organisation)

    client = signed_in(coordinator)
    add_organisations(2)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    add_organisations(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(QUEUE)
    assert response.status_code == 200
    assert response.content.decode().count("/providers/review/") >= 27
    assert len(few.captured_queries) <= 20


def test_providers_and_officers_cannot_open_the_review_pages(signed_in, provider_admin, pending_org):
    client = signed_in(provider_admin)
    assert client.get(QUEUE).status_code == 403
    assert client.get(detail_url(pending_org)).status_code == 403
    assert client.post(decide_url(pending_org), {"decision": "approve", "version": 1}).status_code == 403
    pending_org.refresh_from_db()
    assert pending_org.status == Organisation.Status.PENDING


def test_detail_shows_profile_and_members(signed_in, coordinator, pending_org):
    html = signed_in(coordinator).get(detail_url(pending_org)).content.decode()
    assert "Beacon Research Lab" in html
    assert pending_org.website in html and pending_org.contact_email in html
    assert "admin@beacon.example.com" in html and "staff@beacon.example.com" in html
    assert 'name="decision"' in html


# --- decisions ------------------------------------------------------------------------
def test_approval_needs_recent_reauthentication(signed_in, coordinator, pending_org):
    response = signed_in(coordinator, confirmed=False).post(
        decide_url(pending_org), {"decision": "approve", "version": 1}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    pending_org.refresh_from_db()
    assert pending_org.status == Organisation.Status.PENDING


def test_approval_emails_the_admins_and_is_audited(signed_in, coordinator, pending_org, reauthenticate):
    client = signed_in(coordinator)
    reauthenticate(client)
    mail.outbox.clear()

    response = client.post(decide_url(pending_org), {"decision": "approve", "version": pending_org.version})

    assert response.status_code == 302 and response["Location"] == QUEUE
    pending_org.refresh_from_db()
    assert pending_org.status == Organisation.Status.APPROVED
    assert pending_org.decided_at is not None
    assert [m.to for m in mail.outbox] == [["admin@beacon.example.com"]]
    assert "approved" in mail.outbox[0].subject
    event = AuditEvent.objects.get(action=Action.ORG_APPROVED)
    assert event.actor == coordinator
    assert event.before == {"status": "pending"} and event.after == {"status": "approved"}
    assert event.target_id == str(pending_org.public_id)


def test_rejection_needs_a_reason(signed_in, coordinator, pending_org, reauthenticate):
    client = signed_in(coordinator)
    reauthenticate(client)
    response = client.post(decide_url(pending_org), {"decision": "reject", "reason": "  ", "version": 1})
    assert response.status_code == 400
    assert "Give the organisation a reason" in response.content.decode()
    pending_org.refresh_from_db()
    assert pending_org.status == Organisation.Status.PENDING
    assert not AuditEvent.objects.filter(action=Action.ORG_REJECTED).exists()


def test_rejection_emails_the_reason_and_is_audited(signed_in, coordinator, pending_org, reauthenticate):
    client = signed_in(coordinator)
    reauthenticate(client)
    mail.outbox.clear()

    client.post(
        decide_url(pending_org), {"decision": "reject", "reason": "No tool in scope of the initiative.", "version": 1}
    )

    pending_org.refresh_from_db()
    assert pending_org.status == Organisation.Status.REJECTED
    assert pending_org.decision_reason == "No tool in scope of the initiative."
    assert [m.to for m in mail.outbox] == [["admin@beacon.example.com"]]
    assert "No tool in scope of the initiative." in mail.outbox[0].body
    event = AuditEvent.objects.get(action=Action.ORG_REJECTED)
    assert event.before == {"status": "pending"}
    assert event.after == {"status": "rejected", "reason": "No tool in scope of the initiative."}


def test_two_coordinators_deciding_at_once_get_a_changed_meanwhile_message(pending_org, client, reauthenticate):
    first, second = factories.CoordinatorFactory(), factories.CoordinatorFactory()
    from django.test import Client

    other = Client()
    sign_in(client, first)
    sign_in(other, second)
    reauthenticate(client)
    reauthenticate(other)
    # Both open the page on the same version.
    version = pending_org.version
    assert f'value="{version}"' in client.get(detail_url(pending_org)).content.decode()
    other.post(decide_url(pending_org), {"decision": "approve", "version": version})
    mail.outbox.clear()

    response = client.post(
        decide_url(pending_org), {"decision": "reject", "reason": "Out of scope", "version": version}
    )

    assert response.status_code == 302 and response["Location"] == detail_url(pending_org)
    assert any("changed meanwhile" in m for m in messages_of(response))
    pending_org.refresh_from_db()
    assert pending_org.status == Organisation.Status.APPROVED
    assert not AuditEvent.objects.filter(action=Action.ORG_REJECTED).exists()
    assert mail.outbox == []


def test_a_profile_edit_after_the_page_was_loaded_also_counts_as_a_change(pending_org, coordinator):
    version = pending_org.version
    admin = pending_org.memberships.get(is_admin=True).user
    services.update_organisation(pending_org, by=admin, changes={"website": "https://changed.example.com"})
    with pytest.raises(services.StaleDecision):
        services.approve_organisation(pending_org, by=coordinator, expected_version=version)
    pending_org.refresh_from_db()
    assert pending_org.status == Organisation.Status.PENDING


def test_a_decided_organisation_cannot_be_decided_again(coordinator, pending_org):
    services.approve_organisation(pending_org, by=coordinator)
    with pytest.raises(services.StaleDecision):
        services.reject_organisation(pending_org, by=coordinator, reason="late")
    assert AuditEvent.objects.filter(action__in=[Action.ORG_APPROVED, Action.ORG_REJECTED]).count() == 1


def test_unknown_organisation_is_404(signed_in, coordinator):
    import uuid

    response = signed_in(coordinator).get(reverse("providers:review_detail", kwargs={"public_id": uuid.uuid4()}))
    assert response.status_code == 404


def test_an_organisation_name_with_a_line_break_cannot_break_the_email(coordinator):
    organisation = factories.OrganisationFactory(status="pending", name="Evil Org\nBcc: victim@example.com")
    factories.MembershipFactory(organisation=organisation, is_admin=True)
    mail.outbox.clear()
    services.approve_organisation(organisation, by=coordinator)
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject
    assert mail.outbox[0].bcc == []
