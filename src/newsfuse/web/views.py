"""What the web pages show, worked out from a brief: citations, the claims × sources
matrix, the source tree, highlighted source text, search snippets.

Plain data for the templates: no markup is built here (the templates escape
everything they print), so nothing in this module can let article text out as HTML.

The claims × sources matrix
---------------------------
One row per claim (and one per single-source claim, at the bottom), one column
per source (each original followed by its copies). A cell says what that
source does with that claim:

- **supports**: the source is among the claim's ``sources``;
- **differs**: the source gives another value for a fact the claim states. A
  ``disagreements`` entry is *about* a claim when one of its variants' spans
  lies inside one of the claim's sentences (same source, offsets within the
  sentence's span); entries without spans (a person's title, who said a
  quote) are about the claim when one of the claim's wordings names their
  subject and gives one of their values (a title within 40 characters of the
  person's surname; a speaker anywhere in a wording with the quoted words).
  The claim then *carries* the entry's variant most of its own sources give
  (ties: the one more sources give, then the one in its canonical sentence),
  so the minority shows as the outlier; every source of another
  variant of that entry, and not of the carried one, differs, whether or not
  it was aligned to the claim;
- **silent**: otherwise.

Differs wins over supports: a source that tells the same event with another
number supports the gist and differs on the detail, and the detail is what a
reader must see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from ..brief.model import Brief, Claim, Disagreement, SingleSource, Source, Span

SUPPORTS, DIFFERS, SILENT = "supports", "differs", "silent"
HINT_MAX = 240
KIND_LABELS = {"number": "number", "time": "time", "date": "date", "title": "title or role",
               "speaker": "who said it", "quote": "wording of a quote"}


# ----------------------------------------------------------------------------- citations


@dataclass(slots=True, frozen=True)
class Cite:
    """A ``[n]`` marker: where the cited sentence is in source ``n`` (for the viewer)."""

    n: int
    href: str  # the source page with the sentence marked: works without script
    spans: str  # "start-end start-end": read by app.js to mark the sentence in place
    hint: str  # tooltip
    missing: bool = False


class Citer:
    """Makes the citation markers of one brief (the templates call it)."""

    def __init__(self, brief: Brief, prefix: str = "") -> None:
        self.brief = brief
        self.by_id = {s.id: s for s in brief.sources}
        self.base = f"{prefix}/stories/{brief.story_id}/sources/"

    def __call__(self, ns: Iterable[int], spans: Iterable[Span] = ()) -> list[Cite]:
        where: dict[int, list[tuple[int, int]]] = {}
        for n, start, end in spans:
            where.setdefault(n, []).append((start, end))
        return [self.one(n, where.get(n, [])) for n in sorted(set(ns))]

    def one(self, n: int, ranges: Sequence[tuple[int, int]]) -> Cite:
        src = self.by_id.get(n)
        if src is None:
            return Cite(n, "", "", f"source {n} is not in this brief", missing=True)
        text = self.brief.texts.get(n, "")
        said = " ".join(text[s:e] for s, e in ranges[:1]).split()
        hint = f"{label(src)}: {' '.join(said) or plain(src.title)}".rstrip(": ")
        if len(hint) > HINT_MAX:
            hint = hint[: HINT_MAX - 1] + "…"
        marks = " ".join(f"{s}-{e}" for s, e in ranges)
        return Cite(n, self.href(n, marks), marks, hint)

    def href(self, n: int, marks: str = "") -> str:
        return self.base + str(n) + (("?" + urlencode({"hl": marks}) + "#hl") if marks else "")


def label(src: Source) -> str:
    """What a source is called: its outlet, else its title's start, else 'Source n'."""
    return plain(src.outlet) or f"Source {src.id}"


def plain(s: object) -> str:
    return " ".join(str(s).split()) if s else ""


# ------------------------------------------------------------------------------- sources


@dataclass(slots=True)
class SourceNode:
    """An original report and the copies of it (syndicated, near-verbatim)."""

    source: Source
    copies: list[Source] = field(default_factory=list)


def source_tree(brief: Brief) -> list[SourceNode]:
    """Originals in order, each with its copies under it (a copy of a copy goes under the root)."""
    by_id = {s.id: s for s in brief.sources}

    def root(s: Source) -> Source:
        seen = {s.id}
        while s.copy_of is not None and s.copy_of in by_id and s.copy_of not in seen:
            s = by_id[s.copy_of]
            seen.add(s.id)
        return s

    nodes: dict[int, SourceNode] = {}
    for s in brief.sources:
        r = root(s)
        node = nodes.setdefault(r.id, SourceNode(r))
        if r is not s:
            node.copies.append(s)
    return sorted(nodes.values(), key=lambda node: node.source.id)


