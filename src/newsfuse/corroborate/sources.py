"""A story's sources numbered for citation, and which of them are independent.

Five reports are not five confirmations when they come from one place.
Reports count once together when they share a *provenance*:

- **copy**: the dedup stage found one to be a near-verbatim copy of the other;
- **version**: they share the wording of their own narration, sentence for
  sentence, beyond what they quote: two rewrites or updates of one agency
  report ("AFP", "AP" rewrites), a story and its later version. Quoted words
  do not count: every outlet quotes the same statement word for word;
- **outlet**: they come from one outlet or organisation (the same ``source``
  field, or the same web domain): a press release and the office's blog, a
  newsroom's morning and evening stories;
- **translation**: they are the same text in two languages, sentence for
  sentence.

Each report keeps its number; :attr:`Sources.origin` maps it to the first
report of its provenance group, and :attr:`Sources.lineage` says which
report it goes with and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import numpy as np

from ..analyse.model import ArticleAnalysis
from ..model import Article
from .words import jaccard

SHARED_SHINGLE = 3  # words per shingle of narration
SAME_SENTENCE = 0.3  # Jaccard of shingles from which two sentences are one wording
MIN_NARRATION_WORDS = 6  # a shorter sentence (outside quotes) is too generic to tell provenance
SHARED_SENTENCES = 2  # shared narrating sentences that make two reports one provenance ...
SHARED_SHARE = 0.4  # ... when they are this share of the shorter report's narration
TRANSLATED = 0.85  # cosine from which two sentences of different languages are one translated sentence
TRANSLATED_SHARE = 0.6  # share of the shorter report's sentences so matched
RELATIONS = ("copy", "version", "translation", "outlet")  # strongest first


@dataclass(slots=True)
class Sources:
    """Source numbers (1, 2, ...) in the story's order: originals, earliest first, then copies.
    ``origin`` maps a number to the first number of its provenance group, so reports of one
    provenance count once; ``lineage`` maps every later report of a group to (an earlier report
    it goes with, why: one of :data:`RELATIONS`)."""

    articles: list[Article]
    number: dict[str, int]
    origin: dict[int, int]
    lineage: dict[int, tuple[int, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, articles: Sequence[Article], copy_of: dict[str, str]) -> Sources:
        """Numbered sources with the copies the dedup stage found (see :meth:`link` for the rest)."""
        number = {a.id: i for i, a in enumerate(articles, 1)}
        sources = cls(list(articles), number, {n: n for n in number.values()})
        for aid, original in copy_of.items():
            root = _root(aid, copy_of)
            if aid in number and root in number and root != aid:
                sources.link(number[root], number[aid], "copy")
        return sources

    def link(self, a: int, b: int, why: str) -> None:
        """Count reports ``a`` and ``b`` as one source (``b`` goes with ``a``, for ``why``)."""
        ra, rb = self.origin[a], self.origin[b]
        if ra == rb:
            return
        keep, fold = min(ra, rb), max(ra, rb)
        for n, o in self.origin.items():
            if o == fold:
                self.origin[n] = keep
        # the folded group's first report now goes with the report of the kept group that linked them
        self.lineage[fold] = (a if ra == keep else b, why)

    def support(self, numbers: Iterable[int]) -> int:
        """Independent sources among ``numbers``: reports of one provenance count once."""
        return len({self.origin[n] for n in numbers})

    def is_copy(self, n: int) -> bool:
        return self.origin[n] != n

    def independent(self) -> int:
        return len(set(self.origin.values()))


def _root(aid: str, copy_of: dict[str, str]) -> str:
    seen = {aid}
    while aid in copy_of and copy_of[aid] not in seen:
        aid = copy_of[aid]
        seen.add(aid)
    return aid


def link_provenance(sources: Sources, analyses: Sequence[ArticleAnalysis],
                    sentence_vectors: dict[str, tuple[list[tuple[int, int]], np.ndarray]] | None = None) -> None:
    """Find the reports of one provenance among ``sources`` (see the module) and link them.

    Groups are joined only when every report of one is related to every report of the other
    (complete linkage): outlets that each reprint a few sentences of one press release are not
    chained into one source through a report that shares a little with each."""
    by_id = {a.id: a for a in analyses}
    arts = [a for a in sources.articles if a.id in by_id]
    narration = {a.id: _narration(by_id[a.id]) for a in arts}
    related: dict[tuple[int, int], str] = {}
    for i, a in enumerate(arts):
        for b in arts[i + 1:]:
            na, nb = sources.number[a.id], sources.number[b.id]
            if sources.origin[na] == sources.origin[nb]:
                related[na, nb] = "copy"
            elif same_outlet(a, b):
                related[na, nb] = "outlet"
            elif shares_narration(narration[a.id], narration[b.id]):
                related[na, nb] = "version"
            elif sentence_vectors and a.language and b.language and a.language != b.language and \
                    a.id in sentence_vectors and b.id in sentence_vectors and \
                    translated(sentence_vectors[a.id][1], sentence_vectors[b.id][1]):
                related[na, nb] = "translation"
    for (na, nb), why in sorted(related.items(), key=lambda kv: (RELATIONS.index(kv[1]), kv[0])):
        group_a = [n for n, o in sources.origin.items() if o == sources.origin[na]]
        group_b = [n for n, o in sources.origin.items() if o == sources.origin[nb]]
        if group_a != group_b and all((min(x, y), max(x, y)) in related for x in group_a for y in group_b):
            sources.link(na, nb, why)


def outlet_of(a: Article) -> str | None:
    """The outlet or organisation: the ``source`` field, else the site's registered domain."""
    if a.source and a.source.strip():
        return " ".join(re.findall(r"\w+", a.source.lower())) or None
    host = urlsplit(a.url).hostname if a.url else None
    if not host:
        return None
    labels = host.lower().split(".")
    # "news.bbc.co.uk" and "www.bbc.co.uk" are bbc.co.uk: two labels, three under a country's "co"/"com"/...
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


