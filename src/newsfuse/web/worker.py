"""Briefs and ingests made in a process of their own, never in the server's.

Why a separate process: the analysis forks worker processes (spaCy parsing,
sentence embeddings), and a web server runs threads (the event loop, the
thread pool of the request handlers). A fork copies every lock another thread
holds at that moment, and the child can wait forever on one of them. So the
server never analyses anything itself: a single *spawned* worker process (a
fresh interpreter, no threads of the server's) makes the briefs, writes them
to the store's brief cache like ``newsfuse show`` does, and hands them back.
Inside that worker the analysis forks as freely as it does in the CLI.

One worker, one job at a time: briefs of one story are made once even when
several requests ask at once (they share the job), and uploads are ingested
one after the other (SQLite has one writer anyway).

The functions at the bottom run in the worker; they import nothing of the
web stack, so the worker starts quickly.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

BriefResult = tuple[str, dict[str, Any], dict[int, str]]  # (story version, brief JSON, source texts)


class Worker:
    """The server's handle on the worker process (started on first use, restarted if it dies)."""

    def __init__(self, db_path: Path, *, cache_briefs: bool = True) -> None:
        self.db_path = Path(db_path)
        self.cache_briefs = cache_briefs
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._jobs: dict[tuple[str, str], Future[BriefResult]] = {}

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                ctx = multiprocessing.get_context("spawn")  # spawn, not fork: see the module docstring
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=_open,
                                                 initargs=(str(self.db_path), self.cache_briefs))
            return self._pool

    def _submit(self, fn: Any, *args: Any) -> Future[Any]:
        try:
            return self._executor().submit(fn, *args)
        except BrokenProcessPool:  # the worker died (killed, out of memory): start another
            with self._lock:
                self._pool = None
            return self._executor().submit(fn, *args)

    def warm(self) -> Future[float]:
        """Start the worker and load the models now, so the first brief does not wait for them."""
        return self._submit(_warm)

    def brief(self, story_id: str, version: str) -> Future[BriefResult]:
        """The brief of a story as a job; requests for the same story version share one job."""
        key = (story_id, version)
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and not (job.done() and job.exception() is not None):
                return job
        job = self._submit(_brief, story_id)
        with self._lock:
            self._jobs[key] = job
            for k in [k for k, j in self._jobs.items() if j.done() and k != key]:
                del self._jobs[k]  # finished jobs live on in the callers' caches
        return job

    def ingest(self, sources: list[str]) -> Future[dict[str, Any]]:
        return self._submit(_ingest, sources)

    def close(self, timeout: float = 30.0) -> None:
        """Stop the worker: its analysis processes first, then the worker itself."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        try:
            pool.submit(_stop_analysis).result(timeout=timeout)
        except Exception:
            log.warning("newsfuse serve: the worker did not stop its analysis processes", exc_info=True)
        pool.shutdown(wait=True, cancel_futures=True)


# ------------------------------------------------------------------ in the worker process

_STORE: Any = None


def _open(db_path: str, cache_briefs: bool) -> None:
    """Open the store once per worker: writable, to cache briefs (and ingest when allowed);
    read-only if the store cannot be written (then briefs are kept by the server only, in
    its memory)."""
    global _STORE
    from multiprocessing import util

    from ..store import Store

    logging.basicConfig(level=logging.WARNING)
    # A multiprocessing child runs no atexit handlers, and at exit it waits for its
    # children: the analysis pool's workers must be told to stop first, before the
    # pool's own queues are closed (their finalizers have priority 10).
    util.Finalize(None, _stop_analysis, exitpriority=100)
    _STORE = Store.for_reading(db_path, keep_briefs=cache_briefs)
    if cache_briefs and _STORE.readonly:
        log.warning("newsfuse serve: %s is read-only: briefs are kept in memory, not in the store", db_path)


def _stop_analysis() -> None:
    import sys

    analyse = sys.modules.get("newsfuse.analyse")
    pool = getattr(analyse, "_POOL", None)
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
        analyse._POOL = None  # type: ignore[union-attr]


def _warm() -> float:
    import time

    t = time.perf_counter()
    from ..analyse import default_analyzer
    from ..brief import brief_story  # noqa: F401  (imports corroboration and composition)

    default_analyzer().start()  # spaCy loaded, parsing workers forked: this process runs no threads
    return time.perf_counter() - t


def _brief(story_id: str) -> BriefResult:
    row = _STORE.conn.execute("SELECT version FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        raise KeyError(story_id)
    brief = _STORE.brief(story_id)
    return row[0], brief.to_dict(), dict(brief.texts)


def _ingest(sources: list[str]) -> dict[str, Any]:
    if _STORE.readonly:
        from ..store import StoreReadOnly

        raise StoreReadOnly(f"{_STORE.path} is read-only: nothing can be added to it")
    report = _STORE.ingest(sources)
    return {"read": report.read, "new": report.new, "already_stored": report.already_stored,
            "copies": report.copies, "stories_created": report.stories_created,
            "stories_grown": report.stories_grown, "stories_merged": report.stories_merged,
            "skipped": [{"item": p.item, "reason": p.reason} for p in report.skipped],
            "line": report.line()}
