"""search.Ranking: the lazily read rank order gives exactly the eager one, read any way."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from discovery.search import Ranking


def eager(order, allowed, score):
    """The definition: preferred criteria met first (more first), then the fair order."""
    kept = [tool_id for tool_id in order if allowed is None or tool_id in allowed]
    return sorted(kept, key=lambda tool_id: -score.get(tool_id, 0))  # stable: the fair order within a score


def lazy(order, allowed, score):
    head = sorted((tool_id for tool_id in order if tool_id in score), key=lambda tool_id: -score[tool_id])
    return Ranking(head, order, allowed, score, len(order) if allowed is None else len(allowed))


@st.composite
def searches(draw):
    size = draw(st.integers(0, 1500))
    order = list(range(size))
    random.Random(draw(st.integers())).shuffle(order)
    allowed = None if draw(st.booleans()) else set(draw(st.lists(st.sampled_from(order), unique=True)) if order else [])
    pool = order if allowed is None else sorted(allowed)
    scored = draw(st.lists(st.sampled_from(pool), unique=True)) if pool else []
    score = {tool_id: draw(st.integers(1, 4)) for tool_id in scored}
    return order, allowed, score


@settings(max_examples=300, deadline=None)
@given(searches(), st.integers(-30, 1600), st.integers(-30, 1600), st.sampled_from([None, 1, 2, -1]))
def test_any_slice_or_position_is_that_of_the_eager_order(search, start, stop, step):
    order, allowed, score = search
    expected = eager(order, allowed, score)
    ranking = lazy(order, allowed, score)
    assert len(ranking) == len(expected)
    assert ranking[start:stop:step] == expected[start:stop:step]
    for position in (start, stop):
        if -len(expected) <= position < len(expected):
            assert ranking[position] == expected[position]
    assert list(ranking) == expected


def test_a_position_beyond_the_end_is_an_index_error():
    ranking = lazy([3, 1, 2], None, {})
    for position in (3, -4):
        try:
            ranking[position]
        except IndexError:
            continue
        raise AssertionError(f"position {position} answered")


def test_a_first_page_reads_only_the_start_of_the_fair_order():
    order = list(range(10_000))
    ranking = lazy(order, set(range(0, 10_000, 2)), {})
    assert ranking[:20] == list(range(0, 40, 2))
    assert ranking._scanned <= Ranking.CHUNK, "the whole order was gone through for one page"
