"""The stages put together: read -> clean -> copies -> stories.

>>> result = Pipeline().run(["examples/"])          # doctest: +SKIP
>>> for story in result.stories():                  # doctest: +SKIP
...     print(story.id, [a.title for a in story.articles])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .clean import clean_batch
from .cluster import ClusterParams, StoryClusterer
from .dedup import CopyDetector, CopyParams
from .model import Article, Problem
from .read import ReadOptions, distinct_ids, iter_read


@dataclass(slots=True)
class Story:
    """The reports of one event: originals first (earliest first), then copies."""

    id: str
    articles: list[Article]
    copy_of: dict[str, str] = field(default_factory=dict)

    @property
    def originals(self) -> list[Article]:
        return [a for a in self.articles if a.id not in self.copy_of]


@dataclass(slots=True)
class Clustering:
    """The result of a run: every article, its story and, for copies, its original."""

    articles: list[Article]
    story_of: dict[str, str]
    copy_of: dict[str, str]

    def stories(self, min_articles: int = 1) -> list[Story]:
        """Stories largest first (ties: earliest first, then by id)."""
        groups: dict[str, list[Article]] = {}
        seen: set[str] = set()
        for a in self.articles:
            if a.id in seen:
                continue
            seen.add(a.id)
            groups.setdefault(self.story_of[a.id], []).append(a)
        stories = [
            Story(sid, sorted(arts, key=lambda a: (a.id in self.copy_of, _when(a), a.id)), self.copy_of)
            for sid, arts in groups.items()
            if len(arts) >= min_articles
        ]
        return sorted(stories, key=lambda s: (-len(s.articles), min(_when(a) for a in s.articles), s.id))


def _when(a: Article) -> float:
    return a.published.timestamp() if a.published else math.inf


def time_order(articles: Iterable[Article]) -> list[Article]:
    """Articles in publication order; undated ones keep their place among their neighbours
    (a stable sort that treats them as published just after the article before them)."""
    out: list[tuple[float, int, Article]] = []
    last = -math.inf
    for i, a in enumerate(articles):
        when = _when(a)
        last = when if when != math.inf else last
        out.append((when if when != math.inf else last, i, a))
    return [a for _, _, a in sorted(out, key=lambda t: (t[0], t[1]))]


class Pipeline:
    """Read, clean, find copies and cluster into stories, batch or stream.

    ``online=True`` runs the stream model article by article in time order,
    as ``newsfuse ingest`` does; the default is the batch model.
    """

    STREAM_GROUP = 5000  # arrivals whose features are computed together (in parallel) in stream mode

    def __init__(
        self,
        read_options: ReadOptions | None = None,
        cluster_params: ClusterParams | None = None,
        copy_params: CopyParams | None = None,
        *,
        online: bool = False,
    ) -> None:
        self.read_options = read_options or ReadOptions(keep_raw=False)
        self.cluster_params = cluster_params or ClusterParams()
        self.copy_params = copy_params or CopyParams()
        self.online = online

    def read(self, sources, on_problem: Callable[[Problem], None] | None = None) -> list[Article]:  # type: ignore[no-untyped-def]
        return clean_batch(distinct_ids(iter_read(sources, options=self.read_options, on_problem=on_problem), on_problem))

    def run(self, sources, on_problem: Callable[[Problem], None] | None = None) -> Clustering:  # type: ignore[no-untyped-def]
        return self.cluster(self.read(sources, on_problem))

    def cluster(self, articles: list[Article]) -> Clustering:
        """Find copies and stories among already read articles."""
        unique = list({a.id: a for a in articles}.values())
        if self.online:
            copies, labels = self._stream(unique)
        else:
            copies = CopyDetector(self.copy_params).fit(unique).copy_of_
            originals = [a for a in unique if a.id not in copies]
            labels = StoryClusterer(self.cluster_params).fit(originals).labels_
        story_of = {a.id: labels[copies.get(a.id, a.id)] for a in unique}
        return Clustering(articles, story_of, copies)

    def _stream(self, articles: list[Article]) -> tuple[dict[str, str], dict[str, str]]:
        detector = CopyDetector(self.copy_params)
        model = StoryClusterer(self.cluster_params)
        arrivals = time_order(articles)
        # in groups, as a feed poll or crawl segment arrives: the same result as one at a time
        for start in range(0, len(arrivals), self.STREAM_GROUP):
            group = arrivals[start : start + self.STREAM_GROUP]
            copies = detector.learn_many(group)
            model.learn_many([a for a, original in zip(group, copies) if original is None])
        model.flush()
        copies = {a.id: o for a in articles if (o := detector.copy_of(a.id)) is not None}
        labels = model.current_labels()
        # an article taken for an original may turn out a copy of a later, better original
        for aid, original in copies.items():
            if original not in labels:
                labels[original] = labels[aid]
        return copies, labels
