"""Properties of the cleaner and the parsers on arbitrary input."""

from __future__ import annotations

import io
import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfuse.clean import clean_text
from newsfuse.model import Document, Problem
from newsfuse.read.decode import ReadError
from newsfuse.read.extract import to_article
from newsfuse.read.formats import FormatOptions, parse_jsonl

_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")

# Text that looks like scraped articles: words, boilerplate phrases, dates,
# punctuation, blank lines, odd spaces and a little of everything else.
PIECES = st.sampled_from([
    "The ferry ran aground.", "Leave a Reply", "See also\u00a0Something else", "By admin", "3:52", "(AP Photo)",
    "Tue. Jan 18th, 2022", "“Quoted words”", "and be the first", "Source link", "©", "PORT AVEL (NWS) - ",
    "\n", "\n\n", " ", "\u00a0", "\t", ".", "—", "Most Popular", "https://x.example/a",
])
SCRAPED = st.lists(st.one_of(PIECES, st.text(max_size=40)), max_size=40).map("".join)


def norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", _INVISIBLE.sub("", s)).split())


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(SCRAPED, st.one_of(st.none(), st.text(max_size=30)))
def test_cleaner_never_crashes_and_never_invents_text(text: str, title: str | None) -> None:
    cleaned = clean_text(text, title=title)
    source = norm(text)
    for p in cleaned.paragraphs:
        assert p.strip() == p and p
        assert norm(p) in source
    for r in cleaned.removed:
        assert norm(r.line) in source


@settings(max_examples=200)
@given(st.lists(st.binary(max_size=80), max_size=8))
def test_jsonl_parser_reports_bad_lines(lines: list[bytes]) -> None:
    data = b"\n".join(lines)
    for item in parse_jsonl("x.jsonl", io.BytesIO(data), FormatOptions()):
        assert isinstance(item, (Document, Problem))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(SCRAPED, st.booleans())
def test_extraction_fails_only_with_a_reason(text: str, as_html: bool) -> None:
    doc = Document(origin="x", format="html" if as_html else "txt",
                   html=f"<html><body><p>{text}</p></body></html>" if as_html else None,
                   text=None if as_html else text)
    try:
        a = to_article(doc)
    except ReadError as e:
        assert str(e)
    else:
        assert a.paragraphs and a.id
