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

from ..analyse.clauses import Clause, worth_comparing
from ..analyse.model import ArticleAnalysis, Mention, Quantity, Sentence, TimeExpression
from ..text import TOKEN
from .sources import Sources

MIN_WORDS = 5  # shorter "sentences" are subheads, captions and fragments
HEADING_WORDS = 15  # a shorter line without a full stop is a subhead, not a claim
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
    sentence_numbers: tuple[Quantity, ...] = ()  # numbers given anywhere in the sentence
    negated: bool = False
    quoted: bool = False  # the clause is inside a direct quote
    predicate: str = ""  # the clause's verb (or predicate word), lower case
    tense: str = "present"  # past, present or future (see newsfuse.analyse.clauses)
    frame: bool = False  # it tells who reported or announced (and when), not what happened
    whole: bool = True  # the clause reads as a statement on its own (its own subject and a finite verb)
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
        quoted = [(q.start, q.end) for q in a.quotes if q.direct]
        clauses = sorted((c for c in a.clauses if worth_comparing(c)), key=lambda c: (c.start, c.end))
        repeated = _repeated(a)
        for s in a.sentences:
            if not is_claim(s.text) or (title and _plain(s.text) == title) or _plain(s.text) in repeated \
                    or _CREDIT.search(s.text):
                continue
            # a statement has a verb: a caption ("Trump and May at the White House") gives no clause
            inside = [c for c in clauses if s.start <= c.head < s.end]
            pieces = _Pieces.of(a, s.start, s.end) if inside else None
            for c in inside:
                own = _own(c.start, c.end, c.head, [(x.start, x.end, x.head) for x in inside])
                out.append(_unit(a, n, s, c, pieces, own, any(p <= c.start and c.end <= q for p, q in quoted)))  # type: ignore[arg-type]
    return out


@dataclass(slots=True)
class _Pieces:
    """What one sentence names: entity mentions, numbers, days and clock times."""

    mentions: list[Mention]
    numbers: list[Quantity]
    days: list[TimeExpression]
    times: list[TimeExpression]

    @classmethod
    def of(cls, a: ArticleAnalysis, lo: int, hi: int) -> _Pieces:
        inside = lambda x: lo <= x.start < hi  # noqa: E731
        return cls([m for m in a.entities if m.label in _LABELS and inside(m)],
                   [q for q in a.numbers if inside(q) and q.unit != "year-date" and not _offset(a.text, q)],
                   [d for d in a.dates if inside(d) and d.value and not d.time
                    and (not d.relative or d.confidence >= RELATIVE_DATE_CONFIDENCE)],
                   [d for d in a.dates if inside(d) and d.time])


def _repeated(a: ArticleAnalysis) -> set[str]:
    """Sentences an article gives twice: a teaser or a pull quote repeated from the body, page
    furniture rather than the report's own statement."""
    seen: dict[str, int] = {}
    for s in a.sentences:
        key = _plain(s.text)
        seen[key] = seen.get(key, 0) + 1
    return {k for k, n in seen.items() if n > 1 and len(k.split()) >= MIN_WORDS}


# A sentence that ends on an agency's or photo service's credit is a caption ("... test AP.").
_CREDIT = re.compile(r"[^\W\d]\s+(?:AP|AFP|Reuters|EPA|UPI|dpa|DPA|ANSA|EFE|Xinhua|TASS|PA|Getty(?: Images)?|"
                     r"Shutterstock|Bloomberg|Photo|Picture|Image|File)\s*[.)]?\s*$")


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


def _unit(a: ArticleAnalysis, n: int, s: Sentence, c: Clause, pieces: _Pieces, own: list[tuple[int, int]],
          quoted: bool) -> Unit:
    def mine(x: int) -> bool:
        return any(p <= x < q for p, q in own)

    mentions = [m for m in pieces.mentions if mine(m.start)]
    numbers = tuple(q for q in pieces.numbers if mine(q.start))
    days = tuple(d for d in pieces.days if mine(d.start))
    anchors = {f"e:{m.label}:{m.entity or m.text}" for m in mentions}
    anchors |= {f"n:{q.unit or ''}:{q.value:g}" for q in numbers}
    anchors |= {f"d:{d.value.isoformat()}" for d in days if d.value}
    return Unit(n, s.start, s.end, s.text, c.start, c.end, c.text, s.start / max(len(a.text), 1),
                anchors=frozenset(anchors), entities=frozenset(m.entity or m.text for m in mentions),
                context=frozenset(m.entity or m.text for m in pieces.mentions), numbers=numbers, days=days,
                times=tuple(d for d in pieces.times if mine(d.start)), sentence_days=tuple(pieces.days),
                sentence_numbers=tuple(pieces.numbers),
                negated=c.negated, quoted=quoted, predicate=c.predicate, tense=c.tense, frame=c.frame,
                arguments=c.arguments, whole=c.whole)


_OFFSET = re.compile(r"\W*(?:later|earlier|before|after|ago|since|beforehand|afterwards|on)\b", re.I)


def _offset(text: str, q: Quantity) -> bool:
    """A span of time that places something relative to another ("four years ago", "two days
    later"): a way of telling when, not a measure sources would state alike."""
    return q.unit == "minute" and _OFFSET.match(text, q.end) is not None


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))
