"""Reading and cleaning, partition by partition.

Inputs are cut into :class:`Part` s: a large JSONL file into line-aligned
byte ranges, a Parquet file into runs of row groups, small files (HTML, text,
WARC, feeds) into groups of about the same size. A part is read where it is
worked on: only its description crosses the network.

Cleaning needs one thing from the whole batch: the lines repeated across
unrelated articles (site furniture). Each partition lists its short lines
(:func:`line_rows`); the rows are shuffled by line, each bucket counts in how
many articles of different content each line occurs (:func:`count_lines`),
and only lines seen often enough to matter are broadcast back
(:func:`drop_boilerplate`) - the same rule as :func:`newsfuse.clean_batch`.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..clean import RepeatedLines, drop_repeated
from ..cluster.model import day_of
from ..dedup import trusted_time
from ..model import Article, Problem, content_id
from ..read import ReadOptions, expand, format_from_name, iter_read, iter_read_parquet, iter_read_range, parquet_row_groups, split_jsonl

FIELDS = [f.name for f in dataclasses.fields(Article)]
NO_OUTLET = "\x00"  # stands for "no outlet" in grouping keys (pandas drops None keys)


@dataclass(frozen=True, slots=True)
class Part:
    """One partition of the input: some whole files, a line range of a JSONL
    file, or some row groups of a Parquet file."""

    paths: tuple[str, ...]
    start: int = 0
    end: int = 0
    first_line: int = 1
    row_groups: tuple[int, ...] | None = None


def plan_parts(sources: Iterable[str], target_bytes: int = 32 << 20) -> tuple[list[Part], list[Problem]]:
    """The partitions of ``sources`` (files, directories, globs), about ``target_bytes`` each."""
    parts: list[Part] = []
    problems: list[Problem] = []
    group: list[str] = []
    size = 0
    for spec in expand(list(sources)):
        if isinstance(spec, Problem):
            problems.append(spec)
            continue
        if spec == "-" or spec.startswith(("http://", "https://")):
            problems.append(Problem(spec, "the distributed engine reads files only (save URLs and stdin to files first)"))
            continue
        fmt = format_from_name(spec)
        nbytes = os.path.getsize(spec)
        if fmt == "jsonl" and not spec.lower().endswith(".gz") and nbytes > target_bytes:
            parts += [Part((spec,), a, b, line) for a, b, line in split_jsonl(spec, target_bytes)]
        elif fmt == "parquet" and nbytes > target_bytes:
            parts += _parquet_parts(spec, nbytes, target_bytes)
        else:
            group.append(spec)
            size += nbytes
            if size >= target_bytes:
                parts.append(Part(tuple(group)))
                group, size = [], 0
    if group:
        parts.append(Part(tuple(group)))
    return parts, problems


def _parquet_parts(path: str, nbytes: int, target_bytes: int) -> list[Part]:
    rows = parquet_row_groups(path)
    per_row = nbytes / max(1, sum(rows))
    parts, run, acc = [], [], 0.0
    for g, n in enumerate(rows):
        run.append(g)
        acc += n * per_row
        if acc >= target_bytes:
            parts.append(Part((path,), row_groups=tuple(run)))
            run, acc = [], 0.0
    if run:
        parts.append(Part((path,), row_groups=tuple(run)))
    return parts


def _read(part: Part, options: ReadOptions, on_problem) -> Iterable[Article]:  # type: ignore[no-untyped-def]
    if part.row_groups is not None:
        return iter_read_parquet(part.paths[0], list(part.row_groups), options=options, on_problem=on_problem)
    if part.end > part.start:
        return iter_read_range(part.paths[0], part.start, part.end, part.first_line, options=options, on_problem=on_problem)
    return iter_read(list(part.paths), options=options, on_problem=on_problem)


def read_part(part: Part, number: int, options: ReadOptions) -> tuple[pd.DataFrame, list[Problem]]:
    """The articles of one partition as a frame (one column per :class:`Article`
    field, plus ``seq``: the partition's number in the high 32 bits, the row's
    in the low ones - input order across partitions), and its problems."""
    problems: list[Problem] = []
    articles = list(_read(part, options, problems.append))
    return to_frame(articles, first_seq=number << 32), problems


def to_frame(articles: list[Article], first_seq: int = 0) -> pd.DataFrame:
    """Articles as a frame; ``day`` (days since 1970, NaN: unknown) and ``when``
    (trusted publication time in seconds, inf: unknown) are computed once here."""
    frame = pd.DataFrame({f: pd.Series([getattr(a, f) for a in articles], dtype=object) for f in FIELDS})
    frame["seq"] = np.arange(first_seq, first_seq + len(articles), dtype=np.int64)
    frame["day"] = np.array([day_of(a) for a in articles], np.float64)
    frame["when"] = np.array([trusted_time(a) for a in articles], np.float64)
    frame["length"] = np.array([len(a.text) for a in articles], np.int64)
    # the content as read, before batch cleaning: two rows of one id are told apart by it
    # (the digest read.distinct_ids takes, so a renamed id is the same in both engines)
    frame["digest"] = pd.Series([content_id(a.url, a.title, a.text) for a in articles], dtype=object)
    return frame


def to_articles(frame: pd.DataFrame) -> list[Article]:
    columns = [frame[f].tolist() for f in FIELDS]
    return [Article(**dict(zip(FIELDS, values))) for values in zip(*columns)]


# --- repeated lines ----------------------------------------------------------------------


def line_rows(frame: pd.DataFrame, max_len: int = 200) -> tuple[pd.DataFrame, dict[str, int]]:
    """Each short line of each article with the article's content key and
    outlet, once per article; and the number of non-empty articles per outlet."""
    keys, contents, outlets = [], [], []
    docs: dict[str, int] = {}
    for paragraphs, source in zip(frame["paragraphs"].tolist(), frame["source"].tolist()):
        seen = RepeatedLines.observe(paragraphs, max_len)
        if seen is None:
            continue
        outlet = NO_OUTLET if source is None else source
        docs[outlet] = docs.get(outlet, 0) + 1
        content, lines = seen
        keys += lines
        contents += [content] * len(lines)
        outlets += [outlet] * len(lines)
    return pd.DataFrame({"line": keys, "content": contents, "outlet": outlets}, dtype=object), docs


def count_lines(rows: pd.DataFrame, at_least: int) -> pd.DataFrame:
    """Per line (and per outlet and line, ``outlet`` set): in how many articles of
    different content it occurs, for lines reaching ``at_least`` somewhere."""
    if rows.empty:
        return pd.DataFrame({"line": [], "outlet": [], "docs": []})
    everywhere = rows.drop_duplicates(["line", "content"]).groupby("line", sort=True).size()
    per_outlet = rows.drop_duplicates(["outlet", "line", "content"]).groupby(["outlet", "line"], sort=True).size()
    everywhere = everywhere[everywhere >= at_least]
    per_outlet = per_outlet[per_outlet >= at_least]
    return pd.concat([
        pd.DataFrame({"line": everywhere.index, "outlet": None, "docs": everywhere.to_numpy()}),
        pd.DataFrame({"line": per_outlet.index.get_level_values(1), "outlet": per_outlet.index.get_level_values(0),
                      "docs": per_outlet.to_numpy()}),
    ], ignore_index=True)


def learner_from(counts: list[pd.DataFrame], docs: list[dict[str, int]]) -> RepeatedLines:
    """The repeated-lines learner of the whole input, from the buckets' counts."""
    lines: dict[str, int] = {}
    outlet_lines: dict[tuple[str | None, str], int] = {}
    for frame in counts:
        for line, outlet, n in zip(frame["line"].tolist(), frame["outlet"].tolist(), frame["docs"].tolist()):
            if outlet is None:
                lines[line] = int(n)
            else:
                outlet_lines[(None if outlet == NO_OUTLET else outlet, line)] = int(n)
    by_outlet: dict[str | None, int] = {}
    for d in docs:
        for outlet, n in d.items():
            key = None if outlet == NO_OUTLET else outlet
            by_outlet[key] = by_outlet.get(key, 0) + n
    return RepeatedLines.from_counts(lines, outlet_lines, sum(by_outlet.values()), by_outlet)


