"""Story briefs as JSON, Markdown and one self-contained HTML page.

Three forms of the same content, because three kinds of reader: JSON is the
contract other tools read (PRODUCT.md, "The brief"); Markdown is what a
journalist pastes into notes or a ticket and still reads as plain text; HTML is
what an analyst opens in a browser, offline. Every statement keeps its
citations: ``[n]`` links to source ``n`` in the source list.

Article text is untrusted: a scraped page may carry markup meant to run in the
reader's browser. Markdown output escapes the characters that would make links,
images, HTML or code spans; HTML output escapes every piece of article text,
links only http(s) URLs, contains no script at all, and carries a
Content-Security-Policy that would block script even if an escape were missed.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from string import Template
from typing import Any

from .model import (
    Brief,
    Claim,
    Disagreement,
    EntityFact,
    NumberFact,
    QuoteGroup,
    SingleSource,
    Source,
    Span,
    Statement,
    TimelineItem,
)

__all__ = ["compact_counts", "compact_view", "date_range", "md_escape", "to_html", "to_json", "to_markdown", "to_markdown_many"]

# ---------------------------------------------------------------------------------------- JSON


def to_json(briefs: Sequence[Brief]) -> str:
    """A JSON array of brief objects, one per story, ending with a newline.

    Always an array, even for one story, so a consumer never has to guess the
    shape. Non-finite numbers become ``null``: JSON has no NaN, and a parser
    that meets one fails on the whole document.
    """
    return json.dumps([_finite(b.to_dict()) for b in briefs], ensure_ascii=False, indent=2) + "\n"


def _finite(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_finite(v) for v in x]
    return x


# -------------------------------------------------------------------- text, dates and numbers

_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")  # fmt: skip
_ISO_DAY = re.compile(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?=\s*$|[T ]\d)")
_ISO_TIME = re.compile(r"[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$", re.I)


def _plain(s: object) -> str:
    """One line of text: whitespace runs collapsed, control characters dropped.

    Article text can carry newlines; in Markdown a line start may open a block
    (heading, list, quote), so no article text ever gets to start a line.
    """
    return "" if s is None else _CONTROL.sub("", _SPACE.sub(" ", str(s))).strip()


def _ymd(value: str | None) -> tuple[int, int, int] | None:
    """(year, month, day) of an ISO date or date-time; 0 for a missing month or day."""
    m = _ISO_DAY.match(value or "")
    if not m:
        return None
    y, mo, d = (int(g) if g else 0 for g in m.groups())
    if mo > 12 or d > 31 or (d and not mo):
        return None
    return y, mo, d


def _day(d: tuple[int, int, int]) -> str:
    y, m, dd = d
    if not m:
        return str(y)
    return f"{dd} {_MONTHS[m - 1]} {y}" if dd else f"{_MONTHS[m - 1]} {y}"


def date_range(first: str | None, last: str | None) -> str:
    """A readable date or date range, written the way people write them.

    Values that are not ISO dates are shown as given rather than dropped.

    >>> date_range("2025-03-06T08:15:00Z", "2025-03-07")
    '6–7 March 2025'
    >>> date_range("2025-02-28", "2025-03-02")
    '28 February – 2 March 2025'
    >>> date_range("2021-12-30", "2022-01-02")
    '30 December 2021 – 2 January 2022'
    >>> date_range("2025-03", None)
    'March 2025'
    """
    a, b = _ymd(first), _ymd(last)
    if (first and a is None) or (last and b is None):
        return " – ".join(dict.fromkeys(_plain(x) for x in (first, last) if x))
    if a is None or b is None or a == b:
        d = a or b
        return _day(d) if d else ""
    (ya, ma, da), (yb, mb, db) = a, b
    if da and db and ya == yb and ma == mb:
        return f"{da}–{db} {_MONTHS[ma - 1]} {ya}"
    if da and db and ya == yb:
        return f"{da} {_MONTHS[ma - 1]} – {db} {_MONTHS[mb - 1]} {ya}"
    return f"{_day(a)} – {_day(b)}"


def _when(date: str) -> str:
    """A timeline date: one ISO day, or an interval written ``first/last``; anything else as given."""
    first, _, last = (date or "").partition("/")
    if last and _ymd(first) and _ymd(last):
        return date_range(first, last)
    return date_range(date or None, None)


def _published(src: Source) -> str:
    """'6 March 2025, 10:05 UTC'; midnight is taken for "no time given"."""
    if not src.published:
        return "date unknown"
    text = _stamp(src.published)
    if (src.published_via or "").startswith("estimated"):
        text += " (estimated)"
    return text


def _stamp(iso: str) -> str:
    day = _ymd(iso)
    text = _day(day) if day else _plain(iso)
    t = _ISO_TIME.search(iso.strip()) if day else None
    if t and (t[1], t[2]) != ("00", "00"):
        zone = t[3] or ""
        zone = "UTC" if zone.upper() == "Z" or zone.replace(":", "") in ("+0000", "-0000") else f"UTC{zone}"
        text = f"{text}, {t[1]}:{t[2]} {zone}".rstrip()
    return text


def _num(x: float) -> str:
    """12,000 rather than 12000.0; 2.5 stays 2.5."""
    if not math.isfinite(x):
        return str(x)
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.6g}"


def _number(n: NumberFact) -> str:
    """The value of a number fact with its unit: '50 minutes', '40–60 %', '' when unknown."""
    if n.low is not None and n.high is not None and n.low != n.high:
        value = f"{_num(n.low)}–{_num(n.high)}"
    elif n.value is not None:
        value = _num(n.value)
    elif n.low is not None or n.high is not None:
        value = f"at least {_num(n.low)}" if n.low is not None else f"at most {_num(n.high)}"
    else:
        return ""
    unit = _plain(n.unit)
    return f"{value}{unit}" if unit in ("%", "‰") else f"{value} {unit}".strip()


def _as_written(n: NumberFact) -> str:
    """The source's own wording when it says more than the value ('about fifty minutes')."""
    text = _plain(n.text)
    return "" if not text or text.casefold() == _number(n).casefold() else text


