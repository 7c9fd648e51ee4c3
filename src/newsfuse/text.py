"""Small text utilities shared by the stages: tokens, sentences, stop words.

Everything here is plain Python and regular expressions, fast enough for the
hot paths (copy detection and clustering see every article).
"""

from __future__ import annotations

import re

# A token is a number (with inner separators: 10,000 / 5.6 / 15:35) or a word
# (letters, with inner apostrophes and hyphens).
TOKEN = re.compile(r"\d[\d,.:]*\d|\d|[^\W\d_][\w'’\-]*", re.UNICODE)

# Stop words of the languages the cleaner knows, plus the verbs of reporting
# that every article uses ("said", "told") and so say nothing about the event.
_STOP = """
a about above after again against all almost also although am among an and another any are around as at away back be
because been before being below between both but by can cannot could did do does doing done down during each either
else even ever every few for from further get gets got had has have having he her here hers herself him himself his how
however i if in into is it its itself just last least less like made make many may me might more most much must my
myself near neither never new next no nor not now of off often on once one only onto or other others our ours ourselves
out over own per perhaps rather same several shall she should since so some still such than that the their theirs them
themselves then there these they this those though through thus to too toward under until up upon us very via was we
well were what when where whether which while who whom whose why will with within without would yet you your yours
yourself yourselves said says say saying told tell tells according reported reports report added adds asked also
mr mrs ms dr st
le la les un une des du de et en est au aux ce cette ces il elle ils elles on nous vous qui que quoi dans par pour sur
avec sans sous pas plus ne se sa son ses leur leurs lui été être avoir fait mais ou où donc ni car a selon déclaré dit
der die das den dem des ein eine einer eines einem einen und oder ist sind war waren wird werden wurde wurden hat haben
mit von zu zum zur im in auf für an als auch bei nach aus bis durch über unter vor nicht noch nur sich es er sie wir
ihr ihre sein seine dass so wie wenn sagte laut
el la los las un una unos unas y o es son fue fueron ha han del al en con por para sin sobre entre como más pero que
se su sus lo le les ya según dijo
il lo gli i di da con su per tra fra che non è sono ha hanno
""".split()
STOP_WORDS = frozenset(_STOP)

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}

# Sentence ends: a terminal mark (and closing quotes) followed by space and a
# capital, a digit or an opening quote - but not after a common abbreviation
# or a single capital ("U.S.", "J. Smith").
_END = re.compile(r"[.!?…]+[\"'”’»)]*\s+(?=[\"'“‘«(]?[A-Z0-9À-Þ])")
_WORD_BEFORE = re.compile(r"(\w+)$")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr gen gov sen rep col lt sgt capt cmdr adm prof inc co corp ltd no nos vs etc approx dept "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
    "mme mlle hr herr frau nr bzw ca sra sr srta dra av".split()
)


_DECIMAL_AFTER = re.compile(r"\s\d(?!\d)")


def _is_end(text: str, pos: int) -> bool:
    """Whether the terminal mark at ``pos`` ends a sentence (not "Mr.", "U.S." or the "6. 1" of
    detokenised text, which is 6.1: news style spells out a number that begins a sentence)."""
    if text[pos] != ".":
        return True
    m = _WORD_BEFORE.search(text, max(0, pos - 12), pos)
    if not m:
        return True
    word = m.group(1)
    if word.isdigit() and len(word) <= 2 and _DECIMAL_AFTER.match(text, pos + 1):
        return False
    if len(word) == 1 and word.isalpha():
        return False  # an initial, or a letter of "U.S."
    return word.lower() not in ABBREVIATIONS


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of a text; paragraph breaks always end one."""
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while start < n:
        nl = text.find("\n", start)
        end_para = n if nl < 0 else nl
        s = start
        for m in _END.finditer(text, start, end_para):
            if _is_end(text, m.start()):
                spans.append((s, m.end()))
                s = m.end()
        spans.append((s, end_para))
        start = end_para + 1
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def sentences(text: str) -> list[str]:
    """The sentences of a text.

    >>> sentences("Mr. Smith went to the U.S. capital. He left on Jan. 5. Then rain.")
    ['Mr. Smith went to the U.S. capital.', 'He left on Jan. 5.', 'Then rain.']
    """
    return [text[a:b] for a, b in sentence_spans(text)]


def lead(text: str, n: int = 2) -> str:
    """The first ``n`` sentences: in news, where the event itself is told."""
    return " ".join(sentences(text[:2000])[:n])


_QUOTE_MARKS = re.compile(r'[“”„«»"]')


def paired_quotes(text: str) -> str:
    """``text`` without its quotation marks when one of a pair is missing (a clause cut out of a
    quotation, a sentence split inside one: "Nobody should draw conclusions ”, so Reyland"): a
    mark that opens or closes nothing reads as noise. Marks are counted, not matched: „German“,
    “English” and «French» pairs differ in which is which."""
    if len(_QUOTE_MARKS.findall(text)) % 2 == 0:
        return text
    return re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s{2,}", " ", _QUOTE_MARKS.sub("", text))).strip()


# What must not reach a terminal as it is: control characters (a newline in a file
# name would start a fake line of output; escape sequences would drive the
# terminal), lone surrogates (unencodable: printing them raises), and the
# bidirectional overrides that make text display in another order than it reads.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` safe to show on one terminal line: control characters, lone surrogates and
    bidirectional overrides are written as visible escapes (``\\n``, ``\\x1b``, ``\\u202e``).

    >>> printable("a.txt\\n3 articles read")
    'a.txt\\\\n3 articles read'
    """
    return _UNPRINTABLE.sub(_escape, str(text))
