"""Splitting a story that holds two events of one kind.

Two earthquakes on one island, or two offers for one baseball player, share
most of their words, so their reports can end up in one story. Within such a
story, the words the two events share say nothing; what is left - the names,
numbers and actions of each lead - separates them. So the story's leads are
re-weighted with document frequencies counted *inside the story*, and the
story is cut in two along the second eigenvector of its similarity graph
(the normalised-cut relaxation). The cut is kept when it is clean: its
normalised cut is below a threshold and both sides have a few reports.
"""

from __future__ import annotations

import multiprocessing

import numpy as np

from ..parallel import forked_pool
from .features import CountRows, weigh_batch


def local_similarities(counts: list[dict[int, float]]) -> np.ndarray:
    """Cosine similarities of the given feature counts, weighted by their own document frequencies."""
    x = weigh_batch(counts)
    s = (x @ x.T).toarray()
    np.fill_diagonal(s, 0.0)
    return s


def bisect(s: np.ndarray) -> tuple[float, np.ndarray]:
    """The best normalised cut along the Fiedler vector of similarity matrix ``s``.

    Returns the cut's value (0 = two unconnected parts, about 1 or more = no
    structure) and a boolean mask of one side.
    """
    n = s.shape[0]
    d = s.sum(axis=1)
    d = np.where(d > 1e-12, d, 1e-12)
    inv = 1.0 / np.sqrt(d)
    lap = np.eye(n) - inv[:, None] * s * inv[None, :]
    _, vecs = np.linalg.eigh(lap)
    order = np.argsort(inv * vecs[:, 1], kind="stable")
    # The cut of each prefix split order[:k] | order[k:], grown one node at a time:
    # cut = vol(left) - internal(left), internal counting both directions.
    so = s[np.ix_(order, order)]
    vol = d[order]
    left_of = np.cumsum(so, axis=1)  # left_of[i, j] = sum of so[i, :j+1]
    total = float(vol.sum())
    best, best_k = np.inf, 1
    left_vol = internal = 0.0
    for k in range(1, n):
        i = k - 1
        if i > 0:
            internal += 2.0 * left_of[i, i - 1]
        left_vol += vol[i]
        right_vol = total - left_vol
        if left_vol <= 0 or right_vol <= 0:
            continue
        cut = left_vol - internal
        value = cut / left_vol + cut / right_vol
        if value < best:
            best, best_k = value, k
    mask = np.zeros(n, bool)
    mask[order[:best_k]] = True
    return float(best), mask


MAX_SPECTRAL = 120  # reports a split looks at; the others follow the nearer side


def split_story(counts: list[dict[int, float]], max_ncut: float, min_side: int) -> np.ndarray | None:
    """A boolean mask splitting a story in two, or None if it is one event."""
    if len(counts) < 2 * min_side:
        return None
    if len(counts) > MAX_SPECTRAL:
        return _split_large(counts, max_ncut, min_side)
    # The best cut overall must itself be balanced: a best cut that only peels
    # off an outlier or two says the story is one event with stragglers.
    value, mask = bisect(local_similarities(counts))
    side = int(mask.sum())
    return mask if value < max_ncut and min(side, len(mask) - side) >= min_side else None


def _split_large(counts: list[dict[int, float]], max_ncut: float, min_side: int) -> np.ndarray | None:
    """Split a large story by splitting an evenly spread sample of it, then
    putting every report on the side whose leads it is more similar to."""
    n = len(counts)
    sample = np.unique(np.linspace(0, n - 1, MAX_SPECTRAL).round().astype(int))
    mask = split_story([counts[i] for i in sample], max_ncut, min_side)
    if mask is None:
        return None
    x = weigh_batch(counts)
    side_a = np.asarray(x[sample[mask]].sum(axis=0)).ravel() / mask.sum()
    side_b = np.asarray(x[sample[~mask]].sum(axis=0)).ravel() / (~mask).sum()
    full = np.asarray(x @ side_a).ravel() >= np.asarray(x @ side_b).ravel()
    return full if min(int(full.sum()), n - int(full.sum())) >= min_side else None


def refine(labels: np.ndarray, counts: CountRows, max_ncut: float, min_side: int, workers: int = 1) -> np.ndarray:
    """Split every story of ``labels`` that holds more than one event, recursively.
    Stories are independent, so a large batch is shared among ``workers`` processes."""
    global _SHARED
    labels = labels.copy()
    stories = [idx for idx in _groups(labels) if len(idx) >= 2 * min_side]
    _SHARED = (counts, np.concatenate([[0], np.cumsum(counts.lengths)]), max_ncut, min_side)
    try:
        if workers > 1 and len(stories) > 500 and "fork" in multiprocessing.get_all_start_methods():
            # forked workers see _SHARED without it being pickled: jobs carry row numbers only
            with forked_pool(workers) as pool:
                parts = list(pool.map(_split_job, stories, chunksize=64))
        else:
            parts = [_split_job(idx) for idx in stories]
    finally:
        _SHARED = None
    for idx, part in zip(stories, parts):
        # each part is labelled by its first member; the first part keeps the story's label
        for group in part[1:]:
            labels[idx[group]] = idx[group[0]]
    return labels


_SHARED: tuple | None = None  # type: ignore[type-arg]


def _groups(labels: np.ndarray) -> list[np.ndarray]:
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    return np.split(order, bounds)


def _row(counts: CountRows, bounds: np.ndarray, i: int) -> dict[int, float]:
    a, b = int(bounds[i]), int(bounds[i + 1])
    return dict(zip(counts.ids[a:b].tolist(), counts.values[a:b].tolist()))


def _split_job(idx: np.ndarray) -> list[np.ndarray]:
    assert _SHARED is not None
    counts, bounds, max_ncut, min_side = _SHARED
    return split_parts([_row(counts, bounds, int(i)) for i in idx], max_ncut, min_side)


def split_parts(rows: list[dict[int, float]], max_ncut: float, min_side: int) -> list[np.ndarray]:
    """The parts of one story (indices into ``rows``, its lead features in id order),
    splitting recursively; the part holding the story's first report comes first."""
    parts: list[np.ndarray] = []
    queue = [np.arange(len(rows))]
    while queue:
        local = queue.pop(0)
        mask = split_story([rows[i] for i in local], max_ncut, min_side)
        if mask is None:
            parts.append(local)
            continue
        keep = mask if mask[0] else ~mask
        queue += [local[keep], local[~keep]]
    return sorted(parts, key=lambda p: int(p.min()))
