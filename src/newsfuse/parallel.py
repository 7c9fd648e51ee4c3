"""Chunked work over a list in forked worker processes.

The stages that see every article (features, copy sketches) are pure
functions of the article, so a batch can be cut in chunks and the chunks
worked on in parallel. Workers are forked: they see the list as it is in the
parent's memory, and only chunk bounds and results cross process borders.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_SHARED: Sequence[Any] | None = None


def _run(job: tuple[Callable[[Sequence[Any]], Any], int, int]) -> Any:
    fn, start, stop = job
    assert _SHARED is not None
    return fn(_SHARED[start:stop])


def map_chunks(fn: Callable[[Sequence[T]], R], items: Sequence[T], workers: int, *, min_items: int = 4000) -> list[R]:
    """``fn`` over consecutive chunks of ``items``, results in order.

    Runs in the calling process when ``workers`` is 1, the list is short (a
    pool costs more than it saves) or the platform cannot fork. ``fn`` must be
    picklable: a module-level function or a ``functools.partial`` of one.
    """
    global _SHARED
    if workers <= 1 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(items)]
    size = max(1000, len(items) // (workers * 4))
    _SHARED = items
    try:
        with forked_pool(workers) as pool:
            return list(pool.map(_run, [(fn, s, s + size) for s in range(0, len(items), size)]))
    finally:
        _SHARED = None


@contextmanager
def forked_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of forked workers that share the parent's memory cheaply.

    The parent's objects are frozen out of the garbage collector first: a
    collection in a child would otherwise touch every object the parent
    holds (a large batch of articles), and copy-on-write would copy them all
    into each child, costing time and memory.
    """
    gc.freeze()
    try:
        fork = "fork" in multiprocessing.get_all_start_methods()
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork") if fork else None) as pool:
            yield pool
    finally:
        gc.unfreeze()
