"""From a corroborated story to its brief: select, order, cite.

The summary is chosen by maximal marginal relevance: each next sentence is
the claim that best trades importance (independent support, closeness to
what the whole story says, a place near the top of its reports) against
repeating what is already chosen. It is then put in the order the reports
tell it (mean position in their articles).
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from datetime import date
from urllib.parse import urlsplit

import numpy as np

from ..analyse.model import Quantity, StoryAnalysis
from ..analyse.numbers import count_key
from ..corroborate import AlignedClaim, Corroboration, MergedQuote, Sources
from ..corroborate.claims import as_sentence, dependent, ends_cleanly, garbled
from ..corroborate.differences import number_key
from ..corroborate.units import Unit
from ..corroborate.words import jaccard, word_set
from ..corroborate.similarity import cosine
from ..model import Article
from ..pipeline import Story
from .model import (Brief, Claim, Disagreement, EntityFact, NumberFact, QuoteGroup, SingleSource, Source, Span,
                    Statement, TimelineItem, ValueVariant, Variant)

SUMMARY_SENTENCES = 3  # the lead: who did what, when and where
BACKGROUND_DAYS = 14  # a claim of days this long before the story's latest report is background
LATE = 0.7  # ... and so is one without a day that its reports tell this far down (0 top, 1 end)
MMR_LAMBDA = 0.7  # weight of importance against novelty
SINGLE_SOURCE_MIN_WORDS = 8  # shorter lone sentences are transitions, not claims
SAME_WORDING = 0.75  # share of words from which two sentences of one source's reports are one sentence
_DEMONYM = re.compile(r"e:NORP:.*(?:ans?|ese|ish|ic|i|ch)$", re.I)  # "Valdorian" says where, not what is new
_KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "NORP": "group",
          "FAC": "facility", "EVENT": "event"}


def compose_brief(story: Story, analysis: StoryAnalysis, c: Corroboration) -> Brief:
    sources = _sources(story, analysis, c.sources)
    brief = Brief(story_id=story.id, headline=_headline(story, c), first_seen=None, last_seen=None, sources=sources)
    days = sorted(s.published[:10] for s in sources if s.published)
    brief.first_seen, brief.last_seen = (days[0], days[-1]) if days else (None, None)
    brief.texts = {c.sources.number[a.id]: a.text for a in story.articles}
    shared = [cl for cl in c.claims if c.support(cl) >= 2]
    brief.claims = _distinct([_claim(cl, c.sources) for cl in shared], shared)
    now = max((a.base_date for a in analysis.articles if a.base_date), default=None)
    background = {id(cl) for cl in c.claims if _background(cl, now)}
    for claim, cl in zip(brief.claims, shared):
        claim.kind = "background" if id(cl) in background else "news"
    brief.summary = [Statement(cl.text, cl.sources, _spans(cl)) for cl in _summary(c, background)]
    brief.single_source = _single_source(c, {claim.text for claim in brief.claims})
    brief.quotes = _quotes(c)
    brief.timeline = _timeline(analysis, c.sources)
    brief.numbers = _numbers(c)
    brief.entities = _entities(analysis, c.sources)
    brief.disagreements = _disagreements(c, {e.name for e in analysis.entities if e.label == "PERSON"})
    return brief


def _sources(story: Story, analysis: StoryAnalysis, numbers: Sources) -> list[Source]:
    base = {a.id: a for a in analysis.articles}
    out = []
    for a in story.articles:
        n = numbers.number[a.id]
        published, via = (a.published.isoformat(), a.published_via) if a.published else (None, None)
        x = base.get(a.id)
        if x is not None and x.base_date and (published is None or x.base_date_via not in ("published", None)):
            published, via = x.base_date.isoformat(), x.base_date_via
        copy_of, relation = None, None
        link = numbers.lineage.get(n)
        if link is not None:
            relation = link[1]
            copy_of = link[0] if relation == "copy" else None
        out.append(Source(n, a.id, a.source or _host(a.url) or _agency(a.dateline), a.url or None, a.title, published, a.language,
                          copy_of, via, link[0] if link else None, relation, _length(a)))
    return out


def _length(a: Article) -> int:
    """Characters of a report's title and text, a run of white space counted once (a report
    without text is read as its title)."""
    def chars(s: str) -> int:
        return len(" ".join(s.split()))

    return chars(a.title or "") + (chars(a.text) if a.text != a.title else 0)


def _agency(dateline: str | None) -> str | None:
    """Who a report says it is by when nothing else does: the agency of its dateline ("(CNN)",
    "PORT AVEL, March 6 (NWS)")."""
    m = re.search(r"\(([^()]+)\)", dateline or "")
    return m.group(1).strip() if m else None


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host[4:] if host and host.startswith("www.") else host


def _headline(story: Story, c: Corroboration) -> str:
    """The title of the earliest original that has one (the story's first report, as the store
    lists it), else the first claim."""
    title = next((a.title for a in story.originals if a.title), None)
    if title:
        return title
    return c.claims[0].text if c.claims else "(untitled story)"


def _spans(cl: AlignedClaim) -> list[Span]:
    return [(u.source, u.clause_start, u.clause_end) for u in cl.units]


def _claim(cl: AlignedClaim, sources: Sources) -> Claim:
    """A claim cites each source's sentence (its variants and their spans: what a reader
    checks); the claim's own spans point at the clauses that state the fact. Confidence: the least probability, among the counted sources
    other than the pivot's, that the source states the fact."""
    variants: dict[str, list[int]] = {}
    spans: dict[str, list[Span]] = {}
    for u in cl.units:
        variants.setdefault(u.text, []).append(u.source)
        spans.setdefault(u.text, []).append((u.source, u.start, u.end))
    counted = [p for u, p in zip(cl.units, cl.support) if u is not cl.pivot and not sources.is_copy(u.source)]
    return Claim(cl.text, cl.sources, sources.support(cl.sources),
                 [Variant(t, sorted(set(ns)), spans[t]) for t, ns in variants.items()], _spans(cl),
                 round(min(counted, default=1.0), 3))


