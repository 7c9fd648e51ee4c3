"""Parsing of publication dates: metadata fields and date lines.

A *date line* is a line that is nothing but a date, optionally with a weekday, a
time, a time zone and a "Published:"-style label, in English, French, German,
Spanish, Italian or Portuguese: "Tue. Jan 18th, 2022", "mardi 18 janvier 2022",
"Veröffentlicht am 18.01.2022, 10:23 Uhr". Scraped texts often start with one;
it is metadata, not story text. The parser is deliberately strict: every token
of the line must be part of the date, so a sentence that merely contains a date
is never taken for one.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

_MONTHS = {
    1: "january jan janv janvier januar jän jaenner enero ene gennaio gen janeiro",
    2: "february feb febr fév fev févr fevr février fevrier februar febrero febbraio fevereiro",
    3: "march mar mär mars märz maerz marzo março marco",
    4: "april apr avr avril abril abr aprile",
    5: "may mai mayo maggio mag maio",
    6: "june jun juin juni junio giugno giu junho",
    7: "july jul juil juillet juli julio luglio lug julho",
    8: "august aug août aout agosto ago",
    9: "september sep sept septembre setiembre septiembre settembre set setembro",
    10: "october oct okt octobre oktober octubre ottobre ott outubro out",
    11: "november nov novembre noviembre novembro",
    12: "december dec dez déc dezember décembre decembre diciembre dic dicembre dezembro",
}
MONTHS: dict[str, int] = {}
for _m, _names in _MONTHS.items():
    for _n in _names.split():
        MONTHS.setdefault(_n, _m)

WEEKDAYS: dict[str, int] = {}
for _d, _names in enumerate(
    [
        "monday mon lundi lun montag mo lunes lunedì lunedi segunda",
        "tuesday tue tues mardi mar dienstag di martes martedì martedi terça terca",
        "wednesday wed mercredi mer mittwoch mi miércoles miercoles mié mie mercoledì mercoledi quarta",
        "thursday thu thur thurs jeudi jeu donnerstag do jueves jue giovedì giovedi quinta",
        "friday fri vendredi ven freitag fr viernes vie venerdì venerdi sexta",
        "saturday sat samedi sam samstag sonnabend sa sábado sabado sáb sab",
        "sunday sun dimanche dim sonntag so domingo dom domenica",
    ]
):
    for _n in _names.split():
        WEEKDAYS.setdefault(_n, _d)

# Words that may surround a date in a date line without being part of it.
_FILLERS = {
    "published", "posted", "updated", "last", "modified", "date", "on", "at", "the", "of",
    "publié", "publie", "le", "mis", "à", "a", "jour", "modifié", "modifie", "par",
    "veröffentlicht", "veroeffentlicht", "aktualisiert", "am", "um", "stand", "zuletzt", "den", "uhr",
    "publicado", "actualizado", "el", "de", "del", "las", "los", "en", "h", "hs", "horas",
    "pubblicato", "aggiornato", "il", "alle", "ore", "do", "às", "as", "em",
}
_ZONES = {"utc": 0, "gmt": 0, "z": 0, "cet": 60, "cest": 120, "mez": 60, "mesz": 120,
          "bst": 60, "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420,
          "mdt": -360, "pst": -480, "pdt": -420, "et": -300, "ct": -360, "pt": -480, "msk": 180, "eet": 120, "eest": 180}

_TOKEN = re.compile(
    r"(?P<iso>\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?)"
    r"|(?P<num>\d{1,2}[./-]\d{1,2}[./-]\d{2,4})"
    r"|(?P<time>\d{1,2}(?::|h|\.)\d{2}(?::\d{2})?(?=\b|h|\s|$))"
    r"|(?P<offset>[+-]\d{2}:?\d{2}\b)"
    r"|(?P<ordinal>\d{1,2}(?:st|nd|rd|th|er|e|º|ª|\.)(?=\W|$))"
    r"|(?P<int>\d+)"
    r"|(?P<word>[^\W\d_]+\.?)"
    r"|(?P<punct>[,|·•–—\-/()\[\]:.])"
    r"|(?P<other>\S)",
    re.UNICODE,
)


def _time(tok: str) -> tuple[int, int, int] | None:
    parts = re.split(r"[:h.]", tok)
    h, m = int(parts[0]), int(parts[1])
    s = int(parts[2]) if len(parts) > 2 else 0
    return (h, m, s) if h < 24 and m < 60 and s < 60 else None


def parse_date_line(line: str) -> datetime | None:
    """The date a line consists of, or None if the line is anything more.

    >>> parse_date_line("Tue. Jan 18th, 2022")
    datetime.datetime(2022, 1, 18, 0, 0)
    >>> parse_date_line("Putin spoke on Jan 18th, 2022.") is None
    True
    """
    line = line.strip()
    if not line or len(line) > 80:
        return None
    day = month = year = None
    hms: tuple[int, int, int] | None = None
    pm: bool | None = None
    tz: timezone | None = None
    weekday = None
    words = 0
    for m in _TOKEN.finditer(line):
        kind, tok = m.lastgroup, m.group()
        if kind == "iso":
            try:
                dt = datetime.fromisoformat(tok.replace(" ", "T").replace("Z", "+00:00"))
            except ValueError:
                return None
            year, month, day = dt.year, dt.month, dt.day
            if "T" in tok or " " in tok:
                hms = (dt.hour, dt.minute, dt.second)
            tz = dt.tzinfo or tz  # type: ignore[assignment]
        elif kind == "num":
            a, b, c = (int(x) for x in re.split(r"[./-]", tok))
            if c < 100:
                c += 2000 if c < 70 else 1900
            # Day first (most of the world) unless that cannot be a date.
            if b > 12 and a <= 12:
                a, b = b, a
            day, month, year = a, b, c
        elif kind == "time":
            if hms is not None:
                return None
            hms = _time(tok)
            if hms is None:
                return None
        elif kind == "offset":
            sign = -1 if tok[0] == "-" else 1
            digits = tok[1:].replace(":", "")
            tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        elif kind in ("ordinal", "int"):
            n = int(re.match(r"\d+", tok).group())  # type: ignore[union-attr]
            if kind == "int" and n >= 1000:
                if year is not None:
                    return None
                year = n
            elif day is None and 1 <= n <= 31:
                day = n
            elif hms is None and kind == "int" and n <= 24 and year is not None:
                hms = (n, 0, 0)  # "10 Uhr", "at 10 pm"
            else:
                return None
        elif kind == "word":
            w = tok.rstrip(".").lower()
            if w in MONTHS and month is None and not (w in WEEKDAYS and weekday is None and _next_is_month(line, m.end())):
                month = MONTHS[w]
            elif w in WEEKDAYS and weekday is None:
                weekday = WEEKDAYS[w]
            elif w in ("am", "a.m", "pm", "p.m") and hms is not None:
                pm = w.startswith("p")
            elif w in _ZONES:
                tz = timezone(timedelta(minutes=_ZONES[w]))
            elif w in _FILLERS:
                words += 1
            else:
                return None
        elif kind == "other":
            return None
    if day is None or month is None or year is None or words > 6:
        return None
    if not 1900 <= year <= 2100:
        return None
    h, mi, s = hms or (0, 0, 0)
    if pm is not None:
        if pm and h < 12:
            h += 12
        elif not pm and h == 12:
            h = 0
    try:
        return datetime(year, month, day, h, mi, s, tzinfo=tz)
    except ValueError:
        return None


def _next_is_month(line: str, pos: int) -> bool:
    """Whether a month name follows: "mar 18 janv" starts with a weekday, not March."""
    m = re.search(r"[^\W\d_]+", line[pos:])
    return bool(m and m.group().lower().rstrip(".") in MONTHS)


def parse_datetime(value: object) -> datetime | None:
    """A publication date from a metadata field: ISO 8601, RFC 2822, a Unix
    timestamp, or anything :func:`parse_date_line` understands."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        ts = float(value)
        if ts > 1e11:  # milliseconds
            ts /= 1000
        try:
            return datetime.fromtimestamp(ts, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    s = value.strip()
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        pass
    return parse_date_line(s)


_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|-|$)")


def date_from_url(url: str | None) -> datetime | None:
    """The date many news sites put in their article paths (/2021/12/30/...)."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if not m:
        return None
    try:
        return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
