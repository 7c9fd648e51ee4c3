"""``newsfuse serve``: the store in a browser, and a JSON API beside it.

Pages: the story list, a story (its brief with citations that open the cited
sentence in its source, a timeline chart, a claims × sources matrix, the
sources with copies under their originals), a source with its cited sentence
marked, and search. The JSON API under ``/api/`` mirrors the CLI (``stories``,
``show``, ``search``) and is described by its OpenAPI schema at
``/api/openapi.json``.

Article text is untrusted, so the pages are built on three rules:

- every piece of text goes through Jinja2 with autoescape on, and no template
  marks article text safe; links are made only of http(s) URLs;
- no page carries inline script or inline event handlers: the one script is a
  static file, and the Content-Security-Policy (``script-src 'self'``) would
  block any script an escape missed;
- no part of a request reaches the file system: templates and static files are
  loaded from the package, by fixed names, when the app is made; uploads (only
  with ``allow_ingest``) are written to temporary files named by the server.

Optional token (``token=``): every request must carry it, as ``Authorization:
Bearer <token>``, or as ``?token=<token>`` once, which sets an HttpOnly,
SameSite=Strict cookie so that navigation keeps working.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import math
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..brief.model import Brief, Source
from ..brief.render import _as_written, _number, _published, _web_url, _when, compact_view, date_range
from ..store import Hit, StoreError, StoreReadOnly, StoryRow
from .chart import timeline_chart
from .service import Pending, Ready, Service
from .views import KIND_LABELS, Citer, label, languages, marked, matrix, parse_marks, snippet_parts, source_tree

__all__ = ["CSP", "create_app"]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
COOKIE = "newsfuse_token"
TOKEN_CHARS = re.compile(r"[A-Za-z0-9._~-]{8,}")
STATIC = {  # the only files served, by name: nothing else under the package is reachable
    "app.css": "text/css; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
UPLOAD_SUFFIXES = (".warc.gz", ".txt", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".warc", ".xml", ".rss",
                   ".atom", ".gz")
MAX_UPLOAD = 20 * 1024 * 1024
PAGE_WAIT = 2.0  # seconds a page waits for a brief being made before it says "preparing"
STORY_ID = r"^[A-Za-z0-9_-]{1,64}$"


def create_app(db_path: str | os.PathLike[str], *, token: str | None = None, allow_ingest: bool = False,
               allowed_hosts: set[str] | frozenset[str] | None = None, max_upload: int = MAX_UPLOAD,
               page_wait: float = PAGE_WAIT, warm: bool = True, cache_briefs: bool = True) -> FastAPI:
    """The ASGI app over the store at ``db_path``.

    ``allowed_hosts``: the Host names accepted (None: any), against DNS rebinding
    when the server listens on localhost. ``warm``: load the analysis models in
    the worker at startup, so that the first brief does not wait for them.
    """
    if token is not None and not TOKEN_CHARS.fullmatch(token):
        raise ValueError("a token is 8 or more of the characters A-Z a-z 0-9 . _ ~ - (it goes in a cookie and a URL)")
    path = Path(db_path)
    if not path.exists() and not allow_ingest:
        raise FileNotFoundError(f"no store at {path} (newsfuse ingest PATH... --db {path} makes one)")
    _check_store(path, allow_ingest)
    service = Service(path, cache_briefs=cache_briefs)
    uploads = Path(tempfile.mkdtemp(prefix="newsfuse-uploads-")) if allow_ingest else None

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        if warm:
            service.worker.warm()
        yield
        service.close()
        if uploads is not None:
            shutil.rmtree(uploads, ignore_errors=True)

    app = FastAPI(title="newsfuse", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json", description=_API_DESCRIPTION)
    app.state.service = service
    app.state.allow_ingest = allow_ingest
    pages = Pages(service, allow_ingest=allow_ingest)
    _json_api(app, service)
    _html(app, service, pages)
    if allow_ingest:
        assert uploads is not None
        _ingest_routes(app, service, pages, uploads, max_upload)
    _static(app)
    _errors(app, pages)
    _schema(app)
    app.state.page_wait = page_wait
    app.add_middleware(Guard, token=token, allowed_hosts=allowed_hosts)
    return app


def _check_store(path: Path, writable: bool) -> None:
    """Before serving: the store whole (a StoreError otherwise: not a store, damaged, or,
    to ingest into, read-only), and made when an ingest is allowed into a new one."""
    from ..store import Store

    with Store(path, readonly=not writable) as store:
        store.check()


_API_DESCRIPTION = """The newsfuse store over HTTP, as the command line gives it:
`GET /api/stories` is `newsfuse stories`, `GET /api/stories/{story_id}` is
`newsfuse show STORY --format json` (one brief object), `GET /api/search` is
`newsfuse search`. Every brief statement cites sources by number; `spans` give
`[source, start, end]` character offsets into the source's cleaned text
(`GET /api/stories/{story_id}/sources/{n}`)."""


# ------------------------------------------------------------------------------ guard


class Guard:
    """Every request: the Host check, the token check, the security headers, Server-Timing.

    Plain ASGI (not a Starlette middleware class): it sees the refused requests too,
    and adds its headers to every response, errors and static files included.
    """

    def __init__(self, app: Callable[..., Awaitable[None]], *, token: str | None,
                 allowed_hosts: set[str] | frozenset[str] | None) -> None:
        self.app = app
        self.token = token.encode() if token else None
        self.allowed_hosts = {h.lower() for h in allowed_hosts} if allowed_hosts else None

    async def __call__(self, scope: MutableMapping[str, Any], receive: Callable[..., Any],
                       send: Callable[..., Any]) -> None:
        if scope["type"] == "websocket":  # none are served
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":  # lifespan
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = _headers(scope)
        extra: list[tuple[bytes, bytes]] = []

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                given = list(message.get("headers", []))
                names = {k.lower() for k, _ in given}
                given += [h for h in SECURITY_HEADERS if h[0] not in names] + extra
                if b"cache-control" not in names:
                    given.append((b"cache-control", b"no-store"))
                ms = (time.perf_counter() - started) * 1000
                given.append((b"server-timing", f"app;dur={ms:.1f}".encode()))
                message["headers"] = given
            await send(message)

        if self.allowed_hosts is not None and _hostname(headers.get(b"host", b"")) not in self.allowed_hosts:
            await _plain(send_with_headers, 400, "unknown Host header (the server answers to its own address only)")
            return
        if self.token is not None:
            verdict = self._check(scope, headers)
            if verdict == "refused":
                await _plain(send_with_headers, 401, "a token is required (Authorization: Bearer <token>)",
                             [(b"www-authenticate", b'Bearer realm="newsfuse"')])
                return
            if verdict == "query":
                extra.append((b"set-cookie", _cookie(self.token.decode(), scope)))
                if scope["method"] == "GET" and b"text/html" in headers.get(b"accept", b""):
                    await _redirect(send_with_headers, _without_token(scope))
                    return
        await self.app(scope, receive, send_with_headers)

    def _check(self, scope: MutableMapping[str, Any], headers: dict[bytes, bytes]) -> str:
        """"query" when the token is in the query (to be moved into the cookie), "ok" when it
        is in the Authorization header or the cookie, else "refused"."""
        assert self.token is not None
        for name, value in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True):
            if name == "token" and hmac.compare_digest(value.encode(), self.token):
                return "query"
        auth = headers.get(b"authorization", b"")
        if auth[:7].lower() == b"bearer " and hmac.compare_digest(auth[7:].strip(), self.token):
            return "ok"
        for part in headers.get(b"cookie", b"").split(b";"):
            name, _, value = part.strip().partition(b"=")
            if name == COOKIE.encode() and hmac.compare_digest(value, self.token):
                return "ok"
        return "refused"


def _headers(scope: MutableMapping[str, Any]) -> dict[bytes, bytes]:
    out: dict[bytes, bytes] = {}
    for k, v in scope.get("headers", []):
        k = k.lower()
        out[k] = out[k] + b"; " + v if k == b"cookie" and k in out else v
    return out


def _hostname(host: bytes) -> str:
    h = host.decode("latin-1").strip().lower()
    if h.startswith("["):
        return h[: h.find("]") + 1] if "]" in h else h
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


def _cookie(token: str, scope: MutableMapping[str, Any]) -> bytes:
    secure = "; Secure" if scope.get("scheme") == "https" else ""
    return f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}".encode()


def _without_token(scope: MutableMapping[str, Any]) -> str:
    query = [(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
             if k != "token"]
    path = scope.get("root_path", "") + scope["path"]
    return path + ("?" + urlencode(query) if query else "")


async def _plain(send: Callable[..., Any], status: int, text: str,
                 headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = (text + "\n").encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Callable[..., Any], location: str) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("latin-1", "replace")), (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})


# ------------------------------------------------------------------------------ pages


class Pages:
    """The Jinja2 templates (autoescape on) and what every page needs."""

    def __init__(self, service: Service, *, allow_ingest: bool) -> None:
        self.service = service
        self.allow_ingest = allow_ingest
        self.env = Environment(loader=PackageLoader("newsfuse.web", "templates"), autoescape=True,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.filters.update(day=_day, published=_published_of, number=_number, as_written=_as_written,
                                when=_when, when_range=date_range, weburl=_web_url, label=label,
                                plural=_plural)
        self.env.globals.update(kind_labels=KIND_LABELS, allow_ingest=allow_ingest, static=_static_urls())

    def render(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        html = self.env.get_template(name).render(root=root, path=request.url.path, **context)
        return HTMLResponse(html, status_code=status)


def _day(value: str | None) -> str:
    """'6 Mar 2025' of an ISO date or date-time; '' when missing."""
    return date_range(value[:10], None) if value else ""


def _published_of(src: Source) -> str:
    return _published(src)


def _plural(k: int, word: str, many: str | None = None) -> str:
    return f"{k:,} {word if k == 1 else many or word + 's'}"


def _static_urls() -> dict[str, str]:
    """Static file URLs with a content hash, so a new version is never read from a stale cache."""
    return {name: f"/static/{name}?v={hashlib.blake2b(data, digest_size=4).hexdigest()}"
            for name, data in _static_files().items()}


def _static_files() -> dict[str, bytes]:
    folder = resources.files("newsfuse.web") / "static"
    return {name: (folder / name).read_bytes() for name in STATIC}


def _html(app: FastAPI, service: Service, pages: Pages) -> None:
    @app.get("/", include_in_schema=False)
    def story_list(request: Request, q: str = "", since: str = "", min_sources: str = "", limit: str = "") -> Response:
        problems: list[str] = []
        since_v = _iso_day(since, problems)
        min_v = _int(min_sources, 1, 1, 100_000, "minimum sources", problems)
        limit_v = _int(limit, 200, 1, 5000, "limit", problems)
        rows = _stories(service, since_v, min_v, q.strip()[:500] or None, limit_v, problems)
        langs = service.languages([r.id for r in rows])
        return pages.render(request, "stories.html", rows=rows, langs=langs, q=q, since=since_v or "",
                            min_sources=min_v, limit=limit_v, problems=problems, counts=service.store().counts())

    @app.get("/stories/{story_id}", include_in_schema=False)
    def story_page(request: Request, story_id: str, source: str = "", hl: str = "") -> Response:
        ready = _ready(service, story_id, wait=app.state.page_wait)
        if ready is None:
            return pages.render(request, "preparing.html", status=202, story_id=story_id,
                                row=_story_row(service, story_id))
        brief = ready.brief
        citer = Citer(brief, request.scope.get("root_path", ""))
        n = _int(source, 0, 0, len(brief.sources), "source", [])
        viewer = _viewer(brief, n, hl) if n else None
        return pages.render(request, "story.html", brief=brief, citer=citer, matrix=matrix(brief, citer),
                            chart=timeline_chart(brief), tree=source_tree(brief), languages=languages(brief),
                            by_id={s.id: s for s in brief.sources}, viewer=viewer,
                            independent=brief.independent_sources, view=compact_view(brief))

    @app.get("/stories/{story_id}/sources/{n}", include_in_schema=False)
    def source_page(request: Request, story_id: str, n: int, hl: str = "") -> Response:
        ready = _ready(service, story_id, wait=app.state.page_wait)
        if ready is None:
            return pages.render(request, "preparing.html", status=202, story_id=story_id,
                                row=_story_row(service, story_id))
        if not 1 <= n <= len(ready.brief.sources):
            raise HTTPException(404, f"story {story_id} has no source {n}")
        return pages.render(request, "source.html", brief=ready.brief, viewer=_viewer(ready.brief, n, hl),
                            citer=Citer(ready.brief, request.scope.get("root_path", "")))

    @app.get("/search", include_in_schema=False)
    def search_page(request: Request, q: str = "", limit: str = "") -> Response:
        problems: list[str] = []
        limit_v = _int(limit, 50, 1, 500, "limit", problems)
        query = q.strip()[:500]
        hits = _search(service, query, limit_v, problems) if query else []
        heads = _headlines(service, [h.story_id for h in hits if h.story_id])
        return pages.render(request, "search.html", q=query, hits=hits, heads=heads, parts=snippet_parts,
                            problems=problems, limit=limit_v)

    @app.get("/api", include_in_schema=False)
    def api_page(request: Request) -> Response:
        schema = app.openapi()
        ops = [(method.upper(), path, op.get("summary", ""), op.get("description", ""))
               for path, item in schema["paths"].items() for method, op in item.items()]
        return pages.render(request, "api.html", ops=ops, description=schema["info"].get("description", ""))


def _ready(service: Service, story_id: str, wait: float) -> Ready | None:
    """The brief, or None while it is being made (the page then says so and reloads)."""
    try:
        return service.brief(story_id, wait=wait)
    except KeyError:
        raise HTTPException(404, f"no story {story_id!r}") from None
    except Pending:
        return None


def _story_row(service: Service, story_id: str) -> StoryRow | None:
    row = service.store().conn.execute("SELECT id, headline, articles, sources, first_seen, last_seen FROM stories "
                                       "WHERE id = ?", (story_id,)).fetchone()
    return StoryRow(*row) if row else None


def _headlines(service: Service, ids: list[str]) -> dict[str, str]:
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    sql = f"SELECT id, headline FROM stories WHERE id IN ({','.join('?' * len(ids))})"
    return {sid: head or "" for sid, head in service.store().conn.execute(sql, ids)}


def _viewer(brief: Brief, n: int, hl: str) -> dict[str, Any]:
    """A source's text with the cited ranges marked, and what the reader needs to place it."""
    src = brief.sources[n - 1]
    text = brief.texts.get(n, "")
    return {"source": src, "pieces": marked(text, parse_marks(hl)), "copies": [s for s in brief.sources
                                                                                 if s.copy_of == n],
            "original": next((s for s in brief.sources if s.id == src.copy_of), None), "empty": not text}


