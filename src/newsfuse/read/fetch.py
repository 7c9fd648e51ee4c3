"""Fetching URLs safely: article pages and feeds come from untrusted places.

Every hop of a redirect chain is resolved and checked before connecting, and
the connection goes to the address that was checked (so a DNS answer that
changes between the check and the connection cannot reach a private address).
Bodies are read in chunks up to a size cap. One wall-clock deadline covers
the whole fetch, redirects included, and holds while a server trickles bytes:
each read waits no longer than the time left, and a watchdog shuts the socket
when the deadline passes (http.client reads the headers out of our reach).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Self
from urllib.parse import urljoin, urlsplit

from .decode import ReadError

if TYPE_CHECKING:
    from urllib3.connection import HTTPConnection
    from urllib3.response import BaseHTTPResponse

USER_AGENT = "newsfuse/0.1 (+https://github.com/newsfuse/newsfuse)"
_REDIRECTS = {301, 302, 303, 307, 308}
_ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
           "application/xml;q=0.9,*/*;q=0.5")
_CHUNK = 64 * 1024


@dataclass(slots=True)
class FetchOptions:
    timeout: float = 10.0  # seconds for connecting and for each read (never past the deadline)
    deadline: float = 30.0  # wall-clock seconds for the whole fetch, redirects included
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False
    user_agent: str = USER_AGENT


@dataclass(slots=True)
class Response:
    url: str  # after redirects
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            k, _, v = part.partition("=")
            if k.strip().lower() == "charset":
                return v.strip().strip("\"'") or None
        return None


def check_address(host: str, port: int, allow_private: bool) -> str:
    """Resolve ``host`` and return an address that may be connected to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise ReadError(f"cannot resolve host {host!r}: {e}") from None
    addrs = [str(info[4][0]) for info in infos]
    if not addrs:
        raise ReadError(f"cannot resolve host {host!r}")
    if not allow_private:
        for a in addrs:
            if not _is_public(a):
                raise ReadError(
                    f"refused: {host} resolves to non-public address {a} (use --allow-private to allow it)"
                )
    return addrs[0]