def _distinct(claims: list[Claim], aligned: list[AlignedClaim]) -> list[Claim]:
    """Claims whose shown sentence another claim already shows (two facts of one long sentence)
    are shown by their own clause instead."""
    seen: set[str] = set()
    for claim, cl in zip(claims, aligned):
        if claim.text in seen:
            claim.text = as_sentence(cl.shown.clause)
        seen.add(claim.text)
    return claims


def _background(cl: AlignedClaim, now: date | None) -> bool:
    """Whether a claim tells of earlier events, not of the story: the days it gives are two
    weeks or more before the story's latest report; or it gives no day and its reports tell it
    near their end (where news writing puts the background), and not of what is to come."""
    days = [t.last or t.value for u in cl.units for t in u.days if t.value]
    if days and now is not None:
        return min((now - d).days for d in days) >= BACKGROUND_DAYS
    return not days and float(np.mean([u.position for u in cl.units])) >= LATE and cl.pivot.tense != "future"


def _summary(c: Corroboration, background: AbstractSet[int] = frozenset()) -> list[AlignedClaim]:
    """Maximal marginal relevance over the claims (news, not background, when there is news),
    then in the order the reports tell them."""
    candidates = [cl for cl in c.claims if len(cl.units[cl.canonical].text.split()) >= 6]
    news = [cl for cl in candidates if id(cl) not in background]
    candidates = news or candidates
    if not candidates:
        return []
    independent = max(len(set(c.sources.origin.values())), 1)
    centre = c.vectors.mean(axis=0)
    centre /= np.linalg.norm(centre) or 1.0
    cents = np.stack([cl.centroid for cl in candidates])
    importance = np.array([c.support(cl) / independent for cl in candidates]) + 0.5 * (cents @ centre) \
        + 0.6 * (1.0 - np.array([float(np.mean([u.position for u in cl.units])) for cl in candidates])) \
        - 0.5 * np.array([dependent(cl.text) for cl in candidates]) - 0.3 * np.array([garbled(cl.text) for cl in candidates])
    # a statement several sources quote is news: its claim is worth a place
    quoted = [w.casefold() for m in c.quotes if m.direct and c.sources.support(m.sources) >= 3
              for w, _ in m.wordings if len(w.split()) >= 2]
    importance += 0.3 * np.array([any(w in cl.text.casefold() for w in quoted) for cl in candidates])
    redundancy = cosine(cents)
    chosen: list[int] = []
    while len(chosen) < min(SUMMARY_SENTENCES, len(candidates)):
        scores = [(MMR_LAMBDA * importance[i] - (1 - MMR_LAMBDA) * max((redundancy[i, j] for j in chosen), default=0.0),
                   -i) for i in range(len(candidates)) if i not in chosen]
        chosen.append(-max(scores)[1])
    picked = [candidates[i] for i in chosen]
    return sorted(picked, key=lambda cl: float(np.mean([u.position for u in cl.units])))


