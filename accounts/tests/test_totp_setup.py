"""TOTP set-up keeps the secret on the person's screen: reloading the page, the icon the
browser asks for, or a background request never replaces it; a new one comes only when asked
for, with a POST."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from testkit import factories
from testkit.navigation import FAVICON, FETCH, PAGE_LOAD

from .helpers import post_password, totp_code

pytestmark = pytest.mark.django_db(transaction=True)  # allauth announces the new factor on commit

SETUP = reverse("mfa_activate_totp")
NEW_SECRET = reverse("accounts:new_totp_secret")


def shown_secret(response) -> str:
    """The secret in the page's #authenticator_secret field, as the person reads it."""
    assert response.status_code == 200
    field = re.search(r"<input[^>]*id=\"authenticator_secret\"[^>]*>", response.content.decode())
    assert field, "no #authenticator_secret on the set-up page"
    return re.search(r'value="([A-Z2-7=]+)"', field.group(0)).group(1)


@pytest.fixture
def newcomer(client):
    officer = factories.OfficerProfileFactory(verified=True).user
    post_password(client, officer.email)
    return officer


def test_reloading_the_setup_page_shows_the_same_secret(client, newcomer):
    first = shown_secret(client.get(SETUP, **PAGE_LOAD))
    assert shown_secret(client.get(SETUP, **PAGE_LOAD)) == first


def test_asking_for_a_new_secret_replaces_it_and_only_with_a_post(client, newcomer):
    first = shown_secret(client.get(SETUP, **PAGE_LOAD))
    assert client.get(NEW_SECRET, **PAGE_LOAD).status_code == 405
    assert shown_secret(client.get(SETUP, **PAGE_LOAD)) == first

    response = client.post(NEW_SECRET, **PAGE_LOAD)
    assert response.status_code == 302 and response["Location"] == SETUP
    second = shown_secret(client.get(SETUP, **PAGE_LOAD))
    assert second != first
    # The old secret is gone: its code no longer sets up the factor, the new one's does.
    refused = client.post(SETUP, {"code": totp_code(first)}, **PAGE_LOAD)
    assert refused.status_code == 200
    assert not Authenticator.objects.filter(user=newcomer, type=Authenticator.Type.TOTP).exists()
    assert client.post(SETUP, {"code": totp_code(second)}, **PAGE_LOAD).status_code == 302
    assert Authenticator.objects.filter(user=newcomer, type=Authenticator.Type.TOTP).exists()


def test_the_setup_page_offers_the_new_secret_button_as_a_form(client, newcomer):
    body = client.get(SETUP, **PAGE_LOAD).content.decode()
    assert re.search(rf'<form method="post" action="{NEW_SECRET}"', body)


def test_a_code_from_the_secret_on_screen_works_after_the_browser_fetched_the_icon_and_more(client, newcomer):
    secret = shown_secret(client.get(SETUP, **PAGE_LOAD))
    # What a browser does while the person reaches for the phone.
    assert client.get("/favicon.ico", **FAVICON).status_code == 200
    assert client.get(reverse("home:home"), **FETCH).status_code == 403
    assert client.get(reverse("notifications:inbox"), **FAVICON).status_code == 403
    # Even a reload of the page (another tab) keeps the secret.
    assert shown_secret(client.get(SETUP, **PAGE_LOAD)) == secret

    response = client.post(SETUP, {"code": totp_code(secret)}, **PAGE_LOAD)
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.get(reverse("home:home"), **PAGE_LOAD).status_code in (200, 302)
    assert Authenticator.objects.filter(user=newcomer, type=Authenticator.Type.TOTP).exists()


def test_control_allauths_own_form_replaces_the_secret_on_every_load(client, newcomer, settings):
    """Control: with allauth's stock form (a new secret on every GET), the check above
    detects the stale secret, so it can fail."""
    settings.MFA_FORMS = {key: value for key, value in settings.MFA_FORMS.items() if key != "activate_totp"}
    first = shown_secret(client.get(SETUP, **PAGE_LOAD))
    assert shown_secret(client.get(SETUP, **PAGE_LOAD)) != first
    assert client.post(SETUP, {"code": totp_code(first)}, **PAGE_LOAD).status_code == 200
    assert not Authenticator.objects.filter(user=newcomer, type=Authenticator.Type.TOTP).exists()
