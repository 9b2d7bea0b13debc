"""Who may read, write and review learning content (registered with core.policy).

Readers: verified officers and coordinators ("hub.use"); never providers or anonymous
visitors. Writers: coordinators, and verified officers a coordinator made contributors.
Reviewers (publish, return, coverage, overdue list, aggregates, topics, contributors, old
versions): coordinators.
"""

from __future__ import annotations

from accounts.rules import is_coordinator, is_verified_officer, use_hub
from core import policy

from .models import Contributor


def is_contributor(user) -> bool:
    return is_verified_officer(user) and Contributor.objects.filter(user=user).exists()


@policy.rule("learning.read", "learning.search")
def _read(user, obj=None) -> bool:
    return use_hub(user)


@policy.rule("learning.progress")
def _own_progress(user, obj=None) -> bool:
    """Progress is an officer's own: coordinators see aggregates instead."""
    return is_verified_officer(user)


@policy.rule("learning.may_contribute")
def _may_contribute(user, obj=None) -> bool:
    """Who a coordinator may make a contributor: verified officers."""
    return is_verified_officer(user)


@policy.rule("learning.write")
def _write(user, obj=None) -> bool:
    return is_coordinator(user) or is_contributor(user)


@policy.rule("learning.edit_item")
def _edit_item(user, item=None) -> bool:
    """Coordinators edit every item; a contributor edits the items they own."""
    if is_coordinator(user):
        return True
    return item is not None and item.owner_id == user.pk and is_contributor(user)


@policy.rule(
    "learning.review",
    "learning.coverage",
    "learning.overdue",
    "learning.statistics",
    "learning.manage_topics",
    "learning.manage_contributors",
    "learning.old_versions",
)
def _coordinator(user, obj=None) -> bool:
    return is_coordinator(user)
