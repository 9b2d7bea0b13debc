from django.core.files.base import ContentFile
from django.utils import timezone

from catalogue.models import ToolState
from moderation.models import CaseMessage, Concern, ConcernNote, NoticeAction, ReasonCode
from testkit.factories import NoticeFactory, ToolFactory
from testkit.urltable import COORDINATOR_ONLY, COORDINATOR_POST, HUB, LOGIN, SIGNED_IN, Expect, fresh, same


def build_world(world):
    org_a = world.users["provider_a"].membership.organisation
    suspended = ToolFactory(organisation=org_a, state=ToolState.SUSPENDED, name="Moderated Tool A")
    world.objects["moderated_notice"] = NoticeFactory(tool=suspended, decided_by=world.users["coordinator"])
    world.objects["moderation_tool"] = ToolFactory(organisation=org_a, published=True)
    # A concern about provider A's tool, reported by the officer, that provider A is asked to answer.
    concern = Concern(
        tool=world.objects["moderation_tool"],
        reporter=world.users["verified_officer"],
        category=Concern.Category.INACCURATE_INFORMATION,
        description="The stated accuracy does not match the report.",
        status=Concern.Status.DECIDED,
        outcome=Concern.Outcome.PROVIDER_ASKED,
        provider_request="Please explain the accuracy figure.",
        decided_at=timezone.now(),
    )
    concern.file.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    concern.save()
    world.objects["concern"] = concern
    # A concern nobody has looked at yet: the one an assessment starts on.
    world.objects["received_concern"] = Concern.objects.create(
        tool=world.objects["moderation_tool"],
        reporter=world.users["verified_officer"],
        category=Concern.Category.INACCURATE_INFORMATION,
        description="The listed languages are not supported.",
    )


# A notice about provider A's tool: its members read it and reply; everyone else learns nothing (404).
OWN_NOTICE = same(404, anonymous=LOGIN, provider_a=200)


def _concern(world):
    return {"public_id": world.concern.public_id}


def _version(world, concern="concern"):
    return fresh(getattr(world, concern)).version


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
    # Concerns. Reporting: anyone signed in in good standing, about a published or suspended tool;
    # provider A not about its own tool (404, like the pending officer, who sees no tool). In the
    # shared world provider B's organisation has not accepted the current terms (see terms' table),
    # so provider B is not in good standing; test_concerns covers a provider that is.
    "moderation:report_concern": Expect(
        same(404, anonymous=LOGIN, verified_officer=200, coordinator=200),
        kwargs=lambda w: {"slug": w.moderation_tool.slug},
        body=lambda w: {
            "category": Concern.Category.INACCURATE_INFORMATION,
            "description": "The stated languages are not all supported.",
            "sources": "",
        },
        posted=same(404, anonymous=LOGIN, verified_officer=302, coordinator=302),
        effect=lambda w: Concern.objects.count(),
    ),
    "moderation:my_concerns": Expect(SIGNED_IN),
    "moderation:concerns": Expect(COORDINATOR_ONLY),
    "moderation:concern": Expect(COORDINATOR_ONLY, kwargs=_concern),
    "moderation:concern_file": Expect(COORDINATOR_ONLY, kwargs=_concern),
    "moderation:concern_assess": Expect(
        COORDINATOR_POST,
        kwargs=lambda w: {"public_id": w.received_concern.public_id},
        method="post",
        body=lambda w: {"version": _version(w, "received_concern"), "note": ""},
        effect=lambda w: fresh(w.received_concern).status,
    ),
    "moderation:concern_note": Expect(
        COORDINATOR_POST,
        kwargs=_concern,
        method="post",
        body=lambda w: {"version": _version(w), "text": "Asked the lab for the report."},
        effect=lambda w: ConcernNote.objects.filter(concern=w.concern).count(),
    ),
    "moderation:concern_close": Expect(
        COORDINATOR_POST,
        kwargs=_concern,
        method="post",
        body=lambda w: {"version": _version(w), "note": "The provider corrected the figure."},
        effect=lambda w: fresh(w.concern).status,
    ),
    # The provider was asked to respond; the coordinators may still decide that no action is needed.
    "moderation:concern_decide": Expect(
        COORDINATOR_POST,
        kwargs=_concern,
        method="post",
        body=lambda w: {
            "version": _version(w),
            "tool_version": fresh(w.moderation_tool).version,
            "outcome": "no_action",
            "note": "The figure is right.",
        },
        effect=lambda w: fresh(w.concern).outcome,
    ),
    # The providers' concerns page, like their other work pages, needs the current terms accepted.
    "moderation:provider_concerns": Expect(same(403, anonymous=LOGIN, provider_a=200)),
    # Only members of the tool's organisation, once asked to respond; everyone else learns nothing (404).
    "moderation:provider_concern": Expect(
        same(404, anonymous=LOGIN, provider_a=200),
        kwargs=_concern,
        body=lambda w: {"text": "The figure comes from the 2024 evaluation; the report is attached to the entry."},
        posted=same(404, anonymous=LOGIN, provider_a=302),
    ),
}
