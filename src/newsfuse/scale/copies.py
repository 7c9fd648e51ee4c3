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

Articles are named by ``ix``, their index in id order, as in the
single-process run: integer keys sort, join and travel far faster than ids.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..dedup import CopyDetector, CopyParams, _Facts, choose_original, shingles

def sketch(frame: pd.DataFrame, params: CopyParams) -> pd.DataFrame:
    """ix, when, length, shingles and signature of each article of a partition."""
    hasher = CopyDetector(params)._hasher
    sh = [shingles(t, params.shingle) for t in frame["text"].tolist()]
    return pd.DataFrame({
        "ix": frame["ix"].to_numpy(np.int64),
        "when": frame["when"].to_numpy(np.float64),
        "length": frame["length"].to_numpy(np.int64),
        "shingles": pd.Series(sh, dtype=object),
        "signature": pd.Series([hasher.signature(s) for s in sh], dtype=object),
    })


def band_rows(sketches: pd.DataFrame, params: CopyParams) -> pd.DataFrame:
    """(band, key, ix) for each band of each article with enough shingles."""
    enough = np.array([len(s) >= params.min_shingles for s in sketches["shingles"].tolist()], bool)
    if not enough.any():
        return pd.DataFrame({"band": np.zeros(0, np.int16), "key": np.zeros(0, np.uint64), "ix": np.zeros(0, np.int64)})
    sigs = np.stack(sketches["signature"].to_numpy(object)[enough])
    keys = CopyDetector(params)._band_key_matrix(sigs)
    n, bands = keys.shape
    ix = sketches["ix"].to_numpy(np.int64)[enough]
    return pd.DataFrame({"band": np.tile(np.arange(bands, dtype=np.int16), n), "key": keys.ravel(), "ix": np.repeat(ix, bands)})


def propose(rows: pd.DataFrame) -> pd.DataFrame:
    """Pairs (a < b) of articles sharing a band key, each with at most
    ``MAX_BUCKET`` neighbours of its key in id order."""
    band, key, ix = rows["band"].to_numpy(), rows["key"].to_numpy(), rows["ix"].to_numpy(np.int64)
    order = np.lexsort((ix, key, band))
    band, key, ix = band[order], key[order], ix[order]
    a, b = [], []
    for lag in range(1, min(CopyDetector.MAX_BUCKET + 1, len(ix))):
        same = (band[:-lag] == band[lag:]) & (key[:-lag] == key[lag:])
        if not same.any():
            break
        a.append(ix[:-lag][same])
        b.append(ix[lag:][same])
    if not a:
        return _pairs()
    pairs = np.unique(np.stack([np.concatenate(a), np.concatenate(b)], axis=1), axis=0)
    return pd.DataFrame({"a": pairs[:, 0], "b": pairs[:, 1]})


def _pairs() -> pd.DataFrame:
    return pd.DataFrame({"a": np.zeros(0, np.int64), "b": np.zeros(0, np.int64)})


def with_signature(pairs: pd.DataFrame, sketches: pd.DataFrame) -> pd.DataFrame:
    """Pairs (bucketed by ``a``) with a's signature and shingle count."""
    pairs = pairs.drop_duplicates()
    side = pd.DataFrame({"a": sketches["ix"], "sig_a": sketches["signature"],
                         "size_a": [len(s) for s in sketches["shingles"].tolist()]})
    return pairs.merge(side, on="a", how="inner")


def likely(pairs: pd.DataFrame, sketches: pd.DataFrame, params: CopyParams) -> pd.DataFrame:
    """The pairs (bucketed by ``b``) whose signatures say they may be copies, with b's shingles."""
    side = pd.DataFrame({"b": sketches["ix"], "sig_b": sketches["signature"], "sh_b": sketches["shingles"]})
    pairs = pairs.merge(side, on="b", how="inner")
    if pairs.empty:
        return _pairs().assign(sh_b=pd.Series([], dtype=object))
    sa, sb = np.stack(pairs["sig_a"].to_numpy(object)), np.stack(pairs["sig_b"].to_numpy(object))
    size_b = np.array([len(s) for s in pairs["sh_b"].tolist()], np.float64)
    keep = CopyDetector(params)._likely((sa == sb).mean(axis=1), pairs["size_a"].to_numpy(np.float64), size_b)
    return pairs.loc[keep, ["a", "b", "sh_b"]]


def confirm(pairs: pd.DataFrame, sketches: pd.DataFrame, params: CopyParams) -> pd.DataFrame:
    """The likely pairs (bucketed by ``a``) that are copies by their shingles: edges (a, b)."""
    side = pd.DataFrame({"a": sketches["ix"], "sh_a": sketches["shingles"]})
    pairs = pairs.merge(side, on="a", how="inner")
    detector = CopyDetector(params)
    keep = [detector._is_copy(x, y) for x, y in zip(pairs["sh_a"].tolist(), pairs["sh_b"].tolist())]
    return pairs.loc[np.array(keep, bool), ["a", "b"]] if keep else _pairs()


def facts(roots: pd.DataFrame, sketches: pd.DataFrame) -> pd.DataFrame:
    """Copy-group members (bucketed by ix) with what choosing an original needs."""
    side = sketches[["ix", "when", "length"]].rename(columns={"ix": "node"})
    return roots.merge(side, on="node", how="inner")


def originals(members: pd.DataFrame) -> pd.DataFrame:
    """(ix, original) for each copy, from group members bucketed by root. Indices
    are in id order, so they break ties as ids do in :func:`choose_original`."""
    out_ix, out_orig = [], []
    for _, group in members.groupby("root", sort=True):
        nodes = group["node"].tolist()
        chosen = choose_original(_Facts(i, w, n) for i, w, n in zip(nodes, group["when"].tolist(), group["length"].tolist()))  # type: ignore[arg-type]
        out_ix += [i for i in nodes if i != chosen]
        out_orig += [chosen] * (len(nodes) - 1)
    return pd.DataFrame({"ix": np.array(out_ix, np.int64), "original": np.array(out_orig, np.int64)})
