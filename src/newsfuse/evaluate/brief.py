"""Briefs scored against annotated events: are confirmed facts confirmed, are differences real?

The gold of an event (``data/claims-dev/PROTOCOL.md``) keys every sentence
of its articles (``a3s7``: article 3, sentence 7) and lists the facts with
every sentence that states each one (and those that contradict it), the
disagreements between articles with each version's sentences, which
articles are copies of one wire text, and which sentences are boilerplate.

A brief cites text, not sentence keys, so each cited text is first located
among its article's gold sentences by word overlap. Then:

- **claims**: a claim the brief shows as backed by two or more independent
  sources is right when its best gold fact (the one most of its sources
  state) is stated by at least two of them and contradicted by none. Support
  precision is the share of a claim's independent sources that state its
  best fact. Recall: gold facts stated by two or more independent articles
  that some claim backs with two of its sources (and none against).
- **differences**: a listed difference is right when its sides match two
  versions of one gold disagreement (a side's sources among the version's
  articles and its value in the version's text); recall counts the gold
  disagreements found.
- **junk**: cited sentences the gold marks as boilerplate.
- **summary** (of the brief with most sources): whether its first sentence
  states a "news" fact, the share of its sentences that state the story's
  news or details, repeated sentences, and the length of the Markdown brief
  over the length of the input.

The definitions are those of ``tools/claim_score.py``, which scores the
command's output; here the briefs are made in this process.

>>> result = evaluate("../shared/data/claims-dev")    # doctest: +SKIP
>>> print(result.as_text())                            # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..brief.model import Brief

SUMMARY_KINDS = frozenset({"news", "detail"})  # facts a summary sentence should state
BEST_MATCH = 0.6  # a cited text is in the gold sentence it overlaps most, from this overlap on
INSIDE = 0.8  # ... and in every gold sentence (of four words or more) it covers this much of
INSIDE_MIN_WORDS = 4
SAME_VALUE_WORDS = 0.6  # a difference's value without digits matches a version sharing this share of words


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def overlap(a: str, b: str) -> float:
    """Shared words (with multiplicity) over the length of the shorter text."""
    x, y = Counter(words(a)), Counter(words(b))
    if not x or not y:
        return 0.0
    return sum((x & y).values()) / min(sum(x.values()), sum(y.values()))


_THOUSANDS = re.compile(r"(?<=\d)[,.]\s?(?=\d{3}\b)")  # 2,000 / 2. 000 -> 2000
_BROKEN_DECIMAL = re.compile(r"(?<=\d)\.\s(?=\d)")  # detokenised "6. 1" -> 6.1
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def numbers(text: str) -> set[str]:
    return set(_NUMBER.findall(_BROKEN_DECIMAL.sub(".", _THOUSANDS.sub("", text))))


def value_matches(value: str, text: str) -> bool:
    """Whether a listed value belongs to a gold version's text: all its numbers occur
    there or, without numbers, most of its words do."""
    digits = numbers(value)
    if digits:
        return digits <= numbers(text)
    return not words(value) or overlap(value, text) >= SAME_VALUE_WORDS


@dataclass(slots=True)
class GoldFact:
    id: str
    kind: str
    support: frozenset[str]
    contradicted_by: frozenset[str]


@dataclass(slots=True)
class Gold:
    """One annotated event. Articles are keyed ``a1``, ``a2`` ... in the order of the input file."""

    event: str
    article_key: dict[str, str]  # article id -> a1, a2, ...
    sentences: dict[str, tuple[str, str]]  # sentence key -> (article key, text)
    facts: list[GoldFact]
    disagreements: list[list[tuple[frozenset[str], str]]]  # per disagreement: (articles, text) of each version
    root: dict[str, str]  # article key -> the first article of its copy group
    boilerplate: frozenset[str]

    @classmethod
    def load(cls, gold_dir: Path, event: str, rows: Sequence[dict[str, Any]]) -> Gold:
        gold = json.loads((gold_dir / f"{event}.gold.json").read_text(encoding="utf-8"))
        sheet = json.loads((gold_dir / f"{event}.sentences.json").read_text(encoding="utf-8"))
        article_key = {str(r["id"]): f"a{i}" for i, r in enumerate(rows, 1)}
        sentences = {k: (article_key[v["article"]], v["text"]) for k, v in sheet.items()}
        root = {a: group[0] for group in gold.get("copies", []) for a in group}
        facts = [GoldFact(f["id"], f.get("kind", ""), frozenset(f.get("support", [])),
                          frozenset(f.get("contradicted_by", []))) for f in gold["facts"]]
        self = cls(gold.get("event", event), article_key, sentences, facts, [], root,
                   frozenset(gold.get("boilerplate", [])))
        for d in gold.get("disagreements", []):
            versions = []
            for v in d["versions"]:
                keys = v.get("support", [])
                text = " ".join(sentences[k][1] for k in keys if k in sentences) + " " + v.get("value", "")
                versions.append((frozenset(self.origin(_article(k)) for k in keys), text))
            self.disagreements.append(versions)
        return self

    def origin(self, article: str) -> str:
        return self.root.get(article, article)

    def multi_facts(self) -> set[str]:
        """Facts that two or more independent articles state: what a brief must find."""
        return {f.id for f in self.facts if len({self.origin(_article(k)) for k in f.support}) >= 2}

    def locate(self, article: str, text: str) -> set[str]:
        """The gold sentences of ``article`` a cited ``text`` stands for: the one it overlaps
        most, and every sentence it mostly covers (a cited piece may span several)."""
        mine = [(k, t) for k, (a, t) in self.sentences.items() if a == article]
        best_key, best = None, 0.0
        for k, t in mine:
            o = overlap(text, t)
            if o > best:
                best_key, best = k, o
        keys = {k for k, t in mine if overlap(t, text) >= INSIDE and len(words(t)) >= INSIDE_MIN_WORDS}
        if best_key is not None and best >= BEST_MATCH:
            keys.add(best_key)
        return keys


def _article(sentence_key: str) -> str:
    return sentence_key.split("s")[0]


@dataclass(slots=True)
class EventScore:
    """The counts behind the figures of one event; rates are properties."""

    event: str
    briefs: int = 0
    claims: int = 0
    claims_ok: int = 0
    support_ok: int = 0
    support_total: int = 0
    multi_facts: int = 0
    facts_found: int = 0
    diffs: int = 0
    diffs_ok: int = 0
    gold_diffs: int = 0
    diffs_found: int = 0
    cited: int = 0
    junk_cited: int = 0
    lead_news: int = 0
    summary_sentences: int = 0
    summary_good: int = 0
    summary_repeats: int = 0
    md_chars: int = 0
    input_chars: int = 0
    wrong_claims: list[str] = field(default_factory=list)
    wrong_diffs: list[str] = field(default_factory=list)

    @property
    def claim_precision(self) -> float | None:
        return self.claims_ok / self.claims if self.claims else None

    @property
    def support_precision(self) -> float | None:
        return self.support_ok / self.support_total if self.support_total else None

    @property
    def fact_recall(self) -> float | None:
        return self.facts_found / self.multi_facts if self.multi_facts else None

    @property
    def diff_precision(self) -> float | None:
        return self.diffs_ok / self.diffs if self.diffs else None

    @property
    def diff_recall(self) -> float | None:
        return self.diffs_found / self.gold_diffs if self.gold_diffs else None

    @property
    def summary_on_story(self) -> float | None:
        return self.summary_good / self.summary_sentences if self.summary_sentences else None

    @property
    def md_ratio(self) -> float:
        return self.md_chars / max(1, self.input_chars)

    def figures(self) -> dict[str, Any]:
        out = asdict(self)
        for name in ("claim_precision", "support_precision", "fact_recall", "diff_precision", "diff_recall",
                     "summary_on_story", "md_ratio"):
            value = getattr(self, name)
            out[name] = None if value is None else round(value, 3)
        return out


def score_event(gold: Gold, briefs: Sequence[Brief], markdown: str, input_chars: int) -> EventScore:
    """Score the briefs of one event (``briefs``: every story, single reports included;
    ``markdown``: the default Markdown output, for its length)."""
    score = EventScore(gold.event, briefs=len(briefs), gold_diffs=len(gold.disagreements),
                       md_chars=len(markdown), input_chars=input_chars)
    multi = gold.multi_facts()
    score.multi_facts = len(multi)
    found_facts: set[str] = set()
    found_diffs: set[int] = set()
    for b in briefs:
        article_of = {s.id: gold.article_key.get(s.article_id) for s in b.sources}
        for claim in b.claims:
            said = _cited(gold, claim.variants or [claim], article_of)
            score.cited += len(said)
            score.junk_cited += sum(1 for keys in said.values() if keys & gold.boilerplate)
            if claim.independent_support < 2:
                continue
            found_facts |= _score_claim(gold, said, score, claim.text)
        for d in b.disagreements:
            sides = [({a for n in v.sources if (a := article_of.get(n))}, v.value) for v in d.variants]
            hit = next((i for i, versions in enumerate(gold.disagreements) if _matches(sides, versions)), None)
            score.diffs += 1
            if hit is None:
                score.wrong_diffs.append(d.about[:140])
            else:
                score.diffs_ok += 1
                found_diffs.add(hit)
    score.facts_found = len(found_facts & multi)
    score.diffs_found = len(found_diffs)
    if briefs:
        _score_summary(gold, max(briefs, key=lambda b: len(b.sources)), score)
    return score


def _cited(gold: Gold, variants: Iterable[Any], article_of: dict[int, str | None]) -> dict[str, set[str]]:
    """Gold sentence keys each cited article's wording stands for."""
    said: dict[str, set[str]] = {}
    for v in variants:
        for n in v.sources:
            article = article_of.get(n)
            if article:
                said.setdefault(article, set()).update(gold.locate(article, v.text))
    return said


