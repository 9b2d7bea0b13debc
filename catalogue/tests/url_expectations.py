"""The catalogue's URL table, merged from the parts owned by their modules."""

from . import (
    url_expectations_provider,
    url_expectations_review,
    url_expectations_tool,
)

PARTS = [url_expectations_provider, url_expectations_review, url_expectations_tool]

EXPECTATIONS = {}
for part in PARTS:
    EXPECTATIONS.update(part.EXPECTATIONS)


def build_world(world):
    for part in PARTS:
        builder = getattr(part, "build_world", None)
        if builder:
            builder(world)
