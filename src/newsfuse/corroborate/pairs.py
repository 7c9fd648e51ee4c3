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
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
from scipy import sparse

from .slots import compare_days, compare_numbers, compare_times
from .units import Unit
from .words import content_stems, stem

FEATURES = (
    "cos_sentence", "lexical", "lexical_sentence", "contained", "rarest_shared",
    "same_predicate", "arguments_shared", "margin", "mutual_best",
    "entities_shared", "entities_apart", "numbers_agree", "numbers_conflict", "days_agree", "days_conflict",
    "one_frame", "negation_mismatch", "both_quoted", "one_quoted", "short",
)
MIN_COSINE = 0.2  # pairs less alike than this in meaning and in words are not scored (probability 0)
MIN_LEXICAL = 0.1
MARGIN_NEIGHBOURS = 3
SHORT_CLAUSE = 6  # words: a shorter clause leans on its sentence
RAREST_POWER = 12
@dataclass(slots=True)
class Pairs:
    """Candidate pairs of units (``left[k]``, ``right[k]``, left < right) with their features."""

    left: np.ndarray
    right: np.ndarray
    X: np.ndarray  # one row of :data:`FEATURES` per pair
    numbers: list[bool | None] = field(default_factory=list)  # per pair: numbers agree (True), conflict, None
    days: list[bool | None] = field(default_factory=list)
    times: list[bool | None] = field(default_factory=list)  # clock times (a conflict only, not a feature)


def candidate_pairs(units: Sequence[Unit], origin: Sequence[Hashable], sentence_vectors: np.ndarray) -> Pairs:
    """Every pair of units of different independent sources worth scoring, with its features.

    Features are computed as unit × unit matrices (sparse products for the words, entities and
    arguments two units share), then read at the candidate pairs: a story of a few hundred
    clauses costs milliseconds, not a Python loop over every pair."""
    n = len(units)
    if n < 2:
        return Pairs(np.zeros(0, int), np.zeros(0, int), np.zeros((0, len(FEATURES))))
    cos_s = sentence_vectors @ sentence_vectors.T
    clause_words = [set(content_stems(u.clause)) for u in units]
    lex_c, contained, rarest = _lexical(clause_words)
    lex_s = _lexical([set(content_stems(u.text)) for u in units])[0]
    org = np.asarray(origin)
    margin, mutual = _relative(cos_s + lex_c, np.asarray([u.source for u in units]))
    mask = (org[:, None] != org[None, :]) & ((cos_s >= MIN_COSINE) | (lex_c >= MIN_LEXICAL))
    left, right = np.nonzero(np.triu(mask, 1))
    flag = lambda name: np.array([bool(getattr(u, name)) for u in units])  # noqa: E731
    arguments = _arguments_shared(units, clause_words)
    predicate = np.array([hash(stem(u.predicate)) if u.predicate else 0 for u in units])
    same_predicate = (predicate[:, None] == predicate[None, :]) & (predicate[:, None] != 0)
    shared, apart = _entities(units)
    frame, negated, quoted = flag("frame"), flag("negated"), flag("quoted")
    short = np.array([len(u.clause.split()) < SHORT_CLAUSE for u in units])
    nums: list[bool | None] = [None] * len(left)
    days: list[bool | None] = [None] * len(left)
    has_numbers, has_days, in_sentence = flag("numbers"), flag("days"), flag("sentence_numbers")
    for k in np.nonzero((has_numbers[left] & in_sentence[right]) | (in_sentence[left] & has_numbers[right]))[0].tolist():
        nums[k] = compare_numbers(units[left[k]], units[right[k]])
    for k in np.nonzero(has_days[left] & has_days[right])[0].tolist():
        days[k] = compare_days(units[left[k]].days, units[right[k]].days)
    times: list[bool | None] = [None] * len(left)
    has_times = flag("times")
    for k in np.nonzero(has_times[left] & has_times[right])[0].tolist():
        times[k] = compare_times(units[left[k]].times, units[right[k]].times)
    at = (left, right)
    columns = [
        cos_s[at], lex_c[at], lex_s[at], contained[at], rarest[at], same_predicate[at],
        arguments[at], margin[at], mutual[at], np.log1p(shared[at]), np.log1p(apart[at]),
        [x is True for x in nums], [x is False for x in nums], [x is True for x in days], [x is False for x in days],
        frame[left] != frame[right], negated[left] != negated[right], quoted[left] & quoted[right],
        quoted[left] != quoted[right], short[left] | short[right],
    ]
    X = np.column_stack([np.asarray(c, dtype=np.float64) for c in columns]) if len(left) else \
        np.zeros((0, len(FEATURES)))
    return Pairs(left, right, X, nums, days, times)


