"""URL table for the coordinators' review; also builds the tool the tool-page block of
url_expectations_tool.py uses (a published tool of provider A, with an attachment and a logo)."""

import io

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from catalogue.models import ToolState
from testkit import factories
from testkit.urltable import COORDINATOR_ONLY, COORDINATOR_POST, Expect, fresh


def png_bytes(size=(8, 8), colour=(11, 79, 138)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def build_world(world):
    org_a = world.users["provider_a"].membership.organisation
    world.objects["submitted_tool"] = factories.ToolFactory(
        organisation=org_a, state=ToolState.SUBMITTED, submitted_at=timezone.now()
    )
    page_tool = factories.ToolFactory(organisation=org_a, published=True)
    page_tool.logo.save("logo.png", ContentFile(png_bytes()), save=True)
    world.objects["page_tool"] = page_tool
    world.objects["page_attachment"] = factories.AttachmentFactory(tool=page_tool)


EXPECTATIONS = {
    "catalogue:review_queue": Expect(COORDINATOR_ONLY),
    "catalogue:confirmation_overdue": Expect(COORDINATOR_ONLY),
    "catalogue:review_detail": Expect(COORDINATOR_ONLY, kwargs=lambda w: {"slug": w.submitted_tool.slug}),
    "catalogue:review_decide": Expect(
        COORDINATOR_POST,
        kwargs=lambda w: {"slug": w.submitted_tool.slug},
        method="post",
        body=lambda w: {
            "decision": "request_changes",
            "comment": "Describe the training data.",
            "version": fresh(w.submitted_tool).version,
        },
        effect=lambda w: fresh(w.submitted_tool).state,
    ),
}
