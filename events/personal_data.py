"""Event registrations, in a user's data download."""

from accounts.personal_data import iso, register_section

from .models import Registration


def collect(user) -> list[dict]:
    return [
        {
            "event": r.event.title,
            "starts_at": iso(r.event.starts_at),
            "status": r.status,
            "asked_at": iso(r.requested_at),
        }
        for r in Registration.objects.filter(user=user).select_related("event").order_by("pk")
    ]


register_section("event_registrations", collect)