def _plural(k: int, word: str) -> str:
    return f"{k} {word}" + ("" if k == 1 else "s")


def _coverage(brief: Brief) -> str:
    """'6 reports from 5 independent sources, 6–7 March 2025': copies are not confirmation."""
    text = f"{_plural(len(brief.sources), 'report')} from {_plural(brief.independent_sources, 'independent source')}"
    dates = date_range(brief.first_seen, brief.last_seen)
    return f"{text}, {dates}" if dates else text


def _support(k: int, verb: str, reports: int = 0) -> str:
    """'confirmed by 3 independent sources (5 reports)', or '' below two: one source confirms nothing."""
    if k < 2:
        return ""
    return f"{verb} by {k} independent sources" + (f" ({reports} reports)" if reports > k else "")


_RELATIONS = {"copy": "copy of", "version": "another version of", "translation": "translation of",
              "outlet": "same outlet as"}


def _lineage(s: Source) -> tuple[str, int] | None:
    """('copy of', 1), ('another version of', 1), ...: the report a source counts as one with."""
    if s.copy_of is not None:
        return _RELATIONS["copy"], s.copy_of
    if s.counted_with is not None:
        return _RELATIONS.get(s.relation or "", "counted with"), s.counted_with
    return None


def _evolution(d: Disagreement, k: int) -> str:
    """'latest, 7 March 2025, 09:10 UTC' beside a figure that changed between reports."""
    v = d.variants[k]
    when = _stamp(v.published) if v.published else ""
    first = "latest" if k == 0 else "earlier"
    return f"{first}, {when}" if when else first


def _also_in(copies: list[int]) -> str:
    return f"also in its {'copy' if len(copies) == 1 else 'copies'}"


def _cited(ns: Iterable[int]) -> list[int]:
    return sorted(set(ns))


def _quote_sources(q: QuoteGroup) -> list[int]:
    return _cited(n for v in q.variants for n in v.sources)


def _copies(brief: Brief, n: int) -> list[int]:
    return [s.id for s in brief.sources if s.copy_of == n]


def _web_url(url: str | None) -> str | None:
    """The URL, fit for a link, if it is an http(s) URL; otherwise None (never a link).

    Characters that could end an attribute or a Markdown autolink are
    percent-encoded; anything else (``javascript:``, ``data:``, relative) is
    shown as text only.
    """
    u = (url or "").strip()
    if not re.match(r"https?://[^/\s]", u, re.I):
        return None
    return re.sub(r"[\x00-\x20\x7f<>\"'\\^`{|}]", lambda m: f"%{ord(m[0]):02X}", u)


_DIFFER_KINDS = {"title": "title or role", "speaker": "who said it", "quote": "wording of a quote",
                 "fact": "one says it, another denies it"}

# ------------------------------------------------------------------------------------ Markdown

_MD_SPECIAL = re.compile(r"[\\`*\[\]<>]|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)")
_MD_BLOCK = re.compile(r"(#{1,6}|[-+]+|\d{1,9}[.)])(?=\s|$)|~{3,}")  # heading, list, rule, fence


def md_escape(s: object) -> str:
    """Article text made inert in Markdown, and still readable as plain text.

    Escaped: brackets (no links or images), ``<`` and ``>`` (no HTML, no
    autolinks), backticks (a code span could swallow the citations after it),
    emphasis marks, entity-like ``&...;`` and a leading block marker (``#``,
    ``-``, ``1.``, ``~~~``). Everything else is left alone.

    >>> md_escape("[click](javascript:alert(1)) <b>x</b>")
    '\\\\[click\\\\](javascript:alert(1)) &lt;b&gt;x&lt;/b&gt;'
    """
    t = _MD_SPECIAL.sub(lambda m: {"<": "&lt;", ">": "&gt;"}.get(m[0], "\\" + m[0]), _plain(s))
    m = _MD_BLOCK.match(t)
    if not m:
        return t
    if m[1] and m[1][0].isdigit():  # "1. " -> "1\\. "
        return f"{m[1][:-1]}\\{t[len(m[1]) - 1:]}"
    return f"\\{t}"


