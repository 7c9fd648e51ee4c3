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
sources' different counts. Values far apart (612 and 80; $3.5 billion and
$7.7 billion) are not two reports of one figure but two figures, and do not
compare.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..analyse.model import Quantity, TimeExpression
from ..analyse.numbers import compatible

MAX_RATIO = 3.0  # two reports of one figure are off by less than this factor
MAX_DAYS = 14  # ... and two reports of one day by less than two weeks
MAX_HOURS = 3
CONVERSION = 0.03  # relative slack between a measure and its conversion to another unit


def compare_numbers(a: Sequence[Quantity], b: Sequence[Quantity]) -> bool | None:
    """Whether the numbers of two statements of one fact agree (see the module)."""
    verdict: bool | None = None
    for x in a:
        for y in b:
            v = number_agreement(x, y)
            if v is False:
                return False
            if v is True:
                verdict = True
    return verdict


def number_agreement(x: Quantity, y: Quantity, same_thing: bool = False) -> bool | None:
    """Whether two numbers agree; None when they are not two reports of one figure (``same_thing``:
    the caller knows they count one thing, see :func:`newsfuse.analyse.numbers.compatible`)."""
    ok = compatible(x, y, same_thing=same_thing)
    if ok is None or not plausible_ratio(x.value, y.value):
        return None
    if ok and _bounds_differ(x, y):
        return False
    return ok


def plausible_ratio(x: float, y: float) -> bool:
    lo, hi = sorted((abs(x), abs(y)))
    if lo == 0:
        return hi == 0
    return hi / lo <= MAX_RATIO


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
    """Whether the clock times two statements give agree (in one zone, within three hours)."""
    verdict: bool | None = None
    for x in a:
        for y in b:
            if not x.time or not y.time or (x.timezone and y.timezone and _zone(x.timezone) != _zone(y.timezone)):
                continue
            if x.time == y.time:
                verdict = True if verdict is None else verdict
            elif abs(minutes(x.time) - minutes(y.time)) <= MAX_HOURS * 60:
                return False
    return verdict


def minutes(hhmm: str) -> int:
    h, _, m = hhmm.partition(":")
    return int(h) * 60 + int(m or 0)


def _zone(tz: str) -> str:
    return "local" if tz.lower() in ("local", "local time") else tz.upper()
