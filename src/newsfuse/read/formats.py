"""Input formats: each turns one input (a file, stdin, a fetched body) into
raw :class:`~newsfuse.model.Document` items, or :class:`~newsfuse.model.Problem`
items for the parts that cannot be read. Containers (JSONL, WARC, feeds) are
streamed, and one bad row or record never stops the rest.
"""

from __future__ import annotations

import io
import json
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import IO, Any
from urllib.parse import urlsplit

from ..model import Document, Problem
from ..dates import parse_datetime
from .decode import ReadError, decode, sniff_binary

Item = Document | Problem

DEFAULT_MAX_BYTES = 16 * 1024 * 1024  # per article document; containers are streamed

EXTENSIONS = {
    ".txt": "txt", ".text": "txt", ".md": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".warc": "warc", ".arc": "warc",
    ".rss": "feed", ".atom": "feed", ".xml": "xml",
    ".parquet": "parquet", ".pq": "parquet",
}


@dataclass(slots=True)
class FormatOptions:
    max_bytes: int = DEFAULT_MAX_BYTES
    keep_raw: bool = True


def format_from_name(name: str) -> str | None:
    """The format a file name announces (None: look at the content)."""
    lower = name.lower()
    if lower.endswith((".warc.gz", ".arc.gz")):
        return "warc"
    if lower.endswith(".gz"):
        lower = lower[:-3]
    dot = lower.rfind(".")
    return EXTENSIONS.get(lower[dot:]) if dot >= 0 else None


def sniff(head: bytes) -> str:
    """The format of content from its first bytes: warc, feed, html, json, jsonl or txt."""
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(31).decompress(head, 4096)
        except zlib.error:
            return "binary"
    if head.startswith(b"WARC/"):
        return "warc"
    text = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<"):
        if re.search(rb"<(?:rss|feed|rdf:rdf)\b", text):
            return "feed"
        return "html"
    if text.startswith(b"{"):
        return "jsonl"
    if text.startswith(b"["):
        return "json"
    return "txt"


def read_capped(stream: IO[bytes], limit: int, size: int | None = None) -> bytes:
    """Read a whole document, refusing anything over ``limit`` bytes."""
    if size is not None and size > limit:
        raise ReadError(f"too large: {_mb(size)} (limit {_mb(limit)}; see --max-bytes)")
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ReadError(f"too large: more than {_mb(limit)} (see --max-bytes)")
    return data


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


# --- single documents --------------------------------------------------------


def parse_text(name: str, data: bytes, opts: FormatOptions, fmt: str = "txt") -> Iterator[Item]:
    notes: list[str] = []
    try:
        text = decode(data, notes=notes)
    except ReadError as e:
        yield Problem(name, str(e))
        return
    for note in notes:
        yield Problem(name, note, skipped=False)
    if fmt == "html":
        yield Document(origin=name, format="html", html=text, raw=text if opts.keep_raw else None)
    else:
        yield Document(origin=name, format="txt", text=text, raw=text if opts.keep_raw else None)


# --- JSON and JSONL -------------------------------------------------------------

# Field names used by common crawlers and datasets (news-please / CC-News,
# NewsAPI, GDELT-style exports) besides the ones PRODUCT.md names.
_FIELDS = {
    "id": ("id", "_id", "uuid", "article_id", "doc_id"),
    "url": ("url", "link", "canonical_url", "source_url", "uri"),
    "title": ("title", "headline", "name"),
    "text": ("text", "maintext", "body", "content", "article", "full_text", "description"),
    "html": ("html", "raw_html", "content_html", "html_content"),
    "published": ("published", "date_publish", "published_at", "publishedAt", "publication_date",
                  "pubDate", "datePublished", "date", "timestamp", "created_at", "date_modify"),
    "source": ("source", "outlet", "source_domain", "publisher", "site", "sitename", "site_name", "domain"),
    "language": ("language", "lang"),
    "authors": ("authors", "author", "byline"),
}


