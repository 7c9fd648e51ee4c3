"""Where sources differ on a number, a clock time or a day.

Every number, clock time and explicit date of every report is a *fact item*,
read in its clause ("ran aground at 07:40", not the whole sentence, which may
hold the departure time too). Two items of different independent sources are
about the same fact when their clauses mean the same thing (MiniLM cosine)
and they measure the same kind of thing (the same unit, the same counted
noun). Their values then either agree, compatibly ("about fifty minutes" and
"50 minutes"; "at least 15" and 17) or not (212 and 214 passengers; 07:40
and 8:40). A disagreement is reported only when a source states a value
that no similar clause of the other source supports: a source that gives
both values in the same context is not taken to contradict itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..analyse.model import ArticleAnalysis, Quantity, TimeExpression
from ..analyse.numbers import compatible, count_key
from .similarity import cosine, embed
from .sources import Sources

SAME_FACT = 0.45  # mean segment cosine above which two slots speak of the same fact
LONE_PAIR = 0.6  # the same, when each value has a single source
CONVERSION = 0.03  # relative slack between a measure and its conversion to another unit
MAX_RATIO, MAX_HOURS, MAX_DAYS = 3.0, 3, 14  # how far apart two reports of one value can plausibly be
MIN_DATE_CONFIDENCE = 0.8  # relative dates resolved from a guessed base are not compared


@dataclass(slots=True)
class Item:
    """One number, time or date as one source states it, in its clause."""

    kind: str  # number, time, date
    source: int
    start: int
    end: int
    text: str  # as written ("nearly three hours")
    clause: str
    clause_span: tuple[int, int]
    key: str  # what it measures: unit or counted noun; items of different keys never compare
    value: Quantity | TimeExpression


@dataclass(slots=True)
class FactDifference:
    """One fact stated with values that cannot all be true."""

    kind: str
    about: str
    variants: list[tuple[str, list[Item]]]  # (value as written, the items that state it)


def fact_items(analyses: list[ArticleAnalysis], sources: Sources) -> list[Item]:
    out: list[Item] = []
    for a in analyses:
        n = sources.number[a.id]
        spans = [(s.start, s.end) for s in a.sentences]
        numbers = [q for q in a.numbers if q.unit != "year-date" and not _offset(a.text, q)]
        times = _without_alternates(a.text, [d for d in a.dates if d.time])
        days = [d for d in a.dates if d.value and not d.time and not d.relative and d.grain == "day"
                and d.confidence >= MIN_DATE_CONFIDENCE]
        for kind, items, key in (("number", numbers, _number_key), ("time", times, lambda _: "time"),
                                 ("date", days, lambda _: "day")):
            for x in items:
                sentence = next(((lo, hi) for lo, hi in spans if lo <= x.start < hi), (x.start, x.end))
                if kind != "number" and _stamp(a.text[sentence[0]:sentence[1]]):
                    continue
                lo, hi = segment(a.text, sentence, x.start, x.end)
                out.append(Item(kind, n, x.start, x.end, x.text, _PARENTHESES.sub("", a.text[lo:hi]), (lo, hi), key(x), x))
    return out


_SEPARATORS = re.compile(r"[,;–—]|:(?=\s)|\s-\s")
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
MIN_SEGMENT_WORDS = 8


def segment(text: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The stretch of ``sentence`` between punctuation that holds ``text[start:end]``,
    widened to the next stretches until it has a few words: the words next to a
    number or a time say what it is ("as it ran onto the bank at 8:40"), where the
    whole sentence may be about something else too ("on its way from Port Avel")."""
    slo, shi = sentence
    cuts = [slo] + [m.start() for m in _SEPARATORS.finditer(text, slo, shi)] + [shi]
    lo = max(c for c in cuts if c <= start)
    hi = min((c for c in cuts if c >= end), default=shi)
    own = len(text[start:end].split())
    while len(_PARENTHESES.sub("", text[lo:hi]).split()) - own < MIN_SEGMENT_WORDS and (lo > slo or hi < shi):
        if hi < shi:
            hi = min((c for c in cuts if c > hi), default=shi)
        else:
            lo = max(c for c in cuts if c < lo)
    while lo < hi and not text[lo].isalnum():
        lo += 1
    return lo, hi


