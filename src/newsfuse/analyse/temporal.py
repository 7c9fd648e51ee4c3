"""Date and time expressions: found by a regular grammar, resolved to absolute days.

Two steps, so that the story-level base-date estimation (:mod:`.basedate`) can
reuse the first one without a base date:

1. :func:`find_expressions` finds every date or time expression of a text
   ("Thursday", "on December 7", "the 10th. January", "two days later",
   "earlier this week", "15:35 (20:35 GMT)") and the tense of the clause it
   sits in (past, future, present, unknown), from the spaCy parse.
2. :func:`resolve` turns them into :class:`~newsfuse.analyse.model.TimeExpression`
   objects: absolute days or intervals with a confidence, relative to a base
   date (the article's publication date, given or estimated) or, for "two days
   later" / "the next day", to the previous date the text has named.

The resolution rules (the ones that differ from what general-purpose date
parsers do):

- a weekday equal to the base day is the base day, not a week later or before;
- in past-tense context a weekday is the most recent such day on or before the
  base, in future-tense context ("will meet on Monday") the next one on or
  after it; "next Monday" / "last Monday" are strictly after / before;
- a month-day without a year takes the year that puts it nearest the base in
  the direction of the tense (a future "January 10" written in December is
  next January; a past "December 7" written in January is last December);
- relative expressions inherit the base's confidence, scaled down.

English first; French, German, Spanish and Italian month and weekday names
(from :mod:`newsfuse.dates`) work in day-month forms ("10 janvier 2022",
"10. Januar", "10 de enero").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..text import sentence_spans
from .dategrammar import FUTURE, PAST, PRESENT, UNKNOWN, Expression, scan
from .model import TimeExpression
from .tense import assign_tenses

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "FUTURE", "PAST", "PRESENT", "UNKNOWN", "BaseDate", "Expression", "build_timeline", "estimate_base_date",
    "estimate_base_dates", "extract_dates", "find_expressions", "resolve", "scan",
]


def find_expressions(text: str, doc: Doc | None = None) -> list[Expression]:
    """Every date or time expression of ``text``, in text order, with its tense.

    Parameters
    ----------
    text : str
        The cleaned article text.
    doc : spacy.tokens.Doc, optional
        The parse of ``text`` (from :func:`newsfuse.analyse.nlp.parse`); it
        gives the tense of each expression's clause. Parsed here when None.

    Returns
    -------
    list of Expression
        Non-overlapping (the longest match wins), sorted by start.
    """
    chosen = scan(text)
    if not chosen:
        return []
    if doc is None or not _same_text(doc, text):
        from .nlp import parse

        doc = parse(text)
    assign_tenses(chosen, text, doc)
    # "in two weeks" is a date only when it looks ahead ("it reopens in two weeks");
    # "built in two years", "the second call in a month" are durations
    return [e for e in chosen if not (e.kind == "offset" and e.direction > 0 and _not_ahead(e, text))]


def _not_ahead(e: Expression, text: str) -> bool:
    return e.tense not in (FUTURE, PRESENT) or _counted(text, e.start)


def _same_text(doc: Doc, text: str) -> bool:
    """A cheap check that ``doc`` is the parse of ``text`` (``doc.text`` rebuilds the string)."""
    if not len(doc):
        return not text.strip()
    last = doc[-1]
    return last.idx + len(last.text_with_ws) == len(text) and text.startswith(doc[0].text, doc[0].idx)


# An ordinal, a count or a superlative before "in a month" in the same clause
# makes it a span of time: "the second call in a month", "the highest in ten years".
_COUNTED = re.compile(
    r"\b(?:times?|twice|once|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|only|most|least|"
    r"highest|lowest|biggest|largest|smallest|longest|shortest|worst|best|strongest|weakest|deadliest|fastest)"
    r"\b[^.;:!?]*$",
    re.I,
)


def _counted(text: str, start: int) -> bool:
    """Whether "in a month" counts something ("the second time in a month")."""
    return bool(_COUNTED.search(text, max(0, start - 80), start))


# --------------------------------------------------------------------------- calendar


def _month_end(y: int, m: int) -> date:
    return date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def _shift(d: date, n: int, unit: str) -> date:
    """``d`` moved by ``n`` units (months and years keep the day where they can)."""
    if unit in ("day", "week", "fortnight"):
        return d + timedelta(days=n * {"day": 1, "week": 7, "fortnight": 14}[unit])
    months = n * {"month": 1, "year": 12, "decade": 120}[unit]
    y, m = _add_months(d.year, d.month, months)
    return date(y, m, min(d.day, _month_end(y, m).day))


def _grain(unit: str) -> str:
    return {"fortnight": "week", "decade": "year"}.get(unit, unit)


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _pick_year(month: int, day: int, base: date, tense: str, slack: int) -> date | None:
    """The (month, day) nearest ``base`` in the direction of the tense.

    ``slack`` days of tolerance: a past-tense date one day after an estimated
    base is more likely a base off by a day than an event a year ago.
    """
    cands = [d for y in (base.year - 1, base.year, base.year + 1) if (d := _safe(y, month, day))]
    if not cands:
        return None
    if tense == PAST:
        ok = [d for d in cands if d <= base + timedelta(days=slack)]
        return max(ok) if ok else min(cands)
    if tense == FUTURE:
        ok = [d for d in cands if d >= base - timedelta(days=slack)]
        return min(ok) if ok else max(cands)
    return min(cands, key=lambda d: (abs((d - base).days), d > base))


def _pick_month(month: int, base: date, tense: str, rel: str | None) -> tuple[int, int]:
    """The year of a month named without one ("in January")."""
    here = base.year * 12 + base.month - 1
    cands = [(y * 12 + month - 1) for y in (base.year - 1, base.year, base.year + 1)]
    if rel == "next" or rel == "coming":
        i = min(c for c in cands if c > here)
    elif rel == "last":
        i = max(c for c in cands if c < here)
    elif tense == PAST:
        i = max(c for c in cands if c <= here)
    elif tense == FUTURE:
        i = min(c for c in cands if c >= here)
    else:
        i = min(cands, key=lambda c: (abs(c - here), c > here))
    return i // 12, i % 12 + 1


def _weekday_date(wd: int, base: date, tense: str, rel: str | None) -> date:
    """The day a weekday name refers to (a weekday equal to the base day is the base day)."""
    back = (base.weekday() - wd) % 7
    ahead = (wd - base.weekday()) % 7
    if rel in ("next", "coming"):
        return base + timedelta(days=ahead or 7)
    if rel in ("last", "previous", "past"):
        return base - timedelta(days=back or 7)
    if tense in (FUTURE, PRESENT):
        return base + timedelta(days=ahead)
    return base - timedelta(days=back)


def _part_of(lo: date, hi: date, part: str | None, unit: str) -> tuple[date, date]:
    """The early / mid / late third (or the end, or the beginning) of an interval."""
    if not part:
        return lo, hi
    if unit == "year" and lo.year == hi.year:
        # Parts of a year in months: early = January-April, end = December
        first, last = {"early": (1, 4), "mid": (5, 8), "late": (9, 12), "end": (12, 12)}.get(part, (1, 12))
        return date(lo.year, first, 1), _month_end(lo.year, last)
    n = (hi - lo).days + 1
    a, b = n // 3, 2 * n // 3
    if part == "early":
        return lo, lo + timedelta(days=max(a - 1, 0))
    if part == "mid":
        return lo + timedelta(days=a), lo + timedelta(days=max(b - 1, a))
    if part in ("late", "end"):
        return lo + timedelta(days=b), hi
    return lo, hi


def _unit_bounds(d: date, unit: str) -> tuple[date, date]:
    if unit == "week":
        lo = d - timedelta(days=d.weekday())
        return lo, lo + timedelta(days=6)
    if unit == "weekend":
        sat = d - timedelta(days=d.weekday()) + timedelta(days=5)
        return sat, sat + timedelta(days=1)
    if unit == "month":
        return d.replace(day=1), _month_end(d.year, d.month)
    return date(d.year, 1, 1), date(d.year, 12, 31)


# --------------------------------------------------------------------------- resolving


@dataclass(slots=True)
class _Day:
    """A resolved value before it becomes a TimeExpression."""

    value: date
    last: date
    grain: str
    confidence: float
    relative: bool


def resolve(
    exprs: list[Expression], text: str, base: date | None, base_confidence: float = 1.0
) -> list[TimeExpression]:
    """Resolve found expressions to absolute days, in text order.

    Parameters
    ----------
    exprs : list of Expression
        From :func:`find_expressions` on ``text``.
    text : str
        The text they were found in (for the ``text`` of each result and to
        find the sentence a clock time belongs to).
    base : date or None
        The date relative expressions count from (the writing date). When
        None, only what the text itself dates gets a value.
    base_confidence : float
        How sure the base is; relative results are scaled by it.

    Returns
    -------
    list of TimeExpression
        One per expression; ``value`` is None when it cannot be resolved.
    """
    days: list[_Day | None] = [None] * len(exprs)
    anchor: _Day | None = None
    for i, e in enumerate(exprs):
        if e.kind == "time":
            continue
        try:
            if e.kind == "anchored":
                ref = days[e.target] if e.target is not None and e.target < i else None
                if e.target is not None and e.target > i:
                    ref = _resolve_plain(exprs[e.target], base, base_confidence)
                days[i] = _resolve_anchored(e, ref, anchor, base, base_confidence)
            else:
                days[i] = _resolve_plain(e, base, base_confidence)
        except (ValueError, OverflowError):
            days[i] = None  # beyond the calendar (year 1 or 9999): "900 decades ago"
        if days[i] is not None:
            # "In July ... three weeks later": the story has moved to a time we cannot count from,
            # so a count does not reach back past it to an older day
            anchor = days[i] if _is_anchor(e, days[i]) else None  # type: ignore[arg-type]
    _attach_times(exprs, days, text, base, base_confidence)
    out = []
    for e, d in zip(exprs, days):
        out.append(
            TimeExpression(
                start=e.start,
                end=e.end,
                text=text[e.start : e.end],
                value=d.value if d else None,
                last=d.last if d else None,
                grain=d.grain if d else _default_grain(e),
                time=e.time,
                timezone=e.timezone,
                relative=d.relative if d else not e.has_year,
                confidence=round(d.confidence, 3) if d else 0.0,
            )
        )
    return out


def _default_grain(e: Expression) -> str:
    if e.kind == "year":
        return "year"
    if e.kind == "month":
        return "month"
    return _grain(e.unit) if e.unit and e.kind == "period" else "day"


def _is_anchor(e: Expression, d: _Day) -> bool:
    """Whether "two days later" may count from this: a named day or interval
    ("yesterday" included), or an absolute month or year; not "this week",
    "next month" or "two weeks ago"."""
    if e.kind in ("period", "offset"):
        return False
    return d.grain == "day" or e.has_year


def _resolve_plain(e: Expression, base: date | None, bc: float) -> _Day | None:
    """Resolve anything that does not count from another expression."""
    k = e.kind
    if k == "date":
        return _resolve_date(e, base, bc)
    if k == "holiday":
        if base is None:
            return None
        d = _pick_year(e.month, e.day, base, e.tense, 1 if bc >= 0.9 else 3)  # type: ignore[arg-type]
        return _Day(d, d, "day", 0.9 * (0.6 + 0.4 * bc), True) if d else None
    if k == "month":
        return _resolve_month(e, base, bc)
    if k == "year":
        lo, hi = date(e.year, 1, 1), date(e.year2 or e.year, 12, 31)  # type: ignore[arg-type]
        lo, hi = _part_of(lo, hi, e.part, "year")
        return _Day(lo, hi, "year", 0.95, False)
    if base is None:
        return None
    if k == "weekday":
        return _resolve_weekday(e, base, bc)
    if k == "deictic":
        d = base + timedelta(days=e.n)
        return _Day(d, d, "day", 0.9 * bc, True)
    if k == "offset":
        d = _shift(base, e.direction * e.n, e.unit)  # type: ignore[arg-type]
        return _Day(d, d, _grain(e.unit), 0.85 * bc, True)  # type: ignore[arg-type]
    if k == "period":
        return _resolve_period(e, base, bc)
    return None


def _resolve_date(e: Expression, base: date | None, bc: float) -> _Day | None:
    month, day = e.month, e.day
    assert month is not None and day is not None
    if e.year is not None:
        d = date(e.year, month, day)
        conf = 0.6 if e.ambiguous else 0.95
        rel = False
    else:
        if base is None:
            return None
        d = None
        if e.weekday is not None:
            # "Monday, 10 March": the year whose 10 March is a Monday, near the base
            years = (base.year - 1, base.year, base.year + 1)
            fits = [x for y in years if (x := _safe(y, month, day)) and x.weekday() == e.weekday]
            if len(fits) == 1:
                d = fits[0]
        conf = 0.9 if d else 0.9 * (0.6 + 0.4 * bc)
        d = d or _pick_year(month, day, base, e.tense, 1 if bc >= 0.9 else 3)
        if d is None:
            return None
        rel = True
    last = d.replace(day=e.day2) if e.day2 else d
    return _Day(d, last, "day", conf, rel)


def _resolve_month(e: Expression, base: date | None, bc: float) -> _Day | None:
    if e.year is not None:
        y, m = e.year, e.month
        conf, rel = 0.95, False
    elif base is None:
        return None
    elif e.years is not None:  # "in January this year"
        y, m = base.year + e.years, e.month
        conf, rel = 0.85 * (0.6 + 0.4 * bc), True
    else:
        y, m = _pick_month(e.month, base, e.tense, e.rel)  # type: ignore[arg-type]
        conf, rel = 0.85 * (0.6 + 0.4 * bc), True
    lo, hi = _part_of(date(y, m, 1), _month_end(y, m), e.part, "month")  # type: ignore[arg-type]
    return _Day(lo, hi, "month", conf, rel)


def _resolve_weekday(e: Expression, base: date, bc: float) -> _Day:
    wd = e.weekday
    assert wd is not None
    d = _weekday_date(wd, base, e.tense, e.rel)
    last = d + timedelta(days=(e.weekday2 - wd) % 7) if e.weekday2 is not None else d
    sure = e.rel is not None or e.tense in (PAST, FUTURE)
    return _Day(d, last, "day", (0.85 if sure else 0.7) * bc, True)


def _resolve_period(e: Expression, base: date, bc: float) -> _Day:
    unit = e.unit or "week"
    rel, part = e.rel, e.part
    if rel == "past":  # "the past week": a rolling window up to the base
        span = {"week": 7, "weekend": 7, "month": 30, "year": 365}[unit]
        return _Day(base - timedelta(days=span), base, _grain(unit if unit != "weekend" else "week"), 0.8 * bc, True)
    ref = base
    step = {"week": 7, "weekend": 7}.get(unit)
    k = {"next": 1, "coming": 1, "last": -1, "previous": -1}.get(rel or "", 0)
    if unit == "weekend" and k == 1 and base.weekday() < 5:
        k = 0  # "next weekend" said on a weekday: the coming one
    if unit == "weekend" and k == 0 and e.tense == PAST and base.weekday() < 5:
        k = -1  # "this weekend" in the past tense, written on a weekday: the one just gone
    if step:
        ref = base + timedelta(days=step * k)
    elif k:
        ref = _shift(base.replace(day=1), k, "month" if unit == "month" else "year")
    lo, hi = _unit_bounds(ref, unit)
    if part == "earlier" and k == 0:
        lo, hi = lo, max(lo, base - timedelta(days=1))
    elif part == "later" and k == 0:
        lo, hi = min(hi, base + timedelta(days=1)), hi
    elif part in ("earlier", "later"):
        lo, hi = _part_of(lo, hi, "early" if part == "earlier" else "late", unit)
    else:
        lo, hi = _part_of(lo, hi, part, unit)
    grain = "week" if unit == "weekend" else unit
    if unit == "year" and part == "end":
        grain = "month"
    # A week counts from the base's day; a month or a year only needs its month right.
    conf = 0.85 * bc if unit in ("week", "weekend") else 0.85 * (0.6 + 0.4 * bc)
    return _Day(lo, hi, grain, conf, True)


def _resolve_anchored(
    e: Expression, target: _Day | None, anchor: _Day | None, base: date | None, bc: float
) -> _Day | None:
    """"two days later", "the next day", "that day": from the given target or the previous anchor."""
    unit = e.unit or "day"
    if target is not None:
        ref, conf = target, target.confidence * 0.9
    elif e.part == "pre":
        return None  # "a year after he became president": counted from an event we cannot date
    elif anchor is not None:
        ref, conf = anchor, anchor.confidence * 0.85
    elif base is not None and unit == "day" and e.n <= 1:
        ref, conf = _Day(base, base, "day", bc, True), bc * 0.6  # "the next day" with nothing before it
    else:
        return None  # "three weeks later" and no date to count from: not the report's day
    if e.direction == 0:
        lo, hi = (ref.value, ref.last) if unit == "day" else _unit_bounds(ref.value, unit)
        return _Day(lo, hi, _grain(unit) if unit != "day" else ref.grain, conf, True)
    start = ref.last if e.direction > 0 else ref.value
    d = _shift(start, e.direction * e.n, unit)
    if e.part == "which" and unit in ("week", "month", "year"):
        lo, hi = _unit_bounds(d, unit)  # "the following week" is that whole week
        return _Day(lo, hi, unit, conf, True)
    grain = _grain(unit) if ref.grain == "day" else ref.grain
    return _Day(d, d, grain, conf, True)


def _attach_times(exprs: list[Expression], days: list[_Day | None], text: str, base: date | None, bc: float) -> None:
    """A clock time belongs to the day named in its sentence, else to the last day named before it."""
    sentences = sentence_spans(text)
    anchor: _Day | None = None
    for i, e in enumerate(exprs):
        if e.kind != "time":
            if days[i] is not None and _is_anchor(e, days[i]) and days[i].grain == "day":  # type: ignore[union-attr]
                anchor = days[i]
            continue
        lo, hi = next(((a, b) for a, b in sentences if a <= e.start < b), (e.start, e.end))
        same = [
            (abs(exprs[j].start - e.start), days[j])
            for j in range(len(exprs))
            if j != i and exprs[j].kind != "time" and days[j] is not None and lo <= exprs[j].start < hi
            and days[j].grain == "day" and days[j].value == days[j].last  # type: ignore[union-attr]
        ]
        if same:
            day = min(same, key=lambda t: t[0])[1]
            conf = day.confidence * 0.95  # type: ignore[union-attr]
        elif anchor is not None:
            day, conf = anchor, anchor.confidence * 0.85
        elif base is not None:
            day, conf = _Day(base, base, "day", bc, True), 0.7 * bc
        else:
            continue
        days[i] = _Day(day.value, day.value, "day", conf, True)  # type: ignore[union-attr]


def extract_dates(
    text: str, base: date | None, *, base_confidence: float = 1.0, doc: Doc | None = None
) -> list[TimeExpression]:
    """Every date or time expression of ``text``, resolved to an absolute day or interval.

    Parameters
    ----------
    text : str
        The cleaned article text.
    base : date or None
        The article's publication (writing) date, given or estimated with
        :func:`newsfuse.analyse.timeline.estimate_base_dates`. Relative
        expressions ("Thursday", "yesterday", "next month") count from it;
        when None they get no value, but absolute dates and what counts from
        them ("January 10, 2022 ... two days later") still do.
    base_confidence : float, default=1.0
        How sure the base is; relative results inherit it, scaled down.
    doc : spacy.tokens.Doc, optional
        The shared parse of ``text``; parsed here when None.

    Returns
    -------
    list of TimeExpression
        In text order; ``text[e.start:e.end] == e.text`` for each.

    Examples
    --------
    >>> from datetime import date
    >>> [(e.text, e.value.isoformat()) for e in extract_dates("They met on Thursday.", date(2021, 12, 31))]
    [('Thursday', '2021-12-30')]
    """
    return resolve(find_expressions(text, doc), text, base, base_confidence)


# The story-level parts, importable from here too (one module to import from).
from .basedate import BaseDate, estimate_base_date, estimate_base_dates  # noqa: E402
from .timeline import build_timeline  # noqa: E402
