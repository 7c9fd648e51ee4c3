"""Every input format, read from the shipped examples or from files the tests write."""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

import newsfuse
from newsfuse.model import Problem
from newsfuse.read import ReadOptions, expand

from ..conftest import EXAMPLES
from .helpers import atom, rss, write_warc

FERRY = EXAMPLES / "ferry"
HERALD = FERRY / "coastal-herald.html"


def read_all(*sources, **opts):
    problems: list[Problem] = []
    articles = newsfuse.read(list(sources), options=ReadOptions(**opts) if opts else None, on_problem=problems.append)
    return articles, problems


def test_text_file_title_and_date_line() -> None:
    [a], problems = read_all(FERRY / "daily-meridian.txt")
    assert not problems
    assert a.title == "Marisol Star ferry stranded on Gull Bank as fog closes in"
    assert a.published == datetime(2025, 3, 6, tzinfo=timezone.utc) and a.published_via == "date-line"
    assert "Thu. Mar 6th" not in a.text and a.title not in a.text
    assert a.format == "txt" and a.origin.endswith("daily-meridian.txt")
    assert a.language == "en"


def test_wire_dateline_is_metadata() -> None:
    [a], _ = read_all(FERRY / "nws-wire.txt")
    assert a.dateline == "PORT AVEL, Valdoria, March 6 (NWS)"
    assert a.paragraphs[0].startswith("A Valdorian passenger ferry ran aground")


def test_html_page() -> None:
    [a], problems = read_all(HERALD)
    assert not problems
    assert a.title == "Marisol Star runs aground on Gull Bank in thick fog – everyone on board rescued"
    assert a.source == "The Coastal Herald"
    assert a.url == "https://www.coastalherald.example/news/2025/03/06/ferry-marisol-star-aground-gull-bank"
    assert a.published == datetime.fromisoformat("2025-03-06T14:20:00+01:00") and a.published_via == "html"
    assert a.authors == ["Maren Holt"]
    assert "Investigation to start Monday" in a.paragraphs  # subheads are story
    for junk in ("We use cookies", "Share on Facebook", "Leave a comment", "Most read", "All rights reserved",
                 "Harbour car park charges", "Thank goodness everyone got off safely", "window.dataLayer"):
        assert junk not in a.text
    assert a.raw is not None and "<html" in a.raw[:300].lower()  # provenance: the page as read


def test_jsonl_rows_keep_their_ids() -> None:
    arts, problems = read_all(EXAMPLES / "recall" / "voltra-recall.jsonl")
    assert not problems
    assert [a.id for a in arts] == ["techledger-2024-11-12-voltra", "cwreview-voltra-recall"]
    assert arts[0].source == "Tech Ledger" and arts[0].published_via == "field"
    assert arts[0].origin.endswith("voltra-recall.jsonl:1")
    assert len(arts[0].paragraphs) >= 4


def test_json_array_object_and_aliases(tmp_path: Path) -> None:
    rows = [
        {"id": 7, "headline": "A", "maintext": "The ferry ran aground on Thursday morning in thick fog.", "date_publish": "2025-03-06 09:00:00", "source_domain": "a.example"},
        {"title": "B", "html": "<html><body><article><p>" + "All passengers were rescued by the coast guard. " * 5 + "</p></article></body></html>", "source": {"id": "b", "name": "B News"}},
    ]
    (tmp_path / "list.json").write_text(json.dumps(rows))
    (tmp_path / "one.json").write_text(json.dumps(rows[0]))
    (tmp_path / "wrapped.json").write_text(json.dumps({"articles": rows}))
    for name, n in (("list.json", 2), ("one.json", 1), ("wrapped.json", 2)):
        arts, problems = read_all(tmp_path / name)
        assert not problems and len(arts) == n
    arts, _ = read_all(tmp_path / "list.json")
    assert arts[0].id == "7" and arts[0].title == "A" and arts[0].source == "a.example"
    assert arts[0].published == datetime(2025, 3, 6, 9, tzinfo=timezone.utc)
    assert arts[1].source == "B News" and arts[1].text.startswith("All passengers were rescued")


def test_gzipped_jsonl(tmp_path: Path) -> None:
    src = (EXAMPLES / "recall" / "voltra-recall.jsonl").read_bytes()
    (tmp_path / "r.jsonl.gz").write_bytes(gzip.compress(src))
    arts, problems = read_all(tmp_path / "r.jsonl.gz")
    assert not problems and len(arts) == 2


