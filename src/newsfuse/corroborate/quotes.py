"""One statement, quoted by several sources, is one quote with variants.

Translations and rewrites quote the same words differently ("colossal
mistake", "a colossal error", "fatal mistake"): quotes are grouped when
their words mean the same (MiniLM cosine) and their speakers are compatible
(the same person, or the person and the aide who relayed the words). Words
quoted near-identically are grouped whoever they are attributed to, so that
a quote given to two different people shows up as a difference of speaker.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from ..analyse.model import ArticleAnalysis, Quote
from ..grouping import average_linkage
from .similarity import cosine, embed
from .sources import Sources

SHORT_QUOTE = 6  # words: a shorter quote is a phrase, compared in its sentence too
SAME_LONG_QUOTE = 0.72  # two long quotes are one statement (in two translations) above this cosine
SAME_QUOTE = 0.55  # cosine of the quoted words above which compatible speakers said the same thing
SAME_REPORT = 0.75  # the same for two reported (indirect) statements, whose wording is the reporter's
SAME_WORDS = 0.9  # above this the words are the same whoever is named as the speaker
SAME_WORDING = 90  # rapidfuzz ratio above which two wordings differ only by punctuation or a word
_DESCRIPTION = re.compile(r"(?:the|a|an|this|that|its|his|her|their)\s", re.I)
_UNKNOWN = {"he", "she", "it", "they", "and", "we", "i", "you", "this", "that", "who"}


@dataclass(slots=True)
class QuoteItem:
    source: int
    quote: Quote
    text: str  # the quoted words, parts joined
    sentence: str  # the sentence that holds them: context for a short quote

    @property
    def voices(self) -> set[str]:
        """Who the words are given to, by name: the speaker and whoever relayed them. A
        description ("the statement", "the president") names no one in particular."""
        names = {self.quote.speaker, self.quote.channel}
        return {n for n in names if n and n.lower() not in _UNKNOWN and not _DESCRIPTION.match(n)}


@dataclass(slots=True)
class MergedQuote:
    items: list[QuoteItem]
    speaker: str | None
    channel: str | None
    direct: bool
    wordings: list[tuple[str, list[QuoteItem]]]  # distinct wordings, most sources first

    @property
    def sources(self) -> list[int]:
        return sorted({i.source for i in self.items})


def quote_items(analyses: list[ArticleAnalysis], sources: Sources) -> list[QuoteItem]:
    """Every quote worth merging. A reported statement that only frames a direct quote of the
    same source ("said it would be a 'colossal mistake'") adds nothing to it and is left out."""
    out: list[QuoteItem] = []
    for a in analyses:
        n = sources.number[a.id]
        direct = [q for q in a.quotes if q.direct]
        for q in a.quotes:
            if not q.direct and any(q.start <= d.start and d.end <= q.end for d in direct):
                continue
            text = " … ".join(a.text[s:e].strip(" ,") for s, e in q.parts) if q.parts else q.text.strip()
            sentence = next((s.text for s in a.sentences if s.start <= q.start < s.end), text)
            if text:
                out.append(QuoteItem(n, q, text, sentence))
    return out


def merge_quotes(items: list[QuoteItem], sources: Sources, threshold: float = SAME_QUOTE) -> list[MergedQuote]:
    """Quotes grouped by statement, best supported first."""
    if not items:
        return []
    if len(items) == 1:
        labels = [1]
    else:
        # reported speech is the reporter's wording: its sentence (already embedded) stands for it
        words = cosine(embed([i.text if i.quote.direct else i.sentence for i in items])).astype(np.float64)
        context = cosine(embed([i.sentence for i in items])).astype(np.float64)
        # a few quoted words ("grave mistake") are compared in their sentence as well; two long
        # quotes only by their words, which must be close: one speaker says several things on one topic
        short = np.array([len(i.text.split()) < SHORT_QUOTE for i in items])
        both_short = short[:, None] & short[None, :]
        sim = np.where(both_short, np.maximum(words, (words + context) / 2), words)
        sim[~(short[:, None] | short[None, :]) & (words < SAME_LONG_QUOTE)] = -1.0
        relayed = _relays(items)
        for a in range(len(items)):
            for b in range(a + 1, len(items)):
                both_reported = not (items[a].quote.direct or items[b].quote.direct)
                if (sim[a, b] < SAME_WORDS and not _compatible(items[a], items[b], relayed)) or \
                        (both_reported and sim[a, b] < SAME_REPORT):
                    sim[a, b] = sim[b, a] = -1.0
        dist = np.clip(1.0 - sim, 0.0, 2.0)
        np.fill_diagonal(dist, 0.0)
        labels = average_linkage(dist, 1.0 - threshold).tolist()
    groups: dict[int, list[QuoteItem]] = {}
    for item, label in zip(items, labels):
        groups.setdefault(label, []).append(item)
    merged = [_merged(g) for g in groups.values()]
    merged.sort(key=lambda m: (-sources.support(m.sources), not m.direct, m.sources, m.wordings[0][0]))
    return merged


def _relays(items: list[QuoteItem]) -> set[frozenset[str]]:
    """Pairs of speaker and relayer the story's sources name ("Putin, according to Ushakov"):
    words one source gives to the relayer may be the speaker's in another."""
    return {frozenset((i.quote.speaker or "", i.quote.channel or "")) for i in items
            if len(i.voices) == 2}


