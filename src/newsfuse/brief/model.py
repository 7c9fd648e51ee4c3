"""The brief of a story: what it says, every statement with the sources behind it.

The JSON form (:meth:`Brief.to_dict`) is a contract (PRODUCT.md): the field
names and their shapes do not change. Markdown and HTML render the same
content. Sources are cited by their short number ``n`` (1, 2, ...: ``[1]``
in Markdown), which indexes :attr:`Brief.sources`.

Where an item quotes a source's text, ``spans`` gives where: ``(n, start,
end)`` character offsets into that source's cleaned text, so a reader (or
the web view) can show the sentence in place.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

Span = tuple[int, int, int]  # (source number, start, end) in the source's cleaned text


@dataclass(slots=True)
class Source:
    """One report of the story. ``copy_of``: the number of the source it copies.
    ``counted_with``: the number of an earlier report it counts as one source with, and
    ``relation`` why (copy, version: the same report rewritten or updated, translation, outlet:
    the same outlet or organisation); both None for a report that counts on its own."""

    id: int
    article_id: str
    outlet: str | None
    url: str | None
    title: str | None
    published: str | None  # ISO 8601, as given or estimated
    language: str | None
    copy_of: int | None = None
    published_via: str | None = None  # field, html, date-line, estimated-from-story, ...
    counted_with: int | None = None
    relation: str | None = None
    length: int | None = None  # characters of its title and text: what a brief is measured against


@dataclass(slots=True)
class Variant:
    """One wording or value and the sources that carry it."""

    text: str
    sources: list[int]
    spans: list[Span] = field(default_factory=list)


Statement = Variant  # a summary sentence: a source's sentence, with every source that states the same


@dataclass(slots=True)
class Claim:
    """One thing the story's sources state, aligned across their wordings.

    ``text`` is the canonical wording (the clearest variant of the best
    supported); ``independent_support`` counts distinct original sources: an
    article and its copies count once.
    """

    text: str
    sources: list[int]
    independent_support: int
    variants: list[Variant] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    confidence: float = 1.0  # the least probability, among its sources, that a source states the fact
    kind: str = "news"  # news (what happened, its details, what was said of it) or background (earlier events)


@dataclass(slots=True)
class QuoteGroup:
    """One statement of one speaker, merged across sources and translations."""

    speaker: str | None
    text: str
    variants: list[Variant]
    channel: str | None = None  # who relayed it ("aide Yuri Ushakov")
    direct: bool = True
    independent_support: int = 1


@dataclass(slots=True)
class TimelineItem:
    date: str  # ISO day; an interval is "first/last"
    text: str
    sources: list[int]
    spans: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class NumberFact:
    """A number the story reports: ``what`` it counts or measures, its value and unit."""

    what: str
    value: float | None
    unit: str | None
    sources: list[int]
    text: str = ""  # as written by the best supported source ("about fifty minutes")
    low: float | None = None
    high: float | None = None


@dataclass(slots=True)
class EntityFact:
    name: str
    kind: str  # person, organisation, place, group, facility, event
    aliases: list[str]
    sources: list[int]
    roles: list[Variant] = field(default_factory=list)  # titles and roles, with who gives them


@dataclass(slots=True)
class ValueVariant:
    value: str
    sources: list[int]
    spans: list[Span] = field(default_factory=list)
    published: str | None = None  # for an evolution: when the latest report giving this value was published


@dataclass(slots=True)
class Disagreement:
    """Where sources differ. ``kind``: number, time, date, title (a person's
    title or role), speaker (who said it), quote (the wording of one quote),
    fact (one source states what another negates). ``evolution``: a figure
    that changed between reports of different times (variants latest first)."""

    about: str
    kind: str
    variants: list[ValueVariant]
    evolution: bool = False


@dataclass(slots=True)
class SingleSource:
    """A statement only one original source (with its copies) makes."""

    text: str
    source: int
    spans: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Brief:
    story_id: str
    headline: str
    first_seen: str | None
    last_seen: str | None
    summary: list[Statement] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    quotes: list[QuoteGroup] = field(default_factory=list)
    timeline: list[TimelineItem] = field(default_factory=list)
    numbers: list[NumberFact] = field(default_factory=list)
    entities: list[EntityFact] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    single_source: list[SingleSource] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    texts: dict[int, str] = field(default_factory=dict)  # source number -> cleaned text (for spans; not in JSON)

    @property
    def independent_sources(self) -> int:
        """Sources that count on their own: copies, versions, translations and other reports of one
        outlet count once with the report they go with."""
        return sum(1 for s in self.sources if s.copy_of is None and s.counted_with is None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of PRODUCT.md (``texts`` left out: spans point into the sources' texts)."""
        d = asdict(self)
        d.pop("texts")
        return _lists(d)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Brief:
        """A brief from its JSON form (as :meth:`to_dict` wrote it)."""
        def spans(x: dict[str, Any]) -> dict[str, Any]:
            return {**x, "spans": [tuple(s) for s in x.get("spans", [])]} if "spans" in x else x

        def variants(items: list[dict[str, Any]], kind: type = Variant) -> list[Any]:
            return [kind(**spans(v)) for v in items]

        return cls(
            story_id=d["story_id"], headline=d["headline"], first_seen=d.get("first_seen"), last_seen=d.get("last_seen"),
            summary=[Statement(**spans(x)) for x in d.get("summary", [])],
            claims=[Claim(**{**spans(x), "variants": variants(x.get("variants", []))}) for x in d.get("claims", [])],
            quotes=[QuoteGroup(**{**x, "variants": variants(x.get("variants", []))}) for x in d.get("quotes", [])],
            timeline=[TimelineItem(**spans(x)) for x in d.get("timeline", [])],
            numbers=[NumberFact(**x) for x in d.get("numbers", [])],
            entities=[EntityFact(**{**x, "roles": variants(x.get("roles", []))}) for x in d.get("entities", [])],
            disagreements=[Disagreement(x["about"], x["kind"], variants(x["variants"], ValueVariant),
                                        x.get("evolution", False)) for x in d.get("disagreements", [])],
            single_source=[SingleSource(**spans(x)) for x in d.get("single_source", [])],
            sources=[Source(**x) for x in d.get("sources", [])],
        )


def _lists(x: Any) -> Any:
    """Tuples (spans) as JSON arrays."""
    if isinstance(x, dict):
        return {k: _lists(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_lists(v) for v in x]
    return x
