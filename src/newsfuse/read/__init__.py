"""The reading stage: paths, globs, directories, stdin and URLs in; Articles out.

>>> import newsfuse
>>> articles = newsfuse.read("examples/")              # doctest: +SKIP
>>> for a in newsfuse.iter_read(["a.jsonl", "https://example.org/feed.xml"],
...                             on_problem=print): ...  # doctest: +SKIP

Large inputs can be read in parts by separate processes, with the same
results as reading them whole: :func:`split_jsonl` and :func:`iter_read_range`
for JSONL files, :func:`parquet_row_groups` and :func:`iter_read_parquet` for
Parquet files.

Every input item that cannot be read becomes a :class:`~newsfuse.model.Problem`
handed to ``on_problem`` (logged as a warning by default) and the run goes on.
"""

from __future__ import annotations

import glob
import gzip
import io
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from ..model import Article, Document, Problem, content_id
from .decode import ReadError
from .extract import to_article
from .fetch import FetchOptions, fetch
from .formats import (
    DEFAULT_MAX_BYTES,
    TOO_DEEP,
    FormatOptions,
    Item,
    format_from_name,
    looks_binary,
    parquet_row_groups,
    parse_feed,
    parse_json,
    parse_jsonl,
    parse_parquet,
    parse_text,
    parse_warc,
    read_capped,
    sniff,
)
from .paths import origin_of

__all__ = [
    "ReadError", "ReadOptions", "distinct_ids", "expand", "iter_documents", "iter_read", "iter_read_parquet",
    "iter_read_range", "parquet_row_groups", "read", "split_jsonl",
]

log = logging.getLogger(__name__)

Source = str | os.PathLike[str]
ProblemHandler = Callable[[Problem], None]

# What a directory walk picks up; a file named on the command line is read whatever its name.
WALK_FORMATS = {"txt", "html", "json", "jsonl", "warc", "feed", "xml", "parquet"}
_GLOB_CHARS = set("*?[")