BRIEF_SHARE = 0.5  # the default Markdown brief is at most this share of the length of the reports it sums up
_MORE_NOTE = 64  # room kept for the line that says how much more the full brief has


class _Md:
    """Markdown of one brief: citations link to ``#{prefix}{n}`` anchors of the source list.
    ``full``: every item of every section; else the compact brief (see :func:`to_markdown`)."""

    def __init__(self, brief: Brief, prefix: str, full: bool = True) -> None:
        self.brief, self.prefix, self.full = brief, prefix, full
        self.ids = {s.id for s in brief.sources}
        self.one_language = len({s.language for s in brief.sources}) == 1

    def cite(self, ns: Iterable[int]) -> str:
        """``[[1]](#source-1)[[3]](#source-3)``: GitHub shows "[1][3]" as links; plain text stays readable."""
        return "".join(f"[[{n}]](#{self.prefix}{n})" if n in self.ids else f"\\[{n}\\]" for n in _cited(ns))

    def line(self, text: str, ns: Iterable[int], indent: str = "") -> str:
        return f"{indent}- {text} {self.cite(ns)}".rstrip()

    def variants(self, variants: Sequence[Any]) -> list[str]:
        """Wordings beneath an item, only when there is more than one (in the full brief)."""
        if len(variants) < 2 or not self.full:
            return []
        return [self.line(f"“{md_escape(v.text)}”", v.sources, "  ") for v in variants]


# What each section holds: the brief's items in their order (most important first), and whether
# the compact brief may give an item (the others it leaves to the full brief). Markdown, the
# HTML brief and the web page all read their sections from here.

def _always(x: Any) -> bool:
    return True


def _confirmed(brief: Brief, kind: str) -> list[Claim]:
    """The claims two or more independent sources confirm, of one kind (news or background)."""
    return [c for c in brief.claims if c.independent_support >= 2 and c.kind == kind]


def _compact_quote(q: QuoteGroup) -> bool:
    """Whether the compact brief gives a quote: direct words two independent sources give."""
    return q.direct and q.independent_support >= 2


def _two_reports(x: NumberFact | EntityFact) -> bool:
    """Whether the compact brief gives a figure or a name: two reports give it."""
    return len(x.sources) >= 2


_POOLS: dict[str, tuple[Callable[[Brief], Sequence[Any]], Callable[[Any], bool]]] = {
    "Summary": (lambda b: b.summary, _always),
    "Where sources differ": (lambda b: b.disagreements, _always),
    "Key facts": (lambda b: _confirmed(b, "news"), _always),
    "Who said what": (lambda b: b.quotes, _compact_quote),
    "Background": (lambda b: _confirmed(b, "background"), _always),
    "Timeline": (lambda b: b.timeline, _always),
    "Numbers": (lambda b: b.numbers, _two_reports),
    "Names": (lambda b: b.entities, _two_reports),
    "Single-source claims": (lambda b: b.single_source, _always),
    "Sources": (lambda b: b.sources, _always),
}


def _pool(brief: Brief, title: str, full: bool) -> list[Any]:
    """A section's items: all of them, or those the compact brief may give."""
    items, compact = _POOLS[title]
    return [x for x in items(brief) if full or compact(x)]


# Each section renders one item (an item may span lines).

def _md_sentence(m: _Md, s: Statement) -> str:
    return f"{md_escape(s.text)} {m.cite(s.sources)}".rstrip()


def _md_fact(m: _Md, c: Claim) -> str:
    """One line per confirmed fact: the wordings of each source stay in the JSON and HTML forms
    (a brief says each fact once)."""
    return m.line(md_escape(c.text), c.sources) + f" — *{_support(c.independent_support, 'confirmed', len(c.sources))}*"


def _md_moment(m: _Md, t: TimelineItem) -> str:
    return m.line(f"**{md_escape(_when(t.date))}** — {md_escape(t.text)}", t.sources)


def _md_quote(m: _Md, q: QuoteGroup) -> str:
    who = f"**{md_escape(q.speaker) if q.speaker else 'Unattributed'}**"
    via = f" via {md_escape(q.channel)}" if q.channel else ""
    said = f"“{md_escape(q.text)}”" if q.direct else f"{md_escape(q.text)} *(reported speech)*"
    support = _support(q.independent_support, "reported")
    support = f" — *{support}*" if support else ""
    return "\n".join([m.line(f"{who}{via}: {said}", _quote_sources(q)) + support, *m.variants(q.variants)])


