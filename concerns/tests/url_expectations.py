"""URL table of the concern pages (under /moderation/, concerns namespace)."""

from django.core.files.base import ContentFile
from django.utils import timezone

from concerns.models import Concern, ConcernNote
from testkit.factories import ToolFactory
from testkit.urltable import COORDINATOR_ONLY, COORDINATOR_POST, LOGIN, SIGNED_IN, Expect, fresh, same


def build_world(world):
    org_a = world.users["provider_a"].membership.organisation
    world.objects["concern_tool"] = ToolFactory(organisation=org_a, published=True)
    # A concern about provider A's tool, reported by the officer, that provider A is asked to answer.
    concern = Concern(
        tool=world.objects["concern_tool"],
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
        tool=world.objects["concern_tool"],
        reporter=world.users["verified_officer"],
        category=Concern.Category.INACCURATE_INFORMATION,
        description="The listed languages are not supported.",
    )


def _concern(world):
    return {"public_id": world.concern.public_id}


def _version(world, concern="concern"):
    return fresh(getattr(world, concern)).version


EXPECTATIONS = {
    # Concerns. Reporting: anyone signed in in good standing, about a published or suspended tool;
    # provider A not about its own tool (404, like the pending officer, who sees no tool). In the
    # shared world provider B's organisation has not accepted the current terms (see terms' table),
    # so provider B is not in good standing; test_concerns covers a provider that is.
    "concerns:report": Expect(
        same(404, anonymous=LOGIN, verified_officer=200, coordinator=200),
        kwargs=lambda w: {"slug": w.concern_tool.slug},
        body=lambda w: {
            "category": Concern.Category.INACCURATE_INFORMATION,
            "description": "The stated languages are not all supported.",
            "sources": "",
        },
        posted=same(404, anonymous=LOGIN, verified_officer=302, coordinator=302),
        effect=lambda w: Concern.objects.count(),
    ),
    "concerns:mine": Expect(SIGNED_IN),
    "concerns:queue": Expect(COORDINATOR_ONLY, confirmed=True),
    "concerns:detail": Expect(COORDINATOR_ONLY, kwargs=_concern, confirmed=True),
    "concerns:file": Expect(COORDINATOR_ONLY, kwargs=_concern),
    "concerns:assess": Expect(
        COORDINATOR_POST,
        kwargs=lambda w: {"public_id": w.received_concern.public_id},
        method="post",
        body=lambda w: {"version": _version(w, "received_concern"), "note": ""},
        effect=lambda w: fresh(w.received_concern).status,
    ),
    "concerns:note": Expect(
        COORDINATOR_POST,
        kwargs=_concern,
        method="post",
        body=lambda w: {"version": _version(w), "text": "Asked the lab for the report."},
        effect=lambda w: ConcernNote.objects.filter(concern=w.concern).count(),
    ),
    "concerns:close": Expect(
        COORDINATOR_POST,
        kwargs=_concern,
        method="post",
        body=lambda w: {"version": _version(w), "note": "The provider corrected the figure."},
        effect=lambda w: fresh(w.concern).status,
    ),
    # The provider was asked to respond; the coordinators may still decide that no action is needed.
    "concerns:decide": Expect(
        COORDINATOR_POST,
        kwargs=_concern,
        method="post",
        body=lambda w: {
            "version": _version(w),
            "tool_version": fresh(w.concern_tool).version,
            "outcome": "no_action",
            "note": "The figure is right.",
        },
        effect=lambda w: fresh(w.concern).outcome,
    ),
    # The providers' concerns page, like their other work pages, needs the current terms accepted.
    "concerns:provider_list": Expect(same(403, anonymous=LOGIN, provider_a=200)),
    # Only members of the tool's organisation, once asked to respond; everyone else learns nothing (404).
    "concerns:provider_detail": Expect(
        same(404, anonymous=LOGIN, provider_a=200),
        kwargs=_concern,
        body=lambda w: {"text": "The figure comes from the 2024 evaluation; the report is attached to the entry."},
        posted=same(404, anonymous=LOGIN, provider_a=302),
    ),
}
