"""Equal visibility (PRODUCT.md 3.4), proven through the code officers actually hit.

Among tools that match equally well, each officer sees a random permutation seeded by
(officer, UTC day). Many simulated officers (real User rows, seeds derived by production's
`search.fairness_seed`) search through `search.search()` (1,000 officers, as the catalogue view
calls it), through the catalogue page over HTTP (100) and through the API (200). The
exposure they generate is counted by production (`exposure.record` / `exposure.report`, or the
order read back from the HTML and the JSON) and a chi-squared test asks whether every tool was
equally likely to be shown first and on the first page, with criteria off and on.

The controls force a biased order into the same production code (oldest tool first, alphabetical,
one permutation for every officer, a 10 % nudge towards the newest tool) and assert that the very
same checker, `fairness_p_value`, then reports unfairness. If the checker always passed, the
controls would fail.

Everything is deterministic (fixed day, officer ids and slugs): the fair tests cannot flake.
`pytest -s` prints each statistic. Measured ("5 + 2": five equal tools and the two that tell
the criteria apart, which are equal too when no criterion is chosen):

    path      officers  tools   criteria  first position p  first page p
    search()  1000      5 + 2   off / on  0.547 / 0.199     (every tool is on it)
    search()  1000      25 + 2  off / on  0.941 / 0.985     0.399 / 0.228
    page      100       5 + 2   off / on  0.299 / 0.099
    API       200       5 + 2   off / on  0.061 / 0.337

Controls, which must give p < 0.001: through search() (1000 officers, 25 + 2 tools) oldest first,
alphabetical and one order for every officer give p = 0 (chi2 24,000 to 26,000, below the smallest
float) for the first position and the first page; one officer in ten nudged to the newest tool gives
9e-39 (off) and 1.1e-33 (on) for the first position (its first page, 0.43 and 0.22, is not
asserted). Through the page and the API (30 officers, oldest first): 3.4e-36 (off), 5.3e-25 (on).
"""

import datetime
import hashlib
import math
import random
import re
import uuid
from collections import Counter

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import OfficerProfile, User
from api.tests.helpers import api_client
from catalogue.models import Tool
from discovery import exposure, search
from discovery.models import ExposureCount
from discovery.search import PREFERRED, REQUIRED, Criterion
from discovery.views import PAGE_SIZE
from testkit import factories
from testkit.personas import sign_in

from .test_search_helpers import make_questionnaires, tool_with

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 4)
NOON = datetime.datetime(2026, 5, 4, 12, 0, tzinfo=datetime.UTC)
OFFICERS = 1000
# Fewer over HTTP, where each officer costs a sign-in and real requests (~0.1 s a page on a busy
# 2-core machine): the page renders the whole catalogue, the API only JSON.
PAGE_OFFICERS = 100
API_OFFICERS = 200
# Enough for an order as biased as "oldest first" (every officer the same first tool).
CONTROL_OFFICERS = 30
# A fair order passes unless it is this unlikely; a biased one must fall below it.
ALPHA = 0.001

# Criteria off, and on: one required criterion every tool meets, one preferred criterion every
# tool meets (so they all match equally well), as the search function, the page and the API take them.
SELECTIONS = {
    "off": {},
    "on": {
        "offline": Criterion(REQUIRED, frozenset({"yes"})),
        "deployment": Criterion(PREFERRED, frozenset({"on-premises"})),
    },
}
PAGE_QUERIES = {"off": {}, "on": {"offline": "yes", "deployment": "on-premises", "mode.deployment": PREFERRED}}
API_QUERIES = {"off": {}, "on": {"offline": "yes", "prefer.deployment": "on-premises"}}

CATALOGUE = reverse("discovery:catalogue")
API_TOOLS = reverse("api:tools")
# The card links carry the same search back ("from") on every card: the path names the tool.
CARD_LINK = re.compile(r'<h2 class="tool-card-name"><a href="([^"?]+)(?:\?[^"]*)?">')


# --- the checker ----------------------------------------------------------------------------
def chi2_sf(statistic: float, df: int) -> float:
    """P(X >= statistic) for X ~ chi-squared(df): the regularized upper incomplete gamma
    Q(df/2, statistic/2), by its series below a+1 and its continued fraction above (Numerical
    Recipes 6.2); scipy is not a dependency of the project."""
    a, x = df / 2, statistic / 2
    if x <= 0:
        return 1.0
    log_prefactor = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:
        term = total = 1 / a
        n = a
        while abs(term) > abs(total) * 1e-16:
            n += 1
            term *= x / n
            total += term
        return max(0.0, 1 - total * math.exp(log_prefactor))
    tiny = 1e-300
    b = x + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = d if abs(d) > tiny else tiny
        c = b + an / c
        c = c if abs(c) > tiny else tiny
        d = 1 / d
        h *= d * c
        if abs(d * c - 1) < 1e-16:
            break
    return math.exp(log_prefactor) * h


