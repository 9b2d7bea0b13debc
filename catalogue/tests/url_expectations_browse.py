from testkit.urltable import COORDINATOR_ONLY, HUB, LOGIN, Expect, same

EXPECTATIONS: dict = {}

# --- the catalogue, comparison and exposure report (search part) -----------------------
# Without `?tools=` the comparison page explains how to choose tools; its CSV needs tools (400).
EXPECTATIONS.update(
    {
        "catalogue:catalogue": Expect(HUB),
        "catalogue:compare": Expect(HUB),
        "catalogue:compare_csv": Expect(same(403, anonymous=LOGIN, verified_officer=400, coordinator=400)),
        "catalogue:exposure_report": Expect(COORDINATOR_ONLY),
    }
)

# --- a tool's page and its files (tool page / review part) -----------------------------
# The objects come from url_expectations_review.build_world: `page_tool` is a published
# tool of provider A with a logo and an attachment.
# Its own organisation's members may fetch its files; anyone else who may not see the tool gets 404.
TOOL_FILES = same(404, anonymous=LOGIN, verified_officer=200, provider_a=200, coordinator=200)
EXPECTATIONS.update(
    {
        "catalogue:tool_detail": Expect(HUB, kwargs=lambda w: {"slug": w.page_tool.slug}),
        "catalogue:attachment_download": Expect(
            TOOL_FILES, kwargs=lambda w: {"public_id": w.page_attachment.public_id}
        ),
        "catalogue:logo": Expect(TOOL_FILES, kwargs=lambda w: {"slug": w.page_tool.slug}),
    }
)
