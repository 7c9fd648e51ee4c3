"""Quotes merged across translations and relays, their wordings and speakers; people's titles."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsfuse.analyse.model import Entity, Quote
from newsfuse.corroborate.quotes import QuoteItem, merge_quotes, wordings
from newsfuse.corroborate.roles import office, role_differences
from newsfuse.corroborate.sources import Sources
from newsfuse.model import Article


def _sources(n: int) -> Sources:
    return Sources.of([Article(id=f"a{i}", text="", paragraphs=[]) for i in range(1, n + 1)], {})


def _quote(source: int, text: str, speaker: str | None, channel: str | None = None, direct: bool = True) -> QuoteItem:
    q = Quote(0, len(text), text, speaker, "said", direct, channel=channel)
    return QuoteItem(source, q, text, f"{speaker} said it would be a {text}.")


def test_fragments_and_punctuation_are_one_wording() -> None:
    items = [_quote(1, "colossal mistake.", "Putin"), _quote(2, "colossal", "Putin"), _quote(3, "fatal mistake", "Putin")]
    assert [sorted(i.source for i in g) for _, g in wordings(items)] == [[1, 2], [3]]


def test_words_left_out_inside_a_quote_make_another_wording() -> None:
    items = [_quote(1, "That person is dangerous and needs to be found as soon as possible", "Hastings"),
             _quote(2, "That person needs to be found as soon as possible", "Hastings")]
    assert len(wordings(items)) == 2  # quotation marks promise the speaker's own words
    excerpt = [_quote(1, "That person is dangerous and needs to be found as soon as possible", "Hastings"),
               _quote(2, "needs to be found as soon as possible", "Hastings")]
    assert len(wordings(excerpt)) == 1  # a piece of the quote, word for word, is the same wording


def test_words_relayed_by_an_aide_are_the_speakers() -> None:
    items = [_quote(1, "colossal mistake", "Vladimir Putin", "Yury Ushakov"),
             _quote(2, "fatal mistake", "Yury Ushakov"),
             _quote(3, "grave mistake", "Vladimir Putin")]
    [merged] = merge_quotes(items, _sources(3))
    assert merged.speaker == "Vladimir Putin" and merged.channel == "Yury Ushakov" and len(merged.wordings) == 3


def test_one_statement_in_two_translations_is_one_quote_when_a_source_names_no_one() -> None:
    items = [_quote(1, "the North will shut down a nuclear test site in the country's northern side to prove the vow",
                    "the announcement"),
             _quote(2, "the North will shut down a nuclear test site in its northern region to prove its vow", None)]
    [merged] = merge_quotes(items, _sources(2))
    assert len(merged.wordings) == 2


def test_a_few_common_words_do_not_merge_unnamed_voices() -> None:
    items = [_quote(1, "serious consequences", None), _quote(2, "serious and important", "an official")]
    assert len(merge_quotes(items, _sources(2))) == 2


def test_different_speakers_different_statements_stay_apart() -> None:
    items = [_quote(1, "We will never accept these demands", "Lavrov"),
             _quote(2, "The harbour festival drew record crowds", "Mayor Jansen")]
    assert len(merge_quotes(items, _sources(2))) == 2


def test_the_same_words_given_to_two_people_are_a_difference_of_speaker() -> None:
    from newsfuse.brief.compose import _disagreements
    from newsfuse.corroborate import Corroboration

    s = _sources(3)
    items = [_quote(1, "We will not accept any ultimatum from anyone", "Anna Berg"),
             _quote(2, "We will not accept any ultimatum from anyone", "Anna Berg"),
             _quote(3, "We will not accept any ultimatum from anyone", "Oskar Lind")]
    c = Corroboration(s, [], None, [], merge_quotes(items, s), [], [])  # type: ignore[arg-type]
    [d] = _disagreements(c, {"Anna Berg", "Oskar Lind"})
    assert d.kind == "speaker" and [(v.value, v.sources) for v in d.variants] == [("Anna Berg", [1, 2]),
                                                                                  ("Oskar Lind", [3])]
    relayed = [_quote(1, "We will not accept any ultimatum", "Anna Berg", "Oskar Lind"),
               _quote(2, "We will not accept any ultimatum", "Oskar Lind")]
    c.quotes = merge_quotes(relayed, s)
    assert _disagreements(c, {"Anna Berg", "Oskar Lind"}) == []


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


def test_a_former_title_or_a_description_is_no_conflict() -> None:
    s = _sources(2)
    assert role_differences([_person("Barack Obama", {"a1": ["President"], "a2": ["then-Senator"]})], s) == []
    isaacs = _person("Cheryl Boone Isaacs", {"a1": ["Academy President"], "a2": ["Hollywood marketing executive"]})
    assert role_differences([isaacs], s) == []


@given(st.text(max_size=60))
def test_office_never_fails(role: str) -> None:
    got = office(role)
    assert got is None or (isinstance(got[0], str) and isinstance(got[1], frozenset))
