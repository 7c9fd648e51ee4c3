"""Whether two statements of different sources state the same fact: features and a learned scorer.

For two units (clauses, :mod:`.units`) of independent sources the scorer
gives the probability that they are statements of one fact, agreeing or
not: the same happening with the same participants. It is a logistic
regression over a few features that each say something a reader checks:

- how alike the two clauses mean (sentence-embedding cosine), and their
  sentences (the context a short clause leans on);
- how many of their content words they share, weighted by how rare the
  words are in the story (a shared "Dargahan" says more than a shared
  "quake");
- whether they name the same people, organisations and places, or each
  names someone the other does not;
- whether their numbers of one kind agree or conflict, and their days;
- whether one is negated and the other not; whether they are quoted words.

The weights are learned (``python -m newsfuse.corroborate.train``, see
docs/brief.md) from annotated real events and shipped inside the package
(``pair_model.json``). Whether a pair that states one fact *agrees* is
decided apart, slot by slot (:mod:`.slots`): a conflict is never support.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
from scipy import sparse

from ..text import STOP_WORDS
from .slots import compare_days, compare_numbers
from .units import Unit

FEATURES = (
    "cos_clause", "cos_sentence", "cos_cross", "lexical", "lexical_sentence", "contained", "rarest_shared",
    "same_predicate", "arguments_shared", "margin", "mutual_best",
    "entities_shared", "entities_apart", "numbers_agree", "numbers_conflict", "days_agree", "days_conflict",
    "negation_mismatch", "both_quoted", "one_quoted", "short",
)
MIN_COSINE = 0.2  # pairs less alike than this in meaning and in words are not scored (probability 0)
MIN_LEXICAL = 0.1
MARGIN_NEIGHBOURS = 3
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+(?:[.,]\d+)*")
_SUFFIX = re.compile(r"(?:ing|ed|es|s|ly|'s|’s)$")


def stem(word: str) -> str:
    """A crude stem that joins the inflections of a word ("injured", "injuring", "injury")."""
    w = word.lower()
    if w[0].isdigit():
        return re.sub(r"[.,]", "", w)
    if len(w) > 4:
        w = _SUFFIX.sub("", w)
    return w[:5]


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text) if w.lower() not in STOP_WORDS and (len(w) > 2 or w[0].isdigit())]


@dataclass(slots=True)
class Pairs:
    """Candidate pairs of units (``left[k]``, ``right[k]``, left < right) with their features."""

    left: np.ndarray
    right: np.ndarray
    X: np.ndarray  # one row of :data:`FEATURES` per pair
    numbers: list[bool | None] = field(default_factory=list)  # per pair: numbers agree (True), conflict, None
    days: list[bool | None] = field(default_factory=list)


def candidate_pairs(units: Sequence[Unit], origin: Sequence[int], clause_vectors: np.ndarray,
                    sentence_vectors: np.ndarray) -> Pairs:
    """Every pair of units of different independent sources worth scoring, with its features."""
    n = len(units)
    if n < 2:
        return Pairs(np.zeros(0, int), np.zeros(0, int), np.zeros((0, len(FEATURES))))
    cos_c = clause_vectors @ clause_vectors.T
    cos_s = sentence_vectors @ sentence_vectors.T
    cos_x = clause_vectors @ sentence_vectors.T
    lex_c, contained, rarest = _lexical([u.clause for u in units])
    lex_s = _lexical([u.text for u in units])[0]
    org = np.asarray(origin)
    margin, mutual = _relative(cos_c + lex_c, np.asarray([u.source for u in units]))
    mask = (org[:, None] != org[None, :]) & ((cos_c >= MIN_COSINE) | (lex_c >= MIN_LEXICAL))
    left, right = np.nonzero(np.triu(mask, 1))
    rows = []
    nums: list[bool | None] = []
    days: list[bool | None] = []
    for i, j in zip(left.tolist(), right.tolist()):
        u, v = units[i], units[j]
        num = compare_numbers(u.numbers, v.numbers)
        day = compare_days(u.days, v.days)
        nums.append(num)
        days.append(day)
        shared = len(u.entities & v.entities)
        apart = len(u.entities - v.context) + len(v.entities - u.context)
        rows.append((
            cos_c[i, j], cos_s[i, j], max(cos_x[i, j], cos_x[j, i]), lex_c[i, j], lex_s[i, j], contained[i, j],
            rarest[i, j], bool(u.predicate) and stem(u.predicate) == stem(v.predicate), _arguments_shared(u, v),
            margin[i, j], mutual[i, j],
            math.log1p(shared), math.log1p(apart),
            num is True, num is False, day is True, day is False, u.negated != v.negated,
            u.quoted and v.quoted, u.quoted != v.quoted,
            min(len(u.clause.split()), len(v.clause.split())) < 6,
        ))
    X = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))
    return Pairs(left, right, X, nums, days)


def _relative(score: np.ndarray, source: np.ndarray, k: int = MARGIN_NEIGHBOURS) -> tuple[np.ndarray, np.ndarray]:
    """How a pair stands out among the alternatives, as in bitext mining: its score less the mean
    of each side's ``k`` best scores in the other side's source, and whether each is the other's
    best match in its source."""
    n = len(score)
    top = np.zeros((n, n))  # top[i, j]: mean of i's k best scores among the units of j's source
    best = np.zeros((n, n), dtype=bool)  # best[i, j]: j is i's best match in j's source
    for s in np.unique(source):
        cols = np.nonzero(source == s)[0]
        block = score[:, cols]
        kk = min(k, len(cols))
        mean_top = -np.sort(-block, axis=1)[:, :kk].mean(axis=1)
        top[:, cols] = mean_top[:, None]
        winner = cols[np.argmax(block, axis=1)]
        best[np.arange(n), winner] = True
    return score - (top + top.T) / 2, best & best.T


def _arguments_shared(u: Unit, v: Unit) -> float:
    """The share of the core arguments (subject, objects) of one clause that the other clause names
    too, for the clause with fewer: who did what to whom, beyond the topic."""
    a = {stem(w) for w in u.arguments if w[:1].isalnum()}
    b = {stem(w) for w in v.arguments if w[:1].isalnum()}
    if not a or not b:
        return 0.0
    words_u, words_v = set(content_stems(u.clause)), set(content_stems(v.clause))
    return max(len(a & words_v) / len(a), len(b & words_u) / len(b))


def _lexical(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairwise overlap of content words, each weighted by its rarity in the story (IDF):
    the Dice overlap, the share of the smaller text's weight the other holds, and the
    rarity of the rarest shared word (relative to the rarest word of the story)."""
    n = len(texts)
    bags = [set(content_stems(t)) for t in texts]
    vocab: dict[str, int] = {}
    for b in bags:
        for w in b:
            vocab.setdefault(w, len(vocab))
    if not vocab:
        zero = np.zeros((n, n))
        return zero, zero, zero
    df = np.zeros(len(vocab))
    for b in bags:
        for w in b:
            df[vocab[w]] += 1
    idf = np.log((1 + n) / (1 + df)) + 1.0
    rows = [i for i, b in enumerate(bags) for _ in b]
    cols = [vocab[w] for b in bags for w in b]
    weight = sparse.csr_matrix((np.sqrt(idf[cols]), (rows, cols)), shape=(n, len(vocab)))
    shared = (weight @ weight.T).toarray()  # the summed weight of the words two texts share
    mass = np.asarray(weight.multiply(weight).sum(axis=1)).ravel()
    dice = np.divide(2 * shared, mass[:, None] + mass[None, :], out=np.zeros_like(shared),
                     where=(mass[:, None] + mass[None, :]) > 0)
    smaller = np.minimum(mass[:, None], mass[None, :])
    contained = np.divide(shared, smaller, out=np.zeros_like(shared), where=smaller > 0)
    present = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(n, len(vocab)))
    rarest = np.zeros((n, n))
    order = np.argsort(-idf)  # rarest words first: each pair takes the first it shares
    top = idf.max()
    for w in order[: min(len(order), 4000)]:
        holders = present[:, w].nonzero()[0]
        if len(holders) < 2:
            continue
        block = np.ix_(holders, holders)
        rarest[block] = np.maximum(rarest[block], idf[w] / top)
    return dice, contained, rarest


@dataclass(frozen=True, slots=True)
class PairModel:
    """A logistic regression over :data:`FEATURES` (standardised by ``mean``/``scale``)."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    features: tuple[str, ...] = FEATURES
    meta: dict = field(default_factory=dict, compare=False, hash=False)  # type: ignore[type-arg]

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        if len(X) == 0:
            return np.zeros(0)
        z = ((X - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> str:
        return json.dumps({"features": list(self.features), "weights": list(self.weights), "bias": self.bias,
                           "mean": list(self.mean), "scale": list(self.scale), "meta": self.meta}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> PairModel:
        d = json.loads(text)
        if tuple(d["features"]) != FEATURES:
            raise ValueError("pair model features do not match this version of newsfuse; retrain it "
                             "(python -m newsfuse.corroborate.train)")
        return cls(tuple(d["weights"]), float(d["bias"]), tuple(d["mean"]), tuple(d["scale"]), FEATURES,
                   d.get("meta", {}))


@lru_cache(maxsize=1)
def pair_model() -> PairModel:
    """The shipped model (``pair_model.json`` beside this module)."""
    return PairModel.from_json(resources.files(__package__).joinpath("pair_model.json").read_text(encoding="utf-8"))