def test_warc(tmp_path: Path) -> None:
    html = HERALD.read_text()
    warc = write_warc(tmp_path / "crawl.warc.gz", [("https://www.coastalherald.example/a", html),
                                                  ("https://www.coastalherald.example/b", html.replace("Marisol", "Marisola"))])
    arts, problems = read_all(warc)
    assert not problems
    assert len(arts) == 2  # request, image and 404 records are not articles
    assert arts[0].url == "https://www.coastalherald.example/a" and arts[0].format == "warc"
    assert arts[0].published_via == "html"  # the page's own date beats the crawl date
    assert arts[0].origin == f"{warc}#https://www.coastalherald.example/a"
    assert "Marisola" in arts[1].text


def test_uncompressed_warc_is_sniffed(tmp_path: Path) -> None:
    warc = write_warc(tmp_path / "crawl.bin", [("https://x.example/a", HERALD.read_text())], gzip=False)
    arts, problems = read_all(warc)
    assert len(arts) == 1 and not problems


def test_rss_and_atom_feeds(tmp_path: Path) -> None:
    when = datetime(2025, 3, 6, 12, 30, tzinfo=timezone.utc)
    body = "<p>The ferry Marisol Star ran aground on Gull Bank in thick fog on Thursday morning.</p><p>All 212 passengers were evacuated.</p>"
    entries = [
        {"title": "Ferry aground", "link": "https://feed.example/1", "published": when, "html": body},
        {"title": "Second item", "link": "https://feed.example/2", "published": when, "summary": "Rescue crews worked for nearly three hours to take everyone off the ship."},
    ]
    (tmp_path / "news.rss").write_text(rss(entries, title="Feed News"))
    (tmp_path / "news.xml").write_text(atom(entries[:1]))
    arts, problems = read_all(tmp_path / "news.rss", tmp_path / "news.xml")
    assert not problems, problems
    assert [a.title for a in arts] == ["Ferry aground", "Second item", "Ferry aground"]
    a = arts[0]
    assert a.url == "https://feed.example/1" and a.source == "Feed News"
    assert a.published == when and a.published_via == "feed"
    assert a.paragraphs == ["The ferry Marisol Star ran aground on Gull Bank in thick fog on Thursday morning.", "All 212 passengers were evacuated."]
    assert arts[1].text.startswith("Rescue crews worked")


def test_directory_glob_and_stdin(tmp_path: Path, monkeypatch) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "ex")
    (tmp_path / "ex" / "notes.png").write_bytes(b"\x89PNG\r\n")  # not picked up by a directory walk
    (tmp_path / "ex" / ".hidden.txt").write_text("Hidden file\n\nNot an article.")
    found = [Path(p).relative_to(tmp_path / "ex").as_posix() for p in expand(tmp_path / "ex") if isinstance(p, str)]
    assert found == [f"ferry/{f.name}" for f in sorted(FERRY.iterdir())] + ["recall/voltra-recall.jsonl"]
    arts, problems = read_all(str(tmp_path / "ex" / "**" / "*.txt"))
    assert len(arts) == 5 and not problems
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((FERRY / "nws-wire.txt").read_bytes())))
    [a], _ = read_all("-")
    assert a.origin == "<stdin>" and a.title.startswith("Ferry runs aground")


def test_ids_are_stable_and_content_based(tmp_path: Path) -> None:
    [a], _ = read_all(FERRY / "nws-wire.txt")
    shutil.copy(FERRY / "nws-wire.txt", tmp_path / "copy.txt")
    [b], _ = read_all(tmp_path / "copy.txt")
    assert a.id == b.id and len(a.id) == 16
    (tmp_path / "edited.txt").write_text((FERRY / "nws-wire.txt").read_text().replace("212", "213"))
    [c], _ = read_all(tmp_path / "edited.txt")
    assert c.id != a.id


def test_missing_path_and_empty_glob() -> None:
    arts, problems = read_all("/nonexistent/file.txt", "/nonexistent/*.jsonl")
    assert not arts
    assert [p.reason for p in problems] == ["no such file or directory", "no files match"]


def test_article_round_trips_through_dict() -> None:
    [a], _ = read_all(HERALD)
    b = newsfuse.Article.from_dict(json.loads(json.dumps(a.to_dict(raw=True, removed=True))))
    assert b == a


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("fraction, pages", [(0.3, 0), (0.5, 1), (0.8, 2), (0.99, 3)])
def test_truncated_warc_keeps_what_came_before(tmp_path: Path, gz: bool, fraction: float, pages: int) -> None:
    html = HERALD.read_text()
    full = write_warc(tmp_path / ("full.warc" + (".gz" if gz else "")),
                      [(f"https://x.example/{i}", html.replace("Marisol", f"Marisol{i}")) for i in range(3)])
    data = full.read_bytes()
    cut = tmp_path / ("cut.warc" + (".gz" if gz else ""))
    cut.write_bytes(data[: int(len(data) * fraction)])
    arts, problems = read_all(cut)
    assert len(arts) == pages
    assert len(problems) == 1 and problems[0].reason.startswith(f"truncated or corrupt WARC after {pages} page(s)")
