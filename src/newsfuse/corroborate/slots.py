"""Slot by slot: do two statements of one fact give compatible numbers, days and times?

Two statements of one fact can still disagree on a detail: how many were
hurt (five or two), which day it happened (Friday or Saturday), at what time
(07:40 or 8:40). Each comparison says ``True`` (they agree), ``False``
(they cannot both be true, or give different figures an editor would flag)
or ``None`` (nothing to compare: no number of the same kind on both sides).

Numbers compare only when they measure the same kind of thing: the same
unit, or the same counted noun ("five people", "two people"). Vague and
precise values that can both be true agree ("about 50 minutes" and "nearly
an hour"; "at least 15" and 17), but two bounds of the same direction with
different figures ("at least six", "at least seven" killed) are two
sources' different counts. Values far apart are not two reports of one
figure but two figures, and do not compare: counts more than three times
apart (612 dead and 80), and measures (money, distances, shares) more than
half again apart ($3.5 billion and $7.7 billion are two sums: outlets that
disagree on a sum disagree by less).
"""

from __future__ import annotations

from collections.abc import Sequence

import re

from ..analyse.model import Quantity, TimeExpression
from ..analyse.numbers import compatible, count_key
from .units import Unit
from .words import stem

MAX_RATIO = 3.0  # two reports of one count (or duration) are off by less than this factor
MAX_MEASURE_RATIO = 1.5  # ... of one sum of money, distance, share: two sums twice apart are two sums
MAX_DAYS = 14  # ... and two reports of one day by less than two weeks
MAX_HOURS = 3
NAMED_SLACK = 5  # minutes around a named time (midnight, noon) that are the same time
CONVERSION = 0.03  # relative slack between a measure and its conversion to another unit


def compare_numbers(u: Unit, v: Unit) -> bool | None:
    """Whether the numbers of two statements of one fact agree: those of one kind (see
    :func:`comparable`) are compared, and one pair that cannot both be true is a conflict. A
    clause's numbers are also held against every number of the other's sentence: a source cites
    its sentence, and a sentence that gives 214 passengers does not confirm 212."""
    verdict = _agreement(u.numbers, u, v.numbers, v)
    if verdict is False:
        return False
    for a, b in ((u, v), (v, u)):
        if _agreement(a.numbers, a, [q for q in b.sentence_numbers if q not in b.numbers], b) is False:
            return False
    return verdict


def _agreement(xs: Sequence[Quantity], u: Unit, ys: Sequence[Quantity], v: Unit) -> bool | None:
    verdict: bool | None = None
    for x in xs:
        for y in ys:
            if not comparable(x, u, y, v):
                continue
            agree = number_agreement(x, y, same_thing=True)
            if agree is False:
                return False
            if agree is True:
                verdict = True
    return verdict


def number_key(q: Quantity, u: Unit) -> str:
    """What a number counts or measures: its unit, its counted noun, or else the verb it is the
    object of ("injuring 40")."""
    if q.unit:
        return q.unit
    key = count_key(q.counts)
    if key:
        return f"count:{key}"
    outcome = _outcome(q, u)  # "injuring 40"; "the death toll has risen to 24"
    return f"verb:{outcome}" if outcome else "?"


_TOLL = re.compile(r"\b(?:death toll|toll|number of (?:dead|deaths|victims)|bilan|cifra de muertos|opferzahl|"
                   r"zahl der toten)\b", re.I)


# Nouns that count people of no particular kind: "five people", "two villagers" and "three
# residents" hurt by one quake are counts of one thing.
PEOPLE = frozenset("person people individual resident villager civilian inhabitant citizen victim casualty".split())


def comparable(x: Quantity, u: Unit, y: Quantity, v: Unit) -> bool:
    """Whether two numbers measure or count the same kind of thing: the same unit (an age only
    of the one person both clauses name), the same counted noun, or people counted with the same
    verb ("five people injured", "two villagers injured", "injuring 40")."""
    kx, ky = number_key(x, u), number_key(y, v)
    if kx == "?" or ky == "?":
        return False
    if kx == "age" or ky == "age":
        people = _people(u)
        return kx == ky and len(people) == 1 and people == _people(v)
    ox, oy = _outcome(x, u), _outcome(y, v)
    if ox in _VERB_CLASSES and oy in _VERB_CLASSES and ox != oy:
        return False  # five people injured, twelve people killed: two counts
    if kx == ky:
        return True
    if x.unit or y.unit or not same_verb(x, u, y, v):
        return False
    nouns = {k.split(":", 1)[1] for k in (kx, ky) if k.startswith("count:")}
    return nouns <= PEOPLE


def _people(u: Unit) -> set[str]:
    return {a for a in u.anchors if a.startswith("e:PERSON:")}


