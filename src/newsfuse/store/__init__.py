"""The story store: articles keep arriving, stories grow, nothing is lost.

>>> with Store("newsfuse.db") as store:                       # doctest: +SKIP
...     report = store.ingest(["feeds/today/"])
...     print(report.line())
...     for row in store.stories(min_sources=2):
...         print(row.id, row.headline, row.sources)
...     print(to_markdown(store.brief(row.id)))

SQLite in WAL mode (readers never block the writer, nor see half a batch),
with a versioned schema (:mod:`.schema`). Ingest runs the stream model
(copies, then stories) over each batch of new articles and writes, in one
transaction: the articles (with their raw input), copy links, story
memberships and their history, the stories, and the model's state. A crash
or a kill in the middle of a batch leaves the store as it was before that
batch; the next ingest reloads the model as it was committed and goes on.
The same article ingested twice is stored once (articles are keyed by their
content id).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..clean import clean_batch
from ..cluster import ClusterParams, StoryClusterer
from ..dedup import CopyDetector, CopyParams
from ..model import Article, Problem
from ..pipeline import Story, time_order
from ..read import ReadOptions, distinct_ids, iter_read
from .health import (NotAStore, StoreBusy, StoreDamaged, StoreError, StoreReadOnly, check_fts, check_header,
                     check_schema, guarded, quick_check, translated)
from .schema import MIGRATIONS, migrate

__all__ = ["DEFAULT_DB", "Hit", "IngestReport", "NotAStore", "Store", "StoreBusy", "StoreDamaged", "StoreError",
           "StoreReadOnly", "StoryRow", "default_path"]

DEFAULT_DB = "newsfuse.db"
BATCH_SIZE = 500  # articles per transaction: a crash loses at most this much work, never stored data
SAVE_EVERY = 20_000  # articles learned between saves of the models' state (between, batches are learned again)
LOCK_TIMEOUT = 600.0  # seconds a writer waits for another's batch to commit (a batch takes seconds, not minutes)
READ_TIMEOUT = 30.0  # seconds a reader waits (in WAL mode only for a checkpoint or a recovery)


def default_path(path: str | os.PathLike[str] | None = None) -> Path:
    """``path``, else ``$NEWSFUSE_DB``, else ``./newsfuse.db``."""
    return Path(path or os.environ.get("NEWSFUSE_DB") or DEFAULT_DB)


@dataclass(slots=True)
class IngestReport:
    """What an ingest did. ``skipped`` are bad input items, each with its reason."""

    read: int = 0
    new: int = 0
    already_stored: int = 0
    copies: int = 0
    stories_created: int = 0
    stories_grown: int = 0
    stories_merged: int = 0
    batches: int = 0
    skipped: list[Problem] = field(default_factory=list)

    def line(self) -> str:
        skipped = f", {len(self.skipped)} skipped" if self.skipped else ""
        return (f"{self.read} read, {self.new} new, {self.already_stored} already stored, {self.copies} copies"
                f"{skipped}; stories: {self.stories_created} created, {self.stories_grown} grown, "
                f"{self.stories_merged} merged")


@dataclass(slots=True)
class StoryRow:
    """A stored story: ``articles`` reports, ``sources`` independent ones (copies count once)."""

    id: str
    headline: str | None
    articles: int
    sources: int
    first_seen: str | None
    last_seen: str | None


@dataclass(slots=True)
class Hit:
    """A matching article: ``snippet`` marks the matches ``[like this]``; ``score`` is BM25 (lower is better)."""

    article_id: str
    story_id: str | None
    title: str | None
    snippet: str
    score: float  # BM25: lower is better


class Store:
    """An embedded store of articles and stories (SQLite).

    Parameters
    ----------
    path : path-like, optional
        The database file (default: ``$NEWSFUSE_DB`` or ``./newsfuse.db``); created by the
        first write (an ingest that reads nothing creates no file).
    readonly : bool, default=False
        Open for reading only (no migration, no writes, no caches written): for concurrent
        readers, and for stores this process cannot write (read-only files or media).
    lock_timeout : float
        Seconds a write waits for another writer's batch before :class:`StoreBusy`.

    Raises
    ------
    NotAStore, StoreDamaged
        The file is not a newsfuse store, or its header or schema is damaged.
    StoreReadOnly
        A writable store was asked of a file or folder this process cannot write.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, readonly: bool = False,
                 lock_timeout: float = LOCK_TIMEOUT, cluster_params: ClusterParams | None = None,
                 copy_params: CopyParams | None = None) -> None:
        self.path = default_path(path)
        self.readonly = readonly
        self.lock_timeout = lock_timeout
        self.cluster_params = cluster_params or ClusterParams()
        self.copy_params = copy_params or CopyParams()
        self._model: tuple[CopyDetector, StoryClusterer] | None = None
        self._model_batch = 0  # the last batch the models have learned
        self._unsaved = 0  # articles learned since the models' state was last saved
        self._analysis = None
        self._reads_memory: dict[str, Any] = {}  # the analysis cache of a store that is not written
        self._conn: sqlite3.Connection | None = None
        if readonly:
            self._conn = _open_reader(self.path)
        else:
            _check_writable(self.path)  # up front: before an ingest reads anything
            if self.path.exists():
                self._conn = self._open_writer()

    @classmethod
    def for_reading(cls, path: str | os.PathLike[str] | None = None, *, keep_briefs: bool = True) -> Store:
        """An existing store to read: writable when ``keep_briefs`` and this process may write it,
        so that the briefs it makes are kept (``newsfuse show``, the server's worker); read-only
        otherwise, and then briefs are made again next time (a read never fails for want of
        write access)."""
        if keep_briefs and default_path(path).exists():
            try:
                return cls(path)
            except StoreReadOnly:
                pass
        return cls(path, readonly=True)

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection; a new store's file is made here, at its first use."""
        if self._conn is None:
            self._conn = self._open_writer()
        return self._conn

    def _open_writer(self) -> sqlite3.Connection:
        if self.path.exists():
            check_header(self.path)
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=self.lock_timeout, check_same_thread=False)
        try:
            check_schema(conn, self.path, len(MIGRATIONS))
            with translated():
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")  # with WAL: a committed batch survives a process crash
                migrate(conn)
                conn.execute("PRAGMA foreign_keys=ON")
        except BaseException:
            conn.close()
            raise
        return conn

    def check(self) -> None:
        """Read every page (``PRAGMA quick_check``): :class:`StoreDamaged` if the file is damaged.
        Its cost grows with the store; ``serve`` runs it once at start, an ingest before it writes."""
        quick_check(self.conn, self.path)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, begun by taking the write lock (waiting up to ``lock_timeout``)."""
        if self.readonly:
            raise StoreReadOnly(f"{self.path} was opened read-only")
        c = self.conn
        try:
            c.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            if (e.sqlite_errorcode & 0xFF) == 5:  # SQLITE_BUSY
                raise StoreBusy(f"{self.path}: another process held the write lock for more than "
                                f"{self.lock_timeout:g} s (another ingest?); try again, or wait longer "
                                f"(--lock-timeout)") from e
            raise
        try:
            yield c
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    # --- ingest -------------------------------------------------------------------------

    def ingest(self, sources: Iterable[str] | str, *, options: ReadOptions | None = None,
               batch_size: int = BATCH_SIZE, on_problem: Callable[[Problem], None] | None = None,
               on_article: Callable[[Article], None] | None = None) -> IngestReport:
        """Read ``sources`` (paths, globs, URLs, feeds) and add what is new, batch by batch."""
        report = IngestReport()
        inputs = [sources] if isinstance(sources, str) else list(sources)
        if self.path.exists():  # (a new store is made by the first batch: none if nothing is read)
            self.check()  # never write into a damaged file: it would spread the damage

        def problem(p: Problem) -> None:
            if p.skipped:
                report.skipped.append(p)
            if on_problem:
                on_problem(p)

        batch: list[Article] = []
        for article in distinct_ids(iter_read(inputs, options=options or ReadOptions(), on_problem=problem), problem):
            if on_article:
                on_article(article)
            batch.append(article)
            if len(batch) >= batch_size:
                self.add(clean_batch(batch), inputs=inputs, report=report)
                batch = []
        if batch:
            self.add(clean_batch(batch), inputs=inputs, report=report)
        self.save_model()
        return report

    @guarded
    def add(self, articles: Sequence[Article], *, inputs: Sequence[str] = (),
            report: IngestReport | None = None) -> IngestReport:
        """Add already read and cleaned articles in one transaction.

        Another process may write between two batches: what is stored, and the models'
        state, are read again under the write lock, so each batch goes on from the
        latest committed one (a second writer waits, it does not mix)."""
        report = report if report is not None else IngestReport()
        report.read += len(articles)
        unique = list({a.id: a for a in articles}.values())
        if not unique or len(self._stored_ids([a.id for a in unique])) == len(unique):
            report.already_stored += len(articles)  # nothing to write: no need for the lock
            return report
        try:
            with self._writing():
                stored = self._stored_ids([a.id for a in unique])
                new = time_order(a for a in unique if a.id not in stored)
                counts = self._add(new, list(inputs)) if new else None
        except BaseException:
            self._model = None  # it may have learned what was not committed: reload the committed state
            raise
        report.already_stored += len(articles) - len(new)
        if counts is None:
            return report
        report.new += len(new)
        report.copies += counts["copies"]
        report.stories_created += counts["stories_created"]
        report.stories_grown += counts["stories_grown"]
        report.stories_merged += counts["stories_merged"]
        report.batches += 1
        return report

    def _add(self, new: list[Article], inputs: list[str]) -> dict[str, int]:
        """Learn and write one batch, inside the write transaction; returns its summary."""
        detector, model = self._online()  # caught up with every batch committed before the lock
        _learn(detector, model, new)
        labels = model.current_labels()
        # a copy may be found only when a better original arrives later: ask the detector now
        copy_of = {a.id: o for a in new if (o := detector.copy_of(a.id)) is not None}
        c = self.conn
        batch = c.execute("INSERT INTO batches(started, inputs) VALUES (?, ?)", (_now(), json.dumps(inputs))).lastrowid
        assert batch is not None  # an INSERT's row id
        c.executemany("INSERT INTO articles(id, batch, origin, format, url, title, source, published, "
                      "published_via, language, text, raw, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      [_article_row(a, batch) for a in new])
        c.execute("INSERT INTO articles_fts(rowid, title, text) SELECT rowid, coalesce(title, ''), text "
                  "FROM articles WHERE batch = ?", (batch,))
        c.executemany("INSERT INTO copies(article_id, original_id) VALUES (?, ?)", copy_of.items())
        relinked = self._recheck_copies(detector, {labels.get(o) for o in copy_of.values()}
                                        | {labels.get(a.id) for a in new})
        touched, merged = self._memberships(new, copy_of, labels, batch)
        created, grown = self._stories(touched, batch)
        self._model_batch = batch
        self._unsaved += len(new)
        if self._unsaved >= SAVE_EVERY:
            self._save_model()
        # copies: the links this batch added to the table, new articles' and stored ones' alike
        summary = {"new": len(new), "copies": len(copy_of) + relinked, "stories_created": created,
                   "stories_grown": grown, "stories_merged": merged}
        c.execute("UPDATE batches SET finished = ?, summary = ? WHERE id = ?", (_now(), json.dumps(summary), batch))
        return summary

    def _online(self) -> tuple[CopyDetector, StoryClusterer]:
        """The stream models as the last committed batch left them: the last saved state,
        then the batches committed after it learned again, in the same groups and order
        (the models are deterministic, so this is the state they had). Called under the
        write lock, this also learns the batches another process committed meanwhile."""
        if self._model is None:
            row = self.conn.execute("SELECT state, batch FROM model_state WHERE name = 'online'").fetchone()
            self._model = pickle.loads(row[0]) if row else (CopyDetector(self.copy_params),
                                                            StoryClusterer(self.cluster_params))
            self._model_batch = row[1] if row else 0
            self._unsaved = 0
        detector, model = self._model
        later = [b for (b,) in self.conn.execute("SELECT id FROM batches WHERE id > ? ORDER BY id",
                                                 (self._model_batch,))]
        for b in later:
            articles = [_article(d, t) for d, t in self.conn.execute(
                "SELECT data, text FROM articles WHERE batch = ? ORDER BY rowid", (b,))]
            _learn(detector, model, articles)
            self._unsaved += len(articles)
            self._model_batch = b
        return self._model

    @guarded
    def save_model(self) -> None:
        """Save the stream models' state now (an ingest does at its end), so that the next
        open needs to learn nothing again."""
        if self._model is None or not self._unsaved or self.readonly:
            return
        with self._writing():
            self._save_model()

    def _save_model(self) -> None:
        """The state as of the last batch the models learned; a state another writer saved
        of a later batch is kept (it needs less learned again)."""
        state = pickle.dumps(self._model, protocol=pickle.HIGHEST_PROTOCOL)
        self.conn.execute("INSERT INTO model_state(name, batch, state) VALUES ('online', ?, ?) ON CONFLICT(name) "
                          "DO UPDATE SET batch = excluded.batch, state = excluded.state "
                          "WHERE excluded.batch > model_state.batch", (self._model_batch, state))
        self._unsaved = 0

    def _recheck_copies(self, detector: CopyDetector, stories: set[str | None]) -> int:
        """Stored articles of these stories that turned out copies of a new, better original
        (or no longer are copies): their copy links follow the detector. Returns the links
        added less those removed, for the report to count what the table holds."""
        c = self.conn
        ids = [r[0] for sid in stories if sid for r in
               c.execute("SELECT article_id FROM memberships WHERE story_id = ?", (sid,))]
        stored = dict(c.execute("SELECT article_id, original_id FROM copies"))
        net = 0
        for aid in ids:
            now = detector.copy_of(aid)
            if now != stored.get(aid):
                c.execute("DELETE FROM copies WHERE article_id = ?", (aid,))
                if now is not None:
                    c.execute("INSERT INTO copies(article_id, original_id) VALUES (?, ?)", (aid, now))
                net += (now is not None) - (aid in stored)
        return net

    def _memberships(self, new: list[Article], copy_of: dict[str, str], labels: dict[str, str],
                     batch: int) -> tuple[set[str], int]:
        """Write where each article now belongs (new ones, and old ones a merge or split
        moved); returns the stories touched and how many stories were merged away."""
        c = self.conn
        current = dict(c.execute("SELECT article_id, story_id FROM memberships"))
        stored_copies = dict(c.execute("SELECT article_id, original_id FROM copies"))

        def story_of(aid: str) -> str:
            return labels.get(aid) or labels.get(stored_copies.get(aid, ""), "") or labels[copy_of[aid]]

        moves = [(aid, story_of(aid), sid) for aid, sid in current.items() if story_of(aid) != sid]
        rows = [(a.id, story_of(a.id)) for a in new] + [(aid, sid) for aid, sid, _ in moves]
        c.executemany("INSERT INTO memberships(article_id, story_id, batch) VALUES (?, ?, ?) ON CONFLICT(article_id) "
                      "DO UPDATE SET story_id = excluded.story_id, batch = excluded.batch",
                      [(aid, sid, batch) for aid, sid in rows])
        c.executemany("INSERT INTO membership_history(article_id, story_id, previous_story_id, batch) "
                      "VALUES (?, ?, ?, ?)", [(a.id, story_of(a.id), None, batch) for a in new]
                      + [(aid, sid, old, batch) for aid, sid, old in moves])
        left = {old for _, _, old in moves}
        gone = {sid for sid in left
                if c.execute("SELECT 1 FROM memberships WHERE story_id = ? LIMIT 1", (sid,)).fetchone() is None}
        c.executemany("DELETE FROM stories WHERE id = ?", [(sid,) for sid in gone])
        c.executemany("DELETE FROM briefs WHERE story_id = ?", [(sid,) for sid in gone])
        return {sid for _, sid in rows} | (left - gone), len(gone)

    def _stories(self, touched: set[str], batch: int) -> tuple[int, int]:
        """Recompute the touched stories' summaries; returns (created, grown)."""
        created = grown = 0
        for sid in sorted(touched):
            members = self.conn.execute(
                "SELECT a.id, a.title, a.published, c.original_id FROM memberships m JOIN articles a ON a.id = m.article_id "
                "LEFT JOIN copies c ON c.article_id = a.id WHERE m.story_id = ?", (sid,)).fetchall()
            days = [p for _, _, p, _ in members if p]
            # the earliest original's title: the brief's headline too (Story lists originals earliest first)
            members.sort(key=lambda m: (_instant(m[2]), m[0]))
            headline = next((t for _, t, _, o in members if t and o is None), None)
            version = hashlib.blake2b("\n".join(sorted(m[0] for m in members)).encode(), digest_size=8).hexdigest()
            row = (len(members), sum(1 for m in members if m[3] is None), min(days, default=None),
                   max(days, default=None), headline, version, batch, sid)
            updated = self.conn.execute("UPDATE stories SET articles = ?, sources = ?, first_seen = ?, last_seen = ?, "
                                        "headline = ?, version = ?, updated_batch = ? WHERE id = ?", row).rowcount
            if updated:
                grown += 1
            else:
                created += 1
                self.conn.execute("INSERT INTO stories(articles, sources, first_seen, last_seen, headline, version, "
                                  "updated_batch, id, created_batch) VALUES (?,?,?,?,?,?,?,?,?)", (*row, batch))
        return created, grown

    def _stored_ids(self, ids: list[str]) -> set[str]:
        out: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            out |= {r[0] for r in self.conn.execute(
                f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk)}
        return out

    # --- reading ------------------------------------------------------------------------

    @guarded
    def counts(self) -> dict[str, int]:
        q = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        return {"articles": q("SELECT count(*) FROM articles"), "copies": q("SELECT count(*) FROM copies"),
                "stories": q("SELECT count(*) FROM stories"), "batches": q("SELECT count(*) FROM batches")}

    @guarded
    def stories(self, *, since: str | None = None, min_sources: int = 1, query: str | None = None,
                limit: int | None = None) -> list[StoryRow]:
        """Stories by latest activity: ``since`` a day (ISO), with ``min_sources`` independent
        sources, whose articles match ``query`` (full-text)."""
        sql = "SELECT id, headline, articles, sources, first_seen, last_seen FROM stories WHERE sources >= ?"
        args: list[Any] = [min_sources]
        if since:
            sql += " AND last_seen >= ?"
            args.append(since)
        if query:
            sql += (" AND id IN (SELECT m.story_id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
                    "JOIN memberships m ON m.article_id = a.id WHERE articles_fts MATCH ?)")
            args.append(fts_query(query))
        sql += " ORDER BY last_seen IS NULL, last_seen DESC, articles DESC, id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = [StoryRow(*r) for r in self.conn.execute(sql, args)]
        if query and not rows:
            check_fts(self.conn, self.path)  # as in search: nothing found must not hide a damaged index
        return rows

    @guarded
    def story(self, story_id: str) -> Story:
        """A stored story with its articles (originals first, earliest first) and copy links."""
        rows = self.conn.execute("SELECT a.data, a.text, c.original_id FROM memberships m JOIN articles a ON "
                                 "a.id = m.article_id LEFT JOIN copies c ON c.article_id = a.id WHERE m.story_id = ?",
                                 (story_id,)).fetchall()
        if not rows:
            raise KeyError(story_id)
        articles = [_article(d, t) for d, t, _ in rows]
        copy_of = {a.id: o for a, (_, _, o) in zip(articles, rows) if o}
        articles.sort(key=lambda a: (a.id in copy_of, a.published.timestamp() if a.published else float("inf"), a.id))
        return Story(story_id, articles, copy_of)

    @guarded
    def brief(self, story_id: str):  # type: ignore[no-untyped-def]
        """The brief of a stored story, made again only when the story changed since the last one."""
        from ..brief import METHOD, Brief, brief_story

        row = self.conn.execute("SELECT version FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise KeyError(story_id)
        cached = self.conn.execute("SELECT brief FROM briefs WHERE story_id = ? AND version = ?",
                                   (story_id, row[0])).fetchone()
        stored = json.loads(cached[0]) if cached else None
        if stored is not None and stored.get("method") == METHOD:  # a brief made another way is made again
            brief = Brief.from_dict(stored)
            brief.texts = {s.id: t for s, t in zip(brief.sources, self._texts([s.article_id for s in brief.sources]))}
            return brief
        brief = brief_story(self.story(story_id), self._analyzer())
        if not self.readonly:  # a read-only store is not written: the brief is made again next time
            self.conn.execute("INSERT INTO briefs(story_id, version, brief) VALUES (?, ?, ?) ON CONFLICT(story_id) "
                              "DO UPDATE SET version = excluded.version, brief = excluded.brief",
                              (story_id, row[0], json.dumps({**brief.to_dict(), "method": METHOD}, ensure_ascii=False)))
        return brief

    def _analyzer(self):  # type: ignore[no-untyped-def]
        """An analyzer whose per-article work is kept in the store: a grown story parses only its new reports."""
        if self._analysis is None:
            from ..analyse import Analyzer

            self._analysis = Analyzer(reads=_StoredReads(self))
        return self._analysis

    def _texts(self, ids: list[str]) -> list[str]:
        found = dict(self.conn.execute(f"SELECT id, text FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids))
        return [found.get(i, "") for i in ids]

    @guarded
    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """Articles matching ``query`` (every word, any order; "quoted phrases" kept), best
        first by BM25 (a title match weighs double), with a snippet and the article's story."""
        sql = ("SELECT a.id, m.story_id, a.title, snippet(articles_fts, 1, '[', ']', '…', 16), "
               "bm25(articles_fts, 2.0, 1.0) AS score FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
               "LEFT JOIN memberships m ON m.article_id = a.id WHERE articles_fts MATCH ? ORDER BY score LIMIT ?")
        hits = [Hit(*r) for r in self.conn.execute(sql, (fts_query(query), limit))]
        if not hits:
            check_fts(self.conn, self.path)  # "no match" from a damaged index would be a wrong answer
        return hits

    def articles(self) -> Iterator[dict[str, Any]]:
        """Every article with its story and copy link, in ingest order."""
        sql = ("SELECT a.id, m.story_id, c.original_id, a.title, a.url, a.source, a.published, a.language, a.origin "
               "FROM articles a LEFT JOIN memberships m ON m.article_id = a.id "
               "LEFT JOIN copies c ON c.article_id = a.id ORDER BY a.rowid")
        keys = ("id", "story_id", "duplicate_of", "title", "url", "source", "published", "language", "origin")
        for row in self.conn.execute(sql):
            yield dict(zip(keys, row))

    def story_rows(self) -> Iterator[dict[str, Any]]:
        for s in self.stories():
            yield asdict(s)


class _StoredReads:
    """The analysis's per-article cache (:class:`newsfuse.analyse.ReadCache`) in the store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        marks = ",".join("?" * len(keys))
        rows = self.store.conn.execute(f"SELECT key, data FROM analyses WHERE key IN ({marks})", keys)
        found = {k: pickle.loads(d) for k, d in rows}
        memory = self.store._reads_memory
        return found | {k: memory[k] for k in keys if k in memory and k not in found}

    def put_many(self, items: dict[str, Any]) -> None:
        if self.store.readonly:  # kept in this process's memory: a read path writes nothing
            self.store._reads_memory.update(items)
            return
        with self.store._writing() as c:
            c.executemany("INSERT OR REPLACE INTO analyses(key, data) VALUES (?, ?)",
                          [(k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)) for k, v in items.items()])


def _check_writable(path: Path) -> None:
    """A writer's open fails here, before anything is read, if the store (or, for a new one,
    its folder) cannot be written: SQLite would open it read-only and fail at the first write."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise StoreReadOnly(f"cannot make a store at {path}: no folder {folder}")
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreReadOnly(f"{path} is read-only: it can be read (stories, search, show, serve) "
                            "but not written")
    if not os.access(folder, os.W_OK | os.X_OK):  # WAL mode keeps its -wal and -shm files beside the store
        raise StoreReadOnly(f"{path}: the folder {folder} is read-only: the store can be read "
                            "(stories, search, show, serve) but not written" if path.exists()
                            else f"cannot make a store at {path}: the folder {folder} is read-only")


def _open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection (URI mode=ro): it never writes the store. On read-only media,
    where SQLite cannot make the -shm file WAL readers share, no writer can be at work
    either, and the file is opened as immutable."""
    if not path.exists():
        raise NotAStore(f"no store at {path} (create one with `newsfuse ingest`)")
    check_header(path)
    uri = path.resolve().as_uri()
    conn = _connect_reader(f"{uri}?mode=ro") or _connect_reader(f"{uri}?mode=ro&immutable=1")
    if conn is None:
        raise StoreError(f"cannot read {path}")
    try:
        version = check_schema(conn, path, len(MIGRATIONS))
        if version == 0:
            raise NotAStore(f"{path} is not a newsfuse store (an empty database)")
    except BaseException:
        conn.close()
        raise
    return conn


def _connect_reader(uri: str) -> sqlite3.Connection | None:
    """A read-only connection that has read the file; None if SQLite could not set up a WAL
    reader (no -shm file, and none can be made: read-only media)."""
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=READ_TIMEOUT, check_same_thread=False)
    try:
        conn.execute("PRAGMA user_version").fetchone()
    except sqlite3.OperationalError as e:
        if (e.sqlite_errorcode & 0xFF) in (8, 14):  # SQLITE_READONLY(_DIRECTORY), SQLITE_CANTOPEN
            conn.close()
            return None
        # anything else (a file that is not a database ...) is said by the schema check
    return conn


def _learn(detector: CopyDetector, model: StoryClusterer, articles: list[Article]) -> None:
    """One batch of arrivals, in time order: copies first, then the originals' stories."""
    originals_of = detector.learn_many(articles)
    model.learn_many([a for a, o in zip(articles, originals_of) if o is None])
    model.flush()


def fts_query(query: str) -> str:
    """A user's words as an FTS5 query that cannot be a syntax error: each word, or each
    "quoted phrase", becomes a quoted string (all must match)."""
    parts: list[str] = []
    for i, chunk in enumerate(query.split('"')):
        if i % 2:  # inside quotes: a phrase
            if chunk.strip():
                parts.append('"' + chunk.strip().replace('"', "") + '"')
        else:
            parts += ['"' + w.replace('"', "") + '"' for w in chunk.split() if w.strip('"')]
    return " ".join(parts) or '""'


def _article_row(a: Article, batch: int) -> tuple[Any, ...]:
    return (a.id, batch, a.origin, a.format, a.url, a.title, a.source, a.published.isoformat() if a.published else None,
            a.published_via, a.language, a.text, a.raw, json.dumps(_metadata(a), ensure_ascii=False))


def _metadata(a: Article) -> dict[str, Any]:
    """The article as JSON without its text (a column of its own): paragraphs are kept as offsets."""
    d = a.to_dict()
    d.pop("text")
    d["paragraphs"] = None
    return d


def _article(data: str, text: str) -> Article:
    d = json.loads(data)
    d["text"] = text
    d["paragraphs"] = [p for p in text.split("\n\n") if p]
    return Article.from_dict(d)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _instant(published: str | None) -> float:
    """A stored publication time as a timestamp, ordered as ``Store.story`` orders its articles."""
    return datetime.fromisoformat(published).timestamp() if published else float("inf")