def _field(row: dict[str, Any], name: str) -> Any:
    return _keyed_field(row, name)[1]


def _keyed_field(row: dict[str, Any], name: str) -> tuple[str | None, Any]:
    """The first of the field's names the row gives a value for, and the value."""
    for key in _FIELDS[name]:
        value = row.get(key)
        if value not in (None, "", [], {}):
            return key, value
    return None, None


class _NotText(ValueError):
    """A text or html field that holds something other than text."""


def _text_field(row: dict[str, Any], name: str, joiner: str) -> str | None:
    """The text a row gives in a text-like field. A list of strings is one text (the
    paragraphs of a body, as some crawlers store it), joined by ``joiner``; anything
    else (an object, numbers) raises :class:`_NotText`, so it is not read as an
    article without its text."""
    key, value = _keyed_field(row, name)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = joiner.join(v.strip() for v in value if v.strip())
    if value is not None and not isinstance(value, str):
        raise _NotText(f"the {key!r} field is {_a(value)}, not text")
    return value if value and value.strip() else None


def _a(value: Any) -> str:
    if isinstance(value, list):
        return "a list of " + ", ".join(sorted({type(v).__name__ for v in value}))
    return {"dict": "an object", "int": "a number", "float": "a number", "bool": "true or false"}.get(
        type(value).__name__, type(value).__name__)


def row_to_document(row: Any, origin: str, raw: str | None) -> Item:
    """One JSON object as a Document, or the reason it is not an article.

    ``text`` (or ``body``, ``content`` ...) may be a string or a list of strings
    (paragraphs, joined); a row whose text is anything else is skipped with the
    reason, as is a row nested deeper than :data:`MAX_NESTING` levels.
    """
    if not isinstance(row, dict):
        return Problem(origin, f"not a JSON object but {type(row).__name__}")
    if nested_deeper(row, MAX_NESTING):
        return Problem(origin, TOO_DEEP)
    try:
        text, html = _text_field(row, "text", "\n\n"), _text_field(row, "html", "\n")
    except _NotText as e:
        return Problem(origin, str(e))
    if text is None and html is None:
        if not _field(row, "title"):
            return Problem(origin, "no text, html or title field")
        text = ""  # a headline alone is still a report
    source = _field(row, "source")
    if isinstance(source, dict):  # NewsAPI: {"id": ..., "name": ...}
        source = source.get("name") or source.get("id")
    authors = _field(row, "authors")
    if isinstance(authors, str):
        authors = [authors]
    rid = _field(row, "id")
    published = parse_datetime(_field(row, "published"))
    known = {k for keys in _FIELDS.values() for k in keys}
    return Document(
        origin=origin,
        format="json",
        text=None if html else text,
        html=html,
        id=str(rid) if rid is not None else None,
        url=_str(_field(row, "url")),
        title=_str(_field(row, "title")),
        source=_str(source),
        published=published,
        published_via="field" if published else None,
        language=_str(_field(row, "language")),
        raw=raw,
        extra={
            **{k: v for k, v in row.items() if k not in known},
            **({"authors": [str(a) for a in authors]} if isinstance(authors, list) else {}),
            **({"text": text} if html and text else {}),
        },
    )


