"""Personal API tokens: created on the account pages (after re-authentication), stored hashed,
shown once, revocable, audited; `create_api_token` for scripts."""

import datetime as dt
import hashlib
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from api import services
from api.models import ApiToken
from audit.models import Action, AuditEvent
from testkit import factories
from testkit.personas import sign_in

from .helpers import api_client

pytestmark = pytest.mark.django_db

TOKENS = reverse("api:tokens")
CRITERIA = reverse("api:criteria")


def reauthenticate(client):
    response = client.post(reverse("account_reauthenticate"), {"password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 302


def create_on_page(client, name="Nightly sync"):
    response = client.post(TOKENS, {"name": name})
    assert response.status_code == 200, response.content
    return response, response.context["secret"]


def test_creating_a_token_stores_only_its_hash_and_shows_the_secret_once(client, verified_officer):
    sign_in(client, verified_officer)
    reauthenticate(client)
    response, secret = create_on_page(client)
    assert secret.startswith("shub_") and len(secret) > 40
    assert secret in response.content.decode()
    token = ApiToken.objects.get(user=verified_officer)
    assert token.name == "Nightly sync"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.prefix, token.token_hash, token.name}
    assert secret.startswith(token.prefix)
    # The list shows the prefix, never the secret again.
    page = client.get(TOKENS).content.decode()
    assert token.prefix in page and "Nightly sync" in page
    assert secret not in page
    # And the token works.
    assert api_client(secret).get(CRITERIA).status_code == 200
    event = AuditEvent.objects.get(action=Action.API_TOKEN_CREATED)
    assert event.actor == verified_officer
    assert secret not in str(event.before) + str(event.after) + event.target_label


def test_creating_a_token_asks_for_recent_reauthentication(client, coordinator):
    sign_in(client, coordinator)
    response = client.post(TOKENS, {"name": "Report"})
    assert response.status_code == 302
    assert response["Location"].startswith((reverse("account_reauthenticate"), reverse("mfa_reauthenticate")))
    assert not ApiToken.objects.exists()
    # After confirming the password the suspended request goes through and shows the secret.
    response = client.post(response["Location"], {"password": factories.DEFAULT_PASSWORD})
    assert ApiToken.objects.filter(user=coordinator, name="Report").exists()
    assert "shub_" in response.content.decode()


def test_a_name_is_required(client, verified_officer):
    sign_in(client, verified_officer)
    reauthenticate(client)
    response = client.post(TOKENS, {"name": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("persona", ["pending_officer", "provider_admin"])
def test_only_verified_officers_and_coordinators_may_create_tokens(client, persona, request):
    user = request.getfixturevalue(persona)
    sign_in(client, user)
    reauthenticate(client)
    assert client.get(TOKENS).status_code == 403
    assert client.post(TOKENS, {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()
    with pytest.raises(PermissionDenied):
        services.create_token(user, "x")


def test_revoking_a_token_stops_it_and_is_audited(client, verified_officer):
    secret = factories.make_api_token(verified_officer)
    token = ApiToken.objects.get(user=verified_officer)
    assert api_client(secret).get(CRITERIA).status_code == 200
    sign_in(client, verified_officer)
    response = client.post(reverse("api:token_revoke", args=[token.public_id]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_client(secret).get(CRITERIA).status_code == 401
    assert AuditEvent.objects.filter(action=Action.API_TOKEN_REVOKED, actor=verified_officer).count() == 1
    assert "Revoked" in client.get(TOKENS).content.decode()
    # Revoking again changes nothing and records nothing more.
    client.post(reverse("api:token_revoke", args=[token.public_id]))
    assert AuditEvent.objects.filter(action=Action.API_TOKEN_REVOKED).count() == 1


def test_nobody_revokes_someone_elses_token(client, verified_officer, coordinator):
    factories.make_api_token(verified_officer)
    token = ApiToken.objects.get(user=verified_officer)
    sign_in(client, coordinator)
    assert client.post(reverse("api:token_revoke", args=[token.public_id])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_is_post_only(client, verified_officer):
    factories.make_api_token(verified_officer)
    token = ApiToken.objects.get(user=verified_officer)
    sign_in(client, verified_officer)
    assert client.get(reverse("api:token_revoke", args=[token.public_id])).status_code == 405


def test_last_used_is_written_at_most_once_a_minute(verified_officer):
    secret = factories.make_api_token(verified_officer)
    token = ApiToken.objects.get(user=verified_officer)
    assert token.last_used_at is None
    start = dt.datetime(2025, 5, 5, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        api_client(secret).get(CRITERIA)
        token.refresh_from_db()
        assert token.last_used_at == start
        clock.shift(dt.timedelta(seconds=30))
        api_client(secret).get(CRITERIA)
        token.refresh_from_db()
        assert token.last_used_at == start
        clock.shift(dt.timedelta(seconds=31))
        api_client(secret).get(CRITERIA)
        token.refresh_from_db()
        assert token.last_used_at == start + dt.timedelta(seconds=61)


def test_command_prints_a_working_token(verified_officer):
    out = StringIO()
    call_command("create_api_token", verified_officer.email.upper(), "--name", "Cron", stdout=out)
    secret = out.getvalue().strip()
    token = ApiToken.objects.get(user=verified_officer)
    assert token.name == "Cron"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert api_client(secret).get(CRITERIA).status_code == 200
    assert AuditEvent.objects.filter(action=Action.API_TOKEN_CREATED, actor=None).count() == 1


def test_command_refuses_users_who_may_not_use_the_api(pending_officer, provider_member):
    for user in (pending_officer, provider_member):
        with pytest.raises(CommandError):
            call_command("create_api_token", user.email, stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody@example.org", stdout=StringIO())
    assert not ApiToken.objects.exists()
