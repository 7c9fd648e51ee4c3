"""The numpy grouping of small problems gives SciPy's clusters and components."""

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from newsfuse import grouping


def _partition(labels) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for i, label in enumerate(np.asarray(labels).tolist()):
        groups.setdefault(label, set()).add(i)
    return {frozenset(g) for g in groups.values()}


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 40), st.integers(0, 2**31 - 1), st.floats(0.05, 0.95))
def test_small_average_linkage_is_scipys(n: int, seed: int, cut: float) -> None:
    rng = np.random.default_rng(seed)
    points = rng.random((n, 3))
    dist = np.sqrt(((points[:, None] - points[None]) ** 2).sum(-1))
    ours = grouping.average_linkage(dist, cut)
    theirs = fcluster(linkage(dist[np.triu_indices(n, 1)], "average"), t=cut, criterion="distance")
    assert _partition(ours) == _partition(theirs)
    assert all(ours[i] <= i and ours[ours[i]] == ours[i] for i in range(n))  # labelled by first member


@pytest.mark.parametrize("loaded", [False, True])
def test_large_problems_go_to_scipy_with_the_same_rule(loaded: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not loaded:  # as in a cold process: numpy up to SMALL items
        monkeypatch.delitem(sys.modules, "scipy.cluster.hierarchy")
    rng = np.random.default_rng(0)
    points = rng.random((grouping.SMALL + 20, 2))
    dist = np.sqrt(((points[:, None] - points[None]) ** 2).sum(-1))
    for n in (grouping.LOADED_SMALL, grouping.SMALL, grouping.SMALL + 20):  # numpy, either, SciPy
        d = dist[:n, :n]
        theirs = fcluster(linkage(d[np.triu_indices(n, 1)], "average"), t=0.1, criterion="distance")
        ours = grouping.average_linkage(d, 0.1)
        assert 1 < len(set(ours.tolist())) < n
        assert _partition(ours) == _partition(theirs)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30), st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29)), max_size=40))
def test_components_are_scipys(n: int, edges: list[tuple[int, int]]) -> None:
    edges = [(a, b) for a, b in edges if a < n and b < n]
    rows = np.array([a for a, _ in edges], dtype=np.int64)
    cols = np.array([b for _, b in edges], dtype=np.int64)
    ours = grouping.components(n, rows, cols)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    assert _partition(ours) == _partition(connected_components(graph, directed=False)[1])
