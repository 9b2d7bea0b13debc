"""Pure measures of how evenly appearances are spread (no database, unit-tested by hand).

`values` are the appearances of every provider in the population, zeros included.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction


def shares(values: Sequence[int]) -> list[Fraction]:
    """Each value's share of the total (all zero when nothing happened)."""
    total = sum(values)
    return [Fraction(value, total) if total else Fraction(0) for value in values]


def equal_share(count: int) -> Fraction | None:
    """What each of `count` providers would have if all appeared equally often."""
    return Fraction(1, count) if count else None


def max_min_ratio(values: Sequence[int]) -> Fraction | None:
    """Largest over smallest value; None when there are no values or the smallest is 0 (undefined)."""
    if not values or min(values) <= 0:
        return None
    return Fraction(max(values), min(values))


def gini(values: Sequence[int]) -> Fraction | None:
    """The Gini coefficient: 0 when every value is equal, (n-1)/n when one provider has everything.

    G = sum over all pairs |x_i - x_j| / (2 n^2 mean), computed exactly on the sorted values as
    G = 2 * sum(i * x_i) / (n * sum(x)) - (n + 1) / n with i = 1..n. None for no values or a zero total."""
    n = len(values)
    total = sum(values)
    if n == 0 or total == 0:
        return None
    ordered = sorted(values)
    weighted = sum(index * value for index, value in enumerate(ordered, start=1))
    return Fraction(2 * weighted, n * total) - Fraction(n + 1, n)


def over_represented(values: Sequence[int], multiple: float) -> list[int]:
    """Indexes of the values whose share exceeds `multiple` times the equal share."""
    equal = equal_share(len(values))
    if equal is None:
        return []
    limit = equal * Fraction(str(multiple))
    return [index for index, share in enumerate(shares(values)) if share > limit]
