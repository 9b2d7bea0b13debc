"""URL table for following tools and saved searches (officers only).

Uses `page_tool` (a published tool of provider A) from catalogue's url_expectations_review
(testkit.urltable builds the catalogue's world before this one), and
adds a tool the verified officer follows and a saved search of theirs."""

from following import services as following
from following.models import Follow, SavedSearch
from testkit import factories
from testkit.urltable import LOGIN, Expect, no_fields, same

OFFICERS_ONLY = same(403, anonymous=LOGIN, verified_officer=200)
OFFICERS_POST = same(403, anonymous=LOGIN, verified_officer=302)


def build_world(world):
    officer = world.users["verified_officer"]
    world.objects["saved_search"] = SavedSearch.objects.create(user=officer, name="Triage tools", query="q=triage")
    followed = factories.ToolFactory(organisation=world.users["provider_a"].membership.organisation, published=True)
    following.follow(officer, followed)
    world.objects["followed_tool"] = followed


def _follows(tool):
    return lambda w: Follow.objects.filter(user=w.users["verified_officer"], tool=getattr(w, tool)).exists()


EXPECTATIONS = {
    "following:followed": Expect(OFFICERS_ONLY),
    "following:saved_searches": Expect(OFFICERS_ONLY),
    "following:follow": Expect(
        OFFICERS_POST,
        kwargs=lambda w: {"slug": w.page_tool.slug},
        method="post",
        body=no_fields,
        effect=_follows("page_tool"),
    ),
    "following:unfollow": Expect(
        OFFICERS_POST,
        kwargs=lambda w: {"slug": w.followed_tool.slug},
        method="post",
        body=no_fields,
        effect=_follows("followed_tool"),
    ),
    "following:save_search": Expect(
        OFFICERS_POST,
        method="post",
        body=lambda w: {"name": "Hash matching", "query": "q=hash"},
        effect=lambda w: SavedSearch.objects.count(),
    ),
    "following:delete_saved_search": Expect(
        OFFICERS_POST,
        kwargs=lambda w: {"public_id": w.saved_search.public_id},
        method="post",
        body=no_fields,
        effect=lambda w: SavedSearch.objects.filter(pk=w.saved_search.pk).exists(),
    ),
}
