"""Numbers: each surface form on short texts of our own, what is not a
quantity, normalisation, ``compatible``, the shipped examples' planted
number differences, the seeds' call durations, and property tests."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsfuse
from newsfuse.analyse.model import Quantity
from newsfuse.analyse.nlp import parse
from newsfuse.analyse.numbers import compatible, count_key, extract_numbers

from ..conftest import EXAMPLES, SEEDS, need

HOUR = 60.0
DAY = 1440.0


def one(text: str) -> Quantity:
    """The single quantity of ``text``."""
    qs = extract_numbers(text)
    assert len(qs) == 1, (text, qs)
    return qs[0]


def q(value: float, **kw) -> Quantity:
    """A hand-made Quantity for ``compatible`` tests."""
    return Quantity(start=0, end=1, text="x", value=value, **kw)


# --------------------------------------------------------------------------
# Forms

FORMS = [
    # text, expected fields of the one quantity
    ("The leaders spoke for 50 minutes.", dict(text="50 minutes", value=50, unit="minute", counts=None)),
    ("Up to 100,000 troops were massed there.",
     dict(text="Up to 100,000", value=100000, high=100000, low=None, qualifier="up to", counts="troops")),
    ("Moscow said it would withdraw 10,000 soldiers.", dict(value=10000, counts="soldiers", unit=None)),
    ("The war has killed more than 14,000 people.",
     dict(text="more than 14,000", value=14000, low=14000, high=None, qualifier="more than", counts="people")),
    ("The peninsula was annexed in 2014, officials said.", dict(text="2014", value=2014, unit="year-date")),
    ("They talked for about fifty minutes.", dict(value=50, unit="minute", approx=True, qualifier="about")),
    ("They talked for nearly an hour.",
     dict(text="nearly an hour", value=60, high=60, approx=True, unit="minute", qualifier="nearly")),
    ("The boat sank half an hour later.", dict(text="half an hour", value=30, unit="minute", approx=False)),
    ("The two-hour talks ended.", dict(text="two-hour", value=120, unit="minute", counts="talks")),
    ("Tens of thousands of soldiers are there.",
     dict(text="Tens of thousands", low=20000, high=99999, approx=True, counts="soldiers")),
    ("The city has 1.5 million residents.", dict(text="1.5 million", value=1.5e6, counts="residents")),
    ("The bank lent $2bn to the firm.", dict(text="$2bn", value=2e9, unit="usd")),
    ("The grant is worth €3.5 million.", dict(text="€3.5 million", value=3.5e6, unit="eur")),
    ("The club paid £40m for him.", dict(text="£40m", value=4e7, unit="gbp")),
    ("A fund of US$2 billion was set up.", dict(value=2e9, unit="usd")),
    ("It costs 5 million euros.", dict(text="5 million euros", value=5e6, unit="eur")),
    ("A 5.6-magnitude earthquake hit the coast.",
     dict(text="5.6-magnitude", value=5.6, unit="magnitude", counts="earthquake")),
    ("A quake of magnitude 6.1 hit the coast.", dict(text="6.1", value=6.1, unit="magnitude")),
    ("Prices rose by 15% last year.", dict(text="15%", value=15, unit="percent")),
    ("Prices rose by 15 per cent last year.", dict(text="15 per cent", value=15, unit="percent")),
    ("Prices rose by 15 percent last year.", dict(text="15 percent", value=15, unit="percent")),
    ("Rates went up by 2 percentage points.", dict(value=2, unit="percentage-point")),
    ("The village lies 3 km from the border.", dict(text="3 km", value=3, unit="km")),
    ("The village lies 2 miles from the border.", dict(value=3.218688, unit="km")),
    ("A dozen people were arrested.", dict(text="A dozen", value=12, counts="people")),
    ("Between 10 and 12 people were hurt.",
     dict(text="Between 10 and 12", value=10, low=10, high=12, qualifier="between", counts="people")),
    ("The storm injured 10-12 people.", dict(text="10-12", low=10, high=12, counts="people")),
    ("At least 15 injured were taken away.", dict(text="At least 15", low=15, qualifier="at least")),
    ("The rescuers said at least 15 people were injured.", dict(low=15, high=None, counts="people")),
    ("Officials counted 15 injured.", dict(value=15, counts="injured")),
    ("It lasted two or three days.", dict(low=2 * DAY, high=3 * DAY, approx=True, unit="minute")),
    ("Some 15 or more people waited.", dict(low=15, qualifier="or more", counts="people")),
    ("The meeting lasted an hour and a half.", dict(value=90, unit="minute")),
    ("The meeting lasted two and a half hours.", dict(value=150, unit="minute")),
    ("The flight took 90 seconds.", dict(value=1.5, unit="minute")),
    ("The strike lasted two weeks.", dict(value=14 * DAY, unit="minute")),
    ("A 63-year-old man was arrested.", dict(text="63-year-old", value=63, unit="age", counts="man")),
    ("Half a million people marched.", dict(text="Half a million", value=5e5, counts="people")),
    ("About 1.234,5 euros were stolen.", dict(value=1234.5, unit="eur", approx=True)),
    ("About 14 000 people fled.", dict(text="About 14 000", value=14000, counts="people")),
    ("Turnout was 1.234.567 voters.", dict(value=1234567, counts="voters")),
    ("The ship carried 212 passengers.", dict(value=212, counts="passengers")),
    ("The ship had nine crew members.", dict(value=9, counts="crew members")),
    ("The 9 members of crew were saved.", dict(value=9, counts="members of crew")),
    ("Seventeen people were treated.", dict(text="Seventeen", value=17, counts="people")),
    ("They sold one hundred and twelve cars.", dict(value=112, counts="cars")),
    ("They sold twenty-five thousand cars.", dict(value=25000, counts="cars")),
    ("Thousands of people marched.", dict(low=2000, high=9999, approx=True, counts="people")),
    ("Several hundred people marched.", dict(low=300, high=900, approx=True, counts="people")),
    ("It sold 48,000 of its new e-bikes.", dict(value=48000, counts="e-bikes")),
    ("The bikes were sold between 2022 and 2024.", dict(low=2022, high=2024, unit="year-date")),
    ("It happened in the 1990s.", dict(text="1990s", low=1990, high=1999, unit="year-date")),
    ("It happened in mid-2014.", dict(text="2014", unit="year-date")),
    ("The 2022 elections were close.", dict(unit="year-date", counts=None)),
    ("She brought 2000 soldiers.", dict(value=2000, unit=None, counts="soldiers")),
    ("It fell to -5 °C overnight.", dict(text="-5 °C", value=-5, unit="celsius")),
    ("It reached 86 °F at noon.", dict(value=30, unit="celsius")),
    ("Over 15,000+ fans came.", dict(low=15000)),
    ("About 30-odd people came.", dict(approx=True, counts="people")),
    ("The car drove at 100 km/h.", dict(value=100, unit="km/h")),
    ("She is now aged 63.", dict(value=63, unit="age")),
    ("A 10-member delegation arrived.", dict(text="10-member", value=10, counts="member")),
    ("It took an hour or so.", dict(text="an hour or so", value=60, approx=True)),
    ("Russia's 100,000 troops stayed.", dict(value=100000, counts="troops")),
    ("The loan of $2-3 billion was agreed.", dict(low=2e9, high=3e9, unit="usd")),
    ("The deal is worth $140- $150 million.", dict(low=1.4e8, high=1.5e8, unit="usd")),
    ("The offer was $140 - 150MM per year.", dict(low=1.4e8, high=1.5e8, unit="usd")),
    ("Damage was put at $US1 million.", dict(text="$US1 million", value=1e6, unit="usd")),
    ("The island is home to 120, 000 people.", dict(text="120, 000", value=120000, counts="people")),
    ("A 16 - year - old boy was hurt.", dict(value=16, unit="age", counts="boy")),
    ("Police named the man as Bryant Dalton, 39, of Philadelphia.", dict(value=39, unit="age")),
    ("Prices fell to -3 percent.", dict(value=-3, unit="percent")),
    ("It is 64 kilometres north of the city.", dict(value=64, unit="km")),
    ("It sailed 150 nautical miles west.", dict(value=277.8, unit="km")),
    ("The deal is worth 40 million pounds.", dict(value=4e7, unit="gbp")),
    ("It lasted a quarter of an hour.", dict(value=15, unit="minute")),
]


@pytest.mark.parametrize(("text", "expected"), FORMS, ids=[f[0][:40] for f in FORMS])
def test_forms(text: str, expected: dict) -> None:
    got = one(text)
    for key, want in expected.items():
        have = getattr(got, key)
        if isinstance(want, float | int) and not isinstance(want, bool) and have is not None:
            assert have == pytest.approx(want), (key, got)
        else:
            assert have == want, (key, got)


def test_several_in_one_sentence() -> None:
    qs = extract_numbers("All 212 passengers and nine crew members left; 17 people were hurt and 3 km of coast closed.")
    assert [(x.value, x.unit, x.counts) for x in qs] == [
        (212, None, "passengers"), (9, None, "crew members"), (17, None, "people"), (3, "km", None)]


def test_change_keeps_two_values_with_the_unit() -> None:
    qs = extract_numbers("Inflation rose from 10 to 12 percent.")
    assert [(x.value, x.unit, x.low) for x in qs] == [(10, "percent", None), (12, "percent", None)]


def test_attributive_duration_counts_the_event() -> None:
    assert one("The 50-minute “serious” discussion ended.").counts == "discussion"
    assert one("The 50-minute phone call ended.").counts == "phone call"


# --------------------------------------------------------------------------
# What is not a quantity

NOT_QUANTITIES = [
    "The talks open on January 10 in Geneva.",
    "The talks open on 10 January 2022.",
    "The talks open on Jan. 10, 2022.",
    "The talks open on the 10th. January.",
    "It was signed in March 2014 by both.",
    "It was signed on 30.12.2021 by both.",
    "It was signed on 2021-12-30 by both.",
    "It was signed on 12/30/21 by both.",
    "The call started at 15:35 (20:35 GMT).",
    "The ferry left at 7.10am and stopped at 10.30 a.m.",
    "It ran aground at 0640 GMT.",
    "It was published at 17h05.",
    "They met at 3 pm.",
    "For the second time they spoke.",
    "She came 10th in the race.",
    "It was the 2nd attempt.",
    "Call +1 202 555 0100 for details.",
    "Call (202) 555-0100 for details.",
    "Call 555-0100 for details.",
    "The A320 and the F-16 and COVID-19 are named.",
    "The new 5G network and 3D films arrived.",
    "It sells the Voltra City 2 model.",
    "He flew on Flight 370 that day.",
    "He lives at No. 10 and on route 66.",
    "Support is available 24/7.",
    "It won a 3-1 victory.",
    "The version 1.2.3 came out.",
    "On the one hand, it rained.",
    "Three of them left early.",
    "No one was injured.",
    "The Group of Seven met.",
    "They meet once a year.",
    "Two-thirds of voters agreed.",
    "It was a one-off event.",
    "It happened at 10: 30 p. m. on the day.",
    "The quake struck at 1353 (1023 GMT) there.",
    "It was after the 9 / 11 attacks.",
    "He lives near 473 East 52nd Street.",
    "He called 911 at once.",
]


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_not_quantities(text: str) -> None:
    assert extract_numbers(text) == []


def test_date_next_to_a_count_keeps_the_count() -> None:
    qs = extract_numbers("On 14 November 2024, 212 passengers left at 7:40 a.m. (0640 GMT).")
    assert [(x.value, x.counts) for x in qs] == [(212, "passengers")]


def test_year_is_not_a_count_of_years() -> None:
    year, duration = extract_numbers("In 2014 the war began; it has lasted 8 years.")
    assert (year.unit, year.value) == ("year-date", 2014)
    assert duration.unit == "minute" and duration.value == pytest.approx(8 * 365.25 * DAY)
    assert compatible(year, duration) is None


def test_empty_and_numberless_text() -> None:
    assert extract_numbers("") == []
    assert extract_numbers("Nothing here is counted at all.") == []


def test_accepts_the_shared_parse_and_reparses_a_foreign_one() -> None:
    text = "Up to 100,000 troops."
    assert extract_numbers(text, parse(text)) == extract_numbers(text)
    assert extract_numbers(text, parse("Something else entirely, longer.")) == extract_numbers(text)


# --------------------------------------------------------------------------
# Normalisation and compatibility


def test_spelled_and_digit_durations_normalise_alike() -> None:
    minutes = [one(t).value for t in ("for 50 minutes", "for fifty minutes", "the 50-minute talk")]
    assert minutes == [50, 50, 50]
    assert one("for nearly an hour").value == one("for 60 minutes").value == HOUR
    assert one("after half an hour").value == one("after thirty minutes").value == 30


def test_compatible_durations() -> None:
    nearly_hour, about_fifty, fifty = one("nearly an hour"), one("about fifty minutes"), one("lasted 50 minutes")
    for a, b in itertools.combinations([nearly_hour, about_fifty, fifty], 2):
        assert compatible(a, b) is True
    assert compatible(one("lasted 50 minutes"), one("lasted 40 minutes")) is False
    assert compatible(one("lasted 50 minutes"), one("lasted an hour and a half")) is False
    assert compatible(one("nearly an hour"), one("lasted 65 minutes")) is False  # nearly = not more
    assert compatible(one("nearly an hour"), one("lasted 45 minutes")) is False  # beyond 20 %


def test_nearly_a_precise_figure_stays_close_below_it() -> None:
    assert compatible(one("injured almost 50 people"), one("injured 40 people")) is False
    assert compatible(one("injured almost 50 people"), one("injured 47 people")) is True
    assert compatible(one("nearly an hour"), one("lasted 50 minutes")) is True  # a coarse unit: vaguer


def test_compatible_counts() -> None:
    assert compatible(one("212 passengers"), one("214 passengers")) is False
    assert compatible(one("212 passengers"), one("212 passengers")) is True
    assert compatible(one("at least 15 people"), one("17 people")) is True
    assert compatible(one("at least 15 people"), one("Seventeen people")) is True
    assert compatible(one("at least 15 people"), one("12 people")) is False
    assert compatible(one("more than 14,000 people"), one("14,000 people")) is True  # bounds are inclusive
    assert compatible(one("up to 100,000 troops"), one("tens of thousands of troops")) is True
    assert compatible(one("up to 100,000 troops"), one("120,000 troops")) is False
    assert compatible(one("between 10 and 12 people"), one("11 people")) is True
    assert compatible(one("between 10 and 12 people"), one("13 people")) is False
    assert compatible(one("about 100 people"), one("115 people")) is True
    assert compatible(one("9 crew members"), one("nine crew")) is True  # the same head: crew


def test_compatible_is_none_for_different_things() -> None:
    assert compatible(one("212 passengers"), one("221 people")) is None
    assert compatible(one("10,000 soldiers"), one("100,000 troops")) is None
    assert compatible(one("50 minutes"), one("50 percent")) is None
    assert compatible(one("$5 million"), one("€5 million")) is None
    assert compatible(q(15), q(15)) is None  # bare numbers: what they count is unknown


def test_compatible_money_and_percent() -> None:
    assert compatible(one("$2bn"), one("$2 billion")) is True
    assert compatible(one("$2bn"), one("$2.5 billion")) is False
    assert compatible(one("nearly 15%"), one("14.5 per cent")) is True


def test_compatible_tolerance_and_symmetry() -> None:
    a, b = q(50, unit="minute", approx=True), q(58, unit="minute")
    assert compatible(a, b) is True and compatible(b, a) is True
    assert compatible(a, b, tolerance=0.1) is False


def test_count_key() -> None:
    assert count_key("crew members") == count_key("members of crew") == count_key("crew") == "crew"
    assert count_key("coast guard vessels") == "vessel"
    assert count_key("people") == count_key("persons") == "person"
    assert count_key("casualties") == "casualty"
    assert count_key(None) is None


# --------------------------------------------------------------------------
# The shipped examples (fictional ferry story, planted differences)


@pytest.fixture(scope="module")
def ferry() -> dict[str, tuple[str, list[Quantity]]]:
    arts = newsfuse.clean_batch(newsfuse.read([need(EXAMPLES / "ferry")]))
    return {Path(a.origin).name: (a.text, extract_numbers(a.text)) for a in arts}


def _first(qs: list[Quantity], key: str) -> Quantity:
    return next(x for x in qs if count_key(x.counts) == key)


def _in_sentence_with(text: str, qs: list[Quantity], word: str) -> list[Quantity]:
    """The quantities whose sentence mentions ``word`` (how the brief stage aligns facts)."""
    out = []
    for x in qs:
        start = max(text.rfind(". ", 0, x.start), text.rfind("\n", 0, x.start)) + 1
        end = min(i for i in (text.find(". ", x.end), text.find("\n", x.end), len(text)) if i >= 0)
        if word in text[start:end].lower():
            out.append(x)
    return out


def test_examples_passengers(ferry: dict[str, tuple[str, list[Quantity]]]) -> None:
    passengers = {name: _first(qs, "passenger") for name, (_, qs) in ferry.items()}
    assert {name: p.value for name, p in passengers.items()} == {
        "coastal-herald.html": 212, "daily-meridian.txt": 212, "littoral-fr.txt": 212,
        "nws-wire.txt": 212, "rundschau-de.txt": 212, "valdoria-today.txt": 214}
    assert compatible(passengers["valdoria-today.txt"], passengers["nws-wire.txt"]) is False
    assert compatible(passengers["rundschau-de.txt"], passengers["nws-wire.txt"]) is True


def test_examples_injured(ferry: dict[str, tuple[str, list[Quantity]]]) -> None:
    injured = {}
    for name, (text, qs) in ferry.items():
        (x,) = [x for x in _in_sentence_with(text, qs, "injur") if count_key(x.counts) == "person"]
        injured[name] = x
    at_least = injured.pop("littoral-fr.txt")
    assert (at_least.low, at_least.high, at_least.qualifier) == (15, None, "at least")
    assert {x.value for x in injured.values()} == {17}  # "Seventeen people" everywhere else
    for name, other in injured.items():
        assert compatible(at_least, other) is True, name


def test_examples_crew_and_evacuation(ferry: dict[str, tuple[str, list[Quantity]]]) -> None:
    crews = [_first(qs, "crew") for _, qs in ferry.values()]
    assert len(crews) == 6 and {c.value for c in crews} == {9}
    evacuation = [x for _, qs in ferry.values() for x in qs if x.qualifier == "nearly" and x.unit == "minute"]
    assert len(evacuation) == 5 and {x.value for x in evacuation} == {180}
    texts = {x.text for _, qs in ferry.values() for x in qs}
    assert not texts & {"7:40", "07:40", "0640", "10:30", "8:40", "7.40", "06:40", "14", "20", "6", "10"}


# --------------------------------------------------------------------------
# The seeds (five real reports of the 30 December 2021 call)


@pytest.fixture(scope="module")
def seed_numbers() -> list[list[Quantity]]:
    arts = newsfuse.clean_batch(newsfuse.read([need(SEEDS)]))
    return [extract_numbers(a.text) for a in arts]


def test_seed_durations_agree(seed_numbers: list[list[Quantity]]) -> None:
    # The call's duration: a duration between half an hour and an hour and a half.
    durations = [[x for x in qs if x.unit == "minute" and 30 <= x.value <= 90] for qs in seed_numbers]
    assert all(durations), durations
    flat = [x for ds in durations for x in ds]
    assert {x.text for x in flat} >= {"nearly an hour", "about fifty minutes", "50 minutes", "50-minute"}
    for a, b in itertools.combinations(flat, 2):
        assert compatible(a, b) is True, (a.text, b.text)


def test_seed_counts(seed_numbers: list[list[Quantity]]) -> None:
    flat = [x for qs in seed_numbers for x in qs]
    texts = {x.text: x for x in flat}
    assert texts["up to 100,000"].high == 100000 and texts["up to 100,000"].counts == "troops"
    assert texts["more than 14,000"].low == 14000 and texts["more than 14,000"].counts == "people"
    assert texts["10,000"].counts == "soldiers"
    assert any(x.text == "tens of thousands" and x.counts in ("soldiers", "troops") for x in flat)
    years = [x for x in flat if x.unit == "year-date"]
    assert years and {x.value for x in years} == {2014}
    # Dates and clock times of the seeds are left to the date extractor.
    assert not any(x.value in (10, 12, 13, 7) and x.unit is None and x.counts is None for x in flat)
    assert not any(x.text in ("15:35", "20:35", "3:30") for x in flat)


# --------------------------------------------------------------------------
# Properties

FRAGMENTS = st.sampled_from([
    "50", "fifty", "minutes", "hour", "an", "a", "nearly", "up to", "100,000", "1.5", "million", "$", "€", "£",
    "bn", "m", "%", "per cent", "-", "–", "to", "and", "between", "or", "more", "at least", "2014", "1990s", "km",
    "January", "10", "15:35", "7.40am", "GMT", "+1", "555", "0100", "half", "dozen", "tens of thousands of",
    "people", "troops", "the", "of", "'s", "City", "No.", "/", ".", ",", "“", "”", "\n", "°C", "year-old", "s",
    "1.234,5", "14 000", "-5", "minus", "magnitude", "odd", "+", "two", "and a half",
])


SEPARATORS = [" ", "", " ", "-", "\u00a0", ", ", "\n"]


def _check_spans(text: str) -> None:
    qs = extract_numbers(text)
    last = 0
    for x in qs:
        assert 0 <= x.start < x.end <= len(text)
        assert text[x.start:x.end] == x.text
        assert x.start >= last  # in order, not overlapping
        last = x.end
        assert x.value == x.value  # not NaN
        if x.low is not None and x.high is not None:
            assert x.low <= x.high


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_property_arbitrary_text(text: str) -> None:
    _check_spans(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, max_size=14), st.lists(st.sampled_from(SEPARATORS), min_size=14, max_size=14))
def test_property_number_like_text(parts: list[str], seps: list[str]) -> None:
    _check_spans("".join(p + s for p, s in zip(parts, seps)))