def _iso_day(value: str, problems: list[str]) -> str | None:
    value = value.strip()
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    problems.append(f"“{value[:40]}” is not a date (YYYY-MM-DD): the date filter is off")
    return None


def _int(value: str, default: int, low: int, high: int, what: str, problems: list[str]) -> int:
    value = value.strip()
    if not value:
        return default
    try:
        k = int(value)
    except ValueError:
        problems.append(f"{what}: “{value[:20]}” is not a whole number")
        return default
    return min(max(k, low), high)


def _stories(service: Service, since: str | None, min_sources: int, query: str | None, limit: int,
             problems: list[str]) -> list[StoryRow]:
    try:
        return service.store().stories(since=since, min_sources=min_sources, query=query, limit=limit)
    except sqlite3.OperationalError as e:  # a query the full-text index cannot take
        problems.append(f"the text filter could not be used: {e}")
        return []


def _search(service: Service, query: str, limit: int, problems: list[str]) -> list[Hit]:
    try:
        return service.store().search(query, limit=limit)
    except sqlite3.OperationalError as e:
        problems.append(f"the search could not be run: {e}")
        return []


# --------------------------------------------------------------------------- JSON API


@dataclass(slots=True)
class StoryOut(StoryRow):
    """A stored story: ``articles`` reports, ``sources`` independent ones (copies count once), and their languages."""

    languages: list[str]


