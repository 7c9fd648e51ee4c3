"""Renderers of a story brief: the JSON contract, cited Markdown, a safe self-contained HTML page.

The story below is fictional (written for these tests). Source 5 is hostile: its
outlet, title, URL, text, quote and claims carry script, event-handler and
``javascript:`` link payloads that must come out as inert text.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse.brief.model import (
    Brief,
    Claim,
    Disagreement,
    EntityFact,
    NumberFact,
    QuoteGroup,
    SingleSource,
    Source,
    Statement,
    TimelineItem,
    ValueVariant,
    Variant,
)
from newsfuse.brief.render import (
    BRIEF_SHARE,
    compact_counts,
    date_range,
    md_escape,
    to_html,
    to_json,
    to_markdown,
    to_markdown_many,
)

SCRIPT = "<script>window.__pwned=1;alert(1)</script>"
IMG = '<img src=x onerror="window.__pwned=2;alert(1)">'
MDLINK = "[click](javascript:alert(1))"
SVG = "<svg onload=\"window.__pwned=3\"></svg>"
BREAKOUT = "\"'><script>window.__pwned=4</script>"

TEXTS = {
    1: "The harbour bridge in Kestrel Bay reopened to traffic on Thursday morning after three weeks of storm "
    "repairs. Mayor Ilse Marron said the crossing was safe for all vehicles. \"The bridge is safe for every "
    "vehicle, from bicycles to buses,\" Marron said.",
    2: "Kestrel Bay's harbour bridge reopened on Thursday after storm repairs. Engineers replaced 14 damaged "
    "cable anchors. The repairs cost 2.4 million euros. Ferry services will be reduced from next week.",
    3: "Le pont du port de Kestrel a rouvert jeudi. Les ingénieurs ont remplacé 14 ancrages. Selon la maire "
    "Ilse Marron, « le pont est sûr pour tous les véhicules ». Une seconde inspection est prévue en juin.",
    4: "Kestrel Bay's harbour bridge reopened on Thursday after storm repairs. Engineers replaced 14 damaged "
    "cable anchors. The repairs cost 2.4 million euros. Ferry services will be reduced from next week.",
    5: f"{IMG} Officials denied {SCRIPT} everything {MDLINK}. {SVG} Nothing happened.",
}


def span(n: int, sentence: str) -> tuple[int, int, int]:
    start = TEXTS[n].index(sentence)
    return (n, start, start + len(sentence))


def sources() -> list[Source]:
    return [
        Source(1, "a1", "Kestrel Daily", "https://kestrel-daily.example/bridge-reopens",
               "Harbour bridge reopens after three weeks of storm repairs", "2025-03-06T08:15:00Z", "en"),
        Source(2, "a2", "Bay Wire", "https://baywire.example/news/2025/03/06/bridge?ref=feed&src=rss",
               "Kestrel Bay bridge back in service", "2025-03-06T09:40:00+01:00", "en"),
        Source(3, "a3", "Le Courrier du Port", "http://courrier-port.example/pont",
               "Réouverture du pont du port de Kestrel", "2025-03-07", "fr"),
        Source(4, "a4", "Regional Digest", "https://digest.example/r/123",
               "Kestrel Bay bridge back in service", "2025-03-06T11:00:00Z", "en", copy_of=2),
        Source(5, "a5", f"{SCRIPT}Evil <b>News</b>", "javascript:alert(1)", f"{IMG} {MDLINK}",
               "2025-03-07T23:59:00Z", f"en{BREAKOUT}", published_via="estimated-from-story"),
    ]  # fmt: skip


def hostile_brief() -> Brief:
    """The fictional bridge story, with one hostile source among four honest ones."""
    reopened = TEXTS[1].split(". ")[0] + "."
    return Brief(
        story_id="story-kestrel-bridge",
        headline="Kestrel Bay harbour bridge reopens after storm repairs",
        first_seen="2025-03-06T08:15:00Z",
        last_seen="2025-03-07T23:59:00Z",
        summary=[
            Statement(reopened, [1, 2, 4], [span(1, reopened)]),
            Statement("Mayor Ilse Marron said the crossing was safe for all vehicles.", [1, 3]),
            Statement("Engineers replaced 14 damaged cable anchors.", [2, 3, 4],
                      [span(2, "Engineers replaced 14 damaged cable anchors.")]),
            Statement(f"{IMG} Officials denied {SCRIPT} everything {MDLINK}.", [5],
                      [span(5, f"{IMG} Officials denied {SCRIPT} everything {MDLINK}.")]),
        ],
        claims=[
            Claim("The harbour bridge reopened on Thursday.", [1, 2, 3, 4], 3, [
                Variant("The harbour bridge in Kestrel Bay reopened to traffic on Thursday morning", [1]),
                Variant("Kestrel Bay's harbour bridge reopened on Thursday", [2, 4]),
                Variant("Le pont du port de Kestrel a rouvert jeudi", [3]),
            ]),
            Claim("Engineers replaced 14 damaged cable anchors.", [2, 3, 4], 2),
            Claim(f"{SCRIPT} was confirmed {MDLINK}", [5], 1),
        ],
        quotes=[
            QuoteGroup("Ilse Marron", "The bridge is safe for every vehicle, from bicycles to buses.", [
                Variant("The bridge is safe for every vehicle, from bicycles to buses.", [1]),
                Variant("le pont est sûr pour tous les véhicules", [3]),
            ], independent_support=2),
            QuoteGroup("Tomas Vell", "the repairs came in under budget",
                       [Variant("the repairs came in under budget", [2, 4])],
                       channel="the port authority", direct=False),
            QuoteGroup(f'<b onmouseover="window.__pwned=5">Mayor</b>{BREAKOUT}', f"{SCRIPT}{MDLINK}",
                       [Variant(f"{SVG}{MDLINK}", [5])], channel=IMG),
        ],
        timeline=[
            TimelineItem("2025-02-13", "A storm damaged the bridge's cable anchors.", [1, 3]),
            TimelineItem("2025-02-14/2025-03-05", "The bridge was closed for repairs.", [1, 2]),
            TimelineItem("2025-03-06", "The bridge reopened to traffic.", [1, 2, 3, 4]),
            TimelineItem(f"2025-03-07{BREAKOUT}", f"{SVG} happened {MDLINK}", [5]),
        ],
        numbers=[
            NumberFact("cable anchors replaced", 14.0, None, [2, 3, 4], "14"),
            NumberFact("cost of the repairs", 2.4, "million euros", [2, 4], "2.4 million euros"),
            NumberFact("length of the closure", None, "days", [1, 2], "about three weeks", low=20.0, high=21.0),
            NumberFact(IMG, 1.0, SCRIPT, [5], MDLINK),
        ],
        entities=[
            EntityFact("Ilse Marron", "person", ["Marron", "Mayor Marron"], [1, 3],
                       [Variant("Mayor of Kestrel Bay", [1]), Variant("maire de Kestrel", [3])]),
            EntityFact("Kestrel Bay", "place", [], [1, 2, 3, 4]),
            EntityFact(SCRIPT, IMG, [MDLINK], [5]),
        ],
        disagreements=[
            Disagreement("cost of the repairs", "number",
                         [ValueVariant("2.4 million euros", [2, 4]), ValueVariant("2.1 million euros", [3])]),
            Disagreement("Ilse Marron's title", "title",
                         [ValueVariant("Mayor of Kestrel Bay", [1]), ValueVariant("Deputy Mayor", [5])]),
            Disagreement(SCRIPT, f"kind{BREAKOUT}", [ValueVariant(MDLINK, [5]), ValueVariant(IMG, [1])]),
        ],
        single_source=[
            SingleSource("Ferry services will be reduced from next week.", 2,
                         [span(2, "Ferry services will be reduced from next week.")]),
            SingleSource("A second inspection is planned for June.", 3),
            SingleSource(f"{IMG} {MDLINK} {SVG}", 5),
        ],
        sources=sources(),
        texts=dict(TEXTS),
    )  # fmt: skip


def minimal_brief(headline: str = "A quiet story", **kw) -> Brief:
    """Only a summary and sources: every other section must be left out."""
    srcs = [Source(1, "m1", "Kestrel Daily", "https://kestrel-daily.example/q", "Quiet", "2025-03-06", "en"),
            Source(2, "m2", "Bay Wire", None, None, None, None)]  # fmt: skip
    fields = dict(summary=[Statement("Nothing much happened.", [1, 2])], sources=srcs)
    fields.update(kw)
    return Brief("story-quiet", headline, "2025-03-06", None, **fields)


# --------------------------------------------------------------------------------- HTML checks

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "area", "base", "source", "embed"}
PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "nav", "footer", "article", "header",
             "section", "h1", "h2", "p", "ul", "ol", "li", "a", "span", "strong", "blockquote", "time", "div",
             "table", "thead", "tbody", "tr", "th", "td", "details", "summary"}  # fmt: skip
MD_TAGS = {"h1", "h2", "p", "ul", "li", "a", "strong", "em", "hr"}


class Page(HTMLParser):
    """Tags, ids, links and text of a page, and whether its tags nest properly."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: Counter[str] = Counter()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.cites: list[str] = []
        self.text: list[str] = []
        self._in_cite = False
        self.feed(markup)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        a = dict(attrs)
        self.attrs += [(tag, k, v) for k, v in attrs]
        if "id" in a:
            self.ids.append(a["id"] or "")
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"] or "")
            self._in_cite = "cite" in (a.get("class") or "").split()
            if self._in_cite:
                self.cites.append(a["href"] or "")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # "<hr />": nothing to close
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack[-1:] not in (["style"], ["title"]):
            self.text.append(data)

    @property
    def all_text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text))