def _score_claim(gold: Gold, said: dict[str, set[str]], score: EventScore, text: str) -> set[str]:
    """Count one confirmed claim; return the facts it confirms."""
    score.claims += 1
    rank: dict[str, tuple[int, int]] = {}
    for f in gold.facts:
        backers = {gold.origin(a) for a, keys in said.items() if keys & f.support}
        against = {gold.origin(a) for a, keys in said.items() if keys & f.contradicted_by}
        rank[f.id] = (len(backers), -len(against))
    best = max(rank, key=lambda fid: rank[fid]) if rank else None
    backed, opposed = rank[best] if best else (0, 0)
    score.support_total += len({gold.origin(a) for a in said})
    score.support_ok += backed
    if backed >= 2 and opposed == 0:
        score.claims_ok += 1
    else:
        score.wrong_claims.append(text[:140])
    return {fid for fid, (b, a) in rank.items() if b >= 2 and a == 0}


def _matches(sides: list[tuple[set[str], str]], versions: list[tuple[frozenset[str], str]]) -> bool:
    """Whether the sides of a listed difference match two or more versions of one gold disagreement."""
    matched = {i for articles, value in sides for i, (gold_articles, text) in enumerate(versions)
               if articles & gold_articles and value_matches(value, text)}
    return len(matched) >= 2


