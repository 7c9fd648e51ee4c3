"""Connected components of a graph too large for one node: large-star / small-star.

Kiveris et al., "Connected Components in MapReduce and Beyond" (SoCC 2014):
two operations, each a shuffle and a group-by, alternate until the edge set
stops changing; then every component is a star around its smallest node.

* large-star: each node links every larger neighbour to the smallest node
  of its neighbourhood (itself included);
* small-star: each node links itself and every smaller neighbour to the
  smallest of them.

Both keep the components and shrink their diameter; convergence takes
O(log^2 n) rounds (a few in practice, since copy groups and stitched stories
are small). Nodes are integers (article indices, in id order), so the root
of a component is its first article. Edges travel as frames with columns
``hi`` > ``lo``; no step gathers the edges on one node - the client sees one
digest per bucket per round.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from .engine import Executor, Ranges, each, gathered, pick, shuffle

MAX_ROUNDS = 64


def canonical(edges: pd.DataFrame, a: str = "a", b: str = "b") -> pd.DataFrame:
    """Edges as (hi, lo) with hi > lo, loops dropped (duplicates are dropped later)."""
    x, y = edges[a].to_numpy(np.int64), edges[b].to_numpy(np.int64)
    keep = x != y
    x, y = x[keep], y[keep]
    hi = np.where(x > y, x, y)
    lo = np.where(x > y, y, x)
    return pd.DataFrame({"hi": hi, "lo": lo})


def _edges() -> pd.DataFrame:
    return pd.DataFrame({"hi": np.zeros(0, np.int64), "lo": np.zeros(0, np.int64)})


def _symmetric(edges: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "u": np.concatenate([edges["hi"].to_numpy(np.int64), edges["lo"].to_numpy(np.int64)]),
        "v": np.concatenate([edges["lo"].to_numpy(np.int64), edges["hi"].to_numpy(np.int64)]),
    })


def _smallest(frame: pd.DataFrame, by: str, of: str) -> pd.Series:
    """For each value of ``by``: the smallest of it and its ``of`` values."""
    m = frame.groupby(by, sort=False)[of].min()
    idx = m.index.to_numpy(np.int64)
    vals = m.to_numpy(np.int64)
    return pd.Series(np.where(idx < vals, idx, vals), index=m.index)


def large_star(bucket: pd.DataFrame) -> pd.DataFrame:
    """``bucket``: directed edges (u, v), every edge of each u present."""
    if bucket.empty:
        return _edges()
    m = _smallest(bucket, "u", "v")
    larger = bucket[bucket["v"].to_numpy(np.int64) > bucket["u"].to_numpy(np.int64)]
    out = pd.DataFrame({"a": larger["v"].to_numpy(np.int64), "b": m.reindex(larger["u"]).to_numpy(np.int64)})
    return canonical(out)


def small_star(bucket: pd.DataFrame) -> pd.DataFrame:
    """``bucket``: edges (hi, lo), every edge of each hi present (all its smaller neighbours)."""
    if bucket.empty:
        return bucket
    m = bucket.groupby("hi", sort=False)["lo"].min()
    root = m.reindex(bucket["hi"]).to_numpy(np.int64)
    out = pd.concat([
        pd.DataFrame({"a": bucket["lo"].to_numpy(np.int64), "b": root}),
        pd.DataFrame({"a": m.index.to_numpy(np.int64), "b": m.to_numpy(np.int64)}),
    ], ignore_index=True)
    return canonical(out)


def _settle(bucket: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Edges without duplicates in a stable order, and their digest."""
    edges = bucket.drop_duplicates().sort_values(["hi", "lo"], kind="stable").reset_index(drop=True)
    return edges, hashlib.blake2b(edges[["hi", "lo"]].to_numpy(np.int64).tobytes(), digest_size=16).hexdigest()


def components(ex: Executor, edges: list, buckets: int, route: Ranges, *, name: str = "components") -> list:  # type: ignore[type-arg]
    """Handles of ``buckets`` frames (node, root), one row per node that has an
    edge, routed by node with ``route`` (to join with frames of the same nodes), for the graph whose edge frames (columns ``hi``, ``lo``; see
    :func:`canonical`) are ``edges``. Nodes without edges are their own roots."""
    current = shuffle(ex, edges, "hi", buckets, name=f"{name}-start")
    settled = each(ex, _settle, current, name=f"{name}-settle")
    current = each(ex, pick, settled, 0)
    digests = gathered(ex, pick, settled, 1)
    for _ in range(MAX_ROUNDS):
        sym = shuffle(ex, each(ex, _symmetric, current, name=f"{name}-sym"), "u", buckets, name=f"{name}-large")
        larger = each(ex, large_star, sym, name=f"{name}-large-star")
        grouped = shuffle(ex, larger, "hi", buckets, name=f"{name}-small")
        smaller = each(ex, small_star, [ex.submit(_dedup, g) for g in grouped], name=f"{name}-small-star")
        settled = each(ex, _settle, shuffle(ex, smaller, "hi", buckets, name=f"{name}-settle"), name=f"{name}-settle")
        current = each(ex, pick, settled, 0)
        new = gathered(ex, pick, settled, 1)
        if new == digests:
            break
        digests = new
    else:  # pragma: no cover - convergence is proven; this guards a bug
        raise RuntimeError("connected components did not converge")
    roots = shuffle(ex, each(ex, _roots, current, name=f"{name}-roots"), "node", buckets, name=f"{name}-nodes", route=route)
    return each(ex, _dedup, roots, name=f"{name}-nodes")


def _dedup(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop_duplicates()


def _roots(stars: pd.DataFrame) -> pd.DataFrame:
    """Node -> root from converged stars (edges (node, root)); roots map to
    themselves (a root may come from several buckets: deduplicated after the shuffle)."""
    if stars.empty:
        return pd.DataFrame({"node": np.zeros(0, np.int64), "root": np.zeros(0, np.int64)})
    roots = np.unique(stars["lo"].to_numpy(np.int64))
    return pd.DataFrame({
        "node": np.concatenate([stars["hi"].to_numpy(np.int64), roots]),
        "root": np.concatenate([stars["lo"].to_numpy(np.int64), roots]),
    })
