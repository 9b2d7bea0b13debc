from testkit.factories import MembershipFactory, OrganisationFactory, invitation_with_token
from testkit.urltable import COORDINATOR_ONLY, LOGIN, Expect, same

# Own-organisation pages: each provider persona sees its own organisation; others are refused.
OWN_ORGANISATION = same(403, anonymous=LOGIN, provider_a=200, provider_b=200)


def build_world(world):
    org_a = world.users["provider_a"].membership.organisation
    invitation, token = invitation_with_token(organisation=org_a, invited_by=world.users["provider_a"])
    world.objects["invitation_a"] = invitation
    world.objects["invitation_token"] = token
    world.objects["member_a"] = MembershipFactory(organisation=org_a, is_admin=False).user
    world.objects["pending_organisation"] = OrganisationFactory(status="pending", name="Pending Provider Org")


EXPECTATIONS = {
    # Public entrance: signed-in people are sent home.
    "providers:register": Expect(same(302, anonymous=200)),
    "providers:accept_invitation": Expect(same(302, anonymous=200), kwargs=lambda w: {"token": w.invitation_token}),
    "providers:my_organisation": Expect(OWN_ORGANISATION),
    "providers:edit_organisation": Expect(OWN_ORGANISATION),
    # POST only.
    "providers:invite": Expect(same(405, anonymous=LOGIN)),
    # POSTed without data: provider A (its admin) acts on its own objects and is sent back to
    # its organisation; everyone else, provider B included, learns nothing (404).
    "providers:revoke_invitation": Expect(
        same(404, anonymous=LOGIN, provider_a=302, coordinator=403),
        kwargs=lambda w: {"public_id": w.invitation_a.public_id},
        method="post",
    ),
    "providers:remove_member": Expect(
        same(404, anonymous=LOGIN, provider_a=302, coordinator=403),
        kwargs=lambda w: {"public_id": w.member_a.public_id},
        method="post",
    ),
    "providers:review_queue": Expect(COORDINATOR_ONLY),
    "providers:review_detail": Expect(
        COORDINATOR_ONLY, kwargs=lambda w: {"public_id": w.pending_organisation.public_id}
    ),
    # Deciding needs recent re-authentication: coordinators are sent to confirm first.
    "providers:review_decide": Expect(
        same(403, anonymous=LOGIN, coordinator=302),
        kwargs=lambda w: {"public_id": w.pending_organisation.public_id},
        method="post",
    ),
}