def column_order(brief: Brief) -> list[Source]:
    """Matrix columns: each original followed by its copies, so copies sit beside what they copy."""
    return [s for node in source_tree(brief) for s in (node.source, *node.copies)]


def languages(brief: Brief) -> list[str]:
    return sorted({s.language for s in brief.sources if s.language})


# -------------------------------------------------------------------------------- matrix


@dataclass(slots=True)
class Cell:
    state: str  # supports, differs or silent
    href: str
    spans: str
    note: str


@dataclass(slots=True)
class Row:
    text: str
    kind: str  # claim or single
    support: int  # independent sources
    sources: list[int]
    spans: list[Span]
    cells: list[Cell]
    differences: list[str]  # "number of passengers: 214 [5] (this claim: 212)"

    @property
    def differs(self) -> bool:
        return bool(self.differences)


@dataclass(slots=True)
class Matrix:
    columns: list[Source]
    rows: list[Row]
    supports: list[int]  # per column
    differs: list[int]


@dataclass(slots=True)
class _Item:
    """A claim or a single-source claim, as the matrix rule sees it."""

    text: str
    sources: list[int]
    spans: list[Span]
    own_spans: list[Span]  # the spans of the canonical sentence
    wordings: list[str]


def matrix(brief: Brief, citer: Citer) -> Matrix:
    """The claims × sources matrix (the rule is in the module docstring)."""
    columns = column_order(brief)
    copies = {s.id: [c.id for c in brief.sources if c.copy_of == s.id] for s in brief.sources}
    items = [(_claim_item(c), "claim", c.independent_support) for c in brief.claims]
    items += [(_single_item(s, copies.get(s.source, [])), "single", 1) for s in brief.single_source]
    rows = [_row(item, kind, support, brief.disagreements, columns, citer) for item, kind, support in items]
    supports = [sum(r.cells[i].state == SUPPORTS for r in rows) for i in range(len(columns))]
    differs = [sum(r.cells[i].state == DIFFERS for r in rows) for i in range(len(columns))]
    return Matrix(columns, rows, supports, differs)


def _claim_item(c: Claim) -> _Item:
    own = next((v.spans for v in c.variants if v.text == c.text), None)
    if own is None:
        best = max(c.variants, key=lambda v: len(v.sources), default=None)
        own = best.spans if best else c.spans
    return _Item(c.text, list(c.sources), list(c.spans), list(own), [c.text, *(v.text for v in c.variants)])


def _single_item(s: SingleSource, copies: list[int]) -> _Item:
    return _Item(s.text, [s.source, *copies], list(s.spans), list(s.spans), [s.text])


def _row(item: _Item, kind: str, support: int, disagreements: Sequence[Disagreement], columns: Sequence[Source],
         citer: Citer) -> Row:
    differ: dict[int, list[tuple[str, list[Span]]]] = {}
    differences = []
    for d in disagreements:
        own = carried_variant(d, item)
        if own is None:
            continue
        mine = d.variants[own]
        others = [v for i, v in enumerate(d.variants) if i != own]
        for v in others:
            for n in v.sources:
                if n not in mine.sources:
                    differ.setdefault(n, []).append((f"{v.value} (this claim: {mine.value})",
                                                     [sp for sp in v.spans if sp[0] == n]))
        what = KIND_LABELS.get(d.kind, d.kind)
        differences.append(f"{what}: " + "; ".join(f"{v.value} {_refs(v.sources)}" for v in others)
                           + f" (this claim: {mine.value} {_refs(mine.sources)})")
    cells = []
    for src in columns:
        n = src.id
        if n in differ:
            notes, spans = [x for x, _ in differ[n]], [sp for _, s in differ[n] for sp in s]
            spans = spans or [sp for sp in item.spans if sp[0] == n]
            cite = citer.one(n, [(s, e) for _, s, e in spans])
            cells.append(Cell(DIFFERS, cite.href, cite.spans, f"[{n}] {label(src)} differs: " + "; ".join(notes)))
        elif n in item.sources:
            cite = citer.one(n, [(s, e) for m, s, e in item.spans if m == n])
            cells.append(Cell(SUPPORTS, cite.href, cite.spans, f"[{n}] {label(src)} supports this"))
        else:
            cells.append(Cell(SILENT, "", "", f"[{n}] {label(src)} does not say this"))
    return Row(item.text, kind, support, item.sources, item.spans, cells, differences)


