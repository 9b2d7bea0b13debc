"""When the officer last opened their start page, in their data download; closing the account removes it."""

from accounts.personal_data import iso, register_section

from .models import HomeVisit


def collect(user) -> dict:
    seen_at = HomeVisit.objects.filter(user=user).values_list("seen_at", flat=True).first()
    return {"last_visit_of_start_page": iso(seen_at)}


def erase(user) -> None:
    HomeVisit.objects.filter(user=user).delete()


register_section("home", collect, erase=erase)
