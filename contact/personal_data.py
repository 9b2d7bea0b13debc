"""The contact point in a user's data download: their conversations with the coordinators and
what they wrote (not the coordinators' answers: those are the coordinators' words). Closing the
account closes its open conversations; what was written stays for the coordinators' record, like
a concern, under the pseudonymous account."""

from django.utils import timezone

from accounts.personal_data import iso, register_section

from .models import Conversation, Post


def collect(user) -> list[dict]:
    conversations = Conversation.objects.filter(author=user).order_by("created_at", "pk")
    written = {}
    for post in Post.objects.filter(author=user, by_coordinators=False).order_by("created_at", "pk"):
        written.setdefault(post.conversation_id, []).append(
            {"at": iso(post.created_at), "text": post.body, "with_file": bool(post.file)}
        )
    return [
        {
            "category": conversation.category,
            "state": conversation.state,
            "started_at": iso(conversation.created_at),
            "answers_received": conversation.posts.filter(by_coordinators=True).count(),
            "messages_written": written.get(conversation.pk, []),
        }
        for conversation in conversations
    ]


def erase(user) -> None:
    Conversation.objects.filter(author=user, state=Conversation.State.OPEN).update(
        state=Conversation.State.CLOSED, closed_at=timezone.now()
    )


register_section("messages_to_the_coordinators", collect, erase=erase)
