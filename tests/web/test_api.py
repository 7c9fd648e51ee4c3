"""The web app in-process: JSON API, pages, the matrix and chart rules, the command.

Briefs are made by the app's worker process (never in this one) and cached in the
store: see ``primed_store``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsfuse.brief.model import Brief, Claim, Disagreement, Source, TimelineItem, ValueVariant, Variant
from newsfuse.brief.render import compact_view
from newsfuse.store import Store

from . import FERRY_HEADLINE, SEED_HEADLINE, primed_store, story_id

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from newsfuse.web import chart, views
from newsfuse.web.app import CSP, create_app


@pytest.fixture(scope="module")
def db() -> Path:
    return primed_store()[0]


@pytest.fixture(scope="module")
def client(db: Path):
    with TestClient(create_app(db)) as c:
        yield c


@pytest.fixture(scope="module")
def ids(db: Path) -> dict[str, str]:
    return {"seed": story_id(db, SEED_HEADLINE), "ferry": story_id(db, FERRY_HEADLINE)}


@pytest.fixture(scope="module")
def briefs(db: Path, ids: dict[str, str]) -> dict[str, Brief]:
    """The cached briefs, read from the store (primed: nothing is made in this process)."""
    with Store(db, readonly=True) as store:
        return {k: store.brief(sid) for k, sid in ids.items()}


# ------------------------------------------------------------------ briefs in the worker


def test_briefs_are_made_in_the_worker_without_deadlock() -> None:
    """A page asked for first says "preparing" at once; every story asked for at the same
    time from threads comes back; nothing was briefed in this (threaded) process."""
    _, report = primed_store()
    assert report["hung"] == 0, report
    assert report["preparing_status"] == 202 and 'http-equiv="refresh"' in report["preparing_text"]
    assert report["statuses"] == {sid: 200 for sid in report["ids"]} and len(report["ids"]) == 3
    assert report["page_status"] == 200
    with Store(primed_store()[0], readonly=True) as store:  # the worker cached them in the store
        assert store.conn.execute("SELECT count(*) FROM briefs").fetchone()[0] == 3


# ---------------------------------------------------------------------------- JSON API


def test_api_stories_mirror_the_cli(client: TestClient, ids: dict[str, str]) -> None:
    rows = client.get("/api/stories").json()
    assert [r["id"] for r in rows][:1] == [ids["ferry"]]  # latest activity first (21 March 2025)
    assert {r["headline"] for r in rows} >= {SEED_HEADLINE, FERRY_HEADLINE}
    seed = next(r for r in rows if r["id"] == ids["seed"])
    assert seed["articles"] == 5 and seed["sources"] == 5 and seed["languages"] == ["en"]
    assert set(seed) == {"id", "headline", "articles", "sources", "first_seen", "last_seen", "languages"}
    last = [r["last_seen"] for r in rows]
    assert last == sorted(last, reverse=True)
    assert [r["id"] for r in client.get("/api/stories", params={"query": "Geneva"}).json()] == [ids["seed"]]
    assert {r["id"] for r in client.get("/api/stories", params={"min_sources": 3}).json()} == set(ids.values())
    assert [r["id"] for r in client.get("/api/stories", params={"since": "2025-01-01"}).json()] == [ids["ferry"]]
    assert client.get("/api/stories", params={"since": "yesterday"}).status_code == 422
    assert client.get("/api/stories", params={"min_sources": 0}).status_code == 422


def test_api_brief_is_the_json_form(client: TestClient, ids: dict[str, str], briefs: dict[str, Brief]) -> None:
    got = client.get(f"/api/stories/{ids['seed']}")
    assert got.status_code == 200 and got.headers["content-type"] == "application/json"
    assert got.json() == json.loads(json.dumps(briefs["seed"].to_dict()))
    assert "texts" not in got.json()
    assert client.get("/api/stories/s000000000000").status_code == 404
    assert client.get("/api/stories/not%20an%20id").status_code == 422


def test_api_source_text_is_what_spans_index(client: TestClient, ids: dict[str, str], briefs: dict[str, Brief]) -> None:
    brief = briefs["seed"]
    texts = {n: client.get(f"/api/stories/{ids['seed']}/sources/{n}").json()["text"] for n in range(1, 6)}
    assert texts == brief.texts
    for claim in brief.claims:  # a claim's wordings are its sources' own sentences, in place
        for v in claim.variants:
            for n, start, end in v.spans:
                assert texts[n][start:end].strip() == v.text.strip()
    src = client.get(f"/api/stories/{ids['seed']}/sources/2").json()
    assert src["id"] == 2 and src["article_id"] == brief.sources[1].article_id
    assert client.get(f"/api/stories/{ids['seed']}/sources/{len(brief.sources) + 1}").status_code == 404
    assert client.get(f"/api/stories/{ids['seed']}/sources/0").status_code == 422


def test_api_search(client: TestClient, ids: dict[str, str]) -> None:
    hits = client.get("/api/search", params={"q": "Geneva"}).json()
    assert hits and {h["story_id"] for h in hits} == {ids["seed"]}
    assert all("[Geneva]" in h["snippet"] for h in hits)
    assert client.get("/api/search", params={"q": '"colossal mistake"'}).json()
    assert client.get("/api/search", params={"q": 'NEAR( " * ) AND'}).status_code == 200  # not a syntax error
    assert client.get("/api/search").status_code == 422


def test_openapi_schema_documents_the_api_only(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    assert set(schema["paths"]) == {"/api/stories", "/api/stories/{story_id}", "/api/stories/{story_id}/sources/{n}",
                                    "/api/search"}
    assert "texts" not in schema["components"]["schemas"]["Brief"]["properties"]
    assert "independent_support" in schema["components"]["schemas"]["Claim"]["properties"]
    for page in ("/docs", "/redoc"):  # Swagger UI and ReDoc load from a CDN: not served
        assert client.get(page).status_code == 404
    page = client.get("/api")
    assert page.status_code == 200 and "/api/stories/{story_id}" in page.text


# ------------------------------------------------------------------------------- pages


def test_story_list_page(client: TestClient, ids: dict[str, str]) -> None:
    page = client.get("/").text
    assert page.index(FERRY_HEADLINE) < page.index(SEED_HEADLINE)
    for sid in ids.values():
        assert f'href="/stories/{sid}"' in page
    assert SEED_HEADLINE not in client.get("/", params={"since": "2025-01-01"}).text
    filtered = client.get("/", params={"q": "Geneva", "min_sources": "", "since": ""}).text
    assert SEED_HEADLINE in filtered and FERRY_HEADLINE not in filtered
    odd = client.get("/", params={"since": "soon", "min_sources": "many"})
    assert odd.status_code == 200 and "not a date" in odd.text and "not a whole number" in odd.text


def test_story_page_has_brief_chart_matrix_and_sources(client: TestClient, ids: dict[str, str],
                                                       briefs: dict[str, Brief]) -> None:
    brief = briefs["ferry"]
    page = client.get(f"/stories/{ids['ferry']}").text
    assert page.count('class="tl-row') == len(brief.timeline)
    rows = re.findall(r'<tr class="(claim|single)', page)
    assert rows.count("claim") == len(brief.claims) and rows.count("single") == len(brief.single_source)
    assert 'class="cell differs"' in page and 'class="cell supports"' in page
    copy = next(s for s in brief.sources if s.copy_of is not None)
    original = page.index(f'id="src-{copy.copy_of}"')
    assert original < page.index('class="copies"', original) < page.index(f'id="src-{copy.id}"')
    n, start, end = brief.summary[0].spans[0]
    assert f'data-n="{n}" data-spans="{start}-{end}' in page
    assert "<script>" not in page.replace('<script src="/static/app.js', "")


def test_story_page_shows_the_compact_brief_first(client: TestClient, ids: dict[str, str],
                                                 briefs: dict[str, Brief]) -> None:
    """What the compact Markdown brief shows comes first; the rest is folded, never dropped."""
    brief = briefs["seed"]
    view = compact_view(brief)
    page = client.get(f"/stories/{ids['seed']}").text
    quotes = page.split('<section id="quotes"')[1].split("</section>")[0]
    first, _, folded = quotes.partition('<details class="more">')
    shown, rest = view["Who said what"]
    assert first.count("<blockquote>") == len(shown) and folded.count("<blockquote>") == len(rest) > 0
    assert all(q.direct and q.independent_support >= 2 for q in shown)
    names = page.split('<section id="names"')[1].split("</section>")[0]
    assert names.count("<strong>") == len(brief.entities)


def test_source_page_marks_the_cited_sentence(client: TestClient, ids: dict[str, str], briefs: dict[str, Brief]) -> None:
    brief = briefs["seed"]
    n, start, end = brief.summary[1].spans[0]
    page = client.get(f"/stories/{ids['seed']}/sources/{n}", params={"hl": f"{start}-{end}"}).text
    marked = re.search(r'<mark id="hl">(.*?)</mark>', page, re.DOTALL)
    assert marked and marked[1] == _escaped(brief.texts[n][start:end])
    assert client.get(f"/stories/{ids['seed']}/sources/99").status_code == 404
    assert client.get("/stories/s000000000000").status_code == 404
    # the story page opens a source beside the brief when asked in the address
    page = client.get(f"/stories/{ids['seed']}", params={"source": n, "hl": f"{start}-{end}"}).text
    assert re.search(r'<aside class="viewer open".*?<mark id="hl">', page, re.DOTALL)


def test_search_page(client: TestClient) -> None:
    page = client.get("/search", params={"q": "Geneva"}).text
    assert "<mark>Geneva</mark>" in page and SEED_HEADLINE in page


def test_pages_carry_the_security_headers(client: TestClient, ids: dict[str, str]) -> None:
    for path in ("/", f"/stories/{ids['seed']}", "/search?q=x", "/api/stories", "/static/app.css", "/nowhere"):
        r = client.get(path)
        assert r.headers["content-security-policy"] == CSP, path
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["server-timing"].startswith("app;dur=")


def _escaped(text: str) -> str:
    import html

    return html.escape(text, quote=True).replace("&#x27;", "&#39;")


# ------------------------------------------------------------------------- the matrix


def test_matrix_rule_on_the_ferry(briefs: dict[str, Brief]) -> None:
    """The planted differences of the examples show as the outlier's cell, not the majority's."""
    brief = briefs["ferry"]
    m = views.matrix(brief, views.Citer(brief))
    by_title = {s.title: s.id for s in brief.sources}
    rundschau = by_title["Ferry „Marisol Star“ runs onto sandbank – all on board rescued"]
    littoral = by_title["Ferry Marisol Star stranded on the Gull Bank: all the passengers evacuated in the fog"]
    valdoria = by_title["Marisol Star stuck on Gull Bank in fog – everyone rescued, 17 hurt"]
    col = {s.id: i for i, s in enumerate(m.columns)}

    def state(text: str, n: int) -> str:
        row = next(r for r in m.rows if text in r.text)
        return row.cells[col[n]].state

    assert state("at 7:40 a.m.", rundschau) == views.DIFFERS  # 8:40 a.m.
    assert state("Transport Minister Tomas Reyland said", littoral) == views.DIFFERS  # Maritime Affairs Minister
    assert state("Transport Minister Tomas Reyland said", valdoria) == views.SUPPORTS
    assert state("212 passengers", valdoria) == views.DIFFERS  # 214
    assert state("Three of them were taken to Port Avel General Hospital", rundschau) != views.DIFFERS
    # copies sit right after their original
    copy = next(s for s in brief.sources if s.copy_of is not None)
    assert col[copy.id] == col[copy.copy_of] + 1
    assert [r.kind for r in m.rows].count("single") == len(brief.single_source)
    assert all(r.cells[col[r.sources[0]]].state == views.SUPPORTS for r in m.rows if r.kind == "single")


def _brief(claims: list[Claim], disagreements: list[Disagreement], n: int = 3) -> Brief:
    sources = [Source(i, f"a{i}", f"Outlet {i}", None, None, None, "en") for i in range(1, n + 1)]
    return Brief("s1", "h", None, None, claims=claims, disagreements=disagreements, sources=sources,
                 texts={i: "x" * 200 for i in range(1, n + 1)})


def test_matrix_rule_cases() -> None:
    # located: a variant's span inside the claim's sentence of that source
    claim = Claim("200 people were on board.", [1, 2, 3], 3,
                  [Variant("200 people were on board.", [1, 2], [(1, 0, 25), (2, 0, 25)]),
                   Variant("There were 210 people on board.", [3], [(3, 10, 41)])],
                  [(1, 0, 25), (2, 0, 25), (3, 10, 41)])
    count = Disagreement("number of people", "number",
                         [ValueVariant("200", [1, 2], [(1, 0, 3), (2, 0, 3)]), ValueVariant("210", [3], [(3, 21, 24)])])
    elsewhere = Disagreement("time", "time", [ValueVariant("7:40", [1], [(1, 100, 104)]),
                                              ValueVariant("8:40", [2], [(2, 100, 104)])])
    # unlocated (a title): the surname and the value in one wording, near each other
    title = Disagreement("Ann Berg's title", "title", [ValueVariant("Mayor", [1, 3], []), ValueVariant("Governor", [2], [])])
    named = Claim("Mayor Ann Berg opened the bridge.", [1, 2, 3], 3, [], [(1, 120, 150)])
    unnamed = Claim("The Mayor spoke; later, much later, after a long and winding day, Berg left.", [1, 2], 2, [],
                    [(1, 150, 190)])
    m = views.matrix(b := _brief([claim, named, unnamed], [count, elsewhere, title]), views.Citer(b))
    states = [[c.state for c in r.cells] for r in m.rows]
    assert states[0] == ["supports", "supports", "differs"]
    assert states[1] == ["supports", "differs", "supports"]
    assert states[2] == ["supports", "supports", "silent"]
    assert "210 [3]" in m.rows[0].differences[0] and "this claim: 200 [1][2]" in m.rows[0].differences[0]
    assert m.supports == [3, 2, 1] and m.differs == [0, 1, 1]


def test_marked_text_and_snippets() -> None:
    assert views.marked("abcdef", [(4, 99), (1, 3), (2, 4)]) == [("a", False), ("bcdef", True)]
    assert views.marked("abcdef", [(3, 4), (1, 2)]) == [("a", False), ("b", True), ("c", False), ("d", True),
                                                        ("ef", False)]
    assert views.marked("abc", [(5, 9), (-3, 1)]) == [("a", True), ("bc", False)]
    assert views.parse_marks("3-9, 12-20 bad 9-2 x-1") == [(3, 9), (12, 20)]
    assert views.snippet_parts("…the [Geneva] talks [on] x] [y") == [
        ("…the ", False), ("Geneva", True), (" talks ", False), ("on", True), (" x] [y", False)]


# ------------------------------------------------------------------------------ chart


def test_timeline_chart_geometry(briefs: dict[str, Brief]) -> None:
    brief = briefs["seed"]
    c = chart.timeline_chart(brief)
    assert c is not None and len(c.rows) == len(brief.timeline) and not c.undated
    assert c.breaks, "2014 and the December 2021 call are far apart: the axis is cut"
    starts = [r.x0 for r in c.rows]
    assert starts == sorted(starts)  # the brief's timeline is in time order
    assert all(c.plot_x0 <= r.x0 <= r.x1 <= c.plot_x1 + chart.BREAK_W for r in c.rows)
    xs = [t.x for t in c.ticks]
    assert xs == sorted(xs) and len(c.ticks) >= 3


def test_timeline_chart_dates() -> None:
    assert chart.days("2022-01-10") == (chart.days("2022-01-10/2022-01-10") or (0, 0))
    assert chart.days("2021-12-01/2021-12-31") is not None
    assert chart.days("soon") is None and chart.days("2021-02-30") is None
    d = chart.days
    assert chart.when(*d("2014-01-01/2014-12-31")) == "2014"
    assert chart.when(*d("2021-06-01/2021-06-30")) == "Jun 2021"
    assert chart.when(*d("2021-12-20/2021-12-26")) == "20–26 Dec 2021"
    assert chart.when(*d("2021-12-27/2022-01-02")) == "27 Dec – 2 Jan 2022"
    assert chart.when(*d("2022-01-10")) == "10 Jan 2022"
    brief = _brief([], [])
    brief.timeline = [TimelineItem("2025-03-06", "It ran aground <b>", [1]), TimelineItem("later", "Undated", [2])]
    c = chart.timeline_chart(brief)
    assert c is not None and len(c.rows) == 1 and c.undated == [1] and c.rows[0].single
    brief.timeline = [TimelineItem("someday", "x", [1])]
    assert chart.timeline_chart(brief) is None


# --------------------------------------------------------------------------- command


def test_serve_command_defaults_and_errors(tmp_path: Path) -> None:
    from newsfuse.web.cli import _allowed_hosts, _is_loopback, serve

    params = {p.name: p.default for p in serve.params}
    assert params["host"] == "127.0.0.1" and params["port"] == 8765  # this machine only, unless told
    assert "--allow-ingest" in CliRunner().invoke(serve, ["--help"]).output
    result = CliRunner().invoke(serve, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "no store" in result.output
    result = CliRunner().invoke(serve, ["--db", str(primed_store()[0]), "--token", "short"])
    assert result.exit_code == 2 and "8 or more" in result.output
    result = CliRunner().invoke(serve, ["--db", str(primed_store()[0]), "--token", "has space; and=semicolons"])
    assert result.exit_code == 2
    assert _is_loopback("127.0.0.1") and _is_loopback("::1") and _is_loopback("localhost")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.168.1.4")
    assert "localhost" in _allowed_hosts("127.0.0.1")


def test_create_app_needs_a_store(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        create_app(tmp_path / "missing.db")
    app = create_app(tmp_path / "new.db", allow_ingest=True, warm=False)  # an empty store to add to
    with TestClient(app) as c:
        assert c.get("/api/stories").json() == []
        assert "No story" in c.get("/").text
