"""Polling feeds into the store: `newsfuse watch FEED... --every 10m`.

Each poll is a conditional GET (``If-None-Match`` / ``If-Modified-Since``
with the validators the feed gave last time, kept in the store), so an
unchanged feed costs one small request and no work. New entries go through
the same transactional ingest as files; a failing feed is reported and
polled again next round, the others go on.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from ..clean import clean_batch
from ..model import Article, Problem
from ..read import ReadOptions
from ..read.decode import ReadError
from ..read.extract import to_article
from ..read.fetch import fetch
from ..read.formats import parse_feed
from . import IngestReport, Store

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


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
    handle = on_problem or (lambda p: None)
    etag, modified = store.conn.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)).fetchone() \
        or (None, None)
    try:
        resp = fetch(url, opts.fetch, etag=etag, last_modified=modified)
    except ReadError as e:
        handle(Problem(url, str(e)))
        return _record(store, url, Poll(url, f"error: {e}"), etag, modified)
    if resp.status == 304:
        return _record(store, url, Poll(url, "not modified"), etag, modified)
    articles: list[Article] = []
    for doc in parse_feed(url, resp.body, opts.formats, base_url=resp.url):
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
    return _record(store, url, result, resp.headers.get("etag"), resp.headers.get("last-modified"))


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
    done = 0
    while rounds is None or done < rounds:
        started = time.monotonic()
        for url in urls:
            result = poll(store, url, options, on_problem)
            if on_poll:
                on_poll(result)
        done += 1
        if rounds is None or done < rounds:
            sleep(max(0.0, every - (time.monotonic() - started)))
