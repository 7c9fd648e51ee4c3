"""The cleaning stage: what is not the story leaves the text, and says why."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Article, Removal
from .cleaner import Cleaned, RepeatedLines, clean_text, normalize_block, split_blocks
from .rules import match as match_rule

__all__ = [
    "Cleaned",
    "RepeatedLines",
    "clean_batch",
    "clean_text",
    "drop_repeated",
    "match_rule",
    "normalize_block",
    "split_blocks",
]


def clean_batch(articles: Iterable[Article], learner: RepeatedLines | None = None) -> list[Article]:
    """Drop lines repeated across unrelated articles of the batch (or of one outlet).

    The articles are changed in place (and returned as a list); each dropped
    line is added to the article's ``removed`` list as ``repeated-line``.
    Articles left with no text keep their last paragraph: a later stage may
    still want their title and metadata.
    """
    articles = list(articles)
    learner = learner or RepeatedLines()
    learner.fit((a.paragraphs, a.source) for a in articles)
    return drop_repeated(articles, learner)


def drop_repeated(articles: list[Article], learner: RepeatedLines) -> list[Article]:
    """Drop the lines ``learner`` takes for boilerplate from each article (in place)."""
    for a in articles:
        learner.for_outlet(a.source)
        kept = [p for p in a.paragraphs if not learner.test(p)]
        if len(kept) == len(a.paragraphs) or not kept:
            continue
        a.removed.extend(Removal(p, "repeated-line") for p in a.paragraphs if learner.test(p))
        a.paragraphs = kept
        a.text = "\n\n".join(kept)
    return articles
