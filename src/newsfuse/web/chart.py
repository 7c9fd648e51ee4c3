"""The story's timeline as a chart: an SVG drawn on the server, no script.

One row per timeline entry: its date on a time axis (a dot for a day, a bar
for a month, a week or a year), its text and the sources that date it. News
timelines mix the event's day with background years before ("annexed Crimea in
2014"), so a linear axis would squeeze the story into a sliver: long empty
stretches are cut out of the axis and drawn as breaks (a hatched band), and
each stretch in between keeps a linear scale of its own.

The chart is data, not markup: :func:`timeline_chart` returns geometry that
the template draws (and escapes); nothing here builds SVG strings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ..brief.model import Brief, TimelineItem

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")

# Layout, in SVG user units (the chart scales to its box; these are its proportions).
WIDTH = 900
WHEN_W = 132  # left: the date of each entry, then its text
LABEL_W = 372
PLOT_X0, PLOT_X1 = LABEL_W + 22, WIDTH - 64  # right of PLOT_X1: room for source numbers
AXIS_H = 34
ROW_H = 26
BREAK_W = 18
MIN_SEGMENT_W = 40
GAP_DAYS = 45  # an empty stretch longer than this is cut out of the axis
TEXT_CHARS = 37  # of an entry's text shown in its row (the whole text is in the list below)


@dataclass(slots=True)
class Row:
    index: int  # the entry's position in the brief's timeline (its anchor is #tl-{index})
    y: float
    when: str  # "10 Jan 2022", "Jun 2021", "2014"
    text: str  # shortened
    full: str
    x0: float
    x1: float  # == x0 for a day
    sources: list[int]
    single: bool  # one independent source only
    clipped: bool  # a period that ends in a cut-out stretch of the axis
    label_x: float
    label_anchor: str  # start or end
    source_label: str


@dataclass(slots=True)
class Tick:
    x: float
    label: str
    major: bool  # a label with a year
    anchor: str = "middle"


@dataclass(slots=True)
class Break:
    x: float


@dataclass(slots=True)
class Chart:
    width: int
    height: float
    rows: list[Row]
    ticks: list[Tick]
    breaks: list[Break]
    plot_x0: float = PLOT_X0
    plot_x1: float = PLOT_X1
    axis_y: float = AXIS_H
    label_w: int = LABEL_W
    when_w: int = WHEN_W
    row_h: int = ROW_H
    undated: list[int] = field(default_factory=list)  # entries whose date could not be read


@dataclass(slots=True)
class _Segment:
    first: int  # day ordinals
    last: int
    x0: float = 0.0
    x1: float = 0.0

    def x(self, day: int) -> float:
        if self.last == self.first:
            return (self.x0 + self.x1) / 2
        return self.x0 + (day - self.first) / (self.last - self.first) * (self.x1 - self.x0)


def timeline_chart(brief: Brief) -> Chart | None:
    """The chart of ``brief.timeline`` (None when it has no readable date)."""
    dated = [(i, t, span) for i, t in enumerate(brief.timeline) if (span := days(t.date)) is not None]
    if not dated:
        return None
    # a long period's end does not stretch the axis: its bar runs into the break after its start
    starts = {a for _, _, (a, _) in dated}
    segments = _segments(sorted(starts | {b for _, _, (a, b) in dated if b - a <= GAP_DAYS}))
    independent = _independent(brief)
    rows = [_row(k, i, t, a, b, segments, independent) for k, (i, t, (a, b)) in enumerate(dated)]
    height = AXIS_H + len(rows) * ROW_H + 10
    undated = [i for i, t in enumerate(brief.timeline) if days(t.date) is None]
    return Chart(WIDTH, height, rows, _ticks(segments, starts), [Break(s.x1 + BREAK_W / 2) for s in segments[:-1]],
                 undated=undated)


def days(value: str) -> tuple[int, int] | None:
    """An entry's date as (first, last) day ordinals: ``2022-01-10`` or ``2021-12-01/2021-12-31``."""
    first, _, last = (value or "").partition("/")
    a, b = _ordinal(first), _ordinal(last) if last else None
    if a is None:
        return None
    return (a, b) if b is not None and b >= a else (a, a)


def _ordinal(value: str) -> int | None:
    m = _DAY.match(value)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).toordinal()
    except ValueError:
        return None


def _segments(points: list[int]) -> list[_Segment]:
    """Runs of dates without a long empty stretch between them, laid out left to right."""
    segments = [_Segment(points[0], points[0])]
    for p in points[1:]:
        if p - segments[-1].last > GAP_DAYS:
            segments.append(_Segment(p, p))
        else:
            segments[-1].last = p
    free = (PLOT_X1 - PLOT_X0) - BREAK_W * (len(segments) - 1) - MIN_SEGMENT_W * len(segments)
    total = sum(s.last - s.first for s in segments) or 1
    x = float(PLOT_X0)
    for s in segments:
        s.x0 = x
        s.x1 = x + MIN_SEGMENT_W + free * (s.last - s.first) / total
        x = s.x1 + BREAK_W
    return segments


