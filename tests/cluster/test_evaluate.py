"""B-cubed and pairwise scores against hand-computed values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse.evaluate import bcubed, pairwise

GOLD = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}


def test_perfect() -> None:
    assert bcubed(GOLD, GOLD).f1 == pairwise(GOLD, GOLD).f1 == 1.0


def test_all_in_one() -> None:
    one = {k: 0 for k in GOLD}
    s = bcubed(one, GOLD)
    assert s.recall == 1.0
    assert s.precision == pytest.approx((3 * 3 / 5 + 2 * 2 / 5) / 5)
    p = pairwise(one, GOLD)
    assert p.precision == pytest.approx(4 / 10) and p.recall == 1.0


def test_singletons_and_missing_items() -> None:
    s = bcubed({}, GOLD)  # missing items are singletons
    assert s.precision == 1.0
    assert s.recall == pytest.approx((3 * (1 / 3) + 2 * (1 / 2)) / 5)
    assert pairwise({}, GOLD).recall == 0.0


def test_one_split() -> None:
    pred = {"a": 1, "b": 1, "c": 3, "d": 2, "e": 2}
    s = bcubed(pred, GOLD)
    assert s.precision == 1.0
    assert s.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert pairwise(pred, GOLD).recall == pytest.approx(2 / 4)


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 3), min_size=1),
       st.lists(st.integers(0, 3), min_size=30, max_size=30))
def test_scores_are_bounded_and_label_names_do_not_matter(gold, labels) -> None:
    pred = {k: labels[i % 30] for i, k in enumerate(gold)}
    renamed = {k: f"x{v}" for k, v in pred.items()}
    for score in (bcubed, pairwise):
        s = score(pred, gold)
        assert 0.0 <= s.precision <= 1.0 and 0.0 <= s.recall <= 1.0 and 0.0 <= s.f1 <= 1.0
        assert score(renamed, gold) == s
