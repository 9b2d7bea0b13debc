from catalogue.models import ToolState
from testkit.factories import NoticeFactory, ToolFactory
from testkit.urltable import COORDINATOR_ONLY, HUB, LOGIN, Expect, same


def build_world(world):
    org_a = world.users["provider_a"].membership.organisation
    suspended = ToolFactory(organisation=org_a, state=ToolState.SUSPENDED, name="Moderated Tool A")
    world.objects["moderated_notice"] = NoticeFactory(tool=suspended, decided_by=world.users["coordinator"])
    world.objects["moderation_tool"] = ToolFactory(organisation=org_a, published=True)


# A notice about provider A's tool: its members read it and reply; everyone else learns nothing (404).
OWN_NOTICE = same(404, anonymous=LOGIN, provider_a=200)

EXPECTATIONS = {
    "moderation:notices": Expect(HUB),
    # The form is shown without re-authentication; saving a decision asks for it.
    "moderation:decide": Expect(COORDINATOR_ONLY, kwargs=lambda w: {"slug": w.moderation_tool.slug}),
    "moderation:case": Expect(COORDINATOR_ONLY, kwargs=lambda w: {"public_id": w.moderated_notice.public_id}),
    "moderation:provider_notices": Expect(same(403, anonymous=LOGIN, provider_a=200, provider_b=200)),
    "moderation:provider_notice": Expect(OWN_NOTICE, kwargs=lambda w: {"public_id": w.moderated_notice.public_id}),
    # POSTed without data: provider A gets the form back with its error (400).
    "moderation:reply": Expect(
        same(404, anonymous=LOGIN, provider_a=400),
        kwargs=lambda w: {"public_id": w.moderated_notice.public_id},
        method="post",
    ),
}
