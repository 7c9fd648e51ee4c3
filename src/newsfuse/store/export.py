"""Export from the store: articles, stories or claims, as JSON Lines or Parquet.

Rows are flat (lists as JSON arrays in JSONL, list columns in Parquet) so that
pandas, DuckDB and Polars read them as they are. Parquet needs pyarrow
(``pip install pyarrow``; ``make test`` installs it).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..outputs import atomic_file, atomic_path, check_file

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


def export(store: Store, path: str | os.PathLike[str], *, fmt: str = "jsonl", what: str = "articles") -> int:
    """Write ``what`` to ``path``; returns the number of rows.

    ``path`` is checked before any row is read (:class:`~newsfuse.outputs.OutputError`)
    and written atomically: an export that fails or is interrupted leaves the
    file that was there before (or none), never a truncated one."""
    if fmt not in ("jsonl", "parquet"):
        raise ValueError(f"unknown format {fmt!r}: jsonl or parquet")
    if what not in WHAT:
        raise ValueError(f"unknown export {what!r}: articles, stories or claims")
    check_file(path)
    if fmt == "jsonl":
        return _write_jsonl(rows(store, what), path)
    return _write_parquet(rows(store, what), path)


WHAT = ("articles", "stories", "claims")


class NoStore(FileNotFoundError):
    """The store file to export from does not exist."""


def export_db(db: str | os.PathLike[str], path: str | os.PathLike[str], *, fmt: str = "jsonl",
              what: str = "articles") -> int:
    """:func:`export` from the store file ``db``, which must exist: opening a
    missing one would create an empty store (and export nothing)."""
    from . import Store

    if not Path(db).is_file():
        raise NoStore(f"no store at {db}")
    with Store(db, readonly=True) as store:  # an export only reads: a read-only store is exported too
        return export(store, path, fmt=fmt, what=what)


def _write_jsonl(items: Iterable[dict[str, Any]], path: str | os.PathLike[str]) -> int:
    n = 0
    with atomic_file(path) as f:
        for row in items:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def _write_parquet(items: Iterable[dict[str, Any]], path: str | os.PathLike[str]) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise RuntimeError("Parquet export needs pyarrow: pip install pyarrow") from None
    table = pa.Table.from_pylist(list(items))
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)
    return table.num_rows
