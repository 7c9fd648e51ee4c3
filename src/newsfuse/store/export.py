"""Export from the store: articles, stories or claims, as JSON Lines or Parquet.

Rows are flat (lists as JSON arrays in JSONL, list columns in Parquet) so that
pandas, DuckDB and Polars read them as they are. Parquet needs pyarrow
(``pip install pyarrow``; ``make test`` installs it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Store


def rows(store: Store, what: str) -> Iterator[dict[str, Any]]:
    if what == "articles":
        yield from store.articles()
    elif what == "stories":
        for s in store.story_rows():
            yield {"story_id": s.pop("id"), **s}
    elif what == "claims":
        yield from _claims(store)
    else:
        raise ValueError(f"unknown export {what!r}: articles, stories or claims")


def _claims(store: Store) -> Iterator[dict[str, Any]]:
    """Each claim of each story of two or more articles, its sources as article ids."""
    for s in store.stories():
        if s.articles < 2:
            continue
        brief = store.brief(s.id)
        ids = {src.id: src.article_id for src in brief.sources}
        for c in brief.claims:
            yield {"story_id": s.id, "text": c.text, "independent_support": c.independent_support,
                   "sources": [ids[n] for n in c.sources]}
        for lone in brief.single_source:
            yield {"story_id": s.id, "text": lone.text, "independent_support": 1, "sources": [ids[lone.source]]}


def export(store: Store, path: str, *, fmt: str = "jsonl", what: str = "articles") -> int:
    """Write ``what`` to ``path``; returns the number of rows."""
    if fmt == "jsonl":
        n = 0
        with open(path, "w", encoding="utf-8") as f:
            for row in rows(store, what):
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
        return n
    if fmt == "parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise RuntimeError("Parquet export needs pyarrow: pip install pyarrow") from None
        table = pa.Table.from_pylist(list(rows(store, what)))
        pq.write_table(table, path)
        return table.num_rows
    raise ValueError(f"unknown format {fmt!r}: jsonl or parquet")
