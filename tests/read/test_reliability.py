"""Inputs that used to stop a whole run or corrupt its output: file names that are
not UTF-8, nesting too deep to parse, stray NULs, odd field types, taken ids."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsfuse
from newsfuse.model import Problem
from newsfuse.read import distinct_ids
from newsfuse.read.extract import extract_html
from newsfuse.read.paths import origin_of, path_of_origin
from newsfuse.text import printable

from .helpers import write_warc

STORY = ("A fire broke out in the harbour of Avel on Monday night, the fire brigade said.\n\n"
         "Nobody was hurt, and the quay reopened on Tuesday morning.\n")


def read_all(*sources):  # type: ignore[no-untyped-def]
    problems: list[Problem] = []
    return newsfuse.read(list(sources), on_problem=problems.append), problems


def write_bytes_name(directory: Path, name: bytes, data: bytes) -> bytes:
    """A file whose name is raw bytes (not necessarily UTF-8); its bytes path."""
    path = os.fsencode(directory) + b"/" + name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    return path


def run_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run([sys.executable, "-m", "newsfuse.cli", *args], capture_output=True, env=env, timeout=120)


# --- file names are data --------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=40).filter(lambda b: b"\x00" not in b))
def test_any_file_name_gives_a_valid_reversible_origin(name: bytes) -> None:
    origin = origin_of(name)
    origin.encode("utf-8")  # valid Unicode: no lone surrogates
    json.loads(json.dumps({"origin": origin}, ensure_ascii=False).encode("utf-8"))
    assert os.fsencode(path_of_origin(origin)) == name


def test_origins_of_ordinary_names_are_unchanged() -> None:
    assert origin_of("news/Café 2025.txt") == "news/Café 2025.txt"
    assert origin_of(b"caf\xe9.txt") == "caf\\xe9.txt"
    assert origin_of("a\\b.txt") == "a\\\\b.txt"  # doubled, so that "\\xe9" in a name stays itself


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
def test_a_file_name_that_is_not_utf8_is_read_and_stored(tmp_path: Path) -> None:
    from newsfuse.store import Store

    for i in range(6):
        (tmp_path / f"report-{i}.txt").write_text(f"Report {i} on the storm\n\nThe storm number {i} hit "
                                                  f"the coast of Avel on Tuesday, officials said.\n")
    write_bytes_name(tmp_path, b"r\xe9sum\xff.txt", STORY.encode())
    with Store(tmp_path / "s.db") as store:
        report = store.ingest([str(tmp_path)])
        assert report.read == 7 and not report.skipped
        origins = [row["origin"] for row in store.articles()]
    assert len(origins) == 7
    assert str(tmp_path / "r\\xe9sum\\xff.txt") in origins


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
def test_clean_json_is_valid_utf8_and_names_print_on_one_line(tmp_path: Path) -> None:
    write_bytes_name(tmp_path, b"bad\xff.txt", STORY.encode())
    (tmp_path / "fake\n3 articles read.txt").write_text(STORY.replace("Monday", "Sunday"))
    (tmp_path / "empty\x1b[2J.txt").write_text("")
    result = run_cli("clean", "--format", "json", str(tmp_path))
    rows = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert sorted(Path(r["origin"]).name for r in rows) == ["bad\\xff.txt", "fake\n3 articles read.txt"]
    err = result.stderr.decode("utf-8").splitlines()
    assert err == [f"newsfuse: skipped {tmp_path}/empty\\x1b[2J.txt: empty",
                   "newsfuse: 2 article(s) read, 1 item(s) skipped"]
    text = run_cli("clean", str(tmp_path)).stdout.decode("utf-8")
    assert "from: " + str(tmp_path / "fake\\n3 articles read.txt") in text
    assert "\n3 articles read" not in text


def test_printable_escapes_what_would_drive_a_terminal() -> None:
    assert printable("a\nb\tc\x1b[31m\x85\u202eevil\udcff") == "a\\nb\\tc\\x1b[31m\\x85\\u202eevil\\udcff"
    assert printable("Zürich — «ok» 東京") == "Zürich — «ok» 東京"


@given(st.text())
def test_printable_is_one_line_of_encodable_text(text: str) -> None:
    out = printable(text)
    out.encode("utf-8")
    assert "\n" not in out and "\r" not in out and "\x1b" not in out


# --- bounded nesting -------------------------------------------------------------------------


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_a_jsonl_line_nested_too_deep_is_one_skip(tmp_path: Path) -> None:
    rows = [{"title": "First", "text": STORY}, None, {"title": "Third", "text": STORY.replace("fire", "flood")}]
    lines = [json.dumps(r) if r else '{"title": "B", "text": "x", "x": ' + deep(5000) + "}" for r in rows]
    lines.insert(2, json.dumps({"title": "C", "text": "y", "x": json.loads(deep(150))}))  # parses, past the bound
    path = tmp_path / "deep.jsonl"
    path.write_text("\n".join(lines) + "\n")
    articles, problems = read_all(path)
    assert [a.title for a in articles] == ["First", "Third"]
    assert [(p.item, p.skipped) for p in problems] == [(f"{path}:2", True), (f"{path}:3", True)]
    assert all("nested too deep" in p.reason for p in problems)


def test_a_json_array_with_an_item_too_deep_to_parse_reads_the_others(tmp_path: Path) -> None:
    good = json.dumps({"title": "First", "text": STORY, "tags": ["a", "[b]", "{c}"]})
    bad = '{"title": "B", "text": "x", "x": ' + deep(5000) + "}"
    last = json.dumps({"title": "Third", "text": STORY.replace("fire", "flood")})
    for name, doc in (("list.json", f"[{good}, {bad},\n {last}]"), ("wrapped.json", f'{{"n": 3, "articles": [{good}, {bad}, {last}]}}')):
        path = tmp_path / name
        path.write_text(doc)
        articles, problems = read_all(path)
        assert [a.title for a in articles] == ["First", "Third"], name
        assert [p.item for p in problems] == [f"{path}[1]"] and "nested too deep" in problems[0].reason
        assert articles[0].extra["tags"] == ["a", "[b]", "{c}"]


def test_cli_commands_go_on_after_a_line_too_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text(json.dumps({"title": "First", "text": STORY}) + "\n"
                    + '{"text": ' + deep(3000) + "}\n" + json.dumps({"title": "Third", "text": STORY}) + "\n")
    result = run_cli("ingest", "--db", str(tmp_path / "s.db"), str(path))
    assert result.returncode == 0, result.stderr
    err = result.stderr.decode()
    assert f"skipped {path}:2: nested too deep" in err and "Traceback" not in err
    assert "2 read" in err  # the two rows are one article given twice: stored once


def test_html_nested_deeper_than_the_parser_keeps_is_read() -> None:
    paragraphs = "".join(f"<p>{line}</p>" for line in STORY.split("\n\n"))
    for levels in (100, 300, 5000):
        html = f"<html><head><title>Fire in the harbour</title></head><body>{'<div>' * levels}{paragraphs}" \
               f"{'</div>' * levels}</body></html>"
        text, _ = extract_html(html)
        assert "fire brigade said" in text and "quay reopened" in text, levels


def test_a_feed_that_breaks_the_feed_parser_is_one_skip(tmp_path: Path) -> None:
    feed = tmp_path / "odd.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>A &#55296;'
                    "</title><link>https://e.org/1</link></item></channel></rss>")
    articles, problems = read_all(feed, tmp_path / "missing.txt")
    assert not articles and [p.item for p in problems] == [str(feed), str(tmp_path / "missing.txt")]


# --- smaller things --------------------------------------------------------------------------


def test_a_stray_nul_does_not_make_a_text_binary(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(("Fire in the harbour\n\n" + STORY).encode().replace(b"harbour of", b"harbour\x00 of"))
    [a], problems = read_all(path)
    assert "\x00" not in a.text and "harbour of Avel" in a.text
    assert [(p.reason, p.skipped) for p in problems] == [("1 NUL character(s) removed", False)]
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    assert read_all(binary)[1][0].reason.startswith("not text")


def test_warcio_warnings_become_one_line(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    page = f"<html><body><article>{''.join(f'<p>{p}</p>' for p in STORY.split(chr(10) * 2))}</article></body></html>"
    path = write_warc(tmp_path / "a.warc", [("https://e.org/1", page), ("https://e.org/2", page.replace("fire", "flood"))],
                      gzip=False, extra_records=False)
    data = path.read_bytes()
    m = re.search(rb"Content-Length: (\d+)", data)
    assert m
    # a record length a few bytes short: warcio writes a warning of several lines to stderr
    path.write_bytes(data[:m.start(1)] + str(int(m.group(1)) - 5).encode() + data[m.end(1):])
    articles, problems = read_all(path)
    out, err = capfd.readouterr()
    assert err == "" and out == ""
    assert len(articles) == 2
    assert [(p.item, p.skipped) for p in problems] == [(str(path), False)]
    assert problems[0].reason == ("the WARC reader warned: Record not followed by newline, "
                                  "perhaps Content-Length is invalid")


def test_text_as_a_list_of_strings_is_joined_anything_else_is_skipped(tmp_path: Path) -> None:
    paragraphs = STORY.strip().split("\n\n")
    rows = [{"id": "1", "title": "Fire in the harbour", "text": paragraphs},
            {"id": "2", "title": "Object", "text": {"en": STORY}},
            {"id": "3", "title": "Numbers", "body": [1, 2]}]
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    articles, problems = read_all(path)
    assert [a.id for a in articles] == ["1"] and articles[0].paragraphs == paragraphs
    assert [(p.item, p.reason) for p in problems] == [
        (f"{path}:2", "the 'text' field is an object, not text"),
        (f"{path}:3", "the 'body' field is a list of int, not text")]


def test_two_articles_given_one_id_are_both_kept(tmp_path: Path) -> None:
    rows = [{"id": "7", "title": "Fire in the harbour", "text": STORY},
            {"id": "7", "title": "Fire in the harbour", "text": STORY},  # the same article again: one
            {"id": "7", "title": "Flood in the harbour", "text": STORY.replace("fire", "flood")}]
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    problems: list[Problem] = []
    articles = list(distinct_ids(newsfuse.iter_read(path), problems.append))
    ids = [a.id for a in articles]
    assert ids[:2] == ["7", "7"] and ids[2].startswith("7~") and len(ids[2]) == 10
    assert [(p.item, p.skipped) for p in problems] == [(f"{path}:3", False)] and "'7'" in problems[0].reason
    assert [a.id for a in distinct_ids(newsfuse.iter_read(path), problems.append)] == ids  # the same each time
    result = run_cli("cluster", str(path))
    assert sorted(json.loads(line)["id"] for line in result.stdout.decode().splitlines()) == sorted(ids)
    assert f"warning: {path}:3: id '7'".encode() in result.stderr


def test_lone_surrogate_escapes_in_json_become_replacement_characters(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"id": "a\\udcff", "title": "Fire \\ud83d", "text": "' + STORY.replace("\n", "\\n") + '"}\n')
    [a], problems = read_all(path)
    assert a.id == "a\ufffd" and a.title == "Fire \ufffd"
    json.dumps(a.to_dict(raw=True), ensure_ascii=False).encode("utf-8")
    assert [p.skipped for p in problems] == [False]


def test_web_upload_reports_problems_by_the_uploaded_name(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from newsfuse.web.app import create_app

    rows = [json.dumps({"title": "First", "text": STORY}), '{"text": ' + deep(3000) + "}", '{"text": {"en": "x"}}']
    app = create_app(tmp_path / "new.db", allow_ingest=True, warm=False)
    with TestClient(app) as c:
        r = c.post("/api/ingest", files={"file": ("my rows.jsonl", "\n".join(rows).encode())})
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["new"] == 1
    assert [s["item"] for s in report["skipped"]] == ["upload “my rows.jsonl”:2", "upload “my rows.jsonl”:3"]
    assert "newsfuse-uploads-" not in r.text and "upload-" not in r.text.replace("upload “", "")