_OFFSET = re.compile(r"\W*(?:later|earlier|before|after|ago|since|beforehand|afterwards)\b", re.I)


def _offset(text: str, q: Quantity) -> bool:
    """A span of time that places something relative to another ("two days later"): a
    way of telling when, not a measure sources would state alike."""
    return q.unit == "minute" and _OFFSET.match(text, q.end) is not None


def _number_key(q: Quantity) -> str:
    return q.unit or f"count:{count_key(q.counts) or '?'}"


def _without_alternates(text: str, times: list[TimeExpression]) -> list[TimeExpression]:
    """Drop a time given again in another zone right after the first ("07:40 (06:40 GMT)")."""
    out: list[TimeExpression] = []
    for t in sorted(times, key=lambda t: t.start):
        if out and t.timezone and 0 <= t.start - out[-1].end <= 4 and "(" in text[out[-1].end:t.start + 1]:
            continue
        out.append(t)
    return out


_STAMP_WORDS = re.compile(r"\b(?:published|updated|posted|modified|last|am|pm|gmt|utc|e[sd]t|p[sd]t|cet|bst)\b", re.I)


def _stamp(sentence: str) -> bool:
    """A publication stamp left in the text ("PUBLISHED: THURSDAY, MAY 2, 2013, 1:32 PM"): the
    day a page was posted, not a fact of the story; reports of one event differ on it by nature."""
    words = [w for w in re.findall(r"[A-Za-z]{2,}", sentence) if not _STAMP_WORDS.fullmatch(w)]
    return len(words) <= 6 or bool(re.match(r"\W*(?:published|updated|posted|last (?:updated|modified))\b", sentence, re.I))


def plausible(a: Item, b: Item) -> bool:
    """Whether two values are close enough to be two reports of one fact. Sources that
    disagree on a fact are off by a little (212 or 214 passengers, 7:40 or 8:40, 11 or 7
    shots); values far apart (612 dead and 80, 32 million and 5.8 million) are two facts."""
    x, y = a.value, b.value
    if isinstance(x, Quantity) and isinstance(y, Quantity):
        lo, hi = sorted((abs(x.value), abs(y.value)))
        return lo > 0 and hi / lo <= MAX_RATIO
    if isinstance(x, TimeExpression) and isinstance(y, TimeExpression):
        if a.kind == "time" and x.time and y.time:
            return abs(_minutes(x.time) - _minutes(y.time)) <= MAX_HOURS * 60
        if x.value and y.value:
            return abs((x.value - y.value).days) <= MAX_DAYS
    return False


def _minutes(hhmm: str) -> int:
    h, _, m = hhmm.partition(":")
    return int(h) * 60 + int(m or 0)


def agree(a: Item, b: Item) -> bool | None:
    """Whether two items' values can both be true; None when they do not compare."""
    if a.kind != b.kind or a.key != b.key:
        return None
    if a.kind == "number":
        ok = compatible(a.value, b.value)  # type: ignore[arg-type]
        if ok is False and _converted(a, b):
            return True
        return ok
    x, y = a.value, b.value
    assert isinstance(x, TimeExpression) and isinstance(y, TimeExpression)
    if a.kind == "time":
        if x.timezone and y.timezone and _zone(x.timezone) != _zone(y.timezone):
            return None
        return x.time == y.time
    return not (x.last or x.value) < y.value and not (y.last or y.value) < x.value  # type: ignore[operator]


def _converted(a: Item, b: Item) -> bool:
    """Two measures written in different units that agree up to the rounding of a conversion
    ("30 miles" and "48km")."""
    x, y = a.value, b.value
    assert isinstance(x, Quantity) and isinstance(y, Quantity)
    words = lambda t: re.sub(r"[\d.,\s]+", " ", t.lower()).split()  # noqa: E731
    return bool(x.unit) and words(a.text) != words(b.text) and abs(x.value - y.value) <= CONVERSION * max(x.value, y.value)


