"""The partitioned stages, one by one, against their single-process counterparts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.sparse.csgraph import connected_components

from newsfuse.clean import RepeatedLines
from newsfuse.dedup import CopyDetector, CopyParams
from newsfuse.scale import LocalExecutor
from newsfuse.scale import articles as A
from newsfuse.scale import copies as C
from newsfuse.scale.components import canonical, components
from newsfuse.scale.engine import Ranges, concat, shuffle, split_frame
from newsfuse.scale.order import rank

EX = LocalExecutor()


def _parts(frame: pd.DataFrame, n: int) -> list[pd.DataFrame]:
    bounds = np.linspace(0, len(frame), n + 1).astype(int)
    return [frame.iloc[a:b].reset_index(drop=True) for a, b in zip(bounds[:-1], bounds[1:])]


@given(st.lists(st.text(max_size=6), max_size=60), st.integers(1, 7), st.integers(1, 5))
def test_shuffle_moves_every_row_once_to_its_keys_bucket(keys, buckets, parts):
    frame = pd.DataFrame({"key": pd.Series(keys, dtype=object), "row": np.arange(len(keys))})
    out = shuffle(EX, _parts(frame, parts), "key", buckets)
    assert len(out) == buckets
    assert sorted(concat(*out)["row"].tolist()) == list(range(len(keys)))
    for piece in out:  # a key lives in one bucket only
        others = set().union(*(set(p["key"]) for p in out if p is not piece))
        assert not set(piece["key"]) & others


@given(st.lists(st.integers(0, 99), max_size=80), st.integers(1, 6))
def test_ranges_route_keys_to_contiguous_buckets(values, buckets):
    pieces = split_frame(pd.DataFrame({"ix": np.array(values, np.int64)}), "ix", buckets, Ranges(100))
    highest = -1
    for piece in pieces:
        if len(piece):
            assert piece["ix"].min() >= highest
            highest = piece["ix"].max()


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=80), st.integers(1, 5), st.integers(1, 4))
def test_components_match_scipy(pairs, buckets, parts):
    edges = pd.DataFrame({"a": np.array([p[0] for p in pairs], np.int64), "b": np.array([p[1] for p in pairs], np.int64)})
    roots = concat(*components(EX, [canonical(p) for p in _parts(edges, parts)], buckets, Ranges(41)))
    got = dict(zip(roots["node"].tolist(), roots["root"].tolist()))
    assert len(got) == len(roots)  # one row per node
    keep = edges[edges["a"] != edges["b"]]
    graph = sp.coo_matrix((np.ones(len(keep)), (keep["a"], keep["b"])), shape=(41, 41))
    _, label = connected_components(graph, directed=False)
    nodes = set(keep["a"]) | set(keep["b"])
    assert set(got) == nodes
    for node in nodes:  # the root is the smallest node of the component
        assert got[node] == min(n for n in nodes if label[n] == label[node])


@given(st.lists(st.tuples(st.one_of(st.none(), st.floats(0, 5)), st.text("abc", min_size=1, max_size=4)),
                max_size=60, unique_by=lambda t: t[1]), st.integers(1, 5), st.integers(1, 4))
def test_rank_is_the_global_order(rows, buckets, parts):
    frame = pd.DataFrame({"day": np.array([np.nan if d is None else d for d, _ in rows], np.float64),
                          "id": pd.Series([i for _, i in rows], dtype=object)})
    ranked = rank(EX, _parts(frame, parts), "day", buckets, tie="id")
    got = concat(*ranked.parts).sort_values("rank")
    expected = sorted(rows, key=lambda r: (np.inf if r[0] is None else r[0], r[1]))
    assert got["id"].tolist() == [i for _, i in expected]
    assert got["rank"].tolist() == list(range(len(rows)))
    assert ranked.total == len(rows)


LINES = ["Share this story", "Subscribe to our newsletter", "Read more", "All rights reserved.",
         "The minister spoke in the capital on Monday.", "Photo: agency"]


@given(st.lists(st.tuples(st.lists(st.sampled_from(LINES) | st.text("xyz ", min_size=1, max_size=30), max_size=6),
                          st.sampled_from([None, "a.example", "b.example"])), max_size=40), st.integers(1, 4))
def test_repeated_lines_counted_in_buckets_judge_as_the_whole_batch(docs, buckets):
    whole = RepeatedLines().fit(docs)
    frame = pd.DataFrame({"paragraphs": pd.Series([d for d, _ in docs], dtype=object),
                          "source": pd.Series([o for _, o in docs], dtype=object)})
    rows = [A.line_rows(p) for p in _parts(frame, 3)]
    counted = [A.count_lines(b, 3) for b in shuffle(EX, [r[0] for r in rows], "line", buckets)]
    parted = A.learner_from(counted, [r[1] for r in rows])
    for blocks, outlet in docs:
        for block in blocks:
            assert whole.for_outlet(outlet).test(block) == parted.for_outlet(outlet).test(block)


def test_band_proposals_are_the_single_process_ones():
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(60)]
    texts = [" ".join(rng.choice(words, 40)) for _ in range(120)]
    texts += [t + " extra words here" for t in texts[:30]]  # near copies
    frame = pd.DataFrame({"ix": np.arange(len(texts)), "text": texts, "when": np.inf, "length": [len(t) for t in texts]})
    params = CopyParams()
    sketches = C.sketch(frame, params)
    pairs = concat(*[C.propose(b) for b in shuffle(EX, [C.band_rows(s, params) for s in _parts(sketches, 3)], "key", 4)])
    detector = CopyDetector(params)
    keys = detector._band_key_matrix(np.stack(sketches["signature"].to_numpy(object)))
    expected = {tuple(p) for p in detector._proposals(keys).tolist()}
    assert {tuple(p) for p in pairs[["a", "b"]].drop_duplicates().to_numpy().tolist()} == expected