def _md_number(m: _Md, n: NumberFact) -> str:
    value, written = md_escape(_number(n)), _as_written(n)
    text = " ".join(x for x in (value, f"(“{md_escape(written)}”)" if written else "") if x)
    return m.line(f"**{md_escape(n.what)}**: {text}", n.sources)


def _md_entity(m: _Md, e: EntityFact) -> str:
    """A name; its titles in the full brief only (a title two sources give differently is a difference)."""
    aliases = [a for a in dict.fromkeys(e.aliases) if a != e.name]
    also = f" · also {', '.join(md_escape(a) for a in aliases)}" if aliases else ""
    roles = [m.line(md_escape(r.text), r.sources, "  ") for r in e.roles] if m.full else []
    return "\n".join([m.line(f"**{md_escape(e.name)}** · {md_escape(e.kind)}{also}", e.sources), *roles])


def _md_difference(m: _Md, d: Disagreement) -> str:
    kind = "changed between reports" if d.evolution else _DIFFER_KINDS.get(d.kind, d.kind)
    lines = [f"- **{md_escape(d.about)}** · *{md_escape(kind)}*"]
    for k, v in enumerate(d.variants):
        when = f" *({md_escape(_evolution(d, k))})*" if d.evolution else ""
        lines.append(m.line(md_escape(v.value) + when, v.sources, "  "))
    return "\n".join(lines)


def _md_single(m: _Md, s: SingleSource) -> str:
    copies = _copies(m.brief, s.source)
    also = f" ({_also_in(copies)} {m.cite(copies)})" if copies else ""
    return m.line(md_escape(s.text), [s.source]) + f" — *one source only*{also}"


def _md_source(m: _Md, s: Source) -> str:
    url = _web_url(s.url)
    parts = [
        " — ".join(x for x in (md_escape(s.outlet) or ("Unknown outlet" if m.full else ""),
                                md_escape(s.title) or "(untitled)") if x),
        md_escape(_published(s)),
        "" if m.one_language and not m.full else md_escape(s.language),
        f"<{url}>" if url else (f"{md_escape(s.url)} (not a web link)" if s.url else ""),
        f"*{lineage[0]}* {m.cite([lineage[1]])}" if (lineage := _lineage(s)) else "",
    ]
    return f'- <a id="{m.prefix}{s.id}"></a>**\\[{s.id}\\]** ' + " · ".join(p for p in parts if p)


# An editor's order: what happened, where the sources differ, the facts, who said what, then the
# reference sections. (title, one item, how items join, a line before the items)
_MD_SECTIONS: tuple[tuple[str, Callable[[_Md, Any], str], str, str], ...] = (
    ("Summary", _md_sentence, " ", ""),
    ("Where sources differ", _md_difference, "\n", ""),
    ("Key facts", _md_fact, "\n", ""),
    ("Who said what", _md_quote, "\n", ""),
    ("Background", _md_fact, "\n", ""),
    ("Timeline", _md_moment, "\n", ""),
    ("Numbers", _md_number, "\n", ""),
    ("Names", _md_entity, "\n", ""),
    ("Single-source claims", _md_single, "\n",
     "*Reported by one source only (its copies do not count as confirmation).*\n\n"),
    ("Sources", _md_source, "\n", ""),
)


def to_markdown(brief: Brief, *, anchor_prefix: str = "source-", full: bool = False) -> str:
    """The brief as Markdown; empty sections are left out.

    By default the brief is compact: at most half as long as the reports it sums up
    (:data:`BRIEF_SHARE`), beyond what every brief has: the headline, the lead's first
    sentence and the list of sources. Sections are filled in an editor's order (the
    summary, where sources differ, the key facts, the quotes several sources give, the
    background, the timeline, numbers and names two reports give, the single-source
    claims) while they fit, and a section that is cut says how many more items the full
    brief has. ``full=True`` gives every item: each quotation with its wordings, every
    number, name and title.

    Citations link to ``<a id="source-n">`` anchors in the source list (GitHub
    keeps such anchors). ``anchor_prefix`` keeps anchors unique when several
    briefs share one document.
    """
    head, sections, shown = _layout(_Md(brief, anchor_prefix, full))
    blocks = [head]
    for title, items, join, preface in sections:
        k, note = shown[title]
        kept = items[:k] + ([_more_note(items[:k], len(items) - k, join)] if note else [])
        if any(kept):
            blocks.append(f"## {title}\n\n{preface if k else ''}" + join.join(kept))
    return "\n\n".join(blocks) + "\n"


def _more_note(kept: list[str], more: int, join: str) -> str:
    """The line that ends a cut section (a paragraph of its own, not part of a list item)."""
    note = f"*{more} {'more ' if kept else ''}in the full brief (`--full`).*"
    if not kept:
        return note
    return f"\n{note}" if join == "\n" else f"\n\n{note}"  # joined after the last item: a blank line before it


