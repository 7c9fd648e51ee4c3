"""Numbers with what they count, normalised so that sources can be compared.

``extract_numbers`` finds quantities in an article's cleaned text ("50
minutes", "up to 100,000 troops", "nearly an hour", "$2bn", "15 per cent",
"in 2014") and ``compatible`` says whether two statements of the same
quantity agree ("at least 15" and "17" do; "212" and "214" do not).

The numbers themselves are found by a regular-expression grammar (fast and
predictable); the spaCy parse (part-of-speech tags, entities) is used only
to find the noun a number counts, to read "40m" before a plural noun as a
million, and to see a person's name before an appositive age.

Conventions (a contract with the brief stage)
---------------------------------------------
Span
    ``start``/``end`` cover the bound phrase, the number, its scale and its
    unit ("up to 100,000", "nearly an hour", "$2bn", "50-minute"), not the
    counted noun; ``text == article_text[start:end]``.
value, low, high
    ``value`` is the number as stated, normalised to its unit (below). A
    range ("10-12", "between 10 and 12", "two or three") has ``low`` and
    ``high`` and ``value == low``. A lower bound ("at least 15", "more than
    14,000", "15 or more") has ``low == value`` and ``high is None``; an upper
    bound ("up to 100,000", "less than a month") ``high == value`` and ``low
    is None``. "nearly"/"almost" are approximate upper bounds (``high`` set,
    ``approx`` true); "just over" an approximate lower bound. Vague amounts
    are approximate ranges: "dozens" 24-119, "hundreds" 200-999, "thousands"
    2,000-9,999, "tens of thousands" 20,000-99,999 (plural: at least two),
    "several hundred" 300-900, "a few thousand" 2,000-5,000.
unit
    ``None`` for a plain count. Durations are in **minutes** (``"minute"``:
    "nearly an hour" is 60, "two weeks" 20160; a month is 30.4375 days, a
    year 365.25 days). ``"percent"`` and ``"percentage-point"``; currency
    amounts carry a lower-case ISO code (``"usd"``, ``"eur"``, ``"gbp"``,
    ``"rub"``, ...; a bare ``$`` is ``usd``). Lengths in ``"km"``, areas in
    ``"km2"``, speeds in ``"km/h"``, masses in ``"kg"``, temperatures in
    ``"celsius"``, ``"litre"``, earthquake ``"magnitude"``, ages
    (``"63-year-old"``, ``"aged 63"``) in ``"age"`` (years). A calendar year
    ("in 2014", "between 2022 and 2024", "the 1990s") has unit
    ``"year-date"``: it is a point in time, never a count of years (a count
    of years is a duration in minutes).
counts
    The counted noun, lower-case as written, with its noun modifiers ("troops",
    "crew members", "coast guard vessels", "e-bikes"; "members of crew"); for
    an attributive measure the thing measured ("50-minute call" counts
    "call"); a casualty word when it stands for the people ("15 injured");
    ``None`` when nothing is counted ("killed 15", "three of them").
qualifier
    The bound or approximation phrase as written, lower-case ("up to",
    "more than", "nearly", "about", "between", "or more").

What is not a quantity
----------------------
Numbers inside dates ("January 10", "14 November 2024", "30.12.2021"), clock
times ("15:35", "7.40am", "0640 GMT", "1353 (1023 GMT)", "17h05"), ordinals
("10th"; "second" is never a number), phone numbers ("+1 202 555 0100",
"555-0100", "called 911"), fractions and ratios ("24/7", "two-thirds"),
scores ("3-1"), versions and addresses ("1.2.3", "473 East 52nd Street"),
identifiers (a number glued to letters: "A320", "COVID-19", "5G"; a number
after a capitalised word inside a sentence: "City 2", "Flight 370",
"Article 5"; after "No.", "#", "page", "route", ...). Spelled-out numbers
are kept only when they count a noun or carry a unit ("three of them", "the
one hand" and "no one" are not quantities); capitalised number words inside
a sentence are names ("Group of Seven"). "a"/"an" is a number only before a
scale or a duration ("a dozen", "nearly an hour"), never after "once",
"twice", "per", "every".

Other conventions
-----------------
A bare number set off by commas after a person's name is an age ("Dalton,
39, of ..."). "from 10 to 12 percent" gives two values in percent (a change,
not a range). "m" glued to a number is a million after a currency or before
a plural noun ("£40m", "40m people"), else a metre ("a 40m drop").
Tokenised text as found in some corpora ("200, 000", "10: 30 p. m.",
"16 - year - old", "9 / 11") is read like the usual forms where it is
unambiguous.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable

from ..text import NUMBER_WORDS
from .model import Quantity

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["extract_numbers", "compatible", "count_key", "DEFAULT_TOLERANCE"]

DEFAULT_TOLERANCE = 0.2
"""Relative tolerance of an approximate statement ("about 50" is 40-60,
"nearly an hour" 48-60 minutes; "almost 50", a precise figure, 45-50)."""

# ---------------------------------------------------------------------------
# Lexicon

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_WORD_VALUES: dict[str, float] = {**{k: float(v) for k, v in NUMBER_WORDS.items()}, **_SCALES}
# Abbreviated scales: "$2bn", "1.5 mln", German-style "3 Mrd." in translations.
_SCALE_ABBR = {"mln": 1e6, "mn": 1e6, "mio": 1e6, "bln": 1e9, "bn": 1e9, "mrd": 1e9, "tn": 1e12, "trn": 1e12,
               "k": 1e3, "b": 1e9,
               "mm": 1e6}  # "$150MM": money jargon; without a currency "mm" is a millimetre

_MINUTE = 1.0
_HOUR = 60.0
_DAY = 1440.0
_YEAR = 365.25 * _DAY
# unit surface (lower case) -> (normalised unit, factor to the normalised unit)
_UNITS: dict[str, tuple[str, float]] = {
    **dict.fromkeys(("seconds", "second", "secs", "sec"), ("minute", _MINUTE / 60)),
    **dict.fromkeys(("minutes", "minute", "mins", "min"), ("minute", _MINUTE)),
    **dict.fromkeys(("hours", "hour", "hrs", "hr", "h"), ("minute", _HOUR)),
    **dict.fromkeys(("days", "day"), ("minute", _DAY)),
    **dict.fromkeys(("weeks", "week"), ("minute", 7 * _DAY)),
    **dict.fromkeys(("fortnights", "fortnight"), ("minute", 14 * _DAY)),
    **dict.fromkeys(("months", "month"), ("minute", _YEAR / 12)),
    **dict.fromkeys(("years", "year", "yrs", "yr"), ("minute", _YEAR)),
    **dict.fromkeys(("decades", "decade"), ("minute", 10 * _YEAR)),
    **dict.fromkeys(("centuries", "century"), ("minute", 100 * _YEAR)),
    **dict.fromkeys(("%", "per cent", "percent", "per-cent", "pct"), ("percent", 1.0)),
    **dict.fromkeys(("percentage points", "percentage point"), ("percentage-point", 1.0)),
    **dict.fromkeys(("km", "kms", "kilometres", "kilometre", "kilometers", "kilometer"), ("km", 1.0)),
    **dict.fromkeys(("metres", "metre", "meters", "meter", "m"), ("km", 1e-3)),
    **dict.fromkeys(("cm", "centimetres", "centimeters"), ("km", 1e-5)),
    **dict.fromkeys(("mm", "millimetres", "millimeters"), ("km", 1e-6)),
    **dict.fromkeys(("nautical miles", "nautical mile"), ("km", 1.852)),
    **dict.fromkeys(("miles", "mile", "mi"), ("km", 1.609344)),
    **dict.fromkeys(("feet", "foot", "ft"), ("km", 0.0003048)),
    **dict.fromkeys(("yards", "yard"), ("km", 0.0009144)),
    **dict.fromkeys(("km/h", "kph", "kmh", "kilometres per hour", "kilometers per hour"), ("km/h", 1.0)),
    **dict.fromkeys(("mph", "miles per hour"), ("km/h", 1.609344)),
    **dict.fromkeys(("knots", "knot"), ("km/h", 1.852)),
    **dict.fromkeys(("kg", "kgs", "kilograms", "kilogram", "kilogrammes", "kilos", "kilo"), ("kg", 1.0)),
    **dict.fromkeys(("tonnes", "tonne", "tons", "ton", "metric tons", "metric tonnes"), ("kg", 1000.0)),
    **dict.fromkeys(("lb", "lbs", "pounds", "pound"), ("kg", 0.45359237)),
    **dict.fromkeys(("square kilometres", "square kilometers", "sq km", "km2", "km²"), ("km2", 1.0)),
    **dict.fromkeys(("square miles", "sq mi"), ("km2", 2.589988)),
    **dict.fromkeys(("hectares", "hectare", "ha"), ("km2", 0.01)),
    **dict.fromkeys(("acres", "acre"), ("km2", 0.0040468564)),
    **dict.fromkeys(("°c", "º c", "° c", "ºc", "degrees celsius", "degrees c"), ("celsius", 1.0)),
    **dict.fromkeys(("°f", "° f", "ºf", "degrees fahrenheit", "degrees f"), ("fahrenheit", 1.0)),
    **dict.fromkeys(("degrees", "degree"), ("degree", 1.0)),
    **dict.fromkeys(("litres", "litre", "liters", "liter"), ("litre", 1.0)),
    "magnitude": ("magnitude", 1.0),
}
# Units that may be glued to the number ("15%", "3km", "24h"); word units
# need a space or a hyphen ("50 minutes", "50-minute").
_ATTACHABLE = frozenset(
    "% km kms m cm mm kg kgs mph kph kmh km/h ft mi h hr hrs min mins sec secs yr yrs ha km2 km² lb lbs "
    "°c ºc °f ºf".split()
)
# Durations that "a"/"an" may count ("nearly an hour"); not "second", which
# after "a" is nearly always the ordinal ("a second time").
_ARTICLE_UNITS = "minute|hour|day|week|fortnight|month|year|decade|century"

_CURRENCY_WORDS: dict[str, str] = {
    **dict.fromkeys(("dollars", "dollar", "us dollars", "u.s. dollars", "american dollars"), "usd"),
    **dict.fromkeys(("canadian dollars",), "cad"),
    **dict.fromkeys(("australian dollars",), "aud"),
    **dict.fromkeys(("hong kong dollars",), "hkd"),
    **dict.fromkeys(("euros", "euro", "eur", "€"), "eur"),
    **dict.fromkeys(("pounds sterling", "sterling", "gbp"), "gbp"),
    **dict.fromkeys(("rubles", "roubles", "ruble", "rouble", "rub"), "rub"),
    **dict.fromkeys(("hryvnias", "hryvnia", "hryvnas", "uah"), "uah"),
    **dict.fromkeys(("yen", "jpy"), "jpy"),
    **dict.fromkeys(("yuan", "renminbi", "cny"), "cny"),
    **dict.fromkeys(("rupees", "inr"), "inr"),
    **dict.fromkeys(("swiss francs", "chf"), "chf"),
    **dict.fromkeys(("usd",), "usd"),
}
_CURRENCY_PREFIX: dict[str, str] = {
    "us$": "usd", "a$": "aud", "c$": "cad", "hk$": "hkd", "$us": "usd", "$a": "aud", "$c": "cad",
    "$": "usd", "€": "eur", "£": "gbp", "¥": "jpy",
    "₽": "rub", "₴": "uah", "₹": "inr", "rs": "inr", "rs.": "inr",
    **{c: c for c in ("usd", "eur", "gbp", "jpy", "cny", "rub", "uah", "inr", "chf", "cad", "aud", "hkd")},
}

# Bound and approximation phrases before a number -> their kind.
_QUALIFIERS: dict[str, str] = {
    **dict.fromkeys(
        (
            "at least", "more than", "over", "upwards of", "upward of", "in excess of", "no fewer than",
            "no less than", "not less than", "a minimum of", "above", "greater than", "well over",
            "well above", "more then",
        ),
        "min",
    ),
    **dict.fromkeys(
        (
            "up to", "at most", "less than", "fewer than", "under", "no more than", "not more than",
            "a maximum of", "below", "as many as", "as much as", "well under", "well below",
        ),
        "max",
    ),
    **dict.fromkeys(
        ("nearly", "almost", "just under", "just shy of", "just below", "a little under", "a little less than",
         "slightly less than", "slightly under", "not quite"),
        "approx-max",
    ),
    **dict.fromkeys(
        ("just over", "just above", "a little over", "a little more than", "slightly more than", "slightly over",
         "just more than"),
        "approx-min",
    ),
    **dict.fromkeys(
        ("about", "around", "some", "roughly", "approximately", "approx.", "an estimated", "estimated", "circa",
         "ca.", "close to", "more or less", "barely", "nigh on", "in the region of", "of the order of"),
        "approx",
    ),
    "between": "range",
}
# After the number (or its unit): "15 or more", "15,000+", "an hour or so", "30-odd".
_POST_QUALIFIERS: dict[str, str] = {
    "or more": "min", "or over": "min", "or above": "min", "+": "min", "or longer": "min",
    "or less": "max", "or fewer": "max", "or under": "max", "or so": "approx", "-odd": "approx", " odd": "approx",
}

# A number after one of these is a label, not an amount ("No. 10", "route 66").
_LABEL_WORDS = frozenset(
    "no no. nos nos. number # page p. pp. vol vol. chapter article section paragraph clause resolution flight "
    "route room platform gate channel seat row apartment highway level phase stage season episode version model "
    "type grade class category line bus tram".split()
)
# Capitalised words that may precede an amount inside a sentence (not a label).
_CAPITAL_OK = frozenset(
    "us u.s. uk eu usd eur gbp rub uah jpy cny inr chf cad aud hkd rs rs. january february march april may june july "
    "august september october november december jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
# A casualty word after a number stands for the people ("15 injured").
_CASUALTY_WORDS = frozenset(
    "dead injured wounded killed hurt missing displaced evacuated arrested detained homeless infected".split()
)
# Words glued to a number by a hyphen that make an adjective, not a count
# ("one-off", "two-way", "two-thirds").
_NOT_COUNTED = frozenset(
    "off way fold sided time times thirds third quarters quarter fifths halves half point nil all".split()
)
_FRACTIONS = frozenset("half halves third thirds quarter quarters fifth fifths sixths tenths".split())
_GENERIC_HEADS = frozenset("member members personnel".split())
_IRREGULAR = {"people": "person", "persons": "person", "men": "man", "women": "woman", "children": "child",
              "police": "police", "staff": "staff", "crew": "crew", "personnel": "personnel"}
_CHANGE_VERBS = re.compile(
    r"\b(?:rose|rise[sn]?|rising|fell|fall(?:s|en|ing)?|increas\w*|decreas\w*|gr[eo]w\w*|dropp?\w*|climb\w*|jump\w*|"
    r"rais\w*|cut|lower\w*|reduc\w*|slump\w*|soar\w*|surg\w*|declin\w*|went|gone|up|down)\s+from\s*\Z",
    re.I,
)

# ---------------------------------------------------------------------------
# Regular expressions

_SP = r"[ \t\u00a0\u2009\u202f]"


def _trie_regex(words: list[str]) -> str:
    """An alternation of literal words as a prefix tree ("t(?:en|wo|...)").

    Python's regex engine tries alternatives one by one; sharing prefixes makes
    the scan of a whole article several times faster.
    """
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        if len(alts) == 1 and "" not in node:
            return alts[0]
        return "(?:" + "|".join(alts) + ")" + ("?" if "" in node else "")

    return emit(trie)


_WORDS_ALT = _trie_regex(list(_WORD_VALUES))
_SCALE_ALT = "dozen|hundred|thousand|million|billion|trillion"
_DIGITS = r"""
    \d{1,3}(?:,\d{3})+(?:\.\d+)?             # 1,234,567.8
  | \d{1,3}(?:\.\d{3}){2,}(?:,\d+)?        # 1.234.567,8 (European)
  | \d{1,3}\.\d{3},\d+                       # 1.234,5 (European)
  | \d{1,3}(?:[\u00a0\u2009\u202f ]\d{3})+(?![\d.,:])  # 14 000 (French/Russian style)
  | \d{1,3}(?:,[ ]\d{3})*,[ ]000(?!\d)         # 200, 000 (tokenised text; a round number only)
  | \d{1,2}\.[ ]\d(?![\d.,:])(?=[ ]?[^\W\d_%-]|[ ]?[%-])  # 6. 1 (detokenised text: 6.1)
  | \d+(?:[.,]\d+)?                              # 12 / 12.5 / 12,5
