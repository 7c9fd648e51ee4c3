"""A global order over partitions: sample sort.

Slices of the batch (clustering) and blocks of stories (stitching) are runs
of consecutive rows in a global order - by time, then id. Each partition
sends a sample of its keys to the client, which picks splitters; rows move
to the range their key falls in, each range sorts itself, and the ranges'
sizes give every row its global rank. The client sees samples and sizes only.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .engine import Executor, Value, each, gathered, shuffle

SAMPLES = 64  # keys sampled per partition


def _keyed(frame: pd.DataFrame, by: str, tie: str) -> pd.DataFrame:
    """The frame sorted by (``by`` with NaN last, ``tie``) - the order of
    ``np.lexsort((index, nan_to_num(by, nan=inf)))`` over rows in ``tie`` order."""
    out = frame.assign(_key=np.nan_to_num(frame[by].to_numpy(np.float64), nan=np.inf))
    return out.sort_values(["_key", tie], kind="mergesort")


def _sample(frame: pd.DataFrame, by: str, tie: str) -> list[tuple]:  # type: ignore[type-arg]
    keyed = _keyed(frame, by, tie)
    if keyed.empty:
        return []
    at = np.unique(np.linspace(0, len(keyed) - 1, SAMPLES).round().astype(int))
    return list(zip(keyed["_key"].to_numpy()[at].tolist(), keyed[tie].to_numpy()[at].tolist()))


def _assign(frame: pd.DataFrame, by: str, tie: str, splitters: list[tuple]) -> pd.DataFrame:  # type: ignore[type-arg]
    keys = np.nan_to_num(frame[by].to_numpy(np.float64), nan=np.inf).tolist()
    ranges = [bisect.bisect_right(splitters, k) for k in zip(keys, frame[tie].tolist())]
    return frame.assign(_range=np.array(ranges, np.int64))


def _sorted(frame: pd.DataFrame, by: str, tie: str) -> pd.DataFrame:
    return _keyed(frame, by, tie).drop(columns=["_key", "_range"], errors="ignore").reset_index(drop=True)


def _ranked(frame: pd.DataFrame, start: int) -> pd.DataFrame:
    return frame.assign(rank=np.arange(start, start + len(frame), dtype=np.int64))


def _bounds(frame: pd.DataFrame, by: str) -> tuple[int, float, float]:
    values = frame[by].to_numpy(np.float64)
    dated = values[~np.isnan(values)]
    return len(frame), float(dated.min()) if len(dated) else np.nan, float(dated.max()) if len(dated) else np.nan


@dataclass(slots=True)
class Ranked:
    """Partitions in global order with a ``rank`` column: partition ``i`` holds
    ranks ``starts[i]`` to ``starts[i + 1]``; ``low``/``high``: its smallest and
    largest ``by`` value (NaN: none known)."""

    parts: list
    starts: list[int]
    low: list[float]
    high: list[float]

    @property
    def total(self) -> int:
        return self.starts[-1]

    def covering(self, start: int, stop: int) -> list[int]:
        """The partitions holding some rank in [start, stop)."""
        return [i for i in range(len(self.parts)) if self.starts[i] < stop and self.starts[i + 1] > start]


def rank(ex: Executor, parts: list, by: str, buckets: int, tie: str = "ix", name: str = "order") -> Ranked:  # type: ignore[type-arg]
    """``parts`` (frames with a float column ``by`` and a unique column ``tie``) in
    the global order (``by`` with NaN last, then ``tie``), as ``buckets`` ranked partitions."""
    samples = sorted(s for part in gathered(ex, _sample, parts, by, tie, name=f"{name}-sample") for s in part)
    splitters = [samples[int(len(samples) * q / buckets)] for q in range(1, buckets)] if samples else []
    assigned = each(ex, _assign, parts, by, tie, ex.put(splitters), name=f"{name}-assign")
    ranges = each(ex, _sorted, shuffle(ex, assigned, "_range", buckets, name=f"{name}-move", route=Value()), by, tie,
                  name=f"{name}-sort")
    sizes = gathered(ex, _bounds, ranges, by, name=f"{name}-sizes")
    starts = np.concatenate([[0], np.cumsum([s[0] for s in sizes])]).astype(int).tolist()
    ranked = [ex.submit(_ranked, r, start, name=f"{name}-rank") for r, start in zip(ranges, starts)]
    return Ranked(ranked, starts, [s[1] for s in sizes], [s[2] for s in sizes])
