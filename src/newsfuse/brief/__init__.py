"""The brief stage: for each story, what happened, cited, with where sources differ.

>>> briefs = newsfuse.brief(["../shared/seeds/"])       # doctest: +SKIP
>>> print(to_markdown(briefs[0]))                        # doctest: +SKIP

A brief is built from the story's analysis (:mod:`newsfuse.analyse`) and
its corroboration (:mod:`newsfuse.corroborate`); both are cached by content,
so a story briefed again costs nothing but rendering.
"""

from __future__ import annotations

from collections.abc import Callable

from ..analyse import Analyzer, default_analyzer
from ..corroborate import corroborate
from ..model import Problem
from ..pipeline import Clustering, Pipeline, Story
from .compose import compose_brief
from .model import Brief
from .render import to_html, to_json, to_markdown, to_markdown_many

__all__ = ["METHOD", "Brief", "brief", "brief_story", "briefs_of", "to_html", "to_json", "to_markdown", "to_markdown_many"]


# Bumped whenever the same articles would get another brief: briefs kept in a store from an
# older method are made again.
METHOD = 3


def brief_story(story: Story, analyzer: Analyzer | None = None) -> Brief:
    """The brief of one story."""
    analyzer = analyzer or default_analyzer()
    analysis = analyzer.story(story.articles)  # the parsing workers embed the sentences as they parse
    return compose_brief(story, analysis, corroborate(story, analysis))


def briefs_of(clustering: Clustering, *, min_articles: int = 2, analyzer: Analyzer | None = None) -> list[Brief]:
    """Briefs of the stories of at least ``min_articles`` articles, largest first."""
    return [brief_story(s, analyzer) for s in clustering.stories(min_articles)]


def brief(sources, *, all_stories: bool = False, pipeline: Pipeline | None = None,  # type: ignore[no-untyped-def]
          on_problem: Callable[[Problem], None] | None = None) -> list[Brief]:
    """Read, clean, cluster and brief: every story with two or more articles (all with ``all_stories``)."""
    clustering = (pipeline or Pipeline()).run(sources, on_problem)
    return briefs_of(clustering, min_articles=1 if all_stories else 2)
