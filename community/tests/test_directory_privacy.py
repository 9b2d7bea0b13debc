"""The directory never lists an officer who has not opted in, nor a field they did not choose.

Property test through the production path: officers are seeded with a unique canary string in
every field they did not choose (and officers who are not listed, whose verification lapsed or
who are suspended carry canaries everywhere). A verified officer and a coordinator then request
every community page a viewer can reach: the directory with every filter (page and htmx
fragment, each filter value tried, including the hidden ones), every officer page, the contacts
page. No canary may appear; the values the officers did choose must (so the crawl saw entries).

The controls break the opt-in filter and the field choice on purpose and see the test fail.
The officer's own "my directory entry" form is not crawled: it lists every language and tool one
can choose, which is not anyone's entry.
"""

from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import OfficerProfile
from community import selectors
from community.models import CommunitySuspension, DirectoryProfile
from testkit import factories

from .helpers import ALL_SHOWN, client_for, listed, officer

pytestmark = pytest.mark.django_db

HIDDEN_COUNTRY, HIDDEN_COUNTRY_NAME = "TV", "Tuvalu"
HIDDEN_LANGUAGE, HIDDEN_LANGUAGE_NAME = "ia", "Interlingua"
SHOWN_COUNTRY_NAME, SHOWN_LANGUAGE_NAME = "Kenya", "Swahili"


def seed():
    factories.make_questionnaire(
        "tools-form",
        [{"key": "workflow-steps", "type": "multiple_choice", "options": ["cnryshownstep", "cnryhiddenstep"]}],
    )
    shown_tool = factories.ToolFactory(published=True, name="cnryshowntool")
    hidden_tool = factories.ToolFactory(published=True, name="cnryhiddentool")
    everything_hidden = {
        "languages": [HIDDEN_LANGUAGE],
        "expertise": ["step:cnryhiddenstep"],
        "tools": [hidden_tool],
    }

    def hidden_values(prefix):
        return officer(agency=f"{prefix}agency", unit=f"{prefix}unit", country=HIDDEN_COUNTRY)

    # One officer showing everything, with values of their own.
    listed(
        "Open Officer",
        user=officer(agency="cnryshownagency", unit="cnryshownunit", country="KE"),
        languages=["sw"],
        expertise=["step:cnryshownstep"],
        tools=[shown_tool],
    )
    # Listed officers hiding every field: all their values are canaries.
    for index in range(3):
        listed(f"Reserved Officer {index}", user=hidden_values("cnryhidden"), shown={}, **everything_hidden)
    # Officers who must not appear at all, whatever they chose.
    unlisted = hidden_values("cnryunlisted")
    listed("cnryunlistedname", user=unlisted, **everything_hidden)
    DirectoryProfile.objects.filter(user=unlisted).update(listed=False)
    lapsed = hidden_values("cnrylapsed")
    listed("cnrylapsedname", user=lapsed, **everything_hidden)
    OfficerProfile.objects.filter(user=lapsed).update(verified_until=timezone.now())
    revoked = hidden_values("cnryrevoked")
    listed("cnryrevokedname", user=revoked, **everything_hidden)
    OfficerProfile.objects.filter(user=revoked).update(status=OfficerProfile.Status.EXPIRED)
    suspended = hidden_values("cnrysuspended")
    listed("cnrysuspendedname", user=suspended, **everything_hidden)
    CommunitySuspension.objects.create(user=suspended, reason="Spam")
    pending = factories.OfficerProfileFactory(agency="cnrypendingagency").user
    DirectoryProfile.objects.create(user=pending, listed=True, display_name="cnrypendingname", **ALL_SHOWN)

    canaries = ["cnryhidden", "cnryunlisted", "cnrylapsed", "cnryrevoked", "cnrysuspended", "cnrypending"]
    canaries += [HIDDEN_COUNTRY_NAME, HIDDEN_LANGUAGE_NAME]
    canaries += [user.email for user in type(pending).objects.filter(role="officer")]
    shown = ["cnryshownagency", "cnryshownunit", SHOWN_COUNTRY_NAME, SHOWN_LANGUAGE_NAME, "Cnryshownstep"]
    shown.append("cnryshowntool")
    return canaries, shown