"""
_CORE = re.compile(
    rf"""
    # Cheap gate: only at a word start with a letter some number word begins with.
    (?=\d|(?<![^\W\d_])[otfsenhmbdzaqOTFSENHMBDZAQ])
    (?:
    (?P<vague>\b(?:(?:tens|hundreds){_SP}+of{_SP}+(?:thousands|millions|billions)
              |dozens|hundreds|thousands|millions|billions|scores(?={_SP}+of\b))\b)
  | (?P<several>\b(?:several|a{_SP}+few){_SP}+(?:dozen|hundred|thousand|million|billion)\b)
  | (?P<quarter>\b(?:a|one|three){_SP}+quarters?{_SP}+of{_SP}+an(?={_SP}+hour\b))
  | (?P<art>\b(?:half{_SP}+an?|an?)(?={_SP}+(?:{_SCALE_ALT}|{_ARTICLE_UNITS})s?\b))
  | (?P<digits>(?:(?<![\w.,])|(?<=\$US)|(?<=\$A)|(?<=\$C))(?:{_DIGITS})(?!\d))
  | (?P<words>\b(?:{_WORDS_ALT})\b(?:(?:{_SP}+|-)(?:{_WORDS_ALT})\b
              |(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion)){_SP}+and{_SP}+(?:{_WORDS_ALT})\b)*)
    )
    """,
    re.I | re.X,
)
_AND_A_HALF = re.compile(rf"{_SP}+and{_SP}+a{_SP}+half\b", re.I)
_SCALE_AFTER = re.compile(
    rf"(?:{_SP}+|-)?(?P<w>{_SCALE_ALT})\b|{_SP}?(?P<ab>mln|bln|mm|mn|bn|tn|trn|mio|mrd)\b\.?|(?P<at>[mkb])(?![\w])",
    re.I,
)
_UNIT_ALT = "|".join(re.escape(u) for u in sorted({*_UNITS, *_CURRENCY_WORDS}, key=len, reverse=True))
_UNIT_AFTER = re.compile(
    rf"(?P<sep>{_SP}*|-)(?:(?P<cad>canadian|australian|hong{_SP}kong){_SP}+)?(?P<u>{_UNIT_ALT})(?![\w])", re.I
)
_HY = rf"(?:{_SP}*-{_SP}*|{_SP}+)"  # a hyphen, spaced in tokenised text ("16 - year - old"), or a space
_AGE_AFTER = re.compile(rf"{_HY}(?P<u>years?|yrs?|months?){_HY}old\b", re.I)
_RICHTER = re.compile(rf"{_SP}+on{_SP}+the{_SP}+richter{_SP}+scale\b", re.I)
_CUR_BEFORE = re.compile(
    rf"(?:(?<![\w$])(?:US\$|A\$|C\$|HK\$)|\$(?:US|A|C)|[$€£¥₽₴₹]"
    rf"|\b(?:USD|EUR|GBP|JPY|CNY|RUB|UAH|INR|CHF|CAD|AUD|HKD|Rs\.?)){_SP}?\Z"
)
_QUAL_BEFORE = re.compile(
    r"(?<![\w-])(?P<q>"
    + "|".join(re.escape(q).replace(r"\ ", f"{_SP}+") for q in sorted(_QUALIFIERS, key=len, reverse=True))
    + rf"){_SP}+\Z",
    re.I,
)
_POST_QUAL = re.compile(
    rf"(?:{_SP}+(?P<w>or{_SP}+(?:more|over|above|longer|less|fewer|under|so))\b|(?P<p>\+)|(?P<odd>-odd)\b)", re.I
)
_RANGE_SEP = re.compile(rf"(?:{_SP}*[–—-]{_SP}*|{_SP}+(?P<w>to|and|or){_SP}+)(?P<cur>[$€£¥]{_SP}?)?", re.I)
_PREV_WORD = re.compile(r"(?P<w>[^\s\d]\S*)[ \t\u00a0]+\Z")
_MAGNITUDE_BEFORE = re.compile(rf"\bmagnitude(?:{_SP}+of)?(?:{_SP}+|-)\Z", re.I)
_AGED_BEFORE = re.compile(rf"\b(?:aged|age{_SP}+of){_SP}+\Z", re.I)
_FREQUENCY_BEFORE = re.compile(rf"\b(?:once|twice|thrice|times|per|every|each){_SP}+\Z", re.I)
_THE_BEFORE = re.compile(rf"\b(?:the|no|any|every|each){_SP}+\Z", re.I)
_DET_BEFORE = re.compile(
    rf"(?:\b(?:the|a|an|this|that|its|their|his|her|our|your|whose)|['’]s|s['’]){_SP}+\Z", re.I
)
_MINUS_BEFORE = re.compile(rf"(?:(?<![\w.,)])[-−]|\bminus{_SP}+)\Z", re.I)
_TO_NUMBER = re.compile(rf"{_SP}+to{_SP}+[\d.,]*\d")
_NAME_AFTER = re.compile(rf"{_SP}+[A-Z][a-z]")
_DIAL_BEFORE = re.compile(rf"\b(?:call(?:ed|ing|s)?|dial(?:l?ed|l?ing|s)?|phoned?){_SP}+\Z", re.I)
_BETWEEN_BEFORE = re.compile(rf"\bbetween{_SP}+\Z", re.I)
_DECADE_S = re.compile(r"['’]?s(?![\w])")
_HYPHEN_WORD = re.compile(r"-([a-z]{2,})\b(?!-)")

# Spans that are never quantities: dates, clock times, phone numbers, ratios.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?![a-z])\.?"
)
_DAY_NUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_TZ = (
    r"(?:GMT|UTC|Z|CET|CEST|EET|EEST|BST|MSK|ET|EST|EDT|CT|CST|CDT|PT|PST|PDT"
    r"|local\s+time|hrs|hours?\s+(?:local|GMT|UTC))"
)
_AMPM = rf"(?:[aApP]\.?{_SP}?[mM]\b\.?)"
_BLOCKED_PARTS: list[tuple[str, int]] = [
    (rf"\b{_DAY_NUM}\.?{_SP}+(?:of{_SP}+)?{_MONTH}(?:,?{_SP}+\d{{4}}(?!\d))?", 0),  # 10 January (2022)
    (rf"\b{_MONTH}{_SP}+{_DAY_NUM}(?:,?{_SP}+\d{{4}}(?!\d))?", 0),  # January 10(, 2022)
    (rf"\b{_MONTH},?{_SP}+\d{{4}}(?!\d)", 0),  # March 2014
    (rf"(?<![\d.])\d{{1,4}}{_SP}?(?P<ds>[./-]){_SP}?\d{{1,2}}{_SP}?(?P=ds){_SP}?\d{{1,4}}(?![\d])", 0),  # 30.12.2021
    (rf"(?<![\d.])\d+(?:[.,]\d+)?{_SP}?/{_SP}?\d+(?:[.,]\d+)?", 0),  # 24/7, 3/4, 50/50, "9 / 11"
    (rf"(?<![\d.])\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?{_SP}*(?:{_AMPM}|{_TZ}\b)", 0),  # 7.40am, 10.30 GMT
    (rf"(?<![\d.])\d{{1,2}}:{_SP}?\d{{2}}(?::\d{{2}})?(?![\d])", 0),  # a colon makes a clock time (or a score)
    (rf"(?<![\d.])\d{{1,2}}{_SP}*(?:[ap]\.{_SP}?m\b\.?|[ap]m\b)", re.I),  # 3 pm, 8 a.m., "8 a. m."
    (rf"(?<![\d.])\d{{3,4}}{_SP}*\({_SP}?\d{{3,4}}{_SP}*{_TZ}", 0),  # 1353 (1023 GMT)
    (r"(?<![\d.])\d{1,2}h\d{2}\b", 0),  # 17h05
    (rf"(?<![\d.])\d{{3,4}}{_SP}*{_TZ}\b", 0),  # 0640 GMT
    (rf"(?<![\d.])\d{{1,2}}(?:{_SP}*|-)o['’]clock", re.I),
]
# One pass over the text: the alternatives behind a gate on their first character.
_BLOCKED = re.compile(
    r"(?=[\d+(JFMASOND])(?:"
    + "|".join(f"(?i:{p})" if flags & re.I else f"(?:{p})" for p, flags in _BLOCKED_PARTS)
    + ")"
)
_PHONE = re.compile(
    r"(?:\+\d[\d \-.()]{6,}\d)|(?:\(\d{2,5}\)[ ]?\d[\d \-.]{4,}\d)|(?<![\d.,])\d{2,5}(?:[ .\-]\d{2,5}){2,}(?![\d])"
)


# ---------------------------------------------------------------------------
# Internal records


@dataclass(slots=True)
class _Amount:
    """One stated number before its unit: the span and the value as said."""

    start: int
    end: int
    value: float
    low: float | None = None
    high: float | None = None
    approx: bool = False
    kind: str = "digits"  # digits, words, art, vague
    plain_int: bool = False  # digits without separators or decimals (a possible year)
    scaled: bool = False
    mult: float = 1.0  # the scale word's factor ("3 million" -> 1e6), inherited by "2 to 3 million"
    currency: str | None = None
    cur_start: int | None = None

    @property
    def left(self) -> int:
        """Where the amount starts, currency symbol included."""
        return self.start if self.cur_start is None else self.cur_start


@dataclass(slots=True)
class _Ctx:
    """What every step needs: the text, its parse and the blocked mask."""

    text: str
    doc: Doc
    blocked: bytearray
    skip_to: int = 0  # set when a rejected number takes its neighbour with it ("3-1")
    _starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        """Character offsets of the tokens (computed once, when first needed)."""
        if self._starts is None:
            self._starts = self.doc.to_array("IDX").tolist() if len(self.doc) else []
        return self._starts


# ---------------------------------------------------------------------------
# Public API


def extract_numbers(text: str, doc: Doc | None = None) -> list[Quantity]:
    """Find the quantities of a text, with what they count, normalised.

    Parameters
    ----------
    text : str
        The cleaned article text.
    doc : spacy.tokens.Doc, optional
        The shared parse of ``text`` (``newsfuse.analyse.nlp.parse``); parsed
        here when omitted or when it is the parse of another text.

    Returns
    -------
    list of Quantity
        In text order, not overlapping; ``text[q.start:q.end] == q.text``.
        See the module docstring for units, bounds and what is skipped.
    """
    if not text:
        return []
    if doc is None or not _parse_of(doc, text):
        from .nlp import parse

        doc = parse(text)
    ctx = _Ctx(text, doc, _blocked_mask(text))
    out: list[Quantity] = []
    pos = 0
    for m in _CORE.finditer(text):
        if m.start() < max(pos, ctx.skip_to):
            continue
        q = _quantity(ctx, m, pos)
        if q is not None:
            q.verb = _governing_verb(doc, q)
            out.append(q)
            pos = q.end
    return out


_COUNTED = frozenset({"nummod", "quantmod", "compound", "nummod:gov", "det"})
_ARGUMENT = frozenset({"dobj", "obj", "nsubj", "nsubjpass", "nsubj:pass", "attr", "oprd", "iobj"})


def _governing_verb(doc: Doc, q: Quantity) -> str | None:
    """The verb whose argument the number is, directly or through the noun it counts:
    "injured" for "injured almost 50", "killing" for "killing at least seven people"; None for
    a number that only modifies a noun ("a 6-foot, 200-pound man was serving ...")."""
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    tok = span.root
    if tok.dep_ in _COUNTED and tok.head.i != tok.i:
        tok = tok.head  # "seven" -> "people"
    if tok.dep_ in _ARGUMENT and tok.head.pos_ in ("VERB", "AUX"):
        return tok.head.lower_
    return None


def _parse_of(doc: Doc, text: str) -> bool:
    """Whether ``doc`` is a parse of ``text`` (cheap: ``doc.text`` rebuilds the string)."""
    if len(doc) == 0:
        return not text.strip()
    first, last = doc[0], doc[-1]
    return last.idx + len(last.text_with_ws) == len(text) and text.startswith(first.text, first.idx)


def compatible(a: Quantity, b: Quantity, tolerance: float = DEFAULT_TOLERANCE, *, same_thing: bool = False) -> bool | None:
    """Whether two statements of the same quantity can both be true.

    Each statement is read as an interval of values: an exact number is a
    point ("212 passengers"); a bound is open on one side ("at least 15",
    bounds inclusive, so "more than 14,000" admits 14,000); a range is its
    ends; an approximate statement widens by ``tolerance`` (relative) on
    its open sides ("about 50" is 40-60, "nearly an hour" 48-60 minutes, "almost 50" 45-50;
    "just over 10" 10-12). Two statements are compatible when their
    intervals meet.

    Parameters
    ----------
    a, b : Quantity
        Two statements, normally of the same fact in two sources.
    tolerance : float, default=0.2
        Relative slack of an approximate statement.
    same_thing : bool, default=False
        The caller knows the two count the same thing (the same verb: "injuring 40",
        "injured almost 50"): plain numbers compare even without a counted noun.

    Returns
    -------
    bool or None
        ``None`` when they are not comparable: different units, or plain
        counts of different things (or of an unstated thing). Measures with
        a unit (durations, money, percentages, ...) are compared whatever
        their ``counts`` ("50-minute call" and "for nearly an hour"): the
        caller decides that they are the same fact.
    """
    if a.unit != b.unit:
        return None
    if a.unit is None and not same_thing:
        ka, kb = count_key(a.counts), count_key(b.counts)
        if ka is None or kb is None or ka != kb:
            return None
    lo_a, hi_a = _interval(a, tolerance)
    lo_b, hi_b = _interval(b, tolerance)
    # Normalised values carry float noise (1/60 of a minute): compare with a hair of slack.
    eps = 1e-9 * max(1.0, *(abs(v) for v in (lo_a, hi_a, lo_b, hi_b) if math.isfinite(v)))
    return lo_a <= hi_b + eps and lo_b <= hi_a + eps


def count_key(counts: str | None) -> str | None:
    """The comparable form of a counted noun: its head, singular.

    "crew members", "members of crew" and "crew" give "crew"; "coast guard
    vessels" gives "vessel"; "people" and "persons" give "person".
    """
    if not counts:
        return None
    words = counts.lower().replace("-", " ").split()
    if "of" in words and words[0] in _GENERIC_HEADS and words[-1] != "of":
        words = words[words.index("of") + 1:]
    if len(words) > 1 and words[-1] in _GENERIC_HEADS:
        words = words[:-1]
    return _singular(words[-1]) if words else None


# ---------------------------------------------------------------------------
# Building one quantity


def _quantity(ctx: _Ctx, m: re.Match[str], floor: int) -> Quantity | None:
    """The quantity that starts with the core match ``m``, or None.

    ``floor`` is the end of the previous quantity: context is not read
    before it, so spans never overlap.
    """
    text = ctx.text
    amt = _number(ctx, m, floor)
    if amt is None or isinstance(amt, Quantity):
        return amt
    qual, qkind = _post_qualifier(text, amt)
    unit, factor, attributive, end = _unit(ctx, amt)
    if qual is None:
        qual, qkind, end = _post_qualifier_after_unit(text, end)
    start, qual, qkind = _left_qualifier(text, amt, floor, qual, qkind)
    if unit is None:
        unit, factor = _unit_before(text, start, floor)
    if _glued_after(text, end):
        return None  # "10th", "5G", "3D": part of a token
    start = _sign(text, amt, start, floor)
    return _describe(ctx, amt, start, end, unit, factor, attributive, qual, qkind)


def _number(ctx: _Ctx, m: re.Match[str], floor: int) -> _Amount | Quantity | None:
    """The amount of a core match with its currency, scale and range (or a decade, or None)."""
    text = ctx.text
    amt = _amount(ctx, m)
    if amt is None or _is_blocked(ctx, amt.start, amt.end):
        return None
    _currency_before(text, amt, floor)
    if _is_label(text, amt):
        return None
    decade = _decade(text, amt)
    if decade is not None:
        return decade
    _scale(ctx, amt)
    ranged = _range(ctx, amt)
    if ranged is _DROP:
        return None
    return ranged or amt


def _left_qualifier(text: str, amt: _Amount, floor: int, qual: str | None,
                    qkind: str | None) -> tuple[int, str | None, str | None]:
    """The bound phrase before the number ("up to", "nearly"): (start, qualifier, kind)."""
    start = amt.left
    if qkind is not None:
        return start, qual, qkind  # "15 or more": one bound is enough
    left = _QUAL_BEFORE.search(text, max(floor, start - 40), start)
    if left is None:
        return start, qual, qkind
    lq = _norm(left.group("q"))
    if _QUALIFIERS[lq] == "range" and amt.low is None:
        return start, qual, qkind  # "between" without "and"
    return left.start(), lq, _QUALIFIERS[lq]


def _unit_before(text: str, start: int, floor: int) -> tuple[str | None, float]:
    """A unit written before the number: "magnitude 6.1", "aged 63"."""
    if _MAGNITUDE_BEFORE.search(text, max(floor, start - 15), start):
        return "magnitude", 1.0
    if _AGED_BEFORE.search(text, max(floor, start - 12), start):
        return "age", 1.0
    return None, 1.0


def _sign(text: str, amt: _Amount, start: int, floor: int) -> int:
    """Negate a number after a minus sign ("-5 °C", "minus 5"); the new start."""
    if start != amt.start or amt.low is not None:
        return start
    mm = _MINUS_BEFORE.search(text, max(floor, start - 7), start)
    if mm is None:
        return start
    amt.value = -amt.value
    return mm.start()


def _describe(ctx: _Ctx, amt: _Amount, start: int, end: int, unit: str | None, factor: float,
              attributive: bool, qual: str | None, qkind: str | None) -> Quantity | None:
    """What the number counts, or that it is a year, an age or no quantity at all."""
    text = ctx.text
    counts = None
    if unit is None or attributive:
        counted = _counted(ctx, amt, end, attributive)
        if counted is _DROP:
            return None  # "two-thirds", "one-off"
        counts, end = counted
    if unit is None and counts in _CURRENCY_WORDS:
        unit, counts = _CURRENCY_WORDS[counts], None  # "millions of dollars"
    if unit is None and counts is None and amt.kind in ("words", "art"):
        return None  # "three of them", "the one", "a million" said of nothing
    if unit is None and _is_year(ctx, amt, qkind, counts):
        unit, counts = "year-date", None
    elif unit is None and counts is None and amt.kind == "digits" and qkind is None:
        if _NAME_AFTER.match(text, end) or _DIAL_BEFORE.search(text, max(0, start - 12), start):
            return None  # "473 East 52nd Street", "a .357 Magnum", "called 911": addresses, models, phones
        if _is_appositive_age(ctx, amt, end):
            unit = "age"  # "Bryant Dalton, 39, of Philadelphia"
    return _finish(text, amt, start, end, unit, factor, counts, qual, qkind)


_DROP = object()  # a sentinel: reject the number (and what it is glued to)


def _decade(text: str, amt: _Amount) -> Quantity | None:
    """A decade ("the 1990s", "1990's"): a span of calendar years."""
    if not (amt.plain_int and 1500 <= amt.value <= 2090 and amt.value % 10 == 0 and amt.currency is None):
        return None
    dm = _DECADE_S.match(text, amt.end)
    if dm is None:
        return None
    end = dm.end()
    return Quantity(start=amt.start, end=end, text=text[amt.start:end], value=amt.value, low=amt.value,
                    high=amt.value + 9, unit="year-date")


def _finish(text: str, amt: _Amount, start: int, end: int, unit: str | None, factor: float,
            counts: str | None, qual: str | None, qkind: str | None) -> Quantity:
    """Apply the unit factor and the qualifier's bounds; build the Quantity."""
    conv = _converter(unit, factor)
    value, low, high = conv(amt.value), _opt(conv, amt.low), _opt(conv, amt.high)
    if unit == "fahrenheit":
        unit = "celsius"
    approx = amt.approx
    if qkind == "min" and low is None and high is None:
        low = value
    elif qkind == "max" and low is None and high is None:
        high = value
    elif qkind == "approx-max":
        approx, high = True, high if high is not None else value
    elif qkind == "approx-min":
        approx, low = True, low if low is not None else value
    elif qkind == "approx":
        approx = True
    return Quantity(start=start, end=end, text=text[start:end], value=value, low=low, high=high,
                    approx=approx, unit=unit, counts=counts, qualifier=qual)


