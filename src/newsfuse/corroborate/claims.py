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

from ..text import paired_quotes
from .pairs import Pairs
from .sources import Sources
from .units import Unit, is_claim
from .words import jaccard, stem, word_set

__all__ = ["AlignedClaim", "align", "dependent", "ends_cleanly", "garbled", "is_claim"]

SUPPORT = 0.7  # probability that two units state one fact, from which one supports the other
PAIR_SUPPORT = 0.85  # a claim of two sources alone needs this confident a match
REUSE = 0.75  # a unit already in a claim joins another only when this confident
WEAK_SUPPORT = 0.7  # a weaker match joins a claim when another member supports it as well
SAME_REPORT = 0.6  # share of words from which a report's clause repeats its provenance's member
_SAY = frozenset(stem(w) for w in "say said says saying tell told tells add added adds".split())
SHORT_STATEMENT = 6  # words: a shorter clause is shown in its sentence
OTHER_PREDICATE = 0.85  # two statements with different verbs support each other only this confidently
OWN_SENTENCE = 0.6  # a clause this much of its sentence is shown as the sentence


@dataclass(slots=True)
class AlignedClaim:
    """Units of several sources that state one fact. ``canonical`` indexes ``units``: the
    pivot, whose wording every other unit was checked against."""

    units: list[Unit]
    canonical: int
    support: list[float]  # per unit, the probability that it states the pivot's fact (1 for the pivot)
    vectors: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 0), np.float32))

    @property
    def pivot(self) -> Unit:
        return self.units[self.canonical]

    @property
    def cohesion(self) -> float:
        """Mean probability that a member states the pivot's fact (1 for a lone unit)."""
        others = [p for k, p in enumerate(self.support) if k != self.canonical]
        return float(np.mean(others)) if others else 1.0

    @property
    def text(self) -> str:
        """The fact in the words of the shown unit: its sentence, or its clause when the sentence
        says much else besides (then the clause, read with its subject, is the fact)."""
        u = self.shown
        # the rest of the sentence gives numbers or days of its own: shown, they would read as confirmed
        details = len(u.sentence_numbers) > len(u.numbers) or len(u.sentence_days) > len(u.days)
        if u.frame or (u.whole and len(u.clause.split()) >= SHORT_STATEMENT and ends_cleanly(u)
                       and (details or len(u.clause) < OWN_SENTENCE * len(u.text))):
            return as_sentence(paired_quotes(u.clause))
        return paired_quotes(u.text)

    @property
    def shown(self) -> Unit:
        """The unit whose words show the fact: the pivot (the others were checked against it; another
        member's clause may be another fact of the same sentence)."""
        return self.units[self.canonical]

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
    conflict = np.array([num is False or day is False or time is False
                         for num, day, time in zip(pairs.numbers, pairs.days, pairs.times)], dtype=bool)
    if len(ok):
        ok[conflict] = 0.0
        ok[pairs.X[:, pairs_feature("negation_mismatch")] > 0] = 0.0
        # sharing names and topic, "the bomb exploded at the branch" and "the branch was damaged"
        # are two facts: another verb asks for a surer match, unless a number both give ties them
        # ("the call lasted 50 minutes", "they spoke for 50 minutes"); a frame's "said" is no verb of the fact
        other = (pairs.X[:, pairs_feature("same_predicate")] == 0) & (pairs.X[:, pairs_feature("one_frame")] == 0) \
            & (pairs.X[:, pairs_feature("numbers_agree")] == 0)
        ok[other & (ok < OTHER_PREDICATE)] = 0.0
    S[pairs.left, pairs.right] = ok
    S[pairs.right, pairs.left] = ok
    return S


_OPENS_CLAUSE = re.compile(r"(?:[,;:.!?…(]|[—–]|-\s|(?:and|but|or|nor|while|whereas|which|who|whom|whose|where|"
                           r"when|as|after|before|because|since|although|though|if|unless|until|that|so|then|yet|"
                           r"despite|amid|following|according|including|during|without|with)\b)", re.I)


