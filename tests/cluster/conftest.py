"""Articles for the clustering tests: the examples, the seeds and ECB+ dev rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import newsfuse

from ..conftest import DATA, EXAMPLES, need

ECB = DATA / "ecbplus-dev.jsonl"


def load(*paths: Path) -> list[newsfuse.Article]:
    return newsfuse.clean_batch(newsfuse.read([str(p) for p in paths]))


def by_file(articles: list[newsfuse.Article]) -> dict[str, newsfuse.Article]:
    """The examples by file name (one article per file)."""
    return {Path(a.origin.split(":")[0]).name: a for a in articles}


@pytest.fixture(scope="session")
def examples() -> list[newsfuse.Article]:
    return load(EXAMPLES)


@pytest.fixture(scope="session")
def ecb() -> tuple[list[newsfuse.Article], dict[str, str]]:
    """ECB+ dev articles and their gold stories."""
    path = need(ECB)
    gold = {row["id"]: row["gold"] for row in map(json.loads, path.open(encoding="utf-8"))}
    return load(path), gold


def ecb_topics(ecb, topics: set[str]) -> tuple[list[newsfuse.Article], dict[str, str]]:
    """The part of ECB+ dev in the given topics (each topic holds two events of one kind)."""
    articles, gold = ecb
    keep = [a for a in articles if gold[a.id].split("_")[0] in topics]
    return keep, {a.id: gold[a.id] for a in keep}