def _converter(unit: str | None, factor: float) -> Callable[[float], float]:
    """A function from the stated number to the normalised unit."""
    if unit == "fahrenheit":
        return lambda v: _round((v - 32.0) * 5.0 / 9.0)
    return lambda v: _round(v * factor)


def _opt(conv: Callable[[float], float], v: float | None) -> float | None:
    """``conv(v)``, keeping None."""
    return None if v is None else conv(v)


def _round(v: float) -> float:
    # Unit factors (1/60, 1.609344) leave binary noise; 9 significant digits are plenty.
    return float(f"{v:.9g}")


# ---------------------------------------------------------------------------
# The number itself


def _amount(ctx: _Ctx, m: re.Match[str]) -> _Amount | None:
    """The value of one core match (before scale, range and unit)."""
    kind = m.lastgroup
    s, e = m.span()
    g = m.group(0)
    if kind == "digits":
        value, plain = _digits_value(g)
        if value is None:
            return None
        return _Amount(s, e, value, plain_int=plain)
    if kind == "words":
        return _words_amount(ctx.text, s, g)
    if kind == "vague":
        low, high = _vague_range(g.lower())
        return _Amount(s, e, low, low=low, high=high, approx=True, kind="vague", scaled=True)
    if kind == "several":
        words = g.lower().split()
        scale = 12.0 if words[-1] == "dozen" else _SCALES.get(words[-1], 100.0)
        lo, hi = (3, 9) if words[0] == "several" else (2, 5)
        return _Amount(s, e, lo * scale, low=lo * scale, high=hi * scale, approx=True, kind="vague", scaled=True)
    if kind == "quarter":
        return _Amount(s, e, 0.75 if g.lower().startswith("three") else 0.25, kind="art")
    if kind == "art":
        if g.lower().startswith("half"):
            return _Amount(s, e, 0.5, kind="art")
        if _FREQUENCY_BEFORE.search(ctx.text, max(0, s - 12), s):
            return None  # "once a year", "three times a day": a rate
        return _Amount(s, e, 1.0, kind="art")
    return None


