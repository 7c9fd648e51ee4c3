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

import atexit
import hashlib
import multiprocessing
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from ..model import Article
from ..text import sentence_spans
from .clauses import Clause, worth_comparing
from .model import ArticleAnalysis, Entity, Mention, Quantity, Quote, Sentence, StoryAnalysis, TimeExpression

__all__ = [
    "Analyzer", "ArticleAnalysis", "Clause", "Entity", "Mention", "Quantity", "Quote", "Sentence", "StoryAnalysis",
    "TimeExpression", "analyse_story", "default_analyzer", "sentences",
]


def sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets in ``text`` ("Mr.", "Jan.", "U.S." and quotes handled)."""
    return [Sentence(a, b, text[a:b]) for a, b in sentence_spans(text)]


# Bumped whenever what the per-article extractors return changes: stored reads of an older
# version are then read again rather than used.
READ_VERSION = 22
EMBED_MIN_WORDS = 5  # shorter sentences are never compared


def _key(article: Article) -> str:
    digest = hashlib.blake2b(article.text.encode("utf-8"), digest_size=8).hexdigest()
    return f"{article.id}:{digest}:v{READ_VERSION}"


class Analyzer:
    """Analyses articles and stories, caching both (least recently used first out).

    ``cache_size``: stories kept. Articles are cached with the story they were
    analysed in, since their dates and entities depend on it. ``workers``:
    processes that parse a story's articles in parallel (a pool kept for the
    life of the process; 1 parses in this process).
    """

    def __init__(self, cache_size: int = 256, workers: int = 2, reads: ReadCache | None = None) -> None:
        self.cache_size = cache_size
        self.workers = workers
        self.reads = reads
        self._stories: OrderedDict[tuple[str, ...], StoryAnalysis] = OrderedDict()

    def story(self, articles: Sequence[Article]) -> StoryAnalysis:
        """The analysis of one story's articles (order does not matter)."""
        key = tuple(sorted(_key(a) for a in articles))
        got = self._stories.get(key)
        if got is not None:
            self._stories.move_to_end(key)
            return got
        result = _analyse_story(list(articles), self.workers, self.reads)
        self._stories[key] = result
        if len(self._stories) > self.cache_size:
            self._stories.popitem(last=False)
        return result

    def cached(self, articles: Sequence[Article]) -> bool:
        """Whether this story's analysis is in the cache."""
        return tuple(sorted(_key(a) for a in articles)) in self._stories

    def start(self) -> Analyzer:
        """Load the model and start the worker processes now: they are forked from this
        process, which must not yet run other threads (a fork copies held locks)."""
        if self.workers > 1:
            _pool(self.workers)
        return self

    def article(self, article: Article) -> ArticleAnalysis:
        """One article analysed on its own (a story of one)."""
        return self.story([article]).articles[0]

    def stories(self, groups: Iterable[Sequence[Article]]) -> list[StoryAnalysis]:
        return [self.story(g) for g in groups]


_DEFAULT = Analyzer()


def analyse_story(articles: Sequence[Article]) -> StoryAnalysis:
    """:meth:`Analyzer.story` with a process-wide cache."""
    return _DEFAULT.story(articles)


def default_analyzer() -> Analyzer:
    """The process-wide analyzer (and cache) :func:`analyse_story` uses."""
    return _DEFAULT


@dataclass(slots=True)
class _Read:
    """What one article yields on its own, before the story is considered."""

    mentions: list[Mention]
    numbers: list[Quantity]
    quotes: list[Quote]
    expressions: list  # temporal.Expression: date expressions with their tense  # type: ignore[type-arg]
    clauses: list[Clause]
    # the sentences' and clauses' texts and their embeddings, computed where the parse is (a
    # worker), for the corroboration to find in the encoder's cache; not kept in a store
    embedded: tuple[list[str], np.ndarray] | None = None


