"""Followed tools and saved searches, in a user's data download; closing the account removes them."""

from accounts.personal_data import iso, register_section

from .models import Follow, SavedSearch


def collect(user) -> dict:
    return {
        "followed_tools": [
            {"tool": f.tool.name, "since": iso(f.created_at)}
            for f in Follow.objects.filter(user=user).select_related("tool").order_by("pk")
        ],
        "saved_searches": [
            {"name": s.name, "query": s.query, "created_at": iso(s.created_at)}
            for s in SavedSearch.objects.filter(user=user).order_by("pk")
        ],
    }


def erase(user) -> None:
    Follow.objects.filter(user=user).delete()
    SavedSearch.objects.filter(user=user).delete()


register_section("following", collect, erase=erase)
