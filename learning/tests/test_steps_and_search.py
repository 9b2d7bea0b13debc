"""Step pages show the catalogue's tools in the catalogue's fair order and count their exposure;
the hub's search finds learning content in the reader's language, next to the tools."""

import re
import types

import pytest
from django.db.models import Sum
from django.urls import reverse

from discovery.models import ExposureCount
from questionnaires.selectors import current_questions
from testkit import factories

from .helpers import publish_item

pytestmark = pytest.mark.django_db

TOOL_LINK = re.compile(r'class="tool-card-name"><a href="/tools/([^/"?]+)/(?:\?[^"]*)?"')


def tools_declaring(step: str, count: int, *, other: str = "victim-identification"):
    question = next(question for question in current_questions() if question.key == "workflow-steps")
    tools = []
    for index in range(count):
        tool = factories.ToolFactory(published=True, name=f"Step tool {index}", slug=f"step-tool-{index}")
        factories.AnswerFactory(tool=tool, question=question, value=[step])
        tools.append(tool)
    elsewhere = factories.ToolFactory(published=True, name="Elsewhere tool", slug="elsewhere-tool")
    factories.AnswerFactory(tool=elsewhere, question=question, value=[other])
    return tools


def step_order(client, step="triage"):
    return TOOL_LINK.findall(client.get(reverse("learning:step", args=[step])).content.decode())


def catalogue_order(client, step="triage"):
    html = client.get(reverse("discovery:catalogue"), {"workflow-steps": step}).content.decode()
    return re.findall(r'class="tool-card-name"><a href="/tools/([^/"?]+)/(?:\?[^"]*)?"', html)


def exposure_total() -> int:
    return ExposureCount.objects.aggregate(total=Sum("count"))["total"] or 0


def test_a_step_page_lists_the_tools_in_the_catalogues_fair_order_for_this_officer(signed_in, verified_officer):
    tools_declaring("triage", 8)
    client = signed_in(verified_officer)
    on_step_page = step_order(client)
    assert sorted(on_step_page) == sorted(f"step-tool-{index}" for index in range(8))
    assert "elsewhere-tool" not in on_step_page
    assert on_step_page == catalogue_order(client)
    # The order is the officer's own, not a fixed one: another officer sees another permutation.
    others = [factories.OfficerProfileFactory(verified=True).user for _ in range(4)]
    orders = set()
    for other in others:
        client.logout()
        orders.add(tuple(step_order(signed_in(other))))
    assert len(orders) > 1


def test_control_a_step_page_with_its_own_order_would_be_caught(signed_in, verified_officer, monkeypatch):
    tools_declaring("triage", 8)
    client = signed_in(verified_officer)
    from discovery import search
    from learning import views

    own_order = types.SimpleNamespace(
        Criterion=search.Criterion,
        REQUIRED=search.REQUIRED,
        fairness_seed=search.fairness_seed,
        attach_tools=search.attach_tools,
        search=lambda *args, **kwargs: list(reversed(search.search(*args, **kwargs))),
    )
    monkeypatch.setattr(views, "search", own_order)
    assert step_order(client) != catalogue_order(client)


def test_a_step_page_counts_in_the_same_exposure_statistics(signed_in, verified_officer, monkeypatch):
    tools_declaring("triage", 3)
    client = signed_in(verified_officer)
    before = exposure_total()
    step_order(client)
    assert exposure_total() == before + 3
    # Control: a step page that did not record would leave the counts unchanged.
    from learning import views

    monkeypatch.setattr(views.exposure, "record", lambda *args, **kwargs: None)
    step_order(client)
    assert exposure_total() == before + 3


def test_a_step_page_shows_the_steps_learning_content(signed_in, verified_officer):
    publish_item("about-triage", title="Triage in practice", steps=["triage"])
    publish_item("about-victims", title="Finding victims", steps=["victim-identification"])
    html = signed_in(verified_officer).get(reverse("learning:step", args=["triage"])).content.decode()
    assert "Triage in practice" in html and "Finding victims" not in html


def test_an_unknown_step_is_not_found(signed_in, verified_officer):
    assert signed_in(verified_officer).get(reverse("learning:step", args=["no-such-step"])).status_code == 404


def test_search_reads_the_text_in_the_readers_language(signed_in, verified_officer):
    publish_item(
        "hash-matching",
        title="Hash matching basics",
        body="Known material is recognised by its fingerprint.",
        translations={"fr": ("Les bases du hachage", "Les empreintes reconnaissent le matériel connu.")},
    )
    publish_item("english-only", title="Keeping notes", body="A fingerprint of your working day.")
    client = signed_in(verified_officer)
    url = reverse("home:search")
    english = client.get(url, {"q": "fingerprint"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Hash matching basics" in english and "Keeping notes" in english
    french = client.get(url, {"q": "empreintes"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Les bases du hachage" in french and "Keeping notes" not in french
    # A French reader searching English words finds the item shown to them in English only.
    fallback = client.get(url, {"q": "fingerprint"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Keeping notes" in fallback and "Hash matching basics" not in fallback
    # Prefixes and diacritics, as in the catalogue's search.
    assert "Les bases du hachage" in client.get(url, {"q": "materiel conn"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_the_hub_search_groups_tools_and_learning(signed_in, verified_officer):
    tools_declaring("triage", 2)
    publish_item("seized-media", title="Seized media handling", body="Finds things in seized media safely.")
    html = signed_in(verified_officer).get(reverse("home:search"), {"q": "seized"}).content.decode()
    tools_at, learning_at = html.index('id="tools-title"'), html.index('id="learning-title"')
    assert tools_at < html.index("Step tool") < learning_at < html.index("Seized media handling")
    assert "/tools/?q=seized" in html