def _digits_value(g: str) -> tuple[float | None, bool]:
    """The value of a digit string in English or European notation."""
    if len(g) > 1 and g[0] == "0" and g[1].isdigit():
        return None, False  # "007", "0100": codes, not amounts
    g = g.replace(", ", ",")  # tokenised "200, 000"
    if re.fullmatch(r"\d{1,2}\. \d", g):  # tokenised "6. 1"
        return float(g.replace(" ", "")), False
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", g):
        return float(g.replace(",", "")), False
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?|\d{1,3}\.\d{3},\d+", g):
        return float(g.replace(".", "").replace(",", ".")), False
    if re.search(r"[\u00a0\u2009\u202f ]", g):
        return float(re.sub(r"[\u00a0\u2009\u202f ]", "", g)), False
    return float(g.replace(",", ".")), g.isdigit()


def _words_amount(text: str, s: int, g: str) -> _Amount | None:
    """The value of spelled-out number words, taking the longest valid prefix."""
    if g[0].isupper() and not _sentence_start(text, s) and not g.isupper():
        return None  # "Group of Seven", "the Big Three": names
    if g.lower() == "one" and _THE_BEFORE.search(text, max(0, s - 8), s):
        return None  # "the one hand", "the one thing": emphasis, not a count
    parts = list(re.finditer(r"[a-z]+", g, re.I))
    value, used = _compose([p.group(0).lower() for p in parts if p.group(0).lower() != "and"])
    if used == 0:
        return None
    words = [p.group(0).lower() for p in parts if p.group(0).lower() != "and"][:used]
    ends = [p.end() for p in parts if p.group(0).lower() != "and"]
    mult = _SCALES.get(words[-1], 1.0)
    return _Amount(s, s + ends[used - 1], value, kind="words", scaled=any(w in _SCALES for w in words), mult=mult)


