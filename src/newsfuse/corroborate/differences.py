"""Where independent sources that speak of the same thing differ.

Every pair of units (clauses, :mod:`.units`) of independent sources that the
pair scorer (:mod:`.pairs`) finds to be about one fact, whatever their
details, is compared slot by slot (:mod:`.slots`):

- **number**: the same kind of number (unit, counted noun, or the same
  verb: "injuring 40", "injured almost 50") with values that cannot both
  be true, or two bounds of one direction with different figures;
- **date** and **time**: days or clock times that cannot both be right;
- **fact**: one states it, the other negates it ("will meet the Queen",
  "is unlikely to meet the Queen").

Precision first. A pair is compared only when everything else about it
agrees: when its number *and* its day differ, the two clauses speak of two
events (a quake in September, another on Sunday), not of one event told
two ways. Each value is set against its closest rival only (so a lone
"8:40" faces the "07:40" of the grounding, not the "07:10" of the departure
in the same sentence). A source that states both values is not taken to
contradict itself. Values far apart (612 dead and 80) are two figures, not
a difference.

Figures that change between reports of different times (a toll rising
through the day) are an *evolution*: listed with the latest report first,
each with its time, rather than as a plain conflict.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from ..analyse.model import Quantity, TimeExpression
from ..text import NUMBER_WORDS
from .pairs import FEATURES, PairModel, Pairs
from .words import content_stems, stem
from .claims import garbled
from .similarity import embed
from .slots import (compare_days, compare_times, comparable, number_agreement, number_key, same_verb,
                    zone as _zone)
from .sources import Sources
from .units import Unit

SAME_THING = 0.45  # probability (details aside) from which two units speak of the same thing
SAME_NUMBER = 0.05  # ... from which a number of one kind told with one verb is compared
SAME_THING_POLARITY = 0.6  # ... for one to negate the other: the clauses must be close
_DETAILS = ("numbers_agree", "numbers_conflict", "days_agree", "days_conflict", "negation_mismatch")
_CUMULATIVE = re.compile(r"dead|death|die|kill|injur|wound|hurt|victim|casualt|missing|arrest|evacu|displac|"
                         r"infect|case|signat|support|attend|vote|sign|protest|rescu|affect", re.I)


@dataclass(slots=True)
class Side:
    """One source's statement of a disputed value."""

    unit: Unit
    value: str  # as written ("at least seven people")
    start: int  # the value's span in the source's text
    end: int
    slot: Quantity | TimeExpression | None = None


@dataclass(slots=True)
class FactDifference:
    """One fact stated with values that cannot all be true. ``variants``: (value as written, the
    sides that state it), best supported first, or latest report first for an evolution."""

    kind: str  # number, date, time, fact
    about: str
    variants: list[tuple[str, list[Side]]]
    evolution: bool = False
    published: list[str | None] = field(default_factory=list)  # per variant, its latest report's time


@dataclass(slots=True)
class _Conflict:
    kind: str
    strength: float  # probability that the two clauses speak of one fact, details aside
    a: Side
    b: Side
    rival: float = 0.0  # how closely the two values are said of one thing (see _rank)


def same_thing(model: PairModel, pairs: Pairs) -> np.ndarray:
    """Per candidate pair: the probability that the two units speak of one fact, their numbers,
    days and polarity aside (those are what is compared)."""
    X = pairs.X.copy()
    for name in _DETAILS:
        X[:, FEATURES.index(name)] = 0.0
    return model.predict_proba(X)


def differences(units: Sequence[Unit], pairs: Pairs, same: np.ndarray, sources: Sources) -> list[FactDifference]:
    """The differences between independent sources (see the module)."""
    found: list[_Conflict] = []
    for k, (i, j) in enumerate(zip(pairs.left.tolist(), pairs.right.tolist())):
        if same[k] >= SAME_NUMBER:
            found.extend(_conflicts(units[i], units[j], float(same[k])))
    _rank(found)
    found = _closest_rivals(found, units, sources)
    return _grouped(found, units, sources)


def _rank(found: list[_Conflict]) -> None:
    """How close each conflict's two values are in what they are said of: the clauses' closeness
    and the closeness of the words right around each value ("as it ran onto the bank at 8:40"
    faces "at 7:40 it struck the sandbank", not "it left port at 7:10" in the same clause)."""
    if not found:
        return
    contexts = sorted({context(side) for c in found for side in (c.a, c.b)})
    index = {t: k for k, t in enumerate(contexts)}
    vectors = embed(contexts)
    for c in found:
        c.rival = c.strength / 2 + float(vectors[index[context(c.a)]] @ vectors[index[context(c.b)]])


