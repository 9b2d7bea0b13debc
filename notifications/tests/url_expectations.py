from notifications.models import Notification, OutboxMessage
from testkit.factories import NotificationFactory, OutboxMessageFactory
from testkit.urltable import COORDINATOR_ONLY, COORDINATOR_POST, LOGIN, PERSONAS, SIGNED_IN, Expect, fresh, same


def build_world(world):
    # The verified officer's own notification: everyone else gets 404 for it.
    world.objects["officer_notification"] = NotificationFactory(
        user=world.users["verified_officer"], kind="vetting_decision", message_key="officer_approved", params={}
    )
    # Everyone signed in has something unread, so marking all read changes something for each.
    for persona in PERSONAS:
        if world.users[persona] is not None and persona != "verified_officer":
            NotificationFactory(user=world.users[persona])
    # A message the worker gave up on: what a coordinator queues again.
    world.objects["dead_message"] = OutboxMessageFactory(state=OutboxMessage.State.DEAD)


def officer_notification(world):
    return {"public_id": world.officer_notification.public_id}


def _unread(world) -> int:
    return Notification.objects.filter(read_at__isnull=True).count()


EXPECTATIONS = {
    "notifications:outbox": Expect(COORDINATOR_ONLY),
    "notifications:outbox_retry": Expect(
        COORDINATOR_POST,
        method="post",
        body=lambda w: {"messages": [w.dead_message.pk]},
        effect=lambda w: fresh(w.dead_message).state,
    ),
    # Every signed-in user has an inbox and notification settings of their own.
    "notifications:inbox": Expect(SIGNED_IN),
    "notifications:preferences": Expect(SIGNED_IN),
    # Marks the signed-in user's own notifications read and goes back.
    "notifications:mark_all_read": Expect(same(302, anonymous=LOGIN), method="post", body=lambda w: {}, effect=_unread),
    "notifications:open": Expect(
        same(404, anonymous=LOGIN, verified_officer=302),
        kwargs=officer_notification,
        method="post",
        body=lambda w: {},
        effect=lambda w: fresh(w.officer_notification).read_at,
    ),
    "notifications:mark_read": Expect(
        same(404, anonymous=LOGIN, verified_officer=302),
        kwargs=officer_notification,
        method="post",
        body=lambda w: {},
        effect=lambda w: fresh(w.officer_notification).read_at,
    ),
}
