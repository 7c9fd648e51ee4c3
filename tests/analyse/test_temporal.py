"""Dates, base-date estimation and the timeline (newsfuse.analyse.temporal, basedate, timeline)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfuse.analyse.basedate import BaseDate, estimate_base_date, estimate_base_dates
from newsfuse.analyse.model import Sentence
from newsfuse.analyse.temporal import extract_dates, find_expressions, resolve
from newsfuse.analyse.timeline import build_timeline

from ..conftest import EXAMPLES, SEEDS, need

D = date.fromisoformat


def found(text: str, base: date | None, conf: float = 1.0) -> dict[str, tuple]:
    """{expression text: (value, last)} of a text."""
    return {e.text: (e.value, e.last) for e in extract_dates(text, base, base_confidence=conf)}


def one(text: str, base: date | None, conf: float = 1.0):
    exprs = extract_dates(text, base, base_confidence=conf)
    assert len(exprs) == 1, exprs
    return exprs[0]


def art(id: str, text: str, published: str | None = None, via: str | None = None, dateline: str | None = None):
    pub = datetime.fromisoformat(published).replace(tzinfo=timezone.utc) if published else None
    return SimpleNamespace(id=id, text=text, published=pub, published_via=via, dateline=dateline)


# --------------------------------------------------------------------------- weekdays

THU = D("2024-03-07")  # a Thursday


@pytest.mark.parametrize("text", ["The ministers met on Thursday.", "The ministers will meet on Thursday."])
def test_weekday_equal_to_the_base_day_is_the_base_day(text):
    assert one(text, THU).value == THU


def test_past_weekday_is_the_most_recent_one():
    assert one("The ministers met on Monday.", THU).value == D("2024-03-04")
    assert one("Lavrov said on Friday that talks had failed.", THU).value == D("2024-03-01")


def test_future_weekday_is_the_next_one():
    assert one("The ministers will meet on Monday.", THU).value == D("2024-03-11")
    assert one("The hearing is scheduled for Friday.", THU).value == D("2024-03-08")
    assert one("The board said it would open an inquiry on Monday.", THU).value == D("2024-03-11")


def test_next_and_last_weekday_are_strictly_after_and_before():
    got = found("They meet next Thursday; they met last Thursday.", THU)
    assert got["next Thursday"][0] == D("2024-03-14")
    assert got["last Thursday"][0] == D("2024-02-29")


def test_overnight_from_one_weekday_to_the_next_is_an_interval():
    e = one("The vote took place overnight from Thursday to Friday.", D("2024-03-08"))
    assert (e.value, e.last) == (D("2024-03-07"), D("2024-03-08"))
    e = one("They talked during the night from Thursday to Friday.", D("2024-03-07"))
    assert (e.value, e.last) == (D("2024-03-07"), D("2024-03-08"))


def test_weekday_with_a_date_picks_the_year_where_they_agree():
    e = one("The board opens an investigation on Monday, 10 March.", D("2025-03-06"))
    assert e.value == D("2025-03-10") and e.text == "Monday, 10 March"


# --------------------------------------------------------------------------- month-days and absolute dates


def test_month_day_without_year_takes_the_year_of_the_tense():
    assert one("The leaders spoke on December 7.", D("2022-01-05")).value == D("2021-12-07")
    assert one("Talks will take place on January 10.", D("2021-12-30")).value == D("2022-01-10")
    # no tense to go by: the nearest
    assert one("Talks: January 10, in Geneva.", D("2021-12-30")).value == D("2022-01-10")
    assert one("Talks: December 7, in Geneva.", D("2022-01-05")).value == D("2021-12-07")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The report was published on 7 December 2021.", "7 December 2021"),
        ("It was signed on December 7, 2021, in Paris.", "December 7, 2021"),
        ("Filed 2021-12-07 by the agency.", "2021-12-07"),
        ("Stand: 07.12.2021, amended later.", "07.12.2021"),
        ("Die Gespräche begannen am 7. Dezember 2021.", "7. Dezember 2021"),
        ("Les pourparlers ont eu lieu le 7 décembre 2021.", "7 décembre 2021"),
        ("Las conversaciones fueron el 7 de diciembre de 2021.", "7 de diciembre de 2021"),
    ],
)
def test_absolute_dates(text, expected):
    e = one(text, None)
    assert e.text == expected and e.value == D("2021-12-07") and not e.relative and e.confidence >= 0.9


def test_ranges_of_days():
    e = one("The summit runs Jan. 10-13 in Davos.", D("2021-12-30"))
    assert (e.text, e.value, e.last) == ("Jan. 10-13", D("2022-01-10"), D("2022-01-13"))
    e = one("The summit ran from 10-13 January.", D("2022-02-01"))
    assert (e.value, e.last) == (D("2022-01-10"), D("2022-01-13"))


def test_machine_translated_day_month():
    e = one("They meet at the forthcoming talks on the 10th. January in Geneva.", D("2021-12-30"))
    assert e.text == "10th. January" and e.value == D("2022-01-10")


def test_full_stop_after_a_month_name_is_not_part_of_the_date():
    e = one("The route stays closed until 20 March.", D("2025-03-06"))
    assert e.text == "20 March" and e.value == D("2025-03-20")
    assert one("Talks start on Jan. 10 in Geneva.", D("2021-12-30")).text == "Jan. 10"


# --------------------------------------------------------------------------- relative to the base


def test_relative_periods_and_days():
    got = found(
        "Talks follow next month. It rained last week. Earlier this week, prices rose. "
        "This morning the fog lifted. He arrived yesterday and leaves tomorrow.",
        THU,
    )
    assert got["next month"] == (D("2024-04-01"), D("2024-04-30"))
    assert got["last week"] == (D("2024-02-26"), D("2024-03-03"))
    assert got["Earlier this week"] == (D("2024-03-04"), D("2024-03-06"))
    assert got["This morning"] == (THU, THU)
    assert got["yesterday"] == (D("2024-03-06"),) * 2
    assert got["tomorrow"] == (D("2024-03-08"),) * 2


def test_ago_and_in():
    got = found("Two weeks ago the plant closed; in three weeks it reopens.", THU)
    assert got["Two weeks ago"][0] == D("2024-02-22")
    assert got["in three weeks"][0] == D("2024-03-28")


def test_year_parts_and_month_parts():
    text = "Russia annexed Crimea in 2014. A deal is expected in mid-January and another at the end of the year."
    got = found(text, D("2021-12-30"))
    assert got["2014"] == (D("2014-01-01"), D("2014-12-31"))
    assert got["mid-January"] == (D("2022-01-11"), D("2022-01-20"))
    assert got["the end of the year"] == (D("2021-12-01"), D("2021-12-31"))
    got = found("In the 1990s and between 2022 and 2024 sales fell; mid-2022 was worst.", None)
    assert got["1990s"] == (D("1990-01-01"), D("1999-12-31"))
    assert got["between 2022 and 2024"] == (D("2022-01-01"), D("2024-12-31"))
    assert got["mid-2022"] == (D("2022-05-01"), D("2022-08-31"))


def test_relative_expressions_inherit_the_base_confidence():
    sure = one("They met on Monday.", THU, conf=1.0).confidence
    unsure = one("They met on Monday.", THU, conf=0.5).confidence
    assert unsure < sure <= 1.0
    assert unsure <= 0.5
    # an absolute date does not depend on the base
    assert one("They met on 7 December 2021.", THU, conf=0.2).confidence >= 0.9


def test_without_a_base_only_what_the_text_dates_is_resolved():
    text = "The ferry ran aground on 6 March 2025. Two days later it was refloated. It sank on Friday."
    exprs = extract_dates(text, None)
    got = {e.text: e.value for e in exprs}
    assert got == {"6 March 2025": D("2025-03-06"), "Two days later": D("2025-03-08"), "Friday": None}


# --------------------------------------------------------------------------- counted from the previous date


def test_later_and_earlier_count_from_the_previous_date_not_the_base():
    got = found(
        "The ferry ran aground on 6 March 2025. Two days later it was refloated. "
        "The next day it sailed. A week earlier the radar had been fixed.",
        D("2025-04-01"),
    )
    assert got["Two days later"][0] == D("2025-03-08")
    assert got["The next day"][0] == D("2025-03-09")
    assert got["A week earlier"][0] == D("2025-03-02")


def test_before_a_date_counts_from_that_date():
    got = found("The board meets two days before January 10.", D("2021-12-30"))
    assert got["two days before"][0] == D("2022-01-08")


def test_talks_two_days_later_and_the_next_day():
    got = found(
        "The first talks will take place on January 10. Talks with NATO are scheduled two days later, "
        "and the OSCE meets the next day.",
        D("2021-12-30"),
    )
    assert got["two days later"][0] == D("2022-01-12")
    assert got["the next day"][0] == D("2022-01-13")


def test_a_count_from_an_event_we_cannot_date_is_not_a_date():
    """"A year after he became president" counts from an event, not from the last date the text
    named; "a day after that" counts from the day just told."""
    text = ("The queen has hosted state visits since 1952. We got him here less than a year after he became "
            "president. He flew in on 23 June 2016 and left a day after that, a day after the referendum.")
    got = [(text[e.start:text.index(" ", e.end + 1)], e.value) for e in extract_dates(text, D("2018-04-27"))]
    assert ("a year after he", None) in got  # found, and not placed in 1953
    assert ("a day after that,", D("2016-06-24")) in got and ("a day after the", None) in got


def test_a_count_does_not_reach_back_past_a_time_it_cannot_count_from():
    """"In July, it tested a missile, then a second one three weeks later": not three weeks after the
    day named paragraphs before, and not three weeks after the report."""
    got = found("Trump spoke on Wednesday. In July, it tested a missile, then a second one three weeks later.",
                D("2018-04-21"))
    assert got["three weeks later"] == (None, None)
    got = found("It tested a second missile three weeks later.", D("2018-04-21"))
    assert got["three weeks later"] == (None, None)


def test_a_month_of_this_last_or_next_year():
    got = found("In January this year, Trump cancelled a visit. The talks of March last year failed. "
                "A summit is planned for June next year.", D("2018-04-26"))
    assert got["January this year"] == (D("2018-01-01"), D("2018-01-31"))
    assert got["March last year"] == (D("2017-03-01"), D("2017-03-31"))
    assert got["June next year"] == (D("2019-06-01"), D("2019-06-30"))
    assert "this year" not in got  # one expression, not a month and a whole year
    assert "May last year" not in found("Theresa May last year invited him.", D("2018-04-26"))


# --------------------------------------------------------------------------- clock times


def test_clock_times_with_zones_belong_to_their_day():
    exprs = extract_dates("The call started at 15:35 (20:35 GMT) on Thursday.", D("2021-12-31"))
    times = [(e.text, e.time, e.timezone, e.value) for e in exprs if e.time]
    assert times == [("15:35", "15:35", None, D("2021-12-30")), ("20:35 GMT", "20:35", "GMT", D("2021-12-30"))]


@pytest.mark.parametrize(
    "text, time, zone",
    [
        ("It struck the bank at 8:40 a.m. on the crossing.", "08:40", None),
        ("It struck the bank at 07:40 local time.", "07:40", "local"),
        ("It struck the bank at 7.40am.", "07:40", None),
        ("It struck the bank at 0640 GMT.", "06:40", "GMT"),
        ("Publié à 17h05.", "17:05", None),
        ("The call is set for 3:30 pm (Miami time).", "15:30", "Miami"),
        ("The truce began at midnight.", "00:00", None),
        ("At 9:00 Moscow time the talks began.", "09:00", "Moscow"),
        ("It ended at 10:30 every time.", "10:30", None),
    ],
)
def test_clock_times(text, time, zone):
    e = one(text, D("2025-03-06"))
    assert (e.time, e.timezone, e.value) == (time, zone, D("2025-03-06"))
    assert text[e.start : e.end] == e.text


def test_zone_words_must_be_capitalised():
    got = [(e.text, e.timezone) for e in extract_dates("Entre 15:35 et 16:00.", THU)]
    assert got == [("15:35", None), ("16:00", None)]


def test_a_time_takes_the_last_day_named_before_it():
    exprs = extract_dates("The ferry ran aground on Thursday morning. It had left at 07:10.", D("2025-03-07"))
    assert [e.value for e in exprs] == [D("2025-03-06"), D("2025-03-06")]


# --------------------------------------------------------------------------- not dates


@pytest.mark.parametrize(
    "text",
    [
        "10 soldiers died in a 5.6 magnitude quake.",
        "They may 10 times march 20 miles.",
        "Valdoria Today reported it.",
        "They spoke for the second time in a month.",
        "The plant was built in two years.",
        "Up to 100,000 troops and 14,000 people, 50 minutes, 3.5 percent.",
        "Mayo Clinic and Marco Rubio said so.",
        "The score was 2:1 after 90 minutes.",
    ],
)
def test_numbers_that_are_not_dates(text):
    assert extract_dates(text, D("2025-03-06")) == []


# --------------------------------------------------------------------------- base dates

FUTURE_TALKS = (
    "The two leaders spoke on Thursday. Their negotiators will meet next month: "
    "the talks will take place on January 10 in Geneva. The last time they spoke was on December 7."
)


def test_trustworthy_publication_dates_are_kept():
    got = estimate_base_dates([art("a", "Nothing dated.", "2024-03-07T10:00:00", "html")])
    assert got["a"] == BaseDate(D("2024-03-07"), "published", 1.0)


def test_next_months_talks_place_the_writing_in_the_month_before():
    # a scrape-day date line weeks later is only an upper bound
    got = estimate_base_dates([art("a", FUTURE_TALKS, "2022-01-18", "date-line")])["a"]
    assert got.via == "estimated-from-text"
    assert D("2021-12-08") <= got.value <= D("2021-12-31") and got.value.weekday() in (3, 4)
    dates = {e.text: e.value for e in extract_dates(FUTURE_TALKS, got.value, base_confidence=got.confidence)}
    assert dates["January 10"] == D("2022-01-10") and dates["December 7"] == D("2021-12-07")


def test_a_date_line_weeks_after_the_story_is_an_upper_bound():
    story = [
        art("a", "The ferry ran aground on Thursday.", "2025-03-06T14:20:00", "html"),
        art("b", "The ferry ran aground on Thursday. On Friday it was refloated.", "2025-03-21", "date-line"),
    ]
    got = estimate_base_dates(story)["b"]
    assert got.value == D("2025-03-07") and got.via == "estimated-from-story"


def test_a_date_line_the_story_confirms_is_the_publication_date():
    story = [
        art("a", "The ferry ran aground on Thursday.", "2025-03-06T14:20:00", "html"),
        art("b", "The ferry ran aground on Thursday. It was refloated this Friday.", "2025-03-07", "date-line"),
    ]
    assert estimate_base_dates(story)["b"] == BaseDate(D("2025-03-07"), "published", 0.85)


def test_a_wire_dateline_is_used():
    story = [
        art("a", "The ferry ran aground on Thursday.", "2025-03-06T14:20:00", "html"),
        art("w", "A ferry ran aground on Thursday morning.", dateline="PORT AVEL, March 6 (NWS)"),
    ]
    assert estimate_base_dates(story)["w"].value == D("2025-03-06")


def test_other_articles_give_the_base_of_an_undated_one():
    story = [art("a", "Talks were held on Monday.", "2024-03-07T09:00:00", "feed"), art("b", "Talks were held Monday.")]
    got = estimate_base_date(story[1], story)
    assert got.value in (D("2024-03-04"), D("2024-03-05"), D("2024-03-06"), D("2024-03-07"))
    assert got.via == "estimated-from-story" and 0 < got.confidence < 1


def test_no_evidence_no_base():
    assert estimate_base_dates([art("a", "Talks were held on Monday.")])["a"] == BaseDate(None, "none", 0.0)


# --------------------------------------------------------------------------- timeline


def _items(articles, bases=None):
    out = []
    for a in articles:
        base = (bases or {}).get(a.id, BaseDate(None, "none", 0.0))
        out.append((a.id, a.text, extract_dates(a.text, base.value, base_confidence=base.confidence), []))
    return out


def test_timeline_merges_days_across_sources_and_sorts_them():
    a = art("a", "The talks will be held on January 10 in Geneva. Crimea was annexed in 2014.")
    b = art("b", "Talks in Geneva will take place on January 10. The leaders last spoke on December 7.")
    base = {x: BaseDate(D("2021-12-30"), "published", 1.0) for x in "ab"}
    tl = build_timeline(_items([a, b], base))
    assert [(t.value, t.last) for t in tl] == [
        (D("2014-01-01"), D("2014-12-31")),
        (D("2021-12-07"), D("2021-12-07")),
        (D("2022-01-10"), D("2022-01-10")),
    ]
    jan10 = tl[-1]
    assert jan10.sources == ["a", "b"] and len(jan10.spans) == 2 and "Geneva" in jan10.what
    texts = {"a": a.text, "b": b.text}
    assert all(texts[aid][lo:hi] in (a.text + b.text) for aid, lo, hi in jan10.spans)


def test_timeline_keeps_the_clause_of_each_date():
    a = art("a", "Those talks in Geneva will take place on January 10, while NATO will meet on January 12.")
    tl = build_timeline(_items([a], {"a": BaseDate(D("2021-12-30"), "published", 1.0)}))
    assert [t.what for t in tl] == [
        "Those talks in Geneva will take place on January 10",
        "NATO will meet on January 12.",
    ]


def test_timeline_uses_given_sentences_and_drops_unsure_dates():
    text = "They met on Monday. Nothing else."
    exprs = extract_dates(text, D("2024-03-07"), base_confidence=0.3)
    tl = build_timeline([("a", text, exprs, [Sentence(0, 19, text[:19])])])
    assert tl == []
    tl = build_timeline([("a", text, exprs, [Sentence(0, 19, text[:19])])], min_confidence=0.0)
    assert tl[0].what == "They met on Monday." and tl[0].spans == [("a", 0, 19)]


# --------------------------------------------------------------------------- the shipped examples


@pytest.fixture(scope="module")
def ferry():
    import newsfuse

    arts = newsfuse.clean_batch(newsfuse.read([str(EXAMPLES / "ferry")]))
    return {a.origin.rsplit("/", 1)[-1]: a for a in arts}


def test_ferry_base_dates(ferry):
    got = estimate_base_dates(list(ferry.values()))
    by_file = {name: got[a.id] for name, a in ferry.items()}
    assert by_file["coastal-herald.html"] == BaseDate(D("2025-03-06"), "published", 1.0)
    assert by_file["nws-wire.txt"].value == D("2025-03-06")  # from its dateline "March 6"
    assert by_file["daily-meridian.txt"].value == D("2025-03-06")
    assert by_file["littoral-fr.txt"].value == D("2025-03-07")
    # its page date (21 March) is the scrape day; the text says Friday's refloating is over
    assert by_file["rundschau-de.txt"].value == D("2025-03-07")
    assert by_file["valdoria-today.txt"].value == D("2025-03-06")


def test_ferry_times_and_timeline(ferry):
    arts = list(ferry.values())
    bases = estimate_base_dates(arts)
    items = _items(arts, bases)
    times = {(name, e.time) for name, (aid, _, exprs, _) in zip(ferry, items) for e in exprs if e.time}
    assert ("rundschau-de.txt", "08:40") in times and ("coastal-herald.html", "07:40") in times
    assert all(e.value == D("2025-03-06") for _, _, exprs, _ in items for e in exprs if e.time in ("07:40", "08:40"))
    tl = {t.value: t for t in build_timeline(items)}
    assert len(tl[D("2025-03-06")].sources) == 6
    assert "investigation" in tl[D("2025-03-10")].what
    assert tl[D("2024-11-14")].sources and "engine" in tl[D("2024-11-14")].what
    assert "20" in tl[D("2025-03-20")].what
    assert tl[D("2025-04-01")].last == D("2025-04-30") and "hearing" in tl[D("2025-04-01")].what


# --------------------------------------------------------------------------- the seeds


@pytest.fixture(scope="module")
def seeds_analysed():
    import newsfuse
    from newsfuse.analyse.nlp import parse

    arts = newsfuse.clean_batch(newsfuse.read([str(need(SEEDS))]))
    assert not any(a.published_via in ("field", "html", "feed", "url") for a in arts)  # nothing trustworthy
    docs = {a.id: parse(a.text) for a in arts}
    exprs = {a.id: find_expressions(a.text, docs[a.id]) for a in arts}
    bases = estimate_base_dates(arts, docs, expressions=exprs)
    dates = {a.id: resolve(exprs[a.id], a.text, bases[a.id].value, bases[a.id].confidence) for a in arts}
    return arts, bases, dates


def test_seed_base_dates_are_estimated_in_the_week_of_the_call(seeds_analysed):
    arts, bases, _ = seeds_analysed
    for a in arts:
        b = bases[a.id]
        assert b.via in ("estimated-from-text", "estimated-from-story"), (a.origin, b)
        assert D("2021-12-30") <= b.value <= D("2021-12-31"), (a.origin, b)
    # the page date of 18 January 2022 is the scrape day, not the writing day
    dated = next(a for a in arts if a.published is not None)
    assert bases[dated.id].value < dated.published.date()


def test_seed_call_resolves_to_the_night_of_30_to_31_december(seeds_analysed):
    arts, _, dates = seeds_analysed
    days = {(e.text, e.value, e.last) for a in arts for e in dates[a.id]}
    assert ("overnight from Thursday to Friday", D("2021-12-30"), D("2021-12-31")) in days
    thursdays = {e.value for a in arts for e in dates[a.id] if e.text.startswith("Thursday")}
    assert thursdays == {D("2021-12-30")}
    # "started at 15:35 (20:35 GMT)": on the call's day
    assert {(e.time, e.timezone, e.value) for a in arts for e in dates[a.id] if e.time} >= {
        ("15:35", None, D("2021-12-30")),
        ("20:35", "GMT", D("2021-12-30")),
    }


def test_seed_timeline_has_the_talks_with_their_places_and_the_previous_call(seeds_analysed):
    arts, _, dates = seeds_analysed
    tl = {(t.value, t.last): t for t in build_timeline([(a.id, a.text, dates[a.id], []) for a in arts])}
    day = lambda s: tl[(D(s), D(s))]  # noqa: E731
    assert "Geneva" in day("2022-01-10").what and len(day("2022-01-10").sources) == 5
    # the seeds name the organisations, not the cities (Brussels, Vienna)
    assert "NATO" in day("2022-01-12").what and len(day("2022-01-12").sources) >= 3
    assert "OSCE" in day("2022-01-13").what or "Security and Co" in day("2022-01-13").what
    assert len(day("2021-12-07").sources) >= 2 and "December 7" in day("2021-12-07").what
    assert len(day("2021-12-30").sources) >= 3
    assert (D("2014-01-01"), D("2014-12-31")) in tl
    values = [k for k in tl]
    assert values == sorted(values)


def test_seeds_without_their_page_date_have_no_year(seeds_analysed):
    """No seed names a year but 2014: without the scrape-day upper bound the
    writing year cannot be known, and the estimate says so."""
    arts, _, _ = seeds_analysed
    bare = [art(a.id, a.text) for a in arts]
    assert all(b.value is None and b.via == "none" for b in estimate_base_dates(bare).values())


# --------------------------------------------------------------------------- properties

_WORDS = (
    "January Jan. Dec. December March May may 7 10 10th 13 29 31 2021 1999 0001 9999 999 - – to the of on in at next "
    "last this Thursday Friday Monday jeudi Januar janvier de enero 15:35 (20:35 GMT) 8:40 a.m. 7.40am 0640 17h05 noon "
    "two days weeks later earlier ago before after a week month year decades following overnight from , . ; Today "
    "yesterday tomorrow early mid- late end Christmas Eve 30.12.2021 2021-12-30 12/30/2021 between and since until "
    "will spoke said is scheduled 1990s February Feb. \n"
).split(" ")
date_like = st.lists(st.sampled_from(_WORDS), max_size=30).map(" ".join)
any_text = st.one_of(st.text(max_size=200), date_like)
bases = st.one_of(st.none(), st.dates(), st.just(date.max), st.just(date.min))


def _check_spans(text, exprs):
    for e in exprs:
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start : e.end] == e.text
        assert 0.0 <= e.confidence <= 1.0
        assert (e.value is None) == (e.last is None)
        if e.value is not None:
            assert e.last >= e.value


@settings(max_examples=150)
@given(any_text, bases, st.floats(0, 1))
def test_extract_dates_never_crashes_and_spans_are_in_the_text(text, base, conf):
    _check_spans(text, extract_dates(text, base, base_confidence=conf))


@settings(max_examples=60)
@given(st.lists(any_text, min_size=1, max_size=3), st.sampled_from([None, "date-line", "warc", "html"]), st.dates())
def test_estimation_and_timeline_never_crash(texts, via, pub):
    arts = [art(str(i), t, pub.isoformat() if via else None, via, dateline=t[:40]) for i, t in enumerate(texts)]
    got = estimate_base_dates(arts)
    assert set(got) == {a.id for a in arts}
    for b in got.values():
        assert b.via in ("published", "estimated-from-story", "estimated-from-text", "none")
        assert (b.value is None) == (b.via == "none") and 0.0 <= b.confidence <= 1.0
    items = _items(arts, got)
    for _, text, exprs, _ in items:
        _check_spans(text, exprs)
    texts_by_id = {a.id: a.text for a in arts}
    for entry in build_timeline(items, min_confidence=0.0):
        assert entry.value <= entry.last and entry.sources
        for aid, lo, hi in entry.spans:
            assert 0 <= lo < hi <= len(texts_by_id[aid])
