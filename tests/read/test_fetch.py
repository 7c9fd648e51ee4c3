"""URL reading against a real HTTP server on 127.0.0.1 (loopback only)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BufferedIOBase

import pytest

import newsfuse
from newsfuse.model import Problem
from newsfuse.read import ReadOptions
from newsfuse.read.decode import ReadError
from newsfuse.read.fetch import FetchOptions, check_address, fetch

from ..conftest import EXAMPLES
from .helpers import rss

HERALD = (EXAMPLES / "ferry" / "coastal-herald.html").read_bytes()


def trickle(wfile: BufferedIOBase, piece: bytes, times: int = 50) -> None:
    """Send ``piece`` every 0.2 s, for far longer than the deadlines tested."""
    try:
        for _ in range(times):
            wfile.write(piece)
            wfile.flush()
            time.sleep(0.2)
    except OSError:
        pass  # the client gave up, as it should


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        port = self.server.server_address[1]
        routes = {
            "/article": (200, "text/html; charset=utf-8", HERALD),
            "/feed": (200, "application/rss+xml", rss([
                {"title": "Ferry aground", "link": f"http://127.0.0.1:{port}/article", "summary": "A short teaser about the ferry."},
            ]).encode()),
            "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n"),
            "/missing": (404, "text/html", b"<html>not found</html>"),
        }
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if self.path == "/redirect":
            self.send_response(301)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        if self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(200):  # no Content-Length: the cap must work while streaming
                self.wfile.write(b"<p>" + b"x" * 10_000 + b"</p>")
            return
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            trickle(self.wfile, b"<p>ferry</p>")
            return
        if self.path == "/trickle-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            trickle(self.wfile, b"X-Slow: 1\r\n")
            return
        if self.path == "/hop":  # each hop answers well within the deadline, the chain does not
            time.sleep(0.4)
            self.send_response(302)
            self.send_header("Location", "/hop")
            self.end_headers()
            return
        if self.path == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(HERALD)
            return
        status, ctype, body = routes.get(self.path, (200, "text/html", HERALD))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:  # a client hanging up early is expected here
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def local(**kw) -> FetchOptions:
    return FetchOptions(allow_private=True, **kw)


def read_url(*urls: str, **opts) -> tuple[list, list[Problem]]:
    problems: list[Problem] = []
    arts = newsfuse.read(list(urls), options=ReadOptions(allow_private=True, **opts), on_problem=problems.append)
    return arts, problems


def test_page(server: str) -> None:
    [a], problems = read_url(f"{server}/article")
    assert not problems
    assert a.origin == f"{server}/article" and a.url == f"{server}/article"
    assert a.title.startswith("Marisol Star runs aground")


def test_redirect_is_followed(server: str) -> None:
    resp = fetch(f"{server}/redirect", local())
    assert resp.status == 200 and resp.url == f"{server}/article"


def test_redirect_loop_is_bounded(server: str) -> None:
    with pytest.raises(ReadError, match="too many redirects"):
        fetch(f"{server}/loop", local(max_redirects=3))


def test_size_cap_while_streaming(server: str) -> None:
    with pytest.raises(ReadError, match="too large"):
        fetch(f"{server}/huge", local(max_bytes=100_000))


def test_timeout(server: str) -> None:
    with pytest.raises(ReadError, match="timed out"):
        fetch(f"{server}/slow", local(timeout=0.3))


DEADLINE = "timed out: no complete answer within 1 s"


@pytest.mark.parametrize("path", ["/trickle", "/trickle-headers", "/hop"])
def test_deadline_holds_while_bytes_trickle(server: str, path: str) -> None:
    # A body or headers a few bytes per 0.2 s, or redirects 0.4 s apart: each
    # read is quick, only the deadline over the whole answer can end them.
    started = time.monotonic()
    with pytest.raises(ReadError) as err:
        fetch(f"{server}{path}", local(deadline=1.0))
    assert str(err.value) == DEADLINE
    assert time.monotonic() - started < 3


def test_a_trickling_url_is_one_problem_among_good_ones(server: str) -> None:
    started = time.monotonic()
    arts, problems = read_url(f"{server}/trickle", f"{server}/article", fetch=local(deadline=1.0))
    assert time.monotonic() - started < 4
    assert [a.origin for a in arts] == [f"{server}/article"]  # a fast server is read under the same deadline
    assert [(p.item, p.reason) for p in problems] == [(f"{server}/trickle", DEADLINE)]


def test_http_error_and_wrong_type(server: str) -> None:
    arts, problems = read_url(f"{server}/missing", f"{server}/image")
    assert not arts
    assert [p.reason for p in problems] == ["HTTP 404 Not Found", "not an article page: content type image/png"]


def test_conditional_request(server: str) -> None:
    first = fetch(f"{server}/etag", local())
    assert first.headers["etag"] == '"v1"'
    again = fetch(f"{server}/etag", local(), etag=first.headers["etag"])
    assert again.status == 304 and again.body == b""


def test_feed_url_and_following_links(server: str) -> None:
    [teaser], _ = read_url(f"{server}/feed")
    assert teaser.text == "A short teaser about the ferry." and teaser.format == "feed"
    [full], problems = read_url(f"{server}/feed", follow_links=True)
    assert not problems
    assert full.title == "Ferry aground"  # the feed's metadata is kept
    assert "All 212 passengers and nine crew members" in full.text


def test_private_and_loopback_addresses_are_refused() -> None:
    for host in ("127.0.0.1", "10.1.2.3", "192.168.0.10", "169.254.169.254", "::1", "localhost"):
        with pytest.raises(ReadError, match="refused"):
            check_address(host, 80, allow_private=False)
    problems: list[Problem] = []
    newsfuse.read(["http://10.20.30.40/x", "http://localhost:9/"], on_problem=problems.append)
    assert len(problems) == 2 and all("refused" in p.reason and "--allow-private" in p.reason for p in problems)


def test_closed_port() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ReadError, match="connection refused"):
        fetch(f"http://127.0.0.1:{port}/", local(timeout=2))


def test_not_http() -> None:
    with pytest.raises(ReadError, match="not an http"):
        fetch("ftp://example.org/x")
