from providers.models import Invitation, Membership, Organisation
from providers.services import PROFILE_FIELDS
from testkit.factories import MembershipFactory, OrganisationFactory, invitation_with_token
from testkit.urltable import COORDINATOR_ONLY, COORDINATOR_POST, LOGIN, Expect, fresh, no_fields, same

# Own-organisation pages: each provider persona sees its own organisation; others are refused.
OWN_ORGANISATION = same(403, anonymous=LOGIN, provider_a=200, provider_b=200)


def build_world(world):
    org_a = world.users["provider_a"].membership.organisation
    invitation, token = invitation_with_token(organisation=org_a, invited_by=world.users["provider_a"])
    world.objects["invitation_a"] = invitation
    world.objects["invitation_token"] = token
    world.objects["member_a"] = MembershipFactory(organisation=org_a, is_admin=False).user
    world.objects["pending_organisation"] = OrganisationFactory(status="pending", name="Pending Provider Org")


def _profile(world):
    """Provider A's profile with a new contact (the name and kind, frozen once approved, are ignored)."""
    organisation = fresh(world.users["provider_a"].membership.organisation)
    return {
        **{field: getattr(organisation, field) for field in PROFILE_FIELDS},
        "website": "https://example.invalid/",
        "contact_name": "New Contact Person",
    }


EXPECTATIONS = {
    # Public entrance: signed-in people are sent home.
    "providers:register": Expect(same(302, anonymous=200)),
    "providers:accept_invitation": Expect(same(302, anonymous=200), kwargs=lambda w: {"token": w.invitation_token}),
    "providers:my_organisation": Expect(OWN_ORGANISATION),
    # Each provider admin edits its own organisation's profile.
    "providers:edit_organisation": Expect(
        OWN_ORGANISATION,
        body=_profile,
        posted=same(403, anonymous=LOGIN, provider_a=302, provider_b=302),
        effect=lambda w: sorted(Organisation.objects.values_list("contact_name", flat=True)),
    ),
    # A provider admin invites to its own organisation once it accepted the current terms.
    "providers:invite": Expect(
        same(403, anonymous=LOGIN, provider_a=302),
        method="post",
        body=lambda w: {"email": "new.colleague@example.invalid"},
        effect=lambda w: Invitation.objects.count(),
    ),
    # Provider A (its admin) acts on its own objects and is sent back to its organisation;
    # everyone else, provider B included, learns nothing (404).
    "providers:revoke_invitation": Expect(
        same(404, anonymous=LOGIN, provider_a=302, coordinator=403),
        kwargs=lambda w: {"public_id": w.invitation_a.public_id},
        method="post",
        body=no_fields,
        effect=lambda w: fresh(w.invitation_a).revoked_at,
    ),
    "providers:remove_member": Expect(
        same(404, anonymous=LOGIN, provider_a=302, coordinator=403),
        kwargs=lambda w: {"public_id": w.member_a.public_id},
        method="post",
        body=no_fields,
        effect=lambda w: Membership.objects.filter(user=w.member_a).exists(),
    ),
    "providers:review_queue": Expect(COORDINATOR_ONLY),
    "providers:review_detail": Expect(
        COORDINATOR_ONLY, kwargs=lambda w: {"public_id": w.pending_organisation.public_id}
    ),
    "providers:review_decide": Expect(
        COORDINATOR_POST,
        kwargs=lambda w: {"public_id": w.pending_organisation.public_id},
        method="post",
        body=lambda w: {"decision": "approve", "reason": "", "version": fresh(w.pending_organisation).version},
        effect=lambda w: fresh(w.pending_organisation).status,
    ),
}
