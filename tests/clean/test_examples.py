"""The shipped examples: the boilerplate their README lists goes, their story stays."""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

import newsfuse
import newsfuse.dates

from ..conftest import EXAMPLES

README = (EXAMPLES / "README.md").read_text()
TXT_FILES = ["nws-wire.txt", "daily-meridian.txt", "littoral-fr.txt", "valdoria-today.txt", "rundschau-de.txt"]


def norm(s: str) -> str:
    return " ".join(s.split())


def listed_boilerplate(name: str) -> list[str]:
    """The verbatim boilerplate lines section (d) of examples/README.md gives for a file."""
    section = README.split(f"### `ferry/{name}`", 1)[1].split("###", 1)[0]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block, name
    return [line for line in block.group(1).splitlines() if line.strip()]


@pytest.fixture(scope="module")
def articles() -> dict[str, newsfuse.Article]:
    return {a.origin.split("/")[-1].split(":")[0]: a for a in newsfuse.clean_batch(newsfuse.read(EXAMPLES))}


def test_all_examples_read(articles) -> None:
    assert sorted(articles) == sorted(TXT_FILES + ["coastal-herald.html", "voltra-recall.jsonl"])


@pytest.mark.parametrize("name", TXT_FILES)
def test_txt_boilerplate_removed_story_kept(articles, name: str) -> None:
    a = articles[name]
    junk = listed_boilerplate(name)
    assert junk
    removed = [norm(r.line) for r in a.removed]
    for line in junk:
        assert norm(line) not in [norm(p) for p in a.paragraphs], line
        assert any(norm(line) in r for r in removed), line
    text = norm(a.text)
    raw = (EXAMPLES / "ferry" / name).read_text().splitlines()
    story = [norm(line) for line in raw if line.strip() and line not in junk and norm(line) != a.title]
    for line in story:
        if newsfuse.dates.parse_date_line(line):
            continue
        line = re.sub(r"^PORT AVEL, Valdoria, March 6 \(NWS\) - ", "", line)
        assert line in text, line


def test_html_article_text_and_nothing_else(articles) -> None:
    a = articles["coastal-herald.html"]
    tree = lxml_html.fromstring((EXAMPLES / "ferry" / "coastal-herald.html").read_bytes())
    body = tree.xpath('//div[@class="article-body"]')[0]
    story = [norm(el.text_content()) for el in body.xpath(".//p|.//h2")]
    assert len(story) == 13
    assert [norm(p) for p in a.paragraphs] == story
    assert a.title == norm(tree.xpath("//h1")[0].text_content())


def test_second_story_is_read_from_jsonl(articles) -> None:
    assert articles["voltra-recall.jsonl"].source in ("Tech Ledger", "Cycling Weekly Review")
