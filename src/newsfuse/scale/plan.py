"""The batch pipeline as a plan of partitioned stages, run by any :class:`~.engine.Executor`.

read -> clean -> number -> copies -> features -> slices -> stitch -> split -> write.
Between stages, rows move only by shuffles on a key (:func:`.engine.shuffle`);
the client gathers counts, samples, splitters and digests, and broadcasts
three tables built from them: the repeated lines that cleaning drops, the
document frequencies of features seen twice or more, and the features too
common to propose story pairs. Every stage is timed (each waits for the one
before it, so the split of time is real, at the cost of a little overlap).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..cluster import ClusterParams
from ..cluster.batch import reach_days
from ..dedup import CopyParams
from ..model import Problem
from ..outputs import atomic_dir
from ..read import ReadOptions
from . import articles as A
from . import copies as C
from . import stories as S
from .components import canonical, components
from .engine import Executor, Ranges, Value, each, gathered, pairwise, pick, shuffle
from .order import Ranked, rank

LINE_MIN = 3  # a line seen in fewer articles than this is never boilerplate (see RepeatedLines.test)


@dataclass(slots=True)
class Settings:
    """How a run is cut: ``buckets`` for every shuffle (about 2-4 per worker),
    ``part_bytes`` of input per read partition."""

    buckets: int = 8
    part_bytes: int = 32 << 20
    read: ReadOptions = field(default_factory=lambda: ReadOptions(keep_raw=False))
    copies: CopyParams = field(default_factory=CopyParams)
    stories: ClusterParams = field(default_factory=ClusterParams)


@dataclass(slots=True)
class Summary:
    """What a run did: counts, problems, seconds per stage, and where it wrote."""

    out: str
    articles: int = 0
    originals: int = 0
    copies: int = 0
    stories: int = 0
    partitions: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    retries: int = 0  # stages run again after the cluster lost data it could not recompute

    def to_dict(self) -> dict:  # type: ignore[type-arg]
        return {"out": self.out, "articles": self.articles, "originals": self.originals, "copies": self.copies,
                "stories": self.stories, "partitions": self.partitions, "problems": len(self.problems), "retries": self.retries,
                "seconds": {k: round(v, 3) for k, v in self.seconds.items()}}


def _length(frame: pd.DataFrame) -> int:
    return len(frame)


@dataclass(slots=True)
class _Run:
    """What the stages share: the executor, the settings, the handles each stage
    produced (by name) and the facts gathered on the way."""

    ex: Executor
    s: Settings
    out: Path
    summary: Summary
    parts: list[A.Part]
    handles: dict[str, list] = field(default_factory=dict)  # type: ignore[type-arg]
    planned: list[Problem] = field(default_factory=list)  # problems found while cutting the input
    route: Ranges = field(default_factory=lambda: Ranges(0))
    originals: int = 0
    idf: object = None

    def __getitem__(self, name: str) -> list:  # type: ignore[type-arg]
        return self.handles[name]


def _read(r: _Run) -> dict[str, list]:  # type: ignore[type-arg]
    ex = r.ex
    read = [ex.submit(A.read_part, part, i, r.s.read, name="read") for i, part in enumerate(r.parts)]
    problems = [p for part in gathered(ex, pick, read, 1, name="problems") for p in part]
    r.summary.problems = r.planned + problems
    return {"frames": each(ex, pick, read, 0, name="frame")}


def run(ex: Executor, sources: Iterable[str], out: str | os.PathLike[str], settings: Settings | None = None, *,
        overwrite: bool = False) -> Summary:
    """Cluster ``sources`` into stories on ``ex``; write ``out/articles/`` (every
    article with ``story_id`` and ``duplicate_of``) and ``out/stories/`` (one
    row per story) as Parquet, one file per bucket.

    ``out`` must be absent or empty, or ``overwrite`` given (checked before any
    work, :class:`~newsfuse.outputs.OutputError` if not). The run writes into a
    temporary sibling renamed to ``out`` at the end, so ``out`` holds one whole
    run - never a failed run's half, never two runs' parts mixed.

    Each stage keeps its outputs until no later stage needs them. Should a
    stage fail because the cluster lost data that it can no longer recompute
    (Dask forgets the lineage of what no client holds), the stage is run
    again from its inputs - or, if those are lost too, from an earlier stage.
    """
    with atomic_dir(out, overwrite=overwrite) as root:
        return _run(ex, list(sources), Summary(out=str(out)), root, settings or Settings())


def _run(ex: Executor, sources: list[str], summary: Summary, root: Path, s: Settings) -> Summary:
    parts, planned = A.plan_parts(sources, s.part_bytes)
    summary.partitions = len(parts)
    if not parts:  # nothing to read: the stages have no partition to start from
        summary.problems = planned
        return _nothing(summary, root)
    r = _Run(ex, s, root, summary, parts, planned=planned)
    clock = _Clock(ex, summary.seconds)
    lost = getattr(ex, "lost", ())
    i = retries = 0
    while i < len(STAGES):
        name, needs, stage = STAGES[i]
        try:
            with clock(name) as done:
                made = stage(r)
                done([h for handles in made.values() for h in handles])
        except lost:
            retries += 1
            if retries > MAX_RETRIES:
                raise
            i = _resume(r, i)
            continue
        if made.get("empty") is not None:
            return _nothing(summary, r.out)
        r.handles.update(made)
        later = {n for _, ns, _ in STAGES[i + 1:] for n in ns}
        for key in [k for k in r.handles if k not in later]:
            del r.handles[key]  # nothing later reads it: let the cluster free it
        i += 1
    summary.retries = retries
    (r.out / "summary.json").write_text(json.dumps(summary.to_dict(), indent=2) + "\n", encoding="utf-8")
    return summary


MAX_RETRIES = 8


def _resume(r: _Run, failed: int) -> int:
    """The latest stage, up to ``failed``, whose inputs are all still held and alive."""
    alive = getattr(r.ex, "alive", lambda handles: True)
    for j in range(failed, -1, -1):
        needs = STAGES[j][1]
        if all(n in r.handles and alive(r.handles[n]) for n in needs):
            return j
    return 0


def _clean(r: _Run) -> dict[str, list]:  # type: ignore[type-arg]
    ex, q = r.ex, r.s.buckets
    lines = each(ex, A.line_rows, r["frames"])
    docs = gathered(ex, pick, lines, 1)
    counted = gathered(ex, A.count_lines, shuffle(ex, each(ex, pick, lines, 0), "line", q, "lines"), LINE_MIN)
    learner = ex.put(A.learner_from(counted, docs))
    return {"cleaned": each(ex, A.drop_boilerplate, r["frames"], learner)}


def _number(r: _Run) -> dict[str, list]:  # type: ignore[type-arg]
    """One row per id, numbered in id order (the single-process order), sent to the bucket of its number."""
    ex, q = r.ex, r.s.buckets
    kept = each(ex, A.winners, shuffle(ex, each(ex, A.ids_of, r["cleaned"]), "id", q, "ids"))
    index = rank(ex, kept, "zero", q, tie="id", name="order-ids")
    if index.total == 0:
        return {"empty": []}
    r.route = Ranges(index.total)
    numbers = shuffle(ex, each(ex, A.article_index, index.parts), "part", len(r.parts), "numbers", route=Value())
    moved = shuffle(ex, pairwise(ex, A.with_index, r["cleaned"], numbers), "ix", q, "articles", r.route)
    return {"arts": each(ex, A.by_index, moved)}


def _copies_stage(r: _Run) -> dict[str, list]:  # type: ignore[type-arg]
    return {"copy_of": _copies(r.ex, r["arts"], r.s.copies, r.s.buckets, r.route)}


def _features(r: _Run) -> dict[str, list]:  # type: ignore[type-arg]
    ex, q = r.ex, r.s.buckets
    feats = pairwise(ex, _original_features, r["arts"], r["copy_of"], r.s.stories.weights)
    r.originals = sum(gathered(ex, _length, feats))
    counts = shuffle(ex, each(ex, S.feature_counts, feats), "fid", q, "df")
    r.idf = ex.put(S.Idf.of(r.originals, gathered(ex, S.sum_counts, counts, 2)))
    return {"feats": feats}


def _slices_stage(r: _Run) -> dict[str, list]:  # type: ignore[type-arg]
    clusters, members = _slices(r.ex, r["feats"], r.originals, r.idf, r.s.stories, r.s.buckets)
    return {"clusters": clusters, "members": members}


def _stitch_stage(r: _Run) -> dict[str, list]:  # type: ignore[type-arg]
    if r.originals <= r.s.stories.exact_limit:  # one slice: nothing to stitch
        return {"stories": []}
    return {"stories": _stitch(r.ex, r["clusters"], r.s.stories, r.s.buckets, r.route)}


def _split(r: _Run) -> dict[str, list]:  # type: ignore[type-arg]
    ex, q, route = r.ex, r.s.buckets, r.route
    keys = shuffle(ex, r["members"], "rep", q, "members", route)
    if r["stories"]:
        keys = pairwise(ex, S.story_keys, keys, shuffle(ex, r["stories"], "ix", q, "stories", route))
    else:
        keys = each(ex, _own_story, keys)
    leads = pairwise(ex, S.with_leads, shuffle(ex, keys, "ix", q, "keys", route), r["feats"])
    return {"labels": each(ex, S.split_stories, shuffle(ex, leads, "story", q, "leads"), r.s.stories)}


def _write_stage(r: _Run) -> dict[str, list]:  # type: ignore[type-arg]
    ex, q, route, root = r.ex, r.s.buckets, r.route, r.out
    labels = shuffle(ex, r["labels"], "ix", q, "labels", route)
    copied = shuffle(ex, r["copy_of"], "original", q, "copy-of", route)
    copy_labels = shuffle(ex, pairwise(ex, _copy_labels, copied, labels), "ix", q, "copy-labels", route)
    final = [ex.submit(_finish, a, lab, c, name="finish") for a, lab, c in zip(r["arts"], labels, copy_labels)]
    written = [ex.submit(_write, f, str(root / "articles" / f"part-{j:05d}.parquet"), name="write-articles")
               for j, f in enumerate(final)]
    story_rows = shuffle(ex, each(ex, _story_rows, final), "story_id", q, "story-rows")
    told = [ex.submit(_write_stories, rows, str(root / "stories" / f"part-{j:05d}.parquet"), name="write-stories")
            for j, rows in enumerate(story_rows)]
    counts = ex.gather(written)
    r.summary.stories = sum(ex.gather(told))
    r.summary.articles = sum(c[0] for c in counts)
    r.summary.copies = sum(c[1] for c in counts)
    r.summary.originals = r.summary.articles - r.summary.copies
    return {}


# (name, the handles it reads, the stage): a stage's outputs live until no later stage reads them
STAGES = [
    ("read", (), _read),
    ("clean", ("frames",), _clean),
    ("number", ("cleaned",), _number),
    ("copies", ("arts",), _copies_stage),
    ("features", ("arts", "copy_of"), _features),
    ("slices", ("feats",), _slices_stage),
    ("stitch", ("clusters",), _stitch_stage),
    ("split", ("members", "stories", "feats"), _split),
    ("write", ("labels", "copy_of", "arts"), _write_stage),
]


def _nothing(summary: Summary, root: Path) -> Summary:
    """No article was read: empty tables, so that what reads the output finds it."""
    _write(pd.DataFrame({c: pd.Series([], dtype=object) for c in OUTPUT_COLUMNS}), str(root / "articles" / "part-00000.parquet"))
    _write_stories(pd.DataFrame({c: pd.Series([], dtype=object) for c in ["story_id", "id", "duplicate_of", "title", "source"]})
                   .assign(day=pd.Series([], dtype=np.float64)), str(root / "stories" / "part-00000.parquet"))
    (root / "summary.json").write_text(json.dumps(summary.to_dict(), indent=2) + "\n", encoding="utf-8")
    return summary


class _Clock:
    """Seconds per stage; a stage ends when the handles it hands to ``done`` are computed."""

    def __init__(self, ex: Executor, seconds: dict[str, float]) -> None:
        self.ex, self.seconds = ex, seconds

    @contextmanager
    def __call__(self, stage: str) -> Iterator:  # type: ignore[type-arg]
        start = time.perf_counter()
        pending: list = []  # type: ignore[type-arg]
        yield pending.extend
        wait = getattr(self.ex, "wait", None)
        if wait is not None and pending:
            wait(pending)
        self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start


# --- stages composed of several moves -----------------------------------------------------


def _copies(ex: Executor, arts: list, params: CopyParams, q: int, route: Ranges) -> list:  # type: ignore[type-arg]
    """(ix, original) of every copy, routed by ix."""
    sk = each(ex, C.sketch, arts, params)
    proposals = each(ex, C.propose, shuffle(ex, each(ex, C.band_rows, sk, params), "key", q, "bands"))
    pairs = pairwise(ex, C.with_signature, shuffle(ex, proposals, "a", q, "pairs", route), sk)
    pairs = pairwise(ex, C.likely, shuffle(ex, pairs, "b", q, "pairs-b", route), sk, params)
    edges = pairwise(ex, C.confirm, shuffle(ex, pairs, "a", q, "pairs-a", route), sk, params)
    roots = components(ex, each(ex, canonical, edges), q, route, name="copy-groups")
    members = shuffle(ex, pairwise(ex, C.facts, roots, sk), "root", q, "copy-members")
    return shuffle(ex, each(ex, C.originals, members), "ix", q, "copies", route)


def _original_features(arts: pd.DataFrame, copy_of: pd.DataFrame, weights) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    originals = arts[~arts["ix"].isin(copy_of["ix"])]
    return S.features(originals, weights)


def _slices(ex: Executor, feats: list, n: int, idf, params: ClusterParams, q: int) -> tuple[list, list]:  # type: ignore[no-untyped-def,type-arg]
    """Clusters and memberships of every slice of ``exact_limit`` reports in (time, id) order."""
    ranked = rank(ex, each(ex, _linked_columns, feats), "day", q, name="order-reports")
    size = params.exact_limit
    whole = n <= size
    out = []
    for i in range(len(ranked.parts)):
        lo, hi = ranked.starts[i], ranked.starts[i + 1]
        first = -(-lo // size) * size  # the first slice that starts in this partition
        if first >= hi:
            continue
        stop = min(n, -(-hi // size) * size)
        needed = [ranked.parts[j] for j in ranked.covering(first, stop)]
        out.append(ex.submit(S.slice_clusters, first, stop, params, idf, whole, *needed, name="slice"))
    return each(ex, pick, out, 0, name="clusters"), each(ex, pick, out, 1, name="members")


def _linked_columns(feats: pd.DataFrame) -> pd.DataFrame:
    """What linkage inside a slice reads (the lead features wait for the split)."""
    return feats[["ix", "day", "fids", "vals"]]


def _stitch(ex: Executor, clusters: list, params: ClusterParams, q: int, route: Ranges) -> list:  # type: ignore[type-arg]
    """(ix, story) of every cluster, after stitching."""
    k = sum(gathered(ex, _length, clusters))
    limit = max(50, int(0.01 * k))
    common_rows = gathered(ex, S.sum_counts, shuffle(ex, each(ex, S.feature_counts, clusters), "fid", q, "cdf"), limit + 1)
    common = ex.put(np.sort(np.concatenate([t["fid"].to_numpy(np.int64) for t in common_rows])))
    ranked = rank(ex, clusters, "centre", q, name="order-clusters")
    dated = sum(gathered(ex, _dated, ranked.parts))
    reach = reach_days(params.threshold, params.window_days, params.scale_days) + 30
    undated = ranked.covering(dated, ranked.total)
    edges = []
    for b in range(0, dated, S.STITCH_BLOCK):  # dated blocks meet the clusters within reach, and the undated
        rows = (b, min(b + S.STITCH_BLOCK, dated))
        needed = sorted(_window(ranked, rows, reach) | set(undated))
        edges.append(ex.submit(S.stitch_edges, rows, (0, dated), dated, common, params,
                               *[ranked.parts[j] for j in needed], name="stitch-block"))
    for b in range(dated, ranked.total, S.STITCH_BLOCK):  # undated blocks meet every cluster
        edges.append(ex.submit(S.stitch_edges, (b, min(b + S.STITCH_BLOCK, ranked.total)), None, dated, common, params,
                               *ranked.parts, name="stitch-undated"))
    roots = components(ex, each(ex, canonical, edges), q, route, name="story-groups")
    clusters_ = pairwise(ex, S.with_root, shuffle(ex, clusters, "ix", q, "clusters", route), roots)
    edges_ = pairwise(ex, S.edge_roots, shuffle(ex, edges, "a", q, "edges", route), roots)
    return pairwise(ex, S.stitched, shuffle(ex, clusters_, "root", q, "components"),
                    shuffle(ex, edges_, "root", q, "component-edges"), params)


def _window(ranked: Ranked, rows: tuple[int, int], reach: float) -> set[int]:
    """The partitions that may hold clusters within ``reach`` days of the ranks ``rows``."""
    own = ranked.covering(*rows)
    low = min(ranked.low[j] for j in own) - reach
    high = max(ranked.high[j] for j in own) + reach
    near = {j for j in range(len(ranked.parts))
            if not np.isnan(ranked.low[j]) and ranked.high[j] >= low and ranked.low[j] <= high}
    return near | set(own)


def _dated(frame: pd.DataFrame) -> int:
    return int(frame["centre"].notna().sum())


def _own_story(members: pd.DataFrame) -> pd.DataFrame:
    return members.assign(story=members["rep"])


def _copy_labels(copies: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """(ix, story_id, duplicate_of) of copies (routed by original): their original's story and id."""
    out = copies.merge(labels.rename(columns={"ix": "original", "id": "duplicate_of"}), on="original", how="left")
    return out[["ix", "story_id", "duplicate_of"]]


