"""The brief stage: for each story, what happened, cited, with where sources differ.

>>> briefs = newsfuse.brief(["../shared/seeds/"])       # doctest: +SKIP
>>> print(to_markdown(briefs[0]))                        # doctest: +SKIP

A brief is built from the story's analysis (:mod:`newsfuse.analyse`) and
its corroboration (:mod:`newsfuse.corroborate`); both are cached by content,
so a story briefed again costs nothing but rendering.
"""

from __future__ import annotations

from collections.abc import Callable

import multiprocessing

from ..analyse import Analyzer, default_analyzer
from ..corroborate import corroborate
from ..corroborate.claims import is_claim
from ..model import Problem
from ..text import sentence_spans
from ..pipeline import Clustering, Pipeline, Story
from .compose import compose_brief
from .model import Brief
from .render import to_html, to_json, to_markdown, to_markdown_many

__all__ = ["Brief", "brief", "brief_story", "briefs_of", "to_html", "to_json", "to_markdown", "to_markdown_many"]


def brief_story(story: Story, analyzer: Analyzer | None = None) -> Brief:
    """The brief of one story."""
    analyzer = analyzer or default_analyzer()
    if analyzer.cached(story.articles):
        analysis = analyzer.story(story.articles)
    else:
        # Another process embeds the sentences corroboration will compare while this one
        # loads spaCy (one core) and its workers parse the articles.
        ahead = _Ahead([t for a in story.articles for s, e in sentence_spans(a.text) if is_claim(t := a.text[s:e])])
        analysis = analyzer.story(story.articles)
        ahead.collect()
    return compose_brief(story, analysis, corroborate(story, analysis))


class _Ahead:
    """Sentence embeddings computed in a forked process, collected into this process's cache.

    A process, not a thread: the analysis forks its workers after this starts, and a
    fork must not copy a running thread's locks. Nothing happens where fork is
    unavailable, the model is missing, or every text is already cached."""

    def __init__(self, texts: list[str]) -> None:
        from .. import embed as model

        self.texts = [t for t in dict.fromkeys(texts) if not model.encoder().cached(t)] if model.available() else []
        self.process = None
        if len(self.texts) < AHEAD_MIN_TEXTS or "fork" not in multiprocessing.get_all_start_methods():
            return
        ctx = multiprocessing.get_context("fork")
        self.conn, send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_embed_into, args=(self.texts, send), daemon=True)
        self.process.start()
        send.close()

    def collect(self) -> None:
        if self.process is None:
            return
        from .. import embed as model

        try:
            model.encoder().remember(self.texts, self.conn.recv())
        except (EOFError, OSError):  # the helper died: corroboration embeds the texts itself
            pass
        finally:
            self.conn.close()
            self.process.join()


AHEAD_MIN_TEXTS = 32  # fewer sentences are embedded faster than a process starts


def _embed_into(texts: list[str], conn) -> None:  # type: ignore[no-untyped-def]
    from .. import embed as model

    from threadpoolctl import threadpool_limits

    # One BLAS thread: two would spin-wait against the parsing workers for the same two cores.
    with threadpool_limits(1):
        conn.send(model.encoder().encode(texts))
    conn.close()


def briefs_of(clustering: Clustering, *, min_articles: int = 2, analyzer: Analyzer | None = None) -> list[Brief]:
    """Briefs of the stories of at least ``min_articles`` articles, largest first."""
    return [brief_story(s, analyzer) for s in clustering.stories(min_articles)]


def brief(sources, *, all_stories: bool = False, pipeline: Pipeline | None = None,  # type: ignore[no-untyped-def]
          on_problem: Callable[[Problem], None] | None = None) -> list[Brief]:
    """Read, clean, cluster and brief: every story with two or more articles (all with ``all_stories``)."""
    clustering = (pipeline or Pipeline()).run(sources, on_problem)
    return briefs_of(clustering, min_articles=1 if all_stories else 2)