def drop_boilerplate(frame: pd.DataFrame, learner: RepeatedLines) -> pd.DataFrame:
    """The partition with the learner's repeated lines removed (as ``clean_batch`` does)."""
    articles = drop_repeated(to_articles(frame), learner)
    out = frame.copy()
    for f in ("text", "paragraphs", "removed"):
        out[f] = pd.Series([getattr(a, f) for a in articles], dtype=object, index=frame.index)
    out["length"] = np.array([len(a.text) for a in articles], np.int64)
    return out


# --- one row per id, and its index ----------------------------------------------------------


def ids_of(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"id": frame["id"].to_numpy(object), "seq": frame["seq"].to_numpy(np.int64),
                         "digest": frame["digest"].to_numpy(object), "zero": 0.0})


def winners(ids: pd.DataFrame) -> pd.DataFrame:
    """One row per id (all rows of an id are in this bucket). As :func:`newsfuse.read.distinct_ids`
    does in one process: a row whose id was given to other content before gets the id
    ``id~<digest>``; of rows of one id and one content, the last read is kept, as a later
    duplicate replaces an earlier one in :meth:`newsfuse.Pipeline.cluster`."""
    ids = ids.sort_values("seq", kind="stable")
    contents = ids.groupby("id", sort=False)["digest"].nunique()
    if (contents > 1).any():
        ids = ids.assign(id=_distinct(ids["id"].tolist(), ids["digest"].tolist()))
    return ids.drop_duplicates("id", keep="last")


def _distinct(ids: list[str], digests: list[str]) -> list[str]:
    owner: dict[str, str] = {}
    out = []
    for given, digest in zip(ids, digests):
        if owner.setdefault(given, digest) != digest:
            given = f"{given}~{digest[:8]}"
            owner.setdefault(given, digest)
        out.append(given)
    return out


def article_index(ranked: pd.DataFrame) -> pd.DataFrame:
    """(seq, ix, part, id): each kept row's index in id order (``ix``) and its id (another if
    its own was taken), to be sent to the partition it was read in."""
    seq = ranked["seq"].to_numpy(np.int64)
    return pd.DataFrame({"seq": seq, "ix": ranked["rank"].to_numpy(np.int64), "part": seq >> 32,
                         "id": ranked["id"].to_numpy(object)})


# what later stages and the output use: paragraphs, removals and raw input stay behind (memory)
CARRIED = ["id", "title", "text", "url", "source", "published", "published_via", "language", "authors", "dateline",
           "origin", "seq", "day", "when", "length"]


def with_index(frame: pd.DataFrame, index: pd.DataFrame) -> pd.DataFrame:
    """The partition's kept rows, with their index and the columns later stages use."""
    kept = frame[CARRIED].drop(columns="id").merge(index[["seq", "ix", "id"]], on="seq", how="inner")
    return kept[[*CARRIED, "ix"]]


def by_index(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("ix", kind="stable").reset_index(drop=True)
