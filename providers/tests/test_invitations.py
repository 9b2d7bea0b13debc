"""Organisation admins invite colleagues; the invited person creates an account from the link."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import Action, AuditEvent
from providers.models import Invitation, Membership, hash_token
from testkit import factories
from testkit.navigation import PAGE_LOAD

pytestmark = pytest.mark.django_db

INVITE = reverse("providers:invite")
PASSWORD = "amber lantern tiger 5521"


def accept_url(token):
    return reverse("providers:accept_invitation", kwargs={"token": token})


def link_in(message) -> str:
    match = re.search(r"https?://\S+/providers/invitation/\S+/", message.body)
    assert match, message.body
    return match.group(0)


def accept_data(**overrides):
    return {"full_name": "Kim Colleague", "password1": PASSWORD, "password2": PASSWORD, **overrides}


# --- who may invite -------------------------------------------------------------------------
def test_invite_is_refused_while_the_provider_terms_are_not_accepted(
    signed_in, organisation, provider_admin, provider_terms
):
    client = signed_in(provider_admin)
    html = client.get(reverse("providers:my_organisation")).content.decode()
    assert 'name="email"' not in html
    assert reverse("terms:accept_organisation") in html

    response = client.post(INVITE, {"email": "colleague@provider.example.com"})

    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invite_is_refused_before_approval(signed_in, provider_admin, organisation):
    organisation.status = "pending"
    organisation.save()
    response = signed_in(provider_admin).post(INVITE, {"email": "colleague@provider.example.com"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_a_member_who_is_not_admin_cannot_invite(signed_in, provider_member, terms_accepted):
    response = signed_in(provider_member).post(INVITE, {"email": "colleague@provider.example.com"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


# --- the whole journey ----------------------------------------------------------------------
def test_invitation_end_to_end(signed_in, organisation, provider_admin, terms_accepted):
    admin_client = signed_in(provider_admin)
    response = admin_client.post(INVITE, {"email": "Kim@Provider.example.com"})
    assert response.status_code == 302

    invitation = Invitation.objects.get()
    assert invitation.email == "kim@provider.example.com"
    assert invitation.invited_by == provider_admin
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)
    assert [m.to for m in mail.outbox] == [["kim@provider.example.com"]]
    link = link_in(mail.outbox[0])
    assert link.startswith(settings.SITE_URL)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    # Only the hash is stored.
    assert invitation.token_hash == hash_token(token) and token not in invitation.token_hash
    invited = AuditEvent.objects.get(action=Action.MEMBER_INVITED)
    assert invited.actor == provider_admin and token not in str(invited.after)

    guest = Client()
    page = guest.get(accept_url(token))
    assert page.status_code == 200
    assert organisation.name in page.content.decode()
    assert "kim@provider.example.com" in page.content.decode()

    response = guest.post(accept_url(token), accept_data())

    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    user = User.objects.get(email="kim@provider.example.com")
    assert user.role == User.Role.PROVIDER and user.full_name == "Kim Colleague"
    assert user.check_password(PASSWORD)
    membership = Membership.objects.get(user=user)
    assert membership.organisation == organisation and not membership.is_admin
    address = EmailAddress.objects.get(user=user)
    assert address.verified and address.primary and address.email == user.email
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    joined = AuditEvent.objects.get(action=Action.MEMBER_JOINED)
    assert joined.actor == user and joined.target_id == str(organisation.public_id)

    # Signing in works, and the first thing asked is a second factor.
    login = guest.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True, **PAGE_LOAD)
    assert login.redirect_chain[-1][0] == reverse("mfa_activate_totp")

    # The link was used up.
    assert Client().get(accept_url(token)).status_code == 404
    # The admin sees the new member.
    assert "Kim Colleague" in admin_client.get(reverse("providers:my_organisation")).content.decode()


@pytest.mark.parametrize(
    "state",
    [
        {"expires_at": timezone.now() - timedelta(minutes=1)},
        {"accepted_at": timezone.now()},
        {"revoked_at": timezone.now()},
    ],
    ids=["expired", "used", "revoked"],
)
def test_expired_used_or_revoked_tokens_are_refused(client, organisation, state):
    invitation, token = factories.invitation_with_token(organisation=organisation, **state)
    for response in (client.get(accept_url(token)), client.post(accept_url(token), accept_data())):
        assert response.status_code == 404
        assert "cannot be used" in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()


def test_an_unknown_token_is_refused(client):
    response = client.get(accept_url("no-such-token"))
    assert response.status_code == 404
    assert "cannot be used" in response.content.decode()


def test_an_existing_account_gets_a_neutral_message_and_nothing_is_created(client, organisation):
    officer = factories.OfficerProfileFactory(user__email="already@example.org").user
    invitation, token = factories.invitation_with_token(organisation=organisation, email="already@example.org")

    response = client.post(accept_url(token), accept_data())

    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "No new account was created" in text
    officer.refresh_from_db()
    assert officer.role == User.Role.OFFICER and officer.check_password(factories.DEFAULT_PASSWORD)
    assert not Membership.objects.filter(user=officer).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not AuditEvent.objects.filter(action=Action.MEMBER_JOINED).exists()


def test_bad_input_on_the_invitation_page_keeps_what_was_typed(client, organisation):
    invitation, token = factories.invitation_with_token(organisation=organisation)
    response = client.post(accept_url(token), accept_data(password1="short", password2="different"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Kim Colleague"' in html
    assert html.count('class="field-errors"') == 2
    assert not User.objects.filter(email=invitation.email).exists()


def test_a_password_like_the_email_address_is_refused(client, organisation):
    invitation, token = factories.invitation_with_token(organisation=organisation, email="quentinmarlowe@example.com")
    response = client.post(accept_url(token), accept_data(password1="quentinmarlowe", password2="quentinmarlowe"))
    assert response.status_code == 400
    assert not User.objects.filter(email=invitation.email).exists()


def test_signed_in_people_are_sent_home_from_an_invitation(signed_in, verified_officer, organisation):
    invitation, token = factories.invitation_with_token(organisation=organisation)
    response = signed_in(verified_officer).get(accept_url(token))
    assert response.status_code == 302 and response["Location"] == reverse("home:home")


def test_bad_invite_input_answers_400_and_keeps_the_address(signed_in, provider_admin, terms_accepted):
    response = signed_in(provider_admin).post(INVITE, {"email": "not-an-address"})
    assert response.status_code == 400
    assert 'value="not-an-address"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_second_pending_invitation_to_the_same_address_is_refused(
    signed_in, organisation, provider_admin, terms_accepted
):
    factories.InvitationFactory(organisation=organisation, email="kim@provider.example.com")
    response = signed_in(provider_admin).post(INVITE, {"email": "kim@provider.example.com"})
    assert response.status_code == 400
    assert "already has a pending invitation" in response.content.decode()
    assert Invitation.objects.count() == 1


# --- revoking ---------------------------------------------------------------------------------
def test_the_admin_revokes_an_invitation_and_its_link_stops_working(signed_in, organisation, provider_admin):
    invitation, token = factories.invitation_with_token(organisation=organisation)
    client = signed_in(provider_admin)
    assert invitation.email in client.get(reverse("providers:my_organisation")).content.decode()

    response = client.post(reverse("providers:revoke_invitation", kwargs={"public_id": invitation.public_id}))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Client().get(accept_url(token)).status_code == 404
    event = AuditEvent.objects.get(action=Action.INVITATION_REVOKED)
    assert event.actor == provider_admin and event.after["state"] == "revoked"


def test_a_member_who_is_not_admin_cannot_revoke(signed_in, organisation, provider_member):
    invitation = factories.InvitationFactory(organisation=organisation)
    response = signed_in(provider_member).post(
        reverse("providers:revoke_invitation", kwargs={"public_id": invitation.public_id})
    )
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_revoking_is_post_only(signed_in, organisation, provider_admin):
    invitation = factories.InvitationFactory(organisation=organisation)
    url = reverse("providers:revoke_invitation", kwargs={"public_id": invitation.public_id})
    assert signed_in(provider_admin).get(url).status_code == 405
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