def _compose(words: list[str]) -> tuple[float, int]:
    """Value of number words ("one hundred and twelve", "twenty-five thousand").

    Returns the value and how many words were used: composition stops at the
    first word that cannot continue the number ("two three" is two).
    """
    total = current = 0.0
    last = ""  # kind of the previous word: unit, teen, ten, hundred, scale
    used = 0
    for w in words:
        v = _WORD_VALUES[w]
        if w in _SCALES:
            if last == "scale" and current == 0:
                break
            total += max(current, 1.0) * v
            current, last = 0.0, "scale"
        elif w == "hundred":
            if last in ("hundred",) or current >= 100:
                break
            current, last = max(current, 1.0) * 100, "hundred"
        elif w == "dozen":
            if last == "hundred":
                break
            current, last = max(current, 1.0) * 12, "unit"
        else:
            kind = "ten" if v >= 20 and v % 10 == 0 else ("teen" if v >= 10 else "unit")
            if last in ("unit", "teen") or (last == "ten" and kind != "unit"):
                break
            current += v
            last = kind
        used += 1
    return total + current, used


_VAGUE_BASE = {"dozens": 12.0, "scores": 20.0, "hundreds": 100.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9}


def _vague_range(g: str) -> tuple[float, float]:
    """The range of "dozens", "hundreds", "tens of thousands": two to ten of the scale."""
    words = g.split()
    base = _VAGUE_BASE[words[-1]]
    if len(words) > 1:
        base *= 10.0 if words[0] == "tens" else 100.0
    return 2 * base, 10 * base - 1


