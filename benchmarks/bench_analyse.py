"""Analysis cost: a five-article story, warm, and throughput on real articles.

The baseline in the same run is the bare spaCy parse of the same texts (the
packaged en_core_web_sm, every component newsfuse uses): the ratio says what
the extractors and the story-level resolution add on top of it.

    python benchmarks/run.py analyse
"""

from __future__ import annotations

import statistics
import time

from common import SHARED, ecb_rows, save, table

import newsfuse
from newsfuse.analyse import Analyzer
from newsfuse.analyse.nlp import nlp, parse_many

REPEAT = 5


def _seeds() -> list[newsfuse.Article]:
    return newsfuse.clean_batch(newsfuse.read([str(SHARED / "seeds")]))


def _warm(story: list[newsfuse.Article]) -> tuple[float, float]:
    """Median seconds of a fresh (uncached) analysis of the story, and of its bare parse."""
    analysed, parsed = [], []
    for _ in range(REPEAT):
        t = time.perf_counter()
        Analyzer().story(story)  # a new analyzer: nothing cached
        analysed.append(time.perf_counter() - t)
        t = time.perf_counter()
        parse_many([a.text for a in story])
        parsed.append(time.perf_counter() - t)
    return statistics.median(analysed), statistics.median(parsed)


def main() -> None:
    t = time.perf_counter()
    nlp()
    load = time.perf_counter() - t
    seeds = _seeds()
    Analyzer().story(seeds)  # warm-up: first calls build caches
    story_s, story_parse = _warm(seeds)
    cached = Analyzer()
    cached.story(seeds)
    t = time.perf_counter()
    cached.story(seeds)
    hit = time.perf_counter() - t

    # throughput over ECB+ dev, stories of the gold clustering (real, 462 articles)
    rows = [r for r in ecb_rows() if r["text"].strip()]
    arts = {a.id: a for a in newsfuse.clean_batch(newsfuse.read([str(SHARED / "data" / "ecbplus-dev.jsonl")]))}
    groups: dict[str, list[newsfuse.Article]] = {}
    for r in rows:
        if r["id"] in arts:
            groups.setdefault(r["gold"], []).append(arts[r["id"]])
    n = sum(len(g) for g in groups.values())
    t = time.perf_counter()
    Analyzer().stories(groups.values())
    all_s = time.perf_counter() - t
    t = time.perf_counter()
    parse_many([a.text for g in groups.values() for a in g])
    parse_s = time.perf_counter() - t

    print(f"spaCy model load: {load:.1f} s (once per process, not counted below)\n")
    print(table([
        ["seeds story (5 articles), warm, uncached", f"{story_s * 1000:.0f} ms", f"{story_parse * 1000:.0f} ms",
         f"{story_s / story_parse:.2f}×"],
        ["seeds story, cached", f"{hit * 1000:.2f} ms", "–", "–"],
        [f"ECB+ dev, {len(groups)} stories, {n} articles", f"{n / all_s:.0f} articles/s",
         f"{n / parse_s:.0f} articles/s", f"{all_s / parse_s:.2f}×"],
    ], ["workload", "newsfuse analysis", "bare spaCy parse", "analysis / parse time"]))
    save("analyse", {"model_load_s": round(load, 2), "seeds_story_ms": round(story_s * 1000, 1),
                     "seeds_parse_ms": round(story_parse * 1000, 1), "cached_ms": round(hit * 1000, 3),
                     "ecb_articles_per_s": round(n / all_s, 1), "ecb_parse_articles_per_s": round(n / parse_s, 1)})


if __name__ == "__main__":
    main()
