"""The tense an expression is used in, from the spaCy parse.

Whether "Thursday" is the last Thursday or the next one, and which year a
"January 10" falls in, depends on the tense of the clause: "spoke on Thursday"
(past), "will meet on Thursday" (future). The expression's own words decide
first ("next", "last", "ago", "since"); then the verb that governs it in the
parse: its tag and auxiliaries ("will", "would", "has"), an infinitive ("plan
to meet"), and words that make the event a plan ("scheduled", "upcoming",
"forthcoming", "expected"). When the parse leads to no verb (fragments,
machine-translated word order), the nearest verb or modal of the sentence.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..text import sentence_spans
from .dategrammar import FUTURE, PAST, PRESENT, UNKNOWN, Expression

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["assign_tenses"]


def assign_tenses(exprs: list[Expression], text: str, doc: Doc) -> None:
    """Set ``prep`` (the word before) and ``tense`` of each expression, in place."""
    sentences = sentence_spans(text) or [(0, len(text))]
    k = 0
    for e in exprs:
        while k < len(sentences) - 1 and sentences[k][1] <= e.start:
            k += 1
        e.prep = _word_before(text, e.start)
        e.tense = _tense(e, doc, sentences[k])


_WORD_BEFORE = re.compile(r"([^\W\d_]+)\W{0,2}(?:(?:the|le|la|el|der|die|das|den)\s+)?$", re.I)


def _word_before(text: str, start: int) -> str | None:
    m = _WORD_BEFORE.search(text, max(0, start - 20), start)
    return m.group(1).lower() if m else None


_FUTURE_MODALS = {"will", "'ll", "’ll", "ll", "wo", "shall", "would", "'d", "’d"}
_OTHER_MODALS = {"should", "could", "may", "might", "must", "can", "ca"}
# Words that make the event a plan or a prospect, whatever the verb's tense.
_PROSPECTIVE = {
    "scheduled", "schedule", "planned", "plan", "plans", "planning", "expected", "expect", "expects", "due",
    "slated", "upcoming", "forthcoming", "coming", "next", "foreseen", "intends", "intend", "future", "prospective",
}
_HAVE = {"has", "have", "had", "'ve", "’ve", "having"}


def _tense(e: Expression, doc: Doc, sentence: tuple[int, int]) -> str:
    """The tense an expression is used in: its own words first ("next", "last",
    "ago", "since"), then the verb that governs it in the parse."""
    if e.kind == "offset" and e.direction < 0:
        return PAST
    if e.rel in ("next", "coming"):
        return FUTURE
    if e.rel in ("last", "previous", "past"):
        return PAST
    if e.prep == "since":
        return PAST
    lo, hi = sentence
    tense = _tense_from_parse(doc, e.start, e.end, lo, hi)
    if e.prep in ("until", "till", "through") and tense == PAST:
        return UNKNOWN  # "has suspended the route until 20 March": the end of a state that may not be over
    return tense


def _tense_from_parse(doc: Doc, start: int, end: int, lo: int, hi: int) -> str:
    """The tense of the verb that governs ``text[start:end]`` in the sentence ``[lo, hi)``."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return UNKNOWN
    # The token that attaches the expression to the rest of the sentence (the
    # span's own root may be a fragment when the parser split "the 10th. January").
    tok = next((t for t in span if not (span.start <= t.head.i < span.end)), span.root)
    prospective = False
    for _ in range(8):
        outside = not (start <= tok.idx < end)
        if outside and tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            return _verb_tense(tok, prospective)
        if outside and tok.lower_ in _PROSPECTIVE:
            prospective = True
        if any(c.lower_ in _PROSPECTIVE and not (start <= c.idx < end) for c in tok.children):
            prospective = True
        # The parser sometimes joins a subhead to the next paragraph: stay in our sentence.
        if tok.head is tok or not (lo <= tok.head.idx < hi):
            break
        tok = tok.head
    return _nearest_verb_tense(doc, span, lo, hi, prospective)


def _nearest_verb_tense(doc: Doc, span: object, lo: int, hi: int, prospective: bool) -> str:
    """When the parse does not lead to a verb (fragments, translated word
    order): the tense of the nearest verb or modal of the sentence."""
    first, last = span.start, span.end  # type: ignore[attr-defined]
    best = None
    for i in range(max(0, first - 12), min(len(doc), last + 12)):
        t = doc[i]
        if first <= i < last or not (lo <= t.idx < hi):
            continue
        if t.tag_ == "MD" or (t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass")):
            dist = first - i if i < first else i - last + 1
            if best is None or dist < best[0]:
                best = (dist, t)
    if best is None:
        return FUTURE if prospective else UNKNOWN
    t = best[1]
    if t.tag_ == "MD":
        return FUTURE if t.lower_ in _FUTURE_MODALS | _OTHER_MODALS else UNKNOWN
    return _verb_tense(t, prospective)


def _past_form(v: object, auxes: list, words: set[str]) -> bool:
    tag = v.tag_  # type: ignore[attr-defined]
    # A perfect: "has suspended", and "has ... run aground" of translated word order
    return tag == "VBD" or any(c.tag_ == "VBD" for c in auxes) or (tag in ("VBN", "VB", "VBD") and bool(words & _HAVE))


def _verb_tense(v: object, prospective: bool, depth: int = 0) -> str:
    """Past, future, present or unknown, from a verb's tag and auxiliaries.

    ``prospective``: a word on the way from the expression to the verb makes
    the event a plan ("the forthcoming talks", "scheduled").
    """
    children = list(v.children)  # type: ignore[attr-defined]
    auxes = [c for c in children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in auxes}
    tag = v.tag_  # type: ignore[attr-defined]
    if words & _FUTURE_MODALS:
        return FUTURE
    prospective = (
        prospective
        or v.lower_ in _PROSPECTIVE  # type: ignore[attr-defined]
        # "is set for Nov. 5", "is set to meet": "set" alone is too common a verb
        or (v.lower_ in ("set", "poised") and any(c.lower_ in ("for", "to") for c in children))  # type: ignore
        # "Next meeting is in January", "The upcoming talks begin on Monday"
        or any(g.lower_ in _PROSPECTIVE for c in children if c.dep_ in ("nsubj", "nsubjpass") for g in c.children)
    )
    if words & _OTHER_MODALS:
        return PAST if (words & _HAVE and tag == "VBN") else FUTURE
    if tag == "VB" and any(c.tag_ == "TO" for c in auxes):
        # An infinitive: "plan to meet on January 10" is a prospect; seen from
        # a past moment ("was scheduled to meet on Wednesday") it may be over.
        head = v.head  # type: ignore[attr-defined]
        if depth < 3 and head is not v and head.pos_ in ("VERB", "AUX"):
            h_aux = [c for c in head.children if c.dep_ in ("aux", "auxpass")]
            if _past_form(head, h_aux, {c.lower_ for c in h_aux}) or _verb_tense(head, False, depth + 1) == PAST:
                return UNKNOWN
        return FUTURE
    if _past_form(v, auxes, words):
        return UNKNOWN if prospective else PAST
    if tag in ("VBZ", "VBP") or any(c.tag_ in ("VBZ", "VBP") for c in auxes):
        return FUTURE if prospective else PRESENT
    if tag == "VBN":  # a bare participle: "the talks planned for January", "the ferry, refloated on Friday"
        return FUTURE if prospective else PAST
    return FUTURE if prospective else UNKNOWN
