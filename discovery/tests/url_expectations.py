"""URL table for the catalogue's search, comparison and exposure report."""

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
    }
)
