from catalogue.models import ToolState
from moderation.models import CaseMessage, NoticeAction, ReasonCode
from testkit.factories import NoticeFactory, ToolFactory
from testkit.urltable import COORDINATOR_ONLY, COORDINATOR_POST, HUB, LOGIN, Expect, fresh, same


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
    "moderation:decide": Expect(
        COORDINATOR_ONLY,
        kwargs=lambda w: {"slug": w.moderation_tool.slug},
        body=lambda w: {
            "action": NoticeAction.SUSPENDED,
            "reason_code": ReasonCode.values[0],
            "summary": "The tool sends images to a third party.",
            "officer_guidance": "Stop uploading material until the notice is lifted.",
            "provider_guidance": "Process the images on the officer's machine only.",
            "version": fresh(w.moderation_tool).version,
        },
        posted=COORDINATOR_POST,
        effect=lambda w: fresh(w.moderation_tool).state,
    ),
    "moderation:case": Expect(
        COORDINATOR_ONLY,
        kwargs=lambda w: {"public_id": w.moderated_notice.public_id},
        body=lambda w: {"text": "Thank you: we will look at the new evaluation."},
        posted=COORDINATOR_POST,
        effect=lambda w: CaseMessage.objects.filter(notice=w.moderated_notice).count(),
    ),
    "moderation:provider_notices": Expect(same(403, anonymous=LOGIN, provider_a=200, provider_b=200)),
    "moderation:provider_notice": Expect(OWN_NOTICE, kwargs=lambda w: {"public_id": w.moderated_notice.public_id}),
    "moderation:reply": Expect(
        same(404, anonymous=LOGIN, provider_a=302),
        kwargs=lambda w: {"public_id": w.moderated_notice.public_id},
        method="post",
        body=lambda w: {"text": "The figure comes from the 2024 evaluation."},
        effect=lambda w: CaseMessage.objects.filter(notice=w.moderated_notice).count(),
    ),
}
