"""The corroboration signals one by one: sources, claims, quotes, facts and titles."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from newsfuse.analyse.model import Entity, Quantity, Quote, TimeExpression
from newsfuse.corroborate.claims import Unit, align, dependent
from newsfuse.corroborate.facts import Item, agree, differences, segment
from newsfuse.corroborate.quotes import QuoteItem, merge_quotes, wordings
from newsfuse.corroborate.roles import office, role_differences
from newsfuse.corroborate.sources import Sources
from newsfuse.model import Article


def _sources(n: int, copies: dict[int, int] | None = None) -> Sources:
    arts = [Article(id=f"a{i}", text="", paragraphs=[]) for i in range(1, n + 1)]
    return Sources.of(arts, {f"a{c}": f"a{o}" for c, o in (copies or {}).items()})


def test_copies_count_once() -> None:
    s = _sources(4, {4: 2})
    assert s.support([1, 2, 4]) == 2 and s.support([2, 4]) == 1
    assert s.is_copy(4) and not s.is_copy(2) and s.origin[4] == 2


# --- claims


def test_paraphrases_across_sources_are_one_claim_and_unrelated_ones_are_not() -> None:
    units = [Unit(1, 0, 10, "The ferry ran aground on a sandbank in thick fog on Thursday.", 0.0),
             Unit(2, 0, 10, "In dense fog on Thursday the ship struck a sandbank and became stuck.", 0.0),
             Unit(3, 0, 10, "The city council approved a new budget for public libraries.", 0.5)]
    claims = align(units, _sources(3))
    assert sorted(c.sources for c in claims) == [[1, 2], [3]]


def test_a_copy_joins_its_originals_claim_without_adding_support() -> None:
    s = _sources(3, {3: 1})
    text = "The ferry ran aground on a sandbank in thick fog on Thursday."
    units = [Unit(1, 0, 10, text, 0.0), Unit(3, 0, 10, text, 0.0),
             Unit(2, 0, 10, "In dense fog on Thursday the ship struck a sandbank and became stuck.", 0.0)]
    [claim] = align(units, s)
    assert claim.sources == [1, 2, 3] and s.support(claim.sources) == 2


def test_one_source_does_not_confirm_itself() -> None:
    units = [Unit(1, 0, 10, "The ferry ran aground on a sandbank in thick fog.", 0.0),
             Unit(1, 20, 30, "The ferry ran aground on a sandbank in thick fog on Thursday.", 0.5)]
    assert all(len(c.sources) == 1 for c in align(units, _sources(1)))


def test_dependent_sentences() -> None:
    assert dependent("Three of them were taken to hospital.")
    assert dependent("He added that talks would go on.")
    assert dependent("“The crew did everything right.")
    assert not dependent("Seventeen people were treated for minor injuries.")


# --- facts


def _q(value: float, counts: str | None = "passengers", **kw) -> Quantity:  # type: ignore[no-untyped-def]
    return Quantity(0, 3, f"{value:g}", value, counts=counts, **kw)


def _item(source: int, value: Quantity | TimeExpression, clause: str, kind: str = "number",
          key: str = "count:passenger") -> Item:
    return Item(kind, source, 0, 3, value.text, clause, (0, len(clause)), key, value)


def test_values_agree_compatibly_or_conflict() -> None:
    assert agree(_item(1, _q(212), ""), _item(2, _q(214), "")) is False
    assert agree(_item(1, _q(17, "people"), "", key="count:person"),
                 _item(2, _q(15, "people", low=15.0, qualifier="at least"), "", key="count:person")) is True
    assert agree(_item(1, _q(212), ""), _item(2, _q(9, "crew"), "", key="count:crew")) is None
    t = lambda hm, tz=None: TimeExpression(0, 5, hm, date(2025, 3, 6), time=hm, timezone=tz)  # noqa: E731
    assert agree(_item(1, t("07:40"), "", "time", "time"), _item(2, t("08:40"), "", "time", "time")) is False
    assert agree(_item(1, t("07:40", "GMT"), "", "time", "time"), _item(2, t("08:40", "CET"), "", "time", "time")) is None


def test_a_lone_value_against_the_majority_is_a_difference() -> None:
    clause = "All {} passengers and nine crew were brought to safety after the ferry ran aground."
    items = [_item(n, _q(212), clause.format(212)) for n in (1, 2, 3)] + [_item(4, _q(214), clause.format(214))]
    [d] = differences(items, _sources(4))
    assert [v for v, _ in d.variants] == ["212", "214"]
    assert [sorted({i.source for i in its}) for _, its in d.variants] == [[1, 2, 3], [4]]


def test_a_source_stating_both_values_is_no_conflict() -> None:
    clause = "The ferry carried {} passengers when it ran aground in fog."
    items = [_item(1, _q(212), clause.format(212)), _item(2, _q(214), clause.format(214)),
             _item(2, _q(212), clause.format(212))]
    assert differences(items, _sources(2)) == []


@given(st.text(min_size=1, max_size=80), st.integers(0, 79), st.integers(1, 10))
def test_segment_stays_in_its_sentence_and_holds_the_item(text: str, start: int, length: int) -> None:
    start = min(start, len(text) - 1)
    end = min(len(text), start + length)
    lo, hi = segment(text, (0, len(text)), start, end)
    assert 0 <= lo <= hi <= len(text)
    assert hi >= end or hi == len(text)


# --- quotes


def _quote(source: int, text: str, speaker: str | None, channel: str | None = None, direct: bool = True) -> QuoteItem:
    q = Quote(0, len(text), text, speaker, "said", direct, channel=channel)
    return QuoteItem(source, q, text, f"{speaker} said it would be a {text}.")


def test_fragments_and_punctuation_are_one_wording() -> None:
    items = [_quote(1, "colossal mistake.", "Putin"), _quote(2, "colossal", "Putin"), _quote(3, "fatal mistake", "Putin")]
    assert [sorted(i.source for i in g) for _, g in wordings(items)] == [[1, 2], [3]]


def test_words_relayed_by_an_aide_are_the_speakers() -> None:
    items = [_quote(1, "colossal mistake", "Vladimir Putin", "Yury Ushakov"),
             _quote(2, "fatal mistake", "Yury Ushakov"),
             _quote(3, "grave mistake", "Vladimir Putin")]
    [merged] = merge_quotes(items, _sources(3))
    assert merged.speaker == "Vladimir Putin" and merged.channel == "Yury Ushakov" and len(merged.wordings) == 3


def test_different_speakers_different_statements_stay_apart() -> None:
    items = [_quote(1, "We will never accept these demands", "Lavrov"),
             _quote(2, "The harbour festival drew record crowds", "Mayor Jansen")]
    assert len(merge_quotes(items, _sources(2))) == 2


# --- titles


def test_offices() -> None:
    assert office("Transport Minister") == ("minister", frozenset({"transport"}))
    assert office("US Undersecretary of State") == ("undersecretary", frozenset({"state"}))
    assert office("White House press secretary") == ("spokesperson", frozenset())
    assert office("Putin's foreign policy adviser") == ("aide", frozenset())
    assert office("Russian counterpart") is None


def _person(name: str, roles: dict[str, list[str]]) -> Entity:
    return Entity(id=name, name=name, label="PERSON", roles=roles, articles=list(roles))


def test_title_conflicts_and_compatible_titles() -> None:
    s = _sources(3)
    conflict = _person("Tomas Reyland", {"a1": ["Transport Minister"], "a2": ["Transport Minister"],
                                         "a3": ["Maritime Affairs Minister"]})
    synonyms = _person("Jen Psaki", {"a1": ["spokeswoman"], "a2": ["White House press secretary"],
                                     "a3": ["US presidential spokeswoman"]})
    both = _person("A. Person", {"a1": ["Defence Minister", "Deputy Prime Minister"], "a2": ["Defence Minister"]})
    [d] = role_differences([conflict, synonyms, both], s)
    assert d.person == "Tomas Reyland"
    assert d.variants == [("Transport Minister", [1, 2]), ("Maritime Affairs Minister", [3])]


@given(st.text(max_size=60))
def test_office_never_fails(role: str) -> None:
    got = office(role)
    assert got is None or (isinstance(got[0], str) and isinstance(got[1], frozenset))


def test_the_same_words_given_to_two_people_are_a_difference_of_speaker() -> None:
    from newsfuse.brief.compose import _disagreements
    from newsfuse.corroborate import Corroboration

    s = _sources(3)
    items = [_quote(1, "We will not accept any ultimatum from anyone", "Anna Berg"),
             _quote(2, "We will not accept any ultimatum from anyone", "Anna Berg"),
             _quote(3, "We will not accept any ultimatum from anyone", "Oskar Lind")]
    c = Corroboration(s, [], None, [], merge_quotes(items, s), [], [], [])  # type: ignore[arg-type]
    [d] = _disagreements(c, {"Anna Berg", "Oskar Lind"})
    assert d.kind == "speaker" and [(v.value, v.sources) for v in d.variants] == [("Anna Berg", [1, 2]),
                                                                                  ("Oskar Lind", [3])]
    relayed = [_quote(1, "We will not accept any ultimatum", "Anna Berg", "Oskar Lind"),
               _quote(2, "We will not accept any ultimatum", "Oskar Lind")]
    c.quotes = merge_quotes(relayed, s)
    assert _disagreements(c, {"Anna Berg", "Oskar Lind"}) == []


def test_days_agree_when_their_intervals_meet() -> None:
    day = lambda d, last=None: TimeExpression(0, 5, "x", d, last=last)  # noqa: E731
    item = lambda n, t: _item(n, t, "the talks take place in Geneva", "date", "day")  # noqa: E731
    assert agree(item(1, day(date(2022, 1, 10))), item(2, day(date(2022, 1, 10)))) is True
    assert agree(item(1, day(date(2022, 1, 10))), item(2, day(date(2022, 1, 1), date(2022, 1, 31)))) is True
    assert agree(item(1, day(date(2022, 1, 10))), item(2, day(date(2022, 1, 11)))) is False


def test_publication_stamps_are_not_facts() -> None:
    from newsfuse.corroborate.facts import _stamp

    assert _stamp("PUBLISHED: THURSDAY, MAY 2, 2013, 1:32 PM")
    assert _stamp("Updated: May 24, 2005, 3:23 PM ET")
    assert not _stamp("The ferry ran aground at 07:40 on Thursday after leaving Port Avel in thick fog.")


def test_values_far_apart_are_two_facts_not_a_conflict() -> None:
    from newsfuse.corroborate.facts import plausible

    assert plausible(_item(1, _q(212), ""), _item(2, _q(214), ""))
    assert plausible(_item(1, _q(11, "times"), ""), _item(2, _q(7, "times"), ""))
    assert not plausible(_item(1, _q(612, "people"), ""), _item(2, _q(80, "people"), ""))
    t = lambda hm: TimeExpression(0, 5, hm, date(2025, 3, 6), time=hm)  # noqa: E731
    assert plausible(_item(1, t("07:40"), "", "time", "time"), _item(2, t("08:40"), "", "time", "time"))
    assert not plausible(_item(1, t("07:40"), "", "time", "time"), _item(2, t("22:40"), "", "time", "time"))


def test_an_excerpt_of_a_quote_is_the_same_wording() -> None:
    items = [_quote(1, "That person is dangerous and needs to be found as soon as possible", "Hastings"),
             _quote(2, "That person needs to be found as soon as possible", "Hastings")]
    assert len(wordings(items)) == 1


def test_a_former_title_is_no_conflict() -> None:
    s = _sources(2)
    obama = _person("Barack Obama", {"a1": ["President"], "a2": ["then-Senator"]})
    assert role_differences([obama], s) == []


def test_a_converted_measure_agrees() -> None:
    miles = Quantity(0, 8, "30 miles", 48.28, unit="km")
    km = Quantity(0, 4, "48km", 48.0, unit="km")
    assert agree(_item(1, miles, "", key="km"), _item(2, km, "", key="km")) is True
    assert agree(_item(1, _q(212), ""), _item(2, _q(214), "")) is False  # same unit as written: no slack
