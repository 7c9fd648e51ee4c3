"""The Dask engine's output directory holds one whole run: a reused directory is
refused (or replaced whole with --overwrite), a failed run leaves nothing half
written, and no readable input is an ordinary "no articles" outcome."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from newsfuse.cli import main
from newsfuse.outputs import OutputError
from newsfuse.scale import LocalExecutor, Settings, plan, run

from .test_engines import stream_file

pytest.importorskip("distributed")
from newsfuse.scale.dask import DaskExecutor


def rows(out: Path) -> pd.DataFrame:
    # the directory as one dataset: every part has the same schema, a column of nulls included
    return pd.read_parquet(out / "articles")


def siblings(out: Path) -> list[str]:
    """What sits beside ``out`` other than itself and the inputs: leftover temporary directories."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith("."))


def cli(*args: object) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[str]]:
    """A (120 articles) and SMALL (20 articles, none of them in A)."""
    root = tmp_path_factory.mktemp("inputs")
    big = stream_file(root, 140, parts=1)[0]
    lines = Path(big).read_text(encoding="utf-8").splitlines(keepends=True)
    (root / "a.jsonl").write_text("".join(lines[:120]), encoding="utf-8")
    (root / "small.jsonl").write_text("".join(lines[120:]), encoding="utf-8")
    return [str(root / "a.jsonl")], [str(root / "small.jsonl")]


def test_reused_directory_is_refused_then_replaced_whole(client, inputs, tmp_path):
    a, small = inputs
    out = tmp_path / "out"
    assert run(DaskExecutor(client), a, out, Settings(buckets=8)).articles == 120
    (out / "notes.txt").write_text("not ours", encoding="utf-8")
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    with pytest.raises(OutputError, match="not empty"):
        run(DaskExecutor(client), small, out, Settings(buckets=2))
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before  # nothing written
    assert len(rows(out)) == 120

    summary = run(DaskExecutor(client), small, out, Settings(buckets=2), overwrite=True)
    got = rows(out)
    assert summary.articles == len(got) == 20 and got["id"].is_unique  # no stale rows of the first run
    assert pd.read_parquet(out / "stories")["articles"].sum() == 20
    assert len(list((out / "articles").glob("*.parquet"))) == 2
    assert not (out / "notes.txt").exists()
    saved = json.loads((out / "summary.json").read_text())
    assert saved["articles"] == 20 and saved["out"] == str(out)
    assert siblings(out) == []