def _json_api(app: FastAPI, service: Service) -> None:
    from pydantic import BaseModel

    class SourceText(BaseModel):
        """A source of a brief with its cleaned text (the text ``spans`` point into)."""

        id: int
        article_id: str
        outlet: str | None
        url: str | None
        title: str | None
        published: str | None
        language: str | None
        copy_of: int | None
        published_via: str | None
        text: str

    app.state.models = (StoryOut, Hit, SourceText)

    @app.get("/api/stories", response_model=list[StoryOut], summary="Stories, latest activity first",
             tags=["stories"], responses={400: {"description": "a query the full-text index cannot take"}})
    def api_stories(since: str | None = Query(None, description="only stories active on or after this day (YYYY-MM-DD)",
                                              pattern=r"^\d{4}-\d{2}-\d{2}$"),
                    min_sources: int = Query(1, ge=1, le=100_000, description="at least this many independent sources"),
                    query: str | None = Query(None, max_length=500, description="words the stories' articles contain"),
                    limit: int = Query(200, ge=1, le=5000)) -> Response:
        """As ``newsfuse stories --format json``, with each story's languages."""
        try:
            rows = service.store().stories(since=since, min_sources=min_sources, query=query or None, limit=limit)
        except sqlite3.OperationalError as e:
            raise HTTPException(400, f"query: {e}") from None
        langs = service.languages([r.id for r in rows])
        return _json([{**asdict(r), "languages": langs.get(r.id, [])} for r in rows])

    @app.get("/api/stories/{story_id}", response_model=Brief, summary="The brief of a story", tags=["stories"],
             responses={404: {"description": "no such story"}})
    def api_story(story_id: str = PathParam(..., pattern=STORY_ID)) -> Response:
        """As ``newsfuse show STORY --format json`` (one brief object, not an array). Made on first
        request (seconds) and cached; later requests are served from the cache."""
        return _json(_brief_or_404(service, story_id).brief.to_dict())

    @app.get("/api/stories/{story_id}/sources/{n}", response_model=SourceText, tags=["stories"],
             summary="A source of a story's brief, with its text", responses={404: {"description": "no such source"}})
    def api_source(story_id: str = PathParam(..., pattern=STORY_ID),
                   n: int = PathParam(..., ge=1, le=100_000, description="the source number the brief cites")) -> Response:
        """The source ``n`` of the brief with its cleaned text: what ``spans`` index."""
        brief = _brief_or_404(service, story_id).brief
        if n > len(brief.sources):
            raise HTTPException(404, f"story {story_id} has no source {n}")
        return _json({**asdict(brief.sources[n - 1]), "text": brief.texts.get(n, "")})

    @app.get("/api/search", response_model=list[Hit], summary="Full-text search of the articles",
             tags=["search"], responses={400: {"description": "a query the full-text index cannot take"}})
    def api_search(q: str = Query(..., min_length=1, max_length=500,
                                  description='every word must match; "quoted phrases" are kept'),
                   limit: int = Query(20, ge=1, le=500)) -> Response:
        """As ``newsfuse search QUERY --format json``: best first (BM25; a title match weighs double)."""
        try:
            hits = service.store().search(q, limit=limit)
        except sqlite3.OperationalError as e:
            raise HTTPException(400, f"query: {e}") from None
        return _json([asdict(h) for h in hits])


