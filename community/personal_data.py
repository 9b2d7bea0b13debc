"""Meet other officers in a user's data download: their listing, the contacts they asked for or
answered (without the other person) and the messages they sent (not those they received: those
are the other person's words). Closing the account removes the listing and blocks."""

from django.db.models import Q

from accounts.personal_data import iso, register_section

from .models import Block, Connection, DirectoryProfile, Message


def collect(user) -> dict:
    profile = DirectoryProfile.objects.filter(user=user).prefetch_related("tags").first()
    listing = None
    if profile is not None:
        listing = {
            "listed": profile.listed,
            "display_name": profile.display_name,
            "shows": {
                field: getattr(profile, f"show_{field}")
                for field in ("agency", "unit", "country", "languages", "expertise", "tools")
            },
            "tags": [f"{tag.kind}:{tag.value}" for tag in profile.tags.all()],
        }
    connections = Connection.objects.filter(Q(requester=user) | Q(recipient=user)).order_by("created_at", "pk")
    return {
        "directory_listing": listing,
        "contacts": [
            {
                "you_asked": c.requester_id == user.pk,
                "note": c.note if c.requester_id == user.pk else None,
                "state": c.state,
                "created_at": iso(c.created_at),
            }
            for c in connections
        ],
        "messages_sent": [
            {"at": iso(m.created_at), "text": m.body}
            for m in Message.objects.filter(sender=user).order_by("created_at", "pk")
        ],
        "people_blocked": Block.objects.filter(blocker=user).count(),
    }


def erase(user) -> None:
    DirectoryProfile.objects.filter(user=user).delete()
    Block.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()


register_section("community", collect, erase=erase)
