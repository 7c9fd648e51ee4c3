"""Batch story clustering: average linkage over candidate pairs, then splits.

Average linkage at threshold t only ever joins reports connected by some pair
with similarity >= t (an average >= t needs one term >= t). So the batch is cut
into the connected components of the pairs at or above t - found with a sparse
product over the rarer features, never by comparing every pair - and average
linkage runs exactly inside each component. Cost grows with the size of the
components, not with the square of the batch.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components


def time_decay(gap_days: np.ndarray, window: float, scale: float) -> np.ndarray:
    """How much a similarity counts between reports ``gap_days`` apart (NaN: unknown)."""
    gap = np.nan_to_num(np.abs(gap_days), nan=0.0)
    return np.where(gap <= window, 1.0, np.exp(-(gap - window) / scale))


def candidate_pairs(
    x: sp.csr_matrix, threshold: float, *, block: int = 2048, common_df: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs (i < j) whose cosine similarity may reach ``threshold``, with their exact similarity.

    Features in many documents make sparse products quadratic, and alone they
    cannot make two reports alike, so pairs are proposed by the rarer features
    (a pair needs half the threshold from them) and then scored exactly.
    """
    n = x.shape[0]
    if n < 2:
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0)
    df = np.diff(x.tocsc().indptr)
    limit = common_df if common_df is not None else max(50, int(0.01 * n))
    common = df > limit
    rare_x = x[:, ~common].tocsr()
    rare_t = rare_x.T.tocsr()
    rows, cols, vals = [], [], []
    for start in range(0, n, block):
        p = (rare_x[start : start + block] @ rare_t).tocoo()
        i = p.row + start
        keep = (p.col > i) & (p.data >= threshold * 0.5)
        rows.append(i[keep])
        cols.append(p.col[keep])
        vals.append(p.data[keep])
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    v = np.concatenate(vals)
    if common.any() and len(r):
        common_x = x[:, common].tocsr()
        v = v + np.asarray(common_x[r].multiply(common_x[c]).sum(axis=1)).ravel()
    return r, c, v


def average_linkage(
    x: sp.csr_matrix,
    days: np.ndarray,
    threshold: float,
    *,
    window: float,
    scale: float,
    max_block: int = 4000,
) -> np.ndarray:
    """Cluster labels by average linkage at similarity ``threshold``, with
    similarities of dated reports decayed by their distance in time."""
    n = x.shape[0]
    labels = np.arange(n)
    r, c, v = candidate_pairs(x, threshold)
    v = v * time_decay(days[r] - days[c], window, scale)
    keep = v >= threshold
    graph = sp.coo_matrix((np.ones(int(keep.sum())), (r[keep], c[keep])), shape=(n, n))
    n_comp, comp = connected_components(graph, directed=False)
    order = np.argsort(comp, kind="stable")
    bounds = np.flatnonzero(np.diff(comp[order])) + 1
    for members in np.split(order, bounds):
        if len(members) > 1:
            sub = _cluster_block(x, days, members, threshold, window, scale, max_block)
            labels[members] = members[sub]
    return labels


def _cluster_block(
    x: sp.csr_matrix, days: np.ndarray, members: np.ndarray, threshold: float, window: float, scale: float, max_block: int
) -> np.ndarray:
    """Exact average linkage within one component; local indices of each member's cluster representative."""
    if len(members) > max_block:
        return _split_block(x, days, members, threshold, window, scale, max_block)
    xb = x[members]
    s = (xb @ xb.T).toarray()
    s *= time_decay(days[members][:, None] - days[members][None, :], window, scale)
    np.clip(s, 0.0, 1.0, out=s)
    dist = 1.0 - s[np.triu_indices(len(members), 1)]
    tree = linkage(dist, method="average")
    flat = fcluster(tree, t=1.0 - threshold, criterion="distance")
    # represent each cluster by its first member (stable, order-independent given the input order)
    first: dict[int, int] = {}
    return np.array([first.setdefault(f, i) for i, f in enumerate(flat)])


def _split_block(
    x: sp.csr_matrix, days: np.ndarray, members: np.ndarray, threshold: float, window: float, scale: float, max_block: int
) -> np.ndarray:
    """A component too large for exact linkage: raise the pair threshold inside it
    until its parts fit, and cluster each part (an approximation, logged by size)."""
    xb = x[members]
    r, c, v = candidate_pairs(xb, threshold)
    v = v * time_decay(days[members][r] - days[members][c], window, scale)
    level = threshold
    while True:
        level = min(1.0, level + 0.05)
        keep = v >= level
        graph = sp.coo_matrix((np.ones(int(keep.sum())), (r[keep], c[keep])), shape=(len(members), len(members)))
        _, comp = connected_components(graph, directed=False)
        if np.bincount(comp).max() <= max_block or level >= 1.0:
            break
    local = np.arange(len(members))
    for part in np.unique(comp):
        idx = np.flatnonzero(comp == part)
        if 1 < len(idx) <= max_block:  # a part still too large stays unclustered
            sub = _cluster_block(x, days, members[idx], threshold, window, scale, max_block)
            local[idx] = idx[sub]
    return local
