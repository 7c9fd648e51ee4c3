"""What an article is about, as weighted features: words, names, numbers.

Events of one kind (two earthquakes, two rehab check-ins) share their common
words; what tells them apart is who, where, when and how many. So besides
content words, an article's features are:

* names (runs of capitalised words inside a sentence: ``e:brian nichols``),
  weighted above plain words;
* numbers and years (``n:23``, ``y:2009``), number words included
  ("seventeen" is 17);

and the title and the lead (the first two sentences, where news tells the
event itself) count several times over the body, which carries background.

Features are hashed to stable 31-bit ids (CRC-32) so that vectors mean the
same thing in every process and every run (online state, Dask workers).
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..model import Article
from ..text import ABBREVIATIONS, NUMBER_WORDS, STOP_WORDS, TOKEN, lead

_YEAR = range(1900, 2101)


@dataclass(frozen=True, slots=True)
class FeatureWeights:
    """How much each part and kind of feature counts. Defaults are reasoned, not fitted:
    the title and the lead tell the event; names and numbers tell events apart."""

    title: float = 6.0
    lead: float = 3.0
    body: float = 1.0
    name: float = 2.0  # extra weight of a name phrase over its words
    number: float = 2.0


# Tokens with the sentence marks kept, so that sentence-initial capitals can be told apart.
_TOKENS = re.compile(TOKEN.pattern + r"|[.!?]", re.UNICODE)
_NUM, _WORD, _STOP, _MARK = 0, 1, 2, 3
_INFO: dict[str, tuple[int, str, bool]] = {}  # token -> (kind, normalised form, capitalised)


def _info(tok: str) -> tuple[int, str, bool]:
    """What a token is, computed once per distinct token (tokens repeat a lot)."""
    got = _INFO.get(tok)
    if got is not None:
        return got
    if tok in ".!?":
        got = (_MARK, tok, False)
    else:
        low = tok.lower().replace("’", "'")
        if low.endswith("'s"):
            low = low[:-2]
        if tok[0].isdigit() or low in NUMBER_WORDS:
            n = tok.replace(",", "").rstrip(".:") if tok[0].isdigit() else str(NUMBER_WORDS[low])
            got = (_NUM, ("y:" if n.isdigit() and int(n) in _YEAR else "n:") + n, False)
        elif low in STOP_WORDS or len(low) < 2:
            got = (_STOP, low, tok[0].isupper())
        else:
            # crude plural folding: "pirates" and "pirate" are one feature
            stem = low[:-1] if len(low) > 4 and low[-1] == "s" and low[-2] not in "su'" else low
            got = (_WORD, stem, tok[0].isupper())
    if len(_INFO) > 500_000:
        _INFO.clear()
    _INFO[tok] = got
    return got


def text_features(
    text: str, weight: float, out: Counter[str], w: FeatureWeights, *, lead_weight: float = 0.0, lead_sentences: int = 2
) -> None:
    """Add the features of ``text``, each counted ``weight`` times, to ``out``;
    those of its first ``lead_sentences`` sentences count ``lead_weight`` more.

    A name is a run of capitalised words that does not start a sentence (a
    sentence-initial capital says nothing); its words count as words too.
    """
    name: list[str] = []
    first = True
    sentences_left = lead_sentences if lead_weight else 0
    cur = weight + lead_weight if sentences_left else weight
    previous = ""
    for tok in _TOKENS.findall(text):
        kind, form, cap = _info(tok)
        if kind == _WORD and cap and not first:
            name.append(form)
        elif name:
            out["e:" + " ".join(name)] += cur * w.name
            name = []
        if kind == _WORD:
            out["w:" + form] += cur
        elif kind == _NUM:
            out[form] += cur * w.number
        first = kind == _MARK and not (len(previous) == 1 or previous.lower() in ABBREVIATIONS)
        if first and sentences_left:
            sentences_left -= 1
            if not sentences_left:
                cur = weight
        previous = tok
    if name:
        out["e:" + " ".join(name)] += cur * w.name


def article_features(article: Article, weights: FeatureWeights | None = None) -> Counter[str]:
    """The weighted feature counts of an article (title, lead and body)."""
    w = weights or FeatureWeights()
    out: Counter[str] = Counter()
    if article.title:
        text_features(article.title, w.title, out, w)
    text_features(article.text, w.body, out, w, lead_weight=w.lead)
    return out


def lead_features(article: Article, weights: FeatureWeights | None = None) -> Counter[str]:
    """Features of the title and lead only: what the story is, without background."""
    w = weights or FeatureWeights()
    out: Counter[str] = Counter()
    if article.title:
        text_features(article.title, 2.0, out, w)
    text_features(lead(article.text), 1.0, out, w)
    return out


def feature_id(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & 0x7FFFFFFF


class DocumentFrequencies:
    """Document frequencies of hashed features, updated one article at a time."""

    def __init__(self) -> None:
        self.n = 0
        self.df: dict[int, int] = {}

    def learn_one(self, ids: Iterable[int]) -> None:
        self.n += 1
        df = self.df
        for i in ids:
            df[i] = df.get(i, 0) + 1

    def idf(self, i: int) -> float:
        return math.log((1 + self.n) / (1 + self.df.get(i, 0))) + 1.0


def hashed(features: Counter[str]) -> dict[int, float]:
    out: dict[int, float] = {}
    for f, v in features.items():
        i = feature_id(f)
        out[i] = out.get(i, 0.0) + v
    return out


def weigh(counts: dict[int, float], dfs: DocumentFrequencies) -> tuple[np.ndarray, np.ndarray]:
    """A unit-length TF-IDF vector (sublinear term frequency) as (ids, values), ids sorted."""
    if not counts:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    ids = np.fromiter(counts.keys(), np.int64, len(counts))
    tf = np.fromiter(counts.values(), np.float64, len(counts))
    tf = np.where(tf >= 1, 1 + np.log(np.maximum(tf, 1)), tf)
    idf = np.fromiter((dfs.idf(int(i)) for i in ids), np.float64, len(ids))
    vals = tf * idf
    order = np.argsort(ids)
    ids, vals = ids[order], vals[order]
    norm = math.sqrt(float(vals @ vals))
    return ids, vals / norm if norm else vals


def to_matrix(rows: list[tuple[np.ndarray, np.ndarray]]) -> sp.csr_matrix:
    """Stack (ids, values) rows into a CSR matrix.

    Columns are renumbered to the features these rows use (hashed ids span
    2^31, far too wide for sparse products), so a matrix is only comparable
    with itself; compare vectors across batches by their ids.
    """
    indptr = np.zeros(len(rows) + 1, np.int64)
    for i, (ids, _) in enumerate(rows):
        indptr[i + 1] = indptr[i] + len(ids)
    if not rows or indptr[-1] == 0:
        return sp.csr_matrix((len(rows), 0))
    ids = np.concatenate([r[0] for r in rows])
    data = np.concatenate([r[1] for r in rows])
    vocab, cols = np.unique(ids, return_inverse=True)
    return sp.csr_matrix((data, cols.astype(np.int32), indptr), shape=(len(rows), len(vocab)))
