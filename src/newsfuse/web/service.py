"""The server's access to the store: read-only connections, and briefs served from caches.

Reads go through a read-only :class:`~newsfuse.store.Store` per request thread
(SQLite in WAL mode: readers never wait for the writer, nor see half a batch;
one connection per thread needs no lock, and keeps its page cache warm).

A brief is looked up in three places, cheapest first: this process's memory
(by story version), the store's brief cache (the same table ``newsfuse show``
fills), and only then the worker process (:mod:`.worker`), which makes it
and caches it in the store. The brief cache is read here directly rather than
through ``Store.brief``: that method makes a missing brief in the calling
process, and the server process must never analyse (it would fork from a
threaded process).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..brief.model import Brief
from ..store import Store
from .worker import Worker

MEMORY_BRIEFS = 64  # briefs kept in memory (the store's cache holds them all)
BRIEF_TIMEOUT = 600.0  # seconds a request waits at most for a brief being made


class Pending(Exception):
    """The brief is being made; ask again shortly."""


@dataclass(slots=True)
class Ready:
    brief: Brief
    version: str
    made: bool  # made by the worker for this request (not from a cache)


class Service:
    """Read-only store access and briefs, for the request handlers (thread-safe)."""

    def __init__(self, db_path: str | Path, *, cache_briefs: bool = True) -> None:
        self.db_path = Path(db_path)
        self.worker = Worker(self.db_path, cache_briefs=cache_briefs)
        self._local = threading.local()
        self._stores: list[Store] = []  # every thread's, to close them all at shutdown
        self._memory: OrderedDict[tuple[str, str], Brief] = OrderedDict()
        self._lock = threading.Lock()

    def store(self) -> Store:
        """This thread's read-only store."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.db_path, readonly=True)
            with self._lock:
                self._stores.append(store)
        return store

    def version(self, story_id: str) -> str | None:
        row = self.store().conn.execute("SELECT version FROM stories WHERE id = ?", (story_id,)).fetchone()
        return row[0] if row else None

    def brief(self, story_id: str, *, wait: float | None = BRIEF_TIMEOUT) -> Ready:
        """The brief of a story: KeyError if there is no such story, :class:`Pending` if it is
        still being made after ``wait`` seconds (the job goes on)."""
        version = self.version(story_id)
        if version is None:
            raise KeyError(story_id)
        key = (story_id, version)
        with self._lock:
            brief = self._memory.get(key)
            if brief is not None:
                self._memory.move_to_end(key)
                return Ready(brief, version, made=False)
        brief = self._from_store(story_id, version)
        made = brief is None
        if brief is None:
            try:
                made_version, data, texts = self.worker.brief(story_id, version).result(timeout=wait)
            except FutureTimeout:
                raise Pending(story_id) from None
            brief = Brief.from_dict(data)
            brief.texts = {int(n): t for n, t in texts.items()}
            key = (story_id, made_version)
        self._remember(key, brief)
        return Ready(brief, key[1], made=made)

    def _from_store(self, story_id: str, version: str) -> Brief | None:
        """The brief from the store's cache, if it holds one of this version."""
        conn = self.store().conn
        row = conn.execute("SELECT brief FROM briefs WHERE story_id = ? AND version = ?", (story_id, version)).fetchone()
        if row is None:
            return None
        brief = Brief.from_dict(json.loads(row[0]))
        ids = [s.article_id for s in brief.sources]
        texts = dict(conn.execute(f"SELECT id, text FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids))
        brief.texts = {s.id: texts.get(s.article_id, "") for s in brief.sources}
        return brief

    def _remember(self, key: tuple[str, str], brief: Brief) -> None:
        with self._lock:
            self._memory[key] = brief
            self._memory.move_to_end(key)
            while len(self._memory) > MEMORY_BRIEFS:
                self._memory.popitem(last=False)

    def forget(self) -> None:
        """Drop the briefs kept in memory (the store's cache stays): for benchmarks and tests."""
        with self._lock:
            self._memory.clear()

    def languages(self, story_ids: list[str]) -> dict[str, list[str]]:
        """The languages of each story's articles."""
        if not story_ids:
            return {}
        out: dict[str, set[str]] = {}
        for i in range(0, len(story_ids), 500):
            chunk = story_ids[i : i + 500]
            sql = ("SELECT m.story_id, a.language FROM memberships m JOIN articles a ON a.id = m.article_id "
                   f"WHERE m.story_id IN ({','.join('?' * len(chunk))}) AND a.language IS NOT NULL")
            for sid, lang in self.store().conn.execute(sql, chunk):
                out.setdefault(sid, set()).add(lang)
        return {sid: sorted(langs) for sid, langs in out.items()}

    def ingest(self, sources: list[str], timeout: float = BRIEF_TIMEOUT) -> dict[str, Any]:
        return self.worker.ingest(sources).result(timeout=timeout)

    def close(self) -> None:
        self.worker.close()
        with self._lock:
            stores, self._stores = self._stores, []
        for store in stores:
            store.close()
        self._local = threading.local()
