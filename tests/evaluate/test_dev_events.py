"""The briefs of the annotated dev events must not get worse than docs/brief.md records."""

from __future__ import annotations

import re

from newsfuse.evaluate.brief import evaluate

from ..conftest import DATA, ROOT, need

HIGHER_IS_BETTER = ("claim_precision", "support_precision", "fact_recall", "diff_precision", "diff_recall",
                    "lead_news", "summary_on_story")
LOWER_IS_BETTER = ("junk_cited", "summary_repeats", "md_ratio")


def recorded() -> dict[str, float]:
    """The figures in the marked table of docs/brief.md."""
    text = (ROOT / "docs" / "brief.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- recorded -->(.*?)<!-- /recorded -->", text, re.S)
    assert block, "docs/brief.md has no recorded figures"
    return {m[1]: float(m[2]) for m in re.finditer(r"^\|\s*`(\w+)`\s*\|\s*([\d.]+)\s*\|", block[1], re.M)}


def test_dev_events_keep_their_figures() -> None:
    figures = evaluate(need(DATA / "claims-dev")).pooled()
    bars = recorded()
    assert set(bars) >= set(HIGHER_IS_BETTER + LOWER_IS_BETTER)
    for name in HIGHER_IS_BETTER:
        assert figures[name] >= bars[name] - 1e-9, (name, figures[name], bars[name])
    for name in LOWER_IS_BETTER:
        assert figures[name] <= bars[name], (name, figures[name], bars[name])