def _refs(ns: Iterable[int]) -> str:
    return "".join(f"[{n}]" for n in sorted(set(ns)))


def carried_variant(d: Disagreement, item: _Item) -> int | None:
    """The index of the variant of ``d`` that ``item`` carries, or None if ``d`` is not about it."""
    if any(v.spans for v in d.variants):
        found = [i for i, v in enumerate(d.variants) if any(_inside(sp, item.spans) for sp in v.spans)]
    else:
        subject = _subject(d)
        found = [i for i, v in enumerate(d.variants)
                 if subject and any(_near(w.casefold(), subject, v.value.casefold(), d.kind) for w in item.wordings)]
    if not found:
        return None
    mine = set(item.sources)

    def weight(i: int) -> tuple[int, int, bool]:
        v = d.variants[i]
        own = any(_inside(sp, item.own_spans) for sp in v.spans) or _has(item.text.casefold(), v.value.casefold())
        return len(mine & set(v.sources)), len(v.sources), own

    return max(range(len(d.variants)), key=lambda i: (weight(i), -i))


def _inside(span: Sequence[int], spans: Iterable[Sequence[int]]) -> bool:
    n, start, end = span
    return any(m == n and s <= start and end <= e for m, s, e in spans)


_QUOTED = re.compile(r"[“\"«„‘']([^”\"»“’']+)[”\"»“’']")


def _subject(d: Disagreement) -> str | None:
    """What an unlocated disagreement is about, as words a claim must contain: a person's
    surname ("Tomas Reyland's title"), or the quoted words ("who said “satisfied”")."""
    if d.kind == "title":
        person = re.sub(r"['’]s?\s+title\s*$", "", d.about.strip(), flags=re.IGNORECASE).split()
        return person[-1].casefold() if person else None
    if d.kind == "speaker":
        m = _QUOTED.search(d.about)
        return m[1].strip().casefold() if m else None
    return None


NEAR = 40  # characters between a title and the surname it belongs to ("Transport Minister Tomas Reyland")


def _near(wording: str, subject: str, value: str, kind: str) -> bool:
    """Whether one wording names the subject and gives the value (a title: next to the name)."""
    names = [(m.start(), m.end()) for m in _find(wording, subject)]
    values = [(m.start(), m.end()) for m in _find(wording, value)]
    if not names or not values:
        return False
    if kind != "title":
        return True
    # the title before the name ("Transport Minister Tomas Reyland"), or after it ("Reyland, the minister")
    return any(0 <= ns - ve <= NEAR or 0 <= vs - ne <= NEAR for ns, ne in names for vs, ve in values)


def _find(text: str, phrase: str) -> list[re.Match[str]]:
    phrase = phrase.strip()
    return list(re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text)) if phrase else []


def _has(text: str, phrase: str) -> bool:
    phrase = phrase.strip()
    return bool(phrase) and re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text) is not None


# ------------------------------------------------------------------------ marked text


_RANGE = re.compile(r"(\d{1,9})-(\d{1,9})")
MAX_MARKS = 64


def parse_marks(value: str | None) -> list[tuple[int, int]]:
    """``"12-80 100-140"`` (or comma-separated) as ranges; anything else is ignored."""
    out = [(int(a), int(b)) for a, b in _RANGE.findall(value or "")[:MAX_MARKS]]
    return [(a, b) for a, b in out if a < b]


def marked(text: str, ranges: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_marked) pieces: ranges clamped to the text and merged."""
    spans: list[list[int]] = []
    for a, b in sorted((max(0, a), min(len(text), b)) for a, b in ranges):
        if a >= b:
            continue
        if spans and a <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    out, at = [], 0
    for a, b in spans:
        if a > at:
            out.append((text[at:a], False))
        out.append((text[a:b], True))
        at = b
    if at < len(text):
        out.append((text[at:], False))
    return out


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet (matches between ``[`` and ``]``, as ``Store.search`` marks them)
    in (piece, is_match) pieces. An unmatched bracket is kept as text."""
    out: list[tuple[str, bool]] = []
    rest = snippet
    while rest:
        start = rest.find("[")
        end = rest.find("]", start + 1) if start >= 0 else -1
        if start < 0 or end < 0:
            out.append((rest, False))
            break
        if start:
            out.append((rest[:start], False))
        out.append((rest[start + 1 : end], True))
        rest = rest[end + 1 :]
    return [(t, m) for t, m in out if t]