OUTPUT_COLUMNS = ["id", "story_id", "duplicate_of", "title", "text", "url", "source", "published", "published_via",
                  "language", "authors", "dateline", "origin"]
STORY_COLUMNS = ["story_id", "articles", "originals", "copies", "sources", "founder", "title", "first_published",
                 "last_published"]


def _schema(columns: list[str]):  # type: ignore[no-untyped-def]
    """One Arrow schema for every part of a table: a part whose column holds only nulls would
    otherwise be typed null, and the directory could not be read as one dataset."""
    import pyarrow as pa

    types = {"published": pa.timestamp("us", tz="UTC"), "first_published": pa.timestamp("us", tz="UTC"),
             "last_published": pa.timestamp("us", tz="UTC"), "authors": pa.list_(pa.string())}
    types.update(dict.fromkeys(("articles", "originals", "copies", "sources"), pa.int64()))
    return pa.schema([(c, types.get(c, pa.string())) for c in columns])


def _finish(arts: pd.DataFrame, labels: pd.DataFrame, copies: pd.DataFrame) -> pd.DataFrame:
    """The output rows of a bucket of articles."""
    story = pd.concat([labels[["ix", "story_id"]], copies[["ix", "story_id"]]], ignore_index=True)
    return arts.merge(story, on="ix", how="left").merge(copies[["ix", "duplicate_of"]], on="ix", how="left")


