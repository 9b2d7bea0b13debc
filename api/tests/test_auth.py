"""Who may use the API: bearer tokens of verified officers and coordinators only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import OfficerProfile
from testkit import factories
from testkit.personas import sign_in

from .helpers import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls():
    tool = factories.ToolFactory(published=True)
    return [reverse("api:criteria"), reverse("api:tools"), reverse("api:tool", args=[tool.slug])]


def assert_json_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert isinstance(response.json()["error"], str) and response.json()["error"]


def test_without_a_token_the_api_answers_401_with_a_challenge(urls):
    for url in urls:
        response = api_client().get(url)
        assert_json_error(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer shub_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "shub_x", "Bearer " + "a" * 5000],
)
def test_a_bad_token_answers_401(urls, header):
    for url in urls:
        response = api_client(Authorization=header).get(url)
        assert_json_error(response, 401)
        assert "Bearer" in response["WWW-Authenticate"]


def test_a_session_is_not_enough(client, urls, verified_officer):
    sign_in(client, verified_officer)
    for url in urls:
        assert_json_error(client.get(url), 401)


def test_a_revoked_token_answers_401(urls, verified_officer):
    secret = factories.make_api_token(verified_officer)
    verified_officer.api_tokens.update(revoked_at=timezone.now())
    for url in urls:
        assert_json_error(api_client(secret).get(url), 401)


def test_tokens_of_providers_and_unverified_officers_answer_403(urls, provider_member, pending_officer):
    expired = factories.OfficerProfileFactory(verified=True).user
    secrets = [factories.make_api_token(user) for user in (provider_member, pending_officer, expired)]
    expired.officer.status = OfficerProfile.Status.EXPIRED
    expired.officer.verified_until = timezone.now() - timedelta(days=1)
    expired.officer.save()
    inactive = factories.CoordinatorFactory(is_active=False)
    secrets.append(factories.make_api_token(inactive))
    for secret in secrets:
        for url in urls:
            assert_json_error(api_client(secret).get(url), 403)


def test_tokens_of_verified_officers_and_coordinators_answer_200(urls, verified_officer, coordinator):
    for user in (verified_officer, coordinator):
        secret = factories.make_api_token(user)
        for url in urls:
            response = api_client(secret).get(url)
            assert response.status_code == 200, (url, response.content)
            assert response["Cache-Control"] == "no-store"


def test_only_get_is_allowed_and_csrf_does_not_get_in_the_way(urls, verified_officer):
    secret = factories.make_api_token(verified_officer)
    client = api_client(secret)
    client.handler.enforce_csrf_checks = True
    for url in urls:
        response = client.post(url, {"x": "1"})
        assert_json_error(response, 405)
        assert "GET" in response["Allow"]


def test_unknown_api_paths_answer_json_404(verified_officer):
    secret = factories.make_api_token(verified_officer)
    for path in ["/api/v1/nothing", "/api/v1/tools/", "/api/v1/tools/a/b"]:
        assert_json_error(api_client(secret).get(path), 404)


def test_the_openapi_document_is_public():
    response = api_client().get(reverse("api:openapi"))
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.1")


def test_tokens_of_users_with_terms_to_accept_answer_403(urls, verified_officer):
    from terms.models import Audience

    secret = factories.make_api_token(verified_officer)
    document = factories.TermsDocumentFactory(audience=Audience.LAW_ENFORCEMENT)
    for url in urls:
        assert_json_error(api_client(secret).get(url), 403)
    factories.TermsAcceptanceFactory(user=verified_officer, document=document)
    for url in urls:
        assert api_client(secret).get(url).status_code == 200
