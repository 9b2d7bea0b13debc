"""The data admin shows organisations, members and invitations read-only to coordinators."""

import pytest
from django.urls import reverse

from testkit import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["organisation", "membership", "invitation"])
def test_coordinators_read_the_raw_data(signed_in, coordinator, provider_member, model):
    invitation = factories.InvitationFactory(organisation=provider_member.membership.organisation)
    objects = {
        "organisation": provider_member.membership.organisation,
        "membership": provider_member.membership,
        "invitation": invitation,
    }
    client = signed_in(coordinator)
    changelist = client.get(reverse(f"admin:providers_{model}_changelist"))
    assert changelist.status_code == 200
    change = client.get(reverse(f"admin:providers_{model}_change", args=[objects[model].pk]))
    assert change.status_code == 200
    # Nothing can be saved from here: every change goes through the audited pages.
    assert 'name="_save"' not in change.content.decode()
    assert client.get(reverse(f"admin:providers_{model}_add")).status_code == 403


def test_the_invitation_token_hash_is_read_only(signed_in, coordinator, organisation):
    invitation = factories.InvitationFactory(organisation=organisation)
    client = signed_in(coordinator)
    url = reverse("admin:providers_invitation_change", args=[invitation.pk])
    html = client.get(url).content.decode()
    assert invitation.token_hash in html and 'name="token_hash"' not in html
    client.post(url, {"token_hash": "0" * 64, "email": "x@example.com"})
    invitation.refresh_from_db()
    assert invitation.token_hash != "0" * 64


def test_providers_cannot_open_the_admin(signed_in, provider_admin):
    response = signed_in(provider_admin).get(reverse("admin:providers_organisation_changelist"))
    assert response.status_code == 403
