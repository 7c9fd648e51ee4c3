"""Batch story clustering: average linkage over candidate pairs.

Average linkage at threshold t only ever joins reports connected by some pair
with similarity >= t (an average >= t needs one term >= t). So the batch is cut
into the connected components of the pairs at or above t - found with sparse
products over the rarer features and, for dated reports, only between reports
close enough in time to reach t - and average linkage runs exactly inside
each component. Cost grows with the size of the components and of the time
windows, not with the square of the batch.
"""

from __future__ import annotations

import heapq
import math

import numpy as np
import scipy.sparse as sp

from ..grouping import average_linkage as linkage_labels
from ..grouping import components
from ..parallel import forked_pool


def time_decay(gap_days: np.ndarray, window: float, scale: float) -> np.ndarray:
    """How much a similarity counts between reports ``gap_days`` apart (NaN: unknown)."""
    gap = np.nan_to_num(np.abs(gap_days), nan=0.0)
    return np.exp(-np.maximum(gap - window, 0.0) / scale)


def reach_days(threshold: float, window: float, scale: float) -> float:
    """The largest gap at which two reports can still reach ``threshold`` (similarity <= 1)."""
    return window + scale * math.log(1.0 / threshold)


def _products(
    rare: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray, threshold: float, top: int, rank: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i in rows, j in cols, i before j) of the rare-feature product reaching half
    the threshold, at most the ``top`` best for each i (bounded memory in large stories).
    "Before" is by index, or by ``rank`` when given (a part of a larger set)."""
    p = (rare[rows] @ rare[cols].T).tocoo()
    i, j, v = rows[p.row], cols[p.col], p.data
    keep = ((j > i) if rank is None else (rank[j] > rank[i])) & (v >= threshold * 0.5)
    i, j, v = i[keep], j[keep], v[keep]
    if len(i) == 0:
        return i, j, v
    order = np.lexsort((-v, i))  # by row, best first
    i, j, v = i[order], j[order], v[order]
    starts = np.flatnonzero(np.r_[True, i[1:] != i[:-1]])
    rank = np.arange(len(i)) - np.repeat(starts, np.diff(np.r_[starts, len(i)]))
    keep = rank < top
    return i[keep], j[keep], v[keep]


def _strongest(x: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Each row's ``k`` largest entries (the rest set to zero)."""
    lengths = np.diff(x.indptr)
    if lengths.max(initial=0) <= k:
        return x
    rows = np.repeat(np.arange(x.shape[0]), lengths)
    order = np.lexsort((-x.data, rows))
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order)) - np.repeat(x.indptr[:-1], lengths)
    data = np.where(rank < k, x.data, 0.0)
    out = sp.csr_matrix((data, x.indices, x.indptr), shape=x.shape)
    out.eliminate_zeros()
    return out


