"""Who may write to the coordinators, read a conversation, and work the contact point's queue."""

from accounts.rules import is_coordinator
from core import policy

# The contact point is open to everyone signed in, whatever their role or vetting state: a
# pending officer or a provider whose organisation awaits approval may need the coordinators most.
policy.register("contact.write", lambda user, obj=None: True)
policy.register("contact.work", lambda user, obj=None: is_coordinator(user))


@policy.rule("contact.read")
def _read(user, conversation) -> bool:
    """A conversation: its author, and the coordinators."""
    return conversation.author_id == user.pk or is_coordinator(user)


@policy.rule("contact.own")
def _own(user, conversation) -> bool:
    """The author's own pages of a conversation (coordinators work it from the queue)."""
    return conversation.author_id == user.pk


@policy.rule("contact.reply")
def _reply(user, conversation) -> bool:
    """Writing again in one's own open conversation."""
    return conversation.author_id == user.pk and conversation.is_open
