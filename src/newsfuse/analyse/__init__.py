"""The analysis stage: what each report says, in pieces later stages align.

Per article: sentences, entity mentions (with the roles sources give them),
date expressions resolved to absolute days, numbers with what they count, and
quotes with their speakers. Per story: one canonical entity per real-world
entity across the sources, publication dates estimated where untrustworthy,
and a timeline.

>>> analyzer = Analyzer()
>>> story = analyzer.story(articles)                  # doctest: +SKIP
>>> [(e.name, e.roles) for e in story.entities]       # doctest: +SKIP
>>> [(t.value, t.what, t.sources) for t in story.timeline]  # doctest: +SKIP

One spaCy parse per article serves every extractor, and results are cached by
article content, so a story is not analysed twice.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence

from ..model import Article
from ..text import sentence_spans
from .model import ArticleAnalysis, Entity, Mention, Quantity, Quote, Sentence, StoryAnalysis, TimeExpression

__all__ = [
    "Analyzer", "ArticleAnalysis", "Entity", "Mention", "Quantity", "Quote", "Sentence", "StoryAnalysis",
    "TimeExpression", "analyse_story", "sentences",
]


def sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets in ``text`` ("Mr.", "Jan.", "U.S." and quotes handled)."""
    return [Sentence(a, b, text[a:b]) for a, b in sentence_spans(text)]


def _key(article: Article) -> str:
    return article.id + ":" + hashlib.blake2b(article.text.encode("utf-8"), digest_size=8).hexdigest()


class Analyzer:
    """Analyses articles and stories, caching both (least recently used first out).

    ``cache_size``: stories kept. Articles are cached with the story they were
    analysed in, since their dates and entities depend on it.
    """

    def __init__(self, cache_size: int = 256) -> None:
        self.cache_size = cache_size
        self._stories: OrderedDict[tuple[str, ...], StoryAnalysis] = OrderedDict()

    def story(self, articles: Sequence[Article]) -> StoryAnalysis:
        """The analysis of one story's articles (order does not matter)."""
        key = tuple(sorted(_key(a) for a in articles))
        got = self._stories.get(key)
        if got is not None:
            self._stories.move_to_end(key)
            return got
        result = _analyse_story(list(articles))
        self._stories[key] = result
        if len(self._stories) > self.cache_size:
            self._stories.popitem(last=False)
        return result

    def article(self, article: Article) -> ArticleAnalysis:
        """One article analysed on its own (a story of one)."""
        return self.story([article]).articles[0]

    def stories(self, groups: Iterable[Sequence[Article]]) -> list[StoryAnalysis]:
        return [self.story(g) for g in groups]


_DEFAULT = Analyzer()


def analyse_story(articles: Sequence[Article]) -> StoryAnalysis:
    """:meth:`Analyzer.story` with a process-wide cache."""
    return _DEFAULT.story(articles)


def _analyse_story(articles: list[Article]) -> StoryAnalysis:
    from .entities import extract_mentions, resolve_entities
    from .nlp import parse_many
    from .numbers import extract_numbers
    from .quotes import extract_quotes
    from .temporal import build_timeline, estimate_base_dates, find_expressions, resolve

    docs = parse_many([a.text for a in articles])
    # date expressions are found once: they date the articles, then are resolved against those dates
    expressions = {a.id: find_expressions(a.text, doc) for a, doc in zip(articles, docs)}
    bases = estimate_base_dates(articles, expressions=expressions)
    out: list[ArticleAnalysis] = []
    for a, doc in zip(articles, docs):
        base, via, confidence = bases[a.id]
        out.append(ArticleAnalysis(
            id=a.id,
            path=a.origin or a.url or "",
            text=a.text,
            sentences=sentences(a.text),
            entities=extract_mentions(a.text, doc),
            dates=resolve(expressions[a.id], a.text, base, confidence),
            numbers=extract_numbers(a.text, doc),
            quotes=extract_quotes(a.text, doc, language=a.language or "en"),
            base_date=base,
            base_date_via=via,
            base_date_confidence=confidence,
        ))
    entities = resolve_entities({x.id: x.entities for x in out})
    _name_speakers(out, entities)
    timeline = build_timeline([(x.id, x.text, x.dates, x.sentences) for x in out])
    return StoryAnalysis(out, entities, timeline)


_DETERMINERS = ("the ", "a ", "an ", "his ", "her ", "their ", "its ")


def _plain(phrase: str) -> str:
    s = " ".join(phrase.lower().replace("’s", "").replace("'s", "").split())
    for d in _DETERMINERS:
        if s.startswith(d):
            return s[len(d):]
    return s


def _name_speakers(analyses: list[ArticleAnalysis], entities: list[Entity]) -> None:
    """Give speakers and channels their story-wide canonical names: "Putin" and
    "Vladimir Putin" become one name, and a description such as "the Russian
    president" becomes the one person the story's sources give that role.
    A description two people share ("the minister") is left as written."""
    by_alias: dict[str, set[str]] = {}
    by_role: dict[str, set[str]] = {}
    for e in entities:
        if e.label not in ("PERSON", "ORG"):
            continue
        for alias in e.aliases:
            by_alias.setdefault(_plain(alias), set()).add(e.name)
        if e.label == "PERSON":
            for roles in e.roles.values():
                for role in roles:
                    by_role.setdefault(_plain(role), set()).add(e.name)

    def name(phrase: str | None) -> str | None:
        if not phrase:
            return phrase
        key = _plain(phrase)
        for table in (by_alias, by_role):
            found = table.get(key)
            if found and len(found) == 1:
                return next(iter(found))
        return phrase

    for a in analyses:
        for q in a.quotes:
            q.speaker = name(q.speaker)
            q.channel = name(q.channel)