def _read_one(text: str, language: str | None, embed: bool = True) -> _Read:
    """Parse one article and run the per-article extractors (a pure function of the text).
    ``embed``: embed its sentences too (not when another process does meanwhile, see :class:`_Ahead`)."""
    from .clauses import extract_clauses
    from .entities import extract_mentions
    from .nlp import parse
    from .numbers import extract_numbers
    from .quotes import extract_quotes
    from .temporal import find_expressions

    doc = parse(text)
    spans = sentence_spans(text)
    clauses = extract_clauses(doc, spans)
    return _Read(extract_mentions(text, doc), extract_numbers(text, doc),
                 extract_quotes(text, doc, language=language or "en"), find_expressions(text, doc),
                 clauses, _embedded(_to_embed(text, spans, clauses)) if embed else None)


def _to_embed(text: str, spans: list[tuple[int, int]], clauses: list[Clause]) -> list[str]:
    """The sentences corroboration will compare: those of a few words that hold a statement."""
    return [text[a:b] for a, b in spans if len(text[a:b].split()) >= EMBED_MIN_WORDS
            and any(a <= c.head < b and worth_comparing(c) for c in clauses)]


class _Ahead:
    """The sentences of a story's articles, embedded in a forked process (which loads the
    encoder) while this one loads spaCy and starts the parsing workers (which then embed
    nothing): on a cold start the second core would otherwise wait for the model to load. The
    vectors land in this process's encoder cache. A process, not a thread: the workers are forked after it starts,
    and a fork must not copy a running thread's locks.

    The process then stays, serving what else this one needs embedded (the quotations
    corroboration merges) so that this process never loads the model twice over on a cold
    start; it ends when this process loads its own (:func:`_load_encoder`) or exits."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_serve_embeddings, args=(texts, child), daemon=True)
        self.process.start()
        child.close()
        self._lock = threading.Lock()

    @classmethod
    def start(cls, jobs: list[tuple[str, str | None]]) -> _Ahead | None:
        from .. import embed

        if not embed.available() or "fork" not in multiprocessing.get_all_start_methods():
            return None
        texts = [t for text, _ in jobs for a, b in sentence_spans(text)
                 if len((t := text[a:b]).split()) >= EMBED_MIN_WORDS]
        return cls(list(dict.fromkeys(texts))) if texts else None

    def collect(self) -> bool:
        """Whether the vectors arrived; then the encoder asks this helper for what it lacks until
        it loads its own model (when they did not, the caller embeds the sentences itself)."""
        from .. import embed

        global _HELPER
        try:
            embed.encoder().remember(self.texts, self.conn.recv())
        except (EOFError, OSError):  # the helper died
            self.close()
            return False
        _HELPER = self
        embed.encoder().delegate = self.embed
        return True

    def embed(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            self.conn.send(texts)
            return self.conn.recv()

    def close(self) -> None:
        with self._lock:
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.conn.close()
        self.process.join(timeout=5)


_HELPER: _Ahead | None = None


def _load_encoder() -> None:
    """This process's own encoder, loaded; a helper that served it until now ends."""
    from .. import embed

    global _HELPER
    if embed.available():
        embed.encoder().load()
        embed.encoder().delegate = None
    if _HELPER is not None:
        _HELPER.close()
        _HELPER = None


def _serve_embeddings(texts: list[str], conn) -> None:  # type: ignore[no-untyped-def]
    """In the helper: embed ``texts``, then every list of texts asked for, until told to stop."""
    from .. import embed

    try:
        conn.send(embed.encoder().encode(texts))
        while (asked := conn.recv()) is not None:
            conn.send(embed.encoder().encode(asked))
    except (EOFError, OSError):  # the parent went away
        pass
    finally:
        conn.close()


def _embedded(texts: list[str]) -> tuple[list[str], np.ndarray] | None:
    from .. import embed

    if not texts or not embed.available():
        return None
    texts = list(dict.fromkeys(texts))
    return texts, embed.encoder().encode(texts)


