from catalogue.models import ToolState
from providers.models import Organisation
from testkit.factories import ToolFactory
from testkit.urltable import LOGIN, Expect, fresh, same


def build_world(world):
    org_a = world.users["provider_a"].membership.organisation
    world.objects["withdrawable_tool"] = ToolFactory(organisation=org_a, published=True, name="Withdrawable Tool A")


EXPECTATIONS = {
    # Provider A's admin withdraws its own published tool (the terms need not be accepted: consent
    # can always be withdrawn); provider B learns nothing of A's tool (404); anyone without an
    # organisation is refused.
    "withdrawals:withdraw_tool": Expect(
        same(403, anonymous=LOGIN, provider_a=200, provider_b=404),
        kwargs=lambda w: {"slug": w.withdrawable_tool.slug},
        body=lambda w: {"reason": "We no longer support this product."},
        posted=same(403, anonymous=LOGIN, provider_a=302, provider_b=404),
        effect=lambda w: fresh(w.withdrawable_tool).state == ToolState.WITHDRAWN,
    ),
    # Each provider admin takes its own organisation out of the hub, accepted terms or not; the
    # account is closed, so the persona is signed out (and signed in again by the walk).
    "withdrawals:leave": Expect(
        same(403, anonymous=LOGIN, provider_a=200, provider_b=200),
        body=lambda w: {"reason": "", "confirm": "on"},
        posted=same(403, anonymous=LOGIN, provider_a=302, provider_b=302),
        effect=lambda w: sorted(Organisation.objects.values_list("status", flat=True)),
        signs_out=True,
    ),
}