def _brief_or_404(service: Service, story_id: str) -> Ready:
    try:
        return service.brief(story_id)
    except KeyError:
        raise HTTPException(404, f"no story {story_id!r}") from None
    except Pending:  # not reached: the API waits (up to the worker timeout)
        raise HTTPException(503, "the brief is still being made") from None


def _json(data: Any, status: int = 200) -> Response:
    body = json.dumps(_finite(data), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(body, status_code=status, media_type="application/json")


def _finite(x: Any) -> Any:
    """JSON has no NaN or infinity: such numbers become null."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_finite(v) for v in x]
    return x


def _schema(app: FastAPI) -> None:
    """The OpenAPI schema, with ``Brief.texts`` left out (it is not part of the JSON form)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            brief = schema.get("components", {}).get("schemas", {}).get("Brief", {})
            brief.get("properties", {}).pop("texts", None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


# ----------------------------------------------------------------------------- ingest


def _ingest_routes(app: FastAPI, service: Service, pages: Pages, uploads: Path, max_upload: int) -> None:
    body_doc = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "properties": {
            "file": {"type": "string", "format": "binary", "description": "a .txt, .html, .json, .jsonl, .warc(.gz) or feed file"},
            "url": {"type": "string", "description": "an http(s) URL of a page or a feed"}}}}}}}

    @app.get("/ingest", include_in_schema=False)
    def ingest_page(request: Request) -> Response:
        return pages.render(request, "ingest.html", report=None, problems=[], max_upload=max_upload)

    @app.post("/ingest", include_in_schema=False)
    async def ingest_form(request: Request) -> Response:
        report, problems = await _ingest(request, service, uploads, max_upload)
        return pages.render(request, "ingest.html", status=200 if report else 400, report=report,
                            problems=problems, max_upload=max_upload)

    @app.post("/api/ingest", summary="Add articles to the store", tags=["ingest"], openapi_extra=body_doc)
    async def api_ingest(request: Request) -> Response:
        """As ``newsfuse ingest``: an uploaded file and/or a URL (only with ``--allow-ingest``)."""
        report, problems = await _ingest(request, service, uploads, max_upload)
        if report is None:
            raise HTTPException(400, "; ".join(problems))
        return _json(report)