def assert_inert(page: Page, allowed_tags: set[str]) -> None:
    """No tag outside the renderer's own vocabulary, no handler attribute, no script URL."""
    assert not page.errors, page.errors
    assert set(page.tags) <= allowed_tags, set(page.tags) - allowed_tags
    for tag, name, value in page.attrs:
        assert not name.startswith("on"), (tag, name, value)
        assert name in {"id", "class", "href", "title", "rel", "datetime", "lang", "charset", "content",
                        "http-equiv", "name", "aria-label"}, (tag, name)  # fmt: skip
    for href in page.hrefs:
        assert href.startswith("#") or re.match(r"https?://", href), href
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    missing = [h for h in page.hrefs if h.startswith("#") and h[1:] not in set(page.ids)]
    assert not missing, missing


# ---------------------------------------------------------------------------------------- JSON

TOP = {"story_id", "headline", "first_seen", "last_seen", "summary", "claims", "quotes", "timeline", "numbers",
       "entities", "disagreements", "single_source", "sources"}  # fmt: skip
# Nested keys: the PRODUCT.md fields, plus the extras model.py adds, listed here on purpose.
NESTED = {
    "summary": ({"text", "sources"}, {"spans"}),
    "claims": ({"text", "sources", "independent_support"}, {"variants", "spans", "confidence", "kind"}),
    "quotes": ({"speaker", "text", "variants"}, {"channel", "direct", "independent_support"}),
    "timeline": ({"date", "text", "sources"}, {"spans"}),
    "numbers": ({"what", "value", "unit", "sources"}, {"text", "low", "high"}),
    "entities": ({"name", "kind", "aliases", "sources"}, {"roles"}),
    "disagreements": ({"about", "variants"}, {"kind", "evolution"}),
    "single_source": ({"text", "source"}, {"spans"}),
    "sources": ({"id", "outlet", "url", "title", "published", "language", "copy_of"},
                {"article_id", "published_via", "counted_with", "relation", "length"}),
}
VARIANTS = {"quotes": ({"text", "sources"}, {"spans"}), "disagreements": ({"value", "sources"}, {"spans", "published"})}


