"""Copies: the same report published again - syndicated, lightly edited, re-headlined.

Each article's text is cut into overlapping word 5-grams (shingles); MinHash
signatures and locality-sensitive hashing propose pairs that may share many
shingles, and each proposed pair is confirmed on the shingles themselves: a
copy shares most of its shingles with the original (Jaccard), or is mostly
contained in it (a copy that dropped a paragraph or added boilerplate).

Copies are grouped (transitively). A group's original is its earliest
published report when every member has a trustworthy date (from the input,
the page or the feed: a date line at the top of a scraped text is often the
day it was scraped), otherwise its longest report (a copy trims more often
than it adds); then the smallest id - so the choice never depends on input
order. A copy is part of its original's story but is not an independent
source.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from ..model import Article
from ..parallel import map_chunks

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class CopyParams:
    """``shingle``: words per shingle. ``jaccard``: share of all shingles two
    texts share that makes a copy; ``containment``: share of the shorter text
    found in the longer one that makes a copy. ``bands`` x ``rows`` = MinHash
    size; LSH proposes pairs above a Jaccard of about (1/bands)**(1/rows),
    0.31 here, well below what is confirmed. ``window``: how many recent
    articles a stream keeps to compare with (copies follow within days).
    ``workers``: processes that sketch a large batch."""

    shingle: int = 5
    jaccard: float = 0.5
    containment: float = 0.8
    bands: int = 32
    rows: int = 3
    min_shingles: int = 8
    window: int = 200_000
    workers: int = 2


_WORD_HASHES: dict[str, int] = {}
# Odd 64-bit multipliers, one per position in a shingle (fixed: hashes mean the same in every run).
_POSITION = np.random.default_rng(12345).integers(1, 1 << 63, size=16, dtype=np.uint64) | np.uint64(1)
_BAND = np.arange(256, dtype=np.uint64) << np.uint64(56)  # keeps equal rows in different bands apart


def _word_hash(word: str) -> int:
    h = _WORD_HASHES.get(word)
    if h is None:
        if len(_WORD_HASHES) > 500_000:
            _WORD_HASHES.clear()
        h = _WORD_HASHES[word] = zlib.crc32(word.encode("utf-8"))
    return h


def shingles(text: str, n: int = 5) -> np.ndarray:
    """32-bit hashes of the word ``n``-grams of a text (lower-cased), unique and sorted.

    Each word is hashed once; a gram's hash mixes its words' hashes with a
    multiplier per position (vectorised, so long texts cost little).
    """
    words = _WORD.findall(text.lower())
    if not words:
        return np.zeros(0, np.uint32)
    hashes = list(map(_WORD_HASHES.get, words))  # most words are known: one C-level pass
    if None in hashes:
        hashes = [h if h is not None else _word_hash(w) for w, h in zip(words, hashes)]
    w = np.array(hashes, np.uint64)
    n = min(n, len(words), len(_POSITION))
    grams = len(words) - n + 1
    h = np.zeros(grams, np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h += w[k : k + grams] * _POSITION[k]  # wraps mod 2^64 by design
    return np.unique((h >> np.uint64(32)).astype(np.uint32))


class MinHasher:
    """MinHash signatures from ``k`` multiply-shift hash functions (a fixed seed, so
    signatures are the same in every process and run)."""

    def __init__(self, k: int, seed: int = 1) -> None:
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, 1 << 63, size=k, dtype=np.uint64) | np.uint64(1)  # odd multipliers
        self.b = rng.integers(0, 1 << 63, size=k, dtype=np.uint64)

    def signature(self, hashes: np.ndarray) -> np.ndarray:
        if len(hashes) == 0:
            return np.full(len(self.a), np.iinfo(np.uint32).max, np.uint32)
        with np.errstate(over="ignore"):  # wraps mod 2^64 by design
            h = np.multiply.outer(hashes.astype(np.uint64), self.a)  # one array, updated in place (cache-friendly)
            h += self.b
            h >>= np.uint64(32)
        return h.min(axis=0).astype(np.uint32)


def _overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Jaccard and containment (in the smaller set) of two sorted unique arrays."""
    inter = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - inter
    return (inter / union if union else 0.0), inter / max(1, min(len(a), len(b)))


_TRUSTED_DATES = {"field", "html", "feed", "url"}


@dataclass(frozen=True, slots=True)
class _Facts:
    """What choosing an original needs to know about an article."""

    id: str
    when: float  # trustworthy publication time, inf when unknown
    length: int


def trusted_time(article: Article) -> float:
    """The article's publication time in seconds when its date is trustworthy, else inf."""
    trusted = article.published is not None and article.published_via in _TRUSTED_DATES
    return article.published.timestamp() if trusted else math.inf  # type: ignore[union-attr]


def _facts(article: Article) -> _Facts:
    return _Facts(article.id, trusted_time(article), len(article.text))


