"""URL table of the name-and-emblem pages (/emblem/).

In the shared world a current provider-terms document exists that neither persona
organisation has accepted (see terms/tests/url_expectations.py), so both providers are
refused (403) by rule "organisation.work", like officers. test_emblem.py covers providers
whose organisation accepted the terms, and provider B asking for A's notification (404).
"""

from testkit import factories
from testkit.urltable import COORDINATOR_ONLY, LOGIN, Expect, same


def build_world(world):
    org_a = world.users["provider_a"].membership.organisation
    world.objects["emblem_notification"] = factories.EmblemNotificationFactory(
        organisation=org_a, created_by=world.users["provider_a"]
    )


def _notification(world):
    return {"public_id": world.emblem_notification.public_id}


# Coordinators POSTing no data get the form back with its errors.
COORDINATOR_FORM = same(403, anonymous=LOGIN, coordinator=400)

EXPECTATIONS = {
    "emblem:list": Expect(COORDINATOR_ONLY),
    # Only provider members notify; coordinators have nothing to notify.
    "emblem:new": Expect(same(403, anonymous=LOGIN)),
    "emblem:detail": Expect(COORDINATOR_ONLY, kwargs=_notification),
    "emblem:sample": Expect(COORDINATOR_ONLY, kwargs=_notification),
    # A decision first asks the coordinator to confirm the password (302 to that page).
    "emblem:decide": Expect(same(403, anonymous=LOGIN, coordinator=302), kwargs=_notification, method="post"),
    "emblem:comment": Expect(COORDINATOR_FORM, kwargs=_notification, method="post"),
}