def check_keys(items: list[dict], required: set[str], extra: set[str]) -> None:
    assert items
    for item in items:
        assert required <= set(item) <= required | extra, (set(item) ^ required) - extra


def test_json_has_exactly_the_contract_keys() -> None:
    [story] = json.loads(to_json([hostile_brief()]))
    assert set(story) == TOP
    for key, (required, extra) in NESTED.items():
        check_keys(story[key], required, extra)
    for key, (required, extra) in VARIANTS.items():
        check_keys([v for item in story[key] for v in item["variants"]], required, extra)


def test_json_round_trips_and_is_always_an_array() -> None:
    briefs = [hostile_brief(), minimal_brief()]
    out = to_json(briefs)
    assert json.loads(out) == [json.loads(json.dumps(b.to_dict())) for b in briefs]
    assert isinstance(json.loads(to_json([minimal_brief()])), list)
    assert json.loads(to_json([])) == []
    assert "Réouverture" in out and "\\u00e9" not in out  # ensure_ascii=False
    assert out.startswith("[\n  {") and out.endswith("\n")
    assert "texts" not in json.loads(out)[0]


def test_json_has_no_nan() -> None:
    b = minimal_brief(numbers=[NumberFact("missing", math.nan, None, [1]), NumberFact("big", math.inf, "x", [2])])
    [story] = json.loads(to_json([b]))  # strict JSON: json.loads would accept NaN, so check the text too
    assert [n["value"] for n in story["numbers"]] == [None, None]
    assert "NaN" not in to_json([b]) and "Infinity" not in to_json([b])


