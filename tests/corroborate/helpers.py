"""Small written stories for the corroboration tests: each source one short article."""

from __future__ import annotations

from datetime import datetime, timezone

from newsfuse.brief import Brief, brief_story
from newsfuse.model import Article
from newsfuse.pipeline import Pipeline, Story


def article(aid: str, text: str, *, source: str | None = None, url: str | None = None,
            published: str | None = None) -> Article:
    paragraphs = [p for p in text.split("\n") if p.strip()]
    when = datetime.fromisoformat(published).replace(tzinfo=timezone.utc) if published else None
    return Article(id=aid, text="\n".join(paragraphs), paragraphs=paragraphs, source=source, url=url,
                   published=when, published_via="field" if when else None, language="en")


def brief_of(*texts: str, published: list[str] | None = None) -> Brief:
    """The brief of one story whose sources are ``texts`` (Outlet 1, Outlet 2, ...), copies found
    as the pipeline finds them."""
    arts = [article(f"a{i}", t, source=f"Outlet {i}", published=(published or [None] * len(texts))[i - 1])
            for i, t in enumerate(texts, 1)]
    copies = Pipeline().cluster(arts).copy_of
    return brief_story(Story("s1", sorted(arts, key=lambda a: a.id in copies), copies))


def sources_of(b: Brief, text: str) -> list[int]:
    """The sources of the claim whose text holds ``text`` (empty when no confirmed claim does)."""
    return next((c.sources for c in b.claims if text.lower() in c.text.lower()), [])
