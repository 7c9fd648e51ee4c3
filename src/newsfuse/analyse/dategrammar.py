"""The grammar of date and time expressions: a lexicon and regular-expression rules.

Each rule is tried only where a word that may start it begins (a month or
weekday name, a digit, "next", "the", ...): scanning every position with
every rule costs ten times more. Overlapping matches are resolved longest
first ("Thursday the 6 March" over "Thursday"). :func:`scan` gives the
expressions with their parts (day, month, weekday, unit, ...), unresolved;
:mod:`newsfuse.analyse.temporal` adds the tense and resolves them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..dates import MONTHS, WEEKDAYS
from ..text import NUMBER_WORDS

__all__ = ["FUTURE", "PAST", "PRESENT", "UNKNOWN", "Expression", "scan"]

PAST, FUTURE, PRESENT, UNKNOWN = "past", "future", "present", "unknown"

# --------------------------------------------------------------------------- lexicon

_EN_MONTHS = "january february march april may june july august september october november december".split()
_EN_MONTH_ABBR = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
# Month words of other languages that are also names or words in English text:
# matched only when written in lower case ("10 de mayo", "10 mars").
_LOWER_ONLY = {"mayo", "mars"}
# Left out: "marco" (a first name); three-letter words of other languages that
# are English words or common tokens ("ago", "set", "out", "gen", "mag", "dez").
_MONTH_WORDS = {w: m for w, m in MONTHS.items() if (len(w) >= 4 or w in _EN_MONTH_ABBR or w == "mai") and w != "marco"}
_MONTH_WORDS.update({w: i + 1 for i, w in enumerate(_EN_MONTHS)})
# Month words that may take a dot ("Jan.", "janv.", "Sept."): the rest do not.
_FULL_SHORT = {"june", "july", "juin", "juni", "juli", "mai", "märz", "mars", "mayo", "maio", "août", "aout"}
_ABBREVIATIONS = {w for w in _MONTH_WORDS if len(w) <= 4 and w not in _FULL_SHORT}

# Weekday names of six languages; abbreviations and the Portuguese ordinal names
# ("segunda" is also "second") are left out: too ambiguous in running text.
_PT_WEEKDAYS = {"segunda", "terça", "terca", "quarta", "quinta", "sexta"}
_WEEKDAY_WORDS = {w: d for w, d in WEEKDAYS.items() if len(w) >= 5 and w not in _PT_WEEKDAYS}
_WEEKDAY_WORDS.update({"tuesday": 1, "thursday": 3})

_DEICTIC = {
    "today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "aujourd'hui": 0, "aujourd’hui": 0,
    "heute": 0, "hoy": 0, "hier": -1, "gestern": -1, "ayer": -1, "demain": 1, "mañana": 1,
}

_UNITS = {"day": "day", "week": "week", "fortnight": "fortnight", "month": "month", "year": "year", "decade": "decade"}


def _alternation(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[arg-type]


_MON = rf"(?P<mon>{_alternation(_MONTH_WORDS)})\b\.?"
_MON_EN = rf"(?P<mon>{_alternation(_EN_MONTHS)})\b"
_WD = rf"(?P<wd>{_alternation(_WEEKDAY_WORDS)})\b"
_WD2 = rf"(?P<wd2>{_alternation(_WEEKDAY_WORDS)})\b"
_DAY = r"(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th|er|e|º)?"
_DAY2 = r"(?P<d2>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th|er|e|º)?"
_YEAR = r"(?P<y>1[6-9]\d\d|20\d\d|21\d\d)"
_RANGE = r"\s*(?:-|–|—|to|through|until|au|bis|al)\s*"
_NUM = (
    r"(?P<n>\d{1,3}|a\s+couple\s+of|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty)"
)
_UNIT = r"(?P<unit>days?|weeks?|fortnights?|months?|years?|decades?)"
_DAYPART = r"(?P<dp>morning|afternoon|evening|night)"
# Zones are matched case-sensitively ((?-i:...)): "et" is French for "and", "every time" no zone.
_ZONE = (
    r"(?:(?-i:\s*(?P<tz>GMT|UTC|BST|CET|CEST|EET|EEST|MSK|EST|EDT|CST|CDT|MST|MDT|PST|PDT|AEST|AEDT|JST|IST|ET|PT)"
    r"(?:\s?[+-]\s?\d{1,2}(?::?\d\d)?)?(?![A-Za-z]))"
    r"|\s+(?P<local>local\s+(?:time|hour))\b"
    r"|(?-i:\s+\((?P<ptz>[A-Z][\w.-]*(?:\s[A-Z][\w.-]*)?)\s+time\))"
    r"|(?-i:\s+(?P<ctz>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+time\b))?"
)
_PART = r"(?P<part>early|mid|late|(?:the\s+)?(?:end|beginning|start|middle)\s+of)"
_AMPM = r"(?P<ap>[ap])(?:\.\s?m\b\.?|\s?m\b)"  # "a.m." keeps its last dot, "am." does not
_NOT_DECIMAL_UNIT = (
    r"(?!\s*(?:%|percent|per\b|million|billion|trillion|bn\b|km|kg|kilo|tonnes?|tons?|points?|degrees?|dollars?|"
    r"euros?|pounds?|metres?|meters?|miles?|feet|ft\b|mph|knots?|times|hours?|minutes?|seconds?|years?|magnitude))"
)


@dataclass(slots=True)
class Expression:
    """A date or time expression found in a text, not yet resolved.

    The fields that are set depend on ``kind``:

    - ``date``: year (None when not stated), month, day, day2 ("Jan. 10-13"),
      weekday when stated ("Monday, 10 March");
    - ``month``: year?, month, part (early, mid, late, end), rel (next, last),
      years ("January this year": 0, "last year": -1, "next year": 1);
    - ``year``: year, year2 (ranges, decades), part;
    - ``weekday``: weekday, weekday2 ("from Thursday to Friday"), rel, part
      (morning, night, ...);
    - ``deictic``: n, days from the base (yesterday = -1);
    - ``period``: unit (week, weekend, month, year), rel (this, next, last,
      past), part (early, mid, late, end, earlier, later);
    - ``offset``: n units from the base ("two days ago", "in two weeks"),
      direction -1 / +1;
    - ``anchored``: n units from the previous date of the text ("two days
      later", "the next day"; n=0: "that day"), or from ``target``, the index
      of the date that follows ("two days before January 10"); part "pre" when
      it needs a complement ("two weeks before the vote"), "which" for "the
      following week" (that whole week);
    - ``holiday``: month, day;
    - ``time``: time ("15:35", 24-hour), timezone ("GMT", "local", "Miami").

    ``tense`` (past, future, present, unknown) and ``prep`` (the word before)
    are filled by :func:`newsfuse.analyse.temporal.find_expressions`.
    """

    start: int
    end: int
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    year2: int | None = None
    day2: int | None = None
    weekday: int | None = None
    weekday2: int | None = None
    rel: str | None = None
    part: str | None = None
    unit: str | None = None
    n: int = 0
    direction: int = 0
    time: str | None = None
    timezone: str | None = None
    tense: str = UNKNOWN
    prep: str | None = None
    ambiguous: bool = False
    target: int | None = None
    years: int | None = None  # a month of this (0), last (-1) or next (1) year: "in January this year"

    @property
    def has_year(self) -> bool:
        """Whether the expression names its year (it does not depend on a base)."""
        return self.year is not None and self.kind in ("date", "month", "year")


# --------------------------------------------------------------------------- the grammar


def _month_ok(text: str, m: re.Match[str]) -> int | None:
    """The month of the ``mon`` group, or None when its case rules it out.

    English month names and abbreviations are capitalised in English ("may",
    "march" and "august" in lower case are other words); a few foreign names
    that are English names when capitalised ("Mayo", "Mars") must be lower case.
    """
    word = m.group("mon")
    key = word.lower()
    month = _MONTH_WORDS.get(key)
    if month is None:
        return None
    if (key in _EN_MONTHS or key in _EN_MONTH_ABBR) and not word[0].isupper():
        return None
    if key in _LOWER_ONLY and not word.islower():
        return None
    return month


def _int(m: re.Match[str], name: str) -> int | None:
    v = m.groupdict().get(name)
    return int(v) if v else None


def _valid(year: int | None, month: int, day: int) -> bool:
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: February 29 stays possible
    except ValueError:
        return False
    return True


def _weekday(m: re.Match[str], name: str = "wd") -> int | None:
    v = m.groupdict().get(name)
    if not v:
        return None
    if v.lower() == "domingo" and not v.islower():  # a surname in English text
        return None
    return _WEEKDAY_WORDS.get(v.lower())


def _start(m: re.Match[str], *groups: str) -> int:
    """The start of the first of ``groups`` that matched (leading articles and
    prepositions are not part of an expression's text)."""
    starts = [m.start(g) for g in groups if m.groupdict().get(g) is not None]
    return min(starts) if starts else m.start()


def _b_date(m: re.Match[str], text: str) -> Expression | None:
    month = _month_ok(text, m)
    if month is None:
        return None
    day, day2, year = _int(m, "d"), _int(m, "d2"), _int(m, "y")
    if day is None or not _valid(year, month, day):
        return None
    if day2 is not None and (day2 <= day or not _valid(year, month, day2)):
        return None
    wd = _weekday(m)
    start = _start(m, "wd", "d", "mon")
    return Expression(start, _end(m), "date", year=year, month=month, day=day, day2=day2, weekday=wd)


def _end(m: re.Match[str]) -> int:
    """The end of a match, without the sentence's full stop after a month name
    ("on 20 March." - the dot belongs to "Jan." but not to "March.")."""
    end = m.end()
    if m.end("mon") == end - 1 and m.group("mon").lower() not in _ABBREVIATIONS:
        return end - 1
    return end


def _b_numeric(m: re.Match[str], text: str) -> Expression | None:
    a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    sep = m.group("sep")
    if sep == "-":  # ISO: year-month-day
        month, day, amb = a, b, False
    elif a > 12 >= b:
        day, month, amb = a, b, False
    elif b > 12 >= a:
        month, day, amb = a, b, False
    elif sep == ".":  # dotted dates are day-first wherever they are written
        day, month, amb = a, b, False
    else:  # "1/2/2022": US month-first in English news, but unsure
        month, day, amb = a, b, a != b
    if not 1 <= month <= 12 or not _valid(year, month, day):
        return None
    return Expression(m.start(), m.end(), "date", year=year, month=month, day=day, ambiguous=amb)


def _part(word: str | None) -> str | None:
    if not word:
        return None
    w = word.lower().split()[-2] if " of" in word.lower() else word.lower()
    return {"beginning": "early", "start": "early", "middle": "mid"}.get(w, w)


def _b_month_year(m: re.Match[str], text: str) -> Expression | None:
    month = _month_ok(text, m)
    if month is None:
        return None
    part = _part(m.group("part"))
    return Expression(_start(m, "part", "mon"), m.end(), "month", year=int(m.group("y")), month=month, part=part)


def _b_month(m: re.Match[str], text: str) -> Expression | None:
    month = _month_ok(text, m)
    if month is None or m.group("mon").lower() not in _EN_MONTHS:
        return None
    if not (m.group("prep") or m.group("part") or m.group("rel") or m.group("yrel")):
        return None  # a bare month name is too often something else ("May", "March")
    if not (m.group("prep") or m.group("part") or m.group("rel")) and _after_name(text, m.start()):
        return None  # "Theresa May last year said": a name, not a month
    rel = (m.group("rel") or "").lower() or None
    part = _part(m.group("part"))
    years = {"this": 0, "last": -1, "next": 1}.get((m.group("yrel") or "").lower())
    return Expression(_start(m, "part", "rel", "mon"), m.end(), "month", month=month, part=part, rel=rel, years=years)


def _b_year(m: re.Match[str], text: str) -> Expression | None:
    y = int(m.group("y"))
    y2 = m.group("y2")
    year2 = None
    if y2:
        year2 = int(y2) if len(y2) == 4 else (y // 100) * 100 + int(y2)
        if year2 <= y:
            return None
    prep = m.group("prep").lower()
    part = prep if prep in ("early", "mid", "late") else None
    start = m.start() if part or year2 or prep == "between" else m.start("y")
    return Expression(start, m.end(), "year", year=y, year2=year2, part=part)


def _b_decade(m: re.Match[str], text: str) -> Expression | None:
    y = int(m.group("dec"))
    return Expression(m.start("dec"), m.end(), "year", year=y, year2=y + 9)


def _b_weekday_range(m: re.Match[str], text: str) -> Expression | None:
    wd, wd2 = _weekday(m), _weekday(m, "wd2")
    if wd is None or wd2 is None or wd == wd2:
        return None
    return Expression(m.start(), m.end(), "weekday", weekday=wd, weekday2=wd2)


def _b_weekday(m: re.Match[str], text: str) -> Expression | None:
    wd = _weekday(m)
    if wd is None:
        return None
    rel = (m.group("rel") or "").lower() or None
    return Expression(m.start(), m.end(), "weekday", weekday=wd, rel=rel, part=(m.group("dp") or "").lower() or None)


def _b_deictic(m: re.Match[str], text: str) -> Expression | None:
    if m.group()[0].isupper() and _after_name(text, m.start()):
        return None  # "USA Today", "Valdoria Today": the name of an outlet
    w = " ".join(m.group().lower().split())
    if w.startswith("the day before"):
        n = -2
    elif w.startswith("the day after"):
        n = 2
    elif w.startswith("last night"):
        n = -1
    elif w.startswith("this "):
        n = 0
    else:
        n = _DEICTIC[w.split()[0].removesuffix("'s").removesuffix("’s")]
    return Expression(m.start(), m.end(), "deictic", n=n)


def _after_name(text: str, start: int) -> bool:
    """Whether a capitalised word directly precedes ``start`` (and no sentence break)."""
    m = re.search(r"([^\W\d_]+)[ \t]+$", text[max(0, start - 30) : start])
    return bool(m and m.group(1)[0].isupper())


def _b_period(m: re.Match[str], text: str) -> Expression | None:
    rel = m.group("rel").lower()
    part = _part(m.group("part"))
    unit = m.group("unit").lower()
    if rel == "the" and not part and unit != "weekend":
        return None  # "the year" alone is no date; "the end of the year" and "over the weekend" are
    return Expression(m.start(), m.end(), "period", rel="this" if rel == "the" else rel, part=part, unit=unit)


def _count(word: str) -> int | None:
    w = " ".join(word.lower().split())
    if w.isdigit():
        return int(w)
    if w in ("a", "an"):
        return 1
    if "couple" in w:
        return 2
    return NUMBER_WORDS.get(w)


def _unit(word: str) -> str:
    return _UNITS[word.lower().rstrip("s")]


def _b_ago(m: re.Match[str], text: str) -> Expression | None:
    n = _count(m.group("n"))
    if not n:
        return None
    return Expression(m.start(), m.end(), "offset", n=n, unit=_unit(m.group("unit")), direction=-1)


def _b_in(m: re.Match[str], text: str) -> Expression | None:
    n = _count(m.group("n"))
    if not n:
        return None
    return Expression(m.start(), m.end(), "offset", n=n, unit=_unit(m.group("unit")), direction=1)


def _b_anchored(m: re.Match[str], text: str) -> Expression | None:
    n = _count(m.group("n"))
    if not n:
        return None
    before = text[max(0, m.start() - 8) : m.start()].lower()
    if re.search(r"\b(?:for|within|over)\s+$", before):
        return None  # "for two days before the vote" is a duration
    d = m.group("dir").lower()
    direction = -1 if d in ("earlier", "before", "previously", "prior") else 1
    # "two days before/after ..." needs its complement ("... the vote"): part="pre"; "a day after
    # that" counts from the day just told
    part = "pre" if d in ("before", "after", "prior") and not _THAT.match(text, m.end()) else None
    return Expression(m.start(), m.end(), "anchored", n=n, unit=_unit(m.group("unit")), direction=direction, part=part)


_THAT = re.compile(r"\s+(?:that|this|it)\b", re.I)


def _b_next_day(m: re.Match[str], text: str) -> Expression | None:
    which = m.group("which").lower()
    unit = m.group("unit").lower()
    if unit in ("morning", "afternoon", "evening", "night"):
        unit = "day"
    if which in ("same", "that"):
        return Expression(m.start(), m.end(), "anchored", n=0, unit=unit, direction=0)
    direction = -1 if which in ("previous", "preceding", "before") else 1
    # part="which": "the following week" is that whole week, not a day seven days on
    return Expression(m.start(), m.end(), "anchored", n=1, unit=unit, direction=direction, part="which")


def _b_day_before(m: re.Match[str], text: str) -> Expression | None:
    direction = -1 if m.group("dir").lower() == "before" else 1
    return Expression(m.start(), m.end(), "anchored", n=1, unit="day", direction=direction)


_HOLIDAYS = {"christmas": (12, 25), "christmas eve": (12, 24), "christmas day": (12, 25),
             "new year's eve": (12, 31), "new year's day": (1, 1), "new year": (1, 1)}


def _b_holiday(m: re.Match[str], text: str) -> Expression | None:
    key = " ".join(m.group().replace("’", "'").lower().split())
    month, day = _HOLIDAYS[key]
    return Expression(m.start(), m.end(), "holiday", month=month, day=day)


def _zone(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if g.get("tz"):
        return re.sub(r"\s", "", g["tz"]).upper()
    if g.get("local"):
        return "local"
    return g.get("ptz") or g.get("ctz")


def _b_time(m: re.Match[str], text: str) -> Expression | None:
    g = m.groupdict()
    if g.get("noon"):
        hh, mm = (0, 0) if g["noon"].lower() == "midnight" else (12, 0)
    else:
        hh, mm = int(g["h"]), int(g.get("mi") or 0)
        ap = (g.get("ap") or "").lower()
        if ap:
            if not 1 <= hh <= 12:
                return None
            hh = (hh % 12) + (12 if ap == "p" else 0)
    if hh > 24 or mm > 59 or (hh == 24 and mm):
        return None
    start = m.start("noon") if g.get("noon") else m.start("h")
    return Expression(start, m.end(), "time", time=f"{hh:02d}:{mm:02d}", timezone=_zone(m))


@dataclass(frozen=True, slots=True)
class _Rule:
    """One production of the grammar: a pattern tried only where a token of
    ``first`` starts (a regex scan of every position costs ten times more)."""

    first: frozenset[str]
    pattern: re.Pattern[str]
    build: Callable[[re.Match[str], str], Expression | None]  # None: the match is not a date after all


_NUMBER_KEYS = "a an one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " \
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty"
_PART_KEYS = "early mid late the end beginning start middle"
_PREP_KEYS = "in for since until till from during by through throughout before after"


_Builder = Callable[[re.Match[str], str], Expression | None]


def _rule(first: str, pattern: str, build: _Builder, flags: int = re.I) -> _Rule:
    """``first``: the words an expression may start with; ``@wd``, ``@mon`` stand
    for weekday and month names, ``#`` for a token starting with a digit."""
    keys: set[str] = set()
    for k in first.split():
        if k == "@wd":
            keys |= set(_WEEKDAY_WORDS)
        elif k == "@mon":
            keys |= set(_MONTH_WORDS)
        else:
            keys.add(k)
    return _Rule(frozenset(keys), re.compile(pattern, flags), build)


_B = r"(?<![\w])"  # a word boundary that also works before non-ASCII letters
_RULES = [
    # Month-first: "December 7", "Jan. 10-13", "Thursday, December 30, 2021"
    _rule(
        "@wd @mon",
        rf"{_B}(?:{_WD},?\s+(?:the\s+)?)?{_MON}\s*(?:the\s+)?{_DAY}(?:{_RANGE}{_DAY2})?(?![\d:]|\.\d)"
        rf"(?:(?:,\s*|\s+){_YEAR}(?!\d))?",
        _b_date,
    ),
    # Day-first: "7 December 2021", "the 10th. January", "10. Januar", "10 de enero de 2022",
    # "Thursday the 6 March", "10-13 January"
    _rule(
        "@wd # the le el am den du",
        rf"{_B}(?:{_WD},?\s+(?:the\s+)?)?(?:(?:the|le|el|am|den|du)\s+)?(?<![\d.,]){_DAY}\.?(?:{_RANGE}{_DAY2}\.?)?"
        rf"\s*(?:of\s+|de\s+)?{_MON}(?:(?:,\s*|\s+(?:de\s+)?){_YEAR}(?!\d))?",
        _b_date,
    ),
    # Numeric: "2021-12-30", "30.12.2021", "12/30/2021"
    _rule(
        "#",
        r"(?<![\d./-])(?P<y>1[6-9]\d\d|20\d\d|21\d\d)(?P<sep>-)(?P<a>0[1-9]|1[0-2])-(?P<b>0[1-9]|[12]\d|3[01])(?!\d)",
        _b_numeric,
    ),
    _rule(
        "#",
        r"(?<![\d./-])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>1[6-9]\d\d|20\d\d|21\d\d)(?![\d]|[./]\d)",
        _b_numeric,
    ),
    # Month and year: "December 2021", "mid-January 2022"
    _rule(
        f"@mon {_PART_KEYS}",
        rf"{_B}(?:{_PART}[\s-]+)?{_MON},?\s+{_YEAR}(?!\d)",
        _b_month_year,
    ),
    # A month alone, after a preposition or a modifier: "in January", "mid-January", "next March"
    _rule(
        f"@mon {_PREP_KEYS} {_PART_KEYS} next last this coming",
        rf"{_B}(?:(?P<prep>in|for|since|until|till|from|during|by|through|throughout|before|after)\s+)?"
        rf"(?:{_PART}[\s-]+|(?P<rel>next|last|this|coming)\s+)?"
        rf"{_MON_EN}(?!\s*\d)(?:,?\s+(?:of\s+)?(?P<yrel>this|last|next)\s+year\b)?",
        _b_month,
    ),
    # Years: "in 2014", "since 2014", "mid-2022", "between 2022 and 2024", "from 2022 to 2024"
    _rule(
        f"{_PREP_KEYS} of early late mid around between",
        rf"{_B}(?P<prep>in|since|by|until|till|from|before|after|during|throughout|of|early|late|mid|around|between)"
        rf"[\s-]+"
        rf"(?:the\s+(?:year\s+)?)?{_YEAR}(?:\s*(?:-|–|—|to|and)\s*(?P<y2>1[6-9]\d\d|20\d\d|21\d\d|\d\d))?"
        rf"(?![\d]|[,.]\d|\s*(?:%|percent|per\b))",
        _b_year,
    ),
    _rule("the #", r"(?<![\w])(?:the\s+)?(?P<dec>(?:1[6-9]|20)\d0)['’]?s\b", _b_decade),
    # Weekday intervals: "overnight from Thursday to Friday", "the night of Thursday to Friday"
    _rule(
        "overnight night during the in from of between",
        rf"{_B}(?:(?:over)?night\s+|during\s+the\s+night\s+|(?:in\s+)?the\s+night\s+)?"
        rf"(?:from|of|between)\s+{_WD}\s+(?:to|into|until|till|and)\s+{_WD2}",
        _b_weekday_range,
    ),
    # Weekdays: "Thursday", "next Monday", "Thursday's", "Thursday morning"
    _rule(
        "@wd next last this coming past previous",
        rf"{_B}(?:(?P<rel>next|last|this|coming|past|previous)\s+)?{_WD}(?:['’]s\b)?(?:\s+{_DAYPART}\b)?",
        _b_weekday,
    ),
    # Today, yesterday, tomorrow (and three other languages)
    _rule(
        "the last this today tonight yesterday tomorrow aujourd heute hoy hier gestern ayer demain mañana",
        r"(?<![\w])(?:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|last\s+night"
        r"|this\s+(?:morning|afternoon|evening)"
        r"|(?:today|tonight|yesterday|tomorrow)(?:['’]s\b)?(?:\s+(?:morning|afternoon|evening|night)\b)?"
        r"|aujourd['’]hui|heute|hoy|hier|gestern|ayer|demain|mañana)(?![\w])",
        _b_deictic,
    ),
    # Weeks, months, years relative to the base: "last week", "earlier this week",
    # "next month", "at the end of the year", "early next year"
    _rule(
        f"earlier later {_PART_KEYS} this next last past previous coming",
        r"(?<![\w])(?:(?P<part>earlier|later|early|late|mid|(?:the\s+)?(?:end|beginning|start|middle)\s+of)[\s-]+)?"
        r"(?P<rel>this|next|last|past|previous|coming|the)\s+(?P<unit>week|weekend|month|year)(?:['’]s)?\b",
        _b_period,
    ),
    _rule(f"# {_NUMBER_KEYS}", rf"(?<![\w]){_NUM}\s+{_UNIT}\s+ago\b", _b_ago),
    _rule("in", rf"(?<![\w])in\s+{_NUM}\s+{_UNIT}\b(?!\s+(?:ago|later|earlier|before|after|time))", _b_in),
    # Counted from the previous date in the text: "two days later", "a week earlier", "the next day"
    _rule(
        f"# {_NUMBER_KEYS}",
        rf"(?<![\w]){_NUM}\s+{_UNIT}\s+(?P<dir>later|earlier|afterwards?|before|after|previously|prior)\b",
        _b_anchored,
    ),
    _rule(
        "later earlier the following previous preceding same that",
        r"(?<![\w])(?:(?:later|earlier)\s+)?(?:the\s+)?(?P<which>following|previous|preceding|same|that)\s+"
        r"(?P<unit>day|morning|afternoon|evening|night|week|month|year)\b",
        _b_next_day,
    ),
    _rule("the", r"(?<![\w])the\s+(?P<which>next)\s+(?P<unit>day|morning)\b", _b_next_day),
    _rule("the", r"(?<![\w])the\s+day\s+(?P<dir>before|after)\b(?!\s+(?:yesterday|tomorrow))", _b_day_before),
    _rule(
        "christmas new",
        r"(?<![\w])(?:Christmas(?:\s+(?:Eve|Day))?|New\s+Year['’]s\s+(?:Eve|Day)|New\s+Year)\b",
        _b_holiday,
        0,
    ),
    # Clock times, each with its zone when stated: "15:35 (20:35 GMT)", "8:40 a.m.", "7.40am",
    # "0640 GMT", "17h05", "3:30 pm (Miami time)", "at noon"
    _rule("#", rf"(?<![\d:.,])(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)\s?{_AMPM}{_ZONE}", _b_time),
    _rule("#", rf"(?<![\d:.,])(?P<h>[01]?\d|2[0-4]):(?P<mi>[0-5]\d)(?::[0-5]\d)?(?![\d:]){_ZONE}", _b_time),
    _rule("#", rf"(?<![\d:.,])(?P<h>1[0-2]|0?[1-9])\s?{_AMPM}{_ZONE}", _b_time),
    _rule("#", rf"(?<![\d:.,])(?P<h>[01]?\d|2[0-3])h(?P<mi>[0-5]\d)(?!\d){_ZONE}", _b_time),
    _rule("#", r"(?<![\d:.,])(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)\s?(?P<tz>GMT|UTC|Z\b|hours\b|hrs\b)", _b_time),
    _rule(
        "at by until till from around about before after since",
        rf"(?<![\w])(?:at|by|until|till|from|around|about|before|after|since)\s+(?P<h>[01]?\d|2[0-3])\.(?P<mi>[0-5]\d)"
        rf"(?![\d]|[.,]\d){_NOT_DECIMAL_UNIT}{_ZONE}",
        _b_time,
    ),
    _rule(
        "at by around until till before after from",
        r"(?<![\w])(?:at|by|around|until|till|before|after|from)\s+(?P<noon>noon|midday|midnight)\b",
        _b_time,
    ),
]

# Which rules may start at a token: a word (lower case) -> rule numbers.
_BY_FIRST: dict[str, tuple[int, ...]] = {}
for _i, _r in enumerate(_RULES):
    for _k in _r.first:
        _BY_FIRST[_k] = (*_BY_FIRST.get(_k, ()), _i)
_WORD = re.compile(r"\w+")

# --------------------------------------------------------------------------- scanning


def scan(text: str) -> list[Expression]:
    """The expressions of ``text`` by the grammar alone (tense left unknown).

    Enough for short metadata strings such as a wire dateline ("PORT AVEL,
    March 6 (NWS)"); :func:`find_expressions` adds the tense.
    """
    found: list[Expression] = []
    for tok in _WORD.finditer(text):
        word = tok.group()
        rules = _BY_FIRST.get(word.lower(), ())
        if word[0].isdigit():
            rules = (*rules, *_BY_FIRST["#"])
        for i in rules:
            rule = _RULES[i]
            m = rule.pattern.match(text, tok.start())
            if m is not None and (e := rule.build(m, text)) is not None and e.end > e.start:
                found.append(e)
    chosen = _longest_first(found)
    _link_targets(chosen, text)
    return chosen


def _longest_first(found: list[Expression]) -> list[Expression]:
    """Keep the longest of overlapping matches ("Thursday the 6 March" over "Thursday")."""
    found.sort(key=lambda e: (-(e.end - e.start), e.start))
    starts: list[int] = []  # the kept spans, disjoint, sorted by start
    ends: list[int] = []
    kept: list[Expression] = []
    for e in found:
        # Only the kept span starting last before e.end can overlap e (they are disjoint).
        k = bisect_left(starts, e.end)
        if k and ends[k - 1] > e.start:
            continue
        starts.insert(k, e.start)
        ends.insert(k, e.end)
        kept.append(e)
    return sorted(kept, key=lambda e: e.start)


def _link_targets(exprs: list[Expression], text: str) -> None:
    """"two days before January 10": the anchor is the date that follows, not the previous one."""
    for i, e in enumerate(exprs[:-1]):
        nxt = exprs[i + 1]
        if e.kind == "anchored" and e.n and nxt.kind in ("date", "holiday", "weekday") and re.fullmatch(
            r"\s*(?:the\s+)?", text[e.end : nxt.start], re.I
        ):
            e.target = i + 1
