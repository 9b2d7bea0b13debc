"""Redis down is not a 500 (issue 13 hole 4, SECURITY.md REL-03).

The suite's key pages run against the production cache backend pointed at a port where nothing
listens: reads fall back to the database, sign-ins wait with a clear message, `/health/` says the
cache is unavailable. The control runs one page with Django's plain Redis backend: 500."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from core import cache as hub_cache
from testkit import factories
from testkit.personas import sign_in

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"


def redis_cache(backend="core.cache.ResilientRedisCache"):
    return {
        "default": {
            "BACKEND": backend,
            "LOCATION": CLOSED_PORT,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture
def tool(organisation):
    return factories.ToolFactory(organisation=organisation, published=True, name="Harbour Lens")


@pytest.fixture
def officer_client(verified_officer):
    return sign_in(Client(raise_request_exception=False), verified_officer)


def test_key_pages_and_the_api_answer_without_the_cache(officer_client, verified_officer, tool):
    token = factories.make_api_token(verified_officer)
    with override_settings(CACHES=redis_cache()):
        pages = {
            "catalogue": officer_client.get(reverse("discovery:catalogue"), {"q": "harbour"}),
            "tool page": officer_client.get(reverse("catalogue:tool_detail", args=[tool.slug])),
            "compare": officer_client.get(reverse("discovery:compare"), {"tools": tool.slug}),
            "inbox": officer_client.get(reverse("notifications:inbox")),
            "learning": officer_client.get(reverse("learning:index")),
            "api": Client(raise_request_exception=False).get(
                "/api/v1/tools", headers={"Authorization": f"Bearer {token}"}
            ),
        }
        follow = officer_client.post(reverse("following:follow", args=[tool.slug]))
        # Rate limits cannot count without the cache: they refuse, and say so.
        directory = officer_client.get(reverse("community:directory"))
    assert {name: response.status_code for name, response in pages.items()} == dict.fromkeys(pages, 200)
    assert "Harbour Lens" in pages["catalogue"].content.decode()
    assert follow.status_code == 302
    assert verified_officer.follows.filter(tool=tool).exists()
    assert directory.status_code == 429 and "please wait" in directory.content.decode()


def test_sign_in_and_password_reset_wait_with_a_clear_message(verified_officer):
    client = Client(raise_request_exception=False)
    with override_settings(CACHES=redis_cache()):
        login = client.post(reverse("account_login"), {"login": verified_officer.email, "password": "x"})
        reset = client.post(reverse("account_reset_password"), {"email": verified_officer.email})
        page = client.get(reverse("account_login"))
    for response in (login, reset):
        assert response.status_code == 503
        assert "Signing in is briefly unavailable" in response.content.decode()
        assert response["Retry-After"] == "60"
    assert page.status_code == 200  # the form itself is shown


def test_health_reports_the_cache_as_unavailable():
    with override_settings(CACHES=redis_cache()):
        response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_a_dead_cache_is_pinged_once_per_interval(monkeypatch):
    with override_settings(CACHES=redis_cache()):
        assert not hub_cache.shared_records_available()
        backend = hub_cache.caches["default"]
        monkeypatch.setattr(backend._cache, "get_client", lambda **kwargs: pytest.fail("pinged again"))
        assert not hub_cache.shared_records_available()


def test_control_djangos_plain_redis_backend_answers_500(officer_client, tool):
    with override_settings(CACHES=redis_cache("django.core.cache.backends.redis.RedisCache")):
        response = officer_client.get(reverse("catalogue:tool_detail", args=[tool.slug]))
    assert response.status_code == 500
