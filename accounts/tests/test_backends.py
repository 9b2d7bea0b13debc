"""The session's user is read with the officer profile (accounts/backends.py): one query less on
every signed-in page, whichever way the officer signed in."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.signals import MFA_IN_SESSION_KEY
from accounts.tests.helpers import full_login
from testkit import factories
from testkit.personas import sign_in

pytestmark = pytest.mark.django_db

ABOUT = reverse("core:about")


def profile_reads(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ABOUT)
    assert response.status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    return response.content.decode(), [
        q for q in sql if q.lstrip().startswith("SELECT") and "accounts_officerprofile" in q
    ]


def test_a_page_reads_the_officer_with_the_account_after_a_real_sign_in():
    officer = factories.OfficerProfileFactory(verified=True).user
    client = Client()
    full_login(client, officer)
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.AuthenticationBackend"
    html, reads = profile_reads(client)
    assert "Sign out" in html
    assert len(reads) == 1 and "accounts_user" in reads[0], "one query: the account joined to its profile"


@pytest.mark.parametrize("role", ["coordinator", "provider"])
def test_accounts_without_an_officer_profile_are_read_alike(role):
    user = factories.CoordinatorFactory() if role == "coordinator" else factories.ProviderUserFactory()
    client = sign_in(Client(), user)
    html, reads = profile_reads(client)
    assert "Sign out" in html
    assert len(reads) == 1


def test_a_deactivated_account_is_signed_out():
    officer = factories.OfficerProfileFactory(verified=True).user
    client = sign_in(Client(), officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    html, _reads = profile_reads(client)
    assert "Sign out" not in html


@override_settings(
    AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.ModelBackend", "accounts.backends.AuthenticationBackend"]
)
def test_control_djangos_own_backend_reads_the_profile_separately():
    officer = factories.OfficerProfileFactory(verified=True).user
    client = Client()
    factories.add_totp(officer)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[MFA_IN_SESSION_KEY] = True
    session.save()
    _html, reads = profile_reads(client)
    assert len(reads) == 1 and "accounts_user" not in reads[0]
