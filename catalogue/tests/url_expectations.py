"""The catalogue's URL table, merged from the parts owned by their modules."""

from . import (
    url_expectations_browse,
    url_expectations_provider,
    url_expectations_review,
)

PARTS = [url_expectations_provider, url_expectations_review, url_expectations_browse]

EXPECTATIONS = {}
for part in PARTS:
    EXPECTATIONS.update(part.EXPECTATIONS)


def build_world(world):
    for part in PARTS:
        builder = getattr(part, "build_world", None)
        if builder:
            builder(world)