def fairness_p_value(counts: list[int], shown: int = 1) -> float:
    """The p-value of "every tool is equally likely to be among the `shown` tools each officer
    sees" (shown=1: the first position; shown=PAGE_SIZE: the first page), from the counts per
    tool over all officers.

    The statistic is production's Pearson statistic (`exposure.chi_squared`, the coordinators'
    report) scaled by (n-1)/(n-k): an officer's page holds k *distinct* tools of n, so the counts
    vary less than independent draws would; scaled, it follows chi-squared with n-1 degrees of
    freedom (for k=1 the scale is 1 and it is Pearson's test)."""
    return chi2_sf(*fairness_statistic(counts, shown))


def fairness_statistic(counts: list[int], shown: int = 1) -> tuple[float, int]:
    """(statistic, degrees of freedom) of `fairness_p_value`."""
    tools = len(counts)
    assert 0 < shown < tools, "with every tool on the page there is nothing to compare"
    return exposure.chi_squared(counts) * (tools - 1) / (tools - shown), tools - 1


def describe(counts: list[int], shown: int = 1) -> str:
    """For the test output (pytest -s): the statistic, its p-value and the counts."""
    statistic, df = fairness_statistic(counts, shown)
    return f"chi2 = {statistic:.1f} (df {df}), p = {chi2_sf(statistic, df):.3g}, counts {counts}"


@pytest.mark.parametrize(
    ("df", "critical", "p"),
    [
        (1, 3.841459, 0.05),
        (1, 10.827566, 0.001),
        (4, 9.487729, 0.05),
        (4, 18.466827, 0.001),
        (9, 27.877165, 0.001),
        (19, 43.820196, 0.001),
        (24, 36.415029, 0.05),
        (24, 51.178601, 0.001),
        (24, 10.856361, 0.99),
    ],
)
def test_chi2_p_value_matches_published_critical_values(df, critical, p):
    assert chi2_sf(critical, df) == pytest.approx(p, rel=1e-5)


def test_chi2_p_value_has_closed_form_for_two_degrees_of_freedom():
    for statistic in (0.1, 1.0, 5.0, 30.0, 200.0):
        assert chi2_sf(statistic, 2) == pytest.approx(math.exp(-statistic / 2), rel=1e-12)


def test_checker_passes_equal_counts_and_rejects_concentrated_ones():
    assert fairness_p_value([200] * 5) == 1.0
    assert fairness_p_value([1000, 0, 0, 0, 0]) < ALPHA
    # First page of 20 out of 25: the 20 same tools every time is as unfair as it gets.
    assert fairness_p_value([1000] * 20 + [0] * 5, shown=20) < ALPHA
    assert fairness_p_value([800] * 25, shown=20) == 1.0


# As the tests below use it: first position of 5 or 7 tools over HTTP, 25 through search(), a
# first page of 20 of 27.
@pytest.mark.parametrize(("tools", "shown", "officers"), [(5, 1, 200), (7, 1, 100), (25, 1, 1000), (27, 20, 200)])
def test_checker_rejects_a_fair_draw_at_the_rate_it_promises(tools, shown, officers):
    """Over many fair draws (random pages, no production code), p < 0.05 about 5 % of the time:
    the p-value and the scaling for pages of distinct tools are right (unscaled, a first page
    would never be rejected; a wrong p-value, far too often or never)."""
    rng = random.Random(20260504)  # fixed: the rate is measured, not left to chance
    runs = 400
    rejected = 0
    for _run in range(runs):
        counts = Counter(tool for _officer in range(officers) for tool in rng.sample(range(tools), shown))
        rejected += fairness_p_value([counts[tool] for tool in range(tools)], shown) < 0.05
    assert 0.01 < rejected / runs < 0.1, rejected