_SEPARATORS = re.compile(r"[,;–—()]|:(?=\s)|\s-\s")
CONTEXT_WORDS = 8


def context(side: Side) -> str:
    """The stretch of the sentence between punctuation that holds the value, widened to the
    next stretches until it has a few words besides the value."""
    text, offset = side.unit.text, side.unit.start
    start, end = side.start - offset, side.end - offset
    cuts = [0] + [m.start() for m in _SEPARATORS.finditer(text)] + [len(text)]
    lo = max(c for c in cuts if c <= start)
    hi = min((c for c in cuts if c >= end), default=len(text))
    own = len(text[start:end].split())
    while len(text[lo:hi].split()) - own < CONTEXT_WORDS and (lo > 0 or hi < len(text)):
        if hi < len(text):
            hi = min((c for c in cuts if c > hi), default=len(text))
        else:
            lo = max(c for c in cuts if c < lo)
    return text[lo:hi].strip(" ,;:()–—-")


def _conflicts(u: Unit, v: Unit, strength: float) -> list[_Conflict]:
    if compare_days(u.sentence_days, v.sentence_days) is False and compare_days(u.days, v.days) is not False:
        return []  # their sentences are about different days: two events
    numbers = [(x, y) for x in u.numbers for y in v.numbers if comparable(x, u, y, v)]
    num = [(x, y) for x, y in numbers if number_agreement(x, y, same_thing=True) is False]
    days = compare_days(u.days, v.days)
    times = compare_times(u.times, v.times)
    if strength < SAME_THING:
        # a loose pair: only a number of one kind told with one verb ("injuring 40", "injured almost 50")
        num = [(x, y) for x, y in num if same_verb(x, u, y, v)]
        if not num:
            return []
        days = times = None
    kinds = bool(num) + (days is False) + (times is False)
    one_verb = bool(u.predicate) and stem(u.predicate) == stem(v.predicate)
    if kinds != 1:  # nothing differs, or two things do: two different events, not one told two ways
        if kinds == 0 and u.negated != v.negated and strength >= SAME_THING_POLARITY and \
                not (u.numbers or v.numbers) and one_verb and _same_arguments(u, v) and u.tense == v.tense and \
                not _possible(v if u.negated else u):
            return [_Conflict("fact", strength, Side(u, u.clause, u.clause_start, u.clause_end),
                              Side(v, v.clause, v.clause_start, v.clause_end))]
        return []
    if num:  # told with other verbs, two numbers must be in closer clauses to be one fact
        return [_Conflict("number", strength, _number_side(u, x), _number_side(v, y)) for x, y in num
                if same_verb(x, u, y, v) or strength >= SAME_THING_POLARITY]
    if not one_verb and strength < SAME_THING_POLARITY:
        return []
    kind, slots = ("date", (u.days, v.days)) if days is False else ("time", (u.times, v.times))
    return [_Conflict(kind, strength, Side(u, x.text, x.start, x.end, x), Side(v, y.text, y.start, y.end, y))
            for x in slots[0] for y in slots[1]
            if (compare_days([x], [y]) if kind == "date" else compare_times([x], [y])) is False
            and (kind == "time" or _dates_differ_as_written(x, y))]


# Modal verbs of possibility, per language: "could face protests" is not denied by "would not face
# protests" (one says what may happen, the other what will not).
_POSSIBLY = frozenset("could might may can könnte könnten kann können pourrait pourraient peut peuvent "
                      "podría podrían puede pueden potrebbe potrebbero può possono".split())


def _possible(u: Unit) -> bool:
    """Whether a clause only says that something may happen (lower case: "May" is a name too)."""
    return any(w.strip(".,;:!?\"'") in _POSSIBLY for w in u.clause.split())


def _dates_differ_as_written(x: TimeExpression, y: TimeExpression) -> bool:
    """Two days differ in what the sources wrote, not only in how each was resolved: one is a
    calendar date, or they name different weekdays ("Friday" and "next Friday" are one day
    read from two publication days)."""
    if not (x.relative and y.relative):
        return True
    wx, wy = _WEEKDAY.findall(x.text.lower()), _WEEKDAY.findall(y.text.lower())
    return bool(wx and wy and set(wx) != set(wy))


_WEEKDAY = re.compile(r"monday|tuesday|wednesday|thursday|friday|saturday|sunday")