# ------------------------------------------------------------------------------------ Markdown

CITE = r"\[\[(\d+)\]\]\(#([^)\s]+)\)"


def md_anchors(md: str) -> set[str]:
    return set(re.findall(r'<a id="([^"]+)"></a>', md))


def md_section(md: str, title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\n\n(.*?)(?=^## |\Z)", md, re.S | re.M)
    assert m, f"no section {title!r}"
    return m[1].strip()


def test_markdown_every_summary_sentence_is_cited() -> None:
    b = hostile_brief()
    md = to_markdown(b)
    anchors = md_anchors(md)
    assert anchors == {f"source-{s.id}" for s in b.sources}
    parts = re.split(rf"((?:{CITE})+)", md_section(md, "Summary"))
    texts, cites = parts[0::4], parts[1::4]  # split keeps the whole group and the last inner groups
    assert len(cites) == len(b.summary) and texts[-1] == ""
    for statement, text, group in zip(b.summary, texts, cites, strict=False):
        targets = re.findall(CITE, group)
        assert [int(n) for n, _ in targets] == sorted(statement.sources)
        assert all(anchor in anchors and anchor == f"source-{n}" for n, anchor in targets)
        if "<" not in statement.text:
            assert text.strip() == statement.text


def test_markdown_layout() -> None:
    md = to_markdown(hostile_brief(), full=True)
    lines = md.splitlines()
    assert lines[0] == "# Kestrel Bay harbour bridge reopens after storm repairs"
    assert lines[2] == "5 reports from 4 independent sources, 6–7 March 2025"
    titles = re.findall(r"^## (.+)$", md, re.M)
    assert titles == ["Summary", "Where sources differ", "Key facts", "Who said what", "Timeline", "Numbers", "Names",
                      "Single-source claims", "Sources"]  # fmt: skip

    facts = md_section(md, "Key facts")
    assert "The harbour bridge reopened on Thursday. [[1]](#source-1)[[2]](#source-2)" in facts
    assert "*confirmed by 3 independent sources (4 reports)*" in facts  # a copy is a report, not a confirmation
    assert "*confirmed by 2 independent sources (3 reports)*" in facts
    assert "Le pont du port" not in facts  # each source's wording is in the JSON and the HTML, not repeated here
    assert "was confirmed" not in facts  # independent support 1 is not a key fact

    assert "- **14 February – 5 March 2025** — The bridge was closed for repairs. [[1]](#source-1)" in md
    quotes = md_section(md, "Who said what")
    assert "- **Ilse Marron**: “The bridge is safe for every vehicle, from bicycles to buses.”" in quotes
    assert "  - “le pont est sûr pour tous les véhicules” [[3]](#source-3)" in quotes
    assert "**Tomas Vell** via the port authority: the repairs came in under budget *(reported speech)*" in quotes
    numbers = md_section(md, "Numbers")
    assert "- **cost of the repairs**: 2.4 million euros [[2]](#source-2)[[4]](#source-4)" in numbers
    assert "- **length of the closure**: 20–21 days (“about three weeks”) [[1]](#source-1)" in numbers
    assert "- **cable anchors replaced**: 14 [[2]](#source-2)" in numbers
    differ = md_section(md, "Where sources differ")
    assert "- **cost of the repairs** · *number*\n  - 2.4 million euros [[2]](#source-2)[[4]](#source-4)\n" in differ
    assert "*title or role*" in differ
    single = md_section(md, "Single-source claims")
    assert single.startswith("*Reported by one source only")
    assert "- Ferry services will be reduced from next week. [[2]](#source-2) — *one source only* " \
           "(also in its copy [[4]](#source-4))" in single  # fmt: skip
    srcs = md_section(md, "Sources")
    assert srcs.splitlines()[0] == (
        '- <a id="source-1"></a>**\\[1\\]** Kestrel Daily — Harbour bridge reopens after three weeks of storm repairs'
        " · 6 March 2025, 08:15 UTC · en · <https://kestrel-daily.example/bridge-reopens>"
    )
    assert "*copy of* [[2]](#source-2)" in srcs.splitlines()[3]
    assert "6 March 2025, 09:40 UTC+01:00" in srcs
    assert "javascript:alert(1) (not a web link)" in srcs and "(estimated)" in srcs


def test_compact_markdown_keeps_what_several_sources_give() -> None:
    """Without a known length of the reports nothing is cut for length, but the compact brief
    keeps only the quotes of two independent sources, the numbers and names of two reports."""
    b = hostile_brief()
    md, full = to_markdown(b), to_markdown(b, full=True)
    assert len(md) < len(full)
    assert "le pont est sûr" in full and "le pont est sûr" not in md  # a quotation's other wordings are folded
    assert "(reported speech)" not in md_section(md, "Who said what")
    numbers = md_section(md, "Numbers")
    assert len(numbers.splitlines()) == 3 and len(md_section(full, "Numbers").splitlines()) == 4
    assert "more in the full brief" not in md


def test_compact_markdown_is_at_most_half_its_reports() -> None:
    b = hostile_brief()
    for s in b.sources:
        s.length = 900
    budget = BRIEF_SHARE * 900 * len(b.sources)
    md = to_markdown(b)
    assert len(md) <= budget < len(to_markdown(b, full=True))
    assert md_section(md, "Sources") == md_section(to_markdown(b, full=True), "Sources")  # every source, always
    assert md_section(md, "Summary") == md_section(to_markdown(b, full=True), "Summary")  # the lead comes first
    assert re.search(r"^\*\d+ (?:more )?in the full brief \(`--full`\)\.\*$", md, re.M)  # a cut section says so
    for s in b.sources:
        s.length = 10
    tiny = to_markdown(b)  # what every brief has, however short its reports: the lead's first sentence, the sources
    assert re.findall(r"^## (.+)$", tiny, re.M) == ["Summary", "Sources"]
    assert md_section(tiny, "Summary").startswith(md_escape(b.summary[0].text))
    for s in b.sources:
        s.length = 100_000
    assert to_markdown(b) == to_markdown(hostile_brief())  # room for all: only the compact filters apply


def test_markdown_omits_empty_sections() -> None:
    md = to_markdown(minimal_brief())
    assert re.findall(r"^## (.+)$", md, re.M) == ["Summary", "Sources"]
    assert "2 reports from 2 independent sources, 6 March 2025" in md
    assert "Bay Wire — (untitled) · date unknown" in md
    weak = minimal_brief(claims=[Claim("Only one outlet says so.", [1], 1)])
    assert "## Key facts" not in to_markdown(weak)
    bare = Brief("s", "", None, None)
    assert to_markdown(bare) == "# Untitled story\n\n0 reports from 0 independent sources\n"


def test_markdown_payloads_are_inert() -> None:
    md = to_markdown_many([hostile_brief(), minimal_brief(f"{SCRIPT} {MDLINK}")])
    for bad in ("<script", "<img", "<svg", "<b>", "<javascript"):
        assert bad not in md, bad
    assert not re.search(r"(?<!\\)\]\(javascript", md)  # only escaped brackets before "(javascript"
    mdit = pytest.importorskip("markdown_it")  # CommonMark, as GitHub and most renderers parse it
    page = Page(mdit.MarkdownIt("commonmark").render(md))
    assert_inert(page, MD_TAGS)
    assert SCRIPT in page.all_text and MDLINK in page.all_text  # shown as text, not dropped
    assert 'Officials denied <script>window.__pwned=1;alert(1)</script> everything' in page.all_text


def test_markdown_many_keeps_anchors_unique() -> None:
    md = to_markdown_many([hostile_brief(), minimal_brief()])
    assert "\n\n---\n\n# A quiet story" in md
    anchors = md_anchors(md)
    assert len(anchors) == 5 + 2 and "story2-source-1" in anchors
    assert {a for _, a in re.findall(CITE, md)} <= anchors
    assert to_markdown_many([minimal_brief()]) == to_markdown(minimal_brief())


def test_markdown_unknown_source_is_not_a_link() -> None:
    md = to_markdown(minimal_brief(summary=[Statement("Cites a missing source.", [1, 9])]))
    assert "Cites a missing source. [[1]](#source-1)\\[9\\]" in md


@pytest.mark.parametrize(
    "text",
    ["# not a heading", "- not a list", "1. not a list", "2025) neither", "--- no rule", "~~~ no fence",
     "> no quote", "<div>no html</div>", "&lt;kept&gt; &amp; &#60;", "a_b _c_ *d* **e** `f`", "back\\slash\\",
     "[x]: https://evil.example", "![img](x.png)", "<https://evil.example>", "snake_case stays"],
)  # fmt: skip
def test_md_escape_renders_the_text_itself(text: str) -> None:
    mdit = pytest.importorskip("markdown_it")
    page = Page(mdit.MarkdownIt("commonmark").render(md_escape(text)))
    assert dict(page.tags) == {"p": 1}
    assert page.all_text.strip() == text


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_md_escape_is_lossless_and_inert(text: str) -> None:
    mdit = pytest.importorskip("markdown_it")
    expected = re.sub(r"\s+", " ", re.sub(r"[\x00-\x1f\x7f]", lambda m: " " if m[0].isspace() else "", text))
    expected = expected.strip()
    page = Page(mdit.MarkdownIt("commonmark").render(md_escape(text)))
    assert set(page.tags) <= {"p"}
    assert page.all_text.strip() == expected


# ---------------------------------------------------------------------------------------- HTML


def test_html_is_self_contained_and_inert() -> None:
    out = to_html([hostile_brief()])
    assert out.startswith("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\';' \
           " img-src data:" in out  # fmt: skip
    assert "<script" not in out.lower() and "javascript:alert" not in out.split("<body>")[0]
    page = Page(out)
    assert_inert(page, PAGE_TAGS)
    assert page.tags["style"] == 1 and page.tags["link"] == 0
    assert not any(name in ("src", "srcset", "style") for _, name, _ in page.attrs)
    assert not any("javascript" in (h or "").lower() for h in page.hrefs)
    for payload in (SCRIPT, IMG, MDLINK, SVG):
        assert payload in page.all_text  # escaped and visible, not swallowed


def test_html_citations_point_at_sources() -> None:
    b = hostile_brief()
    page = Page(to_html([b]))
    source_ids = {f"s1-{s.id}" for s in b.sources}
    assert source_ids <= set(page.ids)
    assert page.cites and {c[1:] for c in page.cites} <= source_ids
    assert page.cites[:3] == ["#s1-1", "#s1-2", "#s1-4"]  # the first summary sentence
    out = to_html([b])
    assert '<li id="s1-4" class="source copy">' in out and "copy of <span" in out
    assert 'title="Kestrel Daily: The harbour bridge in Kestrel Bay reopened' in out  # the source's own sentence


def test_html_sections_and_labels() -> None:
    out = to_html([hostile_brief()])
    assert re.findall(r'<section class="([\w-]+)"><h2>', out) == [
        "summary", "differences", "key-facts", "quotes", "timeline", "numbers", "entities", "single-source",
        "sources"]  # fmt: skip
    assert '<p class="coverage">5 reports from 4 independent sources, 6–7 March 2025</p>' in out
    assert out.count('<div class="differ"><p class="label">Sources differ · ') == 3
    assert out.count('<span class="label">One source only</span>') == 3
    assert "<time datetime=\"2025-02-13\">13 February 2025</time>" in out
    assert "<time>14 February – 5 March 2025</time>" in out
    assert '<td class="value">20–21 days</td><td class="written">about three weeks</td>' in out
    assert '<span class="url unsafe">javascript:alert(1)</span> (not a web link)' in out
    assert 'href="https://baywire.example/news/2025/03/06/bridge?ref=feed&amp;src=rss"' in out


def test_html_shows_the_compact_brief_first_and_folds_the_rest() -> None:
    b = hostile_brief()
    for s in b.sources:
        s.length = 1200
    out, md, shown = to_html([b]), to_markdown(b), compact_counts(b)
    timeline = out.split('<section class="timeline">')[1].split("</section>")[0]
    first, rest = timeline.split('<details class="more">')
    assert first.count("<li>") == shown["Timeline"] == md_section(md, "Timeline").count("- **") == 1
    assert rest.startswith(f"<summary>{len(b.timeline) - 1} more</summary>") and rest.count("<li>") == len(b.timeline) - 1
    quotes = out.split('<section class="quotes">')[1].split("</section>")[0]
    assert quotes.count("<blockquote>") == len(b.quotes)  # folded, never dropped
    assert "<summary>Each wording</summary>" in quotes  # a quotation's wordings are folded beneath it


def test_html_omits_empty_sections() -> None:
    out = to_html([minimal_brief()])
    assert re.findall(r'<section class="([\w-]+)">', out) == ["summary", "sources"]
    assert "<nav" not in out and "<title>A quiet story</title>" in out
    assert_inert(Page(to_html([])), PAGE_TAGS)


def test_html_many_stories_have_unique_ids() -> None:
    hostile_headline = minimal_brief(f"</title>{SCRIPT}{BREAKOUT}")
    out = to_html([hostile_brief(), hostile_headline])
    page = Page(out)
    assert_inert(page, PAGE_TAGS)
    assert {"story-1", "story-2", "s1-1", "s2-1"} <= set(page.ids)
    story2 = out.split('id="story-2"')[1]
    assert re.findall(r'class="cite"', story2) and set(re.findall(r'href="#(s\d)-', story2)) == {"s2"}
    assert "<title>2 stories</title>" in out and '<nav class="toc">' in out


@given(st.text(max_size=40), st.text(max_size=40), st.text(max_size=40))
def test_html_escapes_any_text(headline: str, sentence: str, url: str) -> None:
    b = minimal_brief(headline, summary=[Statement(sentence, [1])])
    b.sources[0].url, b.sources[0].title = url, sentence
    page = Page(to_html([b]))
    assert_inert(page, PAGE_TAGS)
    assert page.cites == ["#s1-1"]


def test_dates_and_numbers_read_well() -> None:
    assert date_range("2025-03-06", "2025-03-06T23:00:00Z") == "6 March 2025"
    assert date_range(None, "2025-03-07") == "7 March 2025"
    assert date_range(None, None) == ""
    assert date_range("yesterday", "2025-03-07") == "yesterday – 2025-03-07"
    assert date_range("2025-13-01", None) == "2025-13-01"
    b = minimal_brief(numbers=[NumberFact("people", 12000.0, None, [1]), NumberFact("share", 0.5, "%", [1]),
                               NumberFact("budget", None, "euros", [1], low=1e6)])  # fmt: skip
    md = to_markdown(b, full=True)
    assert "**people**: 12,000 [[1]]" in md and "**share**: 0.5% [[1]]" in md
    assert "**budget**: at least 1,000,000 euros [[1]]" in md


def test_the_line_of_a_cut_section_is_a_paragraph_of_its_own() -> None:
    """After a list or after the lead's sentences, "N more in the full brief" stands apart (a blank
    line before it), so a renderer does not fold it into the last item or sentence."""
    b = hostile_brief()
    b.summary = b.summary * 6
    for s in b.sources:
        s.length = 1200
    md = to_markdown(b)
    notes = list(re.finditer(r"\*\d+ (?:more )?in the full brief", md))
    assert notes and any(n.start() < md.index("## Where sources differ") for n in notes)  # the lead was cut too
    assert all(md[n.start() - 2:n.start()] == "\n\n" for n in notes)


@given(st.integers(min_value=1, max_value=4000), st.integers(min_value=0, max_value=8))
def test_the_compact_brief_keeps_to_its_budget(length: int, repeat: int) -> None:
    """Whatever the length of the reports, the compact brief is at most half of it, beyond what
    every brief has (the headline, the lead's first sentence and the sources); and it keeps
    everything the full brief's first lead sentence and source list hold."""
    b = hostile_brief()
    b.claims = b.claims * (repeat + 1)
    for s in b.sources:
        s.length = length
    md, full = to_markdown(b), to_markdown(b, full=True)
    essentials = len(to_markdown(Brief(b.story_id, b.headline, b.first_seen, b.last_seen,
                                       summary=b.summary[:1], sources=b.sources)))
    assert len(md) <= max(BRIEF_SHARE * length * len(b.sources), essentials)
    assert md_section(md, "Sources") == md_section(full, "Sources")
    assert md_section(md, "Summary").startswith(md_section(full, "Summary").split(" [[")[0])