_SECOND_LEVEL = frozenset("co com org net gov ac edu gob gouv nic ne or go mil".split())


def same_outlet(a: Article, b: Article) -> bool:
    x, y = outlet_of(a), outlet_of(b)
    return x is not None and x == y


def shares_narration(sa: list[set[int]], sb: list[set[int]]) -> bool:
    """Whether two reports narrate in the same words (beyond quotations), sentence for
    sentence: one text rewritten or updated. Half the narration of the shorter one (two
    sentences at least), or all of it, must be shared; a few sentences of a press release that
    several outlets reprint are not enough."""
    if not sa or not sb:
        return False
    shared = sum(1 for x in sa if any(jaccard(x, y) >= SAME_SENTENCE for y in sb))
    shorter = min(len(sa), len(sb))
    return shared == shorter or (shared >= SHARED_SENTENCES and shared >= SHARED_SHARE * shorter)


def _narration(a: ArticleAnalysis) -> list[set[int]]:
    """Shingles of each sentence's own words (quoted words left out), for sentences long enough."""
    quoted = sorted((q.start, q.end) for q in a.quotes if q.direct)
    out = []
    for s in a.sentences:
        text = _unquoted(a.text, s.start, s.end, quoted)
        words = re.findall(r"\w+", text.lower())
        if len(words) >= MIN_NARRATION_WORDS:
            out.append({hash(tuple(words[k:k + SHARED_SHINGLE])) for k in range(len(words) - SHARED_SHINGLE + 1)})
    return out


def _unquoted(text: str, lo: int, hi: int, quoted: list[tuple[int, int]]) -> str:
    parts, at = [], lo
    for a, b in quoted:
        if b <= lo or a >= hi:
            continue
        if a > at:
            parts.append(text[at:a])
        at = max(at, b)
    if at < hi:
        parts.append(text[at:hi])
    return " ".join(parts)


def translated(va: np.ndarray, vb: np.ndarray) -> bool:
    """Whether most sentences of the shorter report have a near-identical sentence (in meaning) in the other."""
    if not len(va) or not len(vb):
        return False
    short, long_ = (va, vb) if len(va) <= len(vb) else (vb, va)
    best = (short @ long_.T).max(axis=1)
    return float((best >= TRANSLATED).mean()) >= TRANSLATED_SHARE
