"""Every link in an email starts with SITE_URL, whatever host or port the request that caused
the email came through (a proxy, the development server on another port)."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config.settings import env_site_url
from providers import services as provider_services

from .test_registration import signup_data

pytestmark = pytest.mark.django_db

SITE = "https://hub.example.org"
# The test client's requests come from http://testserver, so a link built from the request
# would start with that instead.
REQUEST_HOST = "testserver"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [REQUEST_HOST]


def links(message) -> list[str]:
    bodies = [message.body] + [content for content, _type in getattr(message, "alternatives", [])]
    return [link for body in bodies for link in re.findall(r"https?://[^\s\"'<>]+", body)]


def the_only_message_to(address):
    (message,) = [m for m in mail.outbox if address in m.to]
    return message


def assert_links_on_site(message, path_prefix):
    found = links(message)
    assert any(link.startswith(SITE + path_prefix) for link in found), found
    assert all(link.startswith(SITE + "/") or link == SITE for link in found), found
    assert REQUEST_HOST not in message.body


def test_the_invitation_email_links_to_site_url(organisation, provider_admin):
    provider_services.invite_member(organisation, by=provider_admin, email="kim@provider.example.com")
    assert_links_on_site(the_only_message_to("kim@provider.example.com"), "/providers/invitation/")


def test_the_confirmation_email_links_to_site_url(client):
    assert client.post(reverse("account_signup"), signup_data()).status_code == 302
    message = the_only_message_to("ana@police.example.gov")
    assert_links_on_site(message, "/accounts/confirm-email/")
    assert "hub.example.org" in message.body  # allauth's signature names the site


def test_the_password_reset_email_links_to_site_url(client, verified_officer):
    client.post(reverse("account_reset_password"), {"email": verified_officer.email})
    assert_links_on_site(the_only_message_to(verified_officer.email), "/accounts/password/reset/key/")


def test_the_reset_email_to_an_unknown_address_links_to_site_url(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@police.example.gov"})
    assert_links_on_site(the_only_message_to("nobody@police.example.gov"), "/accounts/signup/")


def test_registering_an_address_twice_emails_links_to_site_url(client, verified_officer):
    client.post(reverse("account_signup"), signup_data(email=verified_officer.email))
    message = the_only_message_to(verified_officer.email)
    assert_links_on_site(message, "/accounts/password/reset/")


def test_a_confirmation_link_opens_the_confirmation_page(client):
    client.post(reverse("account_signup"), signup_data())
    (link,) = [link for link in links(the_only_message_to("ana@police.example.gov")) if "confirm-email" in link]
    assert client.get(link.removeprefix(SITE)).status_code == 200


@pytest.mark.parametrize(
    "value", ["hub.example.org", "ftp://hub.example.org", "https://", "https://hub.example.org/saferhub"]
)
def test_a_site_url_that_is_not_an_address_stops_start_up(monkeypatch, value):
    monkeypatch.setenv("SITE_URL", value)
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        env_site_url("SITE_URL", "https://localhost")


def test_a_trailing_slash_is_dropped(monkeypatch):
    monkeypatch.setenv("SITE_URL", "http://127.0.0.1:8080/")
    assert env_site_url("SITE_URL", "https://localhost") == "http://127.0.0.1:8080"