def _compatible(a: QuoteItem, b: QuoteItem, relayed: set[frozenset[str]]) -> bool:
    """The same voice, one speaker and the aide some source names as relaying that speaker, or,
    for a statement of some length, a voice one source does not name ("the statement said",
    "the announcement concluded"): a few words are too common to match whoever says them."""
    if a.voices & b.voices or frozenset((a.quote.speaker or "", b.quote.speaker or "")) in relayed:
        return True
    long = min(len(a.text.split()), len(b.text.split())) >= SHORT_QUOTE
    return long and not (a.voices and b.voices)


def _merged(items: list[QuoteItem]) -> MergedQuote:
    direct = [i for i in items if i.quote.direct]
    speakers = Counter(i.quote.speaker for i in items if i.quote.speaker and i.quote.speaker.lower() not in _UNKNOWN)
    channels = Counter(i.quote.channel for i in items if i.quote.channel)
    speaker = max(speakers, key=lambda s: (speakers[s], len(s)), default=None)
    channel = max((c for c in channels if c != speaker), key=lambda c: (channels[c], len(c)), default=None)
    return MergedQuote(items, speaker, channel, bool(direct), wordings(direct or items))


def wordings(items: list[QuoteItem]) -> list[tuple[str, list[QuoteItem]]]:
    """Distinct wordings: a fragment of a longer quote ("colossal" of "colossal mistake")
    and a wording that differs only in punctuation or a word are the same wording; words left
    out inside a quote ("That person needs to be found" of "That person is dangerous and needs
    to be found") make another wording: quotation marks promise the speaker's words."""
    ordered = sorted(items, key=lambda i: (-len(_norm(i.text)), i.source))
    out: list[tuple[str, list[QuoteItem]]] = []
    for it in ordered:
        n = _norm(it.text)
        for text, group in out:
            m = _norm(text)
            if n in m or fuzz.ratio(n, m) >= SAME_WORDING:
                group.append(it)
                break
        else:
            out.append((_tidy(it.text), [it]))
    out.sort(key=lambda w: (-len({i.source for i in w[1]}), min(i.source for i in w[1])))
    return out


def _tidy(text: str) -> str:
    """A quoted phrase without the punctuation of the sentence around it ("colossal mistake.")."""
    text = text.strip(" ,;:")
    return text.rstrip(".") if text[:1].islower() else text


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())
