"""The representation measures, against values computed by hand."""

from fractions import Fraction

from events import fairness


def test_gini_is_zero_when_everyone_appears_equally():
    assert fairness.gini([2, 2, 2, 2]) == 0


def test_gini_when_one_provider_has_every_appearance():
    # Sorted [0, 0, 0, 4]: 2 * (4 * 4) / (4 * 4) - 5/4 = 3/4 = (n - 1) / n.
    assert fairness.gini([0, 4, 0, 0]) == Fraction(3, 4)


def test_gini_of_one_two_three():
    # Mean absolute difference over ordered pairs: (1 + 2 + 1) * 2 / 9 = 8/9; divided by 2 * mean (4): 2/9.
    assert fairness.gini([3, 1, 2]) == Fraction(2, 9)


def test_gini_is_undefined_without_appearances():
    assert fairness.gini([]) is None
    assert fairness.gini([0, 0]) is None


def test_max_min_ratio():
    assert fairness.max_min_ratio([2, 6, 3]) == 3
    assert fairness.max_min_ratio([5]) == 1
    # A provider that never appeared makes the ratio undefined (infinite).
    assert fairness.max_min_ratio([4, 0]) is None
    assert fairness.max_min_ratio([]) is None


def test_shares_and_equal_share():
    assert fairness.shares([6, 1, 1, 0]) == [Fraction(3, 4), Fraction(1, 8), Fraction(1, 8), 0]
    assert fairness.shares([0, 0]) == [0, 0]
    assert fairness.equal_share(4) == Fraction(1, 4)
    assert fairness.equal_share(0) is None


def test_over_represented_above_the_multiple_of_the_equal_share():
    # Equal share 1/4; twice that is 1/2; only 6/8 is above it.
    assert fairness.over_represented([6, 1, 1, 0], 2) == [0]
    # Exactly at the limit is not above it: 2/4 == 2 * 1/4.
    assert fairness.over_represented([2, 1, 1, 0], 2) == []
    assert fairness.over_represented([2, 1, 1, 0], 1.5) == [0]
    assert fairness.over_represented([], 2) == []
