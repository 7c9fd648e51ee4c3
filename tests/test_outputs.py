"""Outputs are whole or absent: every -o is checked before any work, every file
is written atomically, and `export` never creates the store it reads.

(The Dask engine's output directory: tests/scale/test_outputs.py.)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsfuse import cli as cli_module
from newsfuse.outputs import OutputError, atomic_dir, atomic_file, atomic_path, check_dir, check_file
from newsfuse.store import export as export_module

from .conftest import EXAMPLES


def leftovers(directory: Path) -> list[str]:
    """Temporary files or directories an atomic write left behind (their names start with a dot)."""
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


def one_error_line(result) -> bool:  # type: ignore[no-untyped-def]
    return result.exit_code != 0 and result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")


# --- the module -----------------------------------------------------------------------------


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_file(target) as f:
        f.write("new, but only half of it")
        raise RuntimeError("killed midway")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert leftovers(tmp_path) == []
    with atomic_file(target) as f:
        f.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n" and leftovers(tmp_path) == []


def test_a_device_or_pipe_is_written_in_place_never_replaced(run, tmp_path):
    """`-o /dev/null` or a named pipe: renamed over, the device would become a plain file."""
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def read_while(write) -> bytes:  # type: ignore[no-untyped-def]
        got: list[bytes] = []
        reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
        reader.start()
        write()
        reader.join(30)
        return got[0]

    def direct() -> None:
        with atomic_file(fifo) as f:
            f.write("whole")

    assert read_while(direct) == b"whole"
    results = []
    out = read_while(lambda: results.append(run("clean", EXAMPLES / "ferry" / "nws-wire.txt", "-o", fifo)))
    assert results[0].exit_code == 0 and b"Marisol" in out
    assert stat.S_ISFIFO(fifo.stat().st_mode) and leftovers(tmp_path) == []


def test_a_new_file_gets_the_ordinary_mode_and_a_replaced_one_keeps_its_own(tmp_path):
    fresh, existing = tmp_path / "fresh", tmp_path / "existing"
    existing.write_text("x", encoding="utf-8")
    existing.chmod(0o640)
    for target in (fresh, existing):
        with atomic_path(target) as tmp:
            tmp.write_text("y", encoding="utf-8")
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    assert existing.stat().st_mode & 0o777 == 0o640


def test_paths_that_cannot_be_outputs(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    with pytest.raises(OutputError, match="is a directory"):
        check_file(tmp_path / "full")
    with pytest.raises(OutputError, match="does not exist"):
        check_file(tmp_path / "no" / "out.json")
    with pytest.raises(OutputError, match="is a file"):
        check_dir(tmp_path / "file")
    with pytest.raises(OutputError, match="not empty"):
        check_dir(tmp_path / "full")
    check_file(tmp_path / "file")  # an existing file is replaced
    check_dir(tmp_path / "empty")
    check_dir(tmp_path / "full", overwrite=True)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_directory_is_found_up_front(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="not writable"):
            check_file(locked / "out.json")
    finally:
        locked.chmod(0o700)


def test_a_directory_is_replaced_whole_or_not_at_all(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.txt").write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_dir(out, overwrite=True) as tmp:
        (tmp / "half.txt").write_text("new", encoding="utf-8")
        raise RuntimeError("killed midway")
    assert [p.name for p in out.iterdir()] == ["stale.txt"] and leftovers(tmp_path) == []
    with atomic_dir(out, overwrite=True) as tmp:
        (tmp / "new.txt").write_text("new", encoding="utf-8")
    assert [p.name for p in out.iterdir()] == ["new.txt"] and leftovers(tmp_path) == []
    assert out.stat().st_mode & 0o077  # an ordinary directory, not mkdtemp's private one


# --- the commands ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["clean", "analyze", "brief", "cluster"])
@pytest.mark.parametrize("target", ["missing-parent", "directory"])
def test_every_o_is_checked_before_any_work(run, tmp_path, command, target):
    out = tmp_path / "no" / "out.txt" if target == "missing-parent" else tmp_path
    before = sorted(tmp_path.rglob("*"))
    # the input does not exist: had the command started reading, its skip line would show
    result = run(command, tmp_path / "missing.txt", "-o", out)
    assert result.exit_code != 0 and "skipped" not in result.stderr
    assert sorted(tmp_path.rglob("*")) == before
    if target == "missing-parent":
        assert one_error_line(result) and "does not exist" in result.stderr


def test_an_interrupted_command_keeps_the_old_output(run, tmp_path, monkeypatch):
    target = tmp_path / "clean.txt"
    target.write_text("old\n", encoding="utf-8")
    real = cli_module.render_text

    def fail_on_the_second(a, n, explain):  # type: ignore[no-untyped-def]
        if n == 2:
            raise KeyboardInterrupt
        return real(a, n, explain)

    monkeypatch.setattr(cli_module, "render_text", fail_on_the_second)
    assert run("clean", EXAMPLES / "ferry", "-o", target).exit_code == 1  # click: "Aborted!"
    assert target.read_text(encoding="utf-8") == "old\n" and leftovers(tmp_path) == []


def test_export_of_a_missing_store_creates_nothing(run, tmp_path):
    result = run("export", "--db", tmp_path / "none.db", "-o", tmp_path / "out.jsonl")
    assert one_error_line(result) and "no store at" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_export_checks_its_output_first(run, example_store, tmp_path):
    result = run("export", "--db", example_store, "-o", tmp_path / "no" / "out.jsonl")
    assert one_error_line(result) and "does not exist" in result.stderr


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_an_interrupted_export_leaves_the_old_file_or_none(run, example_store, tmp_path, monkeypatch, fmt):
    old, fresh = tmp_path / f"old.{fmt}", tmp_path / f"fresh.{fmt}"
    assert run("export", "--db", example_store, "--format", fmt, "-o", old).exit_code == 0
    before = old.read_bytes()
    real = export_module.rows

    def rows_then_crash(store, what):  # type: ignore[no-untyped-def]
        for i, row in enumerate(real(store, what)):
            if i == 3:
                raise KeyboardInterrupt  # the process stopped with three rows written
            yield row

    monkeypatch.setattr(export_module, "rows", rows_then_crash)
    if fmt == "parquet":  # Parquet is written from the whole table: fail inside the writer instead
        pq = pytest.importorskip("pyarrow.parquet")

        def half_written(table, where):  # type: ignore[no-untyped-def]
            Path(where).write_bytes(b"PAR1 and no more")
            raise KeyboardInterrupt

        monkeypatch.setattr(export_module, "rows", real)
        monkeypatch.setattr(pq, "write_table", half_written)
    for target in (old, fresh):
        assert run("export", "--db", example_store, "--format", fmt, "-o", target).exit_code == 1  # click: "Aborted!"
    assert old.read_bytes() == before and not fresh.exists()
    assert leftovers(tmp_path) == []


def test_export_writes_whole_files(run, example_store, tmp_path):
    out = tmp_path / "a.jsonl"
    out.write_text("stale\n" * 100, encoding="utf-8")  # longer than the export: nothing of it may remain
    assert run("export", "--db", example_store, "-o", out).exit_code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 8 and leftovers(tmp_path) == []
