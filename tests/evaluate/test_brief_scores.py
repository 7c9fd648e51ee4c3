"""`newsfuse eval brief`: the figures of tools/claim_score.py, computed in this process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


from newsfuse.brief.model import Brief, Claim, Disagreement, Source, ValueVariant, Variant
from newsfuse.evaluate.brief import BriefEvaluation, Gold, numbers, overlap, score_event, value_matches

from ..conftest import DATA, need


def _gold(tmp_path: Path) -> tuple[Gold, list[dict]]:
    rows = [{"id": "x1", "text": ""}, {"id": "x2", "text": ""}, {"id": "x3", "text": ""}]
    sheet = {"a1s1": "The dam burst on Monday, flooding the valley.", "a1s2": "Subscribe to our newsletter today.",
             "a2s1": "On Monday the dam gave way and the valley flooded.", "a2s2": "Four people died in the flood.",
             "a3s1": "The dam failed on Monday.", "a3s2": "Six people died in the floods."}
    gold = {"facts": [{"id": "f1", "kind": "news", "support": ["a1s1", "a2s1", "a3s1"], "contradicted_by": []},
                      {"id": "f2", "kind": "news", "support": ["a2s2"], "contradicted_by": ["a3s2"]}],
            "disagreements": [{"id": "d1", "kind": "number", "versions": [
                {"value": "four dead", "support": ["a2s2"]}, {"value": "six dead", "support": ["a3s2"]}]}],
            "copies": [], "boilerplate": ["a1s2"]}
    (tmp_path / "e.gold.json").write_text(json.dumps(gold))
    article = {"a1": "x1", "a2": "x2", "a3": "x3"}
    (tmp_path / "e.sentences.json").write_text(json.dumps({k: {"article": article[k[:2]], "text": t}
                                                           for k, t in sheet.items()}))
    return Gold.load(tmp_path, "e", rows), rows


def _brief(claims: list[Claim], diffs: list[Disagreement]) -> Brief:
    sources = [Source(n, f"x{n}", None, None, None, None, None) for n in (1, 2, 3)]
    return Brief("s", "h", None, None, claims=claims, disagreements=diffs, sources=sources)


def test_claims_support_recall_differences_and_junk(tmp_path: Path) -> None:
    gold, _ = _gold(tmp_path)
    right = Claim("The dam burst on Monday.", [1, 2, 3], 3, [
        Variant("The dam burst on Monday, flooding the valley.", [1]),
        Variant("On Monday the dam gave way and the valley flooded.", [2]), Variant("The dam failed on Monday.", [3])])
    conflict = Claim("Four people died.", [2, 3], 2, [Variant("Four people died in the flood.", [2]),
                                                      Variant("Six people died in the floods.", [3])])
    junk = Claim("Subscribe.", [1], 1, [Variant("Subscribe to our newsletter today.", [1])])
    diff = Disagreement("deaths", "number", [ValueVariant("four", [2]), ValueVariant("six people", [3])])
    wrong = Disagreement("day", "date", [ValueVariant("Monday", [1]), ValueVariant("Tuesday", [3])])
    s = score_event(gold, [_brief([right, conflict, junk], [diff, wrong])], "x" * 30, 60)
    assert (s.claims, s.claims_ok) == (2, 1)  # the conflicting claim is wrong, the lone one not counted
    assert s.support_ok == 3 + 1 and s.support_total == 3 + 2
    assert (s.multi_facts, s.facts_found) == (1, 1)
    assert (s.diffs, s.diffs_ok, s.diffs_found) == (2, 1, 1)
    assert (s.junk_cited, s.cited) == (1, 3 + 2 + 1)
    assert s.md_ratio == 0.5
    pooled = BriefEvaluation([s]).pooled()
    assert pooled["claim_precision"] == 0.5 and pooled["diff_recall"] == 1.0


def test_matching_helpers() -> None:
    assert overlap("the dam burst", "The dam burst on Monday, flooding the valley.") == 1.0
    assert numbers("$2. 6 million and 2, 000 people, 6. 1 magnitude") == {"2.6", "2000", "6.1"}
    assert value_matches("6 people", "Six people died. 6") and not value_matches("7 dead", "Six people died.")
    assert value_matches("four dead", "Four people died in the flood. four dead")


def test_agrees_with_the_scoring_tool_on_a_dev_event(tmp_path: Path) -> None:
    """The same figures as ``tools/claim_score.py`` (which runs the command) within 0.01."""
    tool = need(DATA.parent / "tools" / "claim_score.py")
    dev = DATA / "claims-dev"
    event = "ecbplus-20-iran-island-quake"
    command = tmp_path / "newsfuse"
    command.write_text(f"#!/bin/sh\nexec {sys.executable} -m newsfuse.cli \"$@\"\n")
    command.chmod(0o755)
    out = subprocess.run([sys.executable, str(tool), str(command), str(dev / "inputs" / f"{event}.jsonl"),
                          str(dev / "gold")], capture_output=True, text=True, check=True)
    theirs = json.loads(out.stdout)
    from newsfuse.evaluate.brief import evaluate

    ours = evaluate(dev, [event]).events[0].figures()
    for key in ("claim_precision", "support_precision", "fact_recall", "diff_precision", "diff_recall", "md_ratio"):
        a, b = theirs[key], ours[key]
        assert (a is None and b is None) or abs(a - b) <= 0.01, (key, a, b)
    for key in ("claims", "diffs", "junk_cited", "cited", "lead_news", "summary_repeats"):
        assert theirs[key] == ours[key], key
