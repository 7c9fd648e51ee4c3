"""Reading a file in parts (JSONL byte ranges, Parquet row groups) gives what reading it whole gives."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsfuse
from newsfuse.model import Problem
from newsfuse.read import (
    ReadError,
    ReadOptions,
    expand,
    iter_read,
    iter_read_parquet,
    iter_read_range,
    parquet_row_groups,
    split_jsonl,
)

TEXT = "The harbour master said the ferry would sail again on Monday after the inspection."


def row(i: int, **more) -> dict:
    return {"id": f"a{i}", "title": f"Ferry report number {i}", "text": f"{TEXT} Report {i}.", **more}


def whole(path, **opts) -> tuple[list, list[Problem]]:
    problems: list[Problem] = []
    articles = list(iter_read(path, options=ReadOptions(**opts), on_problem=problems.append))
    return articles, problems


def in_parts(path, target: int, **opts) -> tuple[list, list[Problem]]:
    problems: list[Problem] = []
    articles = []
    for start, end, first in split_jsonl(path, target):
        articles += iter_read_range(path, start, end, first, options=ReadOptions(**opts), on_problem=problems.append)
    return articles, problems


def key(articles) -> list[tuple]:
    return [(a.id, a.origin, a.text, a.title, a.published, a.source, a.raw) for a in articles]


def check_ranges(path: Path, parts: list[tuple[int, int, int]]) -> None:
    data = path.read_bytes()
    assert parts[0][0] == 0 and parts[-1][1] == len(data)
    for (s, e, first), nxt in zip(parts, parts[1:] + [None]):
        assert s < e or len(data) == 0
        assert s == 0 or data[s - 1 : s] == b"\n"
        assert first == data[:s].count(b"\n") + 1
        if nxt:
            assert nxt[0] == e


def varied_jsonl(tmp_path: Path) -> Path:
    lines = [
        json.dumps(row(1)),
        "",
        "   ",
        json.dumps(row(2, published="2025-03-06T10:00:00Z", source="Coastal Herald")),
        '{"id": "broken", "text": ',  # bad JSON
        json.dumps(row(3, title="Fähre läuft auf Grund – «Marisol Star» 🚢"), ensure_ascii=False),
        json.dumps(row(4, text=("A very long report. " * 3000) + TEXT)),
        json.dumps({"id": "x", "url": "https://example.org"}),  # not an article
        "[1, 2]",
        json.dumps(row(5), ensure_ascii=False),
    ]
    path = tmp_path / "varied.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("target", [1, 7, 64, 500, 10_000, 1 << 30])
def test_jsonl_in_parts_equals_whole(tmp_path: Path, target: int) -> None:
    path = varied_jsonl(tmp_path)
    parts = split_jsonl(path, target)
    check_ranges(path, parts)
    if target == 1:
        assert len(parts) == path.read_bytes().count(b"\n")  # one part per line
    a_whole, p_whole = whole(path)
    a_parts, p_parts = in_parts(path, target)
    assert len(a_whole) == 5 and len(p_whole) == 3
    assert key(a_parts) == key(a_whole)
    assert p_parts == p_whole
    assert any(p.item == f"{path}:5" and "invalid JSON" in p.reason for p in p_parts)


def test_jsonl_in_parts_oversized_line_and_no_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    lines = [json.dumps(row(1)), json.dumps(row(2, text="x" * 5000)), json.dumps(row(3))]
    path.write_text("\n".join(lines), encoding="utf-8")  # no newline at the end
    for target in (1, 100, 3000):
        assert in_parts(path, target, max_bytes=2000) == whole(path, max_bytes=2000)
    _, problems = whole(path, max_bytes=2000)
    assert [p.item for p in problems] == [f"{path}:2"]


def test_files_read_whole_are_one_part(tmp_path: Path) -> None:
    gz = tmp_path / "a.jsonl.gz"
    gz.write_bytes(gzip.compress(("\n".join(json.dumps(row(i)) for i in range(20)) + "\n").encode()))
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.jsonl"
    blank.write_bytes(b"\n" * 100)
    page = tmp_path / "page.txt"
    page.write_text(f"A title\n\n{TEXT}\n\n{TEXT}\n")
    for path in (gz, empty, blank, page):
        parts = split_jsonl(path, 10)
        assert parts == [(0, path.stat().st_size, 1)]
        assert in_parts(path, 10) == whole(path)
    assert len(whole(gz)[0]) == 20
    with pytest.raises(ValueError):
        list(iter_read_range(page, 5, 10, 2))


def test_split_jsonl_streams_large_files_quickly(tmp_path: Path) -> None:
    path = tmp_path / "large.jsonl"
    line = json.dumps(row(0)) + "\n"
    n = 100_000  # ~13 MB: several scan chunks
    path.write_bytes(line.encode() * n)
    parts = split_jsonl(path, 1 << 20)
    check_ranges(path, parts)
    assert len(parts) == pytest.approx(path.stat().st_size / (1 << 20), abs=1)
    assert parts[-1][2] == n - (parts[-1][1] - parts[-1][0]) // len(line) + 1


lines_strategy = st.lists(
    st.one_of(
        st.builds(lambda i, t: json.dumps(row(i, text=t), ensure_ascii=False),
                  st.integers(0, 99), st.text(min_size=0, max_size=80)),
        st.sampled_from(["", " ", "{", "null", '{"title": "Only a headline here"}', "\t"]),
        st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30).filter(lambda s: "\n" not in s),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(lines=lines_strategy, target=st.integers(1, 600), final_newline=st.booleans())
def test_property_parts_equal_whole(tmp_path: Path, lines: list[str], target: int, final_newline: bool) -> None:
    path = tmp_path / "prop.jsonl"
    data = "{}\n" + "\n".join(lines) + ("\n" if final_newline else "")  # starts like JSONL
    path.write_text(data, encoding="utf-8")
    parts = split_jsonl(path, target)
    check_ranges(path, parts)
    a_whole, p_whole = whole(path)
    a_parts, p_parts = in_parts(path, target)
    assert key(a_parts) == key(a_whole)
    assert p_parts == p_whole


# --- Parquet -------------------------------------------------------------------------

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ROWS = [
    {
        "id": f"p{i}",
        "title": f"Ferry report number {i}",
        "text": f"{TEXT} Report {i}, with «quotes» and ü.",
        "published": datetime(2025, 3, 6, 8 + i % 10, i % 60, tzinfo=timezone.utc),
        "source": ["Coastal Herald", "Daily Meridian", "NWS"][i % 3],
        "tags": ["ferry", f"t{i}"],
    }
    for i in range(25)
]


def write_parquet(path: Path, rows: list[dict], row_group_size: int = 10) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=row_group_size)
    return path


def as_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps({**r, "published": r["published"].isoformat()}) for r in rows) + "\n")
    return path


def test_parquet_reads_like_jsonl(tmp_path: Path) -> None:
    pq_path = write_parquet(tmp_path / "a.parquet", ROWS)
    problems: list[Problem] = []
    from_pq = newsfuse.read(pq_path, on_problem=problems.append)
    from_jsonl = newsfuse.read(as_jsonl(tmp_path / "a.jsonl", ROWS))
    assert not problems and len(from_pq) == len(ROWS)

    def fields(a):
        return (a.id, a.text, a.title, a.published, a.published_via, a.source, a.extra)

    assert [fields(a) for a in from_pq] == [fields(a) for a in from_jsonl]
    assert [a.origin for a in from_pq] == [f"{pq_path}:{i}" for i in range(1, len(ROWS) + 1)]
    assert from_pq[0].published == datetime(2025, 3, 6, 8, 0, tzinfo=timezone.utc)
    assert json.loads(from_pq[0].raw)["id"] == "p0"
    assert newsfuse.read(pq_path, options=ReadOptions(keep_raw=False))[0].raw is None


def test_parquet_row_groups_in_parts(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "a.pq", ROWS, row_group_size=10)
    assert parquet_row_groups(path) == [10, 10, 5]
    whole_ = list(iter_read(path))
    parts = [a for g in (2, 0, 1) for a in iter_read_parquet(path, [g])]
    assert sorted(key(parts), key=lambda k: int(k[1].rsplit(":", 1)[1])) == key(whole_)
    assert key(list(iter_read_parquet(path, [0, 1, 2]))) == key(whole_)
    assert key(list(iter_read_parquet(path, None))) == key(whole_)
    assert [a.origin for a in iter_read_parquet(path, [2])] == [f"{path}:{i}" for i in range(21, 26)]


def test_parquet_odd_columns(tmp_path: Path) -> None:
    from datetime import date
    from decimal import Decimal

    rows = [{"headline": "Ferry aground", "maintext": TEXT, "date_publish": date(2025, 3, 6),
             "crawled": datetime(2025, 3, 7, 1, 2, 3), "score": Decimal("1.50"), "blob": b"abc",
             "meta": {"k": [1, 2]}}]
    path = tmp_path / "odd.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    [a] = newsfuse.read(path)
    assert a.title == "Ferry aground" and a.published == datetime(2025, 3, 6, tzinfo=timezone.utc)  # as from a JSON "2025-03-06"
    assert a.extra == {"crawled": "2025-03-07T01:02:03", "score": 1.5, "blob": "abc", "meta": {"k": [1, 2]}}
    json.dumps(a.to_dict())  # still JSON-ready


def test_corrupt_parquet_is_one_problem(tmp_path: Path) -> None:
    write_parquet(tmp_path / "good.parquet", ROWS[:3])
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 this is not really parquet PAR1")
    good = (tmp_path / "good.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(good[: len(good) // 2])
    as_jsonl(tmp_path / "b.jsonl", ROWS[3:5])
    assert {Path(p).name for p in expand(tmp_path)} == {"good.parquet", "bad.parquet", "cut.parquet", "b.jsonl"}
    problems: list[Problem] = []
    articles = newsfuse.read(tmp_path, on_problem=problems.append)
    assert sorted(a.id for a in articles) == ["p0", "p1", "p2", "p3", "p4"]
    assert sorted(Path(p.item).name for p in problems) == ["bad.parquet", "cut.parquet"]
    assert all("Parquet" in p.reason for p in problems)
    problems.clear()
    assert list(iter_read_parquet(tmp_path / "bad.parquet", None, on_problem=problems.append)) == []
    assert len(problems) == 1
    with pytest.raises(ReadError):
        parquet_row_groups(tmp_path / "bad.parquet")


def test_parquet_without_pyarrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    path = write_parquet(tmp_path / "a.parquet", ROWS[:2])
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    problems: list[Problem] = []
    assert newsfuse.read(path, on_problem=problems.append) == []
    assert [p.reason for p in problems] == ["reading Parquet needs pyarrow: pip install newsfuse[parquet]"]
