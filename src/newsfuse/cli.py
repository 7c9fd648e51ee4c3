"""The ``newsfuse`` command line: a thin wrapper over the Python API."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TypeVar

import click

from . import __version__
from .clean import clean_batch
from .model import Article, Problem
from .outputs import OutputError, atomic_file, check_dir, check_file
from .pipeline import Pipeline
from .read import ReadOptions, distinct_ids, iter_read
from .read.formats import DEFAULT_MAX_BYTES
from .text import printable

T = TypeVar("T")


def say(message: str) -> None:
    """One line on stderr. Names and reasons come from the input (a file named
    "a\\n3 articles read" would print a fake line): all of it is made printable here."""
    click.echo("newsfuse: " + printable(message), err=True)


class Reporter:
    """Reports bad items on stderr, one line each, and counts them."""

    def __init__(self) -> None:
        self.skipped = 0
        self.warnings = 0

    def __call__(self, problem: Problem) -> None:
        if problem.skipped:
            self.skipped += 1
            say(f"skipped {problem.item}: {problem.reason}")
        else:
            self.warnings += 1
            say(f"warning: {problem.item}: {problem.reason}")

    def summary(self, what: str, n: int) -> None:
        parts = [f"{n} {what}"]
        if self.skipped:
            parts.append(f"{self.skipped} item(s) skipped")
        if self.warnings:
            parts.append(f"{self.warnings} warning(s)")
        say(", ".join(parts))


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def progress(items: Iterable[T], label: str) -> Iterator[T]:
    """A live count on stderr when it is a terminal; silent otherwise."""
    with counter(label) as tick:
        for item in items:
            yield item
            tick()


@contextmanager
def counter(label: str) -> Iterator[Callable[[], None]]:
    """A live count on stderr when it is a terminal (silent otherwise): call the yielded function per item."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description} {task.completed}"), TimeElapsedColumn(),
                  transient=True, console=_stderr_console()) as bar:
        task = bar.add_task(label, total=None)
        yield lambda: bar.advance(task)


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
    articles = list(progress(distinct_ids(iter_read(paths, options=opts, on_problem=reporter), reporter), "reading"))
    return clean_batch(articles)


def check_output(path: str | None, *, directory: bool = False, overwrite: bool = False) -> None:
    """Fail with one line (an :class:`OutputError`, see ``_Commands``), before any work, when
    ``-o path`` cannot be written."""
    if path in (None, "-"):
        return
    if directory:
        check_dir(path, overwrite=overwrite)  # type: ignore[arg-type]
    else:
        check_file(path)  # type: ignore[arg-type]


@contextmanager
def output(path: str | None) -> Iterator[IO[str]]:
    """stdout, or ``path`` written atomically: a failed or interrupted command
    leaves what was there before, never half an output."""
    if path in (None, "-"):
        yield sys.stdout
    else:
        with atomic_file(path) as f:  # type: ignore[arg-type]
            yield f


