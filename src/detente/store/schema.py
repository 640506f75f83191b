"""The store's schema: the v1 tables (articles, sources, failures, FTS) and every migration."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from detente.store import annotated as annostore
from detente.store import events as store_events
from detente.store import sources as store_sources
from detente.store import stories as store_stories

# Article fields stored in same-named columns, in the order of Article's constructor.
_FIELDS = (
    "id",
    "text",
    "source",
    "title",
    "outlet",
    "url",
    "author",
    "published",
    "published_source",
    "language",
    "fetched_at",
    "content_hash",
    "duplicate_of",
    "removed",
    "schema_version",
)

_V1 = (
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY,  -- stable rowid for the FTS index (VACUUM keeps it)
        id TEXT NOT NULL UNIQUE,
        text TEXT NOT NULL,
        source TEXT NOT NULL,
        title TEXT,
        outlet TEXT,
        url TEXT,
        author TEXT,
        published TEXT,
        published_source TEXT,
        language TEXT,
        fetched_at TEXT,
        content_hash TEXT,
        duplicate_of TEXT REFERENCES articles(id),
        removed TEXT NOT NULL DEFAULT '[]',  -- JSON list of dropped boilerplate
        word_count INTEGER NOT NULL,
        minhash BLOB,  -- dedup.signature_to_bytes, NULL for texts too short to compare
        schema_version INTEGER NOT NULL,
        added_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX articles_published ON articles(published)",
    "CREATE INDEX articles_outlet ON articles(outlet)",
    "CREATE INDEX articles_content_hash ON articles(content_hash)",
    "CREATE INDEX articles_duplicate_of ON articles(duplicate_of)",
    """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id),
        source TEXT NOT NULL,
        fetched_at TEXT,
        content_hash TEXT,
        added_at TEXT NOT NULL
    )
    """,
    # one row per raw document and article: re-ingesting the same file adds nothing
    "CREATE UNIQUE INDEX sources_document ON sources(article_id, source, ifnull(content_hash, ''))",
    "CREATE INDEX sources_content_hash ON sources(content_hash)",
    """
    CREATE TABLE failures (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        line INTEGER,
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL  -- last time this failure happened
    )
    """,
    "CREATE UNIQUE INDEX failures_unique ON failures(source, ifnull(line, -1), stage, reason)",
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='seq',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END
    """,
    """
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.seq, old.title, old.text);
    END
    """,
    """
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.seq, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END
    """,
)


def _migrate_to_v1(conn: sqlite3.Connection) -> None:
    """Create the first schema: articles, sources, failures and the FTS index."""
    for statement in _V1:
        conn.execute(statement)


#: ``MIGRATIONS[n - 1]`` takes a database from schema v(n-1) to vn inside one transaction.
#: Append new ones; never edit a released one.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _migrate_to_v1,
    annostore.migrate_to_v2,
    store_events.migrate_to_v3,
    store_sources.migrate_to_v4,
    store_stories.migrate_to_v5,
    store_sources.migrate_to_v6,
)
#: Schema version this code writes and reads.
LATEST_SCHEMA = len(MIGRATIONS)
