"""The HTML brief in a real browser: no payload runs, nothing is fetched, citations jump to sources.

Drives Debian's Chromium (``/usr/bin/chromium``) through Playwright; never downloads a
browser. Leaves a screenshot in ``.test-output/brief/brief.png`` for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfuse.brief.render import to_html

from ..browser import Watched as WatchedPage
from ..conftest import ROOT
from .test_render import BREAKOUT, SCRIPT, hostile_brief, minimal_brief

CHROMIUM = "/usr/bin/chromium"
# No network here but package registries: keep Chromium from calling home.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
SHOTS = ROOT / ".test-output" / "brief"
CANARY = "() => [window.__pwned, window.__xss, document.querySelectorAll('script, img, svg, iframe').length]"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian package chromium; `make test` installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class Watched(WatchedPage):
    """The brief file at ``path`` opened: any other request is stray."""

    def __init__(self, chromium, path: Path) -> None:  # type: ignore[no-untyped-def]
        self.url = path.as_uri()
        page = chromium.new_page(viewport={"width": 1100, "height": 900})
        super().__init__(page, lambda url: url == self.url, CANARY, [None, None, 0])
        page.goto(self.url)
        page.wait_for_load_state("load")


def write(tmp_path: Path, name: str, html: str) -> Path:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def test_hostile_brief_is_inert_and_citations_work(browser, tmp_path: Path) -> None:
    path = write(tmp_path, "brief.html", to_html([hostile_brief()]))
    w = Watched(browser, path)
    try:
        w.assert_quiet()
        page = w.page
        assert page.title() == "Kestrel Bay harbour bridge reopens after storm repairs"
        assert SCRIPT in page.inner_text("body")  # the payload is shown as text

        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "brief.png"), full_page=True)

        target = page.locator("#s1-1")
        assert not _in_view(target)
        page.locator("section.summary a.cite", has_text="[1]").first.click()
        page.wait_for_function("location.hash === '#s1-1'")
        assert target.count() == 1 and target.is_visible() and _in_view(target)
        assert "Kestrel Daily" in target.inner_text()
        assert page.evaluate("document.querySelector(':target').id") == "s1-1"
        page.screenshot(path=str(SHOTS / "brief-cited.png"))

        page.locator("#s1-4 a.cite").click()  # "copy of [2]"
        page.wait_for_function("location.hash === '#s1-2'")
        assert page.locator("#s1-2").is_visible()
        w.assert_quiet()
    finally:
        w.page.close()


def test_escaping_holds_without_the_csp(browser, tmp_path: Path) -> None:
    """Escaping alone keeps payloads inert: the CSP is a second line of defence, not the first."""
    html = to_html([hostile_brief(), minimal_brief(f"</title>{SCRIPT}{BREAKOUT}")])
    start = html.index('<meta http-equiv="Content-Security-Policy"')
    html = html[:start] + html[html.index(">", start) + 1 :]
    assert "Content-Security-Policy" not in html
    w = Watched(browser, write(tmp_path, "no-csp.html", html))
    try:
        w.assert_quiet()
        w.page.locator("#story-2 a.cite").first.click()
        w.page.wait_for_function("location.hash === '#s2-1'")
        assert w.page.locator("#s2-1").is_visible()
        assert w.page.title() == "2 stories"
    finally:
        w.page.close()


def _in_view(locator) -> bool:
    js = "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    return locator.evaluate(js)



def _hostile_articles(tmp_path: Path) -> Path:
    """Two reports of one (fictional) event whose titles and text carry script payloads."""
    import json

    payload = '<script>window.__pwned=1;alert(1)</script><img src=x onerror="window.__xss=1;alert(2)">'
    rows = [
        {"id": "h1", "url": "https://one.example/bridge", "source": "One " + payload,
         "title": "Harbour bridge reopens " + payload, "published": "2025-05-02T09:00:00+00:00",
         "text": "The Kestrel Bay harbour bridge reopened on Friday after three weeks of storm repairs, "
                 f"the city said. {payload} Engineer Lars Dalen said: \"The deck is safe again.\" "
                 "About 12,000 vehicles cross the bridge every day."},
        {"id": "h2", "url": "javascript:alert(3)", "source": "Two", "title": "Bridge open again",
         "published": "2025-05-02T11:00:00+00:00",
         "text": "After three weeks of repairs following the storm, the Kestrel Bay harbour bridge reopened on "
                 f"Friday, the city said. Engineer Lars Dalen said: \"The deck is safe again.\" {payload} "
                 "Some 12,000 vehicles use it daily <a href=\"javascript:alert(4)\">link</a>."},
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


def test_brief_of_hostile_articles_runs_no_script(browser, tmp_path: Path) -> None:
    import subprocess
    import sys

    # A process of its own, as a user runs it (and because the analysis forks workers,
    # which must not happen in this process now that Playwright's threads run in it).
    out = tmp_path / "brief.html"
    cmd = [sys.executable, "-m", "newsfuse.cli", "brief", str(_hostile_articles(tmp_path)), "--format", "html",
           "-o", str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    w = Watched(browser, out)
    try:
        w.assert_quiet()
        page = w.page
        cite = page.locator("a.cite").first
        target = cite.get_attribute("href")
        assert target and target.startswith("#")
        cite.click()
        assert page.evaluate("location.hash") == target
        assert page.locator(target).is_visible()
        assert page.locator("a[href^='javascript']").count() == 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "hostile-articles.png"), full_page=True)
    finally:
        w.page.close()
