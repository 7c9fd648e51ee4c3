"""`newsfuse watch`: feeds polled into the store with conditional requests."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsfuse.read import ReadOptions
from newsfuse.read.fetch import FetchOptions
from newsfuse.store import Store
from newsfuse.store.watch import parse_every, poll, watch

from ..conftest import EXAMPLES
from ..read.helpers import rss

ROWS = [json.loads(line) for line in (EXAMPLES / "recall" / "voltra-recall.jsonl").read_text().splitlines()]


def _entry(row: dict) -> dict:
    return {"title": row["title"], "link": row["url"], "summary": row["text"]}


class Feed(BaseHTTPRequestHandler):
    """One feed whose entries the test sets; it answers 304 to a request that has its current ETag."""

    entries: list[dict] = []
    version = 1
    requests: list[tuple[str | None, int]] = []

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/broken":
            self.send_response(500)
            self.end_headers()
            return
        if self.path.startswith("/trickle"):  # a feed that sends a few bytes per 0.2 s for 10 s
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            try:
                for _ in range(50):
                    self.wfile.write(b"<rss>")
                    time.sleep(0.2)
            except OSError:
                pass  # the watcher gave up, as it should
            return
        tag = f'"v{Feed.version}"'
        if self.headers.get("If-None-Match") == tag:
            Feed.requests.append((tag, 304))
            self.send_response(304)
            self.end_headers()
            return
        body = rss(Feed.entries).encode()
        Feed.requests.append((self.headers.get("If-None-Match"), 200))
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", tag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def feed() -> Iterator[str]:
    Feed.entries, Feed.version, Feed.requests = [_entry(ROWS[0])], 1, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


OPTS = ReadOptions(allow_private=True)


@pytest.mark.network
def test_unchanged_feed_is_not_read_again(feed: str, tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as store:
        first = poll(store, feed + "/feed", OPTS)
        assert first.status == "new 1"
        assert poll(store, feed + "/feed", OPTS).status == "not modified"
        assert Feed.requests == [(None, 200), ('"v1"', 304)]
        Feed.entries, Feed.version = [_entry(ROWS[0]), _entry(ROWS[1])], 2
        assert poll(store, feed + "/feed", OPTS).status == "new 1"  # the first entry is already stored
        assert store.counts()["articles"] == 2


@pytest.mark.network
def test_watch_rounds_and_a_failing_feed(feed: str, tmp_path: Path) -> None:
    seen = []
    with Store(tmp_path / "w.db") as store:
        watch(store, [feed + "/broken", feed + "/feed"], 0.01, options=OPTS, rounds=2, on_poll=seen.append,
              sleep=lambda s: None)
        statuses = [(p.url.rsplit("/", 1)[1], p.status.split(":")[0]) for p in seen]
        assert statuses == [("broken", "error"), ("feed", "new 1"), ("broken", "error"), ("feed", "not modified")]
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.network
def test_slow_feeds_do_not_stall_the_round(feed: str, tmp_path: Path) -> None:
    # Four trickling feeds fetched one after another would take four deadlines.
    slow = [f"{feed}/trickle{i}" for i in range(4)]
    seen, problems = [], []
    opts = ReadOptions(allow_private=True, fetch=FetchOptions(deadline=1.0))
    started = time.monotonic()
    with Store(tmp_path / "w.db") as store:
        watch(store, [*slow[:2], feed + "/feed", *slow[2:]], 60, options=opts, rounds=1, on_poll=seen.append,
              on_problem=problems.append)
        assert time.monotonic() - started < 3
        deadline = "error: timed out: no complete answer within 1 s"
        assert [(p.url, p.status) for p in seen] == [(u, deadline) for u in slow[:2]] + [(feed + "/feed", "new 1")] \
            + [(u, deadline) for u in slow[2:]]  # in the order given
        assert [p.item for p in problems] == slow
        assert store.counts()["articles"] == 1
        assert store.conn.execute("SELECT url FROM feeds WHERE last_status LIKE 'error%' ORDER BY url").fetchall() \
            == [(u,) for u in slow]


@pytest.mark.network
def test_watch_command(feed: str, tmp_path: Path, run) -> None:
    result = run("watch", feed + "/feed", "--db", str(tmp_path / "c.db"), "--every", "1s", "--rounds", "1",
                 "--allow-private")
    assert result.exit_code == 0 and "new 1" in result.stderr
    assert run("watch", feed + "/feed", "--every", "soon").exit_code == 2


def test_durations() -> None:
    assert parse_every("90s") == 90 and parse_every("10m") == 600 and parse_every("1h") == 3600
    for bad in ("", "0", "-5m", "10 minutes", "m"):
        with pytest.raises(ValueError):
            parse_every(bad)
