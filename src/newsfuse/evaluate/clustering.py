"""Scores of a clustering against gold labels: B-cubed and pairwise precision, recall, F1."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def bcubed(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> Scores:
    """B-cubed precision and recall (Bagga & Baldwin) over the items of ``gold``.

    Each item is scored by the share of its predicted cluster that shares its
    gold cluster (precision) and the share of its gold cluster that shares its
    predicted cluster (recall); items missing from ``pred`` are singletons.
    """
    items = list(gold)
    if not items:
        return Scores(0.0, 0.0, 0.0)
    p_of = {i: pred.get(i, ("__single__", i)) for i in items}
    joint = Counter((p_of[i], gold[i]) for i in items)
    p_size = Counter(p_of.values())
    g_size = Counter(gold[i] for i in items)
    precision = sum(joint[(p_of[i], gold[i])] / p_size[p_of[i]] for i in items) / len(items)
    recall = sum(joint[(p_of[i], gold[i])] / g_size[gold[i]] for i in items) / len(items)
    return Scores(precision, recall, _f1(precision, recall))


def pairwise(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> Scores:
    """Precision and recall of the pairs of items put together."""
    items = list(gold)
    p_of = {i: pred.get(i, ("__single__", i)) for i in items}
    pairs = lambda sizes: sum(n * (n - 1) // 2 for n in sizes)  # noqa: E731
    together = pairs(Counter((p_of[i], gold[i]) for i in items).values())
    predicted = pairs(Counter(p_of.values()).values())
    true = pairs(Counter(gold[i] for i in items).values())
    precision = together / predicted if predicted else 1.0
    recall = together / true if true else 1.0
    return Scores(precision, recall, _f1(precision, recall))


def clusters(labels: Mapping[str, Hashable]) -> dict[Hashable, list[str]]:
    out: dict[Hashable, list[str]] = defaultdict(list)
    for item, label in labels.items():
        out[label].append(item)
    return dict(out)
