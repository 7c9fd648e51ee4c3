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

import numpy as np

from .features import DocumentFrequencies, to_matrix, weigh


def local_similarities(counts: list[dict[int, float]]) -> np.ndarray:
    """Cosine similarities of the given feature counts, weighted by their own document frequencies."""
    dfs = DocumentFrequencies()
    for c in counts:
        dfs.learn_one(c.keys())
    x = to_matrix([weigh(c, dfs) for c in counts])
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


def split_story(counts: list[dict[int, float]], max_ncut: float, min_side: int) -> np.ndarray | None:
    """A boolean mask splitting a story in two, or None if it is one event."""
    if len(counts) < 2 * min_side:
        return None
    value, mask = bisect(local_similarities(counts))
    side = int(mask.sum())
    if value < max_ncut and min(side, len(mask) - side) >= min_side:
        return mask
    return None


def refine(labels: np.ndarray, counts: list[dict[int, float]], max_ncut: float, min_side: int) -> np.ndarray:
    """Split every story of ``labels`` that holds more than one event, recursively."""
    labels = labels.copy()
    next_label = int(labels.max()) + 1 if len(labels) else 0
    queue = sorted(set(labels.tolist()))
    while queue:
        label = queue.pop()
        idx = np.flatnonzero(labels == label)
        mask = split_story([counts[i] for i in idx], max_ncut, min_side)
        if mask is None:
            continue
        # the side holding the story's first member keeps the label
        move = idx[~mask] if mask[0] else idx[mask]
        labels[move] = next_label
        queue += [label, next_label]
        next_label += 1
    return labels
