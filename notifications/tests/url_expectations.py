from testkit.factories import NotificationFactory
from testkit.urltable import COORDINATOR_ONLY, LOGIN, SIGNED_IN, Expect, same


def build_world(world):
    # The verified officer's own notification: everyone else gets 404 for it.
    world.objects["officer_notification"] = NotificationFactory(
        user=world.users["verified_officer"], kind="vetting_decision", message_key="officer_approved", params={}
    )


def officer_notification(world):
    return {"public_id": world.officer_notification.public_id}


EXPECTATIONS = {
    "notifications:outbox": Expect(COORDINATOR_ONLY),
    # POST only; an empty POST is refused with the form's error (400) for coordinators.
    "notifications:outbox_retry": Expect(same(403, anonymous=LOGIN, coordinator=400), method="post"),
    # Every signed-in user has an inbox and notification settings of their own.
    "notifications:inbox": Expect(SIGNED_IN),
    "notifications:preferences": Expect(SIGNED_IN),
    # POST only; marks the signed-in user's own notifications read and goes back.
    "notifications:mark_all_read": Expect(same(302, anonymous=LOGIN), method="post"),
    "notifications:open": Expect(
        same(404, anonymous=LOGIN, verified_officer=302), kwargs=officer_notification, method="post"
    ),
    "notifications:mark_read": Expect(
        same(404, anonymous=LOGIN, verified_officer=302), kwargs=officer_notification, method="post"
    ),
}
