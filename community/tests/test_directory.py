"""The directory: opt-in, field by field, verified officers only, neutral order, filters, paging."""

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import OfficerProfile
from audit.models import Action, AuditEvent
from community import selectors, services
from community.models import CommunitySuspension, DirectoryProfile
from questionnaires.selectors import workflow_steps
from testkit import factories

from .helpers import client_for, listed, officer

pytestmark = pytest.mark.django_db
URL = reverse("community:directory")


def names_on(response) -> list[str]:
    return [entry.display_name for entry in response.context["entries"]]


def test_officers_are_hidden_until_they_opt_in_and_email_is_never_shown():
    viewer = listed("Viewer")
    hidden = officer()
    services.save_listing(hidden, listed=False, display_name="Quiet Officer", shown={"show_agency": True})
    visible = listed("Open Officer")
    page = client_for(viewer).get(URL)
    assert page.status_code == 200
    assert names_on(page) == ["Open Officer", "Viewer"]
    html = page.content.decode()
    assert "Quiet Officer" not in html
    assert visible.email not in html and viewer.email not in html
    profile = DirectoryProfile.objects.get(user=hidden)
    assert client_for(viewer).get(reverse("community:officer", args=[profile.public_id])).status_code == 404


def test_only_the_chosen_fields_are_shown():
    viewer = listed("Viewer", shown={})
    tool = factories.ToolFactory(published=True, name="Harbour Sorter")
    step = workflow_steps()[0]
    person = officer(agency="Agency Shown Here", unit="Unit Kept Hidden", country="KE")
    listed(
        "Chooser",
        user=person,
        shown={"show_agency": True, "show_languages": True},
        languages=["sw"],
        expertise=[f"step:{step.value}"],
        tools=[tool],
    )
    html = client_for(viewer).get(URL).content.decode()
    assert "Agency Shown Here" in html and "Swahili" in html
    assert "Unit Kept Hidden" not in html and "Kenya" not in html
    assert "Harbour Sorter" not in html and step.label not in html


def test_order_is_alphabetical_by_display_name_casefolded_never_by_activity():
    viewer = listed("mid viewer")
    for name in ("Zoë", "alice", "Émile", "Bob"):
        listed(name)
    # The last one to join, and the most recently active, comes where the alphabet puts it.
    assert names_on(client_for(viewer).get(URL)) == sorted(
        ["Zoë", "alice", "Émile", "Bob", "mid viewer"], key=str.casefold
    )


def test_filters_match_only_shown_fields():
    viewer = listed("Viewer", shown={})
    tool = factories.ToolFactory(published=True)
    step = workflow_steps()[1]
    shows = {"languages": ["fr"], "expertise": [f"step:{step.value}"], "tools": [tool]}
    listed("Shows All", user=officer(country="SN", agency="Harbour Police"), **shows)
    listed("Shows Nothing", user=officer(country="SN", agency="Harbour Police"), shown={}, **shows)
    client = client_for(viewer)
    for params in (
        {"country": "SN"},
        {"language": "fr"},
        {"expertise": f"step:{step.value}"},
        {"tool": tool.slug},
        {"q": "harbour"},
    ):
        assert names_on(client.get(URL, params)) == ["Shows All"], params
    # A value nobody shows is not offered, and asking for it is refused as an invalid choice.
    response = client.get(URL, {"country": "FR"})
    assert response.status_code == 400 and not response.context["entries"]


def test_htmx_gets_the_results_fragment():
    viewer = listed("Viewer")
    response = client_for(viewer).get(URL, {"q": "view"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="directory-results"' in html
    assert "Viewer" in html


@pytest.mark.parametrize(
    "lapse",
    [
        lambda p: OfficerProfile.objects.filter(pk=p.pk).update(verified_until=timezone.now()),
        lambda p: OfficerProfile.objects.filter(pk=p.pk).update(status=OfficerProfile.Status.EXPIRED),
        lambda p: OfficerProfile.objects.filter(pk=p.pk).update(status=OfficerProfile.Status.PENDING),
        lambda p: type(p.user).objects.filter(pk=p.user.pk).update(is_active=False),
        lambda p: CommunitySuspension.objects.create(user=p.user, reason="Spam"),
    ],
    ids=["expired-date", "expired", "back-to-vetting", "disabled", "suspended"],
)
def test_an_officer_whose_verification_lapses_vanishes(lapse):
    viewer = listed("Viewer")
    person = listed("Lapsing Officer")
    public_id = DirectoryProfile.objects.get(user=person).public_id
    client = client_for(viewer)
    assert "Lapsing Officer" in names_on(client.get(URL))
    lapse(person.officer)
    assert "Lapsing Officer" not in names_on(client.get(URL))
    assert client.get(reverse("community:officer", args=[public_id])).status_code == 404


def test_the_directory_is_paginated():
    viewer = listed("Viewer")
    for index in range(selectors.PAGE_SIZE + 3):
        listed(f"Officer {index:03d}")
    client = client_for(viewer)
    first = client.get(URL)
    assert len(first.context["entries"]) == selectors.PAGE_SIZE
    second = client.get(URL, {"page": 2})
    assert len(second.context["entries"]) == 4
    assert not set(names_on(first)) & set(names_on(second))


def test_directory_queries_do_not_grow_with_the_officers_listed():
    tools = [factories.ToolFactory(published=True) for _ in range(3)]
    steps = [f"step:{option.value}" for option in workflow_steps()[:3]]

    def add(count):
        for index in range(count):
            listed(
                f"Officer {DirectoryProfile.objects.count()}-{index}",
                languages=["en", "fr"],
                expertise=steps,
                tools=tools,
            )

    viewer = listed("Viewer")
    client = client_for(viewer)
    add(10)
    client.get(URL)  # warm the per-process questionnaire copy
    with CaptureQueriesContext(db_connection) as few:
        assert client.get(URL).status_code == 200
    add(190)
    with CaptureQueriesContext(db_connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few), (len(few), len(many))


def test_listing_form_requires_a_display_name_and_is_audited(client, signed_in):
    user = officer()
    signed_in(user)
    url = reverse("community:my_listing")
    response = client.post(url, {"listed": "on", "display_name": " ", "show_agency": "on"})
    assert response.status_code == 400 and "Choose a display name" in response.content.decode()
    assert not DirectoryProfile.objects.filter(user=user).exists()
    response = client.post(url, {"listed": "on", "display_name": "Night Owl", "show_agency": "on"})
    assert response.status_code == 302
    profile = DirectoryProfile.objects.get(user=user)
    assert profile.listed and profile.show_agency and not profile.show_unit
    event = AuditEvent.objects.get(action=Action.COMMUNITY_LISTING_CHANGED)
    assert event.actor == user and event.after["listed"] is True
    assert "Night Owl" not in str(event.after)


def test_workflow_steps_are_the_options_of_the_workflow_steps_question():
    steps = workflow_steps()
    assert steps and all(option.question.key == "workflow-steps" for option in steps)
    assert [option.order for option in steps] == sorted(option.order for option in steps)
