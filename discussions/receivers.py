"""Discussions listens to the catalogue and moderation, and adds to following's notice audience;
none of them imports this app (docs/architecture.md, "Signals upward")."""

from django.dispatch import receiver

from catalogue import signals as catalogue_signals
from following.services import register_notice_audience
from moderation import signals as moderation_signals
from moderation.models import NoticeAction

from . import services
from .models import Space

# Officers who declared "my agency uses this tool" hear of its suspension, removal,
# reinstatement and withdrawal exactly as its followers do (once, if they also follow it).
register_notice_audience(services.agency_users_of)


@receiver(catalogue_signals.tool_published, dispatch_uid="discussions.tool_space")
def _open_tool_space(sender, tool, **kwargs):
    services.ensure_tool_space(tool)


@receiver(moderation_signals.notice_decided, dispatch_uid="discussions.lock_tool_space")
def _lock_tool_space(sender, notice, **kwargs):
    """A suspended or removed tool's space is locked (the notice is shown on top); a
    reinstatement opens it again. A provider's withdrawal changes nothing: officers whose agency
    still uses the tool keep talking about it."""
    if not NoticeAction(notice.action).is_decision:
        return
    space = Space.objects.filter(tool=notice.tool).first()
    if space is None:
        return
    locked = NoticeAction(notice.action).is_safety_notice
    services.set_tool_space_lock(space, locked=locked, reason=notice.summary if locked else "", by=notice.decided_by)