def _single_source(c: Corroboration, confirmed: set[str]) -> list[SingleSource]:
    """What one original source (with its copies) alone states: a sentence that names
    something (a person, place, number or day) that no other independent source names.
    A lone sentence whose every anchor other sources also give is a rewording of
    what they say, not a claim of its own.

    Each sentence is listed once: its clauses, and the same sentence in the source's other
    reports (a version that changes a word or two), are one entry with all their spans. A sentence a confirmed claim
    shows is given by its lone clause, so that it does not read as unconfirmed too."""
    anchored: dict[str, set[int]] = {}
    for u in c.units:
        for a in u.anchors:
            anchored.setdefault(a, set()).add(c.sources.origin[u.source])
    entries: dict[tuple[int, frozenset[str]], SingleSource] = {}
    for cl in c.claims:
        if c.support(cl) != 1:
            continue
        u = cl.units[cl.canonical]
        origin = c.sources.origin[u.source]
        new = [a for a in u.anchors if anchored[a] == {origin} and not _DEMONYM.match(a)]
        if len(u.text.split()) < SINGLE_SOURCE_MIN_WORDS or not new:
            continue
        text = as_sentence(u.clause) if u.text in confirmed and len(u.clause.split()) >= SINGLE_SOURCE_MIN_WORDS \
            and ends_cleanly(u) else u.text
        if text in confirmed:
            continue
        words = word_set(text)
        key = next((k for k in entries if k[0] == origin and jaccard(k[1], words) >= SAME_WORDING), (origin, words))
        entry = entries.setdefault(key, SingleSource(text, origin, []))
        entry.spans += [span for span in _spans(cl) if span not in entry.spans]
    return sorted(entries.values(), key=lambda s: (s.source, min(s.spans)[1:] if s.spans else (0, 0)))


def _quotes(c: Corroboration) -> list[QuoteGroup]:
    out = []
    for m in c.quotes:
        support = c.sources.support(m.sources)
        if not m.direct and support < 2:
            continue
        variants = [Variant(text, sorted({i.source for i in items}),
                            [(i.source, i.quote.start, i.quote.end) for i in items]) for text, items in m.wordings]
        out.append(QuoteGroup(m.speaker, m.wordings[0][0], variants, m.channel, m.direct, support))
    return out


def _timeline(analysis: StoryAnalysis, sources: Sources) -> list[TimelineItem]:
    out = []
    for t in analysis.timeline:
        day = t.value.isoformat() if t.last == t.value else f"{t.value.isoformat()}/{t.last.isoformat()}"
        nums = sorted({sources.number[a] for a in t.sources if a in sources.number})
        spans = [(sources.number[a], lo, hi) for a, lo, hi in t.spans if a in sources.number]
        out.append(TimelineItem(day, t.what, nums, spans))
    return out


def _numbers(c: Corroboration) -> list[NumberFact]:
    """Each number as the sources state it: one entry per figure of one kind (unit, counted
    noun, or verb), with every source that gives it; best supported first."""
    groups: dict[tuple[str, float, float | None, float | None], list[tuple[Unit, Quantity]]] = {}
    for u in c.units:
        for q in u.numbers:
            groups.setdefault((number_key(q, u), q.value, q.low, q.high), []).append((u, q))
    out = []
    for (key, _, _, _), stated in groups.items():
        if key == "?":
            continue
        u, q = min(stated, key=lambda x: (garbled(x[0].text), x[0].source))
        what = q.counts or ("duration" if q.unit == "minute" else q.unit) or (q.verb and f"{q.verb}") or "number"
        unit, scale = _duration_unit(q) if q.unit == "minute" else (q.unit, 1.0)
        out.append(NumberFact(what, _scaled(q.value, scale), unit, sorted({x.source for x, _ in stated}),
                              q.text, _scaled(q.low, scale), _scaled(q.high, scale)))
    out.sort(key=lambda n: (-c.sources.support(n.sources), count_key(n.what) or "", n.sources))
    return out