def candidate_pairs(
    x: sp.csr_matrix,
    threshold: float,
    days: np.ndarray | None = None,
    reach: float = math.inf,
    *,
    block: int = 2048,
    common_df: int | None = None,
    top: int = 100,
    proposal_features: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs (i < j) whose cosine similarity may reach ``threshold``, with their exact similarity.

    Features in many documents make sparse products quadratic, and alone they
    cannot make two reports alike, so pairs are proposed by the rarer features
    (a pair needs half the threshold from them, on each report's
    ``proposal_features`` strongest rare features) and then scored exactly.
    Dated reports are only paired with reports within ``reach`` days (and with
    all undated ones), and each report with at most ``top`` later ones: in a
    story of thousands of reports, its nearest hundred hold it in the story.
    """
    n = x.shape[0]
    empty = np.zeros(0, np.int64)
    if n < 2:
        return empty, empty, np.zeros(0)
    df = np.diff(x.tocsc().indptr)
    limit = common_df if common_df is not None else max(50, int(0.01 * n))
    common = df > limit
    rare = x[:, ~common].tocsr()
    if proposal_features:
        rare = _strongest(rare, proposal_features)
    if days is None:
        days = np.full(n, np.nan)
    dated = np.flatnonzero(~np.isnan(days))
    undated = np.flatnonzero(np.isnan(days))
    order = dated[np.argsort(days[dated], kind="stable")]
    sorted_days = days[order]
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for start in range(0, len(order), block):
        rows = order[start : start + block]
        hi = np.searchsorted(sorted_days, sorted_days[min(start + block, len(order)) - 1] + reach, side="right")
        lo = np.searchsorted(sorted_days, sorted_days[start] - reach, side="left")
        parts.append(_products(rare, rows, order[lo:hi], threshold, top))
        if len(undated):
            parts.append(_products(rare, rows, undated, threshold, top))
    everyone = np.arange(n)
    for start in range(0, len(undated), block):
        parts.append(_products(rare, undated[start : start + block], everyone, threshold, top))
    r = np.concatenate([p[0] for p in parts])
    c = np.concatenate([p[1] for p in parts])
    v = np.concatenate([p[2] for p in parts])
    # each pair was proposed once, as (smaller index, larger index); sort them for a stable output
    lo_, hi_ = np.minimum(r, c), np.maximum(r, c)
    order_ = np.lexsort((hi_, lo_))
    r, c, v = lo_[order_], hi_[order_], v[order_]
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
    similarities of dated reports decayed by their distance in time. Each
    label is the index of a member of its cluster."""
    n = x.shape[0]
    labels = np.arange(n)
    r, c, v = candidate_pairs(x, threshold, days, reach_days(threshold, window, scale))
    v = v * time_decay(days[r] - days[c], window, scale)
    for members in _components(n, r, c, v, threshold):
        _link(x, days, members, r, c, v, threshold, window, scale, max_block, labels)
    return labels


def _components(n: int, r: np.ndarray, c: np.ndarray, v: np.ndarray, level: float) -> list[np.ndarray]:
    keep = v >= level
    comp = components(n, r[keep], c[keep])
    order = np.argsort(comp, kind="stable")
    bounds = np.flatnonzero(np.diff(comp[order])) + 1
    return [m for m in np.split(order, bounds) if len(m) > 1]


def _link(
    x: sp.csr_matrix, days: np.ndarray, members: np.ndarray, r: np.ndarray, c: np.ndarray, v: np.ndarray,
    threshold: float, window: float, scale: float, max_block: int, labels: np.ndarray, level: float | None = None,
) -> None:
    """Exact average linkage within one component (writes ``labels``). A component
    too large for a dense matrix is cut further by raising the pair threshold
    inside it until its parts fit - an approximation for very large stories."""
    if len(members) <= max_block:
        xb = x[members]
        s = (xb @ xb.T).toarray()
        s *= time_decay(days[members][:, None] - days[members][None, :], window, scale)
        np.clip(s, 0.0, 1.0, out=s)
        labels[members] = members[linkage_labels(1.0 - s, 1.0 - threshold)]
        return
    level = (level or threshold) + 0.05
    if level >= 1.0:
        return  # leave the rest unclustered rather than build a matrix this size
    inside = np.zeros(len(labels), bool)
    inside[members] = True
    keep = inside[r] & inside[c]
    for part in _components(len(labels), r[keep], c[keep], v[keep], level):
        _link(x, days, part, r[keep], c[keep], v[keep], threshold, window, scale, max_block, labels, level)


def cluster_slices(
    x: sp.csr_matrix, days: np.ndarray, threshold: float, *, window: float, scale: float, size: int, workers: int = 1
) -> np.ndarray:
    """Average linkage for a batch too large for one pass: exact within slices of
    ``size`` reports in time order (in parallel), then stitched across slices.

    A batch of thousands of reports chains together through pairs of similar
    events, so one exact pass would need matrices of the whole batch. Stories
    rarely span more than a few slices; those that do are joined by
    :func:`stitch`, which applies the same average-linkage rule to the stories.
    """
    n = x.shape[0]
    order = np.lexsort((np.arange(n), np.nan_to_num(days, nan=np.inf)))
    slices = [order[i : i + size] for i in range(0, n, size)]
    jobs = [(x[s], days[s], threshold, window, scale) for s in slices]
    if workers > 1 and len(slices) > 1:
        with forked_pool(workers) as pool:
            parts = list(pool.map(_slice_job, jobs))
    else:
        parts = [_slice_job(job) for job in jobs]
    labels = np.empty(n, np.int64)
    slice_of = np.empty(n, np.int64)
    for i, (s, part) in enumerate(zip(slices, parts)):
        labels[s] = s[part]
        slice_of[s] = i
    return stitch(x, days, labels, threshold, window=window, scale=scale, slice_of=slice_of)


def _slice_job(job: tuple) -> np.ndarray:  # type: ignore[type-arg]
    x, days, threshold, window, scale = job
    return average_linkage(x, days, threshold, window=window, scale=scale)


def stitch(
    x: sp.csr_matrix,
    days: np.ndarray,
    labels: np.ndarray,
    threshold: float,
    *,
    window: float,
    scale: float,
    slice_of: np.ndarray | None = None,
) -> np.ndarray:
    """Merge clusters whose average similarity reaches ``threshold``, most similar first.

    Clusters are compared through their vector sums (the average similarity
    of two clusters is the dot product of their sums over the product of their
    sizes), proposed by the similarity of their mean vectors, and merged
    greedily; a merged cluster is compared anew before it merges again. With
    ``slice_of``, clusters of one slice are not compared: exact linkage inside
    the slice already kept them apart.
    """
    uniq, inverse = np.unique(labels, return_inverse=True)
    k = len(uniq)
    if k < 2:
        return labels
    assign = sp.csr_matrix((np.ones(len(labels)), (inverse, np.arange(len(labels)))), shape=(k, len(labels)))
    sums = (assign @ x).tocsr()
    sizes = np.bincount(inverse, minlength=k).astype(float)
    first, last = time_spans(inverse, days, k)
    norms = np.sqrt(np.asarray(sums.multiply(sums).sum(axis=1)).ravel())
    means = (sp.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ sums).tocsr()
    centre = (first + last) / 2
    r, c, _ = candidate_pairs(means, threshold, centre, reach_days(threshold, window, scale) + 30)
    if slice_of is not None:
        cluster_slice = np.empty(k, np.int64)
        cluster_slice[inverse] = slice_of
        keep = cluster_slice[r] != cluster_slice[c]
        r, c = r[keep], c[keep]
    if len(r) == 0:
        return labels

    dots = np.asarray(sums[r].multiply(sums[c]).sum(axis=1)).ravel()
    link = dots / (sizes[r] * sizes[c]) * gap_decay(first, last, r, c, window, scale)
    keep = link >= threshold
    roots = merge_greedily(link[keep], r[keep], c[keep], sums, sizes, first, last, threshold, window=window, scale=scale)
    roots = roots[inverse]
    # label each report with the first report of its cluster
    rep: dict[int, int] = {}
    for idx, root in enumerate(roots.tolist()):
        rep.setdefault(root, idx)
    return np.array([rep[root] for root in roots.tolist()])


def time_spans(inverse: np.ndarray, days: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The first and last day of each of ``k`` clusters (``inverse``: each report's cluster; NaN: undated)."""
    first = np.full(k, np.inf)
    last = np.full(k, -np.inf)
    dated = ~np.isnan(days)
    np.minimum.at(first, inverse[dated], days[dated])
    np.maximum.at(last, inverse[dated], days[dated])
    first[np.isinf(first)] = np.nan
    last[np.isinf(last)] = np.nan
    return first, last


def gap_decay(first: np.ndarray, last: np.ndarray, a: np.ndarray, b: np.ndarray, window: float, scale: float) -> np.ndarray:
    """The time decay between clusters ``a`` and ``b`` spanning days ``first`` to ``last`` (NaN: undated)."""
    gap = np.maximum.reduce([np.zeros(len(a)), first[a] - last[b], first[b] - last[a]])
    return time_decay(gap, window, scale)


def merge_greedily(
    link: np.ndarray, a: np.ndarray, b: np.ndarray, sums: sp.csr_matrix, sizes: np.ndarray, first: np.ndarray,
    last: np.ndarray, threshold: float, *, window: float, scale: float,
) -> np.ndarray:
    """The root cluster of each of the ``len(sizes)`` clusters after merging, most
    similar first, the pairs (``a`` < ``b``) whose average ``link`` reaches the
    threshold; a merged cluster is scored anew before it merges again.
    ``sizes``, ``first`` and ``last`` are updated in place."""
    heap = [(-v, int(x), int(y)) for v, x, y in zip(link.tolist(), a.tolist(), b.tolist())]
    heapq.heapify(heap)
    parent = np.arange(len(sizes))
    vectors: dict[int, sp.csr_matrix] = {}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def vector(x: int) -> sp.csr_matrix:
        return vectors.get(x, sums[x])

    while heap:
        _, x, y = heapq.heappop(heap)
        rx, ry = find(x), find(y)
        if rx == ry:
            continue
        if (rx, ry) != (x, y):  # one side grew since this pair was scored: score it again
            value = float(vector(rx).multiply(vector(ry)).sum()) / (sizes[rx] * sizes[ry])
            value *= float(gap_decay(first, last, np.array([rx]), np.array([ry]), window, scale)[0])
            if value >= threshold:
                heapq.heappush(heap, (-value, rx, ry))
            continue
        parent[ry] = rx
        vectors[rx] = vector(rx) + vector(ry)
        vectors.pop(ry, None)
        sizes[rx] += sizes[ry]
        if not np.isnan(first[ry]):
            first[rx] = first[ry] if np.isnan(first[rx]) else min(first[rx], first[ry])
            last[rx] = last[ry] if np.isnan(last[rx]) else max(last[rx], last[ry])
    return np.array([find(i) for i in range(len(sizes))])
