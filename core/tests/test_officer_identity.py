"""Every page that shows an officer's identity to a coordinator asks for a recent password
confirmation and writes an audit event naming the officer (issue 13 hole 2; AUTH-08, AU-01),
the Django admin included."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from concerns.models import Concern
from contact import services as contact
from enquiries.models import AbuseReport, Enquiry
from events.tests.factories import EventFactory, RegistrationFactory
from testkit import factories
from testkit.personas import reauthenticate, sign_in

pytestmark = pytest.mark.django_db

OFFICER_NAME = "Canary Officername"


@pytest.fixture
def officer():
    return factories.OfficerProfileFactory(user__full_name=OFFICER_NAME, user__email="canary@police.example.gov").user


@pytest.fixture
def pages(officer, organisation):
    tool = factories.ToolFactory(organisation=organisation, published=True)
    officer.officer.status = "verified"
    concern = Concern.objects.create(tool=tool, reporter=officer, category="other", description="Odd claims.")
    event = EventFactory(capacity=5)
    RegistrationFactory(event=event, user=officer)
    conversation = contact.write(officer, category="account", body="About my account.")
    enquiry = Enquiry.objects.create(tool=tool, organisation=organisation, officer=officer, kind="trial")
    abuse = AbuseReport.objects.create(enquiry=enquiry, reporter=officer, by_officer=True, reason="Pressure.")
    return {
        "vetting queue": reverse("accounts:vetting_queue"),
        "vetting record": reverse("accounts:vetting_detail", args=[officer.public_id]),
        "account search": reverse("accounts:account_list") + "?q=canary",
        "concerns queue": reverse("concerns:queue") + "?status=all",
        "concern": reverse("concerns:detail", args=[concern.public_id]),
        "event registrations": reverse("events:registrations", args=[event.public_id]),
        "contact point queue": reverse("contact:queue"),
        "contact point conversation": reverse("contact:detail", args=[conversation.public_id]),
        "reported exchange with a provider": reverse("enquiries:report_detail", args=[abuse.public_id]),
        "admin users": reverse("admin:accounts_user_changelist"),
        "admin user": reverse("admin:accounts_user_change", args=[officer.pk]),
        "admin officer profiles": reverse("admin:accounts_officerprofile_changelist"),
        "admin officer profile": reverse("admin:accounts_officerprofile_change", args=[officer.officer.pk]),
    }


def test_a_coordinator_confirms_the_password_before_seeing_an_officer_and_each_view_is_audited(
    coordinator, officer, pages
):
    client = sign_in(Client(), coordinator)
    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=True):
        for name, url in pages.items():
            response = client.get(url)
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("account_reauthenticate")), name
            assert OFFICER_NAME not in response.content.decode()
        reauthenticate(client)
        for name, url in pages.items():
            before = AuditEvent.objects.filter(action=Action.OFFICER_DETAILS_VIEWED).count()
            response = client.get(url)
            assert response.status_code == 200, name
            html = response.content.decode()
            if name != "admin officer profiles":  # it lists profiles by account number only
                assert any(mark in html for mark in (OFFICER_NAME, "canary@police", officer.officer.agency)), name
            events = AuditEvent.objects.filter(action=Action.OFFICER_DETAILS_VIEWED).order_by("-id")
            assert events.count() > before, f"{name}: not audited"
            newest = events[: events.count() - before]
            assert any(
                event.target_id == str(officer.public_id) or str(officer.public_id) in str(event.after)
                for event in newest
            ), name


def test_control_a_page_without_the_confirmation_is_told_apart(coordinator):
    """The check above would catch a page that shows officers without asking: such a page answers
    200 where the check expects the redirect (the coordinators' start page asks nothing)."""
    client = sign_in(Client(), coordinator)
    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=True):
        assert client.get(reverse("home:home")).status_code == 200
