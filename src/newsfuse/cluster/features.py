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
A second, smaller set - the *lead features*, title and lead only - is what
the split step (:mod:`.split`) compares.

Features are hashed to stable 31-bit ids (CRC-32) so that vectors mean the
same thing in every process and every run (online state, Dask workers).
One pass over the tokens computes both sets; per-token work is cached,
since tokens repeat a lot.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..model import Article
from ..parallel import map_chunks
from ..text import ABBREVIATIONS, NUMBER_WORDS, STOP_WORDS, TOKEN

_YEAR = range(1900, 2101)
# Tokens with the sentence marks and paragraph breaks kept, so that sentence starts can be told apart.
_TOKENS = re.compile(TOKEN.pattern + r"|[.!?]|\n+", re.UNICODE)
_NUM, _WORD, _STOP, _MARK = 0, 1, 2, 3

Counts = dict[int, float]


@dataclass(frozen=True, slots=True)
class FeatureWeights:
    """How much each part and kind of feature counts. Defaults are reasoned, not
    fitted: the title and the lead tell the event; names and numbers tell
    events of one kind apart."""

    title: float = 6.0
    lead: float = 3.0  # on top of the body weight, for the first ``lead_sentences``
    body: float = 1.0
    name: float = 2.0  # a name phrase, on top of its words
    number: float = 2.0
    lead_sentences: int = 2
    max_chars: int = 3000  # the event and its specifics are told first; the rest is background


def feature_id(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & 0x7FFFFFFF


class Featurizer:
    """Turns articles into (features, lead features), both {feature id: weighted count}."""

    def __init__(self, weights: FeatureWeights | None = None) -> None:
        self.w = weights or FeatureWeights()
        self._tokens: dict[str, tuple[int, int, str, bool]] = {}
        self._names: dict[str, int] = {}

    def __getstate__(self) -> dict[str, object]:
        """Pickled without its caches (rebuilt as tokens come): the stream model's state is saved often."""
        return {"w": self.w}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.w = state["w"]  # type: ignore[assignment]
        self._tokens, self._names = {}, {}

    def _info(self, tok: str) -> tuple[int, int, str, bool]:
        """(kind, feature id, normal form, capitalised) of a token, computed once."""
        got = self._tokens.get(tok)
        if got is not None:
            return got
        if tok in ".!?" or tok[0] == "\n":
            got = (_MARK, 0, tok, False)
        else:
            low = tok.lower().replace("’", "'")
            if low.endswith("'s"):
                low = low[:-2]
            if tok[0].isdigit() or low in NUMBER_WORDS:
                n = tok.replace(",", "").rstrip(".:") if tok[0].isdigit() else str(NUMBER_WORDS[low])
                feature = ("y:" if n.isdigit() and int(n) in _YEAR else "n:") + n
                got = (_NUM, feature_id(feature), n, False)
            elif low in STOP_WORDS or len(low) < 2:
                got = (_STOP, 0, low, tok[0].isupper())
            else:
                # crude plural folding: "pirates" and "pirate" are one feature
                stem = low[:-1] if len(low) > 4 and low[-1] == "s" and low[-2] not in "su'" else low
                got = (_WORD, feature_id("w:" + stem), stem, tok[0].isupper())
        if len(self._tokens) > 1_000_000:
            self._tokens.clear()
        self._tokens[tok] = got
        return got

    def _name(self, words: list[str]) -> int:
        phrase = " ".join(words)
        i = self._names.get(phrase)
        if i is None:
            if len(self._names) > 1_000_000:
                self._names.clear()
            i = self._names[phrase] = feature_id("e:" + phrase)
        return i

    def _add(self, text: str, full: Counts, lead: Counts, weight: float, lead_weight: float, lead_sentences: int) -> None:
        """Add the features of ``text``: the first ``lead_sentences`` sentences with
        ``weight + lead_weight`` (and to ``lead``), the rest with ``weight``.
        A name is a run of capitalised words not starting a sentence.
        (Written for speed: every article passes through here.)"""
        name_w, number_w = self.w.name, self.w.number
        cached = self._tokens.get
        info = self._info
        full_get, lead_get = full.get, lead.get
        name: list[str] = []
        first = True
        left = lead_sentences
        cur = weight + lead_weight if left else weight
        previous = ""
        for tok in _TOKENS.findall(text):
            kind, fid, form, cap = cached(tok) or info(tok)
            if kind == _WORD:
                if cap and not first:
                    name.append(form)
                elif name:
                    self._put_name(name, cur, full, lead, left)
                    name = []
                full[fid] = full_get(fid, 0.0) + cur
                if left:
                    lead[fid] = lead_get(fid, 0.0) + 1.0
                first = False
            elif kind == _MARK:
                if name:
                    self._put_name(name, cur, full, lead, left)
                    name = []
                if tok[0] == "\n":
                    first = True
                    ends = previous[:1] not in ".!?"  # "\n" right after "." ends nothing more
                else:
                    first = ends = not (len(previous) == 1 or previous.lower() in ABBREVIATIONS)
                if ends and left:
                    left -= 1
                    if not left:
                        cur = weight
            else:
                if name:
                    self._put_name(name, cur, full, lead, left)
                    name = []
                if kind == _NUM:
                    full[fid] = full_get(fid, 0.0) + cur * number_w
                    if left:
                        lead[fid] = lead_get(fid, 0.0) + number_w
                first = False
            previous = tok
        if name:
            self._put_name(name, cur, full, lead, left)

    def _put_name(self, words: list[str], cur: float, full: Counts, lead: Counts, in_lead: int) -> None:
        fid = self._name(words)
        full[fid] = full.get(fid, 0.0) + cur * self.w.name
        if in_lead:
            lead[fid] = lead.get(fid, 0.0) + self.w.name

    def __call__(self, article: Article) -> tuple[Counts, Counts]:
        return self.counts(article.title, article.text)

    def counts(self, title: str | None, text: str) -> tuple[Counts, Counts]:
        w = self.w
        full: Counts = {}
        lead: Counts = {}
        if title:
            self._add(title, full, lead, w.title, 0.0, 0)
            for fid, v in list(full.items()):
                lead[fid] = v / w.title * 2.0  # the title counts twice in the lead
        self._add(text[: w.max_chars], full, lead, w.body, w.lead, w.lead_sentences)
        return full, lead


@dataclass(slots=True)
class CountRows:
    """Many articles' feature counts as flat arrays (cheap to pass between processes)."""

    ids: np.ndarray  # int32 feature ids (31-bit hashes), row after row
    values: np.ndarray  # float64 weighted counts
    lengths: np.ndarray  # int64 features per row

    @classmethod
    def from_dicts(cls, rows: list[Counts]) -> CountRows:
        lengths = np.fromiter((len(r) for r in rows), np.int64, len(rows))
        total = int(lengths.sum())
        ids = np.fromiter((f for r in rows for f in r), np.int32, total)
        values = np.fromiter((v for r in rows for v in r.values()), np.float64, total)
        return cls(ids, values, lengths)

    @classmethod
    def concat(cls, parts: list[CountRows]) -> CountRows:
        if not parts:
            return cls(np.zeros(0, np.int32), np.zeros(0), np.zeros(0, np.int64))
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("ids", "values", "lengths")))

    def row(self, i: int) -> Counts:
        start = int(self.lengths[:i].sum())
        end = start + int(self.lengths[i])
        return dict(zip(self.ids[start:end].tolist(), self.values[start:end].tolist()))

    def rows(self) -> list[Counts]:
        bounds = np.concatenate([[0], np.cumsum(self.lengths)])
        ids, values = self.ids.tolist(), self.values.tolist()
        return [dict(zip(ids[a:b], values[a:b])) for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist())]

    def __len__(self) -> int:
        return len(self.lengths)