def _zone(tz: str) -> str:
    return "local" if tz.lower() in ("local", "local time") else tz.upper()


def differences(items: list[Item], sources: Sources, threshold: float = SAME_FACT) -> list[FactDifference]:
    """The facts on which independent sources state values that cannot all be true.

    Items are first gathered into *slots*: the same value of the same kind of
    thing, stated by several sources in similar words ("07:40" in five
    reports). Two slots conflict when their values cannot both be true, no
    source states both, their wordings are alike on average, and each is the
    other's closest rival slot: so a lone "8:40" is set against the "07:40"
    of the grounding, not the "07:10" of the departure in the same sentence.
    """
    if len(items) < 2:
        return []
    sim = cosine(embed([i.clause for i in items]))
    found = slots(items, sim)
    origins = [{sources.origin[items[k].source] for k in slot} for slot in found]
    mean = np.zeros((len(found), len(found)))
    for x in range(len(found)):
        for y in range(x + 1, len(found)):
            mean[x, y] = mean[y, x] = float(sim[np.ix_(found[x], found[y])].mean())
    rivals = [[y for y in range(len(found)) if y != x and agree(items[found[x][0]], items[found[y][0]]) is not None]
              for x in range(len(found))]
    best = [max(r, key=lambda y: mean[x, y], default=None) for x, r in enumerate(rivals)]
    pairs = set()
    for x, y in enumerate(best):
        if y is None or origins[x] & origins[y]:
            continue
        # one source against one other is weak evidence that they speak of the same fact
        if mean[x, y] < (threshold if max(len(origins[x]), len(origins[y])) > 1 else LONE_PAIR):
            continue
        first_x, first_y = items[found[x][0]], items[found[y][0]]
        if agree(first_x, first_y) is False and plausible(first_x, first_y) and \
                (best[y] == x or len(origins[x]) < len(origins[y])):
            pairs.add((min(x, y), max(x, y)))
    return _merge(items, found, pairs)


def slots(items: list[Item], sim: np.ndarray, threshold: float = SAME_FACT / 2) -> list[list[int]]:
    """Items of one value and one key, in loosely similar words (a shared value is strong evidence)."""
    slots: list[list[int]] = []
    for k, it in enumerate(items):
        for slot in slots:
            first = items[slot[0]]
            if agree(first, it) and _same_value(first, it) and float(sim[k, slot].max()) >= threshold:
                slot.append(k)
                break
        else:
            slots.append([k])
    return slots


def _merge(items: list[Item], slots: list[list[int]], pairs: set[tuple[int, int]]) -> list[FactDifference]:
    """One difference per connected set of conflicting slots, best supported value first."""
    parent = {x: x for pair in pairs for x in pair}

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for x, y in sorted(pairs):
        parent[find(y)] = find(x)
    groups: dict[int, list[int]] = {}
    for x in sorted(parent):
        groups.setdefault(find(x), []).append(x)
    out = []
    for members in groups.values():
        variants = [(items[slots[x][0]].text, [items[k] for k in slots[x]]) for x in members]
        variants.sort(key=lambda v: (-len({i.source for i in v[1]}), min(i.source for i in v[1])))
        first = variants[0][1][0]
        out.append(FactDifference(first.kind, _about(first), variants))
    return sorted(out, key=lambda d: (d.kind, d.about))


def _same_value(a: Item, b: Item) -> bool:
    """Same value as stated: "at least 15" and "17" agree but are two variants."""
    x, y = a.value, b.value
    if isinstance(x, Quantity) and isinstance(y, Quantity):
        return (x.value, x.low, x.high) == (y.value, y.low, y.high)
    return True


_LABELS: dict[str, Callable[[Item], str]] = {
    "time": lambda i: "time",
    "date": lambda i: "date",
    "number": lambda i: (f"number of {i.value.counts}" if isinstance(i.value, Quantity) and i.value.counts
                         else (i.value.unit or "number") if isinstance(i.value, Quantity) else "number"),
}


def _about(item: Item) -> str:
    label = _LABELS[item.kind](item)
    if label == "minute":
        label = "duration"
    return f"{label}: {item.clause}"