def ends_cleanly(u: Unit) -> bool:
    """Whether a clause ends where its sentence breaks: at the sentence's end, at punctuation (not
    a quotation mark or bracket, which may close mid-phrase), or before a word that opens another
    clause or phrase. One that stops mid-phrase ("we will be making" of
    "we will be making our voices heard") would read as a fragment: its sentence is shown."""
    rest = u.text[max(0, u.clause_end - u.start):].lstrip()
    return not rest or _OPENS_CLAUSE.match(rest) is not None


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
        if not _pivot_worthy(units[i]):
            continue
        members = _star(i, S, origin, threshold)
        if len(members) > 1:
            stars.append((len(members), _statement(units[i]), -garbled(units[i].text), float(S[i, members[1:]].sum()),
                          -i, members))
    stars.sort(reverse=True)
    used: set[int] = set()
    pivots: set[int] = set()
    seen: set[frozenset[tuple[int, int, int]]] = set()
    claims: list[AlignedClaim] = []
    for *_, neg_i, members in stars:
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
        kept += _same_reports(pivot, kept, units, sources, S, used, threshold)
        used.update(kept)
        pivots.add(pivot)
        seen.add(sentences)
        claims.append(_claim(units, kept, pivot, S, vectors))
    claims += [_claim(units, [i], i, S, vectors) for i in range(len(units)) if i not in used]
    return claims


def _pivot_worthy(u: Unit) -> bool:
    """Whether a claim can be built around a unit: a statement of its own ("Mr Kim said he was
    willing to negotiate"), not a frame that only says who spoke ("Psaki said") unless it says
    when, and not a fragment that leans on its sentence ("since Trump took office last year")."""
    if u.frame:  # "the White House confirmed on Thursday"; never "officials said on Thursday"
        return bool(u.days or u.times) and stem(u.predicate) not in _SAY
    return u.whole or len(u.clause) >= OWN_SENTENCE * len(u.text)


def _statement(u: Unit) -> bool:
    """Whether a unit makes a good pivot: a whole statement, not a frame or a fragment (among
    stars of equal support, the claim is built around such a one)."""
    return u.whole and not u.frame and len(u.clause.split()) >= SHORT_STATEMENT


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
                  used: set[int], threshold: float) -> list[int]:
    """Units of the other reports of a counted source (copies, versions, the same outlet) that
    state the pivot's fact: cited so the lineage shows, never counted. A unit qualifies when it
    supports the pivot itself, or repeats a member of its own provenance nearly word for word."""
    have = {units[j].source for j in kept}
    members = {sources.origin[units[j].source]: j for j in kept if j != pivot}
    members.setdefault(sources.origin[units[pivot].source], pivot)
    extra: dict[int, tuple[float, int]] = {}
    for j, u in enumerate(units):
        kin = members.get(sources.origin[u.source])
        if j in used or u.source in have or kin is None:
            continue
        score = max(float(S[pivot, j]) / threshold, _verbatim(units[kin], u) / SAME_REPORT)
        if score >= 1.0 and score > extra.get(u.source, (0.0, -1))[0]:
            extra[u.source] = (score, j)
    return [j for _, j in extra.values()]


def _verbatim(a: Unit, b: Unit) -> float:
    """How nearly two clauses of one provenance use the same words (Jaccard of their words)."""
    return jaccard(word_set(a.clause), word_set(b.clause))


def _claim(units: Sequence[Unit], members: list[int], pivot: int, S: np.ndarray, vectors: np.ndarray) -> AlignedClaim:
    order = sorted(members, key=lambda j: (units[j].source, units[j].start, units[j].clause_start))
    support = [1.0 if j == pivot else float(S[pivot, j]) for j in order]
    return AlignedClaim([units[j] for j in order], order.index(pivot), support, vectors[order])


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


def as_sentence(clause: str) -> str:
    """A clause written as a sentence: a capital first, a full stop last."""
    text = clause.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…\"'”’»)" else text + "."


def garbled(text: str) -> int:
    """How many marks of a broken rendering (rough machine translation, bad extraction) a
    sentence bears: among wordings of one claim, the clean one is shown."""
    return sum(1 for pattern in _GARBLE if pattern.search(text))


def dependent(text: str) -> bool:
    """Whether a sentence leans on the one before ("Three of them were taken ...",
    "He added ...") or is a piece of a quote: a poor sentence to show on its own."""
    return bool(_DEPENDENT.match(text.lstrip())) or not text[:1].isupper()
