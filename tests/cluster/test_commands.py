"""`newsfuse cluster` and `newsfuse eval clustering`."""

from __future__ import annotations

import json

import pytest

from ..conftest import EXAMPLES
from .conftest import ECB


@pytest.mark.parametrize("online", [[], ["--online"]])
def test_cluster_examples(run, online) -> None:
    result = run("cluster", EXAMPLES, *online)
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 8 and all(set(r) == {"id", "story_id", "duplicate_of"} for r in rows)
    assert len({r["story_id"] for r in rows}) == 2
    copies = [r for r in rows if r["duplicate_of"]]
    assert len(copies) == 1
    story = {r["id"]: r["story_id"] for r in rows}
    assert story[copies[0]["id"]] == story[copies[0]["duplicate_of"]]
    assert "2 stories (2 with two or more), 1 copy" in result.stderr


def test_cluster_keeps_input_ids_and_writes_a_file(run, tmp_path) -> None:
    src = tmp_path / "in.jsonl"
    rows = [{"id": "x1", "title": "Quake hits Lorvia", "text": "An earthquake struck Lorvia on Monday."},
            {"id": "x2", "title": "Lorvia quake", "text": "Houses fell in Lorvia when the earthquake struck."},
            "not an object"]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n")
    out = tmp_path / "out.jsonl"
    result = run("cluster", src, "-o", out)
    assert result.exit_code == 0
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in got] == ["x1", "x2"]
    assert "skipped" in result.stderr  # the bad rows are reported, the run goes on


def test_cluster_reports_when_nothing_is_read(run, tmp_path) -> None:
    result = run("cluster", tmp_path / "missing.txt")
    assert result.exit_code == 1 and "skipped" in result.stderr


def test_eval_with_predictions(run, tmp_path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps({"id": i, "gold": g, "text": "x"}) + "\n" for i, g in
                            [("a", 1), ("b", 1), ("c", 2), ("d", 2)]))
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps({"id": i, "story_id": s}) + "\n" for i, s in
                            [("a", "s1"), ("b", "s1"), ("c", "s1"), ("d", "s2")]))
    result = run("eval", "clustering", gold, "--pred", pred, "--format", "json")
    scores = json.loads(result.stdout)
    assert scores["pairwise"] == {"precision": 0.3333, "recall": 0.5, "f1": 0.4}
    assert scores["items"] == 4 and scores["missing"] == 0 and scores["predicted_clusters"] == 2
    text = run("eval", "clustering", gold, "--pred", pred).stdout
    assert "bcubed" in text and "pairwise" in text and "F1" in text


def test_eval_clusters_gold_itself(run) -> None:
    if not ECB.exists():
        pytest.skip("needs ../shared")
    scores = json.loads(run("eval", "clustering", ECB, "--format", "json").stdout)
    assert scores["items"] == 462 and scores["missing"] == 0
    assert scores["bcubed"]["f1"] >= 0.95


def test_eval_rejects_a_file_without_gold(run, tmp_path) -> None:
    f = tmp_path / "nogold.jsonl"
    f.write_text(json.dumps({"id": "a", "text": "x"}) + "\n")
    from click.testing import CliRunner

    from newsfuse.cli import main

    result = CliRunner().invoke(main, ["eval", "clustering", str(f)])
    assert result.exit_code == 2 and "no rows with both an id and a gold field" in result.output