# ---------------------------------------------------------------------------
# Around the number


def _currency_before(text: str, amt: _Amount, floor: int) -> None:
    """Attach a currency symbol or code just before the number ("$2bn", "EUR 5")."""
    if amt.kind not in ("digits", "words", "art"):
        return
    cm = _CUR_BEFORE.search(text, max(floor, amt.start - 5), amt.start)
    if cm:
        key = cm.group(0).strip().lower()
        amt.currency, amt.cur_start = _CURRENCY_PREFIX.get(key, "usd"), cm.start()


def _scale(ctx: _Ctx, amt: _Amount) -> None:
    """Multiply by a following scale word ("1.5 million", "$2bn", "half a dozen")."""
    if amt.kind == "vague":
        return
    text = ctx.text
    half = _AND_A_HALF.match(text, amt.end)
    if half and amt.kind in ("digits", "words") and amt.value == int(amt.value):
        amt.value += 0.5
        amt.end = half.end()
    sm = _SCALE_AFTER.match(text, amt.end)
    if sm is None or amt.scaled:
        return
    if sm.group("w"):
        word = sm.group("w").lower()
        mult = 12.0 if word == "dozen" else 100.0 if word == "hundred" else _SCALES[word]
    elif sm.group("ab"):
        if amt.kind != "digits":
            return
        if sm.group("ab").lower() == "mm" and not amt.currency:
            return
        mult = _SCALE_ABBR[sm.group("ab").lower()]
    else:
        if amt.kind != "digits":
            return
        letter = sm.group("at").lower()
        # "£40m" is money; "40m people" a count; "a 40m drop" a length.
        if letter == "m" and not (amt.currency or _next_is_plural_noun(ctx, sm.end())):
            return
        mult = _SCALE_ABBR.get(letter, 1e6)
    amt.value *= mult
    amt.end = sm.end()
    amt.scaled = True
    amt.mult = mult


def _range(ctx: _Ctx, a: _Amount) -> _Amount | object | None:
    """Merge "10-12", "10 to 12", "between 10 and 12", "two or three" into one amount.

    Returns the merged amount, None when there is no range, or ``_DROP`` when
    the number is hyphen-joined to one that cannot close a range ("3-1",
    "555-0100"): a score or a code, not a quantity.
    """
    text = ctx.text
    if a.kind not in ("digits", "words") or a.low is not None:
        return None
    sep = _RANGE_SEP.match(text, a.end)
    if sep is None:
        return None
    word = (sep.group("w") or "").lower()
    if word == "and" and not _BETWEEN_BEFORE.search(text, max(0, a.left - 12), a.left):
        return None
    if word == "to" and _CHANGE_VERBS.search(text, max(0, a.left - 30), a.left):
        return None  # "rose from 10 to 12": a change, two values
    glued = not word and "-" in sep.group(0) and sep.end() < len(text) and text[sep.end()].isdigit()
    m = _CORE.match(text, sep.end())
    if m is None or m.lastgroup not in ("digits", "words"):
        return _DROP if glued else None
    b = _amount(ctx, m)
    if b is None or _is_blocked(ctx, b.start, b.end):
        return _DROP if glued else None
    b.currency = a.currency  # "$140-150MM"
    _scale(ctx, b)
    if a.plain_int and b.plain_int and 1500 <= a.value <= 2100 and b.value < 100 and not word:
        b.value += a.value - a.value % 100  # "2014-15"
    if b.mult > 1 and a.mult == 1 and a.value * b.mult <= b.value:
        a.value *= b.mult  # "2 to 3 million", "$2-3bn"
    if not b.value > a.value:
        if glued:
            ctx.skip_to = b.end
            return _DROP
        return None  # "7 to 2": a vote, not a range
    return replace(a, end=b.end, low=a.value, high=b.value, approx=a.approx or word == "or",
                   plain_int=a.plain_int and b.plain_int, scaled=a.scaled or b.scaled, mult=max(a.mult, b.mult))