def test_an_empty_directory_is_used(inputs, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert run(LocalExecutor(), inputs[1], out, Settings(buckets=2)).articles == len(rows(out)) == 20


def test_a_failed_run_leaves_the_old_output_or_none(inputs, tmp_path, monkeypatch):
    a, small = inputs
    kept, fresh = tmp_path / "kept", tmp_path / "fresh"
    run(LocalExecutor(), small, kept, Settings(buckets=2))

    def fail(*args: object) -> int:  # the article parts are written; the story table is not
        raise RuntimeError("disk full")

    monkeypatch.setattr(plan, "_write_stories", fail)
    for out in (kept, fresh):
        with pytest.raises(RuntimeError, match="disk full"):
            run(LocalExecutor(), a, out, Settings(buckets=3), overwrite=True)
    assert len(rows(kept)) == 20 and (kept / "summary.json").exists()
    assert not fresh.exists()
    assert siblings(kept) == []


def test_a_second_writer_that_fills_the_directory_meanwhile_wins(inputs, tmp_path, monkeypatch):
    out = tmp_path / "out"
    write = plan._write_stories

    def other_writer_first(frame: pd.DataFrame, path: str) -> int:
        out.mkdir(exist_ok=True)
        (out / "theirs.txt").write_text("the other run", encoding="utf-8")
        return write(frame, path)

    monkeypatch.setattr(plan, "_write_stories", other_writer_first)
    with pytest.raises(OutputError, match="another run") as e:
        run(LocalExecutor(), inputs[1], out, Settings(buckets=2))
    assert [p.name for p in out.iterdir()] == ["theirs.txt"]  # untouched, not mixed
    kept = Path(str(e.value).rsplit(" ", 1)[-1])  # the finished run is kept beside it, and named
    assert len(rows(kept)) == 20


@pytest.mark.parametrize("target", ["file", "missing-parent", "full"])
def test_cli_checks_the_directory_before_any_work(tmp_path, target):
    out = {"file": tmp_path / "out.txt", "missing-parent": tmp_path / "no" / "out", "full": tmp_path / "full"}[target]
    if target == "file":
        out.write_text("x", encoding="utf-8")
    if target == "full":
        out.mkdir()
        (out / "keep.txt").write_text("x", encoding="utf-8")
    before = sorted(tmp_path.rglob("*"))
    # an input that does not exist: had the run started, its skip line would show
    result = cli("cluster", tmp_path / "missing.jsonl", "--engine", "dask", "--workers", 1, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ") and str(out) in result.stderr
    assert sorted(tmp_path.rglob("*")) == before


def test_cli_overwrite_replaces_the_directory_for_a_later_read(client, inputs, tmp_path):
    _, small = inputs
    five = tmp_path / "five.jsonl"
    five.write_text("".join(Path(small[0]).read_text(encoding="utf-8").splitlines(keepends=True)[:5]), encoding="utf-8")
    out = tmp_path / "out"
    on = ("--engine", "dask", "--scheduler", client.scheduler.address, "-o", out)
    assert cli("cluster", *small, *on).exit_code == 0
    (out / "notes.txt").write_text("not ours", encoding="utf-8")
    refused = cli("cluster", five, *on)
    assert refused.exit_code == 1 and "--overwrite" in refused.stderr and len(rows(out)) == 20
    replaced = cli("cluster", five, *on, "--overwrite")
    assert replaced.exit_code == 0, replaced.output
    assert len(rows(out)) == 5 and not (out / "notes.txt").exists()
    again = cli("cluster", out / "articles")  # what a later `ingest out/articles` reads
    assert again.exit_code == 0 and len(again.stdout.splitlines()) == 5


def test_cli_no_readable_input_on_dask(client, tmp_path):
    """Missing, broken and binary inputs: each reported, then "no articles", exit 1 as the single engine."""
    (tmp_path / "bad.jsonl").write_text("{broken\n", encoding="utf-8")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 8)
    inputs = [tmp_path / "missing.jsonl", tmp_path / "bad.jsonl", tmp_path / "blob.txt"]
    single = cli("cluster", *inputs)
    for only in (inputs, inputs[:1]):  # with a partition to read, and with none
        out = tmp_path / f"out-{len(only)}"
        result = cli("cluster", *only, "--engine", "dask", "--scheduler", client.scheduler.address, "-o", out)
        assert result.exit_code == single.exit_code == 1, result.output
        skipped = [line for line in result.stderr.splitlines() if line.startswith("newsfuse: skipped ")]
        assert len(skipped) == len(only) and f"skipped {only[0]}:" in skipped[0]
        assert "no articles read" in result.stderr and "Traceback" not in result.output
        assert rows(out).empty and pd.read_parquet(out / "stories").empty



def test_rows_of_one_id_and_other_content_are_both_kept_as_in_one_process(tmp_path):
    from newsfuse.pipeline import Pipeline

    given = [{"id": "x1", "title": "Ferry runs aground", "text": "The ferry ran aground near the harbour on Thursday."},
            {"id": "x1", "title": "Budget passed", "text": "The council voted the budget on Friday after a debate."},
            {"id": "x1", "title": "Ferry runs aground", "text": "The ferry ran aground near the harbour on Thursday."},
            {"id": "x2", "title": "Storm", "text": "A storm closed the port on Monday, the harbour master said."}]
    for k in range(2):  # in one file, and spread over two files (partitions)
        paths = [tmp_path / f"in{k}-{j}.jsonl" for j in range(k + 1)]
        for j, path in enumerate(paths):
            path.write_text("".join(json.dumps(r) + "\n" for r in given[j::len(paths)]), encoding="utf-8")
        out = tmp_path / f"out{k}"
        summary = run(LocalExecutor(), [str(p) for p in paths], out, Settings(buckets=2))
        expected = sorted({a.id for a in Pipeline().read([str(p) for p in paths])})
        assert summary.articles == 3 and sorted(rows(out)["id"]) == expected
        assert len(expected) == 3 and any(i.startswith("x1~") for i in expected)
