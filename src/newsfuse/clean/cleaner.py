"""Removing what is not the story from an article's text.

The text is split into blocks (paragraphs or lines), each block is tested by
the line rules of :mod:`newsfuse.clean.rules`, and a few rules that need context
are applied here:

* the *end zone*: after a comment form, "Source link" or a copyright line, the
  short lines that follow are page furniture ("Most Popular", "On Key") until a
  real paragraph shows up again;
* *continuations*: a lower-case line right after a removed prompt finishes it
  ("Follow X on Google News" / "and be the first to know all the news");
* the *title repeat*: extracted text often starts with the headline again;
* *datelines* ("PORT AVEL, March 6 (NWS) - ") are cut off the first paragraph
  and kept as metadata;
* lines *repeated across unrelated articles* of an outlet or a batch
  (:class:`RepeatedLines`), which no rule can know in advance.

Every removal is recorded with the rule that made it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..model import Removal
from . import rules

_SPACE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*(?:\s|$)")

_DATELINE = re.compile(
    r"^(?P<dateline>"
    # "PORT AVEL, Valdoria, March 6 (NWS) - " / "Berlin/Kiew (dpa) - " / "(CNN) - "
    r"(?:[A-ZÀ-Þ][\w'’.\-]*(?:[ /][A-ZÀ-Þ][\w'’.\-]*){0,3}(?:,\s*[\w'’. ]{1,30}){0,3}\s*)?"
    r"\((?P<agency>[A-Za-z][\w.&'’ -]{0,30})\)\s*[-–—:]+\s*"
    # "MOSCOW — " / "KYIV, Ukraine — ": an all-capitals place needs no agency
    r"|[A-Z][A-Z'’.\-]{2,}(?: [A-Z][A-Z'’.\-]+){0,3}(?:,\s*[A-Z][\w.]+(?: \d{1,2})?){0,2}\s*[—–]\s*"
    r")(?=\S)"
)


def normalize_block(block: str) -> str:
    """One block of text with its spaces folded and invisible characters dropped."""
    if block.isascii():
        return " ".join(block.split())
    block = unicodedata.normalize("NFC", _INVISIBLE.sub("", block))
    return _SPACE.sub(" ", block).strip()


def split_blocks(text: str) -> list[str]:
    """The text's paragraphs, with hard-wrapped lines joined back together."""
    lines = [normalize_block(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if _hard_wrapped(lines):
        return _unwrap(lines)
    return _join_broken(lines)


def _join_broken(lines: list[str]) -> list[str]:
    """Rejoin a sentence that a link or a tag broke over lines: a line that
    does not end a sentence, followed directly by one that starts in lower case."""
    blocks: list[str] = []
    previous = ""
    for line in lines:
        if line and previous and line[0].islower() and previous[-1] not in _ENDS:
            blocks[-1] = previous = blocks[-1] + " " + line
        elif line:
            blocks.append(line)
            previous = line
        else:
            previous = ""
    return blocks


_ENDS = set(".!?:;\"”»…")


def _hard_wrapped(lines: list[str]) -> bool:
    """Whether the text was wrapped at a fixed width (e-mail, plain-text wires)."""
    full = [len(line) for line in lines if line]
    if len(full) < 6:
        return False
    width = sorted(full)[int(len(full) * 0.9)]
    if width > 120 or width < 40:
        return False
    near = sum(1 for n in full if n >= width * 0.7)
    return near >= len(full) * 0.6


def _unwrap(lines: list[str]) -> list[str]:
    width = sorted(len(line) for line in lines if line)[int(sum(1 for line in lines if line) * 0.9)]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(line)
        # A line well short of the wrap width ended its paragraph.
        if len(line) < width * 0.7:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _key(block: str) -> str:
    """What two blocks must share to count as the same line."""
    return re.sub(r"\W+", " ", block.casefold()).strip()


def substantial(block: str) -> bool:
    """A real paragraph: two sentences, or one long one."""
    ends = len(_SENTENCE_END.findall(block))
    return ends >= 2 or (ends == 1 and len(block.split()) >= 25)


@dataclass(slots=True)
class Cleaned:
    """The result of cleaning one text."""

    paragraphs: list[str]
    removed: list[Removal] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    dateline: str | None = None
    date_line: str | None = None  # the first date line, for the publication date

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def clean_text(
    text: str,
    *,
    title: str | None = None,
    is_boilerplate: Callable[[str], bool] | None = None,
) -> Cleaned:
    """Clean one article's text.

    ``title`` lets a repeated headline at the top be dropped;
    ``is_boilerplate`` is an extra test, such as :meth:`RepeatedLines.test`.

    >>> clean_text("Ferry aground\\n\\nAll 212 passengers were rescued.\\n\\nLeave a Reply").paragraphs
    ['Ferry aground', 'All 212 passengers were rescued.']
    """
    blocks = split_blocks(text)
    out = Cleaned(paragraphs=[])
    title_key = _key(title) if title else None
    in_end_zone = False
    previous_removed: str | None = None  # the rule that removed the previous block
    for i, block in enumerate(blocks):
        rule = _rule_for(block, i, title_key, in_end_zone, previous_removed, is_boilerplate)
        if rule == "caption" and not out.paragraphs:
            rule = None  # the first line is a headline or a lead, not a caption
        if rule is None:
            if in_end_zone:
                in_end_zone = False
            out.paragraphs.append(block)
            previous_removed = None
            continue
        out.removed.append(Removal(block, rule))
        previous_removed = rule
        if rule in rules.END_OF_ARTICLE and out.paragraphs:
            in_end_zone = True
        elif rule == "byline":
            out.authors.extend(rules.byline(block) or [])
        elif rule == "date-line" and out.date_line is None and not out.paragraphs:
            out.date_line = block
    _cut_dateline(out)
    return out


def _rule_for(
    block: str,
    index: int,
    title_key: str | None,
    in_end_zone: bool,
    previous_removed: str | None,
    is_boilerplate: Callable[[str], bool] | None,
) -> str | None:
    if title_key and index < 3 and _key(block) == title_key:
        return "title-repeat"
    rule = rules.match(block)
    if rule:
        return rule
    if is_boilerplate is not None and is_boilerplate(block):
        return "repeated-line"
    if in_end_zone and not _SENTENCE_END.search(block[-4:] + " "):
        return "after-article-end"
    if previous_removed in rules.PROMPTS and block[:1].islower() and len(block.split()) <= 20:
        return "continuation"
    return None


def _cut_dateline(out: Cleaned) -> None:
    """Move a wire dateline off the first paragraph into the metadata."""
    for i, para in enumerate(out.paragraphs[:2]):
        m = _DATELINE.match(para)
        if m and len(para) > m.end() + 20:
            out.dateline = m.group("dateline").strip(" -–—:")
            out.removed.append(Removal(m.group("dateline").strip(), "dateline"))
            out.paragraphs[i] = para[m.end():]
            return


class RepeatedLines:
    """Learns lines repeated across *unrelated* articles: site furniture no rule knows.

    A syndicated copy repeats every line of its original, and reports of one
    event may repeat a wire sentence, so repetition alone is not enough: a line
    counts only in articles with different content (told apart by their longest
    paragraph). Lines that look like sentences must repeat far more often than
    short lines before they are taken for boilerplate, so that an outlet's
    standard background sentence is not.

    Use :meth:`fit` on a batch, or :meth:`learn_one` article by article on a
    stream; then :meth:`test` tells whether a line is boilerplate.
    """

    def __init__(self, min_docs: int = 3, min_docs_batch: int = 5, max_len: int = 200) -> None:
        self.min_docs = min_docs
        self.min_docs_batch = min_docs_batch
        self.max_len = max_len
        self._by_outlet: dict[str | None, dict[str, set[str]]] = defaultdict(dict)
        self._docs_by_outlet: dict[str | None, int] = defaultdict(int)
        self._all: dict[str, set[str]] = {}
        self._docs = 0
        self._outlet: str | None = None

    def learn_one(self, blocks: Iterable[str], outlet: str | None = None) -> RepeatedLines:
        seen_lines = self.observe(blocks, self.max_len)
        if seen_lines is None:
            return self
        content, keys = seen_lines
        self._docs += 1
        self._docs_by_outlet[outlet] += 1
        cap = self.CAP  # bounded memory per line
        for k in keys:
            for table in (self._by_outlet[outlet], self._all):
                seen = table.setdefault(k, set())
                if len(seen) < cap:
                    seen.add(content)
        return self

    CAP = 50  # contents remembered per line: enough for every test below

    @staticmethod
    def observe(blocks: Iterable[str], max_len: int = 200) -> tuple[str, list[str]] | None:
        """What one article tells about repeated lines: its content key and the keys
        of its short lines (None: an empty article). Exposed so that a distributed
        run can count lines across partitions (:meth:`from_counts`)."""
        blocks = [b for b in blocks if b]
        if not blocks:
            return None
        content = _key(max(blocks, key=len))[:200]
        keys = {k for b in set(blocks) if len(b) <= max_len and (k := _key(b))}
        return content, sorted(keys)

    @classmethod
    def from_counts(
        cls,
        lines: dict[str, int],
        outlet_lines: dict[tuple[str | None, str], int],
        docs: int,
        docs_by_outlet: dict[str | None, int],
        **settings: int,
    ) -> RepeatedLines:
        """A learner from counts made elsewhere: for each line, in how many articles
        of different content it was seen (in all and per outlet; capped at
        ``CAP``). Lines seen fewer than ``min_docs`` times may be left out."""
        self = cls(**settings)
        self._all = {k: min(n, cls.CAP) for k, n in lines.items()}  # type: ignore[misc]
        for (outlet, k), n in outlet_lines.items():
            self._by_outlet[outlet][k] = min(n, cls.CAP)  # type: ignore[assignment]
        self._docs = docs
        self._docs_by_outlet.update(docs_by_outlet)
        return self

    def fit(self, docs: Iterable[tuple[Iterable[str], str | None]]) -> RepeatedLines:
        for blocks, outlet in docs:
            self.learn_one(blocks, outlet)
        return self

    def for_outlet(self, outlet: str | None) -> RepeatedLines:
        """Set the outlet whose lines :meth:`test` judges next."""
        self._outlet = outlet
        return self

    def test(self, block: str) -> bool:
        if len(block) > self.max_len:
            return False
        k = _key(block)
        sentence = len(block.split()) >= 8 and bool(_SENTENCE_END.search(block[-3:] + " "))
        outlet_docs = _size(self._by_outlet.get(self._outlet, {}).get(k, 0))
        batch_docs = _size(self._all.get(k, 0))
        if sentence:
            # Boilerplate sentences sit in most of an outlet's articles; a
            # background sentence in a few of them.
            n_outlet = self._docs_by_outlet.get(self._outlet, 0)
            return (outlet_docs >= 2 * self.min_docs and outlet_docs >= 0.3 * n_outlet and self._outlet is not None) or (
                batch_docs >= 2 * self.min_docs_batch and batch_docs >= 0.2 * self._docs
            )
        return (outlet_docs >= self.min_docs and self._outlet is not None) or batch_docs >= self.min_docs_batch


def _size(seen: set[str] | int) -> int:
    """Articles of different content a line was seen in (a set while learning, a count from :meth:`RepeatedLines.from_counts`)."""
    return seen if isinstance(seen, int) else len(seen)