def _incidence(sets: Sequence[set[str]]) -> tuple[sparse.csr_matrix, dict[str, int]]:
    """A units × items 0/1 matrix of which unit holds which item."""
    index: dict[str, int] = {}
    rows, cols = [], []
    for i, items in enumerate(sets):
        for x in items:
            rows.append(i)
            cols.append(index.setdefault(x, len(index)))
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sets), max(1, len(index)))), index


def _entities(units: Sequence[Unit]) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: entities both clauses name, and entities one clause names that the other's
    sentence does not (someone else is involved)."""
    names = [u.entities for u in units]
    context = [u.context for u in units]
    _, index = _incidence([set(x) | set(c) for x, c in zip(names, context)])
    E = _rows(names, index)
    C = _rows(context, index)
    shared = (E @ E.T).toarray()
    outside = np.asarray(E.sum(axis=1)).ravel()[:, None] - (E @ C.T).toarray()  # u's entities not in v's sentence
    return shared, outside + outside.T


def _rows(sets: Sequence[frozenset[str] | set[str]], index: dict[str, int]) -> sparse.csr_matrix:
    rows = [i for i, items in enumerate(sets) for _ in items]
    cols = [index[x] for items in sets for x in items]
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sets), max(1, len(index))))


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


def _arguments_shared(units: Sequence[Unit], clause_words: Sequence[set[str]]) -> np.ndarray:
    """Per pair: the share of one clause's core arguments (subject, objects) that the other clause
    names too, the larger of the two shares: who did what to whom, beyond the topic."""
    args = [{stem(w) for w in u.arguments if w[:1].isalnum()} for u in units]
    _, index = _incidence([a | w for a, w in zip(args, clause_words)])
    A = _rows(args, index)
    W = _rows(clause_words, index)
    held = (A @ W.T).toarray()  # held[i, j]: i's arguments among j's words
    size = np.asarray(A.sum(axis=1)).ravel()[:, None]
    share = np.divide(held, size, out=np.zeros_like(held), where=size > 0)
    both = (size > 0) & (size.T > 0)
    return np.where(both, np.maximum(share, share.T), 0.0)


def _lexical(bags: Sequence[set[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairwise overlap of content words, each weighted by its rarity in the story (IDF):
    the Dice overlap, the share of the smaller text's weight the other holds, and (nearly) the
    rarity of the rarest word they share, relative to the rarest word of the story."""
    n = len(bags)
    P, index = _incidence(bags)
    if not index:
        zero = np.zeros((n, n))
        return zero, zero, zero
    df = np.asarray(P.sum(axis=0)).ravel()
    idf = np.log((1 + n) / (1 + df)) + 1.0
    shared = (P.multiply(idf) @ P.T).toarray()  # the summed weight of the words two texts share
    mass = np.asarray(P.multiply(idf).sum(axis=1)).ravel()
    total = mass[:, None] + mass[None, :]
    dice = np.divide(2 * shared, total, out=np.zeros_like(shared), where=total > 0)
    smaller = np.minimum(mass[:, None], mass[None, :])
    contained = np.divide(shared, smaller, out=np.zeros_like(shared), where=smaller > 0)
    # the largest shared weight, by a soft maximum: (sum of w^p)^(1/p) is within a few % of max(w)
    rel = idf / idf.max()
    rarest = np.power((P.multiply(rel ** RAREST_POWER) @ P.T).toarray(), 1.0 / RAREST_POWER)
    return dice, contained, np.minimum(rarest, 1.0)


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


_IN_USE: list[PairModel] = []


def pair_model() -> PairModel:
    """The model in use: the shipped one (``pair_model.json`` beside this module), unless
    :func:`using` put another in place."""
    return _IN_USE[-1] if _IN_USE else _shipped()


@lru_cache(maxsize=1)
def _shipped() -> PairModel:
    return PairModel.from_json(resources.files(__package__).joinpath("pair_model.json").read_text(encoding="utf-8"))


@contextmanager
def using(model: PairModel) -> Iterator[PairModel]:
    """Brief with ``model`` instead of the shipped one inside the block (cross-validation)."""
    _IN_USE.append(model)
    try:
        yield model
    finally:
        _IN_USE.pop()
