"""Quotes and attributions: quotation-mark conventions, speakers, channels, reported speech."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsfuse
from newsfuse.analyse.quotes import extract_quotes, find_quoted_spans, reporting_lemma

from ..conftest import EXAMPLES, SEEDS, need


def direct(text: str, **kw) -> list:
    return [q for q in extract_quotes(text, **kw) if q.direct]


def indirect(text: str) -> list:
    return [q for q in extract_quotes(text) if not q.direct]


def only(quotes: list):
    assert len(quotes) == 1, quotes
    return quotes[0]


def check_spans(text: str, quotes: list) -> None:
    for q in quotes:
        assert 0 <= q.start <= q.end <= len(text)
        assert text[q.start : q.end] == q.text
        for s, e in q.parts:
            assert q.start <= s <= e <= q.end
        if q.speaker_start is not None:
            assert 0 <= q.speaker_start <= q.speaker_end <= len(text)
        if q.cue_start is not None:
            assert 0 <= q.cue_start <= q.cue_end <= len(text)


# --------------------------------------------------------------------------- quotation marks


@pytest.mark.parametrize(
    "text, inside",
    [
        ("She said “the ferry is safe” on Monday.", "the ferry is safe"),
        ('She said "the ferry is safe" on Monday.', "the ferry is safe"),
        ("Elle a dit « le ferry est sûr » lundi.", "le ferry est sûr"),
        ("Elle a dit «le ferry est sûr» lundi.", "le ferry est sûr"),
        ("Er sagte „die Fähre ist sicher“ am Montag.", "die Fähre ist sicher"),
        ("Er sagte »die Fähre ist sicher« am Montag.", "die Fähre ist sicher"),
        ("She said ‘the ferry is safe’ on Monday.", "the ferry is safe"),
        ("Elle a dit ‹ le ferry est sûr › lundi.", "le ferry est sûr"),
        ("She said ''the ferry is safe'' on Monday.", "the ferry is safe"),
        ("She said ``the ferry is safe'' on Monday.", "the ferry is safe"),
    ],
)
def test_every_convention_is_read(text: str, inside: str) -> None:
    assert [text[s:e] for s, e in find_quoted_spans(text)] == [inside]


def test_apostrophes_are_not_quotes() -> None:
    text = "The captain’s log and the passengers’ bags were saved; it wasn’t ‘luck’."
    assert [text[s:e] for s, e in find_quoted_spans(text)] == ["luck"]


def test_an_unclosed_mark_does_not_swallow_the_text() -> None:
    text = 'The minister said "we will see.\n\nThe harbour reopened on Friday. Nobody was hurt.'
    assert find_quoted_spans(text) == []


def test_an_unclosed_mark_gives_way_to_the_next_quote() -> None:
    text = 'He called it "a disgrace and then said "we will appeal."'
    assert [text[s:e] for s, e in find_quoted_spans(text)] == ["we will appeal."]


def test_a_translation_with_the_wrong_mark_still_closes() -> None:
    text = "“It would be a grave error, “he added."
    assert [text[s:e] for s, e in find_quoted_spans(text)] == ["It would be a grave error,"]


def test_a_quote_running_over_two_paragraphs() -> None:
    text = "“The first paragraph of the statement goes on.\n\n“The second one ends it,” she said."
    spans = [text[s:e] for s, e in find_quoted_spans(text)]
    assert spans == ["The first paragraph of the statement goes on.", "The second one ends it,"]


def test_nested_quotes_keep_the_outer_one() -> None:
    text = "“He told me ‘never again’ that night,” she said."
    assert [text[s:e] for s, e in find_quoted_spans(text)] == ["He told me ‘never again’ that night,"]


# --------------------------------------------------------------------------- speakers


def test_quote_then_speaker_and_verb() -> None:
    q = only(direct("“The crossing will reopen next week,” Hanna Lindqvist said."))
    assert q.text == "The crossing will reopen next week,"
    assert q.speaker == "Hanna Lindqvist" and q.cue == "said"


def test_quote_then_verb_and_speaker() -> None:
    text = "“The crossing will reopen next week,” said Hanna Lindqvist, the chief executive."
    q = only(direct(text))
    assert q.speaker == "Hanna Lindqvist"
    assert "Lindqvist" in text[q.speaker_start : q.speaker_end]


def test_speaker_and_verb_before_a_colon() -> None:
    q = only(direct("The minister told reporters: “Nobody should draw conclusions yet.”"))
    assert q.speaker == "The minister" and q.cue == "told"


def test_a_noun_phrase_speaker_keeps_its_title() -> None:
    text = "“We are still counting,” coast guard spokeswoman Ilse Marten told reporters."
    q = only(direct(text))
    assert q.speaker == "Ilse Marten"
    assert text[q.speaker_start : q.speaker_end] == "coast guard spokeswoman Ilse Marten"


def test_title_and_name_before_the_verb_read_off_the_words() -> None:
    q = only(direct("“We will find out what happened,” Port Avel police chief Anna Berg said on Monday."))
    assert "Berg" in q.speaker


def test_byline_dash_and_translated_so() -> None:
    assert only(direct("“The crew were heroes.” ― Maria Lund")).speaker == "Maria Lund"
    q = only(direct("„Nobody should draw conclusions“, so Reyland."))
    assert q.speaker == "Reyland" and q.cue == "so"


def test_a_name_before_a_colon() -> None:
    text = "The minister spoke. Tomas Reyland: “Nobody should draw conclusions before the board has met.”"
    q = only(direct(text))
    assert q.speaker == "Tomas Reyland" and q.cue == ":"


def test_pronoun_resolved_to_the_last_named_person() -> None:
    text = "Ilse Marten praised the crew. “They did everything right,” she said."
    q = only(direct(text))
    assert q.speaker == "Ilse Marten"
    assert text[q.speaker_start : q.speaker_end] == "she"


def test_pronoun_prefers_the_subject_of_the_sentence_before() -> None:
    text = "Vladimir Putin warned Joe Biden against new sanctions. “It would be a grave error,” he said."
    assert only(direct(text)).speaker == "Vladimir Putin"


def test_pronoun_uses_the_full_name_given_earlier() -> None:
    text = "Tomas Reyland visited the port.\n\nReyland praised the crews. “They were outstanding,” he said."
    assert only(direct(text)).speaker == "Tomas Reyland"


def test_pronoun_without_anyone_named_stays_a_pronoun() -> None:
    assert only(direct("“The water was freezing,” she said.")).speaker == "she"


def test_quotes_inside_quotes_are_not_speakers() -> None:
    text = "“Reyland told us to wait,” the captain said."
    assert only(direct(text)).speaker == "the captain"


# --------------------------------------------------------------------------- split and continued quotes


def test_a_split_quote_is_one_quote_with_parts() -> None:
    text = "“The crew did everything right,” she said. “The fog came in faster than any forecast said.”"
    q = only(direct(text))
    assert [text[s:e] for s, e in q.parts] == [
        "The crew did everything right,",
        "The fog came in faster than any forecast said.",
    ]
    assert (q.start, q.end) == (q.parts[0][0], q.parts[-1][1])
    assert q.speaker == "she" and q.cue == "said"


def test_a_split_quote_with_a_comma() -> None:
    q = only(direct("“We tried,” said the captain, “but the fog was too thick.”"))
    assert len(q.parts) == 2 and q.speaker == "the captain"


def test_quotes_next_to_each_other_are_one_quote() -> None:
    q = only(direct("The captain said: “We tried everything.” “The fog was too thick.”"))
    assert len(q.parts) == 2


def test_two_speakers_are_two_quotes() -> None:
    text = "“We tried,” the captain said. “They did not,” the minister replied."
    assert [q.speaker for q in direct(text)] == ["the captain", "the minister"]


def test_a_paragraph_of_quote_continues_the_speaker_before() -> None:
    text = "“We will not give up the route,” Hanna Lindqvist said.\n\n“Our passengers depend on it every day.”"
    quotes = direct(text)
    assert [q.speaker for q in quotes] == ["Hanna Lindqvist", "Hanna Lindqvist"]


# --------------------------------------------------------------------------- channels


def test_channel_from_according_to() -> None:
    text = (
        "A second grounding would be “a disaster for the island”, the mayor told the minister, "
        "according to council spokesman Erik Sund."
    )
    q = only(direct(text))
    assert q.speaker == "the mayor"
    assert "Erik Sund" in q.channel


def test_channel_from_an_outer_reporting_verb() -> None:
    text = "The mayor told the minister that the route must reopen soon, a council spokesman said on Friday."
    q = only(indirect(text))
    assert q.speaker == "The mayor" and q.channel == "a council spokesman"
    assert q.text == "that the route must reopen soon"


def test_no_channel_when_the_speaker_goes_on() -> None:
    text = "Lindqvist said she thinks the route will reopen soon."
    q = only(indirect(text))
    assert q.speaker == "Lindqvist" and q.channel is None


# --------------------------------------------------------------------------- reported speech


def test_indirect_speech_with_that() -> None:
    text = "Biden said that the United States would respond decisively."
    q = only(extract_quotes(text))
    assert not q.direct and q.speaker == "Biden" and q.cue == "said"
    assert q.text == "that the United States would respond decisively"


def test_indirect_speech_after_the_clause() -> None:
    q = only(indirect("All passengers were evacuated safely, the coast guard said."))
    assert q.text == "All passengers were evacuated safely" and q.speaker == "the coast guard"


def test_according_to_gives_an_indirect_quote() -> None:
    q = only(indirect("According to the Kremlin, the talks were useful."))
    assert q.text == "the talks were useful" and q.cue == "According to"
    assert "Kremlin" in q.speaker


def test_quoted_fragment_in_reported_speech() -> None:
    text = "Putin said new sanctions would be a “colossal mistake” for both countries."
    quotes = extract_quotes(text)
    frag = only([q for q in quotes if q.direct])
    assert frag.text == "colossal mistake" and frag.speaker == "Putin"
    clause = only([q for q in quotes if not q.direct])
    assert clause.start <= frag.start and frag.end <= clause.end


def test_a_whole_quoted_clause_is_not_repeated_as_reported_speech() -> None:
    quotes = extract_quotes('The minister said "nobody should draw conclusions before the board has met."')
    assert [q.direct for q in quotes] == [True]


def test_nouns_are_not_reporting_verbs() -> None:
    from newsfuse.analyse.nlp import parse

    doc = parse("The call lasted fifty minutes. Russia's claims were rejected. He called.")
    lemmas = {t.text: reporting_lemma(t) for t in doc}
    assert lemmas["call"] is None and lemmas["claims"] is None and lemmas["called"] == "call"


# --------------------------------------------------------------------------- scare quotes and titles


def test_a_scare_quote_is_not_a_quote() -> None:
    assert extract_quotes("The so-called “reset” policy was abandoned in 2014.") == []


def test_a_title_is_not_a_quote() -> None:
    assert extract_quotes("He watched “The Art of the Deal” on the ferry.") == []


def test_a_short_quote_a_verb_attributes_is_kept() -> None:
    q = only(direct("Putin called the talks “useful”."))
    assert q.text == "useful" and q.speaker == "Putin" and q.cue == "called"


def test_a_nickname_is_not_a_quote() -> None:
    assert direct('State Senator Marcia "Cia" Price spoke first.') == []


def test_long_unattributed_quotes_only_on_request() -> None:
    text = "The banner read “We will not forget the Marisol Star”."
    assert direct(text) == []
    q = only(direct(text, keep_unattributed=True))
    assert q.speaker is None and q.text == "We will not forget the Marisol Star"


def test_other_languages_are_only_read_for_marks() -> None:
    text = "La ministre a déclaré : « Personne ne doit tirer de conclusions hâtives. » Puis « non »."
    q = only(extract_quotes(text, language="fr"))
    assert q.speaker is None and q.text == "Personne ne doit tirer de conclusions hâtives."


# --------------------------------------------------------------------------- the examples and the seeds


@pytest.fixture(scope="module")
def ferry() -> dict[str, newsfuse.Article]:
    arts = newsfuse.clean_batch(newsfuse.read([str(EXAMPLES / "ferry")]))
    return {a.origin.split(":")[0].rsplit("/", 1)[-1]: a for a in arts}


def test_ferry_marten_quote_in_every_convention(ferry) -> None:
    for name in ("coastal-herald.html", "nws-wire.txt", "daily-meridian.txt", "valdoria-today.txt", "littoral-fr.txt",
                 "rundschau-de.txt"):
        quotes = [q for q in direct(ferry[name].text) if "crew" in q.text]
        q = only(quotes)
        assert q.speaker in ("Ilse Marten", "Ilse Märten"), (name, q)


def test_ferry_split_quote_in_the_herald(ferry) -> None:
    text = ferry["coastal-herald.html"].text
    q = only([q for q in direct(text) if "crew" in q.text])
    assert [text[s:e] for s, e in q.parts] == [
        "The crew did everything right,",
        "The fog came in faster than any forecast said.",
    ]


def test_ferry_reyland_quote_and_indirect_speech(ferry) -> None:
    for name in ("coastal-herald.html", "nws-wire.txt", "daily-meridian.txt", "valdoria-today.txt", "rundschau-de.txt"):
        q = only([q for q in direct(ferry[name].text) if "conclusions" in q.text])
        assert "Reyland" in q.speaker, (name, q)
    q = only([q for q in indirect(ferry["littoral-fr.txt"].text) if "conclusions" in q.text])
    assert q.speaker == "Tomas Reyland" and q.cue == "asked"


@pytest.fixture(scope="module")
def seed_texts() -> list[str]:
    need(SEEDS)
    return [a.text for a in newsfuse.clean_batch(newsfuse.read([str(SEEDS)]))]


def test_seeds_colossal_mistake_is_putins(seed_texts) -> None:
    """Putin's words, or Ushakov relaying them in his own quote ("… a colossal mistake, he added")."""
    found = 0
    for text in seed_texts:
        for q in direct(text):
            if "colossal" in q.text.lower():
                found += 1
                who = (q.speaker or "").lower()
                assert "putin" in who or "russian president" in who or "ushakov" in who, q
                if "ushakov" in who:
                    assert "Putin" in q.text or "president" in q.text
    assert found >= 5


