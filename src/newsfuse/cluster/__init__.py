"""The clustering stage: reports of one real-world event become one story."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Article
from .features import FeatureWeights
from .model import ClusterParams, StoryClusterer, story_id

__all__ = ["ClusterParams", "FeatureWeights", "StoryClusterer", "cluster", "story_id"]


def cluster(articles: Iterable[Article], params: ClusterParams | None = None) -> dict[str, str]:
    """Article id -> story id for a batch (copies are not handled here: see :class:`newsfuse.Pipeline`)."""
    return StoryClusterer(params).fit(articles).labels_
