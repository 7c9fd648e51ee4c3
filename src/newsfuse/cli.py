"""The ``newsfuse`` command line: a thin wrapper over the Python API."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TypeVar

import click

from . import __version__
from .clean import clean_batch
from .model import Article, Problem
from .read import ReadOptions, iter_read
from .read.formats import DEFAULT_MAX_BYTES

T = TypeVar("T")


class Reporter:
    """Reports bad items on stderr, one line each, and counts them."""

    def __init__(self) -> None:
        self.skipped = 0
        self.warnings = 0

    def __call__(self, problem: Problem) -> None:
        if problem.skipped:
            self.skipped += 1
            click.echo(f"newsfuse: skipped {problem.item}: {problem.reason}", err=True)
        else:
            self.warnings += 1
            click.echo(f"newsfuse: warning: {problem.item}: {problem.reason}", err=True)

    def summary(self, what: str, n: int) -> None:
        parts = [f"{n} {what}"]
        if self.skipped:
            parts.append(f"{self.skipped} item(s) skipped")
        if self.warnings:
            parts.append(f"{self.warnings} warning(s)")
        click.echo("newsfuse: " + ", ".join(parts), err=True)


def progress(items: Iterable[T], label: str) -> Iterator[T]:
    """A live count on stderr when it is a terminal; silent otherwise."""
    if not sys.stderr.isatty():
        yield from items
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description} {task.completed}"), TimeElapsedColumn(),
                  transient=True, console=_stderr_console()) as bar:
        task = bar.add_task(label, total=None)
        for item in items:
            yield item
            bar.advance(task)


def _stderr_console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=True)


def input_options(f):  # type: ignore[no-untyped-def]
    """The options every command that reads articles shares."""
    f = click.option("--allow-private", is_flag=True, help="Allow URLs on private and loopback addresses.")(f)
    f = click.option("--follow-links", is_flag=True, help="Fetch the page behind each feed entry.")(f)
    f = click.option("--max-bytes", type=click.IntRange(1), default=DEFAULT_MAX_BYTES, show_default=True,
                     help="Largest single article document (page, text file, JSON line) read.")(f)
    f = click.argument("paths", nargs=-1, required=True)(f)
    return f


def read_articles(paths: tuple[str, ...], reporter: Reporter, *, allow_private: bool, follow_links: bool,
                  max_bytes: int, keep_raw: bool = False) -> list[Article]:
    """Read and clean every input, with the batch-level cleaning pass."""
    opts = ReadOptions(max_bytes=max_bytes, keep_raw=keep_raw, allow_private=allow_private, follow_links=follow_links)
    articles = list(progress(iter_read(paths, options=opts, on_problem=reporter), "reading"))
    return clean_batch(articles)


@contextmanager
def output(path: str | None) -> Iterator[IO[str]]:
    if path in (None, "-"):
        yield sys.stdout
    else:
        with open(path, "w", encoding="utf-8") as f:  # type: ignore[arg-type]
            yield f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsfuse")
def main() -> None:
    """newsfuse: many news reports in, checked stories out.

    PATH may be a file, a directory (read recursively), a glob, '-' for
    standard input, or an http(s) URL of a page or a feed. Accepted: .txt,
    .html/.htm, .json/.jsonl, .warc/.warc.gz and RSS/Atom feeds.
    """


@main.command()
@input_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--explain", is_flag=True, help="Show each removed line and the rule that removed it.")
@click.option("-o", "--output", "out_path", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
def clean(paths: tuple[str, ...], fmt: str, explain: bool, out_path: str | None, allow_private: bool,
          follow_links: bool, max_bytes: int) -> None:
    """Print the cleaned text and metadata of each article (a debug view)."""
    reporter = Reporter()
    articles = read_articles(paths, reporter, allow_private=allow_private, follow_links=follow_links, max_bytes=max_bytes)
    with output(out_path) as out:
        for i, a in enumerate(articles, 1):
            if fmt == "json":
                out.write(json.dumps(a.to_dict(removed=explain), ensure_ascii=False) + "\n")
            else:
                out.write(render_text(a, i, explain))
    reporter.summary("article(s) read", len(articles))
    if not articles and reporter.skipped:
        sys.exit(1)


def render_text(a: Article, n: int, explain: bool) -> str:
    """One article as a readable block: a header of metadata, then the paragraphs."""
    head = [f"━━ [{n}] {a.title or '(no title)'}", f"id: {a.id}   from: {a.origin}"]
    facts = []
    if a.source:
        facts.append(f"source: {a.source}")
    if a.published:
        facts.append(f"published: {a.published.isoformat()} ({a.published_via})")
    if a.language:
        facts.append(f"language: {a.language}" + (f" ({a.language_score:.2f})" if a.language_score else ""))
    if a.dateline:
        facts.append(f"dateline: {a.dateline}")
    if a.authors:
        facts.append("by: " + ", ".join(a.authors))
    if facts:
        head.append(" · ".join(facts))
    if a.url:
        head.append(f"url: {a.url}")
    body = "\n\n".join(a.paragraphs)
    text = "\n".join(head) + "\n\n" + body + "\n"
    if explain:
        lines = [f"  [{r.rule}] {r.line}" for r in a.removed]
        text += f"\nremoved ({len(a.removed)}):\n" + ("\n".join(lines) + "\n" if lines else "")
    return text + "\n"


if __name__ == "__main__":  # pragma: no cover
    main()