@dataclass(slots=True)
class ReadOptions:
    """How inputs are read.

    ``max_bytes`` caps one article document (a page, a text file, a JSON line);
    containers such as JSONL files and WARC archives are streamed whatever
    their size. URLs are fetched within ``fetch``'s limits, and only public
    addresses are fetched unless ``allow_private`` is set. ``follow_links``
    fetches the page of each feed entry instead of using the entry's summary.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    keep_raw: bool = True
    allow_private: bool = False
    follow_links: bool = False
    fetch: FetchOptions = field(default_factory=FetchOptions)

    def __post_init__(self) -> None:
        self.fetch.allow_private = self.fetch.allow_private or self.allow_private
        self.fetch.max_bytes = min(self.fetch.max_bytes, self.max_bytes)

    @property
    def formats(self) -> FormatOptions:
        return FormatOptions(max_bytes=self.max_bytes, keep_raw=self.keep_raw)


def _log_problem(p: Problem) -> None:
    log.warning("%s", p)


def read(
    sources: Source | Iterable[Source],
    *,
    options: ReadOptions | None = None,
    on_problem: ProblemHandler | None = None,
) -> list[Article]:
    """Read, extract and clean every article in ``sources``; see :func:`iter_read`."""
    return list(iter_read(sources, options=options, on_problem=on_problem))


def iter_read(
    sources: Source | Iterable[Source],
    *,
    options: ReadOptions | None = None,
    on_problem: ProblemHandler | None = None,
) -> Iterator[Article]:
    """Yield a cleaned :class:`Article` for every article found in ``sources``.

    ``sources`` is one or more paths, directories (read recursively), globs,
    ``-`` for standard input, or http(s) URLs of pages or feeds.
    """
    handle = on_problem or _log_problem
    yield from _articles(iter_documents(sources, options=options, on_problem=handle), handle)


def _articles(items: Iterable[Item], handle: ProblemHandler) -> Iterator[Article]:
    """The cleaned article of each document; problems (and documents that fail) go to ``handle``."""
    for item in items:
        if isinstance(item, Problem):
            handle(item)
            continue
        try:
            article = to_article(item)
        except ReadError as e:
            handle(Problem(item.origin, str(e)))
            continue
        except RecursionError:  # a library walking a document recursively
            handle(Problem(item.origin, TOO_DEEP))
            continue
        except Exception as e:  # a bug or a library failure on odd input: report, go on
            log.debug("failed on %s", item.origin, exc_info=True)
            handle(Problem(item.origin, f"internal error: {type(e).__name__}: {e}"))
            continue
        yield article


def distinct_ids(articles: Iterable[Article], on_problem: ProblemHandler | None = None) -> Iterator[Article]:
    """``articles``, where two different articles given one id no longer share it.

    Later stages key articles by id (the store keeps one article per id), so the
    second of two articles given one id would be lost without a word. It gets the
    id ``id~<content hash>`` instead, with a warning: a changed id is better than a
    lost report, and the new id is the same each time the input is read. The same
    article given twice keeps its id (it is one article). This runs over a whole
    input, after reading: a reader of one part of a file cannot know the other parts.
    """
    handle = on_problem or _log_problem
    ids = _Ids()
    for article in articles:
        renamed = ids.distinct(article)
        if renamed is not None:
            handle(Problem(article.origin, f"id {renamed!r} was given to another article before in this "
                                           f"input: read as {article.id!r}", skipped=False))
        yield article


class _Ids:
    """The ids given so far, with a hash of the content each was given to."""

    def __init__(self) -> None:
        self._content: dict[str, str] = {}

    def distinct(self, article: Article) -> str | None:
        """Give ``article`` an id of its own if its id was taken by other content; the old id if so."""
        digest = content_id(article.url, article.title, article.text)
        seen = self._content.setdefault(article.id, digest)
        if seen == digest:
            return None
        given = article.id
        article.id = f"{given}~{digest[:8]}"
        self._content.setdefault(article.id, digest)
        return given


def iter_documents(
    sources: Source | Iterable[Source],
    *,
    options: ReadOptions | None = None,
    on_problem: ProblemHandler | None = None,
) -> Iterator[Document]:
    """Yield the raw documents of ``sources``, before extraction and cleaning."""
    opts = options or ReadOptions()
    handle = on_problem or _log_problem
    for spec in expand(sources):
        if isinstance(spec, Problem):
            handle(spec)
            continue
        try:
            items = _items(spec, opts)
            for item in items:
                if isinstance(item, Problem):
                    handle(item)
                elif opts.follow_links and item.format == "feed" and item.url:
                    yield _follow(item, opts, handle)
                else:
                    yield item
        except ReadError as e:
            handle(Problem(origin_of(spec), str(e)))
        except OSError as e:
            handle(Problem(origin_of(spec), e.strerror or str(e)))
        except RecursionError:  # a parser that reads a whole document at once (a feed) recursed on it
            handle(Problem(origin_of(spec), TOO_DEEP))


def expand(sources: Source | Iterable[Source]) -> Iterator[str | Problem]:
    """Each input named by ``sources``: files found in directories and globs, in
    a stable order; '-' and URLs as they are."""
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    for source in sources:
        spec = os.fspath(source)
        if spec == "-" or spec.startswith(("http://", "https://")):
            yield spec
        elif os.path.isdir(spec):
            yield from _walk(spec)
        elif os.path.exists(spec):
            yield spec
        elif _GLOB_CHARS & set(spec):
            matches = sorted(glob.glob(spec, recursive=True))
            if not matches:
                yield Problem(origin_of(spec), "no files match")
            for m in matches:
                yield from (_walk(m) if os.path.isdir(m) else [m])
        else:
            yield Problem(origin_of(spec), "no such file or directory")


def _walk(directory: str) -> Iterator[str]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.lower() in ("readme.md", "readme.txt", "license", "license.txt"):
                continue
            if format_from_name(name) in WALK_FORMATS:
                yield os.path.join(root, name)


def _items(spec: str, opts: ReadOptions) -> Iterator[Item]:
    """The items of one input; ``spec`` is the name to open, its origin names the items."""
    name = origin_of(spec)
    if spec.startswith(("http://", "https://")):
        if name != spec:  # bytes that are not UTF-8 cannot be sent in a request
            yield Problem(name, "not a valid URL: it is not valid UTF-8")
            return
        yield from _url_items(spec, opts)
    elif spec == "-":
        yield from _stream_items("<stdin>", sys.stdin.buffer, None, None, opts)
    else:
        size = os.path.getsize(spec)
        if size == 0:
            yield Problem(name, "empty")
            return
        fmt = format_from_name(spec)
        if fmt == "parquet":
            yield from _parquet_items(spec, opts, None)
            return
        with open(spec, "rb") as raw:
            if spec.lower().endswith(".gz") and fmt != "warc":
                stream: IO[bytes] = gzip.open(raw)  # type: ignore[assignment]
                size = None  # type: ignore[assignment]
            else:
                stream = raw
            yield from _stream_items(name, stream, fmt, size, opts)


def _stream_items(name: str, stream: IO[bytes], fmt: str | None, size: int | None, opts: ReadOptions) -> Iterator[Item]:
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    head = buffered.peek(8192)[:8192]  # type: ignore[attr-defined]
    resolved = _content_format(name, head, fmt)
    if isinstance(resolved, Problem):
        yield resolved
        return
    fmt = resolved
    fo = opts.formats
    if fmt == "warc":
        yield from parse_warc(name, buffered, fo)
    elif fmt == "jsonl":
        yield from parse_jsonl(name, buffered, fo)
    elif fmt == "json":
        yield from parse_json(name, buffered, fo)
    elif fmt == "feed":
        yield from parse_feed(name, read_capped(buffered, opts.max_bytes, size), fo)
    else:
        yield from parse_text(name, read_capped(buffered, opts.max_bytes, size), fo, fmt)


def _content_format(name: str, head: bytes, fmt: str | None) -> str | Problem:
    """The format to read content as, from its first bytes and the format its name gives."""
    if not head.strip():
        return Problem(name, "empty")
    binary = looks_binary(head)
    if binary:
        return Problem(name, f"not text: {binary}")
    if fmt in (None, "xml"):
        fmt = sniff(head)
        if fmt == "binary":
            return Problem(name, "not text: corrupt compressed data")
    return fmt or "txt"


def _url_items(url: str, opts: ReadOptions) -> Iterator[Item]:
    resp = fetch(url, opts.fetch)
    ctype = resp.content_type
    fmt = sniff(resp.body[:8192])
    if "rss" in ctype or "atom" in ctype or fmt == "feed":
        yield from parse_feed(url, resp.body, opts.formats, base_url=resp.url)
        return
    if ctype and not (ctype.startswith("text/") or "html" in ctype or "xml" in ctype or "json" in ctype):
        yield Problem(url, f"not an article page: content type {ctype}")
        return
    if fmt in ("json", "jsonl") and "json" in ctype:
        yield from parse_json(url, io.BytesIO(resp.body), opts.formats)
        return
    notes: list[str] = []
    from .decode import decode

    text = decode(resp.body, declared=resp.charset, notes=notes)
    for note in notes:
        yield Problem(url, note, skipped=False)
    is_html = "html" in ctype or fmt == "html"
    yield Document(
        origin=url,
        format="html" if is_html else "txt",
        html=text if is_html else None,
        text=None if is_html else text,
        url=resp.url,
        raw=text if opts.keep_raw else None,
    )


def _follow(entry: Document, opts: ReadOptions, handle: ProblemHandler) -> Document:
    """The full page behind a feed entry; the entry itself if the page cannot be had."""
    assert entry.url
    try:
        pages = [d for d in _url_items(entry.url, opts) if isinstance(d, Document) and d.html]
    except ReadError as e:
        handle(Problem(entry.url, f"{e} (using the feed entry instead)", skipped=False))
        return entry
    if not pages:
        return entry
    page = pages[0]
    page.origin = entry.origin
    page.title = entry.title
    page.source = entry.source
    page.published, page.published_via = entry.published, entry.published_via
    page.extra = {**entry.extra, "feed_summary_only": False}
    return page


# --- reading a file in parts (for engines that spread one file over processes) ---------

_SPLIT_CHUNK = 4 << 20  # bytes scanned at a time when looking for line starts


def split_jsonl(path: Source, target_bytes: int) -> list[tuple[int, int, int]]:
    """Cut a JSONL file into parts of about ``target_bytes`` at line starts.

    Each part is ``(start, end, first_line)``: the byte range ``[start, end)``
    and the 1-based number of its first line, ready for :func:`iter_read_range`.
    The parts cover the file exactly and none is empty. A file that is not read
    as plain JSONL (compressed, another format, empty or binary) is one part
    ``(0, size, 1)``, which :func:`iter_read_range` reads exactly as
    :func:`iter_read` does; an empty file is the one part ``(0, 0, 1)``.
    """
    if target_bytes < 1:
        raise ValueError(f"target_bytes must be at least 1, not {target_bytes}")
    spec = os.fspath(path)
    size = os.path.getsize(spec)
    if not _splittable(spec):
        return [(0, size, 1)]
    parts: list[tuple[int, int, int]] = []
    start, first_line = 0, 1
    lines = 0  # newlines before offset + counted
    want = target_bytes  # the next cut is the first line start at or after this offset
    with open(spec, "rb", buffering=0) as f:
        offset = 0
        while True:
            data = f.read(_SPLIT_CHUNK)
            if not data:
                break
            counted = 0
            while want < size:
                i = data.find(b"\n", max(want - 1 - offset, counted))
                if i < 0:
                    break
                cut = offset + i + 1
                if cut >= size:
                    break
                lines += data.count(b"\n", counted, i + 1)
                counted = i + 1
                parts.append((start, cut, first_line))
                start, first_line = cut, lines + 1
                want = cut + target_bytes
            lines += data.count(b"\n", counted)
            offset += len(data)
            if want >= size:
                break
    parts.append((start, size, first_line))
    return parts


def iter_read_range(
    path: Source,
    start: int,
    end: int,
    first_line: int,
    *,
    options: ReadOptions | None = None,
    on_problem: ProblemHandler | None = None,
) -> Iterator[Article]:
    """The articles of the JSONL lines in bytes ``[start, end)`` of ``path``.

    ``start`` must be a line start and ``first_line`` the number of that line,
    as :func:`split_jsonl` gives them. Origins (``path:line``) and problems are
    exactly those :func:`iter_read` gives for the same lines, so reading every
    part of a split gives what reading the file whole gives. A range that is the
    whole file is read by :func:`iter_read` itself (so any file can be passed
    whole); a part of a file that is not plain JSONL raises ValueError.
    """
    spec = os.fspath(path)
    opts = options or ReadOptions()
    handle = on_problem or _log_problem
    if start == 0 and (not os.path.isfile(spec) or end >= os.path.getsize(spec)):
        yield from iter_read(spec, options=opts, on_problem=handle)
        return
    if not _splittable(spec):
        raise ValueError(f"{spec} is not a plain JSONL file: read it whole, not from byte {start} to {end}")
    if not 0 <= start <= end or first_line < 1:
        raise ValueError(f"bad range of {spec}: bytes {start} to {end} from line {first_line}")
    yield from _articles(_guarded(spec, _range_items(spec, start, end, first_line, opts)), handle)


def _range_items(spec: str, start: int, end: int, first_line: int, opts: ReadOptions) -> Iterator[Item]:
    with open(spec, "rb") as f:
        f.seek(start)
        part = _Slice(f, end - start)
        yield from parse_jsonl(origin_of(spec), part, opts.formats, first_line=first_line)  # type: ignore[arg-type]


def _splittable(spec: str) -> bool:
    """Whether :func:`iter_read` reads the file as plain, uncompressed JSONL lines."""
    if spec.lower().endswith(".gz") or os.path.getsize(spec) == 0:
        return False
    fmt = format_from_name(spec)
    if fmt == "parquet":
        return False
    with open(spec, "rb") as f:  # the head exactly as _items sees it
        head = f.peek(8192)[:8192]
    return not head.startswith(b"\x1f\x8b") and _content_format(spec, head, fmt) == "jsonl"


class _Slice:
    """At most ``length`` bytes of a stream, from where it stands."""

    def __init__(self, stream: IO[bytes], length: int) -> None:
        self._stream, self._left = stream, length

    def _take(self, size: int | None) -> int:
        return self._left if size is None or size < 0 else min(size, self._left)

    def read(self, size: int | None = -1) -> bytes:
        n = self._take(size)
        data = self._stream.read(n) if n > 0 else b""
        self._left -= len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        n = self._take(size)
        line = self._stream.readline(n) if n > 0 else b""
        self._left -= len(line)
        return line


def _guarded(spec: str, items: Iterable[Item]) -> Iterator[Item]:
    """``items``, ending in a problem for ``spec`` if reading it fails."""
    try:
        yield from items
    except ReadError as e:
        yield Problem(origin_of(spec), str(e))
    except OSError as e:
        yield Problem(origin_of(spec), e.strerror or str(e))


def iter_read_parquet(
    path: Source,
    row_groups: list[int] | None = None,
    options: ReadOptions | None = None,
    on_problem: ProblemHandler | None = None,
) -> Iterator[Article]:
    """The articles of the rows of a Parquet file, or of only the row groups
    ``row_groups`` (numbers from 0; see :func:`parquet_row_groups`).

    Origins keep the file-wide row numbers (``path:row``, from 1), so reading
    every row group separately gives what :func:`iter_read` gives for the file.
    """
    spec = os.fspath(path)
    opts = options or ReadOptions()
    handle = on_problem or _log_problem
    yield from _articles(_guarded(spec, _parquet_items(spec, opts, row_groups)), handle)


def _parquet_items(spec: str, opts: ReadOptions, row_groups: list[int] | None) -> Iterator[Item]:
    name = origin_of(spec)
    if os.path.getsize(spec) == 0:
        yield Problem(name, "empty")
    elif spec.lower().endswith(".gz"):
        yield Problem(name, "compressed Parquet files are not read: decompress it first")
    else:
        yield from parse_parquet(spec, opts.formats, row_groups, origin=name)
