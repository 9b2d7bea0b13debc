"""AUTH-01: without a second factor, only MFA set-up and sign-out are reachable."""

import datetime as dt

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import NoReverseMatch, reverse

from accounts.middleware import MFA_SETUP_URL_NAMES
from testkit import factories
from testkit.navigation import FAVICON, FETCH, PAGE_LOAD
from testkit.personas import make_personas, sign_in
from testkit.urltable import all_expectations, build_world, url_names

from .helpers import ensure_totp, is_signed_in, post_password, totp_code

pytestmark = pytest.mark.django_db

ROLES = ["pending_officer", "verified_officer", "provider_a", "coordinator"]
SETUP = reverse("mfa_activate_totp")


@pytest.fixture
def world():
    return build_world(make_personas())


def urls_outside_setup(world):
    table = all_expectations()
    for name in url_names():
        if name in MFA_SETUP_URL_NAMES:
            continue
        expect = table.get(name)
        try:
            # A name missing from the table fails core's URL-table test; here it is tried bare.
            yield name, reverse(name, kwargs=expect.kwargs(world) if expect and expect.kwargs else None)
        except NoReverseMatch:
            continue


@pytest.mark.parametrize("role", ROLES)
def test_password_only_is_sent_to_mfa_setup_from_every_url(client, world, role):
    """A page load is redirected to set-up; anything else (a form post, a background
    request) is refused without a redirect, so it cannot load the set-up page unseen."""
    user = world.users[role]
    sign_in(client, user, mfa=False)
    failures = []
    checked = 0
    for name, url in urls_outside_setup(world):
        response = client.get(url, **PAGE_LOAD)
        if response.status_code != 302 or response["Location"] != SETUP:
            failures.append(f"GET {name} {url}: {response.status_code} {response.get('Location')}")
        response = client.post(url, **PAGE_LOAD)
        if response.status_code != 403:
            failures.append(f"POST {name} {url}: {response.status_code} {response.get('Location')}")
        checked += 1
    for url in ["/admin/", "/admin/accounts/user/", "/no-such-page/"]:
        response = client.get(url, **PAGE_LOAD)
        if response.status_code != 302 or response["Location"] != SETUP:
            failures.append(f"GET {url}: {response.status_code} {response.get('Location')}")
    assert checked > 40
    assert not failures, "\n".join(failures)


BACKGROUND_REQUESTS = {
    "icon": ("get", FAVICON),
    "fetch": ("get", FETCH),
    "script": ("get", {"HTTP_ACCEPT": "*/*", "HTTP_SEC_FETCH_DEST": "script"}),
    "style": ("get", {"HTTP_ACCEPT": "text/css,*/*;q=0.1", "HTTP_SEC_FETCH_DEST": "style"}),
    "json": ("get", {"HTTP_ACCEPT": "application/json"}),
    "no accept header": ("get", {}),
    "htmx": ("get", {**PAGE_LOAD, "HTTP_HX_REQUEST": "true"}),
    "post": ("post", PAGE_LOAD),
}


@pytest.mark.parametrize("kind", BACKGROUND_REQUESTS)
def test_a_background_request_without_mfa_is_refused_not_redirected(client, verified_officer, kind):
    method, headers = BACKGROUND_REQUESTS[kind]
    sign_in(client, verified_officer, mfa=False)
    response = getattr(client, method)(reverse("home:home"), **headers)
    assert response.status_code == 403
    assert "Location" not in response
    body = response.content.decode()
    assert "Set up two-factor authentication to continue." in body
    if "text/html" in headers.get("HTTP_ACCEPT", ""):
        assert response["Content-Type"].startswith("text/html")
        assert f'href="{SETUP}"' in body
    else:
        assert response["Content-Type"].startswith("text/plain")


def test_a_page_load_without_mfa_is_redirected_to_setup(client, verified_officer):
    sign_in(client, verified_officer, mfa=False)
    response = client.get(reverse("home:home"), **PAGE_LOAD)
    assert response.status_code == 302 and response["Location"] == SETUP
    # A browser that sends no Sec-Fetch-Dest (older ones) is judged by its Accept header.
    response = client.get(reverse("home:home"), HTTP_ACCEPT=PAGE_LOAD["HTTP_ACCEPT"])
    assert response.status_code == 302 and response["Location"] == SETUP


@pytest.mark.parametrize("kind", ["icon", "fetch"])
def test_a_background_request_of_a_session_that_skipped_its_factor_ends_it_without_a_redirect(
    client, verified_officer, kind
):
    _method, headers = BACKGROUND_REQUESTS[kind]
    ensure_totp(verified_officer)
    sign_in(client, verified_officer, mfa=False)
    response = client.get(reverse("home:home"), **headers)
    assert response.status_code == 403 and "Location" not in response
    assert not is_signed_in(client)


@pytest.mark.parametrize("role", ROLES)
def test_password_only_reaches_setup_and_sign_out(client, world, role):
    user = world.users[role]
    response = post_password(client, user.email)
    assert response.status_code == 302
    assert client.get(response["Location"], **PAGE_LOAD)["Location"] == SETUP
    assert client.get(SETUP).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not is_signed_in(client)


@pytest.mark.django_db(transaction=True)  # allauth announces the new factor on commit
def test_setting_up_totp_opens_the_hub(client):
    verified_officer = factories.OfficerProfileFactory(verified=True).user
    post_password(client, verified_officer.email)
    assert client.get(reverse("home:home"), **PAGE_LOAD)["Location"] == SETUP
    client.get(SETUP)
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(SETUP, {"code": totp_code(secret)})
    assert response.status_code == 302
    # The recovery codes are shown straight away, without another password prompt.
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("home:home")).status_code == 200


def test_a_factorless_session_must_sign_in_again_after_five_minutes_to_set_up(client, verified_officer):
    with time_machine.travel(dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        post_password(client, verified_officer.email)
        clock.shift(dt.timedelta(minutes=6))
        response = client.get(SETUP)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))


@pytest.mark.parametrize("role", ROLES)
def test_a_factor_without_passing_it_signs_out(client, world, role):
    """A session that signed in with the password only while a factor exists is ended."""
    user = world.users[role]
    ensure_totp(user)
    sign_in(client, user, mfa=False)
    response = client.get(reverse("home:home"), **PAGE_LOAD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not is_signed_in(client)


def test_setup_page_does_not_open_anything_else_for_factorless_staff(client):
    coordinator = factories.CoordinatorFactory(is_superuser=True)
    sign_in(client, coordinator, mfa=False)
    assert client.get("/admin/", **PAGE_LOAD)["Location"] == SETUP
    assert client.get(reverse("accounts:vetting_queue"), **PAGE_LOAD)["Location"] == SETUP