def _str(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


# Real article rows nest a few levels (NewsAPI's source object, a list of
# entities); a row nested far deeper is not an article, and past about a
# thousand levels Python's JSON parser, copies and encoders recurse out of stack.
MAX_NESTING = 100
TOO_DEEP = f"nested too deep (more than {MAX_NESTING} levels): not read"


def nested_deeper(value: Any, limit: int) -> bool:
    """Whether lists and objects in ``value`` nest more than ``limit`` levels (without recursing)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth >= limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def load_json(text: str) -> Any:
    """``json.loads``, with a :class:`ReadError` for JSON nested too deep to parse."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ReadError(TOO_DEEP) from None


def _parsed(text: str, origin: str) -> Any:
    """The JSON value of ``text``, or the :class:`Problem` that says why it is none."""
    try:
        return load_json(text)
    except json.JSONDecodeError as e:
        return Problem(origin, f"invalid JSON ({e.msg} at column {e.colno})")
    except ReadError as e:
        return Problem(origin, str(e))


# A JSON string escape of a UTF-16 surrogate: the only way JSON can hold a lone
# one (valid pairs are joined into one character when parsed).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
LONE_SURROGATES = "lone UTF-16 surrogate escapes replaced by U+FFFD"


def without_surrogates(value: Any) -> Any:
    """``value`` with lone surrogates in its strings replaced: they cannot be written as UTF-8."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {without_surrogates(k): without_surrogates(v) for k, v in value.items()}
    return value


def _row_items(row: Any, origin: str, source_text: str, raw: str | None) -> Iterator[Item]:
    """The document of one parsed row, after a warning if its strings had to be repaired."""
    if _SURROGATE_ESCAPE.search(source_text) and not nested_deeper(row, MAX_NESTING):
        fixed = without_surrogates(row)
        if fixed != row:
            yield Problem(origin, LONE_SURROGATES, skipped=False)
            row = fixed
            raw = without_surrogates(raw)
    yield row_to_document(row, origin, raw)


def parse_jsonl(name: str, stream: IO[bytes], opts: FormatOptions, first_line: int = 1) -> Iterator[Item]:
    """One article per line; a bad line is reported by its number and skipped.

    ``first_line`` is the number of the stream's first line, for a stream that
    is a part of a file starting at a line start (see :func:`newsfuse.read.iter_read_range`).
    """
    for lineno, line in _lines(stream, opts.max_bytes, first_line):
        origin = f"{name}:{lineno}"
        if isinstance(line, ReadError):
            yield Problem(origin, str(line))
            continue
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            text = line.decode("utf-8", errors="replace")
            yield Problem(origin, "not valid UTF-8: broken byte sequences replaced", skipped=False)
        row = _parsed(text, origin)
        if isinstance(row, Problem):
            yield row
            continue
        yield from _row_items(row, origin, text, text.rstrip("\n") if opts.keep_raw else None)


def _lines(stream: IO[bytes], limit: int, first_line: int = 1) -> Iterator[tuple[int, bytes | ReadError]]:
    lineno = first_line - 1
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # skip the rest of the oversized line
                more = stream.readline(1 << 20)
                if not more or more.endswith(b"\n"):
                    break
            yield lineno, ReadError(f"line too large: more than {_mb(limit)} (see --max-bytes)")
            continue
        yield lineno, line


_WRAPPER_KEYS = ("articles", "items", "data", "results")  # {"articles": [...]}: the list is the articles


def parse_json(name: str, stream: IO[bytes], opts: FormatOptions) -> Iterator[Item]:
    """A JSON array of articles, a single article object, or JSON lines.

    An article nested too deep is skipped and the others are read: a document
    too deep for the parser as a whole is read again item by item.
    """
    head = stream.read(1 << 16)
    rest = io.BytesIO(head)
    if head.lstrip().startswith(b"{") and b"\n{" in head:
        yield from parse_jsonl(name, _Chain(rest, stream), opts)
        return
    try:
        data = read_capped(_Chain(rest, stream), max(opts.max_bytes, 256 * 1024 * 1024))
        text = data.decode("utf-8", errors="replace")
        value = json.loads(text)
    except (ReadError, json.JSONDecodeError) as e:
        yield Problem(name, f"invalid JSON ({getattr(e, 'msg', e)})")
        return
    except RecursionError:
        yield from _json_items_one_by_one(name, text, opts)
        return
    if isinstance(value, dict):
        items = next((value[k] for k in _WRAPPER_KEYS if isinstance(value.get(k), list)), None)
        if items is None:
            yield from _json_row(value, name, text, opts)
            return
        value = items
    if not isinstance(value, list):
        yield Problem(name, "JSON is neither an article object nor a list of them")
        return
    for i, row in enumerate(value):
        yield from _json_row(row, f"{name}[{i}]", text, opts)


def _json_row(row: Any, origin: str, source_text: str, opts: FormatOptions) -> Iterator[Item]:
    """One article of a JSON document; ``source_text`` is the document (to look for escapes in)."""
    if nested_deeper(row, MAX_NESTING):  # before json.dumps, which would recurse into it
        yield Problem(origin, TOO_DEEP)
        return
    raw = json.dumps(row, ensure_ascii=False) if opts.keep_raw else None
    yield from _row_items(row, origin, source_text, raw)


def _json_items_one_by_one(name: str, text: str, opts: FormatOptions) -> Iterator[Item]:
    """The articles of a JSON document too deep to parse whole: each element of its
    list (top-level, or under one of :data:`_WRAPPER_KEYS`) parsed on its own."""
    spans = _article_spans(text)
    if spans is None:
        yield Problem(name, TOO_DEEP)
        return
    for i, (start, end) in enumerate(spans):
        origin = f"{name}[{i}]"
        row = _parsed(text[start:end], origin)
        if isinstance(row, Problem):
            yield row
            continue
        yield from _json_row(row, origin, text[start:end], opts)


# Strings (whole, so that brackets inside them do not count) and the punctuation of structure.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},:]')


def _children(text: str, start: int) -> list[tuple[int, int]]:
    """The spans of the members of the array or object that opens at ``start``
    (for an object, ``"key": value``), found without parsing them."""
    spans: list[tuple[int, int]] = []
    depth, begin = 0, start + 1
    for m in _JSON_TOKEN.finditer(text, start):
        tok = m.group()
        if tok in "[{":
            depth += 1
        elif tok in "]}":
            depth -= 1
            if depth == 0:
                if text[begin:m.start()].strip():
                    spans.append(_stripped(text, begin, m.start()))
                return spans
        elif tok == "," and depth == 1:
            spans.append(_stripped(text, begin, m.start()))
            begin = m.end()
    return spans


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _article_spans(text: str) -> list[tuple[int, int]] | None:
    """The spans of the articles of a JSON document: a top-level list's elements, or
    those of the list under a wrapper key; None if it is neither (one deep object)."""
    start, _ = _stripped(text, 0, len(text))
    if text.startswith("[", start):
        return _children(text, start)
    if not text.startswith("{", start):
        return None
    lists: dict[str, int] = {}
    for a, b in _children(text, start):
        key = re.match(r'"[^"\\]*(?:\\.[^"\\]*)*"\s*:\s*', text[a:b])
        if key and text.startswith("[", a + key.end()):
            lists.setdefault(json.loads(key.group().rstrip().rstrip(":")), a + key.end())
    found = next((lists[k] for k in _WRAPPER_KEYS if k in lists), None)
    return None if found is None else _children(text, found)


class _Chain(io.RawIOBase):
    """Bytes already read followed by the rest of a stream, as one stream."""

    def __init__(self, first: io.BytesIO, rest: IO[bytes]) -> None:
        self._first, self._rest = first, rest

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        data = self._first.read(len(b)) or self._rest.read(len(b))
        b[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:  # type: ignore[override]
        line = self._first.readline(size if size is not None else -1)
        if line.endswith(b"\n") or (size is not None and size >= 0 and len(line) >= size):
            return line
        more = self._rest.readline(-1 if size is None or size < 0 else size - len(line))
        return line + more


# --- Parquet ----------------------------------------------------------------------

PARQUET_BATCH_ROWS = 256  # rows held at once: a batch of long articles stays a few MB
_NEEDS_PYARROW = "reading Parquet needs pyarrow: pip install newsfuse[parquet]"
_PUBLISHED_KEYS = frozenset(_FIELDS["published"])


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ReadError(_NEEDS_PYARROW) from None
    return pq


def _open_parquet(name: str) -> Any:
    """A ``pyarrow.parquet.ParquetFile``; ReadError if pyarrow is missing or the file is not Parquet."""
    pq = _pyarrow_parquet()
    import pyarrow as pa

    try:
        return pq.ParquetFile(name)
    except (pa.ArrowException, ValueError, EOFError) as e:
        raise ReadError(f"not a readable Parquet file: {_first_line(e)}") from None


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0][:160] if text else type(e).__name__


def parquet_row_groups(name: str) -> list[int]:
    """The number of rows in each row group of a Parquet file.

    Raises :class:`ReadError` if pyarrow is missing or the file cannot be read
    as Parquet (read such a file whole: the problem is then reported).
    """
    meta = _open_parquet(name).metadata
    return [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]


def parse_parquet(path: str, opts: FormatOptions, row_groups: list[int] | None = None,
                  origin: str | None = None) -> Iterator[Item]:
    """One article per row, with the column names of JSON rows (see :func:`row_to_document`).

    The file is streamed in batches. ``row_groups`` reads only those row
    groups (all if None); rows keep their file-wide numbers (from 1) in their
    origins, ``origin:row`` (``origin`` names the file in them: ``path`` if not given).
    A damaged file yields the rows before the damage and one problem saying where it stopped.
    """
    name = origin or path
    try:
        pf = _open_parquet(path)
    except ReadError as e:
        yield Problem(name, str(e))
        return
    import pyarrow as pa

    sizes = [pf.metadata.row_group(i).num_rows for i in range(pf.metadata.num_row_groups)]
    groups = list(range(len(sizes))) if row_groups is None else list(row_groups)
    for g in groups:
        if not 0 <= g < len(sizes):
            raise ValueError(f"{name} has no row group {g} (it has {len(sizes)})")
    count = 0
    for g in groups:
        rowno = sum(sizes[:g])
        batches = pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, row_groups=[g], use_threads=False)
        while True:
            try:
                rows = next(batches).to_pylist()
            except StopIteration:
                break
            except (pa.ArrowException, OSError, ValueError, EOFError) as e:
                yield Problem(name, f"truncated or corrupt Parquet after {count} row(s): {_first_line(e)}")
                return
            for row in rows:
                rowno += 1
                count += 1
                yield _parquet_row(row, f"{name}:{rowno}", opts)


def _parquet_row(row: dict[str, Any], origin: str, opts: FormatOptions) -> Item:
    raw = json.dumps(row, default=str, ensure_ascii=False) if opts.keep_raw else None
    size = len(raw) if raw is not None else sum(len(v) for v in row.values() if isinstance(v, (str, bytes)))
    if size > opts.max_bytes:
        return Problem(origin, f"row too large: more than {_mb(opts.max_bytes)} (see --max-bytes)")
    # Values JSON has no type for become what a JSON row would hold (an ISO
    # string for a date), so an article's extra fields stay JSON-ready; a
    # timestamp in a publication-date column is taken as it is.
    plain = {
        k: _py_datetime(v) if k in _PUBLISHED_KEYS and isinstance(v, datetime) else _plain(v)
        for k, v in row.items()
    }
    return row_to_document(plain, origin, raw)


def _py_datetime(value: datetime) -> datetime:
    if type(value) is not datetime and hasattr(value, "to_pydatetime"):  # pandas.Timestamp (nanosecond columns)
        return value.to_pydatetime(warn=False)
    return value


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return _py_datetime(value).isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, timedelta):
        return value.total_seconds()
    return str(value)


# --- WARC -----------------------------------------------------------------------


def parse_warc(name: str, stream: IO[bytes], opts: FormatOptions) -> Iterator[Item]:
    """HTML pages from the response (and resource) records of a WARC file.

    A truncated or corrupt archive yields the records before the damage and one
    problem saying where it stopped. warcio itself stops quietly at a cut-off
    record, so the end of the archive is checked here.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    count = 0
    last_offset: int | None = None
    said = io.StringIO()  # what warcio writes to stderr, many lines per damaged record
    try:
        records = ArchiveIterator(stream)
        for record in _quietly(records, said):
            last_offset = records.offset  # where this record starts (get_record_offset() would consume it)
            if record.rec_type not in ("response", "resource"):
                continue
            for item in _warc_items(name, record, count, opts, said):
                if isinstance(item, Document):
                    count += 1
                elif item.reason.startswith("truncated"):
                    raise _Truncated(item.reason)
                yield item
        problem = _warc_tail(stream, last_offset)
        if problem:
            raise _Truncated(problem)
    except (_Truncated, ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError, AttributeError, TypeError) as e:
        # warcio fails in many ways on damaged input (AttributeError on a cut header)
        lines = [] if isinstance(e, (AttributeError, TypeError)) else _said(str(e))
        detail = lines[0][:120] if lines else "a record could not be parsed"
        yield Problem(name, f"truncated or corrupt WARC after {count} page(s): {detail}")
        return
    warnings = _said(said.getvalue())
    if warnings:  # the archive was read, but warcio found something amiss: one line, not its many
        first = re.sub(r"^(?:WARNING|ERROR):\s*", "", warnings[0])
        yield Problem(name, f"the WARC reader warned: {first[:120]}", skipped=False)


class _Truncated(Exception):
    pass


def _said(message: str) -> list[str]:
    """The non-blank lines of a message (warcio's start with a blank one)."""
    return [line.strip() for line in message.splitlines() if line.strip()]


@contextmanager
def _stderr_to(sink: IO[str]) -> Iterator[None]:
    """warcio writes its warnings straight to ``sys.stderr``: take them for as long as
    it runs. Held only around its calls, never across a ``yield`` (the caller's own
    messages go to stderr between them)."""
    with redirect_stderr(sink):
        yield


def _quietly(records: Iterator[Any], sink: IO[str]) -> Iterator[Any]:
    """The records of an ArchiveIterator, with what warcio writes to stderr sent to ``sink``."""
    while True:
        with _stderr_to(sink):
            record = next(records, None)
        if record is None:
            return
        yield record


def _warc_items(name: str, record: Any, index: int, opts: FormatOptions, said: IO[str]) -> Iterator[Item]:
    """The HTML page of one record (nothing for records that are not pages)."""
    url = record.rec_headers.get_header("WARC-Target-URI")
    origin = f"{name}#{url}" if url else f"{name}@{index}"
    if record.rec_type == "response":
        if record.http_headers is None or record.http_headers.get_statuscode() != "200":
            return
        ctype = record.http_headers.get_header("Content-Type") or ""
    else:
        ctype = record.rec_headers.get_header("Content-Type") or ""
    if ctype and "html" not in ctype.lower():
        return
    with _stderr_to(said):
        body = record.content_stream().read(opts.max_bytes + 1)
    if len(body) > opts.max_bytes:
        yield Problem(origin, f"too large: more than {_mb(opts.max_bytes)} (see --max-bytes)")
        return
    if getattr(record.raw_stream, "limit", 0) > 0:
        yield Problem(origin, f"truncated record {url or index}: its body is cut short")
        return
    notes: list[str] = []
    try:
        html = decode(body, declared=_charset(ctype), notes=notes)
    except ReadError as e:
        yield Problem(origin, str(e))
        return
    yield from (Problem(origin, note, skipped=False) for note in notes)
    crawled = parse_datetime(record.rec_headers.get_header("WARC-Date"))
    yield Document(
        origin=origin, format="warc", html=html, url=url,
        published=crawled, published_via="warc" if crawled else None,
        raw=html if opts.keep_raw else None,
    )


def _warc_tail(stream: IO[bytes], last_offset: int | None) -> str | None:
    """Why the end of a seekable archive is damaged, or None if it is whole.

    For gzip archives (one member per record), every member from the last
    record on must be complete; for plain ones, nothing may follow the last
    record but blank lines.
    """
    if last_offset is None or not stream.seekable():
        return None
    stream.seek(last_offset)
    tail = stream.read()
    if tail.startswith(b"\x1f\x8b"):
        while tail:
            d = zlib.decompressobj(31)
            d.decompress(tail)
            if not d.eof:
                return "the last gzip member is cut short"
            tail = d.unused_data.lstrip(b"\x00")
        return None
    header_end = tail.find(b"\r\n\r\n")
    m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", tail[: max(header_end, 0)])
    if header_end < 0 or not m:
        return "the last record's header is cut short"
    end = header_end + 4 + int(m.group(1))
    if len(tail) < end:
        return "the last record is cut short"
    if tail[end:].strip():
        return "unreadable data after the last record"
    return None


def _charset(content_type: str) -> str | None:
    m = re.search(r"charset=[\"']?([\w.:-]+)", content_type or "", re.I)
    return m.group(1) if m else None


# --- RSS and Atom feeds -----------------------------------------------------------


def parse_feed(name: str, data: bytes, opts: FormatOptions, base_url: str | None = None) -> Iterator[Item]:
    """One document per feed entry, with its link, date and content or summary.

    Entries that carry only a teaser are still articles; :func:`newsfuse.read`
    can follow their links to fetch the full page (``follow_links``).
    """
    import feedparser

    try:
        parsed = feedparser.parse(data, response_headers={"content-location": base_url} if base_url else None)
    except RecursionError:
        yield Problem(name, TOO_DEEP)
        return
    except Exception as e:  # feedparser fails on odd input (a character reference to a surrogate)
        yield Problem(name, f"not a readable feed ({type(e).__name__})")
        return
    if not parsed.entries:
        reason = parsed.get("bozo_exception")
        yield Problem(name, f"not a readable feed ({reason})" if reason else "feed has no entries")
        return
    outlet = parsed.feed.get("title") or (domain(parsed.feed.get("link")) if parsed.feed.get("link") else None)
    for i, entry in enumerate(parsed.entries):
        link = entry.get("link")
        origin = f"{name}#{link}" if link else f"{name}#{i}"
        content, ctype = _entry_content(entry)
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        published = datetime(*when[:6], tzinfo=timezone.utc) if when else None
        is_html = "html" in ctype
        authors = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
        yield Document(
            origin=origin,
            format="feed",
            text=None if is_html else content,
            html=f"<html><body><article>{content}</article></body></html>" if is_html else None,
            id=None,
            url=link,
            title=entry.get("title"),
            source=outlet,
            published=published,
            published_via="feed" if published else None,
            raw=content if opts.keep_raw else None,
            extra={"feed": name, **({"authors": authors} if authors else {}), "feed_summary_only": not entry.get("content")},
        )


def _entry_content(entry: Any) -> tuple[str, str]:
    """The fullest text an entry carries, and its type."""
    best, btype = "", "text/plain"
    for c in entry.get("content", []) or []:
        if len(c.get("value", "")) > len(best):
            best, btype = c.get("value", ""), c.get("type", "text/html")
    summary = entry.get("summary", "")
    if len(summary) > len(best):
        best, btype = summary, (entry.get("summary_detail") or {}).get("type", "text/html")
    return best, btype


def domain(url: str | None) -> str | None:
    """The host of a URL without "www.", as a stand-in outlet name."""
    host = urlsplit(url or "").hostname
    return host[4:] if host and host.startswith("www.") else host


def looks_binary(head: bytes) -> str | None:
    """Binary content that no reader should try (images, archives, executables)."""
    if head.startswith(b"\x1f\x8b"):
        return None  # gzip: looked into by sniff()
    if head.startswith(b"WARC/"):
        return None  # an archive: its records may hold images, each record is looked at alone
    return sniff_binary(head)