# --- the catalogue and the officers ---------------------------------------------------------
class Catalogue:
    """`count` published tools answering the criteria identically (the first-named is the newest,
    the last-named the oldest) and two that tell the criteria apart: one missing the preferred
    criterion, one missing the required one. Both are the oldest and alphabetically first, so that
    an alphabetical or a date order shows."""

    def __init__(self, count: int):
        tools_form, _rai = make_questionnaires()

        def tool(n, name, **answers):
            return tool_with(
                tools_form,
                {"offline": True, "deployment": "on-premises"} | answers,
                slug=f"fair-{n:02d}",
                name=name,
                created_at=NOON - datetime.timedelta(days=30 * (n + 1)),
            )

        self.matching = [tool(n, f"Analyser {chr(ord('A') + n)}") for n in range(count)]
        self.cloud = tool(count, "Aardvark Cloud Sorter", deployment="cloud")
        self.online = tool(count + 1, "Abacus Online Sorter", offline=False)

    def equal(self, criteria: str) -> list[Tool]:
        """The tools that match equally well: every tool without criteria, else `matching`."""
        return self.matching + [self.cloud, self.online] if criteria == "off" else self.matching

    def all(self) -> list[Tool]:
        return self.matching + [self.cloud, self.online]


def make_officers(count: int) -> list[User]:
    """Verified officers with fixed public ids (the fairness seed derives from them)."""
    User.objects.bulk_create(
        User(
            email=f"fair-officer-{n}@police.example.org",
            full_name=f"Officer {n}",
            role=User.Role.OFFICER,
            password="!",  # unusable: these officers are signed in by the test client
            public_id=uuid.uuid5(uuid.NAMESPACE_URL, f"saferhub-fairness-officer-{n}"),
        )
        for n in range(count)
    )
    users = list(User.objects.filter(email__startswith="fair-officer-").order_by("pk"))
    OfficerProfile.objects.bulk_create(
        OfficerProfile(
            user=user,
            agency="Agency",
            unit="Online child protection unit",
            country="FR",
            position="Investigator",
            reason="I investigate online child sexual exploitation.",
            status=OfficerProfile.Status.VERIFIED,
            decided_at=NOON,
            verified_until=NOON + datetime.timedelta(days=365),
        )
        for user in users
    )
    return users


@pytest.fixture
def frozen_day():
    with time_machine.travel(NOON, tick=False):
        yield


def recorded_exposure(tools: list[Tool]) -> tuple[list[int], list[int]]:
    """(first position, first page) counts per tool from production's exposure report; cleared after."""
    rows = {row.tool_id: row for row in exposure.report(DAY, DAY).rows}
    ExposureCount.objects.all().delete()
    return [rows[t.pk].first_position if t.pk in rows else 0 for t in tools], [
        rows[t.pk].first_page if t.pk in rows else 0 for t in tools
    ]


# --- the three paths --------------------------------------------------------------------------
def through_search(officers, selection):
    """What the catalogue view does for each officer's first page: search, record the exposure."""
    for officer in officers:
        results = search.search(selection, seed=search.fairness_seed(officer))
        exposure.record([result.tool_id for result in results[:PAGE_SIZE]])


def through_page(clients, criteria) -> list[list[str]]:
    """Each signed-in officer opens the catalogue page (criteria off), or ticks the criteria, which
    fetches the results through htmx (criteria on); the order of the cards (tool paths)."""
    orders = []
    headers = {"HX-Request": "true"} if criteria == "on" else {}
    for client in clients:
        response = client.get(CATALOGUE, PAGE_QUERIES[criteria], headers=headers)
        assert response.status_code == 200
        orders.append(CARD_LINK.findall(response.content.decode()))
    return orders


def through_api(clients, criteria) -> list[list[str]]:
    """Each officer asks the API with a personal token; the order of the results (slugs)."""
    orders = []
    for client in clients:
        response = client.get(API_TOOLS, API_QUERIES[criteria])
        assert response.status_code == 200, response.content
        orders.append([item["slug"] for item in response.json()["results"]])
    return orders


def page_clients(officers) -> list[Client]:
    return [sign_in(Client(), officer) for officer in officers]


def token_clients(officers) -> list[Client]:
    return [api_client(factories.make_api_token(officer)) for officer in officers]


def first_counts(orders, keys) -> list[int]:
    counter = Counter(order[0] for order in orders)
    return [counter[key] for key in keys]


# --- biased orders the controls force into production -----------------------------------------
def _positions_by(ordering):
    def fair_order(self, seed):
        return list(Tool.objects.filter(pk__in=list(self.slugs)).order_by(*ordering).values_list("pk", flat=True))

    return fair_order


