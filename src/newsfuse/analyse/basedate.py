"""When was an article written? Its base date, given or estimated from the story.

Relative dates ("Thursday", "next month") need the day the text was written.
Metadata gives it for many articles (``published_via`` field, html, feed,
url); scraped texts often have none, or a page date that is the scrape day
(``date-line``) or the crawl day (``warc``), both only upper bounds.

:func:`estimate_base_dates` estimates the writing day of every article of a
story from evidence that it scores over candidate days:

- its own text: dates with a year bound it ("on 14 November 2024" in the past
  tense: written after; "talks on January 10, 2022" in the future tense:
  before), and every expression pulls it towards the events it names, the
  future ones harder (a text names the scheduled events of the coming weeks;
  its past references may be years old);
- weekdays in the past tense put it on or shortly after that weekday, in the
  future tense shortly before;
- "next month" / "this month" / "next year" must agree with the months and
  years the text names in the same tense ("next month's talks on January 10"
  puts the writing in December);
- a wire dateline ("PORT AVEL, March 6 (NWS)") or a date line consistent with
  the rest is a strong point; a date line or crawl date is an upper bound;
- the other articles of the story: their trustworthy dates, else a consensus of
  their own estimates (articles of one story are written within days).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple, Protocol

import numpy as np

from .dategrammar import FUTURE, PAST, PRESENT, Expression, scan

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["BaseDate", "estimate_base_date", "estimate_base_dates"]

# How far ``published_via`` can be trusted as the writing date.
TRUSTED = {"field": 1.0, "html": 1.0, "feed": 1.0, "url": 0.9}
UPPER_BOUNDS = {"date-line", "warc"}


class BaseDate(NamedTuple):
    """The date an article's relative expressions count from.

    ``via``: ``published`` (metadata, a wire dateline, or a date line the
    story confirms), ``estimated-from-story`` (other articles' dates helped),
    ``estimated-from-text`` (its own text alone), ``none``.
    """

    value: date | None
    via: str
    confidence: float


class ArticleLike(Protocol):
    id: str
    text: str
    published: datetime | None
    published_via: str | None


# Weights of the score (a penalty, lower is better). Violating a tense bound
# costs V; "pulls" grow with the log of the distance in days.
V = 4.0  # a dated past event after the writing day, a future one before it
A_FUT = 1.0  # pull towards future references
A_PAST = 0.3  # pull towards past references (they may be old)
A_UNK = 0.3  # pull towards references of unknown tense
A_WD = 1.0  # weekday: on or just after a past one, just before a future one
B_COHERE = 3.0  # "next month" agrees with the months named in the future tense
D_BOUND = 0.15  # pull towards an upper bound (a page date is rarely years late)
G_POINT = 3.0  # a stated date (dateline, accepted date line)
L_TRUSTED = 1.5  # the story's trustworthy dates
L_ESTIMATED = 1.0  # the story's estimated dates
SLACK = 1  # days a past month-day may lie after the candidate (time zones)
WINDOW = 200  # candidate days either side of the evidence centre
MAX_GAP = 3  # days a date line may lie after the story's dates and still be the writing day


@dataclass(slots=True)
class _Evidence:
    """What one article says about its own writing day."""

    absolute: list[tuple[int, int, str, str]] = field(default_factory=list)  # first, last ordinal, tense, grain
    monthdays: set[tuple[int, int, str]] = field(default_factory=set)  # month, day, tense
    months: set[tuple[int, str]] = field(default_factory=set)  # month, tense
    weekdays: set[tuple[int, str]] = field(default_factory=set)  # weekday, tense
    rel_months: set[tuple[int, str]] = field(default_factory=set)  # (+1 next / 0 this / -1 last month, tense)
    rel_years: set[tuple[int, str]] = field(default_factory=set)
    upper: date | None = None
    line: date | None = None  # a date line (maybe the writing day, maybe the scrape day)
    dateline: tuple[int | None, int, int] | None = None  # year, month, day of a wire dateline

    def centre(self) -> date | None:
        """A day near which to look when the story gives nothing: the latest dated reference."""
        refs = [b for a, b, _, g in self.absolute if g in ("day", "month")]
        if self.dateline and self.dateline[0]:
            return date(*self.dateline)  # type: ignore[arg-type]
        if refs:
            return date.fromordinal(max(refs))
        return self.upper


FIRST, LAST = date(1800, 1, 1), date(2200, 12, 31)  # when a news text may have been written


def _plausible(d: date) -> bool:
    return FIRST <= d <= LAST


def _evidence(article: ArticleLike, exprs: list[Expression]) -> _Evidence:
    ev = _Evidence()
    for e in exprs:
        if e.year is not None and not _plausible(date(e.year, 1, 1)):
            continue  # "in 1066" neither bounds nor places a news text
        if e.kind == "date" and e.year is not None and not e.ambiguous:
            a = date(e.year, e.month, e.day).toordinal()  # type: ignore[arg-type]
            ev.absolute.append((a, a + ((e.day2 or e.day) - e.day), e.tense, "day"))  # type: ignore[operator]
        elif e.kind in ("date", "holiday") and e.year is None:
            ev.monthdays.add((e.month, e.day, e.tense))  # type: ignore[arg-type]
        elif e.kind == "month" and e.year is not None:
            lo = date(e.year, e.month, 1)  # type: ignore[arg-type]
            hi = (date(e.year + e.month // 12, e.month % 12 + 1, 1) - timedelta(days=1))  # type: ignore[operator]
            ev.absolute.append((lo.toordinal(), hi.toordinal(), e.tense, "month"))
        elif e.kind == "month" and e.rel is None:
            ev.months.add((e.month, e.tense))  # type: ignore[arg-type]
        elif e.kind == "year" and e.year2 is None:
            first, last = date(e.year, 1, 1), date(e.year, 12, 31)  # type: ignore[arg-type]
            ev.absolute.append((first.toordinal(), last.toordinal(), e.tense, "year"))
        elif e.kind == "weekday" and e.rel in (None, "this"):
            # A past interval ("overnight from Thursday to Friday") was written after its last day.
            wd = e.weekday2 if (e.weekday2 is not None and e.tense == PAST) else e.weekday
            ev.weekdays.add((wd, e.tense))  # type: ignore[arg-type]
        elif e.kind == "period" and e.part in (None, "earlier", "later") and e.unit in ("month", "year"):
            k = {"next": 1, "coming": 1, "last": -1, "previous": -1, "this": 0}.get(e.rel or "")
            if k is not None:
                (ev.rel_months if e.unit == "month" else ev.rel_years).add((k, e.tense))
    via = getattr(article, "published_via", None)
    pub = getattr(article, "published", None)
    if pub is not None and via in UPPER_BOUNDS and _plausible(pub.date()):
        ev.upper = pub.date()
        if via == "date-line":
            ev.line = pub.date()
    dl = getattr(article, "dateline", None)
    if dl:
        for e in scan(dl):
            if e.kind == "date" and (e.year is None or _plausible(date(e.year, 1, 1))):
                ev.dateline = (e.year, e.month, e.day)  # type: ignore[assignment]
                break
    return ev


# --------------------------------------------------------------------------- scoring


@dataclass(slots=True)
class _Grid:
    """Candidate days and their calendar fields, as arrays."""

    ords: np.ndarray
    years: np.ndarray
    months: np.ndarray
    days: np.ndarray
    weekdays: np.ndarray

    @classmethod
    def around(cls, lo: int, hi: int) -> _Grid:
        ords = np.arange(lo, hi + 1)
        dt = (ords - date(1970, 1, 1).toordinal()).astype("datetime64[D]")
        years = dt.astype("datetime64[Y]").astype(int) + 1970
        months = dt.astype("datetime64[M]").astype(int) % 12 + 1
        days = (dt - dt.astype("datetime64[M]")).astype(int) + 1
        return cls(ords, years, months, days, (ords - 1) % 7)  # ordinal 1 (0001-01-01) is a Monday


def _pull(dist: np.ndarray, weight: float, scale: float = 1.0) -> np.ndarray:
    """A penalty growing with the log of a distance in days (``scale`` days per unit)."""
    return weight * np.log1p(np.maximum(dist, 0) / scale)


def _weeks(dist: np.ndarray, weight: float) -> np.ndarray:
    """A pull measured in weeks: it chooses the region; the weekdays choose the day."""
    return _pull(dist, weight, 7.0)


def _md_table(month: int, day: int, years: np.ndarray) -> np.ndarray:
    """Ordinal of (year, month, day) for each year (February 29 falls back to the 28th)."""
    uniq, inverse = np.unique(years, return_inverse=True)
    ords = np.array([_md_ord(int(y), month, day) for y in uniq], dtype=np.int64)
    return ords[inverse]


def _md_ord(y: int, month: int, day: int) -> int:
    try:
        return date(y, month, day).toordinal()
    except ValueError:
        return date(y, month, 28).toordinal()


def _score(ev: _Evidence, g: _Grid, prior: tuple[date, float] | None) -> np.ndarray:
    """The penalty of each candidate day (lower is better)."""
    d = g.ords
    pen = np.zeros(len(d))
    for a, b, tense, grain in ev.absolute:
        near = grain != "year"  # "in 2014" bounds the writing day but does not pull it
        if tense == PAST:
            pen += np.where(d < a, V, _weeks(d - b, A_PAST) if near else 0.0)
        elif tense == FUTURE:
            pen += np.where(d > a, V, _weeks(a - d, A_FUT) if near else 0.0)
        elif near:
            pen += _weeks(np.abs(d - (a + b) // 2), A_UNK)
    pen += _score_monthdays(ev, g)
    for wd, tense in ev.weekdays:
        if tense == PAST:
            pen += _pull((g.weekdays - wd) % 7, A_WD)
        elif tense == FUTURE:
            pen += _pull((wd - g.weekdays) % 7, A_WD)
        elif tense == PRESENT:
            pen += _pull((wd - g.weekdays) % 7, A_WD / 2)
        else:
            pen += _pull((g.weekdays - wd) % 7, A_WD / 2)
    pen -= _coherence(ev, g)
    if ev.upper is not None:
        u = ev.upper.toordinal()
        pen += np.where(d > u, V, _pull(u - d, D_BOUND))
    if ev.dateline is not None:
        pen += _pull(np.abs(d - _dateline_ord(ev.dateline, g)), G_POINT)
    if ev.line is not None and (prior is None or 0 <= (ev.line - prior[0]).days <= MAX_GAP):
        pen += np.where(d == ev.line.toordinal(), 0.0, G_POINT * math.log(2))
    if prior is not None:
        pen += _pull(np.abs(d - prior[0].toordinal()), prior[1])
    return pen


def _score_monthdays(ev: _Evidence, g: _Grid) -> np.ndarray:
    """Month-days without a year: each takes the year its tense gives it, and pulls."""
    d = g.ords
    pen = np.zeros(len(d))
    for month, day, tense in ev.monthdays:
        this = _md_table(month, day, g.years)
        if tense == PAST:
            x = np.where(this <= d + SLACK, this, _md_table(month, day, g.years - 1))
            pen += _weeks(d - x, A_PAST)
        elif tense == FUTURE:
            x = np.where(this >= d - SLACK, this, _md_table(month, day, g.years + 1))
            pen += _weeks(x - d, A_FUT)
        else:
            prev, nxt = _md_table(month, day, g.years - 1), _md_table(month, day, g.years + 1)
            dist = np.minimum(np.abs(this - d), np.minimum(np.abs(prev - d), np.abs(nxt - d)))
            pen += _weeks(dist, A_UNK)
    for month, tense in ev.months:
        # A month named without a day: how many months ahead or back it is
        if tense == PAST:
            pen += _pull((g.months - month) % 12, A_PAST)
        elif tense == FUTURE:
            pen += _pull((month - g.months) % 12, A_FUT)
    return pen


def _coherence(ev: _Evidence, g: _Grid) -> np.ndarray:
    """A bonus where "next month" / "this month" / "next year" agree with the
    months and years the text names in the same tense."""
    bonus = np.zeros(len(g.ords))
    named = {
        1: {m for m, _, t in ev.monthdays if t == FUTURE} | {m for m, t in ev.months if t == FUTURE},
        -1: {m for m, _, t in ev.monthdays if t == PAST} | {m for m, t in ev.months if t == PAST},
    }
    named[0] = named[1] | named[-1]
    for a, _, tense, grain in ev.absolute:
        if grain == "day":
            m = date.fromordinal(a).month
            named[0].add(m)
            if tense in (FUTURE, PAST):
                named[1 if tense == FUTURE else -1].add(m)
    for k, tense in ev.rel_months:
        # "this month" in the past tense agrees with the months named in the past tense
        key = k if k or tense not in (PAST, FUTURE) else (1 if tense == FUTURE else -1)
        months = named[key] if k == 0 else named[k]
        if months:
            target = (g.months - 1 + k) % 12 + 1
            bonus += B_COHERE * np.isin(target, sorted(months))
    if any(k == 1 for k, _ in ev.rel_years):
        # "early next year" with a future month-day that comes before today's
        # date in the calendar: the month-day is in next year, as said.
        here = g.months * 32 + g.days
        ahead = np.zeros(len(g.ords), dtype=bool)
        for m, dd, t in ev.monthdays:
            if t == FUTURE:
                ahead |= (m * 32 + dd) < here
        for a, _, tense, grain in ev.absolute:
            if tense == FUTURE and grain != "year":
                ahead |= g.years + 1 == date.fromordinal(a).year
        bonus += B_COHERE * ahead
    return bonus


def _dateline_ord(dl: tuple[int | None, int, int], g: _Grid) -> np.ndarray:
    y, m, dd = dl
    if y is not None:
        return np.full(len(g.ords), date(y, m, dd).toordinal())
    # No year: the (month, day) nearest each candidate
    this, prev, nxt = _md_table(m, dd, g.years), _md_table(m, dd, g.years - 1), _md_table(m, dd, g.years + 1)
    best = np.where(np.abs(prev - g.ords) < np.abs(this - g.ords), prev, this)
    return np.where(np.abs(nxt - g.ords) < np.abs(best - g.ords), nxt, best)


def _estimate(ev: _Evidence, prior: tuple[date, float] | None) -> tuple[date, float] | None:
    """The best day and how sharp the best is (1 = a single day stands out)."""
    centre = prior[0] if prior else ev.centre()
    if centre is None or not _plausible(centre):
        return None
    lo, hi = centre.toordinal() - WINDOW, centre.toordinal() + WINDOW
    if ev.upper is not None:
        hi = min(hi, ev.upper.toordinal())
        lo = min(lo, hi - 2 * WINDOW)
    lo, hi = max(lo, FIRST.toordinal()), min(hi, LAST.toordinal())
    if hi < lo:
        return None
    g = _Grid.around(lo, hi)
    pen = _score(ev, g, prior)
    # A tiny pull to the centre breaks ties between equally good days.
    pen = pen + 1e-4 * np.abs(g.ords - centre.toordinal())
    i = int(np.argmin(pen))
    near = int(np.sum(pen <= pen[i] + 0.5))
    return date.fromordinal(int(g.ords[i])), 1.0 / near


def _weighted_median(points: list[tuple[date, float]]) -> date:
    points = sorted(points)
    total = sum(w for _, w in points)
    acc = 0.0
    for d, w in points:
        acc += w
        if acc >= total / 2:
            return d
    return points[-1][0]


def _stated(ev: _Evidence, value: date) -> bool:
    """Whether the estimate is a date the article states about itself."""
    if ev.line == value:
        return True
    if ev.dateline is not None:
        y, m, dd = ev.dateline
        return (m, dd) == (value.month, value.day) and y in (None, value.year)
    return False


def _result(ev: _Evidence, est: tuple[date, float] | None, prior_kind: str | None) -> BaseDate:
    if est is None:
        return BaseDate(None, "none", 0.0)
    value, sharp = est
    if _stated(ev, value):
        return BaseDate(value, "published", 0.85)
    if prior_kind == "trusted":
        return BaseDate(value, "estimated-from-story", round(0.5 + 0.4 * sharp, 3))
    if prior_kind == "estimated":
        return BaseDate(value, "estimated-from-story", round(0.3 + 0.4 * sharp, 3))
    return BaseDate(value, "estimated-from-text", round(0.35 + 0.45 * sharp, 3))


def estimate_base_dates(
    articles: Sequence[ArticleLike],
    docs: Mapping[str, Doc] | None = None,
    *,
    expressions: Mapping[str, list[Expression]] | None = None,
) -> dict[str, BaseDate]:
    """The base (writing) date of every article of one story.

    Parameters
    ----------
    articles : sequence of Article
        The articles of one story (anything with ``id``, ``text``,
        ``published``, ``published_via`` and optionally ``dateline``).
    docs : mapping of article id to spacy Doc, optional
        Their parses (for the tense of each date); parsed here when missing.
    expressions : mapping of article id to list of Expression, optional
        What :func:`~newsfuse.analyse.temporal.find_expressions` found in
        them, when the caller has it already.

    Returns
    -------
    dict of article id to BaseDate
        ``(value, via, confidence)``; trustworthy publication dates are kept
        as they are (confidence 1, 0.9 for a date in the URL).
    """
    out: dict[str, BaseDate] = {}
    trusted: list[tuple[date, float]] = []
    evidence: dict[str, _Evidence] = {}
    for a in articles:
        via = getattr(a, "published_via", None)
        if a.published is not None and via in TRUSTED:
            out[a.id] = BaseDate(a.published.date(), "published", TRUSTED[via])
            if _plausible(a.published.date()):
                trusted.append((a.published.date(), TRUSTED[via]))
            continue
        exprs = expressions.get(a.id) if expressions else None
        if exprs is None:
            from .temporal import find_expressions  # temporal re-exports this module

            exprs = find_expressions(a.text, docs.get(a.id) if docs else None)
        evidence[a.id] = _evidence(a, exprs)
    if trusted:
        prior = (_weighted_median(trusted), L_TRUSTED)
        for aid, ev in evidence.items():
            out[aid] = _result(ev, _estimate(ev, prior), "trusted")
        return out
    # No trustworthy date in the story: each article on its own first, then
    # each again with the others' consensus (leave-one-out) as a prior.
    first = {aid: _estimate(ev, None) for aid, ev in evidence.items()}
    sharp = {aid: est for aid, est in first.items() if est is not None}
    for aid, ev in evidence.items():
        others = [(d, w) for oid, (d, w) in sharp.items() if oid != aid]
        if others:
            prior = (_weighted_median(others), L_ESTIMATED)
            out[aid] = _result(ev, _estimate(ev, prior), "estimated")
        else:
            out[aid] = _result(ev, first[aid], None)
    return out


def estimate_base_date(
    article: ArticleLike, story: Sequence[ArticleLike] = (), doc: Doc | None = None
) -> BaseDate:
    """The base date of one article, with the other articles of its story as evidence.

    See :func:`estimate_base_dates`.
    """
    arts = [article, *[s for s in story if s.id != article.id]]
    return estimate_base_dates(arts, {article.id: doc} if doc is not None else None)[article.id]
