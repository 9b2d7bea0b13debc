"""Who may read and write in discussions, field reports and agency-use declarations.

Verified officers take part; coordinators read everything and moderate. Providers, pending
officers and anonymous visitors get nothing, not even a count.
"""

from django.utils import timezone

from accounts.rules import is_coordinator, is_verified_officer, use_hub
from catalogue.models import ToolState
from core import policy

# A tool's space (and its field reports) exist for officers while the tool is published, and
# stay readable once it is suspended or removed (the notice is shown on top, the space locked)
# or withdrawn by its provider.
VISIBLE_TOOL_STATES = (ToolState.PUBLISHED, ToolState.SUSPENDED, ToolState.REMOVED)


def tool_visible(user, tool) -> bool:
    """A tool that never reached the catalogue (a draft, a submission, or one withdrawn when its
    organisation left before it was published) has no space, even for coordinators: there is
    nothing for officers to discuss."""
    if not use_hub(user):
        return False
    if tool.state == ToolState.WITHDRAWN:
        return tool.published_at is not None
    return tool.state in VISIBLE_TOOL_STATES


@policy.rule("discussions.read")
def _read(user, obj=None) -> bool:
    """Spaces, threads and posts: verified officers and coordinators."""
    return use_hub(user)


@policy.rule("discussions.participate")
def may_participate(user, obj=None) -> bool:
    """Start threads, post, reply, subscribe, report: verified officers not suspended from the
    community features (the community app's rule), and coordinators."""
    return is_coordinator(user) or policy.can(user, "community.participate")


@policy.rule("discussions.edit_post")
def _edit_post(user, post=None) -> bool:
    """The author, within EDIT_WINDOW of writing, while the post is visible and its thread open."""
    if post is None:
        return may_participate(user)
    return may_edit_own_post(user, post) and may_participate(user)


def may_edit_own_post(user, post) -> bool:
    """What the post says about editing it (no query): a page of posts asks this for each one,
    and `discussions.participate` once for the page."""
    return post.author_id == user.pk and not post.is_hidden and post.edit_window_open(timezone.now())


@policy.rule("discussions.moderate", "discussions.manage_spaces", "agency_use.view_counts")
def _coordinator(user, obj=None) -> bool:
    return is_coordinator(user)


@policy.rule("field_reports.read")
def _read_field_reports(user, tool=None) -> bool:
    """Verified officers and coordinators, for tools they may see."""
    return use_hub(user) if tool is None else tool_visible(user, tool)


@policy.rule("field_reports.write")
def _write_field_report(user, obj=None) -> bool:
    """Officers write about published tools; a report is edited or withdrawn by its author only."""
    if not policy.can(user, "community.participate"):  # a verified officer, not suspended
        return False
    if obj is None:
        return True
    if hasattr(obj, "author_id"):
        return obj.author_id == user.pk
    return obj.state == ToolState.PUBLISHED


@policy.rule("field_reports.contact_author")
def _contact_author(user, report=None) -> bool:
    """Whose report offers "ask to contact the author": another officer's (a pseudonymous author
    stays unknown to the asker until they accept). Asking also needs `community.participate`,
    checked once per page, not once per report."""
    if not is_verified_officer(user):
        return False
    if report is None:
        return True
    return report.author_id != user.pk


@policy.rule("agency_use.declare")
def _declare_agency_use(user, tool=None) -> bool:
    """Verified officers; a declaration is about a published tool (withdrawing is always allowed)."""
    return is_verified_officer(user)
