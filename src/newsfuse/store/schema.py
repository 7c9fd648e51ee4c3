"""The store's schema, as numbered migrations (``PRAGMA user_version`` holds the last applied).

A migration is applied in the same transaction that records it, so a store
is always at one version or the next, never between. Add a migration to the
end of :data:`MIGRATIONS`; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
    # 1: articles with their input kept, copies, stories and their history, caches, model state, search
    """
    CREATE TABLE batches (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        inputs TEXT NOT NULL,              -- JSON list of what was ingested
        summary TEXT                       -- JSON: read, new, copies, skipped, stories created/grown/merged
    );
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        batch INTEGER NOT NULL REFERENCES batches(id),
        origin TEXT, format TEXT, url TEXT, title TEXT, source TEXT,
        published TEXT, published_via TEXT, language TEXT,
        text TEXT NOT NULL,
        raw TEXT,                          -- the input as read: provenance
        data TEXT NOT NULL                 -- the whole Article as JSON
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE TABLE copies (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        original_id TEXT NOT NULL REFERENCES articles(id)
    );
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        created_batch INTEGER NOT NULL,
        updated_batch INTEGER NOT NULL,
        articles INTEGER NOT NULL,
        sources INTEGER NOT NULL,          -- independent: copies not counted
        first_seen TEXT, last_seen TEXT,
        headline TEXT,
        version TEXT NOT NULL              -- changes whenever the members change
    );
    CREATE INDEX stories_updated ON stories(last_seen);
    CREATE TABLE memberships (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        story_id TEXT NOT NULL,
        batch INTEGER NOT NULL
    );
    CREATE INDEX memberships_story ON memberships(story_id);
    CREATE TABLE membership_history (
        article_id TEXT NOT NULL,
        story_id TEXT NOT NULL,
        previous_story_id TEXT,            -- set when a merge or split moved the article
        batch INTEGER NOT NULL
    );
    CREATE TABLE briefs (
        story_id TEXT PRIMARY KEY,
        version TEXT NOT NULL,             -- the story version the brief was made from
        brief TEXT NOT NULL                -- JSON
    );
    CREATE TABLE model_state (
        name TEXT PRIMARY KEY,
        batch INTEGER NOT NULL,
        state BLOB NOT NULL
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid');
    """,
    # 2: feeds polled by `newsfuse watch`, with their HTTP validators
    """
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        last_polled TEXT,
        last_status TEXT                   -- "new 12", "not modified", or the error
    );
    """,
    # 3: the per-article part of the analysis (parse and extractions), kept across processes
    """
    CREATE TABLE analyses (
        key TEXT PRIMARY KEY,              -- article id and a hash of its text
        data BLOB NOT NULL                 -- pickled: what the extractors found in the article
    );
    """,
]


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the store's schema up to date; returns the version it is at.

    The version is read inside each migration's write transaction: two processes
    opening a new store at once apply each migration once (the second sees it done)."""
    if conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS):
        return len(MIGRATIONS)  # up to date: no need to wait for the write lock
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise RuntimeError(f"this store has schema version {version}, newer than this newsfuse knows "
                                   f"({len(MIGRATIONS)}): upgrade newsfuse")
            if version == len(MIGRATIONS):
                conn.execute("COMMIT")
                return version
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """The statements of a migration: executed one by one inside our own transaction
    (``executescript`` would commit first)."""
    out, current = [], []
    for line in script.splitlines():
        current.append(line)
        if sqlite3.complete_statement("\n".join(current)):
            statement = "\n".join(current).strip()
            if statement:
                out.append(statement)
            current = []
    return out
