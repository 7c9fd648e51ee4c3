"""The corroboration stage: what independent sources agree on, and where they differ.

>>> c = corroborate(story, analysis)                  # doctest: +SKIP
>>> [(claim.text, c.support(claim)) for claim in c.claims][:3]   # doctest: +SKIP

Inputs are a story (its articles and which are copies) and its analysis.
First the sources: which reports count as one (copies, versions of one
report, one outlet, translations: :mod:`.sources`). Then every clause of
every report becomes a unit (:mod:`.units`), and every pair of units of
independent sources is scored: do they state one fact (:mod:`.pairs`, a
small learned model)? Out come the claims, each built around one statement
and checked source by source against it (:mod:`.claims`); the differences,
found slot by slot on pairs that speak of one fact: numbers, dates, times,
polarity (:mod:`.differences`); the quotes merged across translations
(:mod:`.quotes`); and the people given different titles (:mod:`.roles`).
A conflict is never support, and copies never count as confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..analyse.model import StoryAnalysis
from ..pipeline import Story
from .claims import AlignedClaim, align, support_matrix
from .differences import FactDifference, differences, same_thing
from .pairs import candidate_pairs, pair_model
from .quotes import MergedQuote, merge_quotes, quote_items
from .roles import RoleDifference, role_differences
from .similarity import embed
from .sources import Sources, link_provenance
from .units import Unit, units_of

__all__ = ["AlignedClaim", "Corroboration", "FactDifference", "MergedQuote", "RoleDifference", "Sources", "Unit",
           "corroborate", "embed"]


@dataclass(slots=True)
class Corroboration:
    sources: Sources
    units: list[Unit]
    vectors: np.ndarray  # one embedding per unit's sentence
    claims: list[AlignedClaim]  # best supported first, then the single-source statements
    quotes: list[MergedQuote]
    fact_differences: list[FactDifference]
    role_differences: list[RoleDifference]

    def support(self, claim: AlignedClaim) -> int:
        return self.sources.support(claim.sources)


def corroborate(story: Story, analysis: StoryAnalysis) -> Corroboration:
    """Align, merge and compare what the story's sources say."""
    sources = Sources.of(story.articles, story.copy_of)
    order = {a.id: i for i, a in enumerate(story.articles)}
    analyses = sorted(analysis.articles, key=lambda a: order.get(a.id, len(order)))
    units = units_of(analyses, sources)
    vectors = embed([u.text for u in units])
    link_provenance(sources, analyses, sentence_vectors(units, vectors, sources))
    pairs = candidate_pairs(units, [sources.origin[u.source] for u in units], vectors)
    model = pair_model()
    claims = align(units, sources, support_matrix(len(units), pairs, model.predict_proba(pairs.X)), vectors)
    claims.sort(key=lambda c: (-sources.support(c.sources), min(u.position for u in c.units)))
    return Corroboration(
        sources=sources,
        units=units,
        vectors=vectors,
        claims=claims,
        quotes=merge_quotes(quote_items(analyses, sources), sources),
        fact_differences=differences(units, pairs, same_thing(model, pairs), sources),
        role_differences=role_differences(analysis.entities, sources),
    )


def sentence_vectors(units: list[Unit], vectors: np.ndarray,
                     sources: Sources) -> dict[str, tuple[list[tuple[int, int]], np.ndarray]]:
    """Each article's claim sentences (spans) and their embeddings, one row per sentence."""
    rows: dict[str, dict[tuple[int, int], int]] = {}
    for k, u in enumerate(units):
        rows.setdefault(sources.articles[u.source - 1].id, {}).setdefault((u.start, u.end), k)
    return {aid: (list(spans), vectors[list(spans.values())]) for aid, spans in rows.items()}