def _is_public(addr: str) -> bool:
    ip = ipaddress.ip_address(addr.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def fetch(
    url: str,
    options: FetchOptions | None = None,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Response:
    """GET ``url`` within the limits of ``options``.

    A conditional request is made when ``etag`` or ``last_modified`` is given;
    a 304 answer comes back as a response with an empty body. The whole fetch
    (every redirect hop's connect, headers and body) ends within
    ``options.deadline`` seconds, however slowly the server sends.
    """
    opts = options or FetchOptions()
    clock = _Clock(opts)
    headers = {"User-Agent": opts.user_agent, "Accept": _ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _hop in range(opts.max_redirects + 1):
        answer = _get(url, headers, opts, clock)
        if isinstance(answer, Response):
            return answer
        url = answer
    raise ReadError(f"too many redirects (more than {opts.max_redirects})")


class _Clock:
    """The one wall-clock deadline of a fetch, which every hop and read draws on."""

    def __init__(self, opts: FetchOptions) -> None:
        self.seconds = opts.deadline
        self.per_read = opts.timeout
        self.end = time.monotonic() + opts.deadline

    def left(self) -> float:
        """Seconds left; raises the deadline error once there are none."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise self.expired()
        return left

    def reached(self) -> bool:
        # A socket timeout clipped to the time left can end a hair before the
        # deadline by this clock: that failure is the deadline's too.
        return time.monotonic() >= self.end - 0.05

    def timeout(self) -> float:
        """A socket timeout for the next blocking step: never past the deadline."""
        return min(self.per_read, self.left())

    def expired(self) -> ReadError:
        return ReadError(f"timed out: no complete answer within {self.seconds:g} s")


class _Watchdog:
    """Shuts a connection's socket down when the deadline passes.

    A socket timeout restarts with every byte, so a server trickling its
    status line or headers (read line by line inside http.client, out of our
    reach) would outlast any per-read timeout; shutting the socket makes the
    blocked read return at once.
    """

    def __init__(self, conn: HTTPConnection, seconds: float) -> None:
        self.fired = False
        self._conn = conn
        self._sock: socket.socket | None = None
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def hold(self, sock: socket.socket) -> None:
        # http.client drops conn.sock when the answer says "Connection: close",
        # while the body is still read from it: keep our own reference.
        self._sock = sock

    def _fire(self) -> None:
        self.fired = True
        sock = self._sock or self._conn.sock  # the raw socket while TLS is still being set up
        if sock is not None:
            try:
                # The plain socket's shutdown, not SSLSocket's: that one also drops
                # the TLS object under the reading thread's feet.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass  # already closed: the read has ended anyway

    def __enter__(self) -> Self:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _get(url: str, headers: dict[str, str], opts: FetchOptions, clock: _Clock) -> Response | str:
    """One hop: the response, or the URL a redirect points to."""
    import http.client

    import urllib3

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ReadError(f"not an http(s) URL: {url}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    clock.left()
    addr = check_address(parts.hostname, port, opts.allow_private)
    host = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    conn = _connection(parts.scheme, parts.hostname, addr, port, clock.timeout())
    try:
        with _Watchdog(conn, clock.left()) as dog:
            try:
                return _exchange(conn, dog, url, {**headers, "Host": host}, opts, clock)
            except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as e:
                # Whatever broke once the deadline passed broke because of it.
                raise (clock.expired() if dog.fired or clock.reached() else ReadError(_describe(e))) from None
    finally:
        conn.close()


def _connection(scheme: str, hostname: str, addr: str, port: int, timeout: float) -> HTTPConnection:
    """A connection to the checked address ``addr``; TLS still verifies ``hostname``."""
    from urllib3.connection import HTTPConnection, HTTPSConnection

    if scheme == "https":
        return HTTPSConnection(addr, port, timeout=timeout, server_hostname=hostname, assert_hostname=hostname)
    return HTTPConnection(addr, port, timeout=timeout)


def _exchange(conn: HTTPConnection, dog: _Watchdog, url: str, headers: dict[str, str],
              opts: FetchOptions, clock: _Clock) -> Response | str:
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    conn.connect()
    assert conn.sock is not None
    sock = conn.sock
    dog.hold(sock)
    conn.timeout = clock.timeout()  # getresponse() puts it on the socket for the headers
    conn.request("GET", path, headers=headers, preload_content=False)
    resp = conn.getresponse()
    if resp.status in _REDIRECTS and resp.headers.get("location"):
        return urljoin(url, resp.headers["location"])
    if resp.status == 304:
        return Response(url, 304, b"", _lower(resp.headers))
    if resp.status >= 400:
        raise ReadError(f"HTTP {resp.status} {resp.reason or ''}".strip())
    body = _read_capped(resp, sock, opts, clock)
    if dog.fired:  # the socket was shut under a body without a length: it looked complete, it is not
        raise clock.expired()
    return Response(url, resp.status, body, _lower(resp.headers))


def _read_capped(resp: BaseHTTPResponse, sock: socket.socket, opts: FetchOptions, clock: _Clock) -> bytes:
    length = resp.headers.get("content-length")
    if length and length.isdigit() and int(length) > opts.max_bytes:
        raise ReadError(f"too large: {int(length)} bytes (limit {opts.max_bytes})")
    chunks: list[bytes] = []
    size = 0
    while True:
        # read1 returns what has arrived rather than waiting for a full chunk,
        # so the deadline is checked however few bytes come at a time.
        timeout = clock.timeout()
        if sock.fileno() != -1:  # http.client closes it itself once a body of known length is read
            sock.settimeout(timeout)
        chunk = resp.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > opts.max_bytes:
            raise ReadError(f"too large: more than {opts.max_bytes} bytes")
        chunks.append(chunk)


def _lower(headers) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {k.lower(): v for k, v in headers.items()}


def _describe(e: BaseException) -> str:
    """A one-line reason for a network failure (urllib3's, or the socket's and
    http.client's that a bare connection lets through)."""
    import http.client
    import ssl

    import urllib3

    # urllib3's wrappers carry the cause in .reason; ssl's errors carry a string there.
    cause = getattr(e, "reason", None)
    reason = cause if isinstance(cause, BaseException) else e
    # NewConnectionError subclasses ConnectTimeoutError in urllib3: test it first.
    if isinstance(reason, urllib3.exceptions.NewConnectionError):
        if isinstance(reason.__cause__ or reason.__context__, ConnectionRefusedError) or "refused" in str(reason).lower():
            return "connection refused"
        return "cannot connect"
    if isinstance(reason, (urllib3.exceptions.ConnectTimeoutError, urllib3.exceptions.ReadTimeoutError, TimeoutError)):
        return "timed out"
    if isinstance(reason, (urllib3.exceptions.SSLError, ssl.SSLError, ssl.CertificateError)):
        return f"TLS error: {str(reason).splitlines()[0][:120]}"
    if isinstance(reason, (urllib3.exceptions.ProtocolError, http.client.HTTPException, ConnectionError)):
        return "connection broken"
    return f"network error: {str(reason).splitlines()[0][:160]}"
