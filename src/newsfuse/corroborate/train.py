"""Train the pair scorer that decides whether two statements state one fact.

    make pair-model        # = python training/sheets.py && python -m newsfuse.corroborate.train

Training data: real news, annotated by people (docs/brief.md): the events of
``data/claims-dev`` and those of ``training/events`` (ECB+ dev events we
annotated by the same protocol; ``training/sheets.py`` rebuilds their
sentences from ``data/ecbplus-dev.jsonl``). Every pair of clauses of two
independent articles of an event is a pair; it is positive when the gold
lists a fact that both clauses state (or one states and the other
contradicts: the scorer says "about the same fact", agreement is checked
slot by slot), negative when the two sentences share no fact at all, and
left out otherwise (the sentences share a fact, but not through these two
clauses). Which clause of a sentence states a fact is the one closest to
the gold's wording of the fact, in meaning and in words.

The Microsoft Research Paraphrase Corpus (4,045 news sentence pairs labelled
"same meaning") was tried as extra training data and left out: it teaches
"paraphrase", a stricter relation than "states one fact" (a sentence that
adds a detail is no paraphrase but still states the fact), and adding it
lowered the leave-one-event-out average precision (docs/brief.md).

The features are those the brief computes (:func:`.pairs.candidate_pairs`),
on the same clauses, with the same encoder. The model is a logistic
regression with an L2 penalty, fitted by L-BFGS; features are standardised
first, so the weights compare. Leave-one-event-out cross-validation is
printed (what the model does on an event it never saw); the model written
is fitted on every event. The result is small (a few dozen numbers) and
ships inside the package as ``pair_model.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from .pairs import FEATURES, PairModel, candidate_pairs, content_stems
from .similarity import embed
from .sources import Sources
from .units import Unit, units_of

L2 = 1.0
SAME_CLAUSE_MARGIN = 0.05  # clauses this close to the best one also state the fact


@dataclass(slots=True)
class PairData:
    X: np.ndarray
    y: np.ndarray  # 1 same fact, 0 not; rows that are neither are left out
    group: list[str]  # the event (or corpus) of each row


def event_pairs(gold_dir: Path, event: str) -> PairData:
    """The labelled pairs of one annotated event."""
    from ..analyse import default_analyzer
    from ..evaluate.brief import Gold
    from ..pipeline import Pipeline

    path = gold_dir / "inputs" / f"{event}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = Gold.load(gold_dir / "gold", event, rows)
    statements = {f["id"]: f["statement"] for f in
                  json.loads((gold_dir / "gold" / f"{event}.gold.json").read_text(encoding="utf-8"))["facts"]}
    Xs, ys = [], []
    for story in Pipeline().run([str(path)]).stories(2):
        analysis = default_analyzer().story(story.articles)
        sources = Sources.of(story.articles, story.copy_of)
        order = {a.id: i for i, a in enumerate(story.articles)}
        units = units_of(sorted(analysis.articles, key=lambda a: order[a.id]), sources)
        article = {sources.number[a.id]: gold.article_key[a.id] for a in story.articles}
        origin = [gold.origin(article[u.source]) for u in units]
        clause_vectors = embed([u.clause for u in units])  # to tell which clause of a sentence states a fact
        pairs = candidate_pairs(units, origin, embed([u.text for u in units]))
        labels = _labels(units, pairs.left, pairs.right, gold, article, clause_vectors, statements)
        keep = labels >= 0
        Xs.append(pairs.X[keep])
        ys.append(labels[keep])
    X = np.vstack(Xs) if Xs else np.zeros((0, len(FEATURES)))
    y = np.concatenate(ys) if ys else np.zeros(0)
    return PairData(X, y, [event] * len(y))


def _labels(units: Sequence[Unit], left: np.ndarray, right: np.ndarray, gold, article: dict[int, str],  # type: ignore[no-untyped-def]
            clause_vectors: np.ndarray, statements: dict[str, str]) -> np.ndarray:
    keys = [gold.locate(article[u.source], u.text) for u in units]
    sentence_facts = [{f.id for f in gold.facts if k & f.support} for k in keys]
    clause_facts = _clause_facts(units, sentence_facts, clause_vectors, statements)
    against = {f.id: f.contradicted_by for f in gold.facts}
    out = np.empty(len(left), dtype=np.int8)
    for k, (i, j) in enumerate(zip(left.tolist(), right.tolist())):
        same = bool(clause_facts[i] & clause_facts[j])
        contra = any(keys[j] & against[f] for f in clause_facts[i]) or any(keys[i] & against[f] for f in clause_facts[j])
        unrelated = not (sentence_facts[i] & sentence_facts[j]) and not contra
        out[k] = 1 if same or contra else (0 if unrelated else -1)
    return out


def _clause_facts(units: Sequence[Unit], sentence_facts: list[set[str]], clause_vectors: np.ndarray,
                  statements: dict[str, str]) -> list[set[str]]:
    """The facts each clause states: of its sentence's facts, those whose gold wording it is the
    closest clause of that sentence to (in meaning, plus the share of the wording's content
    words it holds)."""
    ids = sorted(statements)
    fact_vectors = dict(zip(ids, embed([statements[f] for f in ids])))
    fact_words = {f: set(content_stems(statements[f])) for f in ids}
    by_sentence: dict[tuple[int, int, int], list[int]] = {}
    for i, u in enumerate(units):
        by_sentence.setdefault(u.sentence, []).append(i)
    out: list[set[str]] = [set() for _ in units]
    for members in by_sentence.values():
        for f in sentence_facts[members[0]]:
            words = fact_words[f] or {""}
            sims = [float(clause_vectors[i] @ fact_vectors[f]) + len(words & set(content_stems(units[i].clause))) / len(words)
                    for i in members]
            top = max(sims)
            for i, s in zip(members, sims):
                if s >= top - SAME_CLAUSE_MARGIN:
                    out[i].add(f)
    return out


def fit(X: np.ndarray, y: np.ndarray, l2: float = L2, meta: dict | None = None) -> PairModel:  # type: ignore[type-arg]
    """A logistic regression with an L2 penalty on the standardised features."""
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    Z = (X - mean) / scale

    def loss(p: np.ndarray) -> tuple[float, np.ndarray]:
        z = Z @ p[:-1] + p[-1]
        # log(1 + e^z) - y z, computed stably
        nll = float(np.sum(np.logaddexp(0.0, z) - y * z)) + 0.5 * l2 * float(p[:-1] @ p[:-1])
        r = 1.0 / (1.0 + np.exp(-z)) - y
        return nll, np.append(Z.T @ r + l2 * p[:-1], r.sum())

    p = minimize(loss, np.zeros(Z.shape[1] + 1), jac=True, method="L-BFGS-B").x
    return PairModel(tuple(float(w) for w in p[:-1]), float(p[-1]), tuple(float(m) for m in mean),
                     tuple(float(s) for s in scale), FEATURES, meta or {})


def auc(score: np.ndarray, y: np.ndarray) -> float:
    """Area under the ROC curve (the probability a positive outranks a negative)."""
    ranks = np.empty(len(score))
    ranks[np.argsort(score, kind="mergesort")] = np.arange(1, len(score) + 1)
    pos = y == 1
    n1, n0 = int(pos.sum()), int((~pos).sum())
    if not n1 or not n0:
        return float("nan")
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def cross_validate(data: PairData, threshold: float) -> list[dict]:  # type: ignore[type-arg]
    """Leave one event out: each event scored by a model fitted on the others."""
    groups = np.array(data.group)
    out = []
    for event in sorted(set(data.group)):
        test = groups == event
        model = fit(data.X[~test], data.y[~test])
        p = model.predict_proba(data.X[test])
        y = data.y[test]
        hit = p >= threshold
        out.append({"event": event, "pairs": int(test.sum()), "positives": int(y.sum()), "auc": round(auc(p, y), 3),
                    "precision": round(float(y[hit].mean()), 3) if hit.any() else None,
                    "recall": round(float(hit[y == 1].mean()), 3) if y.any() else None})
    return out


def cross_validate_briefs(events: list[tuple[Path, str]], data: PairData):  # type: ignore[no-untyped-def]
    """Each event briefed with a model fitted on the other events, and scored."""
    from ..evaluate.brief import BriefEvaluation, evaluate
    from .pairs import using

    groups = np.array(data.group)
    scores = []
    for d, event in events:
        with using(fit(data.X[groups != event], data.y[groups != event])):
            scores += evaluate(d, [event]).events
    return BriefEvaluation(scores)


def main(argv: list[str] | None = None) -> int:
    from ..evaluate.brief import events_in
    from .claims import SUPPORT

    here = Path(__file__).resolve()
    ap = argparse.ArgumentParser(prog="python -m newsfuse.corroborate.train", description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, action="append",
                    help="a directory of annotated events (claims-dev layout); repeatable "
                         "(default: ../shared/data/claims-dev and .training, built by training/sheets.py)")
    ap.add_argument("-o", "--output", type=Path, default=here.with_name("pair_model.json"))
    ap.add_argument("--briefs", action="store_true",
                    help="also brief every event with a model fitted on the other events, and score the briefs "
                         "(what an event never seen gets; slower)")
    args = ap.parse_args(argv)
    dirs = args.gold or [Path.cwd().parent / "shared" / "data" / "claims-dev", Path.cwd() / ".training"]
    events = [(d, e) for d in dirs for e in events_in(d)]
    parts = [event_pairs(d, e) for d, e in events]
    if not parts:
        print(f"no annotated events in {', '.join(map(str, dirs))}", file=sys.stderr)
        return 2
    data = PairData(np.vstack([p.X for p in parts]), np.concatenate([p.y for p in parts]),
                    [g for p in parts for g in p.group])
    folds = cross_validate(data, SUPPORT)
    for f in folds:
        print(json.dumps(f))
    meta = {"trained_on": sorted(set(data.group)), "pairs": int(len(data.y)), "positives": int(data.y.sum()),
            "l2": L2, "cross_validation": folds}
    if args.briefs:
        scores = cross_validate_briefs(events, data)
        print(scores.as_text())
        meta["held_out_briefs"] = scores.pooled()
    model = fit(data.X, data.y, meta=meta)
    args.output.write_text(model.to_json() + "\n", encoding="utf-8")
    print(f"wrote {args.output}: " + ", ".join(f"{n} {w:+.2f}" for n, w in zip(FEATURES, model.weights)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
