"""The five real seed reports: every boilerplate line goes, every story line stays.

The lists below are what a reader of each seed calls page junk; everything
else in a seed (apart from its title and date line) is story and must survive.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

import newsfuse

BOILERPLATE = {
    "000": ["Source link -83"],
    "001": ["Source link", "By admin", "Leave a Reply",
            "Your email address will not be published. Required fields are marked *"],
    "002": ["Follow Skai.gr on Google News", "and be the first to know all the news", "."],
    "003": [
        "US President Joe Biden and his Russian counterpart Vladimir Putin.",
        "See also Mother and daughter emigrants die on return to Switzerland after vacation in Portugal",
        "This was the first year of the Biden government 3:52",
        "Putin makes alarming remarks on cooperation with China 2:00",
        "See also Vaccination obligation: According to Edtstadler, adjustments are possible",
        "See also massive march against gender violence and inequality",
        "What did Biden and Putin speak at their virtual summit? This is what we know 2:10",
        "How far would the US go to protect Ukraine from Russia 2:08",
        "With input from Anna Chernova, Natasha Bertrand and Kevin Liptak",
        "Leave a Reply", "Your email address will not be published.",
        "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
        "Social Media", "Most Popular", "On Key", "Related Posts",
    ],
    "004": [
        "abroad Phone call from heads of state", "Read also",
        "A Russian soldier takes part in maneuvers at the Kadamovsky firing range",
        "See also FedEx letter to Redskins: Modify the identify or eliminate stadium signage",
        "Leave a Reply", "Your email address will not be published. Required fields are marked *",
    ],
}
TITLES = {
    "000": "New Western sanctions on Russia would be “a colossal mistake”, warns Putin",
    "001": None,
    "002": None,
    "003": "Putin warns Biden that sanctions would be a “colossal mistake”",
    "004": "In a phone call, Biden warns Putin against invading Ukraine",
}
DATE_LINES = {"001": "Tue. Jan 18th, 2022"}


def norm(s: str) -> str:
    return " ".join(s.split())


def seed(seeds: Path, key: str) -> Path:
    return next(seeds.glob(f"{key}_*.txt"))


@pytest.fixture(scope="module")
def cleaned(request) -> dict[str, newsfuse.Article]:
    from ..conftest import SEEDS, need

    need(SEEDS)
    return {a.origin.split("/")[-1][:3]: a for a in newsfuse.clean_batch(newsfuse.read(SEEDS))}


@pytest.mark.parametrize("key", sorted(BOILERPLATE))
def test_boilerplate_removed(cleaned, key: str) -> None:
    text = norm(cleaned[key].text)
    for line in BOILERPLATE[key]:
        if len(line) > 3:
            assert norm(line) not in text, line
        else:
            assert norm(line) not in [norm(p) for p in cleaned[key].paragraphs]


@pytest.mark.parametrize("key", sorted(BOILERPLATE))
def test_story_lines_kept(seeds: Path, cleaned, key: str) -> None:
    text = norm(cleaned[key].text)
    junk = [norm(b) for b in BOILERPLATE[key]]
    lines = [norm(line) for line in seed(seeds, key).read_text().splitlines() if line.strip()]
    story = [
        line for line in lines
        if not any(line == j or (len(j) > 20 and line.startswith(j)) for j in junk)
        and line != TITLES[key] and line != DATE_LINES.get(key)
    ]
    assert len(story) >= 7
    for line in story:
        line = re.sub(r"^\(CNN\) — ", "", line)  # the wire dateline is kept as metadata
        assert line in text, line


@pytest.mark.parametrize("key", sorted(TITLES))
def test_titles_and_date_lines_are_metadata(cleaned, key: str) -> None:
    a = cleaned[key]
    assert a.title == TITLES[key]
    if key in DATE_LINES:
        assert a.published == datetime(2022, 1, 18, tzinfo=timezone.utc) and a.published_via == "date-line"
        assert DATE_LINES[key] not in a.text
    assert a.language == "en"


def test_cnn_dateline(cleaned) -> None:
    a = cleaned["003"]
    assert a.dateline == "(CNN)"
    assert a.paragraphs[0].startswith("President Joe Biden on Thursday urged")


def test_every_removal_is_explained(cleaned) -> None:
    rules = {r.rule for a in cleaned.values() for r in a.removed}
    assert {"source-link", "comment-section", "teaser", "video-teaser", "photo-caption", "caption",
            "navigation", "byline", "credit-line", "follow-or-subscribe-prompt", "fragment", "date-line"} <= rules