def _layout(m: _Md) -> tuple[str, list[tuple[str, list[str], str, str]], dict[str, tuple[int, bool]]]:
    """The brief's head, its sections' items, and per section how many items are shown and
    whether a line says how many more the full brief has."""
    head = f"# {md_escape(m.brief.headline) or 'Untitled story'}\n\n{md_escape(_coverage(m.brief))}"
    sections = [(title, [render(m, x) for x in _pool(m.brief, title, m.full)], join, preface)
                for title, render, join, preface in _MD_SECTIONS]
    if m.full:
        return head, sections, {title: (len(items), False) for title, items, _, _ in sections}
    return head, sections, _within(sections, _budget(m.brief) - len(head) - 1)  # the document's final newline


def compact_counts(brief: Brief) -> dict[str, int]:
    """Per section title, how many of its items the compact brief shows (see :func:`to_markdown`;
    the HTML brief shows the same first and folds the rest)."""
    _, _, shown = _layout(_Md(brief, "source-", full=False))
    return {title: k for title, (k, _) in shown.items()}


def compact_view(brief: Brief) -> dict[str, tuple[list[Any], list[Any]]]:
    """Per section title, (the items the compact brief shows, the others in the brief's order):
    for views that show the compact brief first and fold the rest (the web page)."""
    shown = compact_counts(brief)
    out = {}
    for title in _POOLS:
        first = _pool(brief, title, False)[: shown[title]]
        out[title] = (first, [x for x in _pool(brief, title, True) if not any(x is y for y in first)])
    return out


def _budget(brief: Brief) -> float:
    """How long the compact brief may be: a share of its reports' length, when known."""
    length = sum(s.length or 0 for s in brief.sources)
    return BRIEF_SHARE * length if length else math.inf


def _within(sections: list[tuple[str, list[str], str, str]], budget: float) -> dict[str, tuple[int, bool]]:
    """How many items of each section fit the budget, and whether the line that says how many
    more the full brief has fits after them: the sources and the lead's first sentence whole,
    then each section's items in order while they fit."""
    def heading(title: str, preface: str) -> int:
        return len(f"\n\n## {title}\n\n{preface}")

    used = sum(heading(title, preface) + len(join.join(items))
               for title, items, join, preface in sections if title == "Sources" and items)
    shown = {}
    for title, items, join, preface in sections:
        if title == "Sources":
            shown[title] = (len(items), False)
            continue
        k = 0
        for item in items:  # each item costs itself and its joint, the first one the heading too
            grown = len(item) + (len(join) if k else heading(title, preface))
            if used + grown > budget - _MORE_NOTE and (k or title != "Summary"):
                break
            used += grown
            k += 1
        note = False
        if k < len(items):
            line = _more_note(items[:k], len(items) - k, join)
            grown = len(line) + (len(join) if k else heading(title, ""))
            note = used + grown <= budget
            used += grown if note else 0
        shown[title] = (k, note)
    return shown


def to_markdown_many(briefs: Sequence[Brief], *, full: bool = False) -> str:
    """Several briefs in one document, separated by a horizontal rule; anchors stay unique."""
    if len(briefs) == 1:
        return to_markdown(briefs[0], full=full)
    return "\n---\n\n".join(to_markdown(b, anchor_prefix=f"story{k}-source-", full=full)
                            for k, b in enumerate(briefs, 1))


# ---------------------------------------------------------------------------------------- HTML

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
_TITLE_MAX = 300


def _e(s: object) -> str:
    """Article-derived text, escaped for HTML text and attribute values alike."""
    return html.escape(_plain(s), quote=True)


class _Html:
    """HTML of one brief, the ``story``-th on the page: ids are ``s{story}-{n}``."""

    def __init__(self, brief: Brief, story: int) -> None:
        self.brief, self.story = brief, story
        self.by_id = {s.id: s for s in brief.sources}

    def anchor(self, n: int) -> str:
        return f"s{self.story}-{n}"

    def cite(self, ns: Iterable[int], spans: Iterable[Span] = ()) -> str:
        """``[n]`` links; hovering shows the source's own sentence when the item has a span."""
        said = {}
        for n, start, end in spans:
            said.setdefault(n, self.brief.texts.get(n, "")[start:end])
        links = [self._cite_one(n, said.get(n)) for n in _cited(ns)]
        return f'<span class="cites">{"".join(links)}</span>' if links else ""  # glued to the word it cites

    def _cite_one(self, n: int, sentence: str | None) -> str:
        src = self.by_id.get(n)
        if src is None:
            return f'<span class="cite missing">[{n}]</span>'
        hint = _plain(sentence) or _plain(src.title)
        hint = f"{_plain(src.outlet) or 'Source ' + str(n)}: {hint}" if hint else _plain(src.outlet)
        if len(hint) > _TITLE_MAX:
            hint = hint[: _TITLE_MAX - 1] + "…"
        return f'<a href="#{self.anchor(n)}" class="cite" title="{_e(hint)}">[{n}]</a>'

    def variants(self, variants: Sequence[Any]) -> str:
        if len(variants) < 2:
            return ""
        items = "".join(f"<li>“{_e(v.text)}”{self.cite(v.sources, v.spans)}</li>" for v in variants)
        return f'<ul class="variants" aria-label="wordings">{items}</ul>'

    @staticmethod
    def folded(label: str, body: str) -> str:
        """``body`` folded beneath ``label`` (our own words), or nothing when there is no body."""
        return f'<details class="more"><summary>{label}</summary>{body}</details>' if body else ""


