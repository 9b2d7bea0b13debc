"""Sign-up answers as fast for a registered address as for a new one (issue 13 hole 1, AUTH-06).

Timed through the real pages with the production password hasher (Argon2), alternating new and
registered addresses; the medians must be within 20%. The control takes the even-timing step out
and shows the difference the probe measured."""

import statistics
import time

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from accounts import signup_timing
from accounts.tests.test_registration import signup_data
from providers.tests.test_registration import form_data as provider_data
from testkit import factories

pytestmark = pytest.mark.django_db

ARGON2 = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
TRIES = 9


def timed(client, url, data) -> float:
    started = time.perf_counter()
    response = client.post(url, data)
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.content.decode()[:500]
    return elapsed


def medians(url, data_for) -> tuple[float, float]:
    """(new addresses, registered address) medians, after two warm-up sign-ups."""
    registered = factories.OfficerFactory(email="taken@police.example.gov").email
    signup_timing._recent_signups.clear()
    new, existing = [], []
    for attempt in range(TRIES + 2):
        fresh = timed(Client(), url, data_for(f"new{attempt}@police.example.gov"))
        known = timed(Client(), url, data_for(registered))
        if attempt >= 2:
            new.append(fresh)
            existing.append(known)
    return statistics.median(new), statistics.median(existing)


def officer(email):
    return signup_data(email=email)


def provider(email):
    return provider_data(email=email, organisation_name=f"Org {email}")


@override_settings(PASSWORD_HASHERS=ARGON2)
@pytest.mark.parametrize(
    ("url", "data_for"), [(reverse("account_signup"), officer), (reverse("providers:register"), provider)]
)
def test_a_registered_address_takes_as_long_as_a_new_one(url, data_for):
    new, existing = medians(url, data_for)
    assert abs(existing - new) <= 0.2 * new, f"new {new * 1000:.0f} ms, registered {existing * 1000:.0f} ms"


@override_settings(PASSWORD_HASHERS=ARGON2)
def test_control_without_the_even_timing_a_registered_address_answers_faster(monkeypatch):
    monkeypatch.setattr(signup_timing, "make_password", lambda password: None)
    monkeypatch.setattr(signup_timing, "typical_signup_seconds", lambda: None)
    new, existing = medians(reverse("account_signup"), officer)
    assert existing < 0.8 * new, f"new {new * 1000:.0f} ms, registered {existing * 1000:.0f} ms"
