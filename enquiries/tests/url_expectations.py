"""URL table of the requests to providers (/enquiries/).

In the shared world the verified officer asked provider A for a trial of one of its published
tools (sharing only their agency), and asked again about the same tool in a second exchange that
provider A reported to the coordinators. Provider B's organisation has not accepted the current
terms (see terms' table), so its work pages stay closed to it.
"""

from enquiries import services
from enquiries.models import AbuseReport, Enquiry, EnquiryMessage
from testkit.factories import ToolFactory
from testkit.urltable import COORDINATOR_ONLY, LOGIN, Expect, fresh, same

OFFICER_ONLY = same(403, anonymous=LOGIN, verified_officer=200)
BOTH_SIDES = same(404, anonymous=LOGIN, verified_officer=200, provider_a=200)


def build_world(world):
    officer = world.users["verified_officer"]
    tool = ToolFactory(organisation=world.users["provider_a"].membership.organisation, published=True)
    enquiry = services.send(tool, officer, kind="trial", body="Could we try it on test data?", share=["agency"])
    reported = services.send(tool, officer, kind="contact", body="Please call me.", share=[])
    report = services.report_abuse(reported, by=world.users["provider_a"], reason="Insulting messages.")
    world.objects.update(enquiry_tool=tool, enquiry=enquiry, enquiry_report=report)


def _enquiry(world):
    return {"public_id": world.enquiry.public_id}


def _messages(world):
    return EnquiryMessage.objects.count()


EXPECTATIONS = {
    # Only verified officers ask; anyone else learns nothing about the tool (404, like concerns).
    "enquiries:ask": Expect(
        same(404, anonymous=LOGIN, verified_officer=200),
        kwargs=lambda w: {"slug": w.enquiry_tool.slug},
        body=lambda w: {"kind": "demonstration", "body": "A demonstration for our unit?", "send": "1"},
        posted=same(404, anonymous=LOGIN, verified_officer=302),
        effect=lambda w: Enquiry.objects.count(),
    ),
    "enquiries:mine": Expect(OFFICER_ONLY),
    "enquiries:officer_detail": Expect(
        same(404, anonymous=LOGIN, verified_officer=200),
        kwargs=_enquiry,
        body=lambda w: {"body": "Is next week possible?"},
        posted=same(404, anonymous=LOGIN, verified_officer=302),
        effect=_messages,
    ),
    # A provider sees only its own organisation's requests, once its terms are accepted.
    "enquiries:received": Expect(same(403, anonymous=LOGIN, provider_a=200)),
    "enquiries:provider_detail": Expect(
        same(404, anonymous=LOGIN, provider_a=200),
        kwargs=_enquiry,
        body=lambda w: {"body": "Yes: we can set up a trial next week."},
        posted=same(404, anonymous=LOGIN, provider_a=302),
        effect=_messages,
    ),
    "enquiries:report": Expect(
        BOTH_SIDES,
        kwargs=_enquiry,
        body=lambda w: {"reason": "Pressure to buy."},
        posted=same(404, anonymous=LOGIN, verified_officer=302, provider_a=302),
        effect=lambda w: AbuseReport.objects.count(),
    ),
    # Coordinators: counts per tool, and the reported exchanges only.
    "enquiries:counts": Expect(COORDINATOR_ONLY),
    "enquiries:reports": Expect(COORDINATOR_ONLY),
    "enquiries:report_detail": Expect(
        COORDINATOR_ONLY,
        kwargs=lambda w: {"public_id": w.enquiry_report.public_id},
        body=lambda w: {"decision": "closed", "note": "Abusive answers."},
        posted=same(403, anonymous=LOGIN, coordinator=302),
        effect=lambda w: fresh(w.enquiry_report).state,
        confirmed=True,
    ),
}