def _same_arguments(u: Unit, v: Unit) -> bool:
    """Whether two clauses of one verb are about the same participants: they share a content word
    besides the verb, and one of them names most of the other's core arguments or a word of them."""
    shared = set(content_stems(u.clause)) & set(content_stems(v.clause))
    shared -= {stem(u.predicate), stem(v.predicate)}
    if not shared:
        return False
    a = {stem(w) for w in u.arguments}
    b = {stem(w) for w in v.arguments}
    return bool(a & shared or b & shared)


def _number_side(u: Unit, q: Quantity) -> Side:
    value = q.text
    if q.counts and q.counts.lower() not in value.lower():
        value = f"{value} {q.counts}"
    return Side(u, value, q.start, q.end, q)


def _closest_rivals(found: list[_Conflict], units: Sequence[Unit], sources: Sources) -> list[_Conflict]:
    """Each stated value keeps only its strongest conflict, and a conflict stands only when it is
    the strongest for both values; a source that also states the other value does not conflict."""
    def key(s: Side) -> tuple[int, int, int]:
        return s.unit.source, s.start, s.end

    best: dict[tuple[int, int, int], float] = {}
    for c in found:
        for s in (c.a, c.b):
            best[key(s)] = max(best.get(key(s), 0.0), c.rival)
    kept = [c for c in found if c.rival >= best[key(c.a)] and c.rival >= best[key(c.b)]]
    return [c for c in kept if not _says_both(c) and not _states_elsewhere(c, units, sources)]


def _states_elsewhere(c: _Conflict, units: Sequence[Unit], sources: Sources) -> bool:
    """Whether the report of one side (or of its provenance) gives the other side's figure or
    time too, of the same kind, in another sentence ("six rifles in this operation", "14 rifles
    in all five"; "left at 7:10", "ran aground at 7:40"): two figures of one report are two
    facts, not a conflict with another report."""
    for side, other in ((c.a, c.b), (c.b, c.a)):
        slot = other.slot
        if slot is None:
            continue
        origin = sources.origin[side.unit.source]
        for u in units:
            if sources.origin[u.source] != origin:
                continue
            if isinstance(slot, Quantity):
                if any(q.value == slot.value and comparable(q, u, slot, other.unit) for q in u.numbers):
                    return True
            elif slot.time and any(_same_value(slot, x) for x in u.times):  # days recur in a report: times less so
                return True
    return False


def _says_both(c: _Conflict) -> bool:
    """Whether the sentence of one side gives the other side's value too ("58-3 ... 51 wins by
    knockout" is no conflict with "58 wins"): a source does not contradict itself."""
    for side, other in ((c.a, c.b), (c.b, c.a)):
        if isinstance(other.slot, Quantity) and _figure(other.slot.value) in _figures(side.unit.text, side):
            return True
        if other.slot is not None and any(_same_value(other.slot, x) for x in (*side.unit.days, *side.unit.times)
                                          if x is not side.slot):
            return True
    return False


_FIGURE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")


def _figures(text: str, side: Side) -> set[str]:
    """The figures a sentence writes, outside the side's own value (digits, and number words)."""
    rest = text[: side.start - side.unit.start] + " " + text[side.end - side.unit.start:]
    out = set()
    for w in _FIGURE.findall(rest):
        if w[0].isdigit():
            out.add(_figure(float(w.replace(",", ""))) if w.replace(",", "").replace(".", "", 1).isdigit() else w)
        elif w.lower() in NUMBER_WORDS:
            out.add(_figure(float(NUMBER_WORDS[w.lower()])))
    return out


def _figure(x: float) -> str:
    return f"{x:g}"


def _same_value(x: Quantity | TimeExpression, y: Quantity | TimeExpression) -> bool:
    if isinstance(x, Quantity) and isinstance(y, Quantity):
        return x.value == y.value and x.unit == y.unit
    if isinstance(x, TimeExpression) and isinstance(y, TimeExpression):
        return (x.value, x.time) == (y.value, y.time)
    return False


