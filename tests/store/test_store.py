"""The story store: incremental, idempotent, transactional ingest; reading, search and export."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsfuse.evaluate import bcubed
from newsfuse.pipeline import Pipeline
from newsfuse.read import read
from newsfuse.store import Store, fts_query

from ..conftest import DATA, EXAMPLES, SEEDS, need


def _ids_of_story(store: Store, sid: str) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT article_id FROM memberships WHERE story_id = ?", (sid,))}


def test_seeds_examples_seeds_again(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        first = store.ingest([str(need(SEEDS))])
        assert (first.new, first.stories_created) == (5, 1)
        [seed_story] = store.stories()
        store.ingest([str(EXAMPLES)])
        counts = store.counts()
        again = store.ingest([str(SEEDS)])
        assert (again.new, again.already_stored) == (0, 5)
        assert store.counts() == counts == {"articles": 13, "copies": 1, "stories": 3, "batches": 2}
        assert any(s.id == seed_story.id and s.articles == 5 for s in store.stories())
        hits = store.search("colossal")
        assert hits and {h.story_id for h in hits} == {seed_story.id}
        assert "[colossal]" in hits[0].snippet.lower()


def test_copy_is_linked_and_not_an_independent_source(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.ingest([str(EXAMPLES / "ferry")])
        [ferry] = store.stories()
        assert (ferry.articles, ferry.sources) == (6, 5)
        [(copy, original)] = store.conn.execute("SELECT a.origin, o.origin FROM copies c JOIN articles a ON "
                                                "a.id = c.article_id JOIN articles o ON o.id = c.original_id")
        assert copy.endswith("daily-meridian.txt") and original.endswith("nws-wire.txt")


def test_brief_is_made_again_only_when_the_story_changed(tmp_path: Path, monkeypatch) -> None:
    import newsfuse.brief as brief_module

    made = []
    real = brief_module.brief_story
    monkeypatch.setattr(brief_module, "brief_story", lambda story, *a: made.append(story.id) or real(story, *a))
    with Store(tmp_path / "s.db") as store:
        store.ingest([str(EXAMPLES / "recall")])
        [story] = store.stories()
        first = store.brief(story.id)
        second = store.brief(story.id)
        assert made == [story.id] and first.to_dict() == second.to_dict()
        assert second.texts and all(second.texts.values())
        extra = tmp_path / "more.jsonl"
        row = json.loads((EXAMPLES / "recall" / "voltra-recall.jsonl").read_text().splitlines()[0])
        row.update(id="third-voltra", url="https://third.example/voltra", source="Third",
                   text=row["text"].replace("48,000", "48,000 (forty-eight thousand)"))
        extra.write_text(json.dumps(row) + "\n")
        store.ingest([str(extra)])
        if story.id in {s.id for s in store.stories()} and len(_ids_of_story(store, story.id)) == 3:
            store.brief(story.id)
            assert made == [story.id, story.id]


def test_bad_input_is_reported_and_the_store_is_intact(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (bad / "empty.txt").write_text("")
    (bad / "broken.jsonl").write_text('{"id": "x", "text": "ok text here for a story"}\n{not json\n')
    with Store(tmp_path / "s.db") as store:
        store.ingest([str(EXAMPLES / "recall")])
        before = store.counts()
        report = store.ingest([str(bad)])
        assert len(report.skipped) >= 3
        assert all(p.reason for p in report.skipped)
        assert store.counts()["articles"] == before["articles"] + report.new
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_fts_queries_cannot_be_syntax_errors(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.ingest([str(EXAMPLES / "recall")])
        for q in ['"', "AND OR NOT", "battery*", "e-bike (recall", 'say "battery connector" now', "NEAR(", ""]:
            store.search(q)
        assert fts_query('say "battery connector"') == '"say" "battery connector"'
        assert store.search('"battery connector"')


def test_export_jsonl_and_parquet(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.ingest([str(EXAMPLES)])
        from newsfuse.store.export import export

        assert export(store, str(tmp_path / "a.jsonl"), what="articles") == 8
        rows = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
        assert sum(1 for r in rows if r["duplicate_of"]) == 1 and all(r["story_id"] for r in rows)
        assert export(store, str(tmp_path / "c.jsonl"), what="claims") > 10
        pq = pytest.importorskip("pyarrow.parquet")
        assert export(store, str(tmp_path / "s.parquet"), fmt="parquet", what="stories") == 2
        assert pq.read_table(tmp_path / "s.parquet").num_rows == 2


def test_commands(run, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    assert run("ingest", EXAMPLES, "--db", db).exit_code == 0
    listed = run("stories", "--db", db, "--format", "json", "--min-sources", "2")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [r["sources"] for r in rows] == [5, 2] or sorted(r["sources"] for r in rows) == [2, 5]
    shown = run("show", rows[0]["id"], "--db", db)
    assert shown.exit_code == 0 and shown.stdout.startswith("# ")
    found = run("search", "Marisol", "--db", db)
    assert found.exit_code == 0 and "[Marisol]" in found.stdout
    assert run("show", "nope", "--db", db).exit_code == 2
    assert run("stories", "--db", str(tmp_path / "missing.db")).exit_code == 2


# ---------------------------------------------------------------------------
# Faults and concurrency


def _ecb_parts(tmp_path: Path, parts: int, seed: int) -> list[Path]:
    rows = [json.loads(line) for line in open(need(DATA) / "ecbplus-dev.jsonl", encoding="utf-8")]
    random.Random(seed).shuffle(rows)
    paths = []
    for k in range(parts):
        p = tmp_path / f"part{k}.jsonl"
        p.write_text("".join(json.dumps(r) + "\n" for r in rows[k::parts]), encoding="utf-8")
        paths.append(p)
    return paths


def _ingest_process(db: Path, inputs: list[Path], batch_size: int) -> subprocess.Popen:
    code = ("import sys; from newsfuse.store import Store; "
            "Store(sys.argv[1]).ingest(sys.argv[3:], batch_size=int(sys.argv[2]))")
    return subprocess.Popen([sys.executable, "-c", code, str(db), str(batch_size), *map(str, inputs)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _committed(db: Path) -> int:
    try:
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5) as c:
            return c.execute("SELECT count(*) FROM batches WHERE finished IS NOT NULL").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_killed_mid_ingest_then_rerun(tmp_path: Path) -> None:
    inputs = _ecb_parts(tmp_path, 1, seed=1)
    db = tmp_path / "k.db"
    proc = _ingest_process(db, inputs, batch_size=40)
    deadline = time.time() + 240
    while _committed(db) < 2 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest finished before it could be killed: use more input"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        batches = store.conn.execute("SELECT id, summary FROM batches").fetchall()
        assert all(summary for _, summary in batches)  # no half-written batch
        stored = store.counts()["articles"]
        assert stored == sum(json.loads(s)["new"] for _, s in batches) and stored % 40 == 0
        assert store.conn.execute("SELECT count(*) FROM memberships").fetchone()[0] == stored
        report = store.ingest([str(p) for p in inputs], batch_size=40)
        assert report.already_stored == stored
        total = store.counts()["articles"]
    assert total == len({json.loads(line)["id"] for line in inputs[0].read_text().splitlines()})


def test_readers_see_consistent_data_during_an_ingest(tmp_path: Path) -> None:
    inputs = _ecb_parts(tmp_path, 1, seed=2)
    db = tmp_path / "r.db"
    with Store(db) as store:
        store.counts()  # schema first (a store's file is made at its first use)
    proc = _ingest_process(db, inputs, batch_size=30)
    problems: list[str] = []
    seen: list[int] = []

    def reader() -> None:
        with Store(db, readonly=True) as store:
            while proc.poll() is None:
                c = store.conn
                c.execute("BEGIN")
                articles = c.execute("SELECT count(*) FROM articles").fetchone()[0]
                members = c.execute("SELECT count(*) FROM memberships").fetchone()[0]
                in_stories = c.execute("SELECT coalesce(sum(articles), 0) FROM stories").fetchone()[0]
                c.execute("COMMIT")
                if not articles == members == in_stories:
                    problems.append(f"{articles} articles, {members} memberships, {in_stories} in stories")
                seen.append(articles)
                time.sleep(0.01)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    proc.wait(timeout=600)
    for t in threads:
        t.join()
    assert proc.returncode == 0 and problems == []
    assert len(set(seen)) > 2  # the readers did see the store grow


def test_ten_batches_out_of_time_order_cluster_like_the_batch_run(tmp_path: Path) -> None:
    parts = _ecb_parts(tmp_path, 10, seed=3)
    gold = {r["id"]: r["gold"] for p in parts for r in map(json.loads, p.read_text().splitlines())}
    with Store(tmp_path / "e.db") as store:
        for p in parts:
            store.ingest([str(p)])
        stored = dict(store.conn.execute("SELECT article_id, story_id FROM memberships"))
    batch = Pipeline().cluster(read(str(DATA / "ecbplus-dev.jsonl"))).story_of
    f_store, f_batch = bcubed(stored, gold).f1, bcubed(batch, gold).f1
    assert f_store >= f_batch - 0.02, (f_store, f_batch)


def test_model_state_is_learned_again_after_a_reopen(tmp_path: Path) -> None:
    """Between saves of the models' state, a reopened store learns the committed batches
    again: the stories come out as in one uninterrupted session."""
    import newsfuse

    parts = [newsfuse.clean_batch(newsfuse.read([str(p)])) for p in (EXAMPLES / "ferry", EXAMPLES / "recall", need(SEEDS))]
    with Store(tmp_path / "one.db") as one:
        for p in parts:
            one.add(p)
        expected = dict(one.conn.execute("SELECT article_id, story_id FROM memberships"))
    with Store(tmp_path / "two.db") as two:
        two.add(parts[0])
        two.add(parts[1])  # not saved: add() leaves saving to ingest() or save_model()
        assert two.conn.execute("SELECT count(*) FROM model_state").fetchone()[0] == 0
    with Store(tmp_path / "two.db") as two:
        two.add(parts[2])
        two.save_model()
        got = dict(two.conn.execute("SELECT article_id, story_id FROM memberships"))
        assert two.conn.execute("SELECT batch FROM model_state").fetchone()[0] == 3
    assert got == expected


def test_a_grown_story_parses_only_its_new_reports(tmp_path: Path, monkeypatch) -> None:
    import newsfuse.analyse as analyse

    parsed: list[str] = []
    real = analyse._read_job
    monkeypatch.setattr(analyse, "_read_job", lambda job: parsed.append(job[0][:40]) or real(job))
    rows = [json.loads(line) for line in (EXAMPLES / "recall" / "voltra-recall.jsonl").read_text().splitlines()]
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(json.dumps(rows[0]) + "\n" + json.dumps(rows[1]) + "\n")
    third = dict(rows[0], id="third", url="https://third.example/v", source="Third",
                 text=rows[0]["text"].replace("48,000", "about 48,000"))
    second.write_text(json.dumps(third) + "\n")
    with Store(tmp_path / "g.db") as store:
        store._analyzer().workers = 1  # parse in this process, where the patch applies
        store.ingest([str(first)])
        [story] = store.stories()
        store.brief(story.id)
        assert len(parsed) == 2
        store.ingest([str(second)])
        [grown] = [s for s in store.stories() if s.articles == 3]
        store.brief(grown.id)
        assert len(parsed) == 3  # the two stored reports were not parsed again
        assert store.conn.execute("SELECT count(*) FROM analyses").fetchone()[0] == len(parsed)
