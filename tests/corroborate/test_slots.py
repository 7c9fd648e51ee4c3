"""Slot by slot: numbers, days and clock times of two statements of one fact."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from newsfuse.analyse.model import Quantity, TimeExpression
from newsfuse.corroborate.slots import compare_days, compare_times, comparable, number_agreement
from newsfuse.corroborate.slots import compare_numbers as _compare
from newsfuse.corroborate.units import Unit


def _q(value: float, counts: str | None = "passengers", **kw) -> Quantity:  # type: ignore[no-untyped-def]
    return Quantity(0, 3, f"{value:g}", value, counts=counts, **kw)


def _unit(numbers: list[Quantity], clause: str = "x") -> Unit:
    return Unit(1, 0, 1, clause, 0, 1, clause, 0.0, numbers=tuple(numbers))


def compare_numbers(a: list[Quantity], b: list[Quantity]) -> bool | None:
    return _compare(_unit(a), _unit(b))


def test_numbers_of_one_thing_agree_or_conflict() -> None:
    assert compare_numbers([_q(212)], [_q(214)]) is False
    assert compare_numbers([_q(212)], [_q(212)]) is True
    at_least = _q(15, "people", low=15.0, qualifier="at least")
    assert compare_numbers([_q(17, "people")], [at_least]) is True  # vague and precise can both be true
    assert compare_numbers([_q(212)], [_q(9, "crew")]) is None  # two things: nothing to compare


def test_durations_vague_and_precise_agree() -> None:
    nearly_hour = Quantity(0, 5, "nearly an hour", 60.0, high=60.0, approx=True, unit="minute", qualifier="nearly")
    about_fifty = Quantity(0, 5, "about fifty minutes", 50.0, approx=True, unit="minute", qualifier="about")
    assert compare_numbers([nearly_hour], [about_fifty]) is True


def test_two_bounds_of_one_direction_with_other_figures_are_each_sources_count() -> None:
    six = _q(6, "people", low=6.0, qualifier="at least")
    seven = _q(7, "people", low=7.0, qualifier="at least")
    assert number_agreement(six, seven) is False


def test_figures_far_apart_are_two_figures_not_a_conflict() -> None:
    assert compare_numbers([_q(612, "people")], [_q(80, "people")]) is None
    billions = [Quantity(0, 4, "$3.5 billion", 3.5e9, unit="usd")], [Quantity(0, 4, "$7.7 billion", 7.7e9, unit="usd")]
    assert compare_numbers(*billions) is None


def test_counts_of_one_outcome_compare_whatever_the_verb() -> None:
    five = Quantity(0, 4, "five", 5.0, counts="people", verb="injuring")
    two = Quantity(0, 3, "two", 2.0, counts="villagers", verb="hurt")
    forty = Quantity(0, 2, "40", 40.0, verb="injured")
    dead = Quantity(0, 2, "12", 12.0, counts="people", verb="killed")
    toll = Quantity(0, 2, "24", 24.0)
    assert comparable(five, _unit([five]), two, _unit([two]))  # people injured, people hurt
    assert comparable(five, _unit([five]), forty, _unit([forty]))
    assert not comparable(five, _unit([five]), dead, _unit([dead]))  # injured are not killed
    assert comparable(dead, _unit([dead]), toll, _unit([toll], "the death toll has risen to 24"))
    assert not comparable(Quantity(0, 1, "6", 6.0), _unit([]), forty, _unit([forty]))  # "a 6-foot man"


def test_days() -> None:
    day = lambda d, last=None: TimeExpression(0, 5, "x", d, last=last)  # noqa: E731
    assert compare_days([day(date(2022, 1, 10))], [day(date(2022, 1, 10))]) is True
    assert compare_days([day(date(2022, 1, 10))], [day(date(2022, 1, 1), date(2022, 1, 31))]) is True
    assert compare_days([day(date(2022, 1, 10))], [day(date(2022, 1, 11))]) is False
    assert compare_days([day(date(2022, 1, 10))], [day(date(2022, 3, 11))]) is None  # another time, not a conflict


def test_times() -> None:
    t = lambda hm, tz=None: TimeExpression(0, 5, hm, date(2025, 3, 6), time=hm, timezone=tz)  # noqa: E731
    assert compare_times([t("07:40")], [t("08:40")]) is False
    assert compare_times([t("07:40", "GMT")], [t("08:40", "CET")]) is None  # zones differ: not compared
    assert compare_times([t("07:40")], [t("22:40")]) is None  # far apart: two times
    assert compare_times([t("07:10"), t("07:40")], [t("07:40")]) is True  # a time both give agrees


@given(st.floats(0, 1e6), st.floats(0, 1e6))
def test_number_agreement_is_symmetric(x: float, y: float) -> None:
    assert number_agreement(_q(x), _q(y)) == number_agreement(_q(y), _q(x))