def _tag(html_text: str, cls: str = "") -> str:
    """A small pill label; ``html_text`` is already escaped (or our own words)."""
    return f'<span class="{" ".join(("tag", cls)).strip()}">{html_text}</span>'


# Each section renders one item; the compact view (:func:`compact_view`) says which come first.

def _html_sentence(h: _Html, s: Statement) -> str:
    return f"<span>{_e(s.text)}</span>{h.cite(s.sources, s.spans)}"


def _html_fact(h: _Html, c: Claim) -> str:
    return (f"<li>{_e(c.text)}{h.cite(c.sources, c.spans)} "
            f"{_tag(_support(c.independent_support, 'confirmed', len(c.sources)), 'ok')}"
            f"{h.folded('How each source says it', h.variants(c.variants))}</li>")


def _html_moment(h: _Html, t: TimelineItem) -> str:
    iso = f' datetime="{_e(t.date)}"' if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t.date or "") else ""
    return f"<li><time{iso}>{_e(_when(t.date))}</time><span>{_e(t.text)}{h.cite(t.sources, t.spans)}</span></li>"


def _html_quote(h: _Html, q: QuoteGroup) -> str:
    who = f"<strong>{_e(q.speaker)}</strong>" if q.speaker else "<strong>Unattributed</strong>"
    via = f' <span class="via">via {_e(q.channel)}</span>' if q.channel else ""
    support = _support(q.independent_support, "reported")
    support = f" {_tag(support, 'ok')}" if support else ""
    kind = "" if q.direct else f" {_tag('reported speech')}"
    said = f"“{_e(q.text)}”" if q.direct else _e(q.text)
    spans = [sp for v in q.variants for sp in v.spans]
    return (
        f'<div class="quote"><p class="who">{who}{via}{kind}{support}</p>'
        f"<blockquote>{said}{h.cite(_quote_sources(q), spans)}</blockquote>"
        f"{h.folded('Each wording', h.variants(q.variants))}</div>"
    )


def _html_number(h: _Html, n: NumberFact) -> str:
    return (f'<tr><td>{_e(n.what)}</td><td class="value">{_e(_number(n))}</td>'
            f'<td class="written">{_e(_as_written(n))}</td><td>{h.cite(n.sources)}</td></tr>')


def _html_number_table(h: _Html, rows: list[str]) -> str:
    head = "<thead><tr><th>What</th><th>Value</th><th>As written</th><th>Sources</th></tr></thead>"
    return f'<table class="numbers">{head}<tbody>{"".join(rows)}</tbody></table>'


def _html_entity(h: _Html, e: EntityFact) -> str:
    aliases = [a for a in dict.fromkeys(e.aliases) if a != e.name]
    also = f' <span class="also">also {_e(", ".join(aliases))}</span>' if aliases else ""
    roles = "".join(f"<li>{_e(r.text)}{h.cite(r.sources, r.spans)}</li>" for r in e.roles)
    roles = f'<ul class="variants" aria-label="roles">{roles}</ul>' if roles else ""
    return f"<li><strong>{_e(e.name)}</strong> {_tag(_e(e.kind))}{also}{h.cite(e.sources)}{roles}</li>"


def _html_difference(h: _Html, d: Disagreement) -> str:
    values = "".join(f"<li>{_e(v.value)}{h.cite(v.sources, v.spans)}"
                     f"{f' {_tag(_e(_evolution(d, k)))}' if d.evolution else ''}</li>"
                     for k, v in enumerate(d.variants))
    kind = "changed between reports" if d.evolution else _DIFFER_KINDS.get(d.kind, d.kind)
    return (f'<div class="differ"><p class="label">Sources differ · {_e(kind)}</p>'
            f'<p class="about">{_e(d.about)}</p><ul>{values}</ul></div>')


def _html_single(h: _Html, s: SingleSource) -> str:
    copies = _copies(h.brief, s.source)
    also = f' <span class="also">{_also_in(copies)} {h.cite(copies)}</span>' if copies else ""
    return f'<li><span class="label">One source only</span> {_e(s.text)}{h.cite([s.source], s.spans)}{also}</li>'


