"""Safety of ``newsfuse serve``: hostile articles stay text, the token guards every request,
no request reaches the file system, and a property-based run over the OpenAPI schema
finds no server error.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

from newsfuse.store import Store

from . import (
    CHROMIUM,
    SEED_HEADLINE,
    Server,
    Watched,
    copy_store,
    hostile_rows,
    launch_browser,
    need_browser,
    primed_store,
    shot,
    story_id,
    write_jsonl,
)

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from newsfuse.web.app import COOKIE, CSP, create_app

TOKEN = "correct-horse-battery-staple"
REQUIRED_CSP = ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'",
                "frame-ancestors 'none'"]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    with Store(folder / "store.db") as store:
        report = store.ingest([str(write_jsonl(hostile_rows(), folder / "hostile.jsonl"))])
    assert report.new == 2
    return folder / "store.db"


@pytest.fixture(scope="module")
def seeded_client():
    db, _ = primed_store()
    with TestClient(create_app(db, token=TOKEN)) as c:
        yield c


# ------------------------------------------------------------------- hostile text, browser


def test_hostile_articles_never_run_in_the_browser(hostile_db: Path) -> None:
    """Payloads in titles, outlets, URLs and texts show as text on every page; nothing runs
    (no dialog, no console error, no canary set, no javascript: link), with the token on."""
    sync_api = need_browser()
    server = Server(hostile_db, "--token", TOKEN)
    try:
        with sync_api.sync_playwright() as p:
            browser = launch_browser(p)
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            w = Watched(context, server.url)
            page = w.page
            page.goto(server.url + f"/?token={TOKEN}")  # the token once; a cookie keeps it
            assert page.url == server.url + "/"  # and it is taken out of the address
            cookie = next(c for c in context.cookies() if c["name"] == COOKIE)
            assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
            assert COOKIE not in page.evaluate("document.cookie")
            assert "<script>window.__pwned=1" in page.locator("table.stories").inner_text()

            page.locator("table.stories td.headline a").first.click()
            page.wait_for_selector("#brief", timeout=180_000)  # "preparing" reloads until the brief is made
            body = page.locator("#brief").inner_text()
            assert "<script>" in body and "onerror=" in body
            assert page.locator("a[href^='javascript' i], [onerror], [onload], #brief script").count() == 0
            for cite in page.locator("#brief a.cite").all()[:6]:
                cite.click()
                page.locator("#viewer-text mark, #viewer-text").first.wait_for()
            page.locator("#brief a.cite").first.click()
            page.wait_for_function("document.querySelector('#viewer-text').textContent.includes('<')")
            viewer = page.locator("#viewer").inner_text()
            assert "<script>" in viewer or "<img" in viewer or "<a href" in viewer
            assert page.locator("#viewer a.url").count() == 0 or all(
                re.match(r"https?://", a.get_attribute("href") or "") for a in page.locator("#viewer a.url").all())
            shot(page, "hostile-story")
            w.assert_quiet()

            src = page.locator("#brief a.cite").first.get_attribute("href")
            page.goto(server.url + src)  # the page of a source (what works without script)
            assert "<script>" in page.locator(".source-page").inner_text()
            page.goto(server.url + "/search?q=pwned")
            assert page.locator("ol.hits li").count() == 2
            assert page.locator("ol.hits mark").count() >= 2
            shot(page, "hostile-search")
            page.goto(server.url + "/api")
            w.assert_quiet()
            assert page.locator("script:not([src])").count() == 0
            browser.close()
    finally:
        server.stop()


def test_csp_blocks_injected_inline_script() -> None:
    """The second line of defence: were an escape ever missed, the page's CSP refuses inline
    script and inline handlers (checked in Chromium on a page served with the app's header)."""
    sync_api = need_browser()
    html = ("<!doctype html><title>t</title><script>window.__pwned=1</script>"
            "<img src=x onerror=\"window.__xss=1\"><a id=l href=\"javascript:window.__js=1\">l</a>")
    with sync_api.sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page()
        violations: list[str] = []
        page.on("console", lambda m: m.type == "error" and violations.append(m.text))
        page.route("**/*", lambda route: route.fulfill(status=404, body="") if route.request.url != "http://csp.test/"
                   else route.fulfill(status=200, body=html,
                                      headers={"content-type": "text/html", "content-security-policy": CSP}))
        page.goto("http://csp.test/")
        page.click("#l")
        assert page.evaluate("[window.__pwned, window.__xss, window.__js]") == [None, None, None]
        assert sum("Content Security Policy" in v for v in violations) >= 2  # the script and the handler
        browser.close()
    assert Path(CHROMIUM).exists()


# -------------------------------------------------------------------------------- token


@pytest.mark.parametrize("path", ["/", "/api/stories", "/api/openapi.json", "/static/app.css", "/search?q=x",
                                  "/nowhere", "/api/search?q=Geneva"])
def test_every_request_needs_the_token(seeded_client: TestClient, path: str) -> None:
    bare = seeded_client.get(path)
    assert bare.status_code == 401 and bare.headers["www-authenticate"].startswith("Bearer")
    assert bare.headers["content-security-policy"] == CSP and bare.headers["x-content-type-options"] == "nosniff"
    assert seeded_client.get(path, headers={"Authorization": "Bearer wrong-token-here"}).status_code == 401
    ok = seeded_client.get(path, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code in (200, 404)


def test_token_in_the_query_sets_a_strict_cookie(seeded_client: TestClient) -> None:
    seeded_client.cookies.clear()
    r = seeded_client.get(f"/api/stories?token={TOKEN}")
    assert r.status_code == 200
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={TOKEN}") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert seeded_client.get("/").status_code == 200  # the cookie now carries it
    page = seeded_client.get(f"/search?q=Geneva&token={TOKEN}", headers={"Accept": "text/html"},
                             follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/search?q=Geneva"
    seeded_client.cookies.clear()
    assert seeded_client.get("/").status_code == 401
    assert seeded_client.get("/?token=wrong").status_code == 401


# ------------------------------------------------------------------- headers and paths


def test_security_headers_on_every_response(seeded_client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    sid = story_id(primed_store()[0], SEED_HEADLINE)
    for path in ("/", f"/stories/{sid}", "/api/stories", "/static/app.js", "/nowhere", "/static/nothing.js"):
        r = seeded_client.get(path, headers=auth)
        csp = r.headers["content-security-policy"]
        assert all(d in csp for d in REQUIRED_CSP), path
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
    page = seeded_client.get(f"/stories/{sid}", headers=auth).text
    assert re.findall(r"<script[^>]*>", page) == [re.search(r'<script src="/static/app\.js\?v=\w+" defer>', page)[0]]
    assert not re.search(r"\son[a-z]+\s*=", page)  # no inline event handler anywhere
    assert seeded_client.get("/static/app.js", headers=auth).headers["content-type"].startswith("text/javascript")


@pytest.mark.parametrize("path", ["/static/../app.py", "/static/..%2fapp.py", "/static/%2e%2e/%2e%2e/pyproject.toml",
                                  "/static/templates/base.html", "/static/app.css%00.py", "/static/APP.CSS",
                                  "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/../../etc/passwd"])
def test_no_path_reaches_the_file_system(seeded_client: TestClient, path: str) -> None:
    r = seeded_client.get(path, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 404
    assert "root:" not in r.text and "import" not in r.text


def test_host_header_is_checked_on_localhost() -> None:
    db, _ = primed_store()
    app = create_app(db, allowed_hosts={"127.0.0.1", "localhost", "[::1]"}, warm=False)
    with TestClient(app, base_url="http://127.0.0.1:8765") as c:
        assert c.get("/api/stories").status_code == 200
        assert c.get("/api/stories", headers={"Host": "localhost:8765"}).status_code == 200
        assert c.get("/api/stories", headers={"Host": "evil.example"}).status_code == 400  # DNS rebinding
        assert c.get("/api/stories", headers={"Host": "127.0.0.1.evil.example:8765"}).status_code == 400


def test_read_only_by_default(seeded_client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert seeded_client.get("/ingest", headers=auth).status_code == 404
    assert seeded_client.post("/ingest", headers=auth, files={"file": ("a.txt", b"x")}).status_code in (404, 405)
    assert seeded_client.post("/api/ingest", headers=auth, files={"file": ("a.txt", b"x")}).status_code in (404, 405)
    assert "/api/ingest" not in seeded_client.get("/api/openapi.json", headers=auth).json()["paths"]
    assert "Add articles" not in seeded_client.get("/", headers=auth).text


# ------------------------------------------------------------------------------ uploads


def test_uploads_are_named_by_the_server_and_capped(tmp_path: Path) -> None:
    db = copy_store(primed_store()[0], tmp_path)
    app = create_app(db, allow_ingest=True, max_upload=4096, warm=False)
    evil = Path(tempfile.gettempdir()) / "newsfuse-evil-upload.jsonl"
    evil.unlink(missing_ok=True)
    rows = hostile_rows()
    rows[0] = {**rows[0], "id": "upload-1", "text": rows[0]["text"].replace("Friday", "Saturday")}
    data = "\n".join(__import__("json").dumps(r) for r in rows[:1]).encode()
    with TestClient(app) as c:
        assert "Add articles" in c.get("/").text
        name = "../../../../../../" + str(evil).lstrip("/")
        r = c.post("/api/ingest", files={"file": (name, data, "application/octet-stream")})
        assert r.status_code == 200, r.text
        assert r.json()["new"] == 1
        assert not evil.exists()  # the user's file name never became a path
        with Store(db, readonly=True) as store:
            origin = store.conn.execute("SELECT origin FROM articles WHERE id = 'upload-1'").fetchone()[0]
        origin = origin.rsplit(":", 1)[0]  # path:line of a JSON line
        assert Path(origin).name.startswith("upload-") and Path(origin).suffix == ".jsonl"
        assert Path(origin).parent.name.startswith("newsfuse-uploads-") and not Path(origin).exists()
        assert list(Path(origin).parent.iterdir()) == []  # removed once ingested

        big = c.post("/api/ingest", files={"file": ("big.txt", b"x" * 10_000)})
        assert big.status_code == 413
        cross = c.post("/ingest", files={"file": ("a.txt", data)}, headers={"Origin": "https://evil.example"})
        assert cross.status_code == 403
        bad = c.post("/ingest", data={"url": "javascript:alert(1)"}, headers={"Origin": "http://testserver"})
        assert bad.status_code == 400 and "http://" in bad.text
        form = c.post("/ingest", files={"file": ("more.txt", b"A short note.\n\nNothing else.")},
                      headers={"Origin": "http://testserver"})
        assert form.status_code == 200 and "1 new" in form.text
    assert os.path.exists(db)


# ----------------------------------------------------------------- property-based API run


def test_openapi_fuzz_finds_no_server_error() -> None:
    """Schemathesis generates requests from the OpenAPI schema (valid and invalid) for every
    operation; no response may be a server error, and every one must match the schema."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, settings
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    db, _ = primed_store()
    app = create_app(db, warm=False)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = list(schema.get_all_operations())
    assert len(operations) == 4
    checks = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]
    failures: list[str] = []
    tested = 0
    with TestClient(app):
        for result in operations:
            operation = result.ok()

            @settings(max_examples=40, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case) -> None:  # type: ignore[no-untyped-def]
                nonlocal tested
                tested += 1
                response = case.call()
                assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
                try:
                    case.validate_response(response, checks=checks)
                except Exception as e:  # noqa: BLE001
                    failures.append(f"{case.method} {case.formatted_path} {case.query}: {e}")

            from hypothesis import given

            given(operation.as_strategy())(run)()
        # and the real stories: their briefs and sources must match the schema too
        by_path = {o.ok().path: o.ok() for o in operations}
        for sid in primed_store()[1]["ids"]:
            cases = [by_path["/api/stories/{story_id}"].Case(path_parameters={"story_id": sid})]
            cases += [by_path["/api/stories/{story_id}/sources/{n}"].Case(path_parameters={"story_id": sid, "n": n})
                      for n in (1, 2)]
            for case in cases:
                response = case.call()
                assert response.status_code == 200, case.formatted_path
                case.validate_response(response, checks=checks)
    assert tested >= 4 * 20
    assert failures == []
