"""Average-linkage clusters and connected components, small ones in numpy.

Stories, quotations and claims are grouped by average linkage cut at a
distance, and candidate pairs split into connected components first. Most
groups a brief meets are small (five reports, a dozen quotations), and
importing SciPy's hierarchy and graph modules costs a cold command about a
third of a second, more than the grouping itself. So a small problem is
solved here, with the same rule, and SciPy is imported only for a large one
(and used for middling ones once a large one has loaded it).
"""

from __future__ import annotations

import sys

import numpy as np

__all__ = ["average_linkage", "components"]

SMALL = 256  # items: up to this many, grouped in numpy while SciPy's hierarchy is not loaded (15 ms at most)
LOADED_SMALL = 64  # once it is loaded (a large grouping came first), SciPy's C takes over sooner
SMALL_EDGES = 20_000  # edges: up to this many, components found by union-find in Python


def average_linkage(dist: np.ndarray, cut: float) -> np.ndarray:
    """Flat clusters of average linkage over a square distance matrix, cut at ``cut``:
    every merge at a distance of at most ``cut`` is made (as SciPy's ``fcluster`` with
    ``criterion="distance"``). Each item's label is the index of its cluster's first item.

    >>> d = np.array([[0, .1, .9], [.1, 0, .8], [.9, .8, 0]])
    >>> average_linkage(d, .5).tolist()
    [0, 0, 2]
    """
    n = len(dist)
    if n > (LOADED_SMALL if "scipy.cluster.hierarchy" in sys.modules else SMALL):
        return _scipy_linkage(dist, cut)
    d = np.triu(np.asarray(dist, dtype=np.float64), 1)
    d += d.T  # the upper triangle decides, as in SciPy's condensed form
    np.fill_diagonal(d, np.inf)
    size = np.ones(n)
    into = np.arange(n)
    for _ in range(n - 1):
        i, j = divmod(int(np.argmin(d)), n)
        if not d[i, j] <= cut:
            break
        # Lance-Williams for average linkage: the merged cluster's distance to any other
        # is the size-weighted mean of its two parts' distances
        row = (size[i] * d[i] + size[j] * d[j]) / (size[i] + size[j])
        d[i], d[:, i] = row, row
        d[i, i] = np.inf
        d[j], d[:, j] = np.inf, np.inf
        size[i] += size[j]
        into[into == j] = i
    return _first_members(into)


def _scipy_linkage(dist: np.ndarray, cut: float) -> np.ndarray:
    from scipy.cluster.hierarchy import fcluster, linkage

    condensed = np.asarray(dist, dtype=np.float64)[np.triu_indices(len(dist), 1)]
    return _first_members(fcluster(linkage(condensed, method="average"), t=cut, criterion="distance"))


def components(n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The connected component of each of ``n`` nodes joined by edges ``rows[k]``-``cols[k]``,
    labelled by the component's first node.

    >>> components(4, np.array([0, 3]), np.array([1, 2])).tolist()
    [0, 0, 2, 2]
    """
    if len(rows) > SMALL_EDGES:
        from scipy import sparse
        from scipy.sparse.csgraph import connected_components

        graph = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        return _first_members(connected_components(graph, directed=False)[1])
    root = list(range(n))

    def find(x: int) -> int:
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    for a, b in zip(np.asarray(rows).tolist(), np.asarray(cols).tolist()):
        ra, rb = find(a), find(b)
        if ra != rb:
            root[max(ra, rb)] = min(ra, rb)
    return _first_members(np.array([find(x) for x in range(n)], dtype=np.int64))


def _first_members(labels: np.ndarray) -> np.ndarray:
    """Relabel so that each item's label is the index of the first item with its label."""
    _, first, inverse = np.unique(np.asarray(labels), return_index=True, return_inverse=True)
    return first[inverse.reshape(-1)].astype(np.int64)
