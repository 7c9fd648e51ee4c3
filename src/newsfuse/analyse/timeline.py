"""A story's timeline: one entry per day (or interval) with what happens on it.

Each resolved date expression of each article gives the sentence that holds
it; when that sentence names several different days ("talks on January 10,
while NATO meets on January 12"), only the clause of the expression is kept.
Entries of the same day (or the same interval) from several sources are
merged: each source's span is kept, and the text shown is the one closest to
what all of them say (the medoid by word overlap), so a detail that most
sources give (a place, a name) is in it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from ..text import STOP_WORDS, TOKEN, sentence_spans
from .model import Sentence, TimeExpression, TimelineEntry

__all__ = ["build_timeline"]

# Where a sentence may be cut between two dates, strongest first.
_CUTS = [
    re.compile(r"\s*;\s*"),
    re.compile(r",\s+(?=(?:while|whereas|but|and|although|though|then)\b)", re.I),
    re.compile(r"\s+(?=(?:while|whereas)\b)", re.I),
    re.compile(r",\s+"),
    re.compile(r"\s+(?=and\b)", re.I),
]
_LEADING = re.compile(r"(?:(?:while|whereas|but|and|although|though|then)\b[\s,]*)+", re.I)
_EDGE_PUNCT = " \t\n,;:–—-"
LONG = 300  # characters: a longer sentence is cut to the clause of its date


def build_timeline(
    items: Sequence[tuple[str, str, list[TimeExpression], list[Sentence]]],
    *,
    min_confidence: float = 0.35,
) -> list[TimelineEntry]:
    """The timeline of a story.

    Parameters
    ----------
    items : sequence of (article id, text, dates, sentences)
        Per article: its cleaned text, its resolved date expressions and its
        sentences (computed with :func:`newsfuse.text.sentence_spans` when
        the list is empty).
    min_confidence : float, default=0.35
        Expressions resolved with less confidence are left out (a weekday
        counted from a guessed base, "two weeks before the vote").

    Returns
    -------
    list of TimelineEntry
        Sorted by first day, then last day. ``what`` is the text of one of
        the merged spans; ``spans`` has every (article id, start, end);
        ``confidence`` the highest of the merged expressions.
    """
    groups: dict[tuple[date, date], list[tuple[str, int, int, str, float]]] = {}
    for aid, text, dates, sentences in items:
        spans = [(s.start, s.end) for s in sentences] or sentence_spans(text)
        for lo, hi, e in _clauses(text, dates, spans, min_confidence):
            key = (e.value, e.last or e.value)
            groups.setdefault(key, []).append((aid, lo, hi, text[lo:hi], e.confidence))  # type: ignore[arg-type]
    entries = [_entry(key, members) for key, members in groups.items()]
    entries.sort(key=lambda t: (t.value, t.last, -t.confidence))
    return entries


def _clauses(
    text: str, dates: list[TimeExpression], spans: list[tuple[int, int]], min_confidence: float
) -> list[tuple[int, int, TimeExpression]]:
    """(start, end, expression) of the clause that holds each usable expression."""
    usable = [e for e in dates if e.value is not None and e.confidence >= min_confidence]
    out = []
    for e in usable:
        sentence = next(((a, b) for a, b in spans if a <= e.start < b), (e.start, e.end))
        others = [(o.start, o.end) for o in usable if (o.value, o.last) != (e.value, e.last)]
        lo, hi = clause_around(text, sentence, e.start, e.end, others)
        if hi > lo:
            out.append((lo, hi, e))
    return out


def clause_around(text: str, sentence: tuple[int, int], start: int, end: int,
                  others: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The clause of ``sentence`` that holds ``text[start:end]``, cut away from the
    nearest ``others`` (spans of rival anchors: other dates, other numbers) at the
    strongest separator between them; a long sentence is cut near the span anyway."""
    slo, shi = sentence
    inside = [o for o in others if slo <= o[0] < shi]
    before = max((o for o in inside if o[1] <= start), key=lambda o: o[1], default=None)
    after = min((o for o in inside if o[0] >= end), key=lambda o: o[0], default=None)
    lo = _cut(text, before[1], start, last=True) if before else None
    hi = _cut(text, end, after[0], last=False) if after else None
    lo, hi = lo if lo is not None else slo, hi if hi is not None else shi
    if hi - lo > LONG:
        lo = _cut(text, max(lo, start - LONG // 2), start, last=True, strong=2) or lo
        hi = _cut(text, end, min(hi, end + LONG // 2), last=False, strong=2) or hi
    return _trim(text, lo, hi)


def _cut(text: str, a: int, b: int, *, last: bool, strong: int = len(_CUTS)) -> int | None:
    """Where to cut ``text[a:b]``: the strongest separator in it; among equals the
    one nearest the expression. Returns the start of the clause after the cut
    (``last=True``) or the end of the clause before it."""
    for pattern in _CUTS[:strong]:
        found = list(pattern.finditer(text, a, b))
        if found:
            m = found[-1] if last else found[0]
            return m.end() if last else m.start()
    return None


def _trim(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Without edge punctuation and a leading conjunction ("while ...")."""
    while lo < hi and text[lo] in _EDGE_PUNCT:
        lo += 1
    m = _LEADING.match(text, lo, hi)
    if m and m.end() < hi:
        lo = m.end()
    while hi > lo and text[hi - 1] in _EDGE_PUNCT:
        hi -= 1
    return lo, hi


def _entry(key: tuple[date, date], members: list[tuple[str, int, int, str, float]]) -> TimelineEntry:
    spans: list[tuple[str, int, int]] = []
    texts: list[str] = []
    sources: list[str] = []
    for aid, lo, hi, what, _ in members:
        if (aid, lo, hi) not in spans:
            spans.append((aid, lo, hi))
            texts.append(what)
        if aid not in sources:
            sources.append(aid)
    return TimelineEntry(
        value=key[0],
        last=key[1],
        what=texts[_medoid(texts)],
        sources=sources,
        spans=spans,
        confidence=round(max(c for *_, c in members), 3),
    )


def _words(text: str) -> set[str]:
    return {w for w in (t.lower() for t in TOKEN.findall(text)) if w not in STOP_WORDS and len(w) > 2}


def _medoid(texts: list[str]) -> int:
    """The text that shares most words with the others (ties: the shorter)."""
    if len(texts) <= 2:
        return min(range(len(texts)), key=lambda i: len(texts[i])) if len(texts) == 2 and _close(texts) else 0
    sets = [_words(t) for t in texts]

    def score(i: int) -> tuple[float, int]:
        sim = sum(len(sets[i] & s) / (len(sets[i] | s) or 1) for j, s in enumerate(sets) if j != i)
        return sim, -len(texts[i])

    return max(range(len(texts)), key=score)


def _close(texts: list[str]) -> bool:
    a, b = (_words(t) for t in texts)
    return len(a & b) / (len(a | b) or 1) > 0.5