def _score_summary(gold: Gold, b: Brief, score: EventScore) -> None:
    article_of = {s.id: gold.article_key.get(s.article_id) for s in b.sources}
    kinds = {f.id: f.kind for f in gold.facts}
    seen: set[str] = set()
    for i, s in enumerate(b.summary):
        keys: set[str] = set()
        for n in s.sources:
            if article_of.get(n):
                keys |= gold.locate(article_of[n], s.text)  # type: ignore[arg-type]
        stated = {kinds[f.id] for f in gold.facts if keys & f.support}
        junk = bool(keys & gold.boilerplate)
        score.summary_sentences += 1
        score.summary_good += bool(stated & SUMMARY_KINDS) and not junk
        if i == 0:
            score.lead_news = int("news" in stated and not junk)
        norm = " ".join(words(s.text))
        score.summary_repeats += norm in seen
        seen.add(norm)


@dataclass(slots=True)
class BriefEvaluation:
    """Scores per event and pooled over the events."""

    events: list[EventScore]

    def pooled(self) -> dict[str, Any]:
        """Pooled as ``tools/claims-dev-score`` pools: counts summed, support precision
        weighted by each event's claims, summary figures averaged over events."""
        ev = self.events
        total = lambda name: sum(getattr(e, name) for e in ev)  # noqa: E731
        claims = total("claims")
        support = sum((e.support_precision or 0.0) * e.claims for e in ev) / max(1, claims)
        n = max(1, len(ev))
        return {
            "events": len(ev),
            "claims": claims,
            "claim_precision": round(total("claims_ok") / max(1, claims), 3),
            "support_precision": round(support, 3),
            "fact_recall": round(total("facts_found") / max(1, total("multi_facts")), 3),
            "diffs": total("diffs"),
            "diff_precision": round(total("diffs_ok") / total("diffs"), 3) if total("diffs") else 0.0,
            "diff_recall": round(total("diffs_found") / max(1, total("gold_diffs")), 3),
            "junk_cited": total("junk_cited"),
            "cited": total("cited"),
            "lead_news": total("lead_news"),
            "summary_on_story": round(sum(e.summary_on_story or 0.0 for e in ev) / n, 3),
            "summary_repeats": total("summary_repeats"),
            "md_ratio": round(sum(e.md_ratio for e in ev) / n, 3),
            "briefs": total("briefs"),
        }

    def as_dict(self) -> dict[str, Any]:
        return {"events": [e.figures() for e in self.events], "pooled": self.pooled()}

    def as_text(self) -> str:
        head = f"{'event':42s} {'claims':>6s} {'prec':>5s} {'supp':>5s} {'recall':>6s} {'diffs':>5s} " \
               f"{'d.prec':>6s} {'d.rec':>5s} {'junk':>4s} {'lead':>4s} {'md/in':>5s}"
        lines = [head]
        fmt = lambda x: "  -  " if x is None else f"{x:.2f}"  # noqa: E731
        for e in self.events:
            lines.append(f"{e.event[:42]:42s} {e.claims:6d} {fmt(e.claim_precision):>5s} {fmt(e.support_precision):>5s} "
                         f"{fmt(e.fact_recall):>6s} {e.diffs:5d} {fmt(e.diff_precision):>6s} {fmt(e.diff_recall):>5s} "
                         f"{e.junk_cited:4d} {e.lead_news:4d} {e.md_ratio:5.2f}")
        p = self.pooled()
        lines.append(f"{'pooled':42s} {p['claims']:6d} {p['claim_precision']:5.2f} {p['support_precision']:5.2f} "
                     f"{p['fact_recall']:6.2f} {p['diffs']:5d} {p['diff_precision']:6.2f} {p['diff_recall']:5.2f} "
                     f"{p['junk_cited']:4d} {p['lead_news']:4d} {p['md_ratio']:5.2f}")
        lines.append(f"summary: lead states the news in {p['lead_news']}/{p['events']}; on-story share "
                     f"{p['summary_on_story']:.2f}; repeated sentences {p['summary_repeats']}; "
                     f"briefs {p['briefs']}/{p['events']}")
        return "\n".join(lines)


