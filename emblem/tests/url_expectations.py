"""URL table of the name-and-emblem pages (/emblem/).

In the shared world a current provider-terms document exists that provider A's organisation
accepted and provider B's has not (see terms/tests/url_expectations.py): provider A may notify
a use; provider B is refused (403) by rule "organisation.work", like officers. test_emblem.py
covers provider B asking for A's notification (404).
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalogue.tests.url_expectations_review import png_bytes
from emblem.models import EmblemEntry, EmblemNotification, Medium
from testkit import factories
from testkit.urltable import COORDINATOR_POST, LOGIN, Expect, fresh, same

OWN_AND_COORDINATORS = same(403, anonymous=LOGIN, provider_a=200, coordinator=200)


def build_world(world):
    org_a = world.users["provider_a"].membership.organisation
    world.objects["emblem_notification"] = factories.EmblemNotificationFactory(
        organisation=org_a, created_by=world.users["provider_a"]
    )


def _notification(world):
    return {"public_id": world.emblem_notification.public_id}


EXPECTATIONS = {
    # Provider A sees its own organisation's notifications; coordinators see all.
    "emblem:list": Expect(OWN_AND_COORDINATORS),
    # Only provider members notify; coordinators have nothing to notify.
    "emblem:new": Expect(
        same(403, anonymous=LOGIN, provider_a=200),
        body=lambda w: {
            "intended_use": "The emblem on the title slide of our conference talk.",
            "medium": Medium.PRESENTATION,
            "audience": "Conference attendees",
            "period_start": timezone.localdate().isoformat(),
            "period_end": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "sample": SimpleUploadedFile("slide.png", png_bytes(), content_type="image/png"),
        },
        posted=same(403, anonymous=LOGIN, provider_a=302),
        effect=lambda w: EmblemNotification.objects.count(),
    ),
    "emblem:detail": Expect(OWN_AND_COORDINATORS, kwargs=_notification),
    "emblem:sample": Expect(OWN_AND_COORDINATORS, kwargs=_notification),
    "emblem:decide": Expect(
        COORDINATOR_POST,
        kwargs=_notification,
        method="post",
        body=lambda w: {"decision": "acknowledged", "comment": "", "version": fresh(w.emblem_notification).version},
        effect=lambda w: fresh(w.emblem_notification).state,
    ),
    # Members comment only once the coordinators objected; this notification awaits them.
    "emblem:comment": Expect(
        COORDINATOR_POST,
        kwargs=_notification,
        method="post",
        body=lambda w: {"comment": "Which slide shows the emblem?"},
        effect=lambda w: EmblemEntry.objects.filter(notification=w.emblem_notification).count(),
    ),
}
