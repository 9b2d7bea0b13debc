"""Building blocks of the community tests."""

from django.test import Client

from community import services
from testkit import factories
from testkit.personas import sign_in

ALL_SHOWN = dict.fromkeys(services.SHOWN_FIELDS, True)


def officer(**profile):
    return factories.OfficerProfileFactory(verified=True, **profile).user


def listed(name: str, *, shown=None, user=None, **choices):
    """A verified officer listed in the directory under `name`, showing `shown` (default: all)."""
    user = user or officer()
    services.save_listing(user, listed=True, display_name=name, shown=ALL_SHOWN if shown is None else shown, **choices)
    return user


def client_for(user) -> Client:
    return sign_in(Client(), user)


def connected(first, second, note="We work on similar cases."):
    connection = services.request_contact(first, second, note=note)
    return services.respond(connection, by=second, accept=True)
