"""Copy detection over partitions: the rule of :class:`newsfuse.dedup.CopyDetector.fit`.

1. :func:`sketch` - shingles and MinHash signatures, per article (pure).
2. :func:`band_rows` - one row per (article, band key); shuffled by key, each
   bucket holds every article of its keys, and :func:`propose` pairs each
   article with its ``MAX_BUCKET`` neighbours in id order within a key, as the
   single-process sort does.
3. Pairs are deduplicated (shuffle by the first id) and confirmed in two
   joins: signatures first (:func:`with_signature` then :func:`likely`, at the
   second article's bucket), then shingles (:func:`confirm`, back at the
   first's) - signatures are small, shingles are only shipped for likely pairs.
4. Confirmed pairs are the edges of a graph whose components are the copy
   groups (:mod:`.components`); each group's original is chosen by
   :func:`originals` from the members' dates and lengths.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..dedup import CopyDetector, CopyParams, _Facts, choose_original, shingles

SKETCH_COLUMNS = ["id", "when", "length", "shingles", "signature"]


def sketch(frame: pd.DataFrame, params: CopyParams) -> pd.DataFrame:
    """id, when, length, shingles and signature of each article of a partition."""
    hasher = CopyDetector(params)._hasher
    sh = [shingles(t, params.shingle) for t in frame["text"].tolist()]
    return pd.DataFrame({
        "id": frame["id"].to_numpy(object),
        "when": frame["when"].to_numpy(np.float64),
        "length": frame["length"].to_numpy(np.int64),
        "shingles": pd.Series(sh, dtype=object),
        "signature": pd.Series([hasher.signature(s) for s in sh], dtype=object),
    })


def band_rows(sketches: pd.DataFrame, params: CopyParams) -> pd.DataFrame:
    """(band, key, id) for each band of each article with enough shingles."""
    enough = np.array([len(s) >= params.min_shingles for s in sketches["shingles"].tolist()], bool)
    if not enough.any():
        return pd.DataFrame({"band": np.zeros(0, np.int16), "key": np.zeros(0, np.uint64), "id": np.zeros(0, object)})
    sigs = np.stack(sketches["signature"].to_numpy(object)[enough])
    keys = CopyDetector(params)._band_key_matrix(sigs)
    n, bands = keys.shape
    ids = sketches["id"].to_numpy(object)[enough]
    return pd.DataFrame({
        "band": np.tile(np.arange(bands, dtype=np.int16), n),
        "key": keys.ravel(),
        "id": np.repeat(ids, bands),
    })


def propose(rows: pd.DataFrame) -> pd.DataFrame:
    """Pairs (a < b) of articles sharing a band key, each with at most
    ``MAX_BUCKET`` neighbours of its key in id order."""
    rows = rows.sort_values(["band", "key", "id"], kind="stable")
    band, key, ids = rows["band"].to_numpy(), rows["key"].to_numpy(), rows["id"].to_numpy(object)
    a, b = [], []
    for lag in range(1, CopyDetector.MAX_BUCKET + 1):
        if lag >= len(ids):
            break
        same = (band[:-lag] == band[lag:]) & (key[:-lag] == key[lag:])
        if not same.any():
            break
        a.append(ids[:-lag][same])
        b.append(ids[lag:][same])
    if not a:
        return pd.DataFrame({"a": [], "b": []}, dtype=object)
    return pd.DataFrame({"a": np.concatenate(a), "b": np.concatenate(b)}, dtype=object).drop_duplicates()


def with_signature(pairs: pd.DataFrame, sketches: pd.DataFrame) -> pd.DataFrame:
    """Pairs (bucketed by ``a``) with a's signature and shingle count."""
    pairs = pairs.drop_duplicates()
    side = pd.DataFrame({"a": sketches["id"], "sig_a": sketches["signature"],
                         "size_a": [len(s) for s in sketches["shingles"].tolist()]})
    return pairs.merge(side, on="a", how="inner")


def likely(pairs: pd.DataFrame, sketches: pd.DataFrame, params: CopyParams) -> pd.DataFrame:
    """The pairs (bucketed by ``b``) whose signatures say they may be copies, with b's shingles."""
    side = pd.DataFrame({"b": sketches["id"], "sig_b": sketches["signature"], "sh_b": sketches["shingles"]})
    pairs = pairs.merge(side, on="b", how="inner")
    if pairs.empty:
        return pd.DataFrame({"a": [], "b": [], "sh_b": []}, dtype=object)
    sa, sb = np.stack(pairs["sig_a"].to_numpy(object)), np.stack(pairs["sig_b"].to_numpy(object))
    size_b = np.array([len(s) for s in pairs["sh_b"].tolist()], np.float64)
    keep = CopyDetector(params)._likely((sa == sb).mean(axis=1), pairs["size_a"].to_numpy(np.float64), size_b)
    return pairs.loc[keep, ["a", "b", "sh_b"]]


def confirm(pairs: pd.DataFrame, sketches: pd.DataFrame, params: CopyParams) -> pd.DataFrame:
    """The likely pairs (bucketed by ``a``) that are copies by their shingles: edges (a, b)."""
    side = pd.DataFrame({"a": sketches["id"], "sh_a": sketches["shingles"]})
    pairs = pairs.merge(side, on="a", how="inner")
    detector = CopyDetector(params)
    keep = [detector._is_copy(x, y) for x, y in zip(pairs["sh_a"].tolist(), pairs["sh_b"].tolist())]
    return pairs.loc[np.array(keep, bool), ["a", "b"]] if keep else pd.DataFrame({"a": [], "b": []}, dtype=object)


def facts(roots: pd.DataFrame, sketches: pd.DataFrame) -> pd.DataFrame:
    """Copy-group members (bucketed by id) with what choosing an original needs."""
    side = sketches[["id", "when", "length"]].rename(columns={"id": "node"})
    return roots.merge(side, on="node", how="inner")


def originals(members: pd.DataFrame) -> pd.DataFrame:
    """(id, original) for each copy, from group members bucketed by root."""
    out_ids, out_orig = [], []
    for _, group in members.groupby("root", sort=True):
        chosen = choose_original(_Facts(i, w, n) for i, w, n in zip(group["node"], group["when"], group["length"]))
        for aid in group["node"].tolist():
            if aid != chosen:
                out_ids.append(aid)
                out_orig.append(chosen)
    return pd.DataFrame({"id": out_ids, "original": out_orig}, dtype=object)