def _featurize_chunk(weights: FeatureWeights, articles: Sequence[Article]) -> tuple[CountRows, CountRows]:
    featurize = Featurizer(weights)
    full, lead = [], []
    for a in articles:
        f, ld = featurize.counts(a.title, a.text)
        full.append(f)
        lead.append(ld)
    return CountRows.from_dicts(full), CountRows.from_dicts(lead)


def featurize_many(articles: Sequence[Article], weights: FeatureWeights, workers: int = 1) -> tuple[CountRows, CountRows]:
    """Features and lead features of many articles, on ``workers`` processes."""
    parts = map_chunks(partial(_featurize_chunk, weights), articles, workers)
    return CountRows.concat([p[0] for p in parts]), CountRows.concat([p[1] for p in parts])


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


def weigh_one(counts: Counts, dfs: DocumentFrequencies) -> Counts:
    """A unit-length TF-IDF vector (sublinear term frequency) of one article."""
    n1 = 1 + dfs.n
    df = dfs.df
    out = {
        f: (1.0 + math.log(v) if v >= 1 else v) * (math.log(n1 / (1 + df.get(f, 0))) + 1.0) for f, v in counts.items()
    }
    norm = math.sqrt(sum(x * x for x in out.values()))
    return {f: x / norm for f, x in out.items()} if norm else out


def inverse_df(n: int, df: np.ndarray) -> np.ndarray:
    """Smoothed inverse document frequency of features in ``df`` of ``n`` documents."""
    return np.log((1 + n) / (1 + df)) + 1.0


def weigh_batch(counts: list[Counts] | CountRows, idf: Callable[[np.ndarray], np.ndarray] | None = None) -> sp.csr_matrix:
    """Unit-length TF-IDF rows for a batch, with document frequencies from the
    batch itself, or ``idf`` of the (sorted) feature ids when given (a part of
    a larger batch, weighed as in the whole).

    Columns are renumbered to the features the batch uses, in the order of
    their ids (hashed ids span 2^31, far too wide for sparse products); rows
    are comparable only within the matrix.
    """
    rows = counts if isinstance(counts, CountRows) else CountRows.from_dicts(counts)
    n = len(rows)
    lengths = rows.lengths
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(lengths, out=indptr[1:])
    if indptr[-1] == 0:
        return sp.csr_matrix((n, 0))
    vocab, cols = np.unique(rows.ids, return_inverse=True)
    weights = idf(vocab) if idf is not None else inverse_df(n, np.bincount(cols, minlength=len(vocab)))
    tf = rows.values
    data = np.where(tf >= 1, 1.0 + np.log(np.maximum(tf, 1.0)), tf) * weights[cols]
    starts = np.minimum(indptr[:-1], len(data) - 1)
    sq = np.add.reduceat(data * data, starts)
    sq[lengths == 0] = 0.0
    norms = np.sqrt(sq)
    norms[norms == 0] = 1.0
    data /= np.repeat(norms, lengths)
    return sp.csr_matrix((data, cols.astype(np.int32), indptr), shape=(n, len(vocab)))