def _grouped(found: list[_Conflict], units: Sequence[Unit], sources: Sources) -> list[FactDifference]:
    """One difference per connected set of conflicting values, its variants by value."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    def node(c: _Conflict, s: Side) -> tuple[str, str]:
        return c.kind, _norm(s.value)

    for c in found:
        parent[find(node(c, c.a))] = find(node(c, c.b))
    groups: dict[tuple[str, str], list[_Conflict]] = {}
    for c in found:
        groups.setdefault(find(node(c, c.a)), []).append(c)
    out = []
    for conflicts in groups.values():
        by_value: dict[str, list[Side]] = {}
        for c in conflicts:
            for s in (c.a, c.b):
                sides = by_value.setdefault(_norm(s.value), [])
                if all((x.unit.source, x.start) != (s.unit.source, s.start) for x in sides):
                    sides.append(s)
        stated = [sides + _also_stated(sides, units, sources) for sides in by_value.values()]
        stated.sort(key=lambda sides: (-sources.support(s.unit.source for s in sides), min(s.unit.source for s in sides)))
        if len({sources.origin[s.unit.source] for sides in stated for s in sides}) < 2:
            continue
        variants = [(_wording(sides), sides) for sides in stated]
        diff = FactDifference(conflicts[0].kind, _about(conflicts[0].kind, min(stated[0], key=_clean)), variants)
        _mark_evolution(diff, sources)
        out.append(diff)
    return sorted(out, key=lambda d: (d.kind, d.about))


def _also_stated(sides: list[Side], units: Sequence[Unit], sources: Sources) -> list[Side]:
    """Every other report that gives the same figure of the same kind: the other reports of a
    side's provenance (copies, versions: cited so the lineage shows), and independent sources
    that state it (a count of the same thing, a number of the same verb, the same clock time)."""
    have = {s.unit.source for s in sides}
    out: list[Side] = []
    for s in sides:
        for u in units:
            if u.source in have:
                continue
            kin = sources.origin[u.source] == sources.origin[s.unit.source]
            found = _same_figure(s, u, kin)
            if found is not None:
                out.append(found)
                have.add(u.source)
    return out


def _same_figure(s: Side, u: Unit, kin: bool) -> Side | None:
    x = s.slot
    if isinstance(x, Quantity):
        for q in u.numbers:
            if q.value == x.value and comparable(x, s.unit, q, u) and \
                    (kin or number_key(q, u).startswith(("count:", "age")) or same_verb(x, s.unit, q, u)):
                return _number_side(u, q)
    elif isinstance(x, TimeExpression) and x.time:
        for t in u.times:
            if t.time == x.time and (not t.timezone or not x.timezone or _zone(t.timezone) == _zone(x.timezone)):
                return Side(u, t.text, t.start, t.end, t)
    return None


def _norm(value: str) -> str:
    return " ".join(re.findall(r"\w+", value.lower()))


def _wording(sides: list[Side]) -> str:
    """How a value is shown: the wording most of its sources use (the cleanest among equals)."""
    counts: dict[str, int] = {}
    for side in sides:
        counts[side.value] = counts.get(side.value, 0) + 1
    return max(sides, key=lambda side: (counts[side.value], -_clean(side)[0], -side.unit.source)).value


def _clean(side: Side) -> tuple[int, int]:
    """Fewer marks of a broken rendering first, then the earliest source."""
    return garbled(side.unit.text), side.unit.source


def _about(kind: str, side: Side) -> str:
    """What the sources differ on, said with the clause of the clearest statement of one side."""
    clause = side.unit.clause
    if kind == "number" and isinstance(side.slot, Quantity):
        q = side.slot
        what = f"number of {q.counts}" if q.counts else ("duration" if q.unit == "minute" else q.unit) or \
            (f"number {q.verb}" if q.verb else "number")
        return f"{what}: {clause}"
    if kind == "fact":
        return f"whether {clause}"
    return f"{kind}: {clause}"


def _mark_evolution(diff: FactDifference, sources: Sources) -> None:
    """A count that rises from report to report is an evolution: latest report first, with its time."""
    if diff.kind != "number" or not _CUMULATIVE.search(diff.about):
        return
    times: list[datetime] = []
    for _, sides in diff.variants:
        stamps = [t for s in sides if (t := sources.articles[s.unit.source - 1].published) is not None]
        if not stamps:
            return
        times.append(max(stamps, key=lambda t: t.timestamp()))
    values = [float(sides[0].slot.value) for _, sides in diff.variants if isinstance(sides[0].slot, Quantity)]
    if len(values) != len(times) or len({t.timestamp() for t in times}) < len(times):
        return
    order = sorted(range(len(times)), key=lambda k: times[k].timestamp())
    if all(values[a] < values[b] for a, b in zip(order, order[1:])):
        latest_first = order[::-1]
        diff.variants = [diff.variants[k] for k in latest_first]
        diff.published = [times[k].isoformat() for k in latest_first]
        diff.evolution = True