def _nudged_towards_newest(original):
    """One officer in ten (by seed) gets the newest tool first, the rest their fair order."""

    def fair_order(self, seed):
        order = list(original(self, seed))
        if hashlib.sha256(seed.encode()).digest()[0] < 26:
            newest = Tool.objects.filter(pk__in=list(self.slugs)).order_by("-created_at").first().pk
            order.remove(newest)
            order.insert(0, newest)
        return order

    return fair_order


def force_bias(monkeypatch, bias):
    if bias == "oldest first":
        monkeypatch.setattr(search.CriteriaIndex, "fair_order", _positions_by(["created_at"]))
    elif bias == "alphabetical":
        monkeypatch.setattr(search.CriteriaIndex, "fair_order", _positions_by(["name"]))
    elif bias == "same order for every officer":
        # A regression that would look random to any one officer: the seed forgets who asks.
        monkeypatch.setattr(search, "fairness_seed", lambda user, day=None: (day or search.utc_today()).isoformat())
    elif bias == "one in ten nudged to the newest":
        original = search.CriteriaIndex.fair_order
        monkeypatch.setattr(search.CriteriaIndex, "fair_order", _nudged_towards_newest(original))
    else:
        raise AssertionError(bias)


# --- 1,000 officers through search.search() ------------------------------------------------------
def check_criteria_apart(catalogue, criteria, first, first_page):
    """With criteria on, the tool missing the preferred criterion comes after every equal one and
    the tool missing the required one never shows; the counts of the equal tools are returned."""
    equal = len(catalogue.equal(criteria))
    if criteria == "on":
        assert first[-2:] == [0, 0]
        assert first_page[-1] == 0
        assert first_page[-2] == (OFFICERS if equal < PAGE_SIZE else 0)
    return first[:equal], first_page[:equal]


@pytest.mark.parametrize("criteria", ["off", "on"])
@pytest.mark.parametrize("tool_count", [5, 25])
def test_search_gives_every_tool_the_same_exposure(frozen_day, tool_count, criteria):
    catalogue = Catalogue(tool_count)
    through_search(make_officers(OFFICERS), SELECTIONS[criteria])
    first, first_page = check_criteria_apart(catalogue, criteria, *recorded_exposure(catalogue.all()))
    assert sum(first) == OFFICERS
    print(f"\nsearch, {len(first)} equal tools, criteria {criteria}, first position: {describe(first)}")
    assert fairness_p_value(first) > ALPHA, first
    if len(first_page) > PAGE_SIZE:
        assert sum(first_page) == OFFICERS * PAGE_SIZE
        print(f"search, {len(first)} equal tools, criteria {criteria}, first page: {describe(first_page, PAGE_SIZE)}")
        assert fairness_p_value(first_page, shown=PAGE_SIZE) > ALPHA, first_page
    else:
        assert first_page == [OFFICERS] * len(first_page)


@pytest.mark.parametrize(
    ("bias", "criteria"),
    [
        ("oldest first", "off"),
        ("oldest first", "on"),
        ("alphabetical", "off"),
        ("same order for every officer", "on"),
        ("one in ten nudged to the newest", "off"),
        ("one in ten nudged to the newest", "on"),
    ],
)
def test_control_search_with_a_biased_order_is_reported_unfair(frozen_day, monkeypatch, criteria, bias):
    catalogue = Catalogue(25)
    force_bias(monkeypatch, bias)
    through_search(make_officers(OFFICERS), SELECTIONS[criteria])
    first, first_page = check_criteria_apart(catalogue, criteria, *recorded_exposure(catalogue.all()))
    print(f"\ncontrol {bias!r}, criteria {criteria}, first position: {describe(first)}")
    print(f"control {bias!r}, criteria {criteria}, first page: {describe(first_page, PAGE_SIZE)}")
    assert fairness_p_value(first) < ALPHA, first
    if bias != "one in ten nudged to the newest":
        # The nudge only moves one tool to the front: it is on the first page hardly more often.
        assert fairness_p_value(first_page, shown=PAGE_SIZE) < ALPHA, first_page


# --- signed-in officers through the catalogue page and the API -------------------------------------------
HTTP_TOOLS = 5


