"""Discussions joined to the rest of the hub: the tool page shows their panels, officers appear
under the name they chose in Meet other officers, a community suspension stops posting, and the
author of a field report signed with their name can be asked to connect."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from community import services as community
from community.models import CommunitySuspension, Connection
from discussions import selectors
from discussions import services as discussions
from testkit import factories
from testkit.personas import sign_in

pytestmark = pytest.mark.django_db

FIELDS = {
    "used_in": datetime.date(2025, 3, 1),
    "context": "Triage of seized phones.",
    "data": "About 40,000 images per case.",
}


def officer(name, country="NO", *, display_name=None):
    user = factories.OfficerProfileFactory(verified=True, user__full_name=name, country=country).user
    if display_name is not None:
        community.save_listing(user, listed=False, display_name=display_name, shown={})
    return user


@pytest.fixture
def tool(organisation):
    return factories.ToolFactory(organisation=organisation, published=True, name="Harbour Lens", slug="harbour-lens")


def test_the_tool_page_shows_the_discussion_the_reports_and_the_agency_toggle(tool):
    author = officer("Freya Fieldwriter", display_name="Freya F.")
    discussions.write_field_report(author, tool, **FIELDS)
    page = sign_in(Client(), officer("Rui Reader", display_name="Rui")).get(
        reverse("catalogue:tool_detail", args=[tool.slug])
    )
    html = page.content.decode()
    assert reverse("discussions:tool_space", args=[tool.slug]) in html
    assert "Triage of seized phones." in html and "Freya F." in html
    assert reverse("discussions:agency_use", args=[tool.slug]) in html


def test_officers_appear_under_their_chosen_name_never_their_account_name(tool):
    named = officer("Amal Realname", display_name="Amal from the triage unit")
    unnamed = officer("Bo Realname", country="KE")
    assert selectors.display_name(named) == "Amal from the triage unit"
    assert selectors.display_name(unnamed) == "An officer in Africa"
    thread = discussions.start_thread(
        unnamed, discussions.ensure_tool_space(tool), title="Hash sets", body="Which ones?"
    )
    html = sign_in(Client(), named).get(reverse("discussions:thread", args=[thread.public_id])).content.decode()
    assert "An officer in Africa" in html and "Bo Realname" not in html


def test_an_officer_suspended_from_the_community_cannot_post(tool, coordinator):
    suspended = officer("Sam Suspended", display_name="Sam")
    space = discussions.ensure_tool_space(tool)
    client = sign_in(Client(), suspended)
    assert client.get(reverse("discussions:new_thread", args=[space.public_id])).status_code == 200
    CommunitySuspension.objects.create(user=suspended, reason="Spam.", decided_by=coordinator)
    assert client.get(reverse("discussions:new_thread", args=[space.public_id])).status_code == 403
    assert client.get(reverse("discussions:field_report_new", args=[tool.slug])).status_code == 403


def test_the_author_of_a_named_report_can_be_asked_to_connect_and_decides(tool):
    author = officer("Freya Fieldwriter", display_name="Freya F.")
    named = discussions.write_field_report(author, tool, **FIELDS)
    reader = sign_in(Client(), officer("Rui Reader", display_name="Rui"))
    listing = reader.get(reverse("discussions:field_reports", args=[tool.slug])).content.decode()
    url = reverse("discussions:field_report_contact", args=[named.public_id])
    assert url in listing
    assert reader.post(url, {"note": ""}).status_code == 400
    assert reader.post(url, {"note": "Could we talk about your integration?"}).status_code == 302
    request = Connection.objects.get(recipient=author)
    assert request.state == Connection.State.PENDING  # the author decides
    assert "Could we talk" in sign_in(Client(), author).get(reverse("community:contacts")).content.decode()


def test_a_pseudonymous_author_stays_unknown_to_the_asker_until_they_accept(tool):
    author = officer("Pia Realname", "KE", display_name="Pia the analyst")
    community.save_listing(author, listed=True, display_name="Pia the analyst", shown={})
    hidden = discussions.write_field_report(author, tool, **{**FIELDS, "attribution": "region"})
    asker = officer("Rui Reader", display_name="Rui")
    reader = sign_in(Client(), asker)
    url = reverse("discussions:field_report_contact", args=[hidden.public_id])
    assert url in reader.get(reverse("discussions:field_reports", args=[tool.slug])).content.decode()
    assert reader.post(url, {"note": "Your report on triage helped us."}).status_code == 302

    # The asker's contacts, the author's directory page and a second request reveal nothing.
    contacts = reader.get(reverse("community:contacts")).content.decode()
    assert "An officer in Africa" in contacts and "Pia" not in contacts
    profile_page = reverse("community:officer", args=[author.directory_profile.public_id])
    assert "Request pending" not in reader.get(profile_page).content.decode()
    again = reader.post(
        reverse("community:connect", args=[author.directory_profile.public_id]), {"note": "Hello"}, follow=True
    ).content.decode()
    assert "You already asked" not in again
    assert Connection.objects.filter(recipient=author).count() == 1

    # The author sees who asks, and decides; once they accept, both know each other.
    connection = Connection.objects.get(recipient=author)
    community.respond(connection, by=author, accept=True)
    assert "Pia the analyst" in reader.get(reverse("community:contacts")).content.decode()


def test_asking_needs_a_display_name_and_keeps_the_note(tool):
    named = discussions.write_field_report(officer("Freya Fieldwriter", display_name="Freya F."), tool, **FIELDS)
    reader = sign_in(Client(), officer("Nameless Reader"))
    response = reader.post(
        reverse("discussions:field_report_contact", args=[named.public_id]), {"note": "Kept note 42"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a display name" in html and "Kept note 42" in html
