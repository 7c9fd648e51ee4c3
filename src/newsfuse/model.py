"""The data model that flows through every stage of newsfuse.

An :class:`Article` is created by the reading stage and enriched by the later
ones (cleaning, language detection, ...). Everything a later stage or the store
needs to know about where an article came from is kept on it, so that a result
can always be traced back to its input.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class Removal:
    """One line the cleaner removed, and the rule that removed it."""

    line: str
    rule: str


@dataclass(slots=True)
class Problem:
    """A bad input item: what it was and why it could not be read.

    ``skipped`` is False for problems that were worked around (an article
    decoded from a legacy encoding, say): those are reported but the article
    is still read.
    """

    item: str
    reason: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"{self.item}: {self.reason}"


@dataclass(slots=True)
class Document:
    """A raw document as a reader found it, before extraction and cleaning.

    Exactly one of ``text`` or ``html`` is set. Metadata fields are whatever the
    container (JSON row, feed entry, WARC header, HTTP response) said.
    """

    origin: str  # path, path:line, path#record, or URL: where to find it again
    format: str  # txt | html | json | warc | feed | url
    text: str | None = None
    html: str | None = None
    id: str | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    published: datetime | None = None
    published_via: str | None = None
    language: str | None = None
    raw: str | None = None  # the input as read, kept for provenance
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Article:
    """One news report, cleaned and ready for the later stages.

    ``published_via`` says how the publication date was found, because later
    stages trust them differently: ``field`` (given by the input), ``html``
    (page metadata), ``feed``, ``date-line`` (a date line at the top of a text;
    often the scrape date), ``url`` (a date in the URL), ``warc`` (the crawl
    date, an upper bound only).
    """

    id: str
    text: str
    paragraphs: list[str]
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: datetime | None = None
    published_via: str | None = None
    language: str | None = None
    language_score: float | None = None
    authors: list[str] = field(default_factory=list)
    dateline: str | None = None  # "PORT AVEL, March 6 (NWS)": place and agency
    origin: str = ""
    format: str = ""
    raw: str | None = None
    removed: list[Removal] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, *, raw: bool = False, removed: bool = False) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO 8601 strings)."""
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        if not raw:
            d.pop("raw")
        if not removed:
            d.pop("removed")
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        d = dict(d)
        if isinstance(d.get("published"), str):
            d["published"] = datetime.fromisoformat(d["published"])
        d["removed"] = [Removal(**r) for r in d.get("removed") or []]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


def content_id(*parts: str | None) -> str:
    """A short stable id from content: the same input always gets the same id.

    Whitespace and Unicode normalisation are applied first so that the same
    article read from a file, a JSON row or a WARC record gets one id.
    """
    h = hashlib.blake2b(digest_size=8)
    for part in parts:
        norm = " ".join(unicodedata.normalize("NFC", part or "").split())
        h.update(norm.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()