def events_in(gold_dir: str | Path) -> list[str]:
    """The events of a gold directory: ``inputs/<event>.jsonl`` with ``gold/<event>.gold.json``."""
    root = Path(gold_dir)
    return sorted(p.stem for p in (root / "inputs").glob("*.jsonl") if (root / "gold" / f"{p.stem}.gold.json").exists())


def evaluate(gold_dir: str | Path, events: Sequence[str] | None = None, *, pipeline: Any = None,
             analyzer: Any = None) -> BriefEvaluation:
    """Brief every event of ``gold_dir`` (the layout of ``data/claims-dev``) and score it."""
    from ..brief import briefs_of, to_markdown_many
    from ..pipeline import Pipeline

    root = Path(gold_dir)
    scores = []
    for event in events or events_in(root):
        path = root / "inputs" / f"{event}.jsonl"
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        gold = Gold.load(root / "gold", event, rows)
        clustering = (pipeline or Pipeline()).run([str(path)])
        briefs = briefs_of(clustering, min_articles=1, analyzer=analyzer)
        markdown = to_markdown_many([b for b in briefs if len(b.sources) >= 2])
        chars = sum(len(r.get("text") or "") + len(r.get("title") or "") for r in rows)
        scores.append(score_event(gold, briefs, markdown, chars))
    return BriefEvaluation(scores)
