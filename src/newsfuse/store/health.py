"""What can be wrong with a store file, found cheaply, and said in one line.

Each failure is a :class:`StoreError` with a message for a person and an
``exit_code`` of its own, so that the command line can print one line and
exit, never a traceback. The checks are ordered by cost: the 100-byte header
and the schema at every open (constant time), the full ``PRAGMA quick_check``
only where its cost is paid once (``serve`` start, before an ingest writes)
or where a silent wrong answer would otherwise come out (a search that finds
nothing checks the full-text index).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

MAGIC = b"SQLite format 3\x00"
# the tables every schema version has: without them the file is not (or no longer) a store
CORE_TABLES = frozenset({"batches", "articles", "copies", "stories", "memberships", "model_state", "articles_fts"})
FTS_TABLES = ("articles_fts_data", "articles_fts_idx", "articles_fts_docsize", "articles_fts_config")

_SQLITE_BUSY, _SQLITE_READONLY, _SQLITE_CORRUPT, _SQLITE_NOTADB = 5, 8, 11, 26


class StoreError(Exception):
    """A store that cannot be used as asked; ``str(e)`` is one line for a person."""

    exit_code = 1


class NotAStore(StoreError):
    """Not a newsfuse store: not SQLite at all, another program's database, or a newer schema."""

    exit_code = 3


class StoreDamaged(StoreError):
    """A newsfuse store whose file is damaged (cut short, overwritten, pages corrupt)."""

    exit_code = 4


class StoreReadOnly(StoreError):
    """A write (ingest, watch) asked of a store this process cannot write."""

    exit_code = 5


class StoreBusy(StoreError):
    """Another writer held the store's write lock longer than the lock timeout."""

    exit_code = 6


def check_header(path: Path) -> None:
    """The file's first 100 bytes: an SQLite database whose size agrees with its header.

    A file larger or smaller than its header says was cut short or overwritten
    by another file; the size is compared only when no write-ahead log is in
    use (a checkpoint in progress legitimately changes both), and a mismatch is
    read twice (a writer may have finished a checkpoint between the two reads)."""
    if path.stat().st_size == 0:
        return  # an empty file is an empty database: a writer makes a store of it, a reader refuses its schema
    mismatch = _size_mismatch(path) and _size_mismatch(path)
    if mismatch:
        size, expected = mismatch
        how = "cut short, or overwritten by another file" if size < expected else "overwritten in part by another file"
        raise StoreDamaged(f"store is damaged: {path} holds {size} bytes where its header says {expected} ({how})")


def _size_mismatch(path: Path) -> tuple[int, int] | None:
    """(file size, size its header gives) when they differ and no write-ahead log is in use."""
    size = path.stat().st_size
    with path.open("rb") as f:
        header = f.read(100)
    if not header.startswith(MAGIC):
        raise NotAStore(f"{path} is not a newsfuse store (not an SQLite database)")
    if len(header) < 100:
        raise StoreDamaged(f"store is damaged: {path} is cut short ({size} bytes)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96]  # the in-header size is trusted only when these agree
    if not header_valid or not pages or size == pages * page_size or _wal_in_use(path):
        return None
    return size, pages * page_size


def _wal_in_use(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def check_schema(conn: sqlite3.Connection, path: Path, known_versions: int) -> int:
    """The schema's version, once it is known to be a newsfuse store's; 0 for an empty database."""
    with translated():
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version == 0:
        if tables:  # another program's database: never add our tables to it
            raise NotAStore(f"{path} is not a newsfuse store (an SQLite database of another program)")
        return 0
    if version > known_versions:
        raise NotAStore(f"{path} has schema version {version}, newer than this newsfuse knows "
                        f"({known_versions}): upgrade newsfuse")
    missing = CORE_TABLES - tables
    if missing:
        raise StoreDamaged(f"store is damaged: {path} lacks the table(s) {', '.join(sorted(missing))}")
    return version


def quick_check(conn: sqlite3.Connection, path: Path, *tables: str) -> None:
    """``PRAGMA quick_check`` of the whole file, or of ``tables`` only: StoreDamaged if it fails.
    It reads every page (of those tables), so it is run where its cost is paid once."""
    pragmas = [f"PRAGMA quick_check({t})" for t in tables] or ["PRAGMA quick_check"]
    with translated():
        for pragma in pragmas:
            found = [r[0] for r in conn.execute(pragma)]
            if found != ["ok"]:
                first = found[0].replace("*** in database main ***", "").strip().splitlines()[0]
                raise StoreDamaged(f"store is damaged: {path}: {first}")


def check_fts(conn: sqlite3.Connection, path: Path) -> None:
    """The full-text index whole and in step with the articles: a search over a damaged index
    must say so, not answer "no match"."""
    quick_check(conn, path, *FTS_TABLES)
    with translated():
        indexed = conn.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0]
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    if indexed != stored:
        raise StoreDamaged(f"store is damaged: {path}: the search index holds {indexed} articles "
                           f"of {stored}")


def damage_of(e: sqlite3.Error) -> StoreError | None:
    """The store error an SQLite error means, if it means one (corrupt file, not a database,
    the write lock not had in time); None for others (a query the index cannot take ...)."""
    code = (getattr(e, "sqlite_errorcode", None) or 0) & 0xFF
    if code == _SQLITE_CORRUPT:
        return StoreDamaged(f"store is damaged: {e}")
    if code == _SQLITE_NOTADB:
        return NotAStore(f"not a newsfuse store: {e}")
    if code == _SQLITE_READONLY:
        return StoreReadOnly(f"the store cannot be written: {e}")
    if code == _SQLITE_BUSY:
        return StoreBusy("another process holds the store's write lock (another ingest?): gave up waiting")
    return None


@contextmanager
def translated() -> Iterator[None]:
    """``with translated():`` turns SQLite's corruption errors into :class:`StoreError`."""
    try:
        yield
    except sqlite3.Error as e:
        error = damage_of(e)
        if error is None:
            raise
        raise error from e


P = ParamSpec("P")
R = TypeVar("R")


def guarded(method: Callable[P, R]) -> Callable[P, R]:
    """A store method whose SQLite corruption errors come out as :class:`StoreError`."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with translated():
            return method(*args, **kwargs)

    return wrapper
