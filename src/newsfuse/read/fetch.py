"""Fetching URLs safely: article pages and feeds come from untrusted places.

Every hop of a redirect chain is resolved and checked before connecting, and
the connection goes to the address that was checked (so a DNS answer that
changes between the check and the connection cannot reach a private address).
Bodies are read in chunks up to a size cap, under a total deadline.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from .decode import ReadError

USER_AGENT = "newsfuse/0.1 (+https://github.com/newsfuse/newsfuse)"
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(slots=True)
class FetchOptions:
    timeout: float = 10.0  # seconds for connecting and for each read
    deadline: float = 30.0  # seconds for the whole fetch, redirects included
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
    addrs = [info[4][0] for info in infos]
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
    a 304 answer comes back as a response with an empty body.
    """
    import urllib3

    opts = options or FetchOptions()
    start = time.monotonic()
    headers = {"User-Agent": opts.user_agent, "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _hop in range(opts.max_redirects + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ReadError(f"not an http(s) URL: {url}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addr = check_address(parts.hostname, port, opts.allow_private)
        timeout = urllib3.Timeout(connect=opts.timeout, read=opts.timeout)
        if parts.scheme == "https":
            pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
                addr, port, timeout=timeout, retries=False,
                server_hostname=parts.hostname, assert_hostname=parts.hostname,
            )
        else:
            pool = urllib3.HTTPConnectionPool(addr, port, timeout=timeout, retries=False)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        host_header = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
        try:
            resp = pool.urlopen(
                "GET", path, headers={**headers, "Host": host_header},
                redirect=False, preload_content=False, retries=False,
            )
        except urllib3.exceptions.HTTPError as e:
            raise ReadError(_describe(e)) from None
        try:
            if resp.status in _REDIRECTS and resp.headers.get("location"):
                url = urljoin(url, resp.headers["location"])
                continue
            if resp.status == 304:
                return Response(url, 304, b"", _lower(resp.headers))
            if resp.status >= 400:
                raise ReadError(f"HTTP {resp.status} {resp.reason or ''}".strip())
            body = _read_capped(resp, opts, start)
            return Response(url, resp.status, body, _lower(resp.headers))
        finally:
            resp.release_conn()
            pool.close()
    raise ReadError(f"too many redirects (more than {opts.max_redirects})")


def _read_capped(resp, opts: FetchOptions, start: float) -> bytes:  # type: ignore[no-untyped-def]
    import urllib3

    length = resp.headers.get("content-length")
    if length and length.isdigit() and int(length) > opts.max_bytes:
        raise ReadError(f"too large: {int(length)} bytes (limit {opts.max_bytes})")
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in resp.stream(64 * 1024):
            size += len(chunk)
            if size > opts.max_bytes:
                raise ReadError(f"too large: more than {opts.max_bytes} bytes")
            if time.monotonic() - start > opts.deadline:
                raise ReadError(f"timed out: no complete answer within {opts.deadline:g} s")
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as e:
        raise ReadError(_describe(e)) from None
    return b"".join(chunks)


def _lower(headers) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {k.lower(): v for k, v in headers.items()}


def _describe(e: BaseException) -> str:
    """A one-line reason for a network failure."""
    import urllib3

    reason = getattr(e, "reason", None) or e
    # NewConnectionError subclasses ConnectTimeoutError in urllib3: test it first.
    if isinstance(reason, urllib3.exceptions.NewConnectionError):
        if isinstance(reason.__cause__ or reason.__context__, ConnectionRefusedError) or "refused" in str(reason).lower():
            return "connection refused"
        return "cannot connect"
    if isinstance(reason, (urllib3.exceptions.ConnectTimeoutError, urllib3.exceptions.ReadTimeoutError, TimeoutError)):
        return "timed out"
    if isinstance(reason, urllib3.exceptions.SSLError):
        return f"TLS error: {str(reason).splitlines()[0][:120]}"
    if isinstance(reason, urllib3.exceptions.ProtocolError):
        return "connection broken"
    return f"network error: {str(reason).splitlines()[0][:160]}"
