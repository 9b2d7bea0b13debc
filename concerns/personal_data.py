"""The concerns a user reported, in their data download. They stay with a closed account: the
coordinators' assessment and any decision rest on them."""

from accounts.personal_data import iso, register_section

from .models import Concern


def collect(user) -> list[dict]:
    return [
        {
            "tool": c.tool.name,
            "category": c.category,
            "description": c.description,
            "sources": c.sources,
            "status": c.status,
            "created_at": iso(c.created_at),
        }
        for c in Concern.objects.filter(reporter=user).select_related("tool").order_by("created_at", "pk")
    ]


register_section("concerns_reported", collect)
