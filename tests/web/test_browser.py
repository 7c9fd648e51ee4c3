"""``newsfuse serve`` end to end, in headless Chromium (Debian's; Playwright never downloads one).

The server runs in a process of its own, as a user starts it, over a store of the seeds
and the examples. Screenshots go to ``.test-output/web/`` for a person to look at.
"""

from __future__ import annotations

import re

import pytest

from . import FERRY_HEADLINE, SEED_HEADLINE, Server, Watched, launch_browser, need_browser, primed_store, shot, story_id

pytest.importorskip("fastapi")


@pytest.fixture(scope="module")
def server():
    db, _ = primed_store()
    srv = Server(db)
    srv.ids = {"seed": story_id(db, SEED_HEADLINE), "ferry": story_id(db, FERRY_HEADLINE)}  # type: ignore[attr-defined]
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    sync_api = need_browser()
    with sync_api.sync_playwright() as p:
        b = launch_browser(p)
        yield b
        b.close()


@pytest.fixture
def watched(browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    w = Watched(context, server.url)
    yield w
    w.assert_quiet()
    context.close()


def test_story_list_and_filters(watched: Watched, server: Server) -> None:
    page = watched.page
    page.goto(server.url + "/")
    rows = page.locator("table.stories tbody tr")
    assert rows.count() == 3
    assert rows.first.locator("td.headline a").inner_text() == FERRY_HEADLINE  # latest activity first
    seed = page.locator("tr", has=page.locator("a", has_text=SEED_HEADLINE))
    assert [c.strip() for c in seed.locator("td").all_inner_texts()[1:3]] == ["5", "5"]
    assert seed.locator(".lang").inner_text().lower() == "en"
    shot(page, "stories")

    page.fill("input[name=min_sources]", "3")
    page.click("form.filters button")
    page.wait_for_url(re.compile(r"min_sources=3"))
    assert page.locator("table.stories tbody tr").count() == 2
    page.fill("form.filters input[name=q]", "Geneva")
    page.click("form.filters button")
    page.wait_for_url(re.compile(r"q=Geneva"))
    assert page.locator("table.stories tbody tr td.headline a").all_inner_texts() == [SEED_HEADLINE]
    shot(page, "stories-filtered")


def test_seed_story_citation_shows_the_source_sentence(watched: Watched, server: Server) -> None:
    page = watched.page
    page.goto(server.url + "/")
    page.click(f"text={SEED_HEADLINE}")
    page.wait_for_url(re.compile(r"/stories/"))
    assert page.locator("h1").inner_text() == SEED_HEADLINE
    shot(page, "story")

    cite = page.locator("section.summary a.cite").nth(2)
    n, spans = int(cite.get_attribute("data-n")), cite.get_attribute("data-spans")
    start, end = (int(x) for x in spans.split()[0].split("-"))
    text = server.get(f"/api/stories/{server.ids['seed']}/sources/{n}").json()["text"]  # type: ignore[attr-defined]
    cite.click()
    mark = page.locator("#viewer-text mark").first
    mark.wait_for()
    assert mark.inner_text().strip() == text[start:end].strip()
    assert mark.is_visible() and _in_view(mark)
    assert page.locator("#viewer .viewer-kicker").inner_text().lower().startswith(f"source {n}")
    assert page.locator("#viewer-text").inner_text().strip() == text.strip()  # the whole cleaned text, marked in place
    assert page.evaluate("location.pathname").startswith("/stories/")  # stayed on the story page
    shot(page, "story-cited", full_page=False)

    # a mark of the matrix opens its source too
    cell = page.locator("table.matrix td.cell.differs a").first
    cell.scroll_into_view_if_needed()
    cell.click()
    page.wait_for_function("n => document.querySelector('#viewer').dataset.source === n",
                           arg=cell.get_attribute("data-n"))
    assert page.locator("#viewer-text mark").count() >= 1


def test_timeline_chart_and_matrix(watched: Watched, server: Server) -> None:
    page = watched.page
    brief = server.get(f"/api/stories/{server.ids['seed']}").json()  # type: ignore[attr-defined]
    page.goto(server.url + f"/stories/{server.ids['seed']}")
    chart = page.locator("svg.timeline-chart")
    assert chart.is_visible()
    assert chart.locator("a.tl-row").count() == len(brief["timeline"])
    assert chart.locator(".mark").count() == len(brief["timeline"])
    assert chart.locator("text.tick").count() >= 3
    labels = chart.locator("text.tick").all_text_contents()
    assert any("2022" in t for t in labels) and any("2014" in t for t in labels)
    box = chart.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 300
    shot(page, "timeline", locator=page.locator("#timeline figure"))
    k = next(i for i, t in enumerate(brief["timeline"]) if "Geneva" in t["text"] and t["date"] == "2022-01-10")
    chart.locator("a.tl-row").nth(k).click()  # a chart row jumps to its entry in the list
    page.wait_for_function(f"location.hash === '#tl-{k}'")
    assert "Geneva" in page.locator(f"#tl-{k}").inner_text()

    matrix = page.locator("table.matrix")
    assert matrix.locator("tbody tr").count() == len(brief["claims"]) + len(brief["single_source"])
    assert matrix.locator("thead th.src-h").count() == len(brief["sources"])
    assert matrix.locator("td.cell.differs").count() >= 5
    assert matrix.locator("tr.single").count() == len(brief["single_source"])
    colours = matrix.evaluate("""t => ['supports', 'differs', 'silent'].map(k =>
        getComputedStyle(t.querySelector('td.cell.' + k), '::before').backgroundColor)""")
    assert len(set(colours)) == 3  # agreement, differences and silence look different
    single = matrix.evaluate("t => getComputedStyle(t.querySelector('tr.single th.claim')).backgroundColor")
    plain = matrix.evaluate("t => getComputedStyle(t.querySelector('tr.claim th.claim')).backgroundColor")
    assert single != plain
    shot(page, "matrix", locator=page.locator("#matrix"))


def test_ferry_story_differences_and_copies(watched: Watched, server: Server) -> None:
    page = watched.page
    brief = server.get(f"/api/stories/{server.ids['ferry']}").json()  # type: ignore[attr-defined]
    page.goto(server.url + f"/stories/{server.ids['ferry']}")
    assert page.locator("h1").inner_text() == brief["headline"]
    differ = page.locator("#differences").inner_text()
    for value in ("214", "212", "8:40 a.m.", "Maritime Affairs Minister"):
        assert value in differ
    copy = page.locator("ol.sources > li.source ul.copies li.source.copy")  # the copy sits under its original
    assert copy.count() == 1 and "Marisol Star ferry stranded on Gull Bank as fog closes in" in copy.inner_text()
    original = page.locator("ol.sources > li.source", has=page.locator("li.copy"))
    assert "Ferry runs aground in fog off Valdoria" in original.locator(".title").first.inner_text()
    rows = page.locator("table.matrix tr", has=page.locator("span.claim-text", has_text="212 passengers"))
    assert rows.count() >= 1
    for i in range(rows.count()):  # the one source of 214 differs on every claim of 212
        assert rows.nth(i).locator("td.cell.differs").count() == 1
    shot(page, "ferry")


def test_search_geneva(watched: Watched, server: Server) -> None:
    page = watched.page
    page.goto(server.url + "/")
    page.fill("header input[name=q]", "Geneva")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=Geneva"))
    hits = page.locator("ol.hits li.hit")
    assert hits.count() >= 3
    assert set(page.locator("ol.hits mark").all_inner_texts()) == {"Geneva"}
    shot(page, "search")
    hits.first.locator(".hit-title a").click()
    page.wait_for_url(re.compile(r"/stories/"))
    assert page.locator("h1").inner_text() == SEED_HEADLINE


def test_citations_work_without_javascript(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1100, "height": 800}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url + f"/stories/{server.ids['ferry']}")
        page.locator("section.summary a.cite").first.click()
        page.wait_for_url(re.compile(r"/sources/\d+\?hl="))
        mark = page.locator("mark#hl")
        assert mark.count() == 1 and mark.inner_text().strip()
        shot(page, "source-page-no-js", full_page=False)
    finally:
        context.close()


def _in_view(locator) -> bool:  # type: ignore[no-untyped-def]
    js = "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    return locator.evaluate(js)
