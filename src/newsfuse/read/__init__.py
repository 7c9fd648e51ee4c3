"""The reading stage: paths, globs, directories, stdin and URLs in; Articles out.

>>> import newsfuse
>>> articles = newsfuse.read("examples/")              # doctest: +SKIP
>>> for a in newsfuse.iter_read(["a.jsonl", "https://example.org/feed.xml"],
...                             on_problem=print): ...  # doctest: +SKIP

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
from pathlib import Path
from typing import IO

from ..model import Article, Document, Problem
from .decode import ReadError
from .extract import to_article
from .fetch import FetchOptions, fetch
from .formats import (
    DEFAULT_MAX_BYTES,
    FormatOptions,
    Item,
    format_from_name,
    looks_binary,
    parse_feed,
    parse_json,
    parse_jsonl,
    parse_text,
    parse_warc,
    read_capped,
    sniff,
)

__all__ = ["ReadOptions", "iter_documents", "iter_read", "read", "expand"]

log = logging.getLogger(__name__)

Source = str | os.PathLike[str]
ProblemHandler = Callable[[Problem], None]

# What a directory walk picks up; a file named on the command line is read whatever its name.
WALK_FORMATS = {"txt", "html", "json", "jsonl", "warc", "feed", "xml"}
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
    for doc in iter_documents(sources, options=options, on_problem=handle):
        try:
            yield to_article(doc)
        except ReadError as e:
            handle(Problem(doc.origin, str(e)))
        except Exception as e:  # a bug or a library failure on odd input: report, go on
            log.debug("failed on %s", doc.origin, exc_info=True)
            handle(Problem(doc.origin, f"internal error: {type(e).__name__}: {e}"))


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
            handle(Problem(spec, str(e)))
        except OSError as e:
            handle(Problem(spec, e.strerror or str(e)))


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
                yield Problem(spec, "no files match")
            for m in matches:
                yield from (_walk(m) if os.path.isdir(m) else [m])
        else:
            yield Problem(spec, "no such file or directory")


def _walk(directory: str) -> Iterator[str]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name.lower() in ("readme.md", "readme.txt", "license", "license.txt"):
                continue
            if format_from_name(name) in WALK_FORMATS:
                yield os.path.join(root, name)


def _items(spec: str, opts: ReadOptions) -> Iterator[Item]:
    if spec.startswith(("http://", "https://")):
        yield from _url_items(spec, opts)
    elif spec == "-":
        yield from _stream_items("<stdin>", sys.stdin.buffer, None, None, opts)
    else:
        size = os.path.getsize(spec)
        if size == 0:
            yield Problem(spec, "empty")
            return
        with open(spec, "rb") as raw:
            fmt = format_from_name(spec)
            if spec.lower().endswith(".gz") and fmt != "warc":
                stream: IO[bytes] = gzip.open(raw)  # type: ignore[assignment]
                size = None  # type: ignore[assignment]
            else:
                stream = raw
            yield from _stream_items(spec, stream, fmt, size, opts)


def _stream_items(name: str, stream: IO[bytes], fmt: str | None, size: int | None, opts: ReadOptions) -> Iterator[Item]:
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    head = buffered.peek(8192)[:8192]  # type: ignore[attr-defined]
    if not head.strip():
        yield Problem(name, "empty")
        return
    binary = looks_binary(head)
    if binary:
        yield Problem(name, f"not text: {binary}")
        return
    if fmt in (None, "xml"):
        fmt = sniff(head)
        if fmt == "binary":
            yield Problem(name, "not text: corrupt compressed data")
            return
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
