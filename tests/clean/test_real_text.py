"""On clean real articles (ECB+ and PolNeAR), the cleaner must not take story sentences."""

from __future__ import annotations

import json
import re
from pathlib import Path

from newsfuse.clean import clean_text


def real_texts(data: Path) -> list[str]:
    texts = [json.loads(line)["text"] for line in (data / "ecbplus-dev.jsonl").open()]
    texts += [p.read_text() for p in sorted((data / "polnear" / "dev" / "text").glob("*.txt"))]
    return texts


def test_no_story_sentence_removed(data: Path) -> None:
    texts = real_texts(data)
    assert len(texts) > 500
    blocks = removed = 0
    sentences_lost = []
    for text in texts:
        c = clean_text(text)
        blocks += len(c.paragraphs) + len(c.removed)
        removed += len(c.removed)
        for r in c.removed:
            prose = len(r.line.split()) >= 8 and re.search(r"[.!?\"”]$", r.line)
            # credits, prompts and teasers are sentences too, but not story
            if prose and r.rule not in ("credit-line", "follow-or-subscribe-prompt", "teaser", "dateline"):
                sentences_lost.append((r.rule, r.line))
    assert not sentences_lost
    assert removed / blocks < 0.02
