"""URL table for the catalogue's search, comparison and exposure report."""

from django.contrib.sessions.models import Session

from discovery.compare import TRAY_KEY
from testkit.urltable import COORDINATOR_ONLY, HUB, LOGIN, Expect, same

EXPECTATIONS: dict = {}

# --- the catalogue, comparison and exposure report (search part) -----------------------
# Without `?tools=` the comparison page explains how to choose tools; its CSV needs tools (400).
EXPECTATIONS.update(
    {
        "discovery:catalogue": Expect(HUB),
        "discovery:compare": Expect(HUB),
        "discovery:compare_csv": Expect(same(403, anonymous=LOGIN, verified_officer=400, coordinator=400)),
        "discovery:exposure_report": Expect(COORDINATOR_ONLY),
        # The selection tray lives in the session: its effect is the trays stored there.
        "discovery:compare_tray": Expect(
            same(403, anonymous=LOGIN, verified_officer=302, coordinator=302),
            method="post",
            body=lambda w: {"action": "set", "tools": w.page_tool.slug},
            effect=lambda w: sorted(str(s.get_decoded().get(TRAY_KEY)) for s in Session.objects.all()),
        ),
    }
)
