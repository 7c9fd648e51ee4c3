"""What the analysis stage knows about an article and a story.

Every extracted piece carries ``start``/``end`` character offsets into the
article's cleaned text (``Article.text``), so later stages can cite it and
tests can check that ``text[start:end] == piece.text``.

The JSON field names (``to_dict``) are a contract: other tools read them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .clauses import Clause


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Mention:
    """One mention of a person, organisation or place in one article.

    ``entity`` is the id of the canonical entity it belongs to (filled by the
    story-level alias resolution; per article it is the mention's own key).
    ``role`` is a title or role stated next to it ("Russian President").
    """

    start: int
    end: int
    text: str
    label: str  # PERSON, ORG, GPE, LOC, NORP, FAC, EVENT
    entity: str = ""
    role: str | None = None


@dataclass(slots=True)
class Entity:
    """One real-world entity across a story's sources."""

    id: str
    name: str  # the canonical (most complete, most frequent) form
    label: str
    aliases: list[str] = field(default_factory=list)  # every surface form seen
    roles: dict[str, list[str]] = field(default_factory=dict)  # article id -> roles as that source states them
    articles: list[str] = field(default_factory=list)  # ids of the articles that mention it
    mentions: int = 0


@dataclass(slots=True)
class TimeExpression:
    """A date or time expression resolved to an absolute day or interval.

    ``value`` is the first day, ``last`` the last day of an interval (equal to
    ``value`` for a single day). ``time`` is a clock time when stated
    ("15:35"), ``timezone`` its zone when stated ("GMT"). ``grain``: day,
    week, month, year. ``confidence`` in [0, 1]: absolute dates with a year
    are near 1; relative ones inherit the confidence of the base date.
    """

    start: int
    end: int
    text: str
    value: date | None
    last: date | None = None
    grain: str = "day"
    time: str | None = None
    timezone: str | None = None
    relative: bool = False
    confidence: float = 0.0


@dataclass(slots=True)
class Quantity:
    """A number with what it counts. ``value`` is normalised (``low``/``high`` for
    ranges and bounds: "up to 100,000" has high=100000, low=None); ``approx``
    for "nearly an hour", "about 50"; ``unit`` is a normalised unit (minute,
    percent, usd, km) or None; ``counts`` the head noun counted ("troops")."""

    start: int
    end: int
    text: str
    value: float
    low: float | None = None
    high: float | None = None
    approx: bool = False
    unit: str | None = None
    counts: str | None = None
    qualifier: str | None = None  # "up to", "more than", "at least", "nearly", ...
    verb: str | None = None  # the verb it is an argument of, lower case ("injured" in "injured almost 50")


@dataclass(slots=True)
class Quote:
    """A direct quote or an indirect (reported) statement with its attribution.

    ``start``/``end`` span the quoted content (without the quotation marks
    for direct quotes); ``speaker`` is the name as resolved (a pronoun is
    replaced by the last named person in reach), ``speaker_start``/``speaker_end``
    the span of the speaker mention in the text when there is one; ``cue`` the
    attributing verb or phrase; ``channel`` who relayed it when stated
    ("according to aide Yuri Ushakov"). A quote split by its attribution is one
    quote: ``parts`` lists the spans of its pieces.
    """

    start: int
    end: int
    text: str
    speaker: str | None
    cue: str | None
    direct: bool
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    channel: str | None = None
    parts: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class ArticleAnalysis:
    """Everything the analysis extracted from one article."""

    id: str
    path: str
    text: str
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Mention] = field(default_factory=list)
    dates: list[TimeExpression] = field(default_factory=list)
    numbers: list[Quantity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)  # the clauses of every sentence (see .clauses)
    base_date: date | None = None  # what relative dates were resolved against
    base_date_via: str | None = None  # published, estimated-from-story, estimated-from-text, none
    base_date_confidence: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(slots=True)
class TimelineEntry:
    """One day (or interval) of a story and what happens on it, with its sources."""

    value: date
    last: date
    what: str
    sources: list[str]  # article ids
    spans: list[tuple[str, int, int]] = field(default_factory=list)  # (article id, start, end) of each sentence
    confidence: float = 0.0


@dataclass(slots=True)
class StoryAnalysis:
    articles: list[ArticleAnalysis]
    entities: list[Entity]
    timeline: list[TimelineEntry]

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if isinstance(x, date):
        return x.isoformat()
    return x
