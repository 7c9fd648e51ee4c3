"""Claims: one fact, and every independent source that states it.

Each unit (a clause, :mod:`.units`) is a candidate statement of a fact. A
unit of another independent source *supports* it when the learned scorer
(:mod:`.pairs`) finds that the two state one fact and no slot conflicts:
the same kind of number with a compatible value, the same day, the same
time, the same polarity (:mod:`.slots`). A pair that states one fact with
a conflict is a difference (:mod:`.differences`), never support.

A claim is built around one unit, its *pivot*: for every other independent
source, that source's unit that best supports the pivot (if one does). So
every source of a claim has been checked against the claim's own wording,
not only against some other member (no chaining: "A is like B, B is like C"
does not make C support A). Claims are taken greedily, best supported
first; a unit states one fact and belongs to one claim.

A copy (dedup) and the other reports of one provenance (:mod:`.sources`)
never confirm each other: they count as one source. A claim lists the
reports of a counted source that state it too, so the lineage shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .pairs import Pairs
from .sources import Sources
from .units import Unit, is_claim

__all__ = ["AlignedClaim", "align", "dependent", "garbled", "is_claim"]

SUPPORT = 0.5  # probability that two units state one fact, from which one supports the other
PAIR_SUPPORT = 0.75  # a claim of two sources alone needs this confident a match
REUSE = 0.75  # a unit already in a claim joins another only when this confident
WEAK_SUPPORT = 0.3  # a weaker match joins a claim when another member supports it as well
SAME_REPORT = 0.5  # the same, for a unit of another report of one counted source to be cited beside it


@dataclass(slots=True)
class AlignedClaim:
    """Units of several sources that state one fact. ``canonical`` indexes ``units``: the
    pivot, whose wording every other unit was checked against."""

    units: list[Unit]
    canonical: int
    cohesion: float  # mean probability that a member states the pivot's fact (1 for a lone unit)
    vectors: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 0), np.float32))

    @property
    def pivot(self) -> Unit:
        return self.units[self.canonical]

    @property
    def text(self) -> str:
        return self.units[self.canonical].text

    @property
    def sources(self) -> list[int]:
        return sorted({u.source for u in self.units})

    @property
    def centroid(self) -> np.ndarray:
        v = self.vectors.mean(axis=0)
        return v / (np.linalg.norm(v) or 1.0)


def support_matrix(n: int, pairs: Pairs, proba: np.ndarray) -> np.ndarray:
    """n × n: the probability that one unit supports the other (0 where a slot conflicts)."""
    S = np.zeros((n, n))
    ok = proba.copy()
    conflict = np.array([num is False or day is False for num, day in zip(pairs.numbers, pairs.days)], dtype=bool)
    if len(ok):
        ok[conflict] = 0.0
        ok[pairs.X[:, pairs_feature("negation_mismatch")] > 0] = 0.0
    S[pairs.left, pairs.right] = ok
    S[pairs.right, pairs.left] = ok
    return S


def pairs_feature(name: str) -> int:
    from .pairs import FEATURES

    return FEATURES.index(name)


def align(units: Sequence[Unit], sources: Sources, S: np.ndarray, vectors: np.ndarray,
          threshold: float | None = None) -> list[AlignedClaim]:
    """Claims of two or more independent sources, best supported first, then every unit left
    as a claim of its own source (single-source statements)."""
    threshold = SUPPORT if threshold is None else threshold
    origin = np.array([sources.origin[u.source] for u in units])
    stars = []
    for i in range(len(units)):
        members = _star(i, S, origin, threshold)
        if len(members) > 1:
            stars.append((len(members), float(S[i, members[1:]].sum()), -i, members))
    stars.sort(reverse=True)
    used: set[int] = set()
    pivots: set[int] = set()
    seen: set[frozenset[tuple[int, int, int]]] = set()
    claims: list[AlignedClaim] = []
    for _, _, neg_i, members in stars:
        pivot = -neg_i
        if pivot in used:
            continue
        # a unit already in a claim joins another only as a confident match of a new fact
        kept = [pivot] + [j for j in members[1:] if j not in used or (j not in pivots and S[pivot, j] >= REUSE)]
        if len({origin[j] for j in kept}) < 2:
            continue
        if len({origin[j] for j in kept}) == 2 and S[pivot, kept[1]] < PAIR_SUPPORT:
            continue  # one source against one other: only a confident match confirms
        sentences = frozenset(units[j].sentence for j in kept)
        if any(sentences <= other for other in seen):
            continue  # the same sentences already confirm a claim
        kept += _same_reports(pivot, kept, units, sources, S, used)
        used.update(kept)
        pivots.add(pivot)
        seen.add(sentences)
        claims.append(_claim(units, kept, pivot, S, vectors))
    claims += [_claim(units, [i], i, S, vectors) for i in range(len(units)) if i not in used]
    return claims


def _star(i: int, S: np.ndarray, origin: np.ndarray, threshold: float) -> list[int]:
    """The pivot and, for every other independent source, its unit that best supports the pivot:
    at ``threshold`` on its own, or at :data:`WEAK_SUPPORT` when another member supports it too
    (sources that agree with each other as well as with the pivot)."""
    row = S[i]
    best: dict[int, int] = {}
    for j in np.nonzero(row >= min(threshold, WEAK_SUPPORT))[0].tolist():
        o = int(origin[j])
        if o != origin[i] and (o not in best or row[j] > row[best[o]]):
            best[o] = j
    strong = [j for j in best.values() if row[j] >= threshold]
    weak = [j for j in best.values() if row[j] < threshold]
    kept = list(strong)
    for j in sorted(weak, key=lambda j: -row[j]):
        if any(S[j, k] >= WEAK_SUPPORT for k in kept):
            kept.append(j)
    return [i] + sorted(kept, key=lambda j: -row[j])


def _same_reports(pivot: int, kept: list[int], units: Sequence[Unit], sources: Sources, S: np.ndarray,
                  used: set[int]) -> list[int]:
    """Units of the other reports of a counted source (copies, versions, the same outlet) that
    state the claim: cited for the lineage, never counted."""
    have = {units[j].source for j in kept}
    origins = {sources.origin[units[j].source] for j in kept}
    extra: dict[int, int] = {}
    for j, u in enumerate(units):
        if j in used or u.source in have or sources.origin[u.source] not in origins:
            continue
        score = max(float(S[k, j]) if units[k].source != u.source else 0.0 for k in kept)
        score = max(score, _same_origin_score(kept, j, units))
        if score >= SAME_REPORT and (u.source not in extra or score > _same_origin_score(kept, extra[u.source], units)):
            extra[u.source] = j
    return list(extra.values())


def _same_origin_score(kept: list[int], j: int, units: Sequence[Unit]) -> float:
    """Units of one provenance are not scored against each other; near-identical wording stands in."""
    words = set(re.findall(r"\w+", units[j].clause.lower()))
    best = 0.0
    for k in kept:
        other = set(re.findall(r"\w+", units[k].clause.lower()))
        if words and other:
            best = max(best, len(words & other) / len(words | other))
    return best


def _claim(units: Sequence[Unit], members: list[int], pivot: int, S: np.ndarray, vectors: np.ndarray) -> AlignedClaim:
    order = sorted(members, key=lambda j: (units[j].source, units[j].start, units[j].clause_start))
    others = [j for j in order if j != pivot]
    cohesion = float(np.mean([S[pivot, j] for j in others])) if others else 1.0
    return AlignedClaim([units[j] for j in order], order.index(pivot), cohesion, vectors[order])


_DEPENDENT = re.compile(r"^(?:[\"'“”‘’«»„]|(?:he|she|it|they|this|that|these|those|its|his|her|their|"
                        r"there|then|but|and|also|however|meanwhile|otherwise|instead|still|yet|thus|therefore|moreover|"
                        r"for (?:his|her|its|their) part|(?:\w+ )?(?:of|among) (?:them|those))\b)", re.I)


_GARBLE = [
    re.compile(r"\b[A-Z]{2,}[A-Z][a-z]"),  # words run together: "WLRussian"
    re.compile(r"\w\. [a-z]"),  # a full stop inside a sentence: "security. guarantees"
    re.compile(r"\s[.,;:](?:\s|$)"),  # punctuation adrift: "the two sides. ."
    re.compile(r"[.,;:]\s*[.,;:]"),  # doubled punctuation
    re.compile(r"[“”\"]\s*$(?<![.!?][“”\"])|^\W*[a-z]"),  # starts low or ends on a dangling quote
]


def garbled(text: str) -> int:
    """How many marks of a broken rendering (rough machine translation, bad extraction) a
    sentence bears: among wordings of one claim, the clean one is shown."""
    return sum(1 for pattern in _GARBLE if pattern.search(text))


def dependent(text: str) -> bool:
    """Whether a sentence leans on the one before ("Three of them were taken ...",
    "He added ...") or is a piece of a quote: a poor sentence to show on its own."""
    return bool(_DEPENDENT.match(text.lstrip())) or not text[:1].isupper()
