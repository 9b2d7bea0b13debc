"""The criteria index's fair orders are exactly `rank(match(...))`'s, computed with `fair_key`,
for every officer: the index keeps many officers' orders and computes them its own way."""

import pytest

from discovery import search
from discovery.search import PREFERRED, REQUIRED, Criterion

from .test_search_helpers import make_questionnaires, tool_with

pytestmark = pytest.mark.django_db

SEEDS = [f"officer-{n}:2026-03-01" for n in range(search.FAIR_ORDERS_KEPT + 3)]


@pytest.fixture
def catalogue():
    tools_form, _rai = make_questionnaires()
    for n in range(30):
        tool_with(tools_form, {"offline": n % 3 == 0, "workflow": ["triage"] if n % 2 else ["review"]})


def _expected(seed, selection):
    """The definition: every published tool matched, then ranked by score and fair_key."""
    index = search.criteria_index()
    index.load(selection)
    values = search.latest_values(None, list(selection))
    return [result.slug for result in search.rank(search.match(index.slugs.items(), selection, values), seed)]


def _searched(seed, selection):
    return [result.slug for result in search.search(selection, seed=seed)]


def test_every_officers_order_is_the_fair_key_order(catalogue):
    selection = {"offline": Criterion(PREFERRED, frozenset({"yes"}))}
    # Twice over more officers than orders kept: computed, dropped, computed again, and kept.
    for _round in range(2):
        for seed in SEEDS:
            assert _searched(seed, {}) == _expected(seed, {})
            assert _searched(seed, selection) == _expected(seed, selection)
    assert len({tuple(_searched(seed, {})) for seed in SEEDS}) == len(SEEDS)


SELECTIONS = [
    {"offline": Criterion(REQUIRED, frozenset({"yes"}))},
    {"offline": Criterion(REQUIRED, frozenset({"no"})), "workflow": Criterion(PREFERRED, frozenset({"triage"}))},
    {"offline": Criterion(PREFERRED, frozenset({"yes"})), "workflow": Criterion(PREFERRED, frozenset({"review"}))},
    {"offline": Criterion(PREFERRED, frozenset({"yes", "no"})), "workflow": Criterion(REQUIRED, frozenset({"review"}))},
    {"workflow": Criterion(REQUIRED, frozenset({"nothing-has-this"}))},
    {"workflow": Criterion(PREFERRED, frozenset({"nothing-has-this"}))},
]


@pytest.mark.parametrize("selection", SELECTIONS)
def test_required_and_preferred_criteria_together_rank_as_defined(catalogue, selection):
    for seed in SEEDS[:12]:
        assert _searched(seed, selection) == _expected(seed, selection)


def test_control_an_order_not_by_fair_key_is_caught(catalogue, monkeypatch):
    def by_slug(self, seed):
        return sorted(self.slugs, key=self.slugs.get)

    monkeypatch.setattr(search.CriteriaIndex, "fair_order", by_slug)
    assert any(_searched(seed, {}) != _expected(seed, {}) for seed in SEEDS[:3])
