"""From a raw Document to a cleaned Article: main text, metadata, cleaning, language."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timezone

from ..clean import clean_text
from ..clean.rules import match as match_rule
from ..lang import detect_language
from ..model import Article, Document, content_id
from ..dates import date_from_url, parse_date_line, parse_datetime
from .decode import ReadError
from .formats import domain

_TITLE_END_BAD = tuple(".,;:")


def to_article(doc: Document) -> Article:
    """Extract, clean and describe one document. Raises ReadError if no story text is left."""
    meta: dict[str, object] = {}
    if doc.html is not None:
        body, meta = extract_html(doc.html, doc.url)
    else:
        body = doc.text or ""
    title = doc.title or _str(meta.get("title"))
    if not title and doc.format != "html":
        title, body = split_title(body)
    cleaned = clean_text(body, title=title)
    extra = dict(doc.extra)
    if not cleaned.paragraphs:
        if not title:
            raise ReadError("no story text left after cleaning" if body.strip() else "no article text found")
        # A headline alone is still a report (feeds and crawls have many): keep it as the text.
        cleaned.paragraphs = [title]
        extra["title_only"] = True
    published, via = _publication_date(doc, meta, cleaned.date_line)
    url = doc.url or _str(meta.get("url"))
    language, score = detect_language(cleaned.text)
    if doc.language and language and doc.language.lower()[:2] != language:
        extra["declared_language"] = doc.language
    if not language:
        language = doc.language
    authors = list(extra.pop("authors", None) or []) or _authors(meta) or cleaned.authors
    return Article(
        id=doc.id or content_id(url, title, body),
        text=cleaned.text,
        paragraphs=cleaned.paragraphs,
        title=title,
        url=url,
        source=doc.source or _str(meta.get("sitename")) or domain(url),
        published=published,
        published_via=via,
        language=language,
        language_score=score,
        authors=authors,
        dateline=cleaned.dateline,
        origin=doc.origin,
        format=doc.format,
        raw=doc.raw,
        removed=cleaned.removed,
        extra=extra,
    )


def extract_html(html: str, url: str | None = None) -> tuple[str, dict[str, object]]:
    """The main text of a page (paragraphs on lines) and its metadata, with trafilatura."""
    import trafilatura

    html = flatten_deep(html)
    try:
        result = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as e:  # trafilatura/lxml raise many kinds on broken markup
        raise ReadError(f"cannot parse HTML ({type(e).__name__})") from None
    if result is None:
        text = _fallback_text(html)
        return text, {}
    d = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    d["published"] = html_published(html)
    text = d.get("text") or ""
    # trafilatura repeats the <h1> as the first line; the cleaner drops it as a title repeat.
    if not text.strip():
        text = _fallback_text(html)
    return text, d


# libxml2 drops what is nested deeper than 256 elements (without a word): a page
# nested deeper has the tags past KEEP_DEPTH taken out, their text kept.
MAX_HTML_DEPTH = 250
KEEP_DEPTH = 200
_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][\w:-]*)[^>]*>", re.S)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Tags that end a paragraph: taken out, they become a line break, so paragraphs stay apart.
_BLOCK = frozenset("address article aside blockquote dd div dl dt figure footer form h1 h2 h3 h4 h5 h6 header "
                   "li main nav ol p pre section table td th tr ul".split())


def _depths(html: str) -> Iterator[tuple[re.Match[str], int]]:
    """Each tag of a page with the depth it opens or closes at (as a stack, closing
    what an end tag closes; an estimate of what an HTML parser builds)."""
    stack: list[str] = []
    open_count: Counter[str] = Counter()  # of the names in the stack, so that a stray end tag costs no search
    for m in _TAG.finditer(html):
        name = (m.group(2) or "").lower()
        if not name or name in _VOID or m.group().endswith("/>"):
            yield m, len(stack)
        elif m.group(1):  # an end tag closes its element and what is still open in it
            depth = len(stack)
            if open_count[name]:
                while (closed := stack.pop()) != name:
                    open_count[closed] -= 1
                open_count[name] -= 1
            yield m, depth
        else:
            stack.append(name)
            open_count[name] += 1
            yield m, len(stack)


def flatten_deep(html: str) -> str:
    """``html`` as it is, or, if it nests deeper than :data:`MAX_HTML_DEPTH`, with every
    tag deeper than :data:`KEEP_DEPTH` taken out (a paragraph-ending one becomes ``<br>``),
    so that its text is read rather than lost."""
    if html.count("<") <= MAX_HTML_DEPTH or max((d for _, d in _depths(html)), default=0) <= MAX_HTML_DEPTH:
        return html
    out: list[str] = []
    last = 0
    for m, depth in _depths(html):
        if depth <= KEEP_DEPTH:
            continue
        gap = html[last:m.start()]
        if gap.strip() or not out or out[-1] != "<br>":  # one break between two runs of text is enough
            out.append(gap)
            if (m.group(2) or "").lower() in _BLOCK:
                out.append("<br>")
        last = m.end()
    out.append(html[last:])
    return "".join(out)


_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_DATE_META = {
    "article:published_time", "og:published_time", "og:article:published_time", "published_time",
    "datepublished", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date.issued",
    "dc.date", "dcterms.created", "dcterms.issued", "sailthru.date", "parsely-pub-date", "article.published",
}
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


def html_published(html: str) -> datetime | None:
    """The publication time a page states in its metadata, with time and zone.

    trafilatura (htmldate) keeps only the day; the hour matters for ordering
    reports and for telling an original from its copy.
    """
    head = html[:300_000]
    for tag in _META_TAG.findall(head):
        attrs = {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR.finditer(tag)}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in _DATE_META and attrs.get("content"):
            when = parse_datetime(attrs["content"])
            if when:
                return when
    m = _JSONLD_DATE.search(head)
    return parse_datetime(m.group(1)) if m else None


def _fallback_text(html: str) -> str:
    """Paragraph text for pages trafilatura finds no article in (short or odd pages)."""
    import trafilatura

    try:
        _, text, _ = trafilatura.baseline(html)
    except Exception:
        return ""
    return text


def split_title(text: str) -> tuple[str | None, str]:
    """Take a headline off the top of a plain text, when the first line is one.

    Date lines before or right after it are left for the cleaner (metadata).
    """
    lines = text.lstrip("\ufeff").split("\n")
    i = 0
    while i < len(lines) and (not lines[i].strip() or parse_date_line(lines[i]) is not None):
        i += 1
    if i >= len(lines):
        return None, text
    candidate = " ".join(lines[i].split())
    rest = [line for line in lines[i + 1 :] if line.strip()]
    if looks_like_title(candidate) and rest:
        return candidate, "\n".join(lines[:i] + lines[i + 1 :])
    return None, text


def looks_like_title(line: str) -> bool:
    """A headline: short, capitalised, and not ending like a sentence or a label."""
    if not line or len(line) > 200 or len(line.split()) > 30 or len(line.split()) < 2:
        return False
    if line.endswith(_TITLE_END_BAD) and not line.endswith("..."):
        return False
    first = line.lstrip("\"'“‘«„¿¡(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    return match_rule(line) is None


def _publication_date(doc: Document, meta: dict[str, object], date_line: str | None) -> tuple[datetime | None, str | None]:
    """The best-founded publication date, and how it was found.

    Order of trust: a date the input states (JSON field, feed), the page's own
    metadata, a date line at the top of the text, a date in the URL, and last
    the crawl date of a WARC record (the page existed then; it may be older).
    """
    candidates: list[tuple[datetime | None, str]] = []
    if doc.published_via != "warc":
        candidates.append((doc.published, doc.published_via or "field"))
    candidates.append((meta.get("published") or parse_datetime(meta.get("date")), "html"))
    candidates.append((parse_date_line(date_line) if date_line else None, "date-line"))
    candidates.append((date_from_url(doc.url or _str(meta.get("url"))), "url"))
    if doc.published_via == "warc":
        candidates.append((doc.published, "warc"))
    for when, via in candidates:
        if when is not None:
            return _aware(when), via
    return None, None


def _aware(when: datetime) -> datetime:
    """Dates without a zone are taken as UTC, so that all dates compare."""
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _authors(meta: dict[str, object]) -> list[str]:
    author = _str(meta.get("author"))
    return [a.strip() for a in re.split(r";|\band\b", author) if a.strip()] if author else []


def _str(value: object) -> str | None:
    return str(value).strip() or None if value else None