def _read_job(job: tuple[str, str | None, bool]) -> _Read:
    return _read_one(*job)


_POOL: ProcessPoolExecutor | None = None


def _pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of forked workers kept for the life of the process, each holding the
    spaCy model loaded once (by the parent, before forking). None where fork is unavailable."""
    global _POOL
    if workers <= 1:
        return None
    if _POOL is None and "fork" in multiprocessing.get_all_start_methods():
        from . import clauses, entities, numbers, quotes, temporal  # noqa: F401  (imported once, before the fork)
        from .nlp import nlp

        nlp()  # loaded before the fork: every worker starts warm
        _POOL = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
        atexit.register(_POOL.shutdown, wait=False, cancel_futures=True)
        _POOL.submit(int).result()  # a forking pool starts all its workers at the first job: now, not later
    return _POOL


class ReadCache(Protocol):
    """Where the per-article part of an analysis (the parse and what the extractors found,
    a pure function of the text) can be kept across processes, such as the story store:
    a story that grows by one report then parses one report."""

    def get_many(self, keys: list[str]) -> dict[str, _Read]: ...

    def put_many(self, items: dict[str, _Read]) -> None: ...


def _analyse_story(articles: list[Article], workers: int, cache: ReadCache | None = None) -> StoryAnalysis:
    from .entities import resolve_entities
    from .temporal import build_timeline, estimate_base_dates, resolve

    keys = [_key(a) for a in articles]
    known = cache.get_many(keys) if cache is not None else {}
    todo = [i for i, k in enumerate(keys) if k not in known]
    jobs = [(articles[i].text, articles[i].language) for i in todo]
    cold = len(jobs) > 1 and workers > 1 and _POOL is None
    ahead = _Ahead.start(jobs) if cold else None
    pool = _pool(workers) if len(jobs) > 1 else None
    if pool is not None:
        # longest first, so that no worker is left with a long article while the others wait
        order = sorted(range(len(jobs)), key=lambda k: -len(jobs[k][0]))
        futures = {k: pool.submit(_read_job, (*jobs[k], ahead is None)) for k in order}
        if ahead is None:
            _load_encoder()  # while the workers parse: corroboration needs it here next
        fresh = [futures[k].result() for k in range(len(jobs))]
    else:
        fresh = [_read_job((*j, ahead is None)) for j in jobs]
    if ahead is not None and not ahead.collect():
        _load_encoder()
    if cache is not None and fresh:
        cache.put_many({keys[i]: replace(r, embedded=None) for i, r in zip(todo, fresh)})
    known.update({keys[i]: r for i, r in zip(todo, fresh)})
    _remember_vectors(fresh)
    reads = [known[k] for k in keys]
    # date expressions are found once: they date the articles, then are resolved against those dates
    bases = estimate_base_dates(articles, expressions={a.id: r.expressions for a, r in zip(articles, reads)})
    out: list[ArticleAnalysis] = []
    for a, r in zip(articles, reads):
        base, via, confidence = bases[a.id]
        out.append(ArticleAnalysis(
            id=a.id,
            path=a.origin or a.url or "",
            text=a.text,
            sentences=sentences(a.text),
            entities=r.mentions,
            dates=resolve(r.expressions, a.text, base, confidence),
            numbers=r.numbers,
            quotes=r.quotes,
            clauses=r.clauses,
            base_date=base,
            base_date_via=via,
            base_date_confidence=confidence,
        ))
    entities = resolve_entities({x.id: x.entities for x in out})
    _name_speakers(out, entities)
    timeline = build_timeline([(x.id, x.text, x.dates, x.sentences) for x in out])
    return StoryAnalysis(out, entities, timeline)


def _remember_vectors(reads: list[_Read]) -> None:
    """Embeddings the workers computed, into this process's encoder cache."""
    from .. import embed

    for r in reads:
        if r.embedded is not None:
            embed.encoder().remember(*r.embedded)


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
