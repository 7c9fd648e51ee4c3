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
from .claims import AlignedClaim, Unit, align, anchored_claims, units_of
from .facts import FactDifference, Item, differences, fact_items
from .quotes import MergedQuote, merge_quotes, quote_items
from .roles import RoleDifference, role_differences
from .similarity import embed
from .sources import Sources

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
    claims = align(units, sources, vectors)
    claims = sorted(claims + anchored_claims(analysis, sources, claims),
                    key=lambda c: (-sources.support(c.sources), min(u.position for u in c.units)))
    facts = fact_items(analyses, sources)
    return Corroboration(
        sources=sources,
        units=units,
        vectors=vectors,
        claims=claims,
        quotes=merge_quotes(quote_items(analyses, sources), sources),
        facts=facts,
        fact_differences=differences(facts, sources),
        role_differences=role_differences(analysis.entities, sources),
    )
