"""Clauses: the pieces of a sentence that each state one thing (English parse)."""

from __future__ import annotations

import pytest

from newsfuse.analyse.clauses import Clause, extract_clauses, worth_comparing
from newsfuse.analyse.nlp import parse


def clauses(text: str) -> list[Clause]:
    return extract_clauses(parse(text), [(0, len(text))])


def the(text: str, words: str) -> Clause:
    """The clause of ``text`` that holds ``words``."""
    found = [c for c in clauses(text) if words in c.text]
    assert len(found) == 1, [c.text for c in clauses(text)]
    return found[0]


def test_a_sentence_of_several_facts_has_a_clause_per_fact() -> None:
    text = "A strong quake hit the island on Sunday, injuring five people, Iranian media said."
    got = clauses(text)
    assert len(got) == 3
    assert the(text, "said").frame and the(text, "said").predicate == "said"
    injured = the(text, "injuring")
    assert injured.text.startswith("A strong quake") and not injured.frame  # the subject it leans on


def test_reporting_frames_are_marked() -> None:
    text = "Police said the driver had fled the scene."
    assert the(text, "Police said").frame
    fact = the(text, "fled")
    assert not fact.frame and fact.whole and fact.tense == "past"


@pytest.mark.parametrize(("text", "words", "negated"), [
    ("The lawsuit does not name Trump as a defendant.", "lawsuit", True),
    ("No one was killed in the blast.", "killed", True),
    ("He is unlikely to meet the Queen.", "meet", True),
    ("It is unlikely that they will take part.", "take part", True),
    ("The climber had nothing but a rope.", "rope", False),
    ("The defendants include Trump.", "Trump", False),
])
def test_polarity(text: str, words: str, negated: bool) -> None:
    assert the(text, words).negated is negated


@pytest.mark.parametrize(("text", "tense"), [
    ("The president visited Berlin.", "past"),
    ("The president will visit Berlin.", "future"),
    ("The president is expected to visit Berlin.", "future"),
    ("The president is in Berlin.", "present"),
])
def test_tense(text: str, tense: str) -> None:
    assert clauses(text)[0].tense == tense


def test_an_extraposed_infinitive_stays_with_its_it_is_clause() -> None:
    text = "It is not necessary for us to conduct any more nuclear tests."
    [clause] = clauses(text)
    assert clause.negated and "conduct" in clause.text and clause.whole


def test_conditions_and_purposes_are_not_asserted() -> None:
    assert not the("If the talks fail, the strike will go ahead.", "talks fail").asserted
    assert the("If the talks fail, the strike will go ahead.", "strike").asserted


def test_captions_and_fragments_are_not_compared() -> None:
    assert not any(worth_comparing(c) for c in clauses("Photo: Reuters / John Smith"))
    assert any(worth_comparing(c) for c in clauses("Rescuers pulled two people from the rubble on Monday."))


def test_what_has_not_happened_yet_is_not_asserted() -> None:
    text = "Nobody should draw conclusions before the board has done its work."
    assert not the(text, "board").asserted and the(text, "conclusions").asserted


def test_a_clause_its_conjunction_ties_to_another_is_no_statement_of_its_own() -> None:
    text = "All passengers were rescued after the ferry ran aground on the sandbank."
    tied = the(text, "ran aground")
    assert tied.asserted and not tied.whole
    assert the(text, "rescued").whole


@pytest.mark.parametrize("text", [
    "„Nobody should draw conclusions before the board has done its work“, so Reyland.",
    "“Nobody should draw conclusions before the board has done its work,” he said.",
])
def test_a_clause_keeps_no_quotation_mark_without_its_partner(text: str) -> None:
    for c in clauses(text):
        assert sum(c.text.count(q) for q in "“”„«»\"") % 2 == 0, c.text


def test_a_whole_quotation_keeps_its_marks() -> None:
    text = "He called it „a colossal mistake“ and left."
    assert "„a colossal mistake“" in the(text, "mistake").text


def test_a_relative_clause_without_its_pronoun_stays_with_its_noun() -> None:
    [clause] = clauses("Memories returned of the way the guests were treated.")
    assert clause.text.endswith("were treated")
    assert len(clauses("The man who shot the officer was arrested on Monday.")) == 2


def test_a_reporting_verb_inside_a_clause_makes_it_a_frame() -> None:
    text = "Kim was quoted as telling the envoys last month that he would suspend the tests."
    assert the(text, "quoted").frame and not the(text, "suspend").frame


def test_the_commas_around_a_nested_clause_go_with_it() -> None:
    text = "The bank, which opened in 1990, was closed."
    assert the(text, "closed").text == "The bank was closed"