def community_pages(client) -> list[tuple[str, str]]:
    directory = reverse("community:directory")
    requests = [(directory, {}), (directory, {"page": 2})]
    filters = {
        "country": ["KE", HIDDEN_COUNTRY],
        "language": ["sw", HIDDEN_LANGUAGE],
        "expertise": ["step:cnryshownstep", "step:cnryhiddenstep"],
        "tool": [],
        "q": ["cnry", "officer", "cnryhiddenagency", "cnryunlistedname"],
    }
    filters["tool"] = list(selectors.published_tools().filter(name__startswith="cnry").values_list("slug", flat=True))
    requests += [(directory, {name: value}) for name, values in filters.items() for value in values]
    pages = []
    for url, params in requests:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, params, headers=headers)
            assert response.status_code in (200, 400), (url, params, response.status_code)
            html = response.content.decode()
            # What the viewer typed comes back in the search form (and the paging links) as typed.
            for value in map(str, params.values()):
                html = html.replace(value, "").replace(quote(value), "")
            pages.append((f"{url}?{params} {headers}", html))
    for profile in DirectoryProfile.objects.all():
        response = client.get(reverse("community:officer", args=[profile.public_id]))
        assert response.status_code in (200, 404)
        pages.append((f"officer {profile.display_name}", response.content.decode()))
    if client.get(reverse("community:contacts")).status_code == 200:
        pages.append(("contacts", client.get(reverse("community:contacts")).content.decode()))
    return pages


def leaks(pages, canaries) -> list[tuple[str, str]]:
    return [(where, canary) for where, html in pages for canary in canaries if canary.lower() in html.lower()]


def crawl_all():
    canaries, shown = seed()
    viewer = listed("Viewer Officer", shown={})
    coordinator = factories.CoordinatorFactory()
    pages = community_pages(client_for(viewer)) + community_pages(client_for(coordinator))
    return pages, canaries, shown


def test_the_directory_shows_only_opted_in_officers_and_chosen_fields(settings):
    settings.COMMUNITY_DIRECTORY_PAGES_PER_HOUR = 10_000
    pages, canaries, shown = crawl_all()
    assert not leaks(pages, canaries), leaks(pages, canaries)[:5]
    everything = "\n".join(html for _where, html in pages)
    for value in shown:
        assert value in everything, value


# --- controls ------------------------------------------------------------------------------------
def test_control_listing_everyone_is_caught(settings, monkeypatch):
    settings.COMMUNITY_DIRECTORY_PAGES_PER_HOUR = 10_000
    monkeypatch.setattr(
        selectors, "listed_profiles", lambda now=None: DirectoryProfile.objects.exclude(display_name="")
    )
    pages, canaries, _shown = crawl_all()
    found = {canary for _where, canary in leaks(pages, canaries)}
    assert {"cnryunlisted", "cnrylapsed", "cnryrevoked", "cnrysuspended", "cnrypending"} <= found


def test_control_showing_every_field_is_caught(settings, monkeypatch):
    settings.COMMUNITY_DIRECTORY_PAGES_PER_HOUR = 10_000
    real_entry_for = selectors.entry_for

    def entry_for_everything(profile, labels):
        for name in ALL_SHOWN:
            setattr(profile, name, True)
        return real_entry_for(profile, labels)

    monkeypatch.setattr(selectors, "entry_for", entry_for_everything)
    pages, canaries, _shown = crawl_all()
    found = {canary for _where, canary in leaks(pages, canaries)}
    assert {"cnryhidden", HIDDEN_COUNTRY_NAME, HIDDEN_LANGUAGE_NAME} <= found