class _Commands(click.Group):
    """The command group: a store error in any command is one line and its own exit code; an
    output that cannot be written (checked up front, or taken by another writer meanwhile) is
    one ``Error:`` line."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        from .web.cli import store_errors

        with store_errors():
            try:
                return super().invoke(ctx)
            except OutputError as e:
                raise click.ClickException(str(e)) from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
    check_output(out_path)
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


@main.command("cluster")
@input_options
@click.option("--online", is_flag=True, help="Use the stream model (articles one at a time, in time order).")
@click.option("--engine", type=click.Choice(["single", "dask"]), default="single", show_default=True,
              help="dask: run the batch pipeline on a Dask cluster and write Parquet to the -o directory.")
@click.option("--scheduler", metavar="ADDRESS", help="With --engine dask: a running scheduler (default: a local cluster).")
@click.option("--workers", type=click.IntRange(1), help="With --engine dask: local worker processes (default: one per "
              "core); with --scheduler, the workers to wait for.")
@click.option("-o", "--output", "out_path", type=click.Path(writable=True),
              help="Write here instead of stdout (with --engine dask: a directory, required, absent or empty).")
@click.option("--overwrite", is_flag=True, help="With --engine dask: replace a non-empty output directory whole "
              "(only once the run has succeeded).")
def cluster_cmd(paths: tuple[str, ...], online: bool, engine: str, scheduler: str | None, workers: int | None,
                out_path: str | None, overwrite: bool, allow_private: bool, follow_links: bool, max_bytes: int) -> None:
    """One JSON line per article: {"id", "story_id", "duplicate_of"}.

    With --engine dask, OUT/articles/*.parquet holds every article with its
    story_id and duplicate_of (ready for `newsfuse ingest OUT/articles`),
    OUT/stories/*.parquet one row per story, and OUT/summary.json the counts
    and seconds per stage; the result equals the single-process run.
    The directory must be absent or empty unless --overwrite; it is written
    whole at the end of the run, or not at all.
    """
    reporter = Reporter()
    if engine == "dask":
        _cluster_dask(paths, out_path, scheduler, workers, online, reporter, max_bytes=max_bytes, overwrite=overwrite)
        return
    check_output(out_path)
    pipeline = Pipeline(online=online)
    articles = read_articles(paths, reporter, allow_private=allow_private, follow_links=follow_links, max_bytes=max_bytes)
    result = pipeline.cluster(articles)
    with output(out_path) as out:
        for a in result.articles:
            row = {"id": a.id, "story_id": result.story_of[a.id], "duplicate_of": result.copy_of.get(a.id)}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    stories = result.stories()
    multi = sum(1 for st in stories if len(st.articles) > 1)
    reporter.summary(f"article(s) read, {plural(len(stories), 'story', 'stories')} ({multi} with two or more), "
                     f"{plural(len(result.copy_of), 'copy', 'copies')}", len(articles))
    if not articles and reporter.skipped:
        sys.exit(1)


def _cluster_dask(paths: tuple[str, ...], out_path: str | None, scheduler: str | None, workers: int | None,
                  online: bool, reporter: Reporter, *, max_bytes: int, overwrite: bool) -> None:
    if online:
        raise click.UsageError("--online is the stream model; --engine dask runs the batch pipeline")
    if not out_path or out_path == "-":
        raise click.UsageError("--engine dask writes Parquet files: give an output directory with -o")
    check_output(out_path, directory=True, overwrite=overwrite)
    try:
        from .scale.dask import cluster_on_dask
    except ImportError as e:  # pragma: no cover - depends on the install
        raise click.ClickException(f"--engine dask needs dask.distributed ({e}): pip install 'newsfuse[dask]'") from e
    read = ReadOptions(max_bytes=max_bytes, keep_raw=False)
    summary = cluster_on_dask(paths, out_path, scheduler=scheduler, workers=workers, read=read, overwrite=overwrite)
    for problem in summary.problems:
        reporter(problem)
    stages = ", ".join(f"{k} {v:.1f}s" for k, v in summary.seconds.items())
    reporter.summary(f"article(s) read in {summary.partitions} partition(s), "
                     f"{plural(summary.stories, 'story', 'stories')}, {plural(summary.copies, 'copy', 'copies')}; "
                     f"wrote {out_path}" + (f" ({stages})" if stages else ""), summary.articles)
    if not summary.articles:
        say(f"no articles read; {out_path} holds empty tables")
        if reporter.skipped:
            sys.exit(1)


@main.command()
@input_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="json", show_default=True)
@click.option("-o", "--output", "out_path", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
def analyze(paths: tuple[str, ...], fmt: str, out_path: str | None, allow_private: bool, follow_links: bool,
            max_bytes: int) -> None:
    """Sentences, entities, dates, numbers and quotes of each article, one JSON object per line.

    Articles are first grouped into stories, because dates and entities are
    resolved across a story's sources (a report without a trustworthy date is
    dated from the others; "Putin" and "Vladimir Putin" are one entity).
    Offsets index the cleaned "text".
    """
    from .analyse import Analyzer

    check_output(out_path)
    reporter = Reporter()
    articles = read_articles(paths, reporter, allow_private=allow_private, follow_links=follow_links, max_bytes=max_bytes)
    analyzer = Analyzer()
    result = Pipeline().cluster(articles)
    with output(out_path) as out:
        for story in progress(result.stories(), "analysing"):
            for a in analyzer.story(story.articles).articles:
                row = {"story_id": story.id, **a.to_dict()}
                out.write(json.dumps(row, ensure_ascii=False) + "\n" if fmt == "json" else render_analysis(row))
    reporter.summary("article(s) analysed", len(articles))
    if not articles and reporter.skipped:
        sys.exit(1)


def render_analysis(row: dict) -> str:  # type: ignore[type-arg]
    """One article's analysis as a readable block."""
    lines = [f"━━ {printable(row['id'])}  story {row['story_id']}  ({printable(row['path'])})",
             f"base date: {row['base_date'] or 'unknown'} ({row['base_date_via']})"]
    for m in row["entities"]:
        lines.append(f"  entity  {m['label']:7s} {m['text']}" + (f"  [{m['role']}]" if m["role"] else ""))
    for d in row["dates"]:
        when = d["value"] if d["last"] in (None, d["value"]) else f"{d['value']}..{d['last']}"
        lines.append(f"  date    {when}  {d['text']!r}" + (f" {d['time']}" if d["time"] else "")
                     + f"  ({d['confidence']:.2f})")
    for n in row["numbers"]:
        lines.append(f"  number  {n['value']:g} {n['unit'] or ''} {n['counts'] or ''}  {n['text']!r}")
    for q in row["quotes"]:
        kind = "quote" if q["direct"] else "reports"
        lines.append(f"  {kind:7s} {q['speaker'] or '?'} ({q['cue'] or '-'}): {q['text'][:100]!r}"
                     + (f" via {q['channel']}" if q["channel"] else ""))
    return "\n".join(lines) + "\n\n"


def full_option(f):  # type: ignore[no-untyped-def]
    return click.option("--full", is_flag=True,
                         help="Markdown: every item of every section (each quotation's wordings, every number, "
                              "name and title). By default the brief is at most half as long as its reports.")(f)


@main.command("brief")
@input_options
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True)
@click.option("--all", "all_stories", is_flag=True, help="Brief every story, also those of a single article.")
@click.option("--online", is_flag=True, help="Cluster with the stream model.")
@full_option
@click.option("-o", "--output", "out_path", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
def brief_cmd(paths: tuple[str, ...], fmt: str, all_stories: bool, online: bool, full: bool, out_path: str | None,
              allow_private: bool, follow_links: bool, max_bytes: int) -> None:
    """The cited brief of every story with two or more articles, largest first.

    Every statement cites its sources ([1], [2] ... in the source list);
    copies of a report are listed under their original and never count as
    confirmation; where sources differ, and what only one source says, are
    shown as such.
    """
    from .brief import briefs_of, to_html, to_json, to_markdown_many

    check_output(out_path)
    reporter = Reporter()
    articles = read_articles(paths, reporter, allow_private=allow_private, follow_links=follow_links, max_bytes=max_bytes)
    result = Pipeline(online=online).cluster(articles)
    briefs = briefs_of(result, min_articles=1 if all_stories else 2)
    render = {"md": lambda bs: to_markdown_many(bs, full=full), "html": to_html, "json": to_json}[fmt]
    with output(out_path) as out:
        out.write(render(briefs))
    reporter.summary(f"article(s) read, {plural(len(briefs), 'brief', 'briefs')}", len(articles))
    if not briefs and not all_stories and articles:
        click.echo("newsfuse: no story has two or more articles (use --all to brief single reports)", err=True)
    if not articles and reporter.skipped:
        sys.exit(1)


def db_option(f):  # type: ignore[no-untyped-def]
    return click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
                        help="The store (default: $NEWSFUSE_DB or ./newsfuse.db).")(f)


def lock_timeout_option(f):  # type: ignore[no-untyped-def]
    return click.option("--lock-timeout", type=click.FloatRange(0), default=600, show_default=True, metavar="SECONDS",
                        help="How long to wait for another writer's batch before giving up.")(f)


def open_store(db: str | None, *, readonly: bool = False, keep_briefs: bool = False,
               lock_timeout: float | None = None):  # type: ignore[no-untyped-def]
    """The store for a command: a writer (ingest, watch; fails at once if it cannot write), a
    reader, or a reader that keeps the briefs it makes when it may (show)."""
    from .store import LOCK_TIMEOUT, Store, default_path

    path = default_path(db)
    if (readonly or keep_briefs) and not path.exists():
        raise click.UsageError(f"no store at {path} (create one with `newsfuse ingest`)")
    if keep_briefs:
        return Store.for_reading(path)
    if readonly:
        return Store(path, readonly=True)
    return Store(path, lock_timeout=LOCK_TIMEOUT if lock_timeout is None else lock_timeout)


@main.command()
@input_options
@db_option
@click.option("--batch-size", type=click.IntRange(1), default=500, show_default=True,
              help="Articles per transaction.")
@lock_timeout_option
def ingest(paths: tuple[str, ...], db: str | None, batch_size: int, lock_timeout: float, allow_private: bool,
           follow_links: bool, max_bytes: int) -> None:
    """Add articles to the store, incrementally: the same article twice is stored once.

    Each batch is one transaction: an interrupted ingest leaves every batch
    before it stored, and the next run completes it. Another ingest into the
    same store at the same time waits for each batch of the other (up to
    --lock-timeout) and goes on from it.
    """
    reporter = Reporter()
    opts = ReadOptions(max_bytes=max_bytes, allow_private=allow_private, follow_links=follow_links)
    with open_store(db, lock_timeout=lock_timeout) as store, counter("ingesting") as tick:
        report = store.ingest(paths, options=opts, batch_size=batch_size, on_problem=reporter,
                              on_article=lambda _: tick())
        created = store.path.exists()
    if not report.read:
        say("nothing ingested: no article could be read from the input"
            + ("" if created else f" (no store was made at {store.path})"))
        sys.exit(1)
    say(report.line())


@main.command()
@click.argument("feeds", nargs=-1, required=True)
@db_option
@click.option("--every", default="10m", show_default=True, help="How often to poll: 90s, 10m, 1h.")
@click.option("--rounds", type=click.IntRange(1), default=None, help="Stop after this many rounds (default: never).")
@click.option("--allow-private", is_flag=True, help="Allow URLs on private and loopback addresses.")
@click.option("--follow-links", is_flag=True, help="Fetch the page behind each feed entry.")
@lock_timeout_option
def watch(feeds: tuple[str, ...], db: str | None, every: str, rounds: int | None, allow_private: bool,
          follow_links: bool, lock_timeout: float) -> None:
    """Poll feeds into the store until stopped (Ctrl-C), with conditional requests
    (ETag, Last-Modified): an unchanged feed costs one small request."""
    from .store.watch import parse_every, watch as run_watch

    try:
        seconds = parse_every(every)
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    reporter = Reporter()
    opts = ReadOptions(allow_private=allow_private, follow_links=follow_links)
    with open_store(db, lock_timeout=lock_timeout) as store:
        try:
            run_watch(store, feeds, seconds, options=opts, rounds=rounds, on_problem=reporter,
                      on_poll=lambda p: say(f"{p.url}: {p.status}" + (f" ({p.report.line()})" if p.report else "")))
        except KeyboardInterrupt:
            click.echo("newsfuse: stopped", err=True)


@main.command("stories")
@db_option
@click.option("--since", help="Only stories active on or after this day (YYYY-MM-DD).")
@click.option("--min-sources", type=click.IntRange(1), default=1, show_default=True,
              help="Only stories with at least this many independent sources.")
@click.option("--query", "-q", help="Only stories with an article matching these words.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def stories_cmd(db: str | None, since: str | None, min_sources: int, query: str | None, limit: int, fmt: str) -> None:
    """The stored stories, latest activity first."""
    from dataclasses import asdict

    with open_store(db, readonly=True) as store:
        rows = store.stories(since=since, min_sources=min_sources, query=query, limit=limit)
    if fmt == "json":
        for r in rows:
            click.echo(json.dumps(asdict(r), ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table("story", "headline", "sources", "articles", "first seen", "last seen", box=None)
    for r in rows:
        # a headline is input: as Text, its brackets are not read as rich markup
        table.add_row(r.id, Text(printable(r.headline or "")), str(r.sources), str(r.articles), (r.first_seen or "")[:10],
                      (r.last_seen or "")[:10])
    Console(soft_wrap=not sys.stdout.isatty()).print(table)


@main.command()
@click.argument("story")
@db_option
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True)
@full_option
@click.option("-o", "--output", "out_path", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
def show(story: str, db: str | None, fmt: str, full: bool, out_path: str | None) -> None:
    """The brief of a stored story (made again only when the story changed)."""
    from .brief import to_html, to_json, to_markdown

    check_output(out_path)
    with open_store(db, keep_briefs=True) as store:
        try:
            brief = store.brief(story)
        except KeyError:
            raise click.UsageError(f"no story {story!r} in {store.path}") from None
    render = {"md": lambda b: to_markdown(b, full=full), "html": lambda b: to_html([b]), "json": lambda b: to_json([b])}[fmt]
    with output(out_path) as out:
        out.write(render(brief))


@main.command()
@click.argument("query")
@db_option
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def search(query: str, db: str | None, limit: int, fmt: str) -> None:
    """Full-text search of the stored articles (BM25), with snippets and each hit's story."""
    from dataclasses import asdict

    with open_store(db, readonly=True) as store:
        hits = store.search(query, limit=limit)
    for h in hits:
        if fmt == "json":
            click.echo(json.dumps(asdict(h), ensure_ascii=False))
        else:
            click.echo(f"{h.story_id or '-'}  {printable(h.article_id)}  {printable(h.title or '(no title)')}\n"
                       f"    {printable(h.snippet)}")
    if not hits:
        click.echo("newsfuse: no match", err=True)


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet"]), default="jsonl", show_default=True)
@click.option("--what", type=click.Choice(["articles", "stories", "claims"]), default="articles", show_default=True)
@click.option("-o", "--output", "out_path", type=click.Path(dir_okay=False, writable=True), required=True)
def export(db: str | None, fmt: str, what: str, out_path: str) -> None:
    """Export articles (with story ids and copy links), stories or claims as JSONL or Parquet.

    The file is written atomically: an interrupted export leaves the previous
    file (or none), never a truncated one."""
    from .store import default_path
    from .store.export import NoStore, export_db

    check_output(out_path)
    try:
        n = export_db(default_path(db), out_path, fmt=fmt, what=what)
    except NoStore as e:  # a missing store is not created (it would export nothing, silently)
        raise click.ClickException(f"{e} (create one with `newsfuse ingest`)") from None
    say(f"{n} {what} written to {out_path}")


@main.group("eval")
def eval_group() -> None:
    """Score newsfuse against gold annotations."""


@eval_group.command("clustering")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--pred", type=click.Path(exists=True, dir_okay=False), help="Predictions (JSONL with id and story_id); "
              "without it, newsfuse clusters GOLD itself.")
@click.option("--online", is_flag=True, help="Cluster with the stream model.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def eval_clustering(gold: str, pred: str | None, online: bool, fmt: str) -> None:
    """B-cubed and pairwise precision, recall and F1 of story clusters against the `gold` field."""
    from .evaluate import bcubed, pairwise

    gold_of = _jsonl_field(gold, "gold")
    if not gold_of:
        raise click.UsageError(f"{gold} has no rows with both an id and a gold field")
    if pred:
        story_of = _jsonl_field(pred, "story_id")
    else:
        reporter = Reporter()
        articles = read_articles((gold,), reporter, allow_private=False, follow_links=False, max_bytes=DEFAULT_MAX_BYTES)
        story_of = Pipeline(online=online).cluster(articles).story_of
    scores = {"bcubed": bcubed(story_of, gold_of).as_dict(), "pairwise": pairwise(story_of, gold_of).as_dict(),
              "items": len(gold_of), "gold_clusters": len(set(gold_of.values())),
              "predicted_clusters": len({story_of[i] for i in gold_of if i in story_of}),
              "missing": sum(1 for i in gold_of if i not in story_of)}
    if fmt == "json":
        click.echo(json.dumps(scores))
        return
    click.echo(f"items {scores['items']}, gold clusters {scores['gold_clusters']}, "
               f"predicted clusters {scores['predicted_clusters']}, missing {scores['missing']}")
    for name in ("bcubed", "pairwise"):
        s = scores[name]
        click.echo(f"{name:9s} precision {s['precision']:.4f}  recall {s['recall']:.4f}  F1 {s['f1']:.4f}")


@eval_group.command("brief")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--event", "events", multiple=True, help="Score only this event (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def eval_brief(gold_dir: str, events: tuple[str, ...], fmt: str) -> None:
    """Claims, differences and summary of the briefs of annotated events, per event and pooled
    (GOLD_DIR holds inputs/<event>.jsonl and gold/<event>.gold.json, as data/claims-dev)."""
    from .evaluate.brief import evaluate, events_in

    if not events_in(gold_dir):
        raise click.UsageError(f"{gold_dir} has no inputs/<event>.jsonl with gold/<event>.gold.json")
    result = evaluate(gold_dir, events or None)
    click.echo(json.dumps(result.as_dict(), ensure_ascii=False) if fmt == "json" else result.as_text())


@eval_group.command("attribution")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def eval_attribution(directory: str, fmt: str) -> None:
    """Precision, recall and F1 of quotes and attributions on a PolNeAR compartment
    (DIRECTORY holds text/ and attributions/): direct quotes and all attributions,
    for each half of the articles (A: developed on, B: held out) and both."""
    from .analyse import polnear

    sys.exit(polnear.main([directory, *(["--json"] if fmt == "json" else [])]))


def _jsonl_field(path: str, name: str) -> dict[str, str]:
    """id -> field for the rows of a JSONL file that have both."""
    out: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                row = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                continue
            if isinstance(row, dict) and row.get("id") is not None and row.get(name) is not None:
                out[str(row["id"])] = str(row[name])
    return out


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
    # the header's lines hold names from the input: each must stay one line, as it reads
    text = "\n".join(printable(line) for line in head) + "\n\n" + body + "\n"
    if explain:
        lines = [f"  [{r.rule}] {r.line}" for r in a.removed]
        text += f"\nremoved ({len(a.removed)}):\n" + ("\n".join(lines) + "\n" if lines else "")
    return text + "\n"


from .web.cli import serve  # noqa: E402  (imports only click: the web stack loads when serve runs)

main.add_command(serve)

if __name__ == "__main__":  # pragma: no cover
    main()
