"""A provider member's place in their organisation, in their data download; closing the account
ends the membership."""

from accounts.personal_data import iso, register_section

from .models import Membership


def collect(user) -> dict | None:
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    if membership is None:
        return None
    return {
        "organisation": membership.organisation.name,
        "is_admin": membership.is_admin,
        "joined_at": iso(membership.joined_at),
    }


def erase(user) -> None:
    Membership.objects.filter(user=user).delete()


register_section("organisation_membership", collect, erase=erase)
