"""The pair scorer: its features, its fitting and the model shipped with the package."""

from __future__ import annotations

import numpy as np
import pytest

from newsfuse.corroborate.pairs import FEATURES, PairModel, candidate_pairs, pair_model, using
from newsfuse.corroborate.train import auc, fit
from newsfuse.corroborate.units import Unit
from newsfuse.corroborate.words import content_stems, stem


def test_stems_join_inflections() -> None:
    assert stem("injured") == stem("injuring") == stem("Injury")[:5] == "injur"
    assert content_stems("The quake injured five people in Dargahan") == ["quake", "injur", "five", "peopl", "darga"]


def test_the_fit_separates_and_round_trips() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, len(FEATURES)))
    y = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(scale=0.3, size=400) > 0).astype(float)
    model = fit(X, y)
    assert auc(model.predict_proba(X), y) > 0.95
    again = PairModel.from_json(model.to_json())
    assert np.allclose(again.predict_proba(X), model.predict_proba(X))


def test_a_model_for_other_features_is_refused() -> None:
    text = PairModel((0.0,), 0.0, (0.0,), (1.0,)).to_json().replace(FEATURES[0], "something else")
    with pytest.raises(ValueError, match="retrain"):
        PairModel.from_json(text)


def test_the_shipped_model_and_a_model_put_in_its_place() -> None:
    shipped = pair_model()
    assert shipped.features == FEATURES and len(shipped.weights) == len(FEATURES)
    assert len(shipped.meta["trained_on"]) >= 5  # the annotated events it learned from
    other = PairModel(tuple(0.0 for _ in FEATURES), 1.0, tuple(0.0 for _ in FEATURES), tuple(1.0 for _ in FEATURES))
    with using(other):
        assert pair_model() is other
    assert pair_model() is shipped


def _unit(source: int, text: str) -> Unit:
    return Unit(source, 0, len(text), text, 0, len(text), text, 0.0)


def test_pairs_join_only_independent_sources_and_statements_of_one_fact_score_high() -> None:
    from newsfuse.corroborate.similarity import embed

    units = [_unit(1, "The ferry ran aground on a sandbank in thick fog on Thursday."),
             _unit(2, "In dense fog on Thursday the ferry struck a sandbank and ran aground."),
             _unit(2, "The city council approved a new budget for public libraries."),
             _unit(3, "Thick fog on Thursday drove the ferry onto a sandbank, where it ran aground.")]
    pairs = candidate_pairs(units, [1, 2, 2, 3], embed([u.text for u in units]))
    assert all(units[i].source != units[j].source for i, j in zip(pairs.left, pairs.right))
    p = dict(zip(zip(pairs.left.tolist(), pairs.right.tolist()), pair_model().predict_proba(pairs.X)))
    assert p[(0, 1)] > 0.5 and p[(0, 3)] > 0.5
    assert p.get((0, 2), 0.0) < 0.2 and p.get((2, 3), 0.0) < 0.2
