"""The API side of moderation: 410 with the notice for a suspended or removed tool, and /notices."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalogue.models import ToolState
from moderation.models import NoticeAction
from testkit import factories

pytestmark = pytest.mark.django_db

NOTICES = reverse("api:notices")


@pytest.fixture
def api(verified_officer):
    return Client(headers={"Authorization": f"Bearer {factories.make_api_token(verified_officer)}"})


def test_suspended_tool_answers_410_with_its_notice(api):
    notice = factories.NoticeFactory(tool__slug="quay-sieve", tool__name="Quay Sieve")
    response = api.get(reverse("api:tool", args=["quay-sieve"]))
    assert response.status_code == 410
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": "This tool is suspended.",
        "notice": {
            "tool": "quay-sieve",
            "tool_name": "Quay Sieve",
            "action": "suspended",
            "date": notice.decided_at.isoformat(),
            "reason": notice.summary,
            "guidance": notice.officer_guidance,
        },
    }
    assert notice.provider_guidance not in response.content.decode()


def test_removed_tool_answers_410_and_never_appears_in_the_list(api):
    factories.NoticeFactory(action=NoticeAction.REMOVED, tool__state=ToolState.REMOVED, tool__slug="gone-tool")
    factories.ToolFactory(published=True, slug="still-here")
    response = api.get(reverse("api:tool", args=["gone-tool"]))
    assert response.status_code == 410 and response.json()["error"] == "This tool was removed from the catalogue."
    slugs = {item["slug"] for item in api.get(reverse("api:tools")).json()["results"]}
    assert "gone-tool" not in slugs and "still-here" in slugs


def test_drafts_still_answer_404(api):
    factories.ToolFactory(slug="a-draft")
    assert api.get(reverse("api:tool", args=["a-draft"])).status_code == 404


def test_notices_endpoint_shape_newest_first_and_filter(api):
    now = timezone.now()
    old = factories.NoticeFactory(decided_at=now - timedelta(days=3))
    new = factories.NoticeFactory(action=NoticeAction.REINSTATED, tool__state=ToolState.PUBLISHED, decided_at=now)
    body = api.get(NOTICES).json()
    assert body["count"] == 2 and body["next"] is None
    assert [item["tool"] for item in body["results"]] == [new.tool.slug, old.tool.slug]
    assert body["results"][0] == {
        "tool": new.tool.slug,
        "tool_name": new.tool.name,
        "action": "reinstated",
        "date": new.decided_at.isoformat(),
        "reason": new.summary,
        "guidance": new.officer_guidance,
    }
    filtered = api.get(NOTICES, {"action": "suspended"}).json()
    assert [item["tool"] for item in filtered["results"]] == [old.tool.slug]
    one_tool = api.get(NOTICES, {"tool": new.tool.slug}).json()
    assert one_tool["count"] == 1 and [item["tool"] for item in one_tool["results"]] == [new.tool.slug]


def test_notices_are_paged(api):
    factories.NoticeFactory.create_batch(21)
    first = api.get(NOTICES).json()
    assert first["count"] == 21 and len(first["results"]) == 20
    assert first["next"] == "http://testserver/api/v1/notices?page=2"
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None


@pytest.mark.parametrize(
    "params",
    [
        {"action": "deleted"},
        {"sort": "oldest"},
        {"page": "0"},
        {"page": "x"},
        {"tool": "no spaces"},
        {"tool": "a\x00b"},
    ],
)
def test_notices_reject_bad_parameters(api, params):
    response = api.get(NOTICES, params)
    assert response.status_code == 400 and "error" in response.json()


def test_notices_need_a_token_of_a_hub_user(pending_officer):
    assert Client().get(NOTICES).status_code == 401
    pending = Client(headers={"Authorization": f"Bearer {factories.make_api_token(pending_officer)}"})
    assert pending.get(NOTICES).status_code == 403


def test_openapi_documents_notices_and_the_410():
    schema = Client().get(reverse("api:openapi")).json()
    assert "/notices" in schema["paths"]
    assert "410" in schema["paths"]["/tools/{slug}"]["get"]["responses"]
    assert set(schema["components"]["schemas"]["Notice"]["required"]) == {
        "tool",
        "tool_name",
        "action",
        "date",
        "reason",
        "guidance",
    }