def _post_qualifier(text: str, amt: _Amount) -> tuple[str | None, str | None]:
    """A bound written after the number ("15 or more", "15,000+", "30-odd")."""
    pm = _POST_QUAL.match(text, amt.end)
    if pm is None:
        return None, None
    key = _norm(pm.group(0).strip()) if not pm.group("p") else "+"
    kind = _POST_QUALIFIERS.get(key)
    if kind is None:
        return None, None
    amt.end = pm.end()
    return key, kind


def _post_qualifier_after_unit(text: str, end: int) -> tuple[str | None, str | None, int]:
    """A bound after the unit: "an hour or so", "two days or more"."""
    pm = _POST_QUAL.match(text, end)
    if pm and pm.group("w"):
        key = _norm(pm.group("w"))
        return key, _POST_QUALIFIERS.get(key), pm.end()
    return None, None, end


def _unit(ctx: _Ctx, amt: _Amount) -> tuple[str | None, float, bool, int]:
    """The unit after the number: (normalised unit, factor, attributive, new end)."""
    text = ctx.text
    end = amt.end
    if amt.currency:
        um = _UNIT_AFTER.match(text, end)
        if um and um.group("u").lower() in _CURRENCY_WORDS:
            end = um.end()  # "$5 USD"
        return amt.currency, 1.0, False, end
    age = _AGE_AFTER.match(text, end)
    if age:
        months = age.group("u").lower().startswith("month")
        return "age", (1 / 12 if months else 1.0), True, age.end()
    rm = _RICHTER.match(text, end)
    if rm:
        return "magnitude", 1.0, False, rm.end()
    um = _UNIT_AFTER.match(text, end)
    if um is None:
        return _borrowed_unit(ctx, amt) + (end,)
    sep, surface = um.group("sep"), um.group("u").lower()
    if sep == "" and surface not in _ATTACHABLE and surface != "€":
        return None, 1.0, False, end
    if surface in _CURRENCY_WORDS:
        if um.group("cad"):
            surface = f"{um.group('cad').lower()} {surface}"
        return _CURRENCY_WORDS.get(surface, "usd"), 1.0, False, um.end()
    if surface in ("pounds", "pound") and (amt.scaled and amt.value >= 1e6):
        return "gbp", 1.0, False, um.end()  # "40 million pounds": money, not weight
    if surface == "m" and sep.strip():
        return None, 1.0, False, end  # "3 m": metres or million? too ambiguous spaced
    if surface in ("second", "seconds") and amt.kind == "art":
        return None, 1.0, False, end
    unit, factor = _UNITS[surface]
    end = um.end()
    if unit == "minute":
        half = _AND_A_HALF.match(text, end)
        if half and amt.low is None:
            amt.value += 0.5
            end = half.end()
    return unit, factor, sep == "-", end


def _borrowed_unit(ctx: _Ctx, amt: _Amount) -> tuple[str | None, float, bool]:
    """The unit of the number after "to" when this one has none ("from 10 to 12 percent")."""
    tm = _TO_NUMBER.match(ctx.text, amt.end) if amt.kind == "digits" else None
    if tm is None:
        return None, 1.0, False
    um = _UNIT_AFTER.match(ctx.text, tm.end())
    surface = um.group("u").lower() if um else ""
    if surface not in _UNITS or (um.group("sep") == "" and surface not in _ATTACHABLE):
        return None, 1.0, False
    unit, factor = _UNITS[surface]
    return unit, factor, False


def _counted(ctx: _Ctx, amt: _Amount, end: int, attributive: bool) -> tuple[str | None, int] | object:
    """The counted noun after the quantity and the (possibly extended) end, or ``_DROP``.

    A hyphenated word glued to a plain count is the thing counted ("a
    10-member delegation" counts "member", the span takes it in); otherwise
    the noun after the number, skipping quotes, adjectives and names
    ("100,000 Russian troops", "48,000 of its Voltra City 2 e-bikes").
    Fractions ("two-thirds", "two thirds of") and adjectives ("one-off",
    "two-way") are not quantities: ``_DROP``.
    """
    text = ctx.text
    if not attributive:
        hm = _HYPHEN_WORD.match(text, end)
        if hm:
            word = hm.group(1).lower()
            if word in _NOT_COUNTED or word in _FRACTIONS or amt.kind in ("art", "vague") or amt.value == 1:
                return _DROP
            return word, hm.end()
    noun = _noun_after(ctx, end, partitive=not attributive, one=amt.value == 1 and amt.kind == "words")
    if noun is not None and noun.split()[-1] in _FRACTIONS:
        return _DROP
    return noun, end


def _noun_after(ctx: _Ctx, pos: int, partitive: bool, one: bool) -> str | None:
    """The noun (compound) that a number ending at ``pos`` counts, from the parse."""
    doc, text = ctx.doc, ctx.text
    n = len(doc)
    i = bisect_left(ctx.starts, pos)
    if i >= n or text[pos:doc[i].idx].strip() or "\n" in text[pos:doc[i].idx]:
        return None
    while i < n and doc[i].is_quote:
        i += 1
    if partitive and i < n and doc[i].lower_ == "of":
        if one:
            return None  # "one of the passengers": a choice, not a count
        i += 1
        if i < n and (doc[i].pos_ == "DET" or doc[i].tag_ == "PRP$"):
            i += 1
        elif i < n and doc[i].pos_ == "PRON":
            return None  # "three of them"
    first = i
    for _ in range(6):  # a few modifiers at most: "Voltra City 2 e-bikes"
        if i >= n:
            break
        w_start, w_end, last = _word(doc, i)
        t = doc[last]
        if t.pos_ == "NOUN" and any(c.isalpha() for c in t.text) and not (t.is_upper and len(t) > 1):
            return _compound(doc, text, i)
        if t.tag_ == "NNPS" or (t.ent_type_ == "NORP" and t.pos_ == "PROPN" and t.text.endswith("s")):
            if last + 1 >= n or doc[last + 1].pos_ not in ("NOUN", "PROPN", "ADJ"):
                return text[w_start:w_end].lower()  # "10,000 Russians"
        if not (t.is_quote or t.pos_ in ("ADJ", "PROPN") or t.tag_ in ("VBN", "VBG") or (t.pos_ == "NUM" and i > first)
                or (t.is_upper and len(t) > 1)):  # "10,000 US troops"; but "1010 WINS" is a name
            break
        i = last + 1
    if first < n and doc[first].lower_ in _CASUALTY_WORDS:
        return doc[first].lower_  # "15 injured"
    return None


def _compound(doc: Doc, text: str, i: int) -> str:
    """The noun compound from token ``i`` ("coast guard vessels", "members of crew")."""
    n = len(doc)
    start, end, last = _word(doc, i)
    for _ in range(3):
        if last + 1 >= n:
            break
        _, e2, l2 = _word(doc, last + 1)
        if doc[l2].pos_ != "NOUN" or "\n" in doc[last].whitespace_:
            break
        end, last = e2, l2
    head = text[start:end].lower()
    if (head.split()[-1] in _GENERIC_HEADS and last + 2 < n and doc[last + 1].lower_ == "of"
            and doc[last + 2].pos_ == "NOUN"):
        return text[start:_word(doc, last + 2)[1]].lower()  # "members of crew"
    return head