def check_http_path(through, clients, catalogue, key):
    """Both criteria settings through one path: {criteria: first position counts of the equal tools};
    the orders read back agree with the exposure production recorded."""
    p_values = {}
    recorded = Counter()
    all_keys = [key(tool) for tool in catalogue.all()]
    for criteria in ("off", "on"):
        orders = through(clients, criteria)
        if criteria == "off":
            assert all(sorted(order) == sorted(all_keys) for order in orders)
        else:
            assert all(order[-1] == key(catalogue.cloud) for order in orders)
            assert all(sorted(order[:-1]) == sorted(map(key, catalogue.matching)) for order in orders)
        first = first_counts(orders, [key(tool) for tool in catalogue.equal(criteria)])
        recorded.update(order[0] for order in orders)
        p_values[criteria] = first
    assert recorded_exposure(catalogue.all())[0] == [recorded[k] for k in all_keys]
    return p_values


PATHS = {
    "page": (
        through_page,
        page_clients,
        lambda tool: reverse("catalogue:tool_detail", args=[tool.slug]),
        PAGE_OFFICERS,
    ),
    "api": (through_api, token_clients, lambda tool: tool.slug, API_OFFICERS),
}


@pytest.mark.parametrize("path", ["page", "api"])
def test_officers_over_http_see_every_tool_first_equally_often(frozen_day, path):
    catalogue = Catalogue(HTTP_TOOLS)
    through, make_clients, key, officers = PATHS[path]
    clients = make_clients(make_officers(officers))
    for criteria, first in check_http_path(through, clients, catalogue, key).items():
        print(f"\n{path}, {officers} officers, criteria {criteria}, first position: {describe(first)}")
        assert fairness_p_value(first) > ALPHA, first


@pytest.mark.parametrize("path", ["page", "api"])
def test_control_over_http_an_oldest_first_order_is_reported_unfair(frozen_day, monkeypatch, path):
    catalogue = Catalogue(HTTP_TOOLS)
    through, make_clients, key, _officers = PATHS[path]
    clients = make_clients(make_officers(CONTROL_OFFICERS))
    force_bias(monkeypatch, "oldest first")
    for criteria, first in check_http_path(through, clients, catalogue, key).items():
        print(f"\ncontrol {path}, {CONTROL_OFFICERS} officers, criteria {criteria}, first position: {describe(first)}")
        assert fairness_p_value(first) < ALPHA, first


# --- exposure counting and the coordinators' report ------------------------------------------------
def test_buckets():
    assert [exposure.bucket_for(p) for p in (1, 2, 3, 4, 10, 11, 20, 21, 500)] == [1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_record_adds_to_existing_counts():
    tool_a, tool_b = factories.ToolFactory(published=True), factories.ToolFactory(published=True)
    exposure.record([tool_a.pk, tool_b.pk], day=DAY)
    exposure.record([tool_b.pk, tool_a.pk], day=DAY)
    exposure.record([tool_b.pk], first_position=21, day=DAY)
    rows = {(row.tool_id, row.position_bucket): row.count for row in ExposureCount.objects.filter(day=DAY)}
    assert rows == {(tool_a.pk, 1): 1, (tool_a.pk, 2): 1, (tool_b.pk, 1): 1, (tool_b.pk, 2): 1, (tool_b.pk, 5): 1}


def test_report_page_shows_table_and_chart(signed_in, coordinator):
    tool_a = factories.ToolFactory(published=True, name="Alpha Scanner")
    tool_b = factories.ToolFactory(published=True, name="Beta Sorter")
    today = search.utc_today()
    exposure.record([tool_a.pk, tool_b.pk], day=today)
    exposure.record([tool_b.pk, tool_a.pk], day=today)
    exposure.record([tool_b.pk, tool_a.pk], day=today)
    response = signed_in(coordinator).get(reverse("discovery:exposure_report"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alpha Scanner" in body and "Beta Sorter" in body
    rows = {row.name: row for row in response.context["report"].rows}
    assert rows["Alpha Scanner"].first_position == 1 and rows["Beta Sorter"].first_position == 2
    assert rows["Alpha Scanner"].first_page == 3
    assert "<svg" in body and body.count('class="exposure-bar"') == 2
    assert "style=" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_report_period_outside_the_list_is_400(signed_in, coordinator):
    response = signed_in(coordinator).get(reverse("discovery:exposure_report"), {"days": "10000"})
    assert response.status_code == 400


def test_report_is_for_coordinators_only(signed_in, verified_officer, provider_admin):
    for user in (verified_officer, provider_admin):
        assert signed_in(user).get(reverse("discovery:exposure_report")).status_code == 403


def test_coordinators_browsing_do_not_count(signed_in, coordinator):
    tools_form, _rai = make_questionnaires()
    tool_with(tools_form, {})
    signed_in(coordinator).get(reverse("discovery:catalogue"))
    assert not ExposureCount.objects.exists()