def _write(frame: pd.DataFrame, path: str) -> tuple[int, int]:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    table = frame[[c for c in OUTPUT_COLUMNS if c in frame.columns]].copy()
    table["published"] = pd.to_datetime(table["published"], utc=True).dt.floor("us")  # the schema's unit
    table.to_parquet(path, index=False, schema=_schema(list(table.columns)))
    return len(frame), int(frame["duplicate_of"].notna().sum())


def _story_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["story_id", "id", "duplicate_of", "title", "source", "day"]]



def _write_stories(rows: pd.DataFrame, path: str) -> int:
    """One row per story: its founder (earliest original) and title, counts and time span."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    rows = rows.assign(original=rows["duplicate_of"].isna(), _d=np.nan_to_num(rows["day"].to_numpy(np.float64), nan=np.inf))
    groups = rows.groupby("story_id", sort=True)
    originals = rows[rows["original"]]
    founders = originals.sort_values(["_d", "id"]).drop_duplicates("story_id").set_index("story_id")
    out = pd.DataFrame({
        "articles": groups.size(),
        "originals": groups["original"].sum().astype(np.int64),
        "sources": originals.groupby("story_id")["source"].nunique(),
        "first_published": groups["day"].min(),
        "last_published": groups["day"].max(),
    })
    out["copies"] = out["articles"] - out["originals"]
    out["sources"] = out["sources"].fillna(0).astype(np.int64)
    out["founder"] = founders["id"].reindex(out.index)
    out["title"] = founders["title"].reindex(out.index)
    for col in ("first_published", "last_published"):
        out[col] = pd.to_datetime(out[col] * 86400, unit="s", utc=True).dt.floor("us")  # the schema's unit
    out = out.reset_index().rename(columns={"index": "story_id"})
    out[STORY_COLUMNS].to_parquet(path, index=False, schema=_schema(STORY_COLUMNS))
    return len(out)
