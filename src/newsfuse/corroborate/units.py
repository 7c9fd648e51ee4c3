"""The statements of a story: one unit per clause of every sentence that can state a fact.

A unit is one clause of one source, read with what anchors it to the world:
the people, organisations and places it names, its numbers, the days and
clock times it gives, whether it is negated and whether it is someone's
quoted words. Corroboration compares units, not whole sentences, because a
sentence often states several facts ("a 5.6 quake hit the island on
Sunday, injuring five people"), and sources build their sentences
differently around the same fact. A unit keeps its sentence, which is what
the brief cites.

Not units: headlines repeated as the first line (a headline compresses and
dramatises; what the body states is what counts), subheads and fragments,
and clauses that only frame another ("officials said").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..analyse.clauses import Clause
from ..analyse.model import ArticleAnalysis, Quantity, TimeExpression
from ..text import TOKEN
from .sources import Sources

MIN_WORDS = 5  # shorter "sentences" are subheads, captions and fragments
HEADING_WORDS = 15  # a shorter line without a full stop is a subhead, not a claim
MIN_CLAUSE_WORDS = 3
FRAME_WORDS = 5  # a frame this long says more than "officials said"
RELATIVE_DATE_CONFIDENCE = 0.7  # a relative day ("on Saturday") anchors a unit when known this well
_ENDS = re.compile(r"[.!?…][\"'”’»“]*\s*$")
_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT")


@dataclass(slots=True)
class Unit:
    """One clause of one source, in its sentence.

    ``start``/``end`` span the sentence in the source's cleaned text and
    ``text`` is the sentence (what a citation shows); ``clause_start``/
    ``clause_end`` span the clause and ``clause`` is how it reads on its own.
    """

    source: int
    start: int
    end: int
    text: str
    clause_start: int
    clause_end: int
    clause: str
    position: float  # 0 at the start of the article, 1 at its end
    anchors: frozenset[str] = frozenset()  # e:<label>:<entity>, n:<unit>:<value>, d:<day>
    entities: frozenset[str] = frozenset()  # entity ids named in the clause
    context: frozenset[str] = frozenset()  # entity ids named anywhere in the sentence
    numbers: tuple[Quantity, ...] = ()
    days: tuple[TimeExpression, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    sentence_days: tuple[TimeExpression, ...] = ()  # days given anywhere in the sentence
    negated: bool = False
    quoted: bool = False  # the clause is inside a direct quote
    predicate: str = ""  # the clause's verb (or predicate word), lower case
    arguments: tuple[str, ...] = ()  # head words of its subject, objects and complements

    @property
    def sentence(self) -> tuple[int, int, int]:
        return self.source, self.start, self.end


def is_claim(sentence: str) -> bool:
    """Whether a sentence can state a claim: long enough, and not a subhead."""
    words = sum(1 for _ in TOKEN.finditer(sentence))
    return words >= MIN_WORDS and (words >= HEADING_WORDS or bool(_ENDS.search(sentence)))


def units_of(analyses: list[ArticleAnalysis], sources: Sources) -> list[Unit]:
    """Every clause worth comparing, source by source, in text order."""
    out: list[Unit] = []
    for a in analyses:
        n = sources.number[a.id]
        title = _plain(sources.articles[n - 1].title or "")
        length = max(len(a.text), 1)
        quoted = [(q.start, q.end) for q in a.quotes if q.direct]
        clauses = sorted((c for c in a.clauses if not c.frame or _tells_more(c)), key=lambda c: (c.start, c.end))
        for s in a.sentences:
            if not is_claim(s.text) or (title and _plain(s.text) == title):
                continue
            inside = [c for c in clauses if s.start <= c.head < s.end and len(c.text.split()) >= MIN_CLAUSE_WORDS]
            for c in inside:
                if c.verbal:  # a statement has a verb: a caption ("Trump and May at the White House") has none
                    own = _own(c.start, c.end, c.head, [(x.start, x.end, x.head) for x in inside])
                    unit = _unit(a, n, s.start, s.end, s.text, c.start, c.end, c.text, c.negated, length, quoted, own)
                    unit.predicate, unit.arguments = c.predicate, c.arguments
                    out.append(unit)
    return out


def _tells_more(c: Clause) -> bool:
    """A frame that says more than who spoke ("state media reported Saturday morning", "Downing
    Street confirmed the visit in a statement"): when, how or what was announced is news too."""
    return len(c.text.split()) >= FRAME_WORDS


def _own(lo: int, hi: int, head: int, others: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """The parts of a clause's span that are not inside a clause nested in it."""
    nested = sorted((a, b) for a, b, h in others if lo <= a and b <= hi and (a, b) != (lo, hi) and not a <= head < b)
    parts, at = [], lo
    for a, b in nested:
        if a > at:
            parts.append((at, a))
        at = max(at, b)
    if at < hi:
        parts.append((at, hi))
    return parts or [(lo, hi)]


def _unit(a: ArticleAnalysis, n: int, s_lo: int, s_hi: int, sentence: str, lo: int, hi: int, clause: str,
          negated: bool, length: int, quoted: list[tuple[int, int]], own: list[tuple[int, int]]) -> Unit:
    def mine(x: int) -> bool:
        return any(p <= x < q for p, q in own)

    mentions = [m for m in a.entities if m.label in _LABELS]
    entities = frozenset(m.entity or m.text for m in mentions if mine(m.start))
    context = frozenset(m.entity or m.text for m in mentions if s_lo <= m.start < s_hi)
    numbers = tuple(q for q in a.numbers if mine(q.start) and q.unit != "year-date" and not _offset(a.text, q))
    dated = [d for d in a.dates if d.value and not d.time and (not d.relative or d.confidence >= RELATIVE_DATE_CONFIDENCE)]
    days = tuple(d for d in dated if mine(d.start))
    sentence_days = tuple(d for d in dated if s_lo <= d.start < s_hi)
    times = tuple(d for d in a.dates if mine(d.start) and d.time)
    anchors = {f"e:{m.label}:{m.entity or m.text}" for m in mentions if mine(m.start)}
    anchors |= {f"n:{q.unit or ''}:{q.value:g}" for q in numbers}
    anchors |= {f"d:{d.value.isoformat()}" for d in days if d.value}
    in_quote = any(p <= lo and hi <= q for p, q in quoted)
    return Unit(n, s_lo, s_hi, sentence, lo, hi, clause, s_lo / length, frozenset(anchors), entities, context,
                numbers, days, times, sentence_days, negated, in_quote)


_OFFSET = re.compile(r"\W*(?:later|earlier|before|after|ago|since|beforehand|afterwards|on)\b", re.I)


def _offset(text: str, q: Quantity) -> bool:
    """A span of time that places something relative to another ("four years ago", "two days
    later"): a way of telling when, not a measure sources would state alike."""
    return q.unit == "minute" and _OFFSET.match(text, q.end) is not None


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))
