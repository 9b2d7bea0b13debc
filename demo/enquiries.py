"""Demo data of the requests to providers: an officer asked the first demo organisation for a trial
sharing only their agency and country, and was answered; another asked for a demonstration
sharing nothing but the message.

Idempotent: an officer who already asked is left as they are. Written through the services, so
audit events and inbox entries are real.
"""

from __future__ import annotations

from accounts.models import User
from catalogue.models import Tool, ToolState
from enquiries import services
from enquiries.models import Enquiry
from providers.selectors import active_members

from . import data

REQUESTS = (
    (
        "officer",
        "trial",
        ["agency", "country"],
        "Demo: our unit would like a four-week trial on test material before a decision in spring.",
        "Demo: gladly. We can open a trial account next Monday; we will send the set-up guide here.",
    ),
    ("officer-ke", "demonstration", [], "Demo: could you show the triage features to our team online?", ""),
)


def _first_demo_tool() -> Tool | None:
    first = data.ORGANISATIONS[0]
    return (
        Tool.objects.filter(organisation__name=first.name, state=ToolState.PUBLISHED, revision_of__isnull=True)
        .order_by("slug")
        .first()
    )


def seed_enquiries() -> None:
    tool = _first_demo_tool()
    if tool is None:
        return
    for prefix, kind, share, body, answer in REQUESTS:
        officer = User.objects.filter(email=f"{prefix}@{data.DEMO_DOMAIN}").first()
        if officer is None or Enquiry.objects.filter(officer=officer).exists():
            continue
        enquiry = services.send(tool, officer, kind=kind, body=body, share=share)
        if answer:
            services.write(enquiry, by=active_members(tool.organisation_id).first(), body=answer)
