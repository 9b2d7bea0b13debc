"""Areas of expertise an officer can show in the directory.

An area is stored as "<source>:<slug>": the slug is the identity the source gives it (a workflow
step is the `value` of an option of the `workflow-steps` question). Each source is a small
function listing (slug, label) pairs; a new list of slugs (the Learning Centre's topics) is one
more entry in `SOURCES`, and stored keys of the other sources do not change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from learning.selectors import topics
from questionnaires.selectors import workflow_steps


@dataclass(frozen=True)
class Source:
    prefix: str
    label: object  # a lazily translated group name
    options: Callable[[], list[tuple[str, str]]]


def _workflow_steps() -> list[tuple[str, str]]:
    return [(option.value, option.label) for option in workflow_steps()]


def _learning_topics() -> list[tuple[str, str]]:
    return [(topic.slug, topic.name) for topic in topics()]


SOURCES: list[Source] = [
    Source("step", _("Investigative workflow steps"), _workflow_steps),
    Source("topic", _("Learning Centre topics"), _learning_topics),
]


def key(prefix: str, slug: str) -> str:
    return f"{prefix}:{slug}"


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a form: (group label, [(key, label), ...]) per source that has options."""
    grouped = []
    for source in SOURCES:
        options = [(key(source.prefix, slug), label) for slug, label in source.options()]
        if options:
            grouped.append((str(source.label), options))
    return grouped


def labels() -> dict[str, str]:
    """key -> label of every area that exists now (a key whose step was since deleted has none)."""
    return {value: label for _group, options in choices() for value, label in options}