async def _ingest(request: Request, service: Service, uploads: Path,
                  max_upload: int) -> tuple[dict[str, Any] | None, list[str]]:
    """Checks, the upload written to a file the server names, the ingest run in the worker."""
    _same_origin(request)
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise HTTPException(411, "a Content-Length is required")
    if int(length) > max_upload + 64 * 1024:
        raise HTTPException(413, f"the upload is larger than {max_upload // (1024 * 1024)} MB")
    form = await request.form(max_files=1, max_fields=8)
    sources: list[str] = []
    names: dict[str, str] = {}
    problems: list[str] = []
    try:
        upload = form.get("file")
        if upload is not None and not isinstance(upload, str) and upload.filename:
            path = await _save_upload(upload, uploads, max_upload)
            sources.append(str(path))
            names[str(path)] = f"upload “{upload.filename[:80]}”"
        url = str(form.get("url") or "").strip()
        if url:
            if re.match(r"https?://[^/\s]", url, re.IGNORECASE) and len(url) <= 2000:
                sources.append(url)
            else:
                problems.append("the URL must start with http:// or https://")
        if not sources:
            return None, problems or ["choose a file or give a URL"]
        report = await asyncio.get_running_loop().run_in_executor(None, service.ingest, sources)
    finally:
        await form.close()
        for s in sources:
            if s in names:
                Path(s).unlink(missing_ok=True)
    for item in report["skipped"]:  # "path:3", "path[2]", "path#url": the server's path in any of them
        item["item"] = _untemp(item["item"], names)
        item["reason"] = _untemp(item["reason"], names)
    report["line"] = _untemp(report["line"], names)
    return report, problems


