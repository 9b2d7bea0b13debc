"""URL table for following tools and saved searches (officers only).

Uses `page_tool` (a published tool of provider A) from url_expectations_review.build_world, and
adds a saved search of the verified officer."""

from catalogue.models import SavedSearch
from testkit.urltable import LOGIN, Expect, same

OFFICERS_ONLY = same(403, anonymous=LOGIN, verified_officer=200)


def build_world(world):
    world.objects["saved_search"] = SavedSearch.objects.create(
        user=world.users["verified_officer"], name="Triage tools", query="q=triage"
    )


EXPECTATIONS = {
    "catalogue:followed": Expect(OFFICERS_ONLY),
    "catalogue:saved_searches": Expect(OFFICERS_ONLY),
    # POSTed without data: the officer follows (or stops following) and is sent back to the tool.
    "catalogue:follow": Expect(
        same(403, anonymous=LOGIN, verified_officer=302), kwargs=lambda w: {"slug": w.page_tool.slug}, method="post"
    ),
    "catalogue:unfollow": Expect(
        same(403, anonymous=LOGIN, verified_officer=302), kwargs=lambda w: {"slug": w.page_tool.slug}, method="post"
    ),
    # Without a name the form is shown again with its error.
    "catalogue:save_search": Expect(same(403, anonymous=LOGIN, verified_officer=400), method="post"),
    "catalogue:delete_saved_search": Expect(
        same(403, anonymous=LOGIN, verified_officer=302),
        kwargs=lambda w: {"public_id": w.saved_search.public_id},
        method="post",
    ),
}
