"""Cross-validation of the clustering defaults on ECB+ dev, by topic.

ECB+ topics are independent (each holds two events of one kind), so topics
are the unit of a split. For each of ``ROUNDS`` random halvings of the topics,
the merge threshold and the split cut are chosen on one half by grid search
and scored on the other; the defaults are scored on the same held-out half.
If the defaults generalise, they score about as well as the settings chosen
on data they did not see, and the grid optimum is flat around them.

    python benchmarks/cv_cluster.py
"""

from __future__ import annotations

import dataclasses
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cluster import load  # noqa: E402
from common import ecb_rows, table  # noqa: E402

from newsfuse.cluster import ClusterParams, StoryClusterer  # noqa: E402
from newsfuse.evaluate import bcubed  # noqa: E402

ROUNDS = 10
THRESHOLDS = [0.08, 0.10, 0.125, 0.15, 0.175, 0.20]
CUTS = [0.6, 0.75, 0.9]


def f1(params: ClusterParams, articles, gold) -> float:  # type: ignore[no-untyped-def]
    return bcubed(StoryClusterer(params).fit(articles).labels_, gold).f1


def main() -> None:
    articles, gold = load(ecb_rows())
    topic = {a.id: gold[a.id].split("_")[0] for a in articles}
    topics = sorted(set(topic.values()), key=int)
    grid = [dataclasses.replace(ClusterParams(), threshold=t, split_ncut=c) for t in THRESHOLDS for c in CUTS]
    rows, chosen, defaults, gaps = [], [], [], []
    for r in range(ROUNDS):
        train_topics = set(random.Random(r).sample(topics, len(topics) // 2))
        train = [a for a in articles if topic[a.id] in train_topics]
        test = [a for a in articles if topic[a.id] not in train_topics]
        g_train = {a.id: gold[a.id] for a in train}
        g_test = {a.id: gold[a.id] for a in test}
        best = max(grid, key=lambda p: f1(p, train, g_train))
        tuned, default = f1(best, test, g_test), f1(ClusterParams(), test, g_test)
        rows.append([r, f"{best.threshold}/{best.split_ncut}", f"{tuned:.3f}", f"{default:.3f}"])
        chosen.append(tuned)
        defaults.append(default)
        gaps.append(default - tuned)
    print(table(rows, ["round", "tuned threshold/cut", "held-out F1 (tuned)", "held-out F1 (defaults)"]))
    print(f"\nmean held-out B-cubed F1: tuned {statistics.mean(chosen):.3f}, defaults {statistics.mean(defaults):.3f} "
          f"(defaults - tuned: {statistics.mean(gaps):+.3f} ± {statistics.stdev(gaps):.3f})")
    print("\nwhole dev set, threshold x split cut (B-cubed F1):")
    print(table([[t] + [f"{f1(dataclasses.replace(ClusterParams(), threshold=t, split_ncut=c), articles, gold):.3f}"
                        for c in CUTS] for t in THRESHOLDS], ["threshold"] + [f"cut {c}" for c in CUTS]))


if __name__ == "__main__":
    main()
