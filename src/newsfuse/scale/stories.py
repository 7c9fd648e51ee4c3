"""Story clustering over partitions: the rule of :meth:`newsfuse.StoryClusterer.fit`.

* :func:`features` - each original's features and lead features (pure).
* Document frequencies are counted per bucket, summed by feature, and the
  features seen more than once are broadcast (:class:`Idf`): a report is
  weighed exactly as in a single-process run of the whole batch.
* Blocking: reports in global (time, id) order are cut into slices of
  ``exact_limit``; average linkage runs exactly inside each slice
  (:func:`slice_clusters`), which also sums each cluster's vectors.
* Cross-block merging: clusters in global (mid-time, id) order are compared
  block by block with the clusters within reach in time
  (:func:`stitch_edges`); the pairs whose average link reaches the threshold
  are the edges of a graph, and merging runs greedily, most similar first,
  within each of its components (:func:`merge_component`) - merges in one
  component never change another's, so this is the single-process result.
* :func:`split_stories` - the split test on each story's leads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..cluster import batch
from ..cluster.features import CountRows, Featurizer, FeatureWeights, inverse_df, weigh_batch
from ..cluster.model import ClusterParams, story_id
from ..cluster.split import split_parts
from .engine import concat

STITCH_BLOCK = 2048  # as in batch.candidate_pairs
STITCH_TOP = 100


# --- features and weights -----------------------------------------------------------------


def features(frame: pd.DataFrame, weights: FeatureWeights) -> pd.DataFrame:
    """id, day, and (feature ids, weighted counts) of the full text and of the lead."""
    featurize = Featurizer(weights)
    cols: dict[str, list] = {"fids": [], "vals": [], "lead_fids": [], "lead_vals": []}  # type: ignore[type-arg]
    for title, text in zip(frame["title"].tolist(), frame["text"].tolist()):
        full, lead = featurize.counts(title, text)
        cols["fids"].append(np.fromiter(full.keys(), np.int32, len(full)))
        cols["vals"].append(np.fromiter(full.values(), np.float64, len(full)))
        cols["lead_fids"].append(np.fromiter(lead.keys(), np.int32, len(lead)))
        cols["lead_vals"].append(np.fromiter(lead.values(), np.float64, len(lead)))
    out = pd.DataFrame({"ix": frame["ix"].to_numpy(np.int64), "id": frame["id"].to_numpy(object),
                        "day": frame["day"].to_numpy(np.float64)})
    for name, values in cols.items():
        out[name] = pd.Series(values, dtype=object, index=out.index)
    return out


def count_rows(frame: pd.DataFrame, fids: str = "fids", vals: str = "vals") -> CountRows:
    ids = frame[fids].tolist()
    return CountRows(
        np.concatenate(ids) if ids else np.zeros(0, np.int32),
        np.concatenate(frame[vals].tolist()) if ids else np.zeros(0),
        np.array([len(i) for i in ids], np.int64),
    )


def feature_counts(frame: pd.DataFrame, column: str = "fids") -> pd.DataFrame:
    """In how many rows of the partition each feature occurs."""
    ids = frame[column].tolist()
    if not ids:
        return pd.DataFrame({"fid": np.zeros(0, np.int64), "df": np.zeros(0, np.int64)})
    fid, df = np.unique(np.concatenate(ids), return_counts=True)
    return pd.DataFrame({"fid": fid.astype(np.int64), "df": df.astype(np.int64)})


def sum_counts(frame: pd.DataFrame, at_least: int = 1) -> pd.DataFrame:
    """Counts of one feature (all in this bucket) summed; only those reaching ``at_least``."""
    summed = frame.groupby("fid", sort=True)["df"].sum()
    summed = summed[summed >= at_least]
    return pd.DataFrame({"fid": summed.index.to_numpy(np.int64), "df": summed.to_numpy(np.int64)})


@dataclass(slots=True)
class Idf:
    """Inverse document frequencies of a batch of ``n`` reports, from the
    features seen in two or more (a feature a report has and this table lacks
    was seen once)."""

    n: int
    fids: np.ndarray
    df: np.ndarray

    @classmethod
    def of(cls, n: int, tables: list[pd.DataFrame]) -> Idf:
        table = concat(*tables).sort_values("fid") if tables else pd.DataFrame({"fid": [], "df": []})
        return cls(n, table["fid"].to_numpy(np.int64), table["df"].to_numpy(np.int64))

    def __call__(self, vocab: np.ndarray) -> np.ndarray:
        at = np.searchsorted(self.fids, vocab)
        found = at < len(self.fids)
        found[found] = self.fids[at[found]] == vocab[found]
        df = np.ones(len(vocab), np.int64)
        df[found] = self.df[at[found]]
        return inverse_df(self.n, df)


# --- slices -----------------------------------------------------------------------------------


def _rows_in(parts: tuple[pd.DataFrame, ...], start: int, stop: int) -> pd.DataFrame:
    rows = concat(*parts)
    return rows[(rows["rank"] >= start) & (rows["rank"] < stop)].sort_values("rank", kind="stable")


def slice_clusters(
    start: int, stop: int, params: ClusterParams, idf: Idf, whole: bool, *parts: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Average linkage inside each slice of ``exact_limit`` ranks in [start, stop).

    Returns the clusters (``ix``: the cluster's first report in slice order,
    ``slice``, ``size``, ``first``/``last`` day, and the sum of its vectors as
    ``fids``/``vals``) and the memberships (``ix``, ``rep``). ``whole``: the
    batch is one slice, linked in id order as the single-process run does.
    """
    size = params.exact_limit
    clusters, members = [], []
    for s0 in range(start, stop, size):
        rows = _rows_in(parts, s0, min(s0 + size, stop))
        if whole:
            rows = rows.sort_values("ix", kind="stable")
        c, m = _link_slice(rows, s0 // size, params, idf)
        clusters.append(c)
        members.append(m)
    return concat(*clusters), concat(*members)


def _link_slice(rows: pd.DataFrame, number: int, params: ClusterParams, idf: Idf) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = rows["ix"].to_numpy(np.int64)
    days = rows["day"].to_numpy(np.float64)
    counts = count_rows(rows)
    x = weigh_batch(counts, idf)
    labels = batch.average_linkage(x, days, params.threshold, window=params.window_days, scale=params.scale_days)
    # clusters numbered by their representative's id, members summed in id order (as the whole batch does)
    by_id = np.argsort(ids, kind="stable")
    reps, inverse = np.unique(ids[labels], return_inverse=True)
    k = len(reps)
    assign = sp.csr_matrix((np.ones(len(ids)), (inverse[by_id], np.arange(len(ids)))), shape=(k, len(ids)))
    sums = (assign @ x[by_id]).tocsr()
    vocab = np.unique(counts.ids)
    first, last = batch.time_spans(inverse, days, k)
    bounds = sums.indptr
    clusters = pd.DataFrame({
        "ix": reps,  # a cluster is named by its representative, so clusters order as articles do
        "slice": np.full(k, number, np.int64),
        "size": np.bincount(inverse, minlength=k).astype(np.float64),
        "first": first,
        "last": last,
        "centre": (first + last) / 2,
    })
    clusters["fids"] = pd.Series([vocab[sums.indices[a:b]] for a, b in zip(bounds[:-1], bounds[1:])], dtype=object)
    clusters["vals"] = pd.Series([sums.data[a:b] for a, b in zip(bounds[:-1], bounds[1:])], dtype=object)
    return clusters, pd.DataFrame({"ix": ids, "rep": ids[labels]})


# --- stitching ---------------------------------------------------------------------------------


def _sums(frame: pd.DataFrame) -> tuple[sp.csr_matrix, np.ndarray]:
    """Cluster sum vectors as rows of a matrix over the frame's own features
    (numbered in id order), and those features."""
    vocab = np.unique(np.concatenate(frame["fids"].tolist())) if len(frame) else np.zeros(0, np.int64)
    lengths = np.array([len(f) for f in frame["fids"].tolist()], np.int64)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    cols = np.searchsorted(vocab, np.concatenate(frame["fids"].tolist())) if len(frame) else np.zeros(0, np.int64)
    data = np.concatenate(frame["vals"].tolist()) if len(frame) else np.zeros(0)
    return sp.csr_matrix((data, cols.astype(np.int32), indptr), shape=(len(frame), len(vocab))), vocab


def stitch_edges(
    rows: tuple[int, int], cols: tuple[int, int] | None, undated_from: int, common: np.ndarray, params: ClusterParams,
    *parts: pd.DataFrame,
) -> pd.DataFrame:
    """Edges (a, b, link) between clusters of different slices whose average link
    reaches the threshold, for the clusters ranked ``rows`` against those
    ranked ``cols`` (None: every cluster, for an undated block). Pairs are
    proposed as :func:`newsfuse.cluster.batch.candidate_pairs` does: by the
    rare features of the clusters' mean vectors, within reach in time, at most
    ``STITCH_TOP`` per cluster."""
    frame = concat(*parts).drop_duplicates("ix").sort_values("rank", kind="stable").reset_index(drop=True)
    frame = frame[_taking_part(frame, rows, cols, undated_from, params)].reset_index(drop=True)
    sums, vocab = _sums(frame)
    norms = np.sqrt(np.asarray(sums.multiply(sums).sum(axis=1)).ravel())
    means = (sp.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ sums).tocsr()
    rare = means[:, ~np.isin(vocab, common)].tocsr()
    rank = frame["rank"].to_numpy(np.int64)
    by_id = frame["ix"].to_numpy(np.int64)  # clusters in the single-process order
    row_idx = np.flatnonzero((rank >= rows[0]) & (rank < rows[1]))
    undated = np.flatnonzero(rank >= undated_from)
    t = params.threshold
    col_idx = np.arange(len(frame)) if cols is None else np.setdiff1d(np.arange(len(frame)), undated)
    pairs = [batch._products(rare, row_idx, col_idx, t, STITCH_TOP, rank=by_id)]
    if cols is not None and len(undated):  # a dated block also meets every undated cluster
        pairs.append(batch._products(rare, row_idx, undated, t, STITCH_TOP, rank=by_id))
    r = np.concatenate([p[0] for p in pairs])
    c = np.concatenate([p[1] for p in pairs])
    slices = frame["slice"].to_numpy(np.int64)
    keep = slices[r] != slices[c]
    r, c = r[keep], c[keep]
    first, last = frame["first"].to_numpy(np.float64), frame["last"].to_numpy(np.float64)
    sizes = frame["size"].to_numpy(np.float64)
    dots = np.asarray(sums[r].multiply(sums[c]).sum(axis=1)).ravel()
    link = dots / (sizes[r] * sizes[c]) * batch.gap_decay(first, last, r, c, params.window_days, params.scale_days)
    keep = link >= t
    a, b = by_id[r[keep]], by_id[c[keep]]
    return pd.DataFrame({"a": np.minimum(a, b), "b": np.maximum(a, b), "link": link[keep]})


def _taking_part(frame: pd.DataFrame, rows: tuple[int, int], cols: tuple[int, int] | None, undated_from: int,
                 params: ClusterParams) -> np.ndarray:
    """Which clusters of the (rank-sorted) frame a block compares: its own, the
    dated ones within reach of its time span, and the undated ones - all of
    them for an undated block. Vectors are only built for these."""
    rank = frame["rank"].to_numpy(np.int64)
    own = (rank >= rows[0]) & (rank < rows[1])
    if cols is None:
        return np.ones(len(frame), bool)
    centre = frame["centre"].to_numpy(np.float64)
    reach = batch.reach_days(params.threshold, params.window_days, params.scale_days) + 30
    lo, hi = centre[own][0] - reach, centre[own][-1] + reach
    near = (rank >= cols[0]) & (rank < cols[1]) & (centre >= lo) & (centre <= hi)
    return own | near | (rank >= undated_from)


def merge_component(clusters: pd.DataFrame, edges: pd.DataFrame, params: ClusterParams) -> pd.DataFrame:
    """(ix, story) for the clusters of one component: greedy average-linkage
    merging, most similar first (:func:`newsfuse.cluster.batch.merge_greedily`,
    as the single-process stitch). Clusters are numbered in ``ix`` order, the
    order of the single-process cluster indices, so ties pop alike.
    ``story``: the first cluster of the merged story."""
    clusters = clusters.drop_duplicates("ix").sort_values("ix").reset_index(drop=True)
    sums, _ = _sums(clusters)
    ids = clusters["ix"].to_numpy(np.int64)
    a, b = np.searchsorted(ids, edges["a"].to_numpy(np.int64)), np.searchsorted(ids, edges["b"].to_numpy(np.int64))
    roots = batch.merge_greedily(
        edges["link"].to_numpy(np.float64), a, b, sums, clusters["size"].to_numpy(np.float64).copy(),
        clusters["first"].to_numpy(np.float64).copy(), clusters["last"].to_numpy(np.float64).copy(),
        params.threshold, window=params.window_days, scale=params.scale_days)
    first_of: dict[int, int] = {}
    for i, root in enumerate(roots.tolist()):
        first_of.setdefault(root, i)  # clusters are in ix order: the first is the smallest
    return pd.DataFrame({"ix": ids, "story": ids[[first_of[r] for r in roots.tolist()]]})


def with_root(clusters: pd.DataFrame, roots: pd.DataFrame) -> pd.DataFrame:
    """Clusters (routed by ix) with the root of their stitching component (themselves when alone)."""
    out = clusters.merge(roots.rename(columns={"node": "ix"}), on="ix", how="left")
    out["root"] = np.where(out["root"].isna(), out["ix"], out["root"].fillna(-1)).astype(np.int64)
    return out


def stitched(clusters: pd.DataFrame, edges: pd.DataFrame, params: ClusterParams) -> pd.DataFrame:
    """(ix, story) for every cluster of a bucket of components (clusters and edges routed by root)."""
    out = []
    edges_by_root = dict(tuple(edges.groupby("root", sort=False))) if len(edges) else {}
    for root, group in clusters.groupby("root", sort=False):
        e = edges_by_root.get(root)
        if e is None:
            out.append(pd.DataFrame({"ix": group["ix"].to_numpy(np.int64), "story": group["ix"].to_numpy(np.int64)}))
        else:
            out.append(merge_component(group, e, params))
    return concat(*out) if out else pd.DataFrame({"ix": np.zeros(0, np.int64), "story": np.zeros(0, np.int64)})


def edge_roots(edges: pd.DataFrame, roots: pd.DataFrame) -> pd.DataFrame:
    """Edges (routed by ``a``) with the root of their component."""
    return edges.merge(roots.rename(columns={"node": "a"}), on="a", how="inner")


# --- stories -------------------------------------------------------------------------------


def story_keys(members: pd.DataFrame, stories: pd.DataFrame) -> pd.DataFrame:
    """Articles (routed by their cluster's rep) with their stitched story key."""
    out = members.merge(stories.rename(columns={"ix": "rep"}), on="rep", how="left")
    out["story"] = np.where(out["story"].isna(), out["rep"], out["story"].fillna(-1)).astype(np.int64)
    return out


def with_leads(keys: pd.DataFrame, feats: pd.DataFrame) -> pd.DataFrame:
    """(ix, story) joined with each article's id, day and lead features (both routed by ix)."""
    return keys[["ix", "story"]].merge(feats[["ix", "id", "day", "lead_fids", "lead_vals"]], on="ix", how="inner")


def split_stories(frame: pd.DataFrame, params: ClusterParams) -> pd.DataFrame:
    """(ix, id, story_id) for the articles of some stories (bucketed by story key):
    each story split where its leads cut cleanly, and named by its founder."""
    ix_out, ids_out, sids_out = [], [], []
    for _, group in frame.groupby("story", sort=False):
        group = group.sort_values("ix", kind="stable")
        ix = group["ix"].to_numpy(np.int64)
        ids = group["id"].to_numpy(object)
        if len(group) >= 2 * params.min_split:
            rows = count_rows(group, "lead_fids", "lead_vals").rows()
            parts = split_parts(rows, params.split_ncut, params.min_split)
        else:
            parts = [np.arange(len(group))]
        days = np.nan_to_num(group["day"].to_numpy(np.float64), nan=np.inf)
        for part in parts:
            founder = min(zip(days[part].tolist(), ix[part].tolist(), ids[part].tolist()))[2]
            ix_out += ix[part].tolist()
            ids_out += ids[part].tolist()
            sids_out += [story_id(founder)] * len(part)
    return pd.DataFrame({"ix": np.array(ix_out, np.int64), "id": pd.Series(ids_out, dtype=object),
                         "story_id": pd.Series(sids_out, dtype=object)})
