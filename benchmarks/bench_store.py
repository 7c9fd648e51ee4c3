"""The story store: ingest throughput into an empty and a filled store, size, search latency.

Ingest is timed from files on disk to committed stories (reading, cleaning,
copies, the stream model, SQLite writes, the models' state saved). The
baseline in the same run is the stream model alone on the same articles in
memory (`Pipeline(online=True).cluster`, already read): what the store adds
is reading, cleaning and durability. Search latency is compared with a
plain `LIKE` scan of the same table.

    python benchmarks/run.py store            # 100,000 articles, then 10,000 more
    python benchmarks/bench_store.py --quick  # 10,000 then 2,000
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import save, table

import newsfuse
from newsfuse.pipeline import Pipeline
from newsfuse.store import Store

QUERIES = ["earthquake", "police arrested", "\"prime minister\"", "fire", "court ruling", "storm damage",
           "election results", "hospital", "airport", "rescue"]


def _write(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


def _search(store: Store) -> tuple[float, float]:
    """Median milliseconds of an FTS5 search and of a LIKE scan, over QUERIES."""
    fts, like = [], []
    for q in QUERIES:
        t = time.perf_counter()
        store.search(q, limit=20)
        fts.append(time.perf_counter() - t)
        word = q.strip('"').split()[0]
        t = time.perf_counter()
        store.conn.execute("SELECT id, title FROM articles WHERE text LIKE ? LIMIT 20", (f"%{word}%",)).fetchall()
        store.conn.execute("SELECT count(*) FROM articles WHERE text LIKE ?", (f"%{word}%",)).fetchone()
        like.append(time.perf_counter() - t)
    return statistics.median(fts) * 1000, statistics.median(like) * 1000


def main(quick: bool = False) -> None:
    import streams

    first, more = (10_000, 2_000) if quick else (100_000, 10_000)
    rows = list(streams.stream(first + more))
    with tempfile.TemporaryDirectory() as tmp:
        a, b, db = Path(tmp) / "a.jsonl", Path(tmp) / "b.jsonl", Path(tmp) / "store.db"
        _write(rows[:first], a)
        _write(rows[first:], b)
        del rows
        with Store(db) as store:
            t = time.perf_counter()
            store.ingest([str(a)], batch_size=5000)
            empty_s = time.perf_counter() - t
            t = time.perf_counter()
            store.ingest([str(b)], batch_size=5000)
            filled_s = time.perf_counter() - t
            counts = store.counts()
            fts_ms, like_ms = _search(store)
        size = sum(p.stat().st_size for p in Path(tmp).glob("store.db*"))
        articles = newsfuse.read(str(a))
        t = time.perf_counter()
        Pipeline(online=True).cluster(articles)
        memory_s = time.perf_counter() - t
    print(table([
        [f"ingest {first:,} into an empty store", f"{first / empty_s:,.0f} articles/s", f"{first / memory_s:,.0f}",
         f"{memory_s / empty_s:.2f}×"],
        [f"ingest {more:,} more into the filled store", f"{more / filled_s:,.0f} articles/s", "–", "–"],
        ["store size", f"{size / counts['articles'] / 1024:.1f} KiB/article", "–", "–"],
        ["search (FTS5, BM25, snippets), median", f"{fts_ms:.1f} ms", f"{like_ms:.1f} ms (LIKE scan)",
         f"{like_ms / fts_ms:.0f}× faster"],
    ], ["workload", "newsfuse store", "baseline", "ratio"]))
    print(f"\n{counts['articles']:,} articles, {counts['copies']:,} copies, {counts['stories']:,} stories, "
          f"{size / 1e6:,.0f} MB on disk")
    save("store", {"first": first, "more": more, "ingest_empty_per_s": round(first / empty_s, 1),
                   "ingest_filled_per_s": round(more / filled_s, 1), "memory_online_per_s": round(first / memory_s, 1),
                   "kib_per_article": round(size / counts["articles"] / 1024, 2), "search_ms": round(fts_ms, 2),
                   "like_scan_ms": round(like_ms, 2), **counts})


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main(quick="--quick" in sys.argv)
