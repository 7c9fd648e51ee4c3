"""Polling feeds into the store: `newsfuse watch FEED... --every 10m`.

Each poll is a conditional GET (``If-None-Match`` / ``If-Modified-Since``
with the validators the feed gave last time, kept in the store), so an
unchanged feed costs one small request and no work. New entries go through
the same transactional ingest as files; a failing feed is reported and
polled again next round, the others go on.

A round fetches its feeds at the same time (a few at once), each within the
fetch deadline, so one slow feed delays neither the others nor the round
beyond it; the answers are then stored one feed at a time, in the order the
feeds were given, so a round stores the same thing however the network runs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone

from ..clean import clean_batch
from ..model import Article, Problem
from ..read import ReadOptions
from ..read.decode import ReadError
from ..read.extract import to_article
from ..read.fetch import Response, fetch
from ..read.formats import parse_feed
from . import IngestReport, Store

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
Validators = tuple[str | None, str | None]  # the feed's last ETag and Last-Modified
_MAX_PARALLEL = 8  # feeds fetched at once: enough to hide slow ones, few enough to be polite


def parse_every(text: str) -> float:
    """Seconds in "90s", "10m", "1h", "1d" (a bare number is seconds).

    >>> parse_every("10m"), parse_every("45")
    (600.0, 45.0)
    """
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"not a duration: {text!r} (use e.g. 90s, 10m, 1h)")
    return float(m.group(1)) * _UNITS[m.group(2) or "s"]


@dataclass(slots=True)
class Poll:
    url: str
    status: str  # "new N", "not modified", or the error
    report: IngestReport | None = None


def poll(store: Store, url: str, options: ReadOptions | None = None,
         on_problem: Callable[[Problem], None] | None = None) -> Poll:
    """Fetch one feed if it changed, and ingest its new entries."""
    opts = options or ReadOptions()
    validators = _validators(store, url)
    return _ingest(store, url, _download(url, opts, validators), opts, validators, on_problem)


def _validators(store: Store, url: str) -> Validators:
    row = store.conn.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)).fetchone()
    return (row[0], row[1]) if row else (None, None)


def _download(url: str, opts: ReadOptions, validators: Validators) -> Response | ReadError:
    """The network half of a poll: it touches no store, so it may run in a worker thread."""
    etag, modified = validators
    try:
        return fetch(url, opts.fetch, etag=etag, last_modified=modified)
    except ReadError as e:
        return e


def _ingest(store: Store, url: str, answer: Response | ReadError, opts: ReadOptions, validators: Validators,
            on_problem: Callable[[Problem], None] | None) -> Poll:
    handle = on_problem or (lambda p: None)
    etag, modified = validators
    if isinstance(answer, ReadError):
        handle(Problem(url, str(answer)))
        return _record(store, url, Poll(url, f"error: {answer}"), etag, modified)
    if answer.status == 304:
        return _record(store, url, Poll(url, "not modified"), etag, modified)
    articles: list[Article] = []
    for doc in parse_feed(url, answer.body, opts.formats, base_url=answer.url):
        if isinstance(doc, Problem):
            handle(doc)
            continue
        try:
            articles.append(to_article(doc))
        except ReadError as e:
            handle(Problem(doc.origin, str(e)))
    report = store.add(clean_batch(articles), inputs=[url])
    store.save_model()
    result = Poll(url, f"new {report.new}", report)
    return _record(store, url, result, answer.headers.get("etag"), answer.headers.get("last-modified"))


def _record(store: Store, url: str, result: Poll, etag: str | None, modified: str | None) -> Poll:
    """Keep the validators only once the entries they cover are committed."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    store.conn.execute("INSERT INTO feeds(url, etag, last_modified, last_polled, last_status) VALUES (?, ?, ?, ?, ?) "
                       "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
                       "last_polled = excluded.last_polled, last_status = excluded.last_status",
                       (url, etag, modified, now, result.status))
    return result


def watch(store: Store, urls: Sequence[str], every: float, *, options: ReadOptions | None = None,
          rounds: int | None = None, on_poll: Callable[[Poll], None] | None = None,
          on_problem: Callable[[Problem], None] | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
    """Poll ``urls`` every ``every`` seconds (``rounds`` times; forever when None) until interrupted."""
    opts = options or ReadOptions()
    pool = ThreadPoolExecutor(max_workers=max(1, min(_MAX_PARALLEL, len(urls))), thread_name_prefix="newsfuse-watch")
    try:
        done = 0
        while rounds is None or done < rounds:
            started = time.monotonic()
            for result in _round(store, urls, opts, pool, on_problem):
                if on_poll:
                    on_poll(result)
            done += 1
            if rounds is None or done < rounds:
                sleep(max(0.0, every - (time.monotonic() - started)))
    finally:
        # On Ctrl-C, fetches still running end by their deadline; nothing waits for them.
        pool.shutdown(wait=False, cancel_futures=True)


def _round(store: Store, urls: Sequence[str], opts: ReadOptions, pool: Executor,
           on_problem: Callable[[Problem], None] | None) -> Iterator[Poll]:
    """Poll every feed once: fetched concurrently, stored in the order given."""
    validators = [_validators(store, url) for url in urls]
    answers = [pool.submit(_download, url, opts, v) for url, v in zip(urls, validators)]
    for url, v, answer in zip(urls, validators, answers):
        yield _ingest(store, url, answer.result(), opts, v, on_problem)