def _x(day: int, segments: Sequence[_Segment]) -> float:
    """Where a day is on the axis; a day in a cut-out stretch is placed in its break
    (after the last stretch: just past its end)."""
    before = segments[0]
    for s in segments:
        if s.first <= day <= s.last:
            return s.x(day)
        if s.last < day:
            before = s
    return before.x1 + BREAK_W / 2 if before is not segments[-1] else before.x1 + 8


def _independent(brief: Brief) -> dict[int, int]:
    """Source number -> the original it copies (itself for an original): copies count once."""
    by_id = {s.id: s for s in brief.sources}
    return {s.id: (s.copy_of if s.copy_of in by_id else s.id) for s in brief.sources}


def _row(k: int, index: int, t: TimelineItem, a: int, b: int, segments: Sequence[_Segment],
         independent: dict[int, int]) -> Row:
    x0, x1 = _x(a, segments), _x(b, segments)
    clipped = not any(s.first <= b <= s.last for s in segments)
    sources = sorted(set(t.sources))
    label = " ".join(str(n) for n in sources[:8]) + (f" +{len(sources) - 8}" if len(sources) > 8 else "")
    right = x1 + 10
    anchor, lx = ("start", right) if right + 7 * len(label) <= WIDTH else ("end", x0 - 10)
    text = " ".join(t.text.split())
    short = text if len(text) <= TEXT_CHARS else text[: TEXT_CHARS - 1].rstrip() + "…"
    single = len({independent.get(n, n) for n in sources}) < 2
    return Row(index, AXIS_H + k * ROW_H + ROW_H / 2, when(a, b), short, text, x0, x1, sources, single, clipped,
               lx, anchor, label)


def when(a: int, b: int) -> str:
    """A short label of a day or an interval: '10 Jan 2022', 'Jun 2021', '2014', '27 Dec – 2 Jan 2022'."""
    first, last = date.fromordinal(a), date.fromordinal(b)
    if a == b:
        return f"{first.day} {MONTHS[first.month - 1]} {first.year}"
    if first.month == 1 and first.day == 1 and last.month == 12 and last.day == 31 and first.year == last.year:
        return str(first.year)
    if first.day == 1 and first.year == last.year and first.month == last.month and (b + 1 - a) >= 28:
        return f"{MONTHS[first.month - 1]} {first.year}"
    if first.year == last.year and first.month == last.month:
        return f"{first.day}–{last.day} {MONTHS[first.month - 1]} {first.year}"
    if first.year == last.year or b - a < 62:  # "27 Dec – 2 Jan 2022": the year is clear from the end
        return f"{first.day} {MONTHS[first.month - 1]} – {last.day} {MONTHS[last.month - 1]} {last.year}"
    return f"{first.day} {MONTHS[first.month - 1]} {first.year} – {last.day} {MONTHS[last.month - 1]} {last.year}"


def _ticks(segments: Sequence[_Segment], starts: set[int]) -> list[Tick]:
    """Axis labels: days in a short stretch, months in a longer one, years in a long one.
    A stretch's first label starts at its left edge; a label that would overlap the one
    before is left out, and so is the lone end of a long period (its start is labelled)."""
    ticks: list[Tick] = []
    right = -1e9  # where the last label ends
    last_year = None
    for s in segments:
        if s.first == s.last and s.first not in starts:
            continue
        for k, day in enumerate(_tick_days(s)):
            label, major = _tick_label(s, day, last_year)
            x = s.x(day)
            width = 6.3 * len(label)  # about, at the axis' font size
            anchor = "start" if k == 0 and s.last > s.first else "middle"
            left = x if anchor == "start" else x - width / 2
            if left < right + 8:
                continue
            ticks.append(Tick(x, label, major, anchor))
            right, last_year = left + width, date.fromordinal(day).year
    return ticks


def _tick_label(s: _Segment, day: int, last_year: int | None) -> tuple[str, bool]:
    d = date.fromordinal(day)
    new_year = d.year != last_year
    span = s.last - s.first
    if span == 0 and d.day == 1:  # a lone period start: 2014, Jun 2021
        return (str(d.year) if d.month == 1 else f"{MONTHS[d.month - 1]} {d.year}"), new_year
    if span > 3 * 365:
        return str(d.year), True
    if span > 62:
        return MONTHS[d.month - 1] + (f" {d.year}" if new_year else ""), new_year
    return f"{d.day} {MONTHS[d.month - 1]}" + (f" {d.year}" if new_year else ""), new_year


def _tick_days(s: _Segment) -> list[int]:
    first, last = date.fromordinal(s.first), date.fromordinal(s.last)
    span = s.last - s.first
    if span == 0:
        return [s.first]
    if span > 3 * 365:
        return [s.first] + [date(y, 1, 1).toordinal() for y in range(first.year + 1, last.year + 1)]
    if span > 62:
        months = [date(y, m, 1).toordinal() for y in range(first.year, last.year + 1) for m in range(1, 13)]
        return [s.first] + [m for m in months if s.first < m <= s.last]
    step = 7 if span > 20 else (2 if span > 10 else 1)
    return list(range(s.first, s.last + 1, step))
