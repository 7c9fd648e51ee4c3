"""The similarity signals: which features an article has and how much each weighs."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from newsfuse.cluster.batch import reach_days, time_decay
from newsfuse.cluster.features import (
    CountRows,
    DocumentFrequencies,
    Featurizer,
    FeatureWeights,
    feature_id,
    weigh_batch,
    weigh_one,
)

W = FeatureWeights()


def counts(text: str, title: str | None = None) -> dict[int, float]:
    return Featurizer().counts(title, text)[0]


def test_feature_ids_are_stable_across_processes() -> None:
    """Ids are hashes that mean the same thing in every process (no PYTHONHASHSEED)."""
    code = "from newsfuse.cluster.features import feature_id; print(feature_id('e:kessport harbour'))"
    out = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout.strip()
        for seed in ("1", "2")
    }
    assert out == {str(feature_id("e:kessport harbour"))}
    assert 0 <= feature_id("w:ferry") < 2**31


def test_names_weigh_above_their_words() -> None:
    """'Kessport' inside a sentence is a name: its word and the name phrase both count."""
    c = counts("Yesterday a ferry ran aground near Kessport Harbour in the storm.")
    assert c[feature_id("e:kessport harbour")] == pytest.approx(W.name * (W.body + W.lead))
    assert c[feature_id("w:kessport")] == c[feature_id("w:ferry")]


def test_sentence_initial_capital_is_not_a_name() -> None:
    c = counts("Ferries stopped. Storms hit the coast.")
    assert feature_id("e:storm") not in c and feature_id("e:storms") not in c


def test_numbers_years_and_number_words() -> None:
    c = counts("Rescuers said 214 people were aboard in 2021, and seventeen were hurt.")
    assert c[feature_id("n:214")] == pytest.approx(W.number * (W.body + W.lead))
    assert feature_id("y:2021") in c
    assert feature_id("n:17") in c  # "seventeen" is 17
    assert feature_id("w:seventeen") not in c


def test_title_and_lead_weigh_above_the_body() -> None:
    body = "A quiet start. The ferry left port. Later the ferry docked again."
    c = counts(body, title="Ferry aground")
    lead_only = counts("One. Two. Harbour here.")
    # title x6 once, lead sentences body+lead, later sentences body only
    assert c[feature_id("w:ferry")] == pytest.approx(W.title + (W.body + W.lead) + W.body)
    assert lead_only[feature_id("w:harbour")] == pytest.approx(W.body)


def test_abbreviations_do_not_end_the_lead() -> None:
    c = counts("Mr. Smith and Dr. Jones spoke. Then Harbour talk.")
    assert c[feature_id("e:smith")] == pytest.approx(W.name * (W.body + W.lead))


def test_plural_folding() -> None:
    c = counts("pirates attacked; a pirate fled")
    assert c[feature_id("w:pirate")] == pytest.approx(2 * (W.body + W.lead))


def test_stop_words_carry_no_feature() -> None:
    assert counts("the and of to in") == {}


def test_lead_features_are_title_and_lead_only() -> None:
    full, lead = Featurizer().counts("Quake", "Houses fell. Roads cracked. Weeks later an inquiry opened.")
    assert feature_id("w:inquiry") in full and feature_id("w:inquiry") not in lead
    assert lead[feature_id("w:quake")] == pytest.approx(2.0)


def test_count_rows_round_trip() -> None:
    rows = [{1: 2.0, 5: 1.0}, {}, {7: 3.5}]
    packed = CountRows.from_dicts(rows)
    assert packed.rows() == rows and packed.row(2) == rows[2] and len(packed) == 3


def test_batch_and_stream_weights_agree() -> None:
    """The batch TF-IDF and the one-at-a-time TF-IDF give the same cosines on the same corpus."""
    docs = [counts(t) for t in ("Kessport ferry aground.", "Ferry rescue near Kessport.", "Car recall in Voltra.")]
    x = weigh_batch(docs).toarray()
    dfs = DocumentFrequencies()
    for d in docs:
        dfs.learn_one(d)
    vecs = [weigh_one(d, dfs) for d in docs]
    dot = lambda a, b: sum(v * b.get(k, 0.0) for k, v in a.items())  # noqa: E731
    assert dot(vecs[0], vecs[1]) == pytest.approx(float(x[0] @ x[1]))
    assert dot(vecs[0], vecs[2]) == pytest.approx(float(x[0] @ x[2])) == pytest.approx(0.0)
    assert np.allclose(np.linalg.norm(x, axis=1), 1.0)


def test_shared_names_beat_shared_common_words() -> None:
    """Two reports of one event share names; a report of another event of the same kind shares
    only the kind's words. The first pair must be the more similar."""
    a = counts("An earthquake of magnitude 6.1 struck Lorvia on Monday, killing 12 people.")
    b = counts("Rescuers in Lorvia searched rubble after Monday's earthquake left 12 dead.")
    c = counts("An earthquake of magnitude 5.4 struck Tessaly on Friday, killing 3 people.")
    x = weigh_batch([a, b, c]).toarray()
    assert x[0] @ x[1] > x[0] @ x[2]


def test_time_decay() -> None:
    gaps = np.array([0.0, 30.0, 60.0, 90.0, np.nan])
    d = time_decay(gaps, window=60.0, scale=30.0)
    assert d[0] == d[1] == d[2] == 1.0  # inside the window nothing changes
    assert 0 < d[3] < 1
    assert d[4] == 1.0  # an undated report is not penalised
    # beyond reach_days a perfect match falls under the threshold
    far = reach_days(0.125, 60.0, 30.0)
    assert time_decay(np.array([far + 1.0]), 60.0, 30.0)[0] < 0.125
