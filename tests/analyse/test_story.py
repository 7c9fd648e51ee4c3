"""The analysis stage end to end: the seeds' facts, offsets, the cache and `newsfuse analyze`."""

from __future__ import annotations

import json
from datetime import date

import pytest

import newsfuse
from newsfuse.analyse import Analyzer, analyse_story

from ..conftest import EXAMPLES, SEEDS, need

QUOTE_KEYS = {"text", "speaker", "cue", "direct", "start", "end"}
ARTICLE_KEYS = {"id", "path", "text", "sentences", "entities", "dates", "numbers", "quotes"}


@pytest.fixture(scope="module")
def seeds_story():
    articles = newsfuse.clean_batch(newsfuse.read([str(need(SEEDS))]))
    return articles, analyse_story(articles)


def test_every_span_indexes_the_text(seeds_story) -> None:
    _, story = seeds_story
    for a in story.articles:
        for piece in [*a.sentences, *a.entities, *a.dates, *a.numbers, *a.quotes]:
            assert 0 <= piece.start <= piece.end <= len(a.text)
            assert a.text[piece.start:piece.end] == piece.text


def test_the_call_lasted_fifty_minutes(seeds_story) -> None:
    _, story = seeds_story
    for a in story.articles:
        durations = [q for q in a.numbers if q.unit == "minute"]
        assert any(45 <= (q.high or q.value) <= 60 for q in durations), a.id


def test_colossal_mistake_is_putins_via_ushakov(seeds_story) -> None:
    """Four seeds quote the "colossal mistake" (one as "colossal error"); it is Putin's
    words, in one seed relayed by his aide Ushakov."""
    _, story = seeds_story
    quotes = {a.id: [q for q in a.quotes if "colossal" in q.text.lower()] for a in story.articles}
    putin = [aid for aid, qs in quotes.items() if any("Putin" in (q.speaker or "") for q in qs)]
    assert len(putin) >= 3
    relayed = [q for qs in quotes.values() for q in qs if q.channel and "Ushakov" in q.channel]
    assert relayed and all("Putin" in (q.speaker or "") for q in relayed)


def test_timeline_holds_the_talks_and_the_earlier_call(seeds_story) -> None:
    _, story = seeds_story
    on = {}
    for entry in story.timeline:
        on.setdefault(entry.value, []).append(entry.what)
    assert date(2021, 12, 7) in on
    # the seeds name the talks' places as Geneva, NATO and the OSCE
    for day, place in [(date(2022, 1, 10), "Geneva"), (date(2022, 1, 12), "NATO"), (date(2022, 1, 13), "OSCE")]:
        assert any(place in what for what in on.get(day, [])), (day, on.get(day))


def test_aliases_collapse(seeds_story) -> None:
    _, story = seeds_story
    by_alias = {alias: e for e in story.entities for alias in e.aliases}
    for a, b in [("Vladimir Putin", "Putin"), ("Joe Biden", "Biden")]:
        assert by_alias[a] is by_alias[b]
    ushakov = [e for e in story.entities if "Ushakov" in e.name]
    assert len(ushakov) == 1


def test_analysis_is_cached() -> None:
    articles = newsfuse.clean_batch(newsfuse.read([str(EXAMPLES / "recall")]))
    analyzer = Analyzer()
    first = analyzer.story(articles)
    assert analyzer.story(list(reversed(articles))) is first
    assert analyzer.article(articles[0]).id == articles[0].id


def test_analyze_command(run) -> None:
    result = run("analyze", EXAMPLES / "ferry", "--format", "json")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 6
    for row in rows:
        assert ARTICLE_KEYS <= set(row)
        for q in row["quotes"]:
            assert QUOTE_KEYS <= set(q)
            assert row["text"][q["start"]:q["end"]] == q["text"]
    assert len({r["story_id"] for r in rows}) == 1
    text = run("analyze", EXAMPLES / "recall", "--format", "text").stdout
    assert "entity" in text and "base date" in text


_COLD = """
import json, sys
import newsfuse
from newsfuse import embed
from newsfuse.analyse import Analyzer
from newsfuse.brief import briefs_of
from newsfuse.pipeline import Pipeline

analyzer = Analyzer(workers=2)
[brief] = briefs_of(Pipeline().run([sys.argv[1]]), analyzer=analyzer)
enc = embed.encoder()
served = {"rows": enc.forward_rows, "delegated": enc.delegate is not None, "quotes": len(brief.quotes)}
text = ["A sentence this run has not embedded before."]
asked = enc.encode(text)[0]
# the next story loads this process's own encoder, and the helper ends
analyzer.story(Pipeline().run([sys.argv[1]]).stories(2)[0].articles[:2])
own = embed.SentenceEncoder().encode(text)[0]
print(json.dumps({**served, "cosine": float(asked @ own), "after": enc.delegate is not None}))
"""


def test_a_cold_start_loads_the_encoder_once(tmp_path) -> None:
    """On a cold start the process that embeds the sentences ahead of the parse also embeds what
    corroboration asks for later (the quotations), with the same vectors, until this process
    loads its own encoder."""
    import os
    import subprocess
    import sys

    from newsfuse import embed

    if not embed.available() or (os.cpu_count() or 1) < 2:
        pytest.skip("needs the encoder and two cores")
    out = subprocess.run([sys.executable, "-c", _COLD, str(EXAMPLES / "ferry")], capture_output=True, text=True,
                         check=True, timeout=300)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["rows"] == 0 and got["delegated"] and got["quotes"] >= 1
    assert got["cosine"] > 0.999 and not got["after"]
