"""The `newsfuse clean` command: formats, --explain, and bad input that must not stop a run."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from .conftest import EXAMPLES
from .read.helpers import write_warc


def test_clean_text_output(run) -> None:
    result = run("clean", EXAMPLES)
    assert result.exit_code == 0
    assert result.stdout.count("━━ [") == 8
    assert "Leave a Reply" not in result.stdout
    assert "newsfuse: 8 article(s) read" in result.stderr


def test_clean_json_and_explain(run, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = run("clean", EXAMPLES / "ferry" / "nws-wire.txt", "--format", "json", "--explain", "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    [row] = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["title"] == "Ferry runs aground in fog off Valdoria, all on board evacuated"
    assert {"line": "Source link", "rule": "source-link"} in row["removed"]
    assert set(row) >= {"id", "text", "paragraphs", "url", "source", "published", "published_via", "language", "origin"}


def test_explain_in_text_format(run) -> None:
    result = run("clean", EXAMPLES / "ferry" / "valdoria-today.txt", "--explain")
    assert "[video-teaser]" in result.stdout or "[teaser] Watch: Storm batters the northern coast 2:41" in result.stdout
    assert "removed (9):" in result.stdout


def test_usage_errors_exit_2(run) -> None:
    assert run("clean").exit_code == 2
    assert run("clean", "x", "--format", "xml").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_stdin(run) -> None:
    result = run("clean", "-", input=(EXAMPLES / "ferry" / "nws-wire.txt").read_bytes())
    assert result.exit_code == 0 and "Ferry runs aground in fog" in result.stdout


def test_bad_input_is_reported_per_item_and_the_run_goes_on(run, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (bad / "invalid-utf8.txt").write_bytes(bytes(range(128, 256)) * 40)
    (bad / "utf16-garbage.txt").write_bytes(b"\xff\xfe\xfa\xfb" * 300)
    (bad / "latin1.txt").write_bytes("Le président a déclaré à la presse que le ferry était échoué.".encode("latin-1"))
    (bad / "empty.txt").write_bytes(b"")
    with open(bad / "huge.html", "wb") as f:  # a 50 MB page
        f.write(b"<html><body>" + b"<p>The ferry ran aground in fog.</p>\n" * (50 * 1024 * 1024 // 37) + b"</body></html>")
    good_warc = write_warc(tmp_path / "full.warc.gz", [(f"https://x.example/{i}", (EXAMPLES / "ferry" / "coastal-herald.html").read_text().replace("Marisol", f"Marisol{i}")) for i in range(3)], extra_records=False)
    data = good_warc.read_bytes()
    (bad / "truncated.warc.gz").write_bytes(data[: int(len(data) * 0.8)])
    lines = (EXAMPLES / "recall" / "voltra-recall.jsonl").read_text().splitlines()
    (bad / "rows.jsonl").write_text(lines[0] + "\n{not json\n" + lines[1] + "\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/"
    private = "http://10.255.1.2/article"

    result = run("clean", EXAMPLES / "ferry" / "nws-wire.txt", bad, private, "--format", "json")
    assert result.exit_code == 0
    errors = result.stderr.splitlines()
    reasons = {line.split(": ", 2)[1].split("/")[-1]: line for line in errors if line.startswith("newsfuse: skipped")}
    assert "not text" in reasons["binary.txt"]
    assert "not text" in reasons["invalid-utf8.txt"]
    assert "not text" in reasons["utf16-garbage.txt"]
    assert any("warning: " in line and "latin1.txt: not valid UTF-8: decoded as cp1252" in line for line in errors)
    assert "empty" in reasons["empty.txt"]
    assert "too large" in reasons["huge.html"]
    assert "truncated or corrupt WARC after 2 page(s)" in reasons["truncated.warc.gz"]
    assert any("rows.jsonl:2: invalid JSON" in line for line in errors)
    assert any(private in line and "refused" in line for line in errors)
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert len(ids) == 1 + 1 + 2 + 2  # wire story, latin-1 text, two pages before the WARC broke, two good rows
    assert errors[-1] == "newsfuse: 6 article(s) read, 8 item(s) skipped, 1 warning(s)"

    # a closed port is reported as such when private addresses are allowed
    result = run("clean", closed, EXAMPLES / "ferry" / "nws-wire.txt", "--allow-private")
    assert result.exit_code == 0 and "connection refused" in result.stderr and "1 item(s) skipped" in result.stderr


def test_nothing_readable_exits_1(run, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert run("clean", tmp_path / "empty.txt").exit_code == 1


def test_a_stored_headline_is_shown_as_written_not_as_markup(run, tmp_path: Path) -> None:
    title = "[red]Fake[/red]\x1b[2J"
    body = "The harbour authority closed the port on Monday after a storm damaged two piers."
    rows = [{"id": f"h{k}", "title": title, "text": body, "source": f"outlet{k}.example"} for k in range(2)]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "s.db"
    assert run("ingest", tmp_path / "in.jsonl", "--db", db).exit_code == 0
    result = run("stories", "--db", db)
    assert result.exit_code == 0
    assert "[red]Fake[/red]\\x1b" in result.stdout and "\x1b" not in result.stdout
