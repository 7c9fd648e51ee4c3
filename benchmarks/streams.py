"""A large synthetic news stream built from real ECB+ texts, with gold stories.

Each ECB+ event cluster is the template of many synthetic events. A synthetic
event is the template's articles with, consistently across its articles:
names replaced by made-up names, numbers by other numbers, a third of the
template's less common words by other words of the corpus (two real events
of one kind share their common words, not all of them), and a date somewhere
in the stream's span; each article also gets its paragraphs reordered (the lead
stays first), a few words dropped and a publication time within days of the
event. Different synthetic events of one template are therefore "different
events of the same kind", the hard case - as in ECB+ itself.

    python benchmarks/streams.py 100000 > stream.jsonl
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ecb_rows  # noqa: E402

_NAME = re.compile(r"\b[A-Z][a-z]{2,}(?:\s+[A-Z][a-z]{2,})*\b")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_SYLLABLES = "ka lo mi ra ven dor tal sen bri gan hol mar tes vin zal ro lin pet dan sor kel mon fra".split()
_START = datetime(2023, 1, 1, tzinfo=timezone.utc)


def _fake_name(rnd: random.Random) -> str:
    return "".join(rnd.choice(_SYLLABLES) for _ in range(rnd.randint(2, 3))).capitalize()


_LOWER = re.compile(r"\b[a-z]{4,}\b")


def _variant(text: str, swap: dict[str, str], rnd: random.Random, common: set[str]) -> str:
    """The text with names, numbers and some words swapped consistently (``swap`` is shared by an event)."""

    def name(m: re.Match[str]) -> str:
        # a capitalised word that the corpus also uses in lower case is a common word, not a name
        return " ".join(w if w.lower() in common else swap.setdefault(w, _fake_name(rnd)) for w in m.group().split())

    def number(m: re.Match[str]) -> str:
        return swap.setdefault(m.group(), str(rnd.randint(2, 990)))

    def word(m: re.Match[str]) -> str:
        return swap.get(m.group(), m.group())

    return _LOWER.sub(word, _NUMBER.sub(number, _NAME.sub(name, text)))


def _perturb(paragraphs: list[str], rnd: random.Random) -> list[str]:
    head, rest = paragraphs[:1], paragraphs[1:]
    rnd.shuffle(rest)
    out = []
    for p in head + rest:
        words = p.split()
        if len(words) > 12 and rnd.random() < 0.5:
            del words[rnd.randrange(len(words))]
        out.append(" ".join(words))
    return out


def stream(n: int, seed: int = 7, per_day: float = 150.0) -> Iterator[dict]:
    """``n`` synthetic articles in publication order, with ``gold`` story labels,
    about ``per_day`` a day (a mid-sized monitoring feed): a longer stream spans
    more time, as real ones do, rather than packing more into the same days."""
    rnd = random.Random(seed)
    span = max(30.0, n / per_day)
    templates: dict[str, list[dict]] = defaultdict(list)
    for row in ecb_rows():
        if row["text"].strip():
            templates[row["gold"]].append(row)
    keys = sorted(templates)
    counts: dict[str, int] = defaultdict(int)
    for rows_ in templates.values():
        for r in rows_:
            for w in set(_LOWER.findall(r["text"])):
                counts[w] += 1
    common = set(counts)
    pool = sorted(counts)
    rows = []
    event = 0
    while len(rows) < n:
        key = keys[event % len(keys)]
        # a third of the template's less common words become other words, for this event
        words = sorted({w for r in templates[key] for w in _LOWER.findall(r["text"]) if counts[w] < 20})
        swap = {w: rnd.choice(pool) for w in rnd.sample(words, len(words) // 3)}
        day = _START + timedelta(days=rnd.uniform(0, span))
        for j, row in enumerate(templates[key]):
            paras = [p for p in row["text"].split("\n") if p.strip()]
            text = "\n\n".join(_perturb([_variant(p, swap, rnd, common) for p in paras], rnd))
            when = day + timedelta(hours=rnd.uniform(0, 72))
            rows.append({
                "id": f"e{event}-{j}",
                "title": _variant(row["title"], swap, rnd, common),
                "text": text,
                "published": when.isoformat(),
                "source": f"outlet{rnd.randrange(500)}",
                "gold": f"{key}#{event}",
            })
        event += 1
    rows = rows[:n]
    rows.sort(key=lambda r: r["published"])
    yield from rows


if __name__ == "__main__":
    for r in stream(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000):
        sys.stdout.write(json.dumps(r) + "\n")