def test_seeds_colossal_mistake_relayed_by_ushakov(seed_texts) -> None:
    text = next(t for t in seed_texts if "according to presidential aide" in t)
    relayed = [q for q in direct(text) if "colossal" in q.text and q.channel]
    assert relayed and all("Putin" in q.speaker and "Ushakov" in q.channel for q in relayed)


def test_seeds_colossal_error_he_warned(seed_texts) -> None:
    text = next(t for t in seed_texts if "A colossal error" in t)
    q = only([q for q in direct(text) if q.text == "A colossal error"])
    assert q.speaker == "Vladimir Putin" and text[q.speaker_start : q.speaker_end] == "he"


def test_seeds_fatal_mistake_by_ushakov(seed_texts) -> None:
    text = next(t for t in seed_texts if "fatal mistake" in t)
    q = only([q for q in direct(text) if "fatal mistake" in q.text])
    assert "Ushakov" in q.speaker


def test_seeds_spans_are_consistent(seed_texts) -> None:
    for text in seed_texts:
        check_spans(text, extract_quotes(text))


# --------------------------------------------------------------------------- properties

_PIECES = st.sampled_from(
    ["“", "”", '"', "«", "»", "„", "‘", "’", "‹", "›", "''", "``", " ", "\n", "\n\n", ",", ".", ":", "―",
     "he said", "she told reporters", "said Putin", "according to", "the minister", "Reyland", "that",
     "We will win", "it", "Mr.", "the talks were useful", "«  »", "\u00a0"]
)


@settings(max_examples=300)
@given(st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=200))
def test_marks_never_crash_and_stay_inside(text: str) -> None:
    for s, e in find_quoted_spans(text):
        assert 0 <= s < e <= len(text)
        assert "\n" not in text[s:e]  # a quote never crosses a paragraph break
        assert text[s:e] == text[s:e].strip()


@settings(max_examples=60)
@given(st.lists(_PIECES, max_size=30).map(" ".join) | st.text(max_size=120))
def test_extraction_never_crashes_and_spans_match(text: str) -> None:
    check_spans(text, extract_quotes(text))
    check_spans(text, extract_quotes(text, keep_unattributed=True))
