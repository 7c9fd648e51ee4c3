"""What the partitioned pipeline asks of an engine, and the moves built on it.

A stage is a plain function from pandas frames to pandas frames; the plan
(:mod:`.plan`) chains stages over partitions through an :class:`Executor`,
which only has to run a function on values or on handles of values computed
elsewhere (``submit``), share one value with every task (``put``) and bring
small results back (``gather``). :class:`LocalExecutor` runs everything in
the calling process (tests, debugging); :class:`newsfuse.scale.dask.DaskExecutor`
runs on a ``dask.distributed`` cluster; a Ray executor would map ``submit`` to
``ray.remote`` and handles to object refs.

Data moves between partitions only by :func:`shuffle`: each partition is
cut by a hash of a key column into ``buckets`` pieces, and piece ``j`` of
every partition is concatenated into bucket ``j``. No step collects a whole
dataset on one node; the client gathers only counts, samples and digests.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd


class Executor(Protocol):
    def submit(self, fn: Callable[..., Any], *args: Any, name: str = "") -> Any: ...

    def put(self, value: Any) -> Any: ...

    def gather(self, handles: Sequence[Any]) -> list[Any]: ...


class LocalExecutor:
    """Runs each task at once in this process: the reference for the plan's logic."""

    def submit(self, fn: Callable[..., Any], *args: Any, name: str = "") -> Any:
        return fn(*args)

    def put(self, value: Any) -> Any:
        return value

    def gather(self, handles: Sequence[Any]) -> list[Any]:
        return list(handles)


def bucket_of(values: pd.Series | np.ndarray, buckets: int) -> np.ndarray:
    """A bucket number for each value: the same in every process and run
    (pandas' keyed SipHash, not Python's salted ``hash``)."""
    if len(values) == 0:
        return np.zeros(0, np.int64)
    return (pd.util.hash_array(np.asarray(values)) % np.uint64(buckets)).astype(np.int64)


@dataclass(frozen=True, slots=True)
class Ranges:
    """Routes integer keys 0..n-1 (article indices in id order) to ``buckets``
    contiguous ranges: a key's bucket is known without looking it up, so every
    frame keyed by article meets the articles' own bucket."""

    n: int

    def __call__(self, values: np.ndarray, buckets: int) -> np.ndarray:
        return np.minimum(values.astype(np.int64) * buckets // max(1, self.n), buckets - 1)


@dataclass(frozen=True, slots=True)
class Value:
    """Routes keys that already are bucket numbers."""

    def __call__(self, values: np.ndarray, buckets: int) -> np.ndarray:
        return values.astype(np.int64)


def split_frame(frame: pd.DataFrame, key: str, buckets: int, route: Ranges | Value | None = None) -> tuple[pd.DataFrame, ...]:
    """``frame`` cut into ``buckets`` pieces by column ``key``: by its hash, or by
    ``route``; row order is kept."""
    values = frame[key].to_numpy()
    which = route(values, buckets) if route is not None else bucket_of(values, buckets)
    order = np.argsort(which, kind="stable")
    bounds = np.searchsorted(which[order], np.arange(buckets + 1))
    return tuple(frame.iloc[order[a:b]] for a, b in zip(bounds[:-1], bounds[1:]))


def concat(*frames: pd.DataFrame) -> pd.DataFrame:
    """Frames one after another, with a fresh index (empty frames keep the columns)."""
    nonempty = [f for f in frames if len(f)]
    if not nonempty:
        return frames[0].iloc[:0].reset_index(drop=True) if frames else pd.DataFrame()
    return pd.concat(nonempty, ignore_index=True)


def shuffle(
    ex: Executor, parts: Sequence[Any], key: str, buckets: int, name: str = "shuffle", route: Ranges | Value | None = None
) -> list[Any]:
    """Handles of ``buckets`` frames: every row of ``parts`` in the bucket of its
    ``key`` (see :func:`split_frame`). A row's bucket depends only on its key, so
    two datasets shuffled on the same key into the same number of buckets can
    be joined bucket by bucket."""
    cuts = [ex.submit(split_frame, p, key, buckets, route, name=f"{name}-split") for p in parts]
    return [
        ex.submit(concat, *[ex.submit(operator.getitem, c, j, name=f"{name}-piece") for c in cuts], name=f"{name}-bucket")
        for j in range(buckets)
    ]


def pick(result: tuple, i: int) -> Any:  # type: ignore[type-arg]
    """Item ``i`` of a task's tuple result (a task of its own, so the rest can be released)."""
    return result[i]


def each(ex: Executor, fn: Callable[..., Any], parts: Sequence[Any], *args: Any, name: str = "") -> list[Any]:
    """``fn(part, *args)`` for every part."""
    return [ex.submit(fn, p, *args, name=name or fn.__name__) for p in parts]


def pairwise(ex: Executor, fn: Callable[..., Any], left: Sequence[Any], right: Sequence[Any], *args: Any, name: str = "") -> list[Any]:
    """``fn(left[j], right[j], *args)`` for buckets of two datasets shuffled alike."""
    return [ex.submit(fn, a, b, *args, name=name or fn.__name__) for a, b in zip(left, right)]


def gathered(ex: Executor, fn: Callable[..., Any], parts: Sequence[Any], *args: Any, name: str = "") -> list[Any]:
    """``fn(part, *args)`` of every part, brought back to the client (for small
    results only: counts, samples, digests)."""
    return ex.gather(each(ex, fn, parts, *args, name=name))
