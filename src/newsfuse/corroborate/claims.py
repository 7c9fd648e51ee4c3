"""Claims aligned across sources: the sentences of a story that state the same thing.

Every sentence of every report is a candidate. Two sentences of different
independent sources state the same thing when their meanings are close
(MiniLM cosine, which sees through rewording and rough machine translation)
*and* their anchors do not pull them apart: the entities, numbers and dates
they mention. Sentences are grouped by average linkage, which, unlike
single linkage, does not chain "A is like B, B is like C" into one claim.

Sentences of a copy are not compared with anything but their original: a
copy carries its original's claims and adds no confirmation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from ..analyse.model import ArticleAnalysis, StoryAnalysis
from ..analyse.timeline import clause_around
from ..text import TOKEN
from .similarity import cosine, embed
from .sources import Sources

MIN_WORDS = 5  # shorter "sentences" are subheads, captions and fragments
HEADING_WORDS = 15  # a shorter line without a full stop is a subhead, not a claim
_ENDS = re.compile(r"[.!?…][\"'”’»“]*\s*$")
SAME_CLAIM = 0.62
RELATIVE_DATE_CONFIDENCE = 0.7  # "on Saturday" anchors a sentence when its day is known this well
SAME_ANCHOR_CLAIM = 0.45  # clauses about one day or person alike enough to state the same thing  # average adjusted cosine at which sentences state the same thing
ANCHOR_WEIGHT = 0.12  # how much shared (or missing) anchors move the cosine
EXTEND_MARGIN = 0.13  # a sentence joins a claim it was not clustered with only when this much closer
COPY_MATCH = 0.85  # a copy's sentence belongs to its original's most similar one above this


@dataclass(slots=True)
class Unit:
    """One sentence of one source, with what anchors it to the world."""

    source: int
    start: int
    end: int
    text: str
    position: float  # 0 at the start of the article, 1 at its end
    anchors: frozenset[str] = frozenset()


@dataclass(slots=True)
class AlignedClaim:
    """Sentences of several sources that state one thing. ``canonical`` indexes
    ``units``: the variant closest to all others (the clearest common wording)."""

    units: list[Unit]
    canonical: int
    cohesion: float  # mean cosine between the members' embeddings (1 for a single sentence)
    vectors: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 0), np.float32))

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


def units_of(analyses: list[ArticleAnalysis], sources: Sources) -> list[Unit]:
    """The sentences worth aligning, with their anchors (entity ids, numbers, days)."""
    out: list[Unit] = []
    for a in analyses:
        n = sources.number[a.id]
        length = max(len(a.text), 1)
        for s in a.sentences:
            if is_claim(s.text):
                out.append(Unit(n, s.start, s.end, s.text, s.start / length, _anchors(a, s.start, s.end)))
    return out


def is_claim(sentence: str) -> bool:
    """Whether a sentence can state a claim: long enough, and not a subhead."""
    words = sum(1 for _ in TOKEN.finditer(sentence))
    return words >= MIN_WORDS and (words >= HEADING_WORDS or bool(_ENDS.search(sentence)))


def _anchors(a: ArticleAnalysis, lo: int, hi: int) -> frozenset[str]:
    inside = lambda x: lo <= x.start < hi  # noqa: E731
    anchors = {f"e:{m.label}:{m.entity or m.text}" for m in a.entities if inside(m)}
    anchors |= {f"n:{q.unit or ''}:{q.value:g}" for q in a.numbers if inside(q) and q.unit != "year-date"}
    anchors |= {f"d:{d.value.isoformat()}" for d in a.dates
                if inside(d) and d.value and (not d.relative or d.confidence >= RELATIVE_DATE_CONFIDENCE)}
    return frozenset(anchors)


def similarity(units: list[Unit], vectors: np.ndarray) -> np.ndarray:
    """Cosine adjusted by anchors: shared entities, numbers and days raise it; two
    sentences that both have anchors but share none are probably about different things."""
    sim = cosine(vectors).astype(np.float64)
    n = len(units)
    for i in range(n):
        ai = units[i].anchors
        if not ai:
            continue
        for j in range(i + 1, n):
            aj = units[j].anchors
            if not aj:
                continue
            shared = len(ai & aj)
            bonus = ANCHOR_WEIGHT * (shared / len(ai | aj)) if shared else -ANCHOR_WEIGHT / 2
            sim[i, j] += bonus
            sim[j, i] += bonus
    return sim


def align(units: list[Unit], sources: Sources, vectors: np.ndarray | None = None,
          threshold: float = SAME_CLAIM) -> list[AlignedClaim]:
    """Group ``units`` into claims, best supported first (then earliest in their sources).

    A source whose sentence says the claim among other things (a long lead
    sentence) is clustered elsewhere, but still states it: such a sentence,
    close enough to the claim's canonical wording, is added to the claim's
    support too."""
    if not units:
        return []
    if vectors is None:
        vectors = embed([u.text for u in units])
    originals = [i for i, u in enumerate(units) if not sources.is_copy(u.source)]
    sim = similarity([units[i] for i in originals], vectors[originals])
    labels = _cluster([units[i].source for i in originals], sim, threshold)
    groups: dict[int, list[int]] = {}
    for i, label in zip(originals, labels):
        groups.setdefault(label, []).append(i)
    position = {i: k for k, i in enumerate(originals)}
    for members in groups.values():
        _extend(members, units, originals, position, sim, threshold + EXTEND_MARGIN)
    _attach_copies(units, sources, vectors, groups)
    claims = [_claim(units, members, vectors) for members in groups.values()]
    claims.sort(key=lambda c: (-sources.support(c.sources), -len(c.sources),
                               min(u.position for u in c.units), c.text))
    return claims


def anchored_claims(analysis: StoryAnalysis, sources: Sources, claims: list[AlignedClaim],
                    min_support: int = 3, threshold: float = SAME_ANCHOR_CLAIM) -> list[AlignedClaim]:
    """Claims about one day or one person that sources state inside sentences about other
    things too ("the talks, to be held on January 10 in Geneva, ..."; "the US delegation,
    led by Wendy Sherman, ..."): for each day of the timeline and each person that several
    sources name, the clauses around the mentions, one per source, that say alike the same
    thing. Sentence alignment misses these when every source builds its sentence differently.
    Only claims better supported than any claim already saying it are added."""
    texts = {a.id: a.text for a in analysis.articles}
    length = {a.id: max(len(a.text), 1) for a in analysis.articles}
    out = []
    for anchor, names, spans in _anchor_groups(analysis, sources):
        most = sources.support(sources.number[aid] for aid, _, _ in spans)
        if most < min_support or _said(anchor, names, most, claims, sources):
            continue
        units = [Unit(sources.number[aid], lo, hi, texts[aid][lo:hi], lo / length[aid], frozenset({anchor}))
                 for aid, lo, hi in sorted(set(spans), key=lambda s: (sources.number[s[0]], s[1], s[2]))]
        vectors = embed([u.text for u in units])
        centre = _claim(units, list(range(len(units))), vectors).canonical
        sim = vectors @ vectors[centre]
        best: dict[int, int] = {}
        for k, u in enumerate(units):  # each source's clause closest to the common one
            if sim[k] >= threshold and (u.source not in best or sim[k] > sim[best[u.source]]):
                best[u.source] = k
        kept = sorted(best.values())
        if sources.support(best) < min_support:
            continue
        found = _claim([units[k] for k in kept], list(range(len(kept))), vectors[kept])
        if not _covered(found, names, claims + out, sources):
            out.append(found)
    return out


def _anchor_groups(analysis: StoryAnalysis, sources: Sources) -> list[tuple[str, list[str], list[tuple[str, int, int]]]]:
    """(anchor, names, spans) for each timeline day and each named person: the clauses that hold them."""
    groups = [(f"d:{e.value.isoformat()}", [], list(e.spans)) for e in analysis.timeline]
    by_entity: dict[str, list[tuple[str, int, int]]] = {}
    for a in analysis.articles:
        people = [m for m in a.entities if m.label == "PERSON"]
        for m in people:
            sentence = next(((s.start, s.end) for s in a.sentences if s.start <= m.start < s.end), None)
            if sentence is None:
                continue
            rivals = [(o.start, o.end) for o in a.entities if o.entity != m.entity and o.label in ("PERSON", "ORG")]
            lo, hi = clause_around(a.text, sentence, m.start, m.end, rivals)
            if len(a.text[lo:hi].split()) >= MIN_WORDS:
                by_entity.setdefault(m.entity, []).append((a.id, lo, hi))
    names = {e.id: e.aliases + [e.name] for e in analysis.entities}
    groups += [(f"e:PERSON:{eid}", names.get(eid, []), spans) for eid, spans in by_entity.items()]
    return groups


def _said(anchor: str, names: list[str], support: int, claims: list[AlignedClaim], sources: Sources) -> bool:
    """Whether a claim as well supported as the anchor could ever be already names it in its
    canonical wording (then nothing is to be gained, and nothing is embedded)."""
    return any(sources.support(c.sources) >= support and
               (anchor in c.units[c.canonical].anchors or any(n in c.text for n in names)) for c in claims)


def _covered(claim: AlignedClaim, names: list[str], claims: list[AlignedClaim], sources: Sources) -> bool:
    """Whether a claim at least this well supported already says it: it holds this claim's
    canonical clause, or its canonical wording names the person."""
    support = sources.support(claim.sources)
    u = claim.units[claim.canonical]

    def says(c: AlignedClaim) -> bool:
        v = c.units[c.canonical]
        return (c.text == claim.text or (v.source == u.source and v.start <= u.start and u.end <= v.end)
                or any(n in c.text for n in names))

    return any(sources.support(c.sources) >= support and says(c) for c in claims)


def _cluster(source_of: list[int], sim: np.ndarray, threshold: float) -> list[int]:
    if len(source_of) == 1:
        return [0]
    same_source = np.array(source_of)
    dist = 1.0 - np.clip(sim, -1.0, 1.0)
    dist[same_source[:, None] == same_source[None, :]] = 2.0  # one source does not confirm itself
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    return list(fcluster(tree, t=1.0 - threshold, criterion="distance"))


def _extend(members: list[int], units: list[Unit], originals: list[int], position: dict[int, int],
            sim: np.ndarray, threshold: float) -> None:
    """Add, for each source not yet in the claim, its sentence closest to the claim's
    members when it is close enough on average."""
    have = {units[i].source for i in members}
    rows = [position[i] for i in members]
    mean = sim[rows].mean(axis=0)
    best: dict[int, int] = {}
    for k, i in enumerate(originals):
        s = units[i].source
        if s not in have and mean[k] >= threshold and (s not in best or mean[k] > mean[position[best[s]]]):
            best[s] = i
    members.extend(best.values())


def _attach_copies(units: list[Unit], sources: Sources, vectors: np.ndarray,
                   groups: dict[int, list[int]]) -> None:
    """Each sentence of a copy joins the claim of its original's closest sentence
    (or stands alone when the copy added it)."""
    group_of = {i: g for g, members in groups.items() for i in members}
    fresh = max(groups, default=0) + 1
    for i, u in enumerate(units):
        if not sources.is_copy(u.source):
            continue
        origin = sources.origin[u.source]
        candidates = [j for j in group_of if units[j].source == origin]
        best = max(candidates, key=lambda j: float(vectors[i] @ vectors[j]), default=None)
        if best is not None and float(vectors[i] @ vectors[best]) >= COPY_MATCH:
            groups[group_of[best]].append(i)
        else:
            groups[fresh] = [i]
            fresh += 1


def _claim(units: list[Unit], members: list[int], vectors: np.ndarray) -> AlignedClaim:
    members = sorted(members, key=lambda i: (units[i].source, units[i].start))
    vecs = vectors[members]
    sim = vecs @ vecs.T
    k = len(members)
    cohesion = 1.0 if k == 1 else float((sim.sum() - k) / (k * (k - 1)))
    # the medoid; among near-equals the shorter, which is usually the plainer wording, and
    # one that reads on its own rather than one that leans on the sentence before it
    score = sim.sum(axis=1) - np.array([1e-4 * len(units[i].text) + 0.5 * dependent(units[i].text)
                                        + 0.3 * garbled(units[i].text) for i in members])
    return AlignedClaim([units[i] for i in members], int(np.argmax(score)), cohesion, vecs)


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