_DURATIONS = [("year", 525960.0), ("month", 43830.0), ("week", 10080.0), ("day", 1440.0), ("hour", 60.0),
              ("minute", 1.0)]


def _duration_unit(q: Quantity) -> tuple[str, float]:
    """The largest unit in which a duration is a whole number ("3 weeks", not "30,240 minutes")."""
    for name, minutes in _DURATIONS:
        if q.value >= minutes and abs(q.value / minutes - round(q.value / minutes)) < 1e-6:
            return name, minutes
    return "minute", 1.0


def _scaled(v: float | None, scale: float) -> float | None:
    return None if v is None else round(v / scale, 6)


def _entities(analysis: StoryAnalysis, sources: Sources) -> list[EntityFact]:
    out = []
    for e in analysis.entities:
        nums = sorted({sources.number[a] for a in e.articles if a in sources.number})
        roles: dict[str, set[int]] = {}
        for aid, rs in e.roles.items():
            for r in rs:
                if aid in sources.number:
                    roles.setdefault(r, set()).add(sources.number[aid])
        out.append(EntityFact(e.name, _KINDS.get(e.label, e.label.lower()), sorted(set(e.aliases)), nums,
                              [Variant(r, sorted(ns)) for r, ns in roles.items()]))
    out.sort(key=lambda e: (-sources.support(e.sources), -len(e.sources), e.name))
    return out


def _disagreements(c: Corroboration, people: set[str]) -> list[Disagreement]:
    out = [Disagreement(f"{d.person}'s title", "title", [ValueVariant(t, ns) for t, ns in d.variants])
           for d in c.role_differences]
    for f in c.fact_differences:
        published = f.published or [None] * len(f.variants)
        out.append(Disagreement(f.about, f.kind, [
            ValueVariant(text, sorted({s.unit.source for s in sides}), [(s.unit.source, s.start, s.end) for s in sides],
                         when)
            for (text, sides), when in zip(f.variants, published)], f.evolution))
    for m in c.quotes:
        origins = {c.sources.origin[i.source] for _, items in m.wordings for i in items}
        if m.direct and len(m.wordings) > 1 and len(origins) > 1:
            who = (m.speaker or "unnamed speaker") + (f" (via {m.channel})" if m.channel else "")
            out.append(Disagreement(f"wording of a quote by {who}", "quote", [
                ValueVariant(text, sorted({i.source for i in items}), [(i.source, i.quote.start, i.quote.end)
                                                                        for i in items])
                for text, items in m.wordings]))
        speakers = _speakers(m, people)
        if len(speakers) > 1 and len({c.sources.origin[n] for ns in speakers.values() for n in ns}) > 1:
            out.append(Disagreement(f"who said “{m.wordings[0][0]}”", "speaker",
                                    [ValueVariant(who, sorted(ns)) for who, ns in speakers.items()]))
    return out


def _speakers(m: MergedQuote, people: set[str]) -> dict[str, set[int]]:
    """The people the same words are given to, leaving out whoever relayed them."""
    relayers = {i.quote.channel for i in m.items if i.quote.channel}
    named = {i.quote.speaker for i in m.items if i.quote.speaker in people}

    def full(who: str) -> str:  # "Sarah" and "Palin" are "Sarah Palin" when she is the one named so
        longer = [n for n in named if n != who and set(who.split()) < set(n.split())]
        return longer[0] if len(longer) == 1 else who

    out: dict[str, set[int]] = {}
    for i in m.items:
        who = i.quote.speaker
        if who in people and who not in relayers:
            out.setdefault(full(who), set()).add(i.source)
    return out
