"""The brief of real and written stories: the seeds, and the examples with their planted differences."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import newsfuse
from newsfuse.brief import Brief, briefs_of, to_html, to_json, to_markdown
from newsfuse.pipeline import Pipeline

from ..conftest import EXAMPLES, SEEDS, need


def _briefs(path: Path) -> tuple[list[Brief], list[newsfuse.Article]]:
    articles = newsfuse.clean_batch(newsfuse.read([str(path)]))
    return briefs_of(Pipeline().cluster(articles)), articles


@pytest.fixture(scope="module")
def seeds_brief() -> tuple[Brief, list[newsfuse.Article]]:
    briefs, articles = _briefs(need(SEEDS))
    assert len(briefs) == 1
    return briefs[0], articles


@pytest.fixture(scope="module")
def ferry() -> Brief:
    briefs, _ = _briefs(EXAMPLES)
    assert [len(b.sources) for b in briefs] == [6, 2]
    return briefs[0]


def _origin(b: Brief, n: int) -> str:
    """Where source ``n`` of a brief was read from."""
    return _ORIGINS[b.sources[n - 1].article_id]


_ORIGINS = {a.id: a.origin for path in (EXAMPLES, SEEDS) if path.exists() for a in newsfuse.read([str(path)])}


# ---------------------------------------------------------------------------
# The seeds


def test_every_statement_is_cited(seeds_brief) -> None:
    b, _ = seeds_brief
    assert b.summary and b.claims
    valid = {s.id for s in b.sources}
    for item in [*b.summary, *b.claims, *b.timeline, *b.quotes]:
        cited = getattr(item, "sources", None) or [n for v in item.variants for n in v.sources]
        assert cited and set(cited) <= valid, item
    assert all(s.source in valid for s in b.single_source)


def test_no_boilerplate_anywhere(seeds_brief) -> None:
    b, articles = seeds_brief
    removed = {r.line.strip() for a in articles for r in a.removed if len(r.line.strip()) > 12}
    assert removed, "the seeds carry boilerplate the cleaner removes"
    for rendered in (to_markdown(b), to_json([b]), to_html([b])):
        for line in removed:
            assert line not in rendered, line


def test_facts_of_three_or_more_outlets_with_their_support(seeds_brief) -> None:
    b, _ = seeds_brief
    shown = [(s.text, len(s.sources)) for s in b.summary] + [(c.text, c.independent_support) for c in b.claims]

    def supported(*words: str) -> int:
        return max((n for text, n in shown if all(w.lower() in text.lower() for w in words)), default=0)

    assert supported("colossal mistake") >= 3
    assert max(supported("50 minutes"), supported("fifty minutes"), supported("50-minute")) >= 3
    # the heads of the delegations: two reports say who will lead them; a third only that Sherman
    # and Ryabkov will attend the talks, which is not the same statement
    assert supported("Sherman", "delegation") >= 2 and supported("Ryabkov") >= 2
    assert supported("January 12") >= 3 or supported("January 13") >= 3
    assert supported("January 10", "Geneva") >= 3
    duration = next(n for n in b.numbers if n.unit == "minute" and n.value == 50)
    assert len(duration.sources) >= 4


def test_quote_wording_variants_are_one_quote_and_a_difference(seeds_brief) -> None:
    b, _ = seeds_brief
    quote = max((q for q in b.quotes if any("colossal" in v.text.lower() for v in q.variants)),
                key=lambda q: q.independent_support)
    assert quote.independent_support >= 4
    assert quote.speaker == "Vladimir Putin" and quote.channel == "Yury Ushakov"
    wordings = " | ".join(v.text.lower() for v in quote.variants)
    assert "colossal" in wordings and ("grave" in wordings or "fatal" in wordings)
    assert any(d.kind == "quote" and "Vladimir Putin" in d.about and len(d.variants) >= 3 for d in b.disagreements)


def test_titles_of_the_us_delegation_head_differ(seeds_brief) -> None:
    b, _ = seeds_brief
    [d] = [d for d in b.disagreements if d.kind == "title"]
    assert "Wendy Sherman" in d.about
    assert {v.value for v in d.variants} == {"Deputy Foreign Minister", "Deputy Secretary of State",
                                             "US Undersecretary of State"}


def test_single_source_claims_are_kept_and_marked(seeds_brief) -> None:
    b, _ = seeds_brief
    lone = [s.text for s in b.single_source]
    assert any("Mediterranean" in t and "carrier" in t for t in lone)
    assert any("14,000" in t and "Donbas" in t for t in lone)


# ---------------------------------------------------------------------------
# The examples: every planted difference, and nothing else


def test_planted_differences_and_nothing_else(ferry) -> None:
    found = {(d.kind, tuple(v.value for v in d.variants)) for d in ferry.disagreements}
    kinds = sorted(k for k, _ in found)
    assert kinds == ["number", "quote", "time", "title"], found
    by_kind = {k: values for k, values in found}
    assert by_kind["number"] == ("212 passengers", "214 passengers")
    assert by_kind["title"] == ("Transport Minister", "Maritime Affairs Minister")
    assert re.sub(r"\D", "", by_kind["time"][0]).lstrip("0") == "740" and "8:40" in by_kind["time"][1]
    who = {d.kind: d for d in ferry.disagreements}
    assert who["number"].variants[0].sources == [1, 2, 3, 4, 6]  # every source of the majority figure is cited
    assert len(by_kind["quote"]) == 3  # the original English and two translations
    who = {d.kind: d for d in ferry.disagreements}
    assert _origin(ferry, who["number"].variants[1].sources[0]).endswith("valdoria-today.txt")
    assert _origin(ferry, who["time"].variants[1].sources[0]).endswith("rundschau-de.txt")
    assert _origin(ferry, who["title"].variants[1].sources[0]).endswith("littoral-fr.txt")


def test_compatible_precision_and_spelling_are_not_conflicts(ferry) -> None:
    text = json.dumps([d["variants"] for d in ferry.to_dict()["disagreements"]], ensure_ascii=False)
    assert "at least 15" not in text and "Märten" not in text
    marten = next(e for e in ferry.entities if e.name == "Ilse Marten")
    assert "Ilse Märten" in marten.aliases


def test_the_syndicated_copy_is_not_confirmation(ferry) -> None:
    copy = next(s for s in ferry.sources if _origin(ferry, s.id).endswith("daily-meridian.txt"))
    wire = next(s for s in ferry.sources if _origin(ferry, s.id).endswith("nws-wire.txt"))
    assert copy.copy_of == wire.id
    assert ferry.independent_sources == 5
    for claim in ferry.claims:
        assert claim.independent_support == len({n if n != copy.id else wire.id for n in claim.sources})


def test_single_source_claims_of_the_examples(ferry) -> None:
    lone = {(_origin(ferry, s.source).rsplit("/", 1)[-1], s.text) for s in ferry.single_source}
    assert any(f == "valdoria-today.txt" and "radar" in t for f, t in lone)
    assert any(f == "rundschau-de.txt" and "tug" in t for f, t in lone)


def test_the_recall_story_has_no_differences() -> None:
    briefs, _ = _briefs(EXAMPLES / "recall")
    [b] = briefs
    assert b.disagreements == [] and b.independent_sources == 2
    assert any("48,000" in s.text for s in b.summary)


# ---------------------------------------------------------------------------
# The command


def test_brief_command_formats(run, tmp_path: Path) -> None:
    md = run("brief", EXAMPLES)
    assert md.exit_code == 0 and md.stdout.startswith("# ")
    assert "2 briefs" in md.stderr
    out = tmp_path / "b.json"
    assert run("brief", EXAMPLES / "recall", "--format", "json", "-o", out).exit_code == 0
    [b] = json.loads(out.read_text())
    assert set(b) == {"story_id", "headline", "first_seen", "last_seen", "summary", "claims", "quotes", "timeline",
                      "numbers", "entities", "disagreements", "single_source", "sources"}
    page = run("brief", EXAMPLES, "--format", "html").stdout
    assert page.lower().startswith("<!doctype html>") and "Content-Security-Policy" in page


def test_brief_all_includes_single_reports(run) -> None:
    single = run("brief", EXAMPLES / "ferry" / "nws-wire.txt")
    assert single.exit_code == 0 and "no story has two or more articles" in single.stderr
    assert run("brief", EXAMPLES / "ferry" / "nws-wire.txt", "--all").stdout.startswith("# ")


@pytest.mark.parametrize("story", ["seeds_brief", "ferry"])
def test_each_single_source_sentence_is_listed_once(story, request) -> None:
    """A sentence of several clauses, or repeated by a version of its report, is one entry;
    a sentence a confirmed claim shows is not listed again as single-source."""
    b = request.getfixturevalue(story)
    b = b[0] if isinstance(b, tuple) else b
    lone = [s.text for s in b.single_source]
    assert len(lone) == len(set(lone))
    assert not set(lone) & {c.text for c in b.claims}
    spans = [span for s in b.single_source for span in s.spans]
    assert len(spans) == len(set(spans))


def test_the_seeds_brief_is_at_most_half_as_long_as_the_seeds(seeds_brief, run) -> None:
    b, articles = seeds_brief
    length = sum(len(a.title or "") + len(a.text) for a in articles)
    assert 0.98 * length <= sum(s.length or 0 for s in b.sources) <= length  # runs of white space count once
    md = to_markdown(b)
    assert len(md) <= 0.5 * length
    for section in ("Summary", "Where sources differ", "Key facts", "Sources"):
        assert f"## {section}\n" in md
    full = run("brief", SEEDS, "--full").stdout
    assert len(full) > len(md) and "more in the full brief" not in full
    assert full.count("\n  - “") > md.count("\n  - “")  # the wordings of each quotation


def test_background_has_its_own_section_and_stays_out_of_the_summary(seeds_brief) -> None:
    """Crimea's annexation in 2014 is background to a call of December 2021; the call is news."""
    b, _ = seeds_brief
    kinds = {c.text: c.kind for c in b.claims if c.independent_support >= 2}
    crimea = next(t for t in kinds if "Crimea" in t and "2014" in t)
    assert kinds[crimea] == "background"
    assert kinds[next(t for t in kinds if "spoke on the phone" in t)] == "news"
    assert not any("2014" in s.text for s in b.summary)
    md = to_markdown(b, full=True)
    titles = re.findall(r"^## (.+)$", md, re.M)
    assert titles.index("Key facts") < titles.index("Background") < titles.index("Timeline")
    background = md.split("## Background\n")[1].split("\n## ")[0]
    assert "Crimea" in background and "Crimea" not in md.split("## Key facts\n")[1].split("\n## ")[0]


def test_a_report_without_an_outlet_is_named_by_its_dateline(seeds_brief) -> None:
    """The seeds carry no metadata; the one that opens "(CNN) —" is CNN's."""
    b, articles = seeds_brief
    by_id = {a.id: a for a in articles}
    outlets = {s.outlet for s in b.sources}
    assert "CNN" in outlets
    for s in b.sources:
        assert (s.outlet == "CNN") == ("(CNN)" in (by_id[s.article_id].dateline or ""))
