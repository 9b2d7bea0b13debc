"""A provider member's own organisation: profile, terms status, members, isolation."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from audit.models import Action, AuditEvent
from providers.models import Membership, Organisation
from testkit import factories
from testkit.personas import sign_in

pytestmark = pytest.mark.django_db

PAGE = reverse("providers:my_organisation")
EDIT = reverse("providers:edit_organisation")


def profile_data(organisation, **overrides):
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "country": organisation.country.code,
        "website": organisation.website,
        "contact_name": organisation.contact_name,
        "contact_email": organisation.contact_email,
        "contact_phone": organisation.contact_phone,
    }
    data.update(overrides)
    return data


def remove_url(user):
    return reverse("providers:remove_member", kwargs={"public_id": user.public_id})


# --- the page ---------------------------------------------------------------------------------
def test_members_see_profile_status_terms_and_members(signed_in, organisation, provider_admin, provider_member):
    factories.TermsDocumentFactory(audience="providers")
    html = signed_in(provider_member).get(PAGE).content.decode()
    assert organisation.name in html
    assert organisation.website in html and organisation.contact_email in html
    assert "Approved" in html
    assert provider_admin.full_name in html and provider_member.full_name in html
    assert "has not accepted the current terms" in html
    # Only admins get the link to accept the terms, the edit button and the invitations.
    assert reverse("terms:accept_organisation") not in html
    assert EDIT not in html
    assert "Invitations" not in html


def test_the_admin_gets_the_terms_link_and_the_edit_button(signed_in, organisation, provider_admin):
    factories.TermsDocumentFactory(audience="providers")
    html = signed_in(provider_admin).get(PAGE).content.decode()
    assert reverse("terms:accept_organisation") in html
    assert EDIT in html


def test_once_terms_are_accepted_the_admin_may_invite(signed_in, provider_admin, terms_accepted):
    html = signed_in(provider_admin).get(PAGE).content.decode()
    assert "has accepted the current terms" in html
    assert reverse("providers:invite") in html


@pytest.mark.parametrize("who", ["coordinator", "verified_officer", "pending_officer"])
def test_people_outside_any_organisation_are_refused(request, client, who):
    sign_in(client, request.getfixturevalue(who))
    assert client.get(PAGE).status_code == 403
    assert client.get(EDIT).status_code == 403


def test_a_member_never_sees_another_organisation(signed_in, organisation, provider_admin):
    other = factories.MembershipFactory(organisation__name="Other Provider Org").user
    html = signed_in(other).get(PAGE).content.decode()
    assert "Other Provider Org" in html
    assert organisation.name not in html and provider_admin.email not in html


# --- editing --------------------------------------------------------------------------------
def test_the_admin_edits_the_profile_and_it_is_audited(signed_in, organisation, provider_admin):
    old_website = organisation.website
    client = signed_in(provider_admin)
    response = client.post(
        EDIT, profile_data(organisation, website="https://new.example.com", contact_phone="+33 1 23 45")
    )
    assert response.status_code == 302 and response["Location"] == PAGE
    organisation.refresh_from_db()
    assert organisation.website == "https://new.example.com"
    assert organisation.contact_phone == "+33 1 23 45"
    event = AuditEvent.objects.get(action=Action.ORG_UPDATED)
    assert event.actor == provider_admin
    assert event.before == {"website": old_website, "contact_phone": ""}
    assert event.after == {"website": "https://new.example.com", "contact_phone": "+33 1 23 45"}


def test_the_name_cannot_change_after_approval(signed_in, organisation, provider_admin):
    name = organisation.name
    client = signed_in(provider_admin)
    assert "disabled" in client.get(EDIT).content.decode()
    client.post(EDIT, profile_data(organisation, name="Renamed Ltd", kind="academic"))
    organisation.refresh_from_db()
    assert organisation.name == name and organisation.kind == "company"
    assert not AuditEvent.objects.filter(action=Action.ORG_UPDATED).exists()


def test_the_name_can_change_while_pending(signed_in, organisation, provider_admin):
    organisation.status = Organisation.Status.PENDING
    organisation.save()
    signed_in(provider_admin).post(EDIT, profile_data(organisation, name="Renamed Ltd"))
    organisation.refresh_from_db()
    assert organisation.name == "Renamed Ltd"
    assert AuditEvent.objects.get(action=Action.ORG_UPDATED).after == {"name": "Renamed Ltd"}


def test_bad_profile_input_answers_400_and_keeps_what_was_typed(signed_in, organisation, provider_admin):
    response = signed_in(provider_admin).post(
        EDIT, profile_data(organisation, website="not a website", contact_name="Typed Name")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Typed Name"' in html and 'value="not a website"' in html
    assert 'class="field-errors"' in html
    organisation.refresh_from_db()
    assert organisation.contact_name == "Contact Person"


def test_a_member_who_is_not_admin_cannot_edit(signed_in, organisation, provider_member):
    client = signed_in(provider_member)
    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, profile_data(organisation, website="https://evil.example.com")).status_code == 403
    organisation.refresh_from_db()
    assert organisation.website != "https://evil.example.com"


# --- removing members ---------------------------------------------------------------------------
def test_the_admin_removes_a_member_who_is_disabled_and_signed_out(
    signed_in, organisation, provider_admin, provider_member
):
    member_client = sign_in(Client(), provider_member)
    assert member_client.get(PAGE).status_code == 200

    response = signed_in(provider_admin).post(remove_url(provider_member))

    assert response.status_code == 302 and response["Location"] == PAGE
    provider_member.refresh_from_db()
    assert not provider_member.is_active
    assert not Membership.objects.filter(user=provider_member).exists()
    event = AuditEvent.objects.get(action=Action.MEMBER_REMOVED)
    assert event.actor == provider_admin and event.after == {"member": str(provider_member.public_id), "active": False}
    # The removed member's session no longer works.
    response = member_client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_admin_cannot_be_removed(signed_in, organisation, provider_admin):
    other_admin = factories.MembershipFactory(organisation=organisation, is_admin=True).user
    signed_in(provider_admin).post(remove_url(other_admin))
    other_admin.refresh_from_db()
    assert other_admin.is_active and Membership.objects.filter(user=other_admin).exists()
    assert not AuditEvent.objects.filter(action=Action.MEMBER_REMOVED).exists()


def test_a_member_who_is_not_admin_cannot_remove_anyone(signed_in, organisation, provider_member):
    colleague = factories.MembershipFactory(organisation=organisation, is_admin=False).user
    assert signed_in(provider_member).post(remove_url(colleague)).status_code == 403
    colleague.refresh_from_db()
    assert colleague.is_active


# --- object isolation (SECURITY.md AZ-02) ---------------------------------------------------------
def test_provider_b_gets_404_on_provider_a_objects(client, organisation, provider_admin, provider_member):
    invitation = factories.InvitationFactory(organisation=organisation)
    admin_b = factories.MembershipFactory(is_admin=True).user
    sign_in(client, admin_b)

    revoke = client.post(reverse("providers:revoke_invitation", kwargs={"public_id": invitation.public_id}))
    remove = client.post(remove_url(provider_member))

    assert revoke.status_code == 404 and remove.status_code == 404
    invitation.refresh_from_db()
    provider_member.refresh_from_db()
    assert invitation.revoked_at is None
    assert provider_member.is_active and Membership.objects.filter(user=provider_member).exists()


def test_officers_get_404_on_provider_objects(signed_in, verified_officer, organisation, provider_member):
    invitation = factories.InvitationFactory(organisation=organisation)
    client = signed_in(verified_officer)
    assert (
        client.post(reverse("providers:revoke_invitation", kwargs={"public_id": invitation.public_id})).status_code
        == 404
    )
    assert client.post(remove_url(provider_member)).status_code == 404
    assert User.objects.get(pk=provider_member.pk).is_active
