"""The corroboration stage: what independent sources agree on, and where they differ.

>>> c = corroborate(story, analysis)                  # doctest: +SKIP
>>> [(claim.text, len(claim.sources)) for claim in c.claims][:3]   # doctest: +SKIP

Inputs are a story (its articles and which are copies) and its analysis.
Out come the claims aligned across sources (:mod:`.claims`), the quotes
merged across translations (:mod:`.quotes`), and the differences: numbers,
times and dates (:mod:`.facts`), titles (:mod:`.roles`), the wording of a
quote and who said it. Copies never count as confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..analyse.model import StoryAnalysis
from ..pipeline import Story
from .claims import AlignedClaim, align, support_matrix
from .differences import FactDifference, differences, same_thing
from .facts import Item, fact_items
from .pairs import candidate_pairs, pair_model
from .quotes import MergedQuote, merge_quotes, quote_items
from .roles import RoleDifference, role_differences
from .similarity import embed
from .sources import Sources, link_provenance
from .units import Unit, units_of

__all__ = ["AlignedClaim", "Corroboration", "FactDifference", "Item", "MergedQuote", "RoleDifference", "Sources",
           "Unit", "corroborate", "embed"]


@dataclass(slots=True)
class Corroboration:
    sources: Sources
    units: list[Unit]
    vectors: np.ndarray  # one embedding per unit
    claims: list[AlignedClaim]  # best supported first
    quotes: list[MergedQuote]
    facts: list[Item]
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
    clause_vectors = embed([u.clause for u in units])
    link_provenance(sources, analyses, _by_article(units, vectors, sources))
    pairs = candidate_pairs(units, [sources.origin[u.source] for u in units], clause_vectors, vectors)
    model = pair_model()
    S = support_matrix(len(units), pairs, model.predict_proba(pairs.X))
    claims = align(units, sources, S, vectors)
    claims.sort(key=lambda c: (-sources.support(c.sources), min(u.position for u in c.units)))
    facts = fact_items(analyses, sources)
    return Corroboration(
        sources=sources,
        units=units,
        vectors=vectors,
        claims=claims,
        quotes=merge_quotes(quote_items(analyses, sources), sources),
        facts=facts,
        fact_differences=differences(units, pairs, same_thing(model, pairs), sources),
        role_differences=role_differences(analysis.entities, sources),
    )


def _by_article(units: list[Unit], vectors: np.ndarray, sources: Sources) -> dict[str, tuple[list[tuple[int, int]], np.ndarray]]:
    """Each article's claim sentences (spans) and their embeddings, one row per sentence."""
    rows: dict[str, dict[tuple[int, int], int]] = {}
    for k, u in enumerate(units):
        rows.setdefault(sources.articles[u.source - 1].id, {}).setdefault((u.start, u.end), k)
    return {aid: (list(spans), vectors[list(spans.values())]) for aid, spans in rows.items()}
