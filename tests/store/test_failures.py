"""Failure modes of the store: read-only stores, two writers, damaged or foreign files,
an ingest of nothing. Nothing stored may be lost or doubled: every case checks the counts
and ``PRAGMA integrity_check``."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsfuse.store import NotAStore, Store, StoreBusy, StoreDamaged, StoreReadOnly

from ..conftest import DATA, EXAMPLES, ROOT, need
from ..readonly import make_read_only, make_writable, newsfuse_args, run_without_write_access

FERRY = "Marisol Star runs aground on Gull Bank in thick fog – everyone on board rescued"


def _copy(src: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, folder / "s.db")
    return folder / "s.db"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _intact(db: Path) -> dict[str, int]:
    """The store passes integrity_check; its counts, which must agree with one another."""
    c = sqlite3.connect(db)  # not mode=ro: a read-only connection leaves -wal and -shm behind
    try:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        q = lambda sql: c.execute(sql).fetchone()[0]  # noqa: E731
        counts = {"articles": q("SELECT count(*) FROM articles"), "copies": q("SELECT count(*) FROM copies"),
                  "stories": q("SELECT count(*) FROM stories"), "memberships": q("SELECT count(*) FROM memberships"),
                  "indexed": q("SELECT count(*) FROM articles_fts_docsize"),
                  "in_stories": q("SELECT coalesce(sum(articles), 0) FROM stories")}
    finally:
        c.close()
    assert counts["articles"] == counts["memberships"] == counts["indexed"] == counts["in_stories"]
    return counts


def _cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    return subprocess.run(newsfuse_args(*args), capture_output=True, text=True, timeout=timeout, env=env)


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The command failed with one line on stderr, no traceback."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


# --------------------------------------------------------------------------- read-only


def test_a_read_only_store_is_read_and_never_written(example_store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    db = _copy(example_store, folder)
    before, counts = _digest(db), _intact(db)
    assert sorted(p.name for p in folder.iterdir()) == ["s.db"]  # as on read-only media: no -shm to share
    make_read_only(db, folder)
    try:
        listed = run_without_write_access(newsfuse_args("stories", "--db", str(db), "--format", "json"), folder)
        ferry = next(r["id"] for r in map(json.loads, listed.stdout.splitlines()) if r["headline"] == FERRY)
        found = run_without_write_access(newsfuse_args("search", "Marisol", "--db", str(db)), folder)
        shown = run_without_write_access(newsfuse_args("show", ferry, "--db", str(db), "--format", "json"), folder)
        exported = run_without_write_access(newsfuse_args("export", "--db", str(db), "-o", str(tmp_path / "a.jsonl")),
                                            folder)
        # "nowhere" would be reported as unreadable if the ingest read anything before failing
        ingest = run_without_write_access(newsfuse_args("ingest", str(EXAMPLES), str(tmp_path / "nowhere"),
                                                        "--db", str(db)), folder)
    finally:
        make_writable(db, folder)
    assert listed.returncode == 0, listed.stderr
    assert found.returncode == 0 and "[Marisol]" in found.stdout, found.stderr
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)[0]["headline"] == FERRY
    assert exported.returncode == 0, exported.stderr
    assert len((tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()) == counts["articles"]
    assert ingest.returncode == StoreReadOnly.exit_code
    assert "read-only" in _one_line(ingest)
    assert sorted(p.name for p in folder.iterdir()) == ["s.db"]  # no -wal, -shm, nor anything else made
    assert _digest(db) == before and _intact(db) == counts


def test_a_read_only_store_is_served(example_store: Path, tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    import httpx

    from ..web import free_port

    folder = tmp_path / "ro"
    db = _copy(example_store, folder)
    before = _digest(db)
    port = free_port()
    make_read_only(db, folder)
    server = _serve_without_write_access(db, port, folder)
    try:
        base = f"http://127.0.0.1:{port}"
        stories = httpx.get(f"{base}/api/stories", timeout=60).json()
        ferry = next(s["id"] for s in stories if s["headline"] == FERRY)
        hits = httpx.get(f"{base}/api/search", params={"q": "Marisol"}, timeout=60)
        brief = httpx.get(f"{base}/api/stories/{ferry}", timeout=600)
        page = httpx.get(f"{base}/stories/{ferry}", timeout=600)
    finally:
        server.terminate()
        server.wait(timeout=60)
        make_writable(db, folder)
    assert hits.status_code == 200 and any("[Marisol]" in h["snippet"] for h in hits.json())
    assert brief.status_code == 200 and brief.json()["headline"] == FERRY
    assert page.status_code == 200
    assert sorted(p.name for p in folder.iterdir()) == ["s.db"] and _digest(db) == before


def _serve_without_write_access(db: Path, port: int, folder: Path) -> subprocess.Popen[bytes]:
    import socket

    from ..readonly import _preexec

    run_without_write_access([sys.executable, "-c", "pass"], folder)  # skips if it cannot be done here
    log = folder.parent / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "newsfuse.web.cli", "--db", str(db), "--port", str(port),
                                 "--log-level", "warning"], stdout=out, stderr=subprocess.STDOUT,
                                preexec_fn=_preexec(folder), env={"PYTHONPATH": str(ROOT / "src"),
                                                                  "PATH": "/usr/bin:/bin"})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"the server did not start: {log.read_text()}")


# --------------------------------------------------------------------------- two writers


def _ecb_halves(tmp_path: Path) -> tuple[list[Path], set[str]]:
    rows = [json.loads(line) for line in open(need(DATA) / "ecbplus-dev.jsonl", encoding="utf-8")]
    random.Random(7).shuffle(rows)
    paths = []
    for k in range(2):
        p = tmp_path / f"half{k}.jsonl"
        p.write_text("".join(json.dumps(r) + "\n" for r in rows[k::2]), encoding="utf-8")
        paths.append(p)
    return paths, {str(r["id"]) for r in rows}


def test_two_ingests_at_once_both_complete_without_mixing(tmp_path: Path) -> None:
    halves, ids = _ecb_halves(tmp_path)
    db = tmp_path / "two.db"
    procs = [subprocess.Popen(newsfuse_args("ingest", str(p), "--db", str(db), "--batch-size", "25"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}) for p in halves]
    results = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in results]
    counts = _intact(db)
    with Store(db, readonly=True) as store:
        stored = {r[0] for r in store.conn.execute("SELECT id FROM articles")}
        batches = [(json.loads(i)[0], json.loads(s)["new"]) for i, s in
                   store.conn.execute("SELECT inputs, summary FROM batches ORDER BY id")]
        orphans = store.conn.execute("SELECT count(*) FROM copies WHERE original_id NOT IN "
                                     "(SELECT id FROM articles)").fetchone()[0]
    assert counts["articles"] == len(ids) and stored == ids and orphans == 0  # none lost, none doubled
    assert sum(n for _, n in batches) == len(ids)
    sources = [src for src, _ in batches]
    switches = sum(a != b for a, b in zip(sources, sources[1:]))
    assert switches >= 2, f"the two ingests did not overlap: {sources}"  # else this tested nothing
    for (_, err), half in zip(results, halves):
        n = sum(1 for _ in half.open(encoding="utf-8"))
        assert f"{n} read, {n} new, 0 already stored" in err


def test_a_writer_that_cannot_get_the_lock_gives_up_cleanly(example_store: Path, tmp_path: Path) -> None:
    db = _copy(example_store, tmp_path / "busy")
    counts = _intact(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, in the middle of a batch
    try:
        started = time.monotonic()
        result = _cli("ingest", str(need(DATA) / "ecbplus-dev.jsonl"), "--db", str(db), "--lock-timeout", "1")
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == StoreBusy.exit_code
    assert "write lock" in _one_line(result) and "--lock-timeout" in result.stderr
    assert waited < 120
    assert _intact(db) == counts


# --------------------------------------------------------------------------- damaged and foreign files


def _damage(example_store: Path, folder: Path, how: str) -> Path:
    db = _copy(example_store, folder / how)
    data = db.read_bytes()
    if how == "text":
        db.write_text("not a database\n" * 50)
    elif how == "foreign":
        db.unlink()
        with sqlite3.connect(db) as c:
            c.execute("CREATE TABLE notes(x)")
    elif how == "truncated":
        db.write_bytes(data[: len(data) // 2])
    elif how == "overwritten":  # another, smaller store copied over it
        with Store(folder / "other.db") as other:
            other.ingest([str(EXAMPLES / "ferry" / "nws-wire.txt")])
        smaller = (folder / "other.db").read_bytes()
        db.write_bytes(smaller + data[len(smaller) :])
    elif how == "pages":  # garbage over the second half, the header intact
        db.write_bytes(data[: len(data) // 2] + random.Random(3).randbytes(len(data) - len(data) // 2))
    return db


@pytest.mark.parametrize("how, error", [("text", NotAStore), ("foreign", NotAStore), ("truncated", StoreDamaged),
                                        ("overwritten", StoreDamaged), ("pages", StoreDamaged)])
def test_a_damaged_or_foreign_file_is_one_clear_line(example_store: Path, tmp_path: Path, how: str,
                                                     error: type) -> None:
    db = _damage(example_store, tmp_path, how)
    before = _digest(db)
    for args in (["search", "Marisol"], ["ingest", str(EXAMPLES)], ["stories", "--query", "Marisol"]):
        result = _cli(*args, "--db", str(db))
        line = _one_line(result)
        assert result.returncode == error.exit_code, (args, result.stderr)
        assert ("not a newsfuse store" if error is NotAStore else "store is damaged") in line
    assert _digest(db) == before  # nothing written into it, nor a schema added to another program's file
    with pytest.raises(error), Store(db, readonly=True) as store:
        store.search("Marisol")
        store.check()


def test_a_damaged_search_index_is_reported_not_no_match(example_store: Path, tmp_path: Path) -> None:
    db = _copy(example_store, tmp_path / "fts")
    with sqlite3.connect(db) as c:  # the index emptied, the articles kept: a search would find nothing
        c.execute("INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')")
    result = _cli("search", "Marisol", "--db", str(db))
    assert result.returncode == StoreDamaged.exit_code and "search index" in _one_line(result)
    with Store(db, readonly=True) as store, pytest.raises(StoreDamaged):
        store.stories(query="Marisol")
    fine = _copy(example_store, tmp_path / "fine")
    nothing = _cli("search", "zyzzyva", "--db", str(fine))
    assert nothing.returncode == 0 and "no match" in nothing.stderr  # an intact index may find nothing


def test_the_web_api_says_the_store_is_damaged(example_store: Path, tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from newsfuse.web.app import create_app

    db = _copy(example_store, tmp_path / "web")
    with TestClient(create_app(db, warm=False)) as client:
        assert client.get("/api/search", params={"q": "Marisol"}).status_code == 200
        with sqlite3.connect(db) as c:  # damaged while served
            c.execute("INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')")
        api = client.get("/api/search", params={"q": "Marisol"})
        page = client.get("/search", params={"q": "Marisol"})
    assert api.status_code == 503 and api.json()["detail"].startswith("store is damaged")
    assert page.status_code == 503 and "store is damaged" in page.text


def test_serve_refuses_a_damaged_store_before_serving(example_store: Path, tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    for how, error in (("pages", StoreDamaged), ("text", NotAStore)):
        db = _damage(example_store, tmp_path, how)
        env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
        result = subprocess.run([sys.executable, "-m", "newsfuse.web.cli", "--db", str(db), "--port", "0"],
                                capture_output=True, text=True, timeout=120, env=env)
        assert result.returncode == error.exit_code, result.stderr
        assert "serving" not in result.stderr and "BrokenProcessPool" not in result.stderr
        _one_line(result)


# --------------------------------------------------------------------------- ingest of nothing; the report


def test_an_ingest_of_nothing_makes_no_store(example_store: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    db = tmp_path / "new.db"
    for inputs in ([str(tmp_path / "empty")], [str(tmp_path / "missing.txt")]):
        result = _cli("ingest", *inputs, "--db", str(db))
        assert result.returncode == 1 and "nothing ingested" in result.stderr, result.stderr
        assert not list(tmp_path.glob("new.db*"))
    existing = _copy(example_store, tmp_path / "old")
    counts = _intact(existing)
    result = _cli("ingest", str(tmp_path / "empty"), "--db", str(existing))
    assert result.returncode == 1 and "nothing ingested" in result.stderr
    assert _intact(existing) == counts


def test_two_articles_given_one_id_are_both_stored(tmp_path: Path) -> None:
    rows = [{"id": "x1", "title": "Ferry runs aground", "text": "The ferry ran aground on Thursday morning."},
            {"id": "x1", "title": "Council votes budget", "text": "The council voted the budget on Friday."},
            {"id": "x1", "title": "Ferry runs aground", "text": "The ferry ran aground on Thursday morning."}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with Store(tmp_path / "d.db") as store:
        report = store.ingest([str(src)])
        ids = sorted(a["id"] for a in store.articles())
    assert report.read == 3
    assert ids[0] == "x1" and ids[1].startswith("x1~") and len(ids) == 2  # the repeat is one article
    _intact(tmp_path / "d.db")


def test_the_report_counts_the_copies_the_table_holds(tmp_path: Path) -> None:
    """Copies found only when their better original arrives later (out of time order) are
    linked then: the report counts those links too, so the two agree."""
    rows = [json.loads(line) for line in open(need(DATA) / "ecbplus-dev.jsonl", encoding="utf-8")]
    random.Random(1).shuffle(rows)
    reported = 0
    with Store(tmp_path / "c.db") as store:
        for k in range(10):
            part = tmp_path / f"part{k}.jsonl"
            part.write_text("".join(json.dumps(r) + "\n" for r in rows[k::10]), encoding="utf-8")
            reported += store.ingest([str(part)], batch_size=20).copies
        in_summaries = sum(json.loads(s)["copies"] for (s,) in store.conn.execute("SELECT summary FROM batches"))
        held = store.counts()["copies"]
    assert reported == in_summaries == held > 0
    _intact(tmp_path / "c.db")