def _untemp(text: str, names: dict[str, str]) -> str:
    """``text`` with the server's temporary paths replaced by the names the user gave the files."""
    for path, name in names.items():
        text = text.replace(path, name)
    return text


async def _save_upload(upload: Any, uploads: Path, cap: int) -> Path:
    """Copy an upload into a new file in the server's own folder. The user's file name picks
    only the suffix, from a fixed list (the reader goes by it); it is never part of a path."""
    lower = str(upload.filename).lower()
    suffix = next((s for s in UPLOAD_SUFFIXES if lower.endswith(s)), "")
    fd, name = tempfile.mkstemp(prefix="upload-", suffix=suffix, dir=uploads)
    written = 0
    with os.fdopen(fd, "wb") as out:
        while chunk := await upload.read(1 << 16):
            written += len(chunk)
            if written > cap:
                out.close()
                Path(name).unlink(missing_ok=True)
                raise HTTPException(413, f"the upload is larger than {cap // (1024 * 1024)} MB")
            out.write(chunk)
    return Path(name)


def _same_origin(request: Request) -> None:
    """Refuse a form posted from another site (cross-site request forgery): a browser says
    where a request comes from in Origin or Sec-Fetch-Site; tools send neither."""
    origin = request.headers.get("origin")
    site = request.headers.get("sec-fetch-site")
    host = request.headers.get("host", "")
    if origin is not None and origin != "null" and re.sub(r"^https?://", "", origin) == host:
        return
    if origin is None and site in (None, "same-origin", "none"):
        return
    raise HTTPException(403, "cross-site request refused")


# ----------------------------------------------------------------------------- static


def _static(app: FastAPI) -> None:
    files = {name: (data, STATIC[name], '"' + hashlib.blake2b(data, digest_size=8).hexdigest() + '"')
             for name, data in _static_files().items()}

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str, request: Request) -> Response:
        """A static file, by name, from the allow-list held in memory: no request reaches the disk."""
        found = files.get(name)
        if found is None:
            raise HTTPException(404, "no such file")
        data, media, etag = found
        headers = {"etag": etag, "cache-control": "no-cache"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(data, media_type=media, headers=headers)


# ----------------------------------------------------------------------------- errors


def _errors(app: FastAPI, pages: Pages) -> None:
    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        # the store itself is at fault (damaged, replaced, read-only for an upload): said as such
        status = 403 if isinstance(exc, StoreReadOnly) else 503
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=status)
        return pages.render(request, "error.html", status=status, status_code=status, detail=str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return pages.render(request, "error.html", status=exc.status_code, status_code=exc.status_code,
                            detail=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": _errors_of(exc)}, status_code=422)
        return pages.render(request, "error.html", status=400, status_code=400, detail="the address is not valid")


def _errors_of(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Validation errors as JSON-safe dicts (the input may hold bytes that are not UTF-8)."""
    return [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors()]