def _html_source(h: _Html, s: Source) -> str:
    url = _web_url(s.url)
    if url:
        link = f'<a class="url" href="{_e(url)}" rel="noopener noreferrer nofollow">{_e(s.url)}</a>'
    else:
        link = f'<span class="url unsafe">{_e(s.url)}</span> (not a web link)' if s.url else ""
    meta = " · ".join(x for x in (_e(_published(s)), _e(s.language), link) if x)
    lineage = _lineage(s)
    copy = f" {_tag(f'{lineage[0]} {h.cite([lineage[1]])}', 'copy')}" if lineage else ""
    return (
        f'<li id="{h.anchor(s.id)}" class="source{" copy" if lineage else ""}">'
        f'<span class="n">[{s.id}]</span> <span class="outlet">{_e(s.outlet) or "Unknown outlet"}</span> — '
        f'<span class="title">{_e(s.title) or "(untitled)"}</span>{copy}<span class="meta">{meta}</span></li>'
    )


def _wrap(tag: str | None = None, cls: str = "", before: str = "", sep: str = "") -> Callable[[_Html, list[str]], str]:
    """The container of a run of a section's items (none: the items one after the other)."""
    def wrap(h: _Html, items: list[str]) -> str:
        body = sep.join(items)
        return f'{before}<{tag} class="{cls}">{body}</{tag}>' if tag else before + body

    return wrap


_SINGLE_NOTE = '<p class="note">Reported by one source only; its copies do not count as confirmation.</p>'

# The Markdown brief's sections, in its order: (title, class, one item, container of a run of items)
_HTML_SECTIONS: tuple[tuple[str, str, Callable[[_Html, Any], str], Callable[[_Html, list[str]], str]], ...] = (
    ("Summary", "summary", _html_sentence, _wrap("p", "lede", sep=" ")),
    ("Where sources differ", "differences", _html_difference, _wrap()),
    ("Key facts", "key-facts", _html_fact, _wrap("ul", "facts")),
    ("Who said what", "quotes", _html_quote, _wrap()),
    ("Background", "background", _html_fact, _wrap("ul", "facts")),
    ("Timeline", "timeline", _html_moment, _wrap("ol", "timeline")),
    ("Numbers", "numbers", _html_number, _html_number_table),
    ("Names", "entities", _html_entity, _wrap("ul", "entities")),
    ("Single-source claims", "single-source", _html_single, _wrap("ul", "single", _SINGLE_NOTE)),
    ("Sources", "sources", _html_source, _wrap("ol", "sources")),
)


def _html_story(brief: Brief, story: int) -> str:
    """One story: each section shows what the compact Markdown brief shows, and folds the rest."""
    h = _Html(brief, story)
    view = compact_view(brief)
    sections = []
    for title, cls, render, wrap in _HTML_SECTIONS:
        first, rest = view[title]
        body = (wrap(h, [render(h, x) for x in first]) if first else "") + \
            h.folded(f"{len(rest)} more", wrap(h, [render(h, x) for x in rest]) if rest else "")
        if body:
            sections.append(f'<section class="{cls}"><h2>{title}</h2>{body}</section>')
    return (
        f'<article class="story" id="story-{story}"><header><h1>{_e(brief.headline) or "Untitled story"}</h1>'
        f'<p class="coverage">{_e(_coverage(brief))}</p></header>\n' + "\n".join(sections) + "</article>"
    )


_STYLE = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --soft: #f6f8fa;
  --link: #0969da; --ok: #1a7f37; --differ: #bc4c00; --differ-bg: #fff4eb; --single: #8250df;
  --single-bg: #f8f2ff; --target: #fff8c5; color-scheme: light dark; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --bg: #0d1117; --soft: #151b23;
    --link: #4493f8; --ok: #3fb950; --differ: #f0883e; --differ-bg: #2a1d12; --single: #ab7df8;
    --single-bg: #1f1730; --target: #3a3115; } }
* { box-sizing: border-box; }
main { overflow-wrap: anywhere; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; }
main, footer { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem; }
footer { padding-top: 0; color: var(--muted); font-size: .85rem; }
a { color: var(--link); }
h1 { font-size: 1.8rem; line-height: 1.25; margin: 0 0 .4rem; }
h2 { font-size: .85rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
  border-bottom: 1px solid var(--line); padding-bottom: .3rem; margin: 2.2rem 0 .8rem; }
.coverage { color: var(--muted); margin: 0; }
.lede { font-size: 1.08rem; }
ul, ol { padding-left: 1.2rem; }
li { margin: .4rem 0; }
a.cite { color: var(--muted); text-decoration: none; font-size: .75em; vertical-align: super;
  line-height: 0; padding: 0 .05em; white-space: nowrap; }
.cites { white-space: nowrap; margin-left: .12em; }
a.cite:hover, a.cite:focus { color: var(--link); text-decoration: underline; }
.cite.missing { color: var(--muted); font-size: .75em; vertical-align: super; line-height: 0; }
.tag { display: inline-block; font-size: .72rem; line-height: 1.5; padding: 0 .5rem; margin-left: .15rem;
  border: 1px solid var(--line); border-radius: 999px; color: var(--muted); white-space: nowrap; vertical-align: .1em; }