def _word(doc: Doc, i: int) -> tuple[int, int, int]:
    """A hyphenated word from token ``i``: (start char, end char, index of its last token)."""
    n = len(doc)
    j = i
    while (j + 2 < n and doc[j].whitespace_ == "" and doc[j + 1].text in ("-", "‐")
           and doc[j + 1].whitespace_ == "" and doc[j + 2].is_alpha):
        j += 2
    return doc[i].idx, doc[j].idx + len(doc[j]), j


def _next_is_plural_noun(ctx: _Ctx, pos: int) -> bool:
    """Whether the next token after ``pos`` is a plural noun ("40m people")."""
    i = bisect_left(ctx.starts, pos)
    while i < len(ctx.doc) and ctx.doc[i].is_space:
        i += 1
    return i < len(ctx.doc) and ctx.doc[i].tag_ in ("NNS", "NNPS")


def _is_appositive_age(ctx: _Ctx, amt: _Amount, end: int) -> bool:
    """A bare number set off by commas after a person's name is an age ("Dalton, 39,")."""
    text = ctx.text
    if not (amt.plain_int and 1 <= amt.value <= 120 and amt.low is None):
        return False
    if not (text[amt.start - 2:amt.start] == ", " and text[end:end + 1] in (",", ".", ";")):
        return False
    i = bisect_left(ctx.starts, amt.start - 2) - 1  # the token before the comma
    return i >= 0 and ctx.doc[i].ent_type_ == "PERSON"


def _is_year(ctx: _Ctx, amt: _Amount, qkind: str | None, counts: str | None) -> bool:
    """Whether a plain four-digit number is a calendar year.

    "in 2014", "since 2014" (nothing counted) and an attributive year after a
    determiner ("the 2022 elections", "Russia's 2014 annexation") are
    years; "2000 soldiers" is a count.
    """
    if not amt.plain_int or amt.scaled or amt.currency or not 1500 <= amt.value <= 2100:
        return False
    if qkind not in (None, "approx", "range"):
        return False  # "more than 2000"
    if counts is None:
        return True
    return _DET_BEFORE.search(ctx.text, max(0, amt.left - 10), amt.left) is not None


# ---------------------------------------------------------------------------
# Rejection rules


# A model or designation: capitals, a hyphen, digits ("AK-47", "F-16", "G-7", "COVID-19"), spaced
# as detokenised text spaces them ("AK - 47"). Its digits name the thing; they count nothing.
_DESIGNATION = re.compile(r"\b[A-Z][A-Za-z]{0,5}\s?-\s?\d+\b")


def _blocked_mask(text: str) -> bytearray:
    """One byte per character: 1 where a date, clock time, phone number, ratio or designation is."""
    mask = bytearray(len(text))
    for m in _BLOCKED.finditer(text):
        mask[m.start():m.end()] = b"\1" * (m.end() - m.start())
    for m in _DESIGNATION.finditer(text):
        start = m.start() + m.group().index("-") + 1  # only the digits: "AK" is no number anyway
        mask[start:m.end()] = b"\1" * (m.end() - start)
    for m in _PHONE.finditer(text):
        groups = re.findall(r"\d+", m.group(0))
        thousands = all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3 and not m.group(0).startswith("+")
        if sum(map(len, groups)) >= 7 and not thousands:
            mask[m.start():m.end()] = b"\1" * (m.end() - m.start())
    return mask


def _is_blocked(ctx: _Ctx, start: int, end: int) -> bool:
    """Whether a span touches a date, a clock time, a phone number or a ratio."""
    return ctx.blocked.find(1, start, end) != -1


def _is_label(text: str, amt: _Amount) -> bool:
    """Whether the number is part of a name or identifier ("A320", "City 2", "No. 10")."""
    if amt.kind != "digits":
        return False
    s = amt.left
    if s > 0 and text[s - 1] in "#№":
        return True
    if amt.cur_start is None and s > 1 and text[s - 1] == "-" and text[s - 2].isalpha():
        j = s - 2
        while j > 0 and text[j - 1].isalpha():
            j -= 1
        word = text[j:s - 1]
        if any(c.isupper() for c in word) or word.lower() in _LABEL_WORDS:
            return True  # "COVID-19", "F-16", "Su-35" (but "mid-2014" is a year)
    if amt.end + 1 < len(text) and text[amt.end] in ".," and text[amt.end + 1].isdigit():
        return True  # "1.2.3", "192.168.0.1", "1,2,3"
    if amt.cur_start is not None:
        return False
    pw = _PREV_WORD.search(text, max(0, s - 30), s)
    if pw is None:
        return False
    if pw.group("w")[-1] in ",;:)]":
        return False  # "Dalton, 39": punctuation parts a name from the number
    word = pw.group("w").strip("\"'“”‘’«»(")
    low = word.lower()
    if low in _LABEL_WORDS:
        return True
    if (word[:1].isupper() and low not in _CAPITAL_OK and low not in _QUALIFIERS
            and not low.endswith(("'s", "’s", "s'", "s’")) and not _sentence_start(text, pw.start())):
        return True  # "Voltra City 2", "Flight 370", "Article 5"; not "Russia's 100,000"
    return False


def _glued_after(text: str, end: int) -> bool:
    """A letter or digit right after the quantity makes it part of a token ("10th", "5G", "3D")."""
    if end >= len(text):
        return False
    c = text[end]
    return c.isalnum() or (c == "-" and end + 1 < len(text) and text[end + 1].isupper())


def _sentence_start(text: str, pos: int) -> bool:
    """Whether ``pos`` begins a sentence, a line, a heading or a parenthesis."""
    j = pos - 1
    while j >= 0 and text[j] in " \t\u00a0\"'“”‘’«»„(":
        j -= 1
    return j < 0 or text[j] in ".!?:;\n–—…|"


# ---------------------------------------------------------------------------
# Comparison helpers


def _interval(q: Quantity, tolerance: float) -> tuple[float, float]:
    """The values a statement admits (see ``compatible``)."""
    t = tolerance
    if q.low is not None and q.high is not None:  # a range, or a vague amount ("tens of thousands")
        if q.approx and q.qualifier and _kind_of(q.qualifier) == "approx":
            return q.low - abs(q.low) * t, q.high + abs(q.high) * t  # "about 10-12"
        return q.low, q.high
    if q.low is not None:  # "at least 15"; approximate: "just over 10"
        return q.low, (q.low + abs(q.low) * t) if q.approx else math.inf
    if q.high is not None:  # "up to 100,000"; approximate: "nearly an hour", "almost 50"
        return (q.high - abs(q.high) * _below(q, t)) if q.approx else -math.inf, q.high
    if q.approx:
        return q.value - abs(q.value) * t, q.value + abs(q.value) * t
    return q.value, q.value


_WRITTEN_NUMBER = re.compile(r"\d[\d,.]*|\b(?:" + "|".join(NUMBER_WORDS) + r")\b", re.I)


def _below(q: Quantity, t: float) -> float:
    """How far below its figure "nearly"/"almost" reaches: the full slack for a figure of one or
    a few coarse units ("nearly an hour" may be 50 minutes), half of it for a figure written with
    ten or more ("almost 50" is not 40)."""
    figures = []
    for w in _WRITTEN_NUMBER.findall(q.text):
        try:
            figures.append(float(w.replace(",", "").rstrip(".")) if w[0].isdigit() else float(NUMBER_WORDS[w.lower()]))
        except ValueError:
            continue
    return t / 2 if figures and max(figures) >= 10 else t


def _kind_of(qualifier: str) -> str | None:
    """The kind of a qualifier (min, max, approx, approx-max, approx-min, range)."""
    return _QUALIFIERS.get(qualifier) or _POST_QUALIFIERS.get(qualifier)


def _singular(word: str) -> str:
    """A cheap singular for comparison keys (no lemmatizer in the shared pipeline)."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _norm(s: str) -> str:
    """Lower case, single spaces."""
    return " ".join(s.lower().split())
