"""bench/server.py's parts that need no server: the officers' request mix (it must be what the
real pages accept) and the statistics. The timed run itself is `make bench-server`."""

import json
import random
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from bench import run, server

WORLD = server.World(
    criteria=[("hosting", ["on_premises", "cloud", "hybrid"]), ("open_source", ["yes", "no"]), ("os", ["linux"])],
    slugs=[f"tool-{n}" for n in range(10)],
    words=["triage", "seized", "hash"],
)


def _requests(count, seed="mix"):
    rng = random.Random(seed)
    return [server.officer_request(rng, WORLD) for _ in range(count)]


def test_catalogue_searches_use_real_values_and_differ():
    rng = random.Random(1)
    searches = [server.catalogue_request(rng, WORLD) for _ in range(200)]
    allowed = dict(WORLD.criteria)
    for search in searches:
        assert search.path == "/tools/"
        for key, value in search.params.items():
            if key.startswith("mode."):
                assert key[5:] in search.params and value in ("required", "preferred")
            elif key == "q":
                assert any(word.startswith(value) for word in WORLD.words)
            elif key == "page":
                assert value == "2"
            else:
                assert value and set(value) <= set(allowed[key])
    distinct = {search.url for search in searches}
    assert len(distinct) > 100, "officers search with different criteria each time"
    assert any("q" in search.params for search in searches)
    assert any(len([k for k in search.params if k.startswith("mode.")]) >= 2 for search in searches)


def test_the_mix_has_every_page_and_compares_two_to_four_tools():
    requests = _requests(300)
    pages = {request.page for request in requests}
    assert pages == {"catalogue", "tool", "compare"}
    for request in requests:
        if request.page == "compare":
            slugs = parse_qs(urlsplit(request.url).query)["tools"][0].split(",")
            assert 2 <= len(slugs) <= 4 and len(set(slugs)) == len(slugs)
            assert set(slugs) <= set(WORLD.slugs)
        if request.page == "tool":
            assert request.path.removeprefix("/tools/").rstrip("/") in WORLD.slugs
    # Deterministic per seed (a run can be repeated), different across officers.
    assert _requests(20, "a") == _requests(20, "a") != _requests(20, "b")


def test_summary_uses_nearest_rank_percentiles_and_counts_errors():
    samples = [float(n) for n in range(1, 101)]
    summary = server.summarise(samples, errors=2, seconds=10)
    assert summary == {
        "requests": 100,
        "errors": 2,
        "throughput_rps": 10.0,
        "p50_ms": 50.0,
        "p95_ms": 95.0,
        "p99_ms": 99.0,
    }
    assert server.summarise([], errors=3, seconds=5)["p95_ms"] is None
    assert run.percentile([7.0], 0.99) == 7.0


def test_server_rows_replace_server_rows_and_keep_in_process_rows():
    in_process = {"db": "sqlite", "tools": 1000, "page": "catalogue", "p50_ms": 9.0, "p95_ms": 12.0, "queries": 8}
    old = {"mode": "server", "tools": 1000, "phase": "think", "page": "catalogue"}
    new = {"mode": "server", "tools": 1000, "phase": "think", "page": "tool"}
    assert server.merge_rows([in_process, old], [new]) == [in_process, new]


def test_profile_summary_counts_inclusive_and_self_time():
    lines = [
        f"handle (gunicorn/workers/sync.py:10);catalogue (discovery/views.py:200);search ({server.ROOT}/discovery/search.py:5) 3",
        "handle (gunicorn/workers/sync.py:10);catalogue (discovery/views.py:201);render (django/shortcuts.py:1) 1",
        "not a stack line",
    ]
    profile = {name: (inclusive, own) for name, inclusive, own in server.collapsed_profile(lines)}
    assert profile["catalogue (discovery/views.py)"] == (1.0, 0.0)
    assert profile["search (discovery/search.py)"] == (0.75, 0.75)
    assert profile["render (django/shortcuts.py)"] == (0.25, 0.25)


@pytest.mark.django_db
def test_generated_requests_are_answered_by_the_real_pages(client, verified_officer):
    """The generator's criteria come from the published questionnaires and every request of the
    mix is a page the hub answers (no 400 for an unknown value, no 404 for a made-up slug)."""
    from catalogue.models import ToolState
    from demo.catalogue import ToolSpec, build_tools
    from questionnaires.selectors import current_versions
    from testkit.factories import OrganisationFactory
    from testkit.personas import sign_in

    versions = current_versions()
    organisation = OrganisationFactory()
    specs = [
        ToolSpec(f"smoke-{n}", f"Smoke Tool {n}", organisation, ToolState.PUBLISHED, f"s{n}.example") for n in range(5)
    ]
    build_tools(specs, versions, full=True)
    world = server.build_world(versions)
    assert world.criteria and sorted(world.slugs) == sorted(spec.slug for spec in specs)
    sign_in(client, verified_officer)
    rng = random.Random(3)
    for _ in range(12):
        request = server.officer_request(rng, world)
        response = client.get(request.path, request.params)
        assert response.status_code == 200, (request.url, response.status_code)
    json.dumps(server.summarise([1.0], 0, 1))  # rows are JSON


@pytest.mark.django_db
def test_the_providers_under_load_save_their_section_of_answers(client):
    """`make load`'s providers post a section page with only its edited text fields: it saves."""
    from catalogue.models import Answer, ToolState
    from demo.catalogue import ToolSpec, build_tools
    from questionnaires.selectors import current_versions
    from testkit import factories
    from testkit.personas import sign_in

    versions = current_versions()
    organisation, admin = factories.provider_admin_under_terms("Load Provider (fictitious)")
    spec = ToolSpec("load-draft", "Load Draft", organisation, ToolState.DRAFT, "draft.example")
    build_tools([spec], versions, full=True, created_by={organisation.pk: admin})
    section, keys = server.provider_section(versions[0])
    assert keys
    path = f"/tools/mine/{spec.slug}/questionnaires/{versions[0].questionnaire.key}/{section}/"
    sign_in(client, admin)
    page = client.get(path)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(path, {"csrfmiddlewaretoken": token, **dict.fromkeys(keys, "Edited under load")})
    assert response.status_code == 302
    assert set(Answer.objects.filter(tool__slug=spec.slug, question_key__in=keys).values_list("value", flat=True)) == {
        "Edited under load"
    }