.tag.ok { color: var(--ok); border-color: currentColor; }
.variants { list-style: none; margin: .25rem 0 .5rem; padding-left: .8rem; border-left: 2px solid var(--line);
  color: var(--muted); font-size: .92rem; }
.variants li { margin: .15rem 0; }
.timeline { list-style: none; padding: 0; }
.timeline li { display: grid; grid-template-columns: 11rem 1fr; gap: 1rem; }
.timeline time { color: var(--muted); font-variant-numeric: tabular-nums; }
@media (max-width: 36rem) { .timeline li { grid-template-columns: 1fr; gap: 0; } }
.quote { margin: 0 0 1.1rem; }
.quote .who { margin: 0; }
.via, .also { color: var(--muted); font-size: .92rem; }
blockquote { margin: .2rem 0; padding: .1rem 0 .1rem .9rem; border-left: 3px solid var(--line); font-style: italic; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th { white-space: nowrap; font-size: .75rem; text-transform: uppercase; letter-spacing: .04em;
  color: var(--muted); font-weight: 600; }
th, td { text-align: left; padding: .35rem .8rem .35rem 0; border-bottom: 1px solid var(--line); vertical-align: top; }
td.value { font-variant-numeric: tabular-nums; font-weight: 600; }
td:last-child { white-space: nowrap; padding-right: 0; }
td.written { color: var(--muted); font-style: italic; }
.label { display: block; font-size: .7rem; font-weight: 700; text-transform: uppercase; letter-spacing: .06em;
  margin: 0; }
.differ { border-left: 4px solid var(--differ); background: var(--differ-bg); padding: .55rem .9rem .3rem;
  margin: .8rem 0; border-radius: 0 6px 6px 0; }
.differ .label { color: var(--differ); }
.differ .about { margin: .1rem 0 0; font-weight: 600; }
.differ ul { margin: .2rem 0; }
.note { color: var(--muted); font-size: .9rem; margin: 0 0 .5rem; }
details.more > summary { color: var(--link); cursor: pointer; font-size: .9rem; margin: .3rem 0; }
li details.more > summary { color: var(--muted); font-size: .8rem; }
.single { list-style: none; padding: 0; }
.single li { border-left: 4px solid var(--single); background: var(--single-bg); padding: .45rem .9rem;
  border-radius: 0 6px 6px 0; }
.single .label { color: var(--single); }
.sources { list-style: none; padding: 0; }
.source { padding: .3rem .5rem; margin: .2rem 0; border-radius: 6px; scroll-margin-top: 1rem; }
.source .n { font-weight: 700; color: var(--muted); font-variant-numeric: tabular-nums; margin-right: .2rem; }
.source .outlet { font-weight: 600; }
.source .meta { display: block; color: var(--muted); font-size: .85rem; }
.source.copy { margin-left: 1.8rem; border-left: 2px dashed var(--line); border-radius: 0 6px 6px 0; }
.tag.copy a.cite { vertical-align: baseline; font-size: 1em; }
.url { word-break: break-all; }
.url.unsafe { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .8rem; }
:target { background: var(--target); }
.story + .story { border-top: 3px double var(--line); margin-top: 3rem; padding-top: 2rem; }
nav.toc { border: 1px solid var(--line); background: var(--soft); border-radius: 6px; padding: .6rem 1rem;
  margin-bottom: 2rem; }
nav.toc ol { margin: .2rem 0; }
"""

_PAGE = Template("""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="$csp">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>$title</title>
<style>$style</style>
</head>
<body>
<main>
$toc$stories
</main>
<footer>Made by newsfuse. [n] cites source n in the story's source list. A copy of another
report is marked "copy of [k]" and does not count as independent confirmation.</footer>
</body>
</html>
""")


def to_html(briefs: Sequence[Brief]) -> str:
    """One self-contained HTML5 page for all the briefs: inline CSS, no script, nothing to fetch."""
    stories = "\n".join(_html_story(b, k) for k, b in enumerate(briefs, 1)) or "<p>No stories.</p>"
    title = _e(briefs[0].headline) if len(briefs) == 1 else f"{len(briefs)} stories"
    return _PAGE.substitute(csp=_CSP, title=title or "Story brief", style=_STYLE, toc=_toc(briefs), stories=stories)


def _toc(briefs: Sequence[Brief]) -> str:
    """A table of contents when the page holds several stories."""
    if len(briefs) < 2:
        return ""
    items = "".join(
        f'<li><a href="#story-{k}">{_e(b.headline) or "Untitled story"}</a> '
        f'<span class="via">{_e(_coverage(b))}</span></li>'
        for k, b in enumerate(briefs, 1)
    )
    return f'<nav class="toc"><strong>{len(briefs)} stories</strong><ol>{items}</ol></nav>\n'
