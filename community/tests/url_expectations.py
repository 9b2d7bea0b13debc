"""URL table of Meet other officers (/community/).

The verified officer of the shared world is listed, connected with a listed peer (one message
from the peer, reported to the coordinators), has a request waiting from a third officer, and
blocked a fourth. Coordinators browse the directory and moderate; nobody else gets in.
"""

from community import services
from community.models import Block, Connection, DirectoryProfile, Message, MessageReport
from testkit import factories
from testkit.urltable import COORDINATOR_ONLY, LOGIN, Expect, fresh, no_fields, same

BROWSE = same(403, anonymous=LOGIN, verified_officer=200, coordinator=200)
OFFICER_ONLY = same(403, anonymous=LOGIN, verified_officer=200)
OFFICER_POST = same(403, anonymous=LOGIN, verified_officer=302)


def listed_officer(name: str, **shown):
    user = factories.OfficerProfileFactory(verified=True).user
    services.save_listing(user, listed=True, display_name=name, shown=shown)
    return user


def build_world(world):
    officer = world.users["verified_officer"]
    services.save_listing(officer, listed=True, display_name="Officer Verified", shown={"show_country": True})
    peer = listed_officer("Peer Officer", show_agency=True)
    asker = listed_officer("Asking Officer")
    stranger = listed_officer("Stranger Officer")
    nuisance = listed_officer("Blocked Officer")
    connection = services.request_contact(peer, officer, note="We work on the same kind of case.")
    services.respond(connection, by=officer, accept=True)
    message = services.send_message(connection, sender=peer, body="Hello, shall we talk about triage?")
    reported = services.send_message(connection, sender=peer, body="Send me the case file by email.")
    report = services.report_message(reported, by=officer, reason="Asks for case details.")
    pending = services.request_contact(asker, officer, note="Could we exchange on victim identification?")
    world.objects.update(
        community_connection=connection,
        community_message=message,
        community_report=report,
        community_pending=pending,
        community_stranger=DirectoryProfile.objects.get(user=stranger),
        community_block=services.block(officer, nuisance),
    )


def _connection(w):
    return {"public_id": w.community_connection.public_id}


EXPECTATIONS = {
    "community:directory": Expect(BROWSE),
    "community:officer": Expect(BROWSE, kwargs=lambda w: {"public_id": w.community_stranger.public_id}),
    "community:connect": Expect(
        OFFICER_POST,
        kwargs=lambda w: {"public_id": w.community_stranger.public_id},
        method="post",
        body=lambda w: {"note": "I would like to compare notes on triage tools."},
        effect=lambda w: Connection.objects.count(),
    ),
    "community:my_listing": Expect(
        OFFICER_ONLY,
        body=lambda w: {"listed": "on", "display_name": "Officer V.", "show_unit": "on"},
        posted=OFFICER_POST,
        effect=lambda w: list(DirectoryProfile.objects.values_list("display_name", "show_unit").order_by("pk")),
    ),
    "community:contacts": Expect(OFFICER_ONLY),
    "community:conversation": Expect(
        OFFICER_ONLY,
        kwargs=_connection,
        body=lambda w: {"body": "Yes, gladly. Tuesday?"},
        posted=OFFICER_POST,
        effect=lambda w: Message.objects.count(),
    ),
    "community:respond": Expect(
        OFFICER_POST,
        kwargs=lambda w: {"public_id": w.community_pending.public_id},
        method="post",
        body=lambda w: {"decision": "accept"},
        effect=lambda w: fresh(w.community_pending).state,
    ),
    "community:share_email": Expect(
        OFFICER_POST,
        kwargs=_connection,
        method="post",
        body=lambda w: {"share": "on"},
        effect=lambda w: fresh(w.community_connection).recipient_shares_email,
    ),
    "community:block": Expect(
        OFFICER_POST,
        kwargs=_connection,
        method="post",
        body=no_fields,
        effect=lambda w: fresh(w.community_connection).state,
    ),
    "community:blocks": Expect(OFFICER_ONLY),
    "community:unblock": Expect(
        OFFICER_POST,
        kwargs=lambda w: {"public_id": w.community_block.public_id},
        method="post",
        body=no_fields,
        effect=lambda w: Block.objects.count(),
    ),
    "community:report": Expect(
        OFFICER_ONLY,
        kwargs=lambda w: {"public_id": w.community_message.public_id},
        body=lambda w: {"reason": "It asks for case details I may not share."},
        posted=OFFICER_POST,
        effect=lambda w: MessageReport.objects.count(),
    ),
    "community:reports": Expect(COORDINATOR_ONLY),
    "community:report_detail": Expect(
        COORDINATOR_ONLY,
        kwargs=lambda w: {"public_id": w.community_report.public_id},
        body=lambda w: {"decision": MessageReport.State.WARNED, "reason": "Keep case details out of messages."},
        posted=same(403, anonymous=LOGIN, coordinator=302),
        effect=lambda w: fresh(w.community_report).state,
    ),
}