def choose_original(group: Iterable[_Facts]) -> str:
    """The original of a group of copies (see the module docstring)."""
    members = list(group)
    if all(m.when != math.inf for m in members):
        return min(members, key=lambda m: (m.when, -m.length, m.id)).id
    return min(members, key=lambda m: (-m.length, m.when, m.id)).id


@dataclass(slots=True)
class _Entry:
    shingles: np.ndarray
    signature: np.ndarray
    bands: list[int]


@dataclass
class CopyDetector:
    """Finds copies in a batch (:meth:`fit`) or a stream (:meth:`learn_one`).

    >>> detector = CopyDetector().fit(articles)       # doctest: +SKIP
    >>> detector.copy_of_                              # doctest: +SKIP
    {'meridian-id': 'wire-id'}
    """

    params: CopyParams = field(default_factory=CopyParams)
    copy_of_: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        p = self.params
        self._hasher = MinHasher(p.bands * p.rows)
        self._buckets: dict[int, list[str]] = {}
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._parent: dict[str, str] = {}
        self._facts: dict[str, _Facts] = {}
        self._groups: dict[str, list[str]] = {}  # root -> members, for groups of two or more
        self._originals: dict[str, str] = {}  # root -> original (cache)

    # union-find over confirmed copy pairs; the best original is the root -----------

    def _find(self, x: str) -> str:
        parent = self._parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while x != root:
            parent[x], x = root, parent.get(x, x)
        return root

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        self._parent[rb] = ra
        members = self._groups.pop(ra, [ra]) + self._groups.pop(rb, [rb])
        self._groups[ra] = members
        self._originals[ra] = choose_original(self._facts[m] for m in members)
        self._originals.pop(rb, None)

    # -------------------------------------------------------------------------------

    def _band_keys(self, sig: np.ndarray) -> list[int]:
        return self._band_key_matrix(sig[None, :])[0].tolist()

    def _band_key_matrix(self, sigs: np.ndarray) -> np.ndarray:
        """One key per band of each signature (rows: articles, columns: bands): the
        band's rows mixed with odd multipliers, and the band's number."""
        p = self.params
        rows = sigs[:, : p.bands * p.rows].reshape(len(sigs), p.bands, p.rows).astype(np.uint64)
        with np.errstate(over="ignore"):
            return (rows * _POSITION[: p.rows]).sum(axis=2) ^ _BAND[: p.bands]

    def _is_copy(self, a: np.ndarray, b: np.ndarray) -> bool:
        """The exact check on two shingle sets."""
        jac, cont = _overlap(a, b)
        return jac >= self.params.jaccard or cont >= self.params.containment

    def _likely(self, jac: np.ndarray, size_a: np.ndarray, size_b: np.ndarray | float) -> np.ndarray:
        """Which pairs may be copies, from their MinHash Jaccard estimates and shingle
        counts (checked exactly afterwards: signatures are far cheaper than shingles)."""
        p = self.params
        inter = jac * (size_a + size_b) / (1.0 + jac)  # estimated shared shingles
        cont = inter / np.maximum(1.0, np.minimum(size_a, size_b))
        return (jac >= p.jaccard - self.MARGIN) | (cont >= p.containment - self.MARGIN)

    def _sketch_all(self, articles: list[Article]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Shingles and signatures (pure functions of the text), computed in parallel."""
        sketch = partial(_sketches, self.params.shingle, self._hasher)
        return [s for part in map_chunks(sketch, articles, self.params.workers) for s in part]

    def learn_one(self, article: Article) -> str | None:
        """Add an article; return the id of the original it copies (None: it is an original)."""
        sh = shingles(article.text, self.params.shingle)
        return self._learn(article, sh, self._hasher.signature(sh))

    def _learn(self, article: Article, sh: np.ndarray, signature: np.ndarray) -> str | None:
        p = self.params
        aid = article.id
        if aid in self._facts:
            return self.copy_of(aid)
        self._facts[aid] = _facts(article)
        self._parent[aid] = aid
        if len(sh) < p.min_shingles:
            return None
        bands = self._band_keys(signature)
        found: set[str] = set()
        for key in bands:
            bucket = self._buckets.setdefault(key, [])
            found.update(bucket)
            # A band shared by very many articles is a phrase, not a copy: a full
            # bucket stops growing (a real copy shares several bands, not just one).
            if len(bucket) < self.MAX_BUCKET:
                bucket.append(aid)
        for other in self._candidates(sh, signature, found):
            if self._is_copy(sh, self._entries[other].shingles):
                self._union(aid, other)
        self._entries[aid] = _Entry(sh, signature, bands)
        if len(self._entries) > p.window:
            self._forget_oldest()
        return self.copy_of(aid)

    # How far below the thresholds a MinHash estimate may fall and still be checked
    # exactly: three standard errors of a Jaccard estimate from 96 hashes.
    MARGIN = 0.15
    MAX_BUCKET = 16

    def _candidates(self, sh: np.ndarray, signature: np.ndarray, found: set[str]) -> list[str]:
        """The proposed articles whose signatures say they may be copies. Many
        articles can share a band or two with this one (wire phrases, templates)."""
        others = [o for o in sorted(found) if o in self._entries]
        if len(others) <= 2:
            return others
        jac = (np.stack([self._entries[o].signature for o in others]) == signature).mean(axis=1)
        sizes = np.array([len(self._entries[o].shingles) for o in others], np.float64)
        keep = self._likely(jac, sizes, float(len(sh)))
        return [o for o, k in zip(others, keep.tolist()) if k]

    def _forget_oldest(self) -> None:
        """Drop the oldest quarter of the comparison window (their groups stay known)."""
        for _ in range(max(1, len(self._entries) // 4)):
            aid, entry = self._entries.popitem(last=False)
            for key in entry.bands:
                bucket = self._buckets.get(key)
                if bucket is not None:
                    if aid in bucket:
                        bucket.remove(aid)
                    if not bucket:
                        del self._buckets[key]

    def copy_of(self, article_id: str) -> str | None:
        original = self._originals.get(self._find(article_id), article_id)
        return None if original == article_id else original

    def learn_many(self, articles: Iterable[Article]) -> list[str | None]:
        """:meth:`learn_one` for each article in turn (same result); shingles and
        signatures, pure functions of the text, are computed in parallel first."""
        arts = list(articles)
        sketches = self._sketch_all(arts)
        return [self._learn(a, sh, sig) for a, (sh, sig) in zip(arts, sketches)]

    def fit(self, articles: Iterable[Article]) -> CopyDetector:
        """Find the copies of a batch; ``copy_of_`` maps each copy to its original.

        The same rule as the stream, done for the whole batch at once: articles
        that share a band key are proposed (each with at most ``MAX_BUCKET`` of
        its neighbours in that band), signatures filter the proposals, shingles
        confirm them. Proposals are found by sorting band keys, not one article
        at a time, so a large batch costs a few array operations per band.
        Fitted articles are not kept for comparison with later :meth:`learn_one`
        calls (a batch result; a stream uses :meth:`learn_many`).
        """
        p = self.params
        arts = sorted({a.id: a for a in articles if a.id not in self._facts}.values(), key=lambda a: a.id)
        sketches = self._sketch_all(arts)
        for a in arts:
            self._facts[a.id] = _facts(a)
            self._parent[a.id] = a.id
        rows = [i for i, (sh, _) in enumerate(sketches) if len(sh) >= p.min_shingles]
        if rows:
            sigs = np.stack([sketches[i][1] for i in rows])
            keys = self._band_key_matrix(sigs)
            for i, j in self._confirmed(self._proposals(keys), sigs, [sketches[i][0] for i in rows]):
                self._union(arts[rows[i]].id, arts[rows[j]].id)
        self.copy_of_ = {aid: orig for aid in self._facts if (orig := self.copy_of(aid)) is not None}
        return self

    def _proposals(self, keys: np.ndarray) -> np.ndarray:
        """Pairs (i < j) of rows sharing a band key, each row with at most MAX_BUCKET
        neighbours in a band's sorted order."""
        pairs = []
        for b in range(keys.shape[1]):
            order = np.argsort(keys[:, b], kind="stable")
            sorted_keys = keys[order, b]
            for lag in range(1, self.MAX_BUCKET + 1):
                same = sorted_keys[:-lag] == sorted_keys[lag:]
                if not same.any():
                    break  # sorted: no equal keys at this distance, none further
                pairs.append(np.stack([order[:-lag][same], order[lag:][same]], axis=1))
        if not pairs:
            return np.zeros((0, 2), np.int64)
        return np.unique(np.sort(np.concatenate(pairs), axis=1), axis=0)

    def _confirmed(self, pairs: np.ndarray, sigs: np.ndarray, shingle_sets: list[np.ndarray]) -> list[tuple[int, int]]:
        """The proposed pairs that are copies: likely by their signatures, then sure by their shingles."""
        sizes = np.array([len(s) for s in shingle_sets], np.float64)
        out = []
        for start in range(0, len(pairs), 500_000):  # bounded memory for the signature comparison
            chunk = pairs[start : start + 500_000]
            a, b = chunk[:, 0], chunk[:, 1]
            likely = self._likely((sigs[a] == sigs[b]).mean(axis=1), sizes[a], sizes[b])
            out += [(i, j) for i, j in chunk[likely].tolist() if self._is_copy(shingle_sets[i], shingle_sets[j])]
        return out


def _sketches(n: int, hasher: MinHasher, articles: list[Article]) -> list[tuple[np.ndarray, np.ndarray]]:
    out = []
    for a in articles:
        sh = shingles(a.text, n)
        out.append((sh, hasher.signature(sh)))
    return out


def find_copies(articles: Iterable[Article], params: CopyParams | None = None) -> dict[str, str]:
    """Map each copy's id to its original's id."""
    return CopyDetector(params or CopyParams()).fit(articles).copy_of_