def same_verb(x: Quantity, u: Unit, y: Quantity, v: Unit) -> bool:
    """Whether two numbers are arguments of the same verb ("injuring 40", "injured almost 50"),
    or of verbs news uses for one thing ("two people were hurt", "five were injured"; "killed 12",
    "the death toll rose to 24")."""
    a, b = _outcome(x, u), _outcome(y, v)
    return a is not None and a == b


def _outcome(q: Quantity, u: Unit) -> str | None:
    if q.verb:
        return verb_class(q.verb)
    return "kill" if _TOLL.search(u.clause) else None


# Verbs that count the same outcome, by their stems (see pairs.stem).
_VERB_CLASSES = {
    "injure": ("injur", "hurt", "wound", "bless", "verle"),
    "kill": ("kill", "die", "died", "dead", "tués", "tué", "tuer", "murie", "matar", "getöt", "töte", "starb"),
    "arrest": ("arres", "detai", "appre", "nabb", "nab", "held", "custo"),
    "evacuate": ("evacu",),
    "rescue": ("rescu", "sav", "save"),
}
_CLASS_OF = {s: name for name, stems in _VERB_CLASSES.items() for s in stems}


def verb_class(verb: str) -> str:
    """The outcome a verb counts ("hurt", "injured", "wounded": injure), else its stem."""
    s = stem(verb)
    return _CLASS_OF.get(s, s)


def number_agreement(x: Quantity, y: Quantity, same_thing: bool = False) -> bool | None:
    """Whether two numbers agree; None when they are not two reports of one figure (``same_thing``:
    the caller knows they count one thing, see :func:`newsfuse.analyse.numbers.compatible`)."""
    ok = compatible(x, y, same_thing=same_thing)
    limit = MAX_RATIO if x.unit in (None, "minute") else MAX_MEASURE_RATIO
    if ok is None or not plausible_ratio(x.value, y.value, limit):
        return None
    if ok and _bounds_differ(x, y):
        return False
    return ok


def plausible_ratio(x: float, y: float, limit: float = MAX_RATIO) -> bool:
    lo, hi = sorted((abs(x), abs(y)))
    if lo == 0:
        return hi == 0
    return hi / lo <= limit


def _bounds_differ(x: Quantity, y: Quantity) -> bool:
    """Two lower bounds (or two upper bounds) with different figures: each source's own count."""
    lower = x.low is not None and x.high is None and y.low is not None and y.high is None
    upper = x.high is not None and x.low is None and y.high is not None and y.low is None
    return (lower or upper) and not x.approx and not y.approx and x.value != y.value


def compare_days(a: Sequence[TimeExpression], b: Sequence[TimeExpression]) -> bool | None:
    """Whether the days two statements give agree: overlapping periods agree; days apart by up
    to two weeks conflict; farther apart they are two different times, not a conflict."""
    verdict: bool | None = None
    for x in a:
        for y in b:
            if x.value is None or y.value is None:
                continue
            x_last, y_last = x.last or x.value, y.last or y.value
            if x.value <= y_last and y.value <= x_last:
                verdict = True if verdict is None else verdict
                continue
            gap = min(abs((x.value - y_last).days), abs((y.value - x_last).days))
            if x.grain == y.grain == "day" and gap <= MAX_DAYS:
                return False
    return verdict


def compare_times(a: Sequence[TimeExpression], b: Sequence[TimeExpression]) -> bool | None:
    """Whether the clock times two statements give agree (in one zone, within three hours).
    Midnight and noon are named, not read off a clock: a time a few minutes from them agrees
    ("12:01 a.m." and "midnight" are one deadline). A time both give agrees, whatever else
    either gives ("left at 7:10 and ran aground at 7:40" against "ran aground at 7:40")."""
    verdict: bool | None = None
    for x in a:
        for y in b:
            if not x.time or not y.time or (x.timezone and y.timezone and zone(x.timezone) != zone(y.timezone)):
                continue
            gap = abs(minutes(x.time) - minutes(y.time))
            gap = min(gap, 24 * 60 - gap)
            if gap == 0 or (gap <= NAMED_SLACK and (_named(x) or _named(y))):
                return True
            if gap <= MAX_HOURS * 60:
                verdict = False
    return verdict


_NAMED = re.compile(r"midnight|noon|midday|minuit|midi|medianoche|mediod[ií]a|mitternacht|mittag|mezzanotte|"
                    r"mezzogiorno", re.I)


def _named(t: TimeExpression) -> bool:
    return bool(_NAMED.search(t.text))


def minutes(hhmm: str) -> int:
    h, _, m = hhmm.partition(":")
    return int(h) * 60 + int(m or 0)


def zone(tz: str) -> str:
    """A time zone's name, local time as one."""
    return "local" if tz.lower() in ("local", "local time") else tz.upper()
