"""The watch tables of the store (schema v4, v6): watched sources and the article URLs they gave.

``sources_watched`` holds one row per feed, sitemap or home page that ``detente watch`` reads,
with its health (last fetch, consecutive errors, last error, when it is next due) and its HTTP
validators for conditional GET. ``seen_urls`` holds every normalized article URL a source gave:
``pending`` when found, then ``stored``, ``failed`` or ``blocked`` (robots.txt) once dealt with.
A URL leaves ``pending`` only after its article is in the store (or its failure is recorded), so
a killed watcher loses nothing and, restarted, fetches nothing twice. (The table is named
``sources_watched`` because ``sources`` already holds the provenance of articles.) Since v6 a URL
keeps the title and date its feed item gave, the fallbacks for its article's own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, Protocol


class Store(Protocol):
    """What these functions need of :class:`detente.store.Store` (typed without importing it)."""

    def _db(self) -> sqlite3.Connection: ...

    def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...


#: What a watched source is; ``auto`` until the first fetch tells.
SourceKind = Literal["auto", "feed", "sitemap", "page"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("auto", "feed", "sitemap", "page")
#: What became of an article URL.
UrlStatus = Literal["pending", "stored", "failed", "blocked"]

_V4 = (
    """
    CREATE TABLE sources_watched (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,                 -- auto | feed | sitemap | page
        via TEXT,                           -- the home page this feed was discovered on
        added_at TEXT NOT NULL,
        last_fetch TEXT,                    -- last attempt, successful or not
        last_ok TEXT,                       -- last successful fetch (200 or 304)
        etag TEXT,
        last_modified TEXT,
        error_count INTEGER NOT NULL DEFAULT 0,  -- consecutive errors; 0 once a fetch succeeds
        last_error TEXT,
        next_due TEXT,                      -- not fetched before this time (back-off)
        articles_found INTEGER NOT NULL DEFAULT 0  -- article URLs it gave that were new
    )
    """,
    """
    CREATE TABLE seen_urls (
        url TEXT PRIMARY KEY,               -- normalized: tracking parameters and fragment dropped
        source_id INTEGER REFERENCES sources_watched(id) ON DELETE SET NULL,
        status TEXT NOT NULL,               -- pending | stored | failed | blocked
        article_id TEXT,
        reason TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,  -- fetches that failed for a reason worth retrying
        found_at TEXT NOT NULL,
        done_at TEXT
    )
    """,
    "CREATE INDEX seen_urls_pending ON seen_urls(status, found_at)",
)


def migrate_to_v4(conn: sqlite3.Connection) -> None:
    """Add the tables of ``detente watch``: watched sources and seen article URLs."""
    for statement in _V4:
        conn.execute(statement)


def migrate_to_v6(conn: sqlite3.Connection) -> None:
    """Keep a feed item's title and date with its URL (fallbacks for the article's)."""
    conn.execute("ALTER TABLE seen_urls ADD COLUMN title TEXT")  # the feed item's title
    conn.execute("ALTER TABLE seen_urls ADD COLUMN published TEXT")  # its date, ISO 8601


@dataclass(frozen=True, slots=True)
class WatchedSource:
    """One watched feed, sitemap or home page and its health."""

    id: int
    url: str
    kind: str
    via: str | None
    added_at: str
    last_fetch: str | None
    last_ok: str | None
    etag: str | None
    last_modified: str | None
    error_count: int
    last_error: str | None
    next_due: str | None
    articles_found: int

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready record."""
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class PendingUrl:
    """An article URL found but not yet stored or failed."""

    url: str
    source_id: int | None
    attempts: int
    title: str | None = None  # the feed item's title, if it gave one
    published: str | None = None  # the feed item's or sitemap entry's date (ISO 8601)


_SOURCE_COLUMNS = (
    "id, url, kind, via, added_at, last_fetch, last_ok, etag, last_modified, error_count, "
    "last_error, next_due, articles_found"
)


def now() -> str:
    """The current UTC time as an ISO timestamp to the second (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _read(store: Store) -> sqlite3.Connection:
    # store_* modules are the store's own parts: they share its connection and transactions.
    return store._db()


# --- sources ------------------------------------------------------------------------------------


def add_source(
    store: Store, url: str, *, kind: SourceKind = "auto", via: str | None = None
) -> WatchedSource:
    """Watch ``url`` (a no-op when it is watched already) and return its row."""
    if kind not in SOURCE_KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(SOURCE_KINDS)}")
    with store._write() as conn:
        conn.execute(
            "INSERT INTO sources_watched (url, kind, via, added_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (url) DO NOTHING",
            (url, kind, via, now()),
        )
    found = get_source(store, url)
    assert found is not None
    return found


def remove_source(store: Store, url: str) -> bool:
    """Stop watching ``url`` (its seen URLs stay, so nothing is fetched again); True if it was."""
    with store._write() as conn:
        cursor = conn.execute("DELETE FROM sources_watched WHERE url = ?", (url,))
    return cursor.rowcount > 0


def get_source(store: Store, url: str) -> WatchedSource | None:
    """The watched source with this URL, or None."""
    row = _read(store).execute(
        f"SELECT {_SOURCE_COLUMNS} FROM sources_watched WHERE url = ?", (url,)
    )
    found = row.fetchone()
    return WatchedSource(*found) if found is not None else None


def list_sources(store: Store, urls: Sequence[str] | None = None) -> list[WatchedSource]:
    """Watched sources in the order they were added; with ``urls``, those and their feeds."""
    sql = f"SELECT {_SOURCE_COLUMNS} FROM sources_watched"
    params: list[str] = []
    if urls is not None:
        marks = ", ".join("?" * len(urls))
        sql += f" WHERE url IN ({marks}) OR via IN ({marks})"
        params = [*urls, *urls]
    rows = _read(store).execute(sql + " ORDER BY id", params)
    return [WatchedSource(*row) for row in rows]


def record_success(
    store: Store,
    source_id: int,
    *,
    kind: str,
    etag: str | None,
    last_modified: str | None,
    next_due: str,
    at: str,
    note: str | None = None,
) -> None:
    """A fetch of the source worked (200 or 304): keep its validators, clear its errors."""
    with store._write() as conn:
        conn.execute(
            "UPDATE sources_watched SET kind = ?, etag = ?, last_modified = ?, last_fetch = ?,"
            " last_ok = ?, error_count = 0, last_error = ?, next_due = ? WHERE id = ?",
            (kind, etag, last_modified, at, at, note, next_due, source_id),
        )


def record_error(store: Store, source_id: int, error: str, *, next_due: str, at: str) -> None:
    """A fetch of the source failed: count it, keep the message, back off until ``next_due``."""
    with store._write() as conn:
        conn.execute(
            "UPDATE sources_watched SET last_fetch = ?, error_count = error_count + 1,"
            " last_error = ?, next_due = ? WHERE id = ?",
            (at, error, next_due, source_id),
        )


# --- article URLs -------------------------------------------------------------------------------


def queue_urls(
    store: Store,
    source_id: int,
    urls: Iterable[str],
    *,
    hints: Mapping[str, tuple[str | None, str | None]] | None = None,
) -> int:
    """Add the URLs not seen before as ``pending``, credit the source; how many were new.

    ``hints`` maps a URL to the (title, date) its feed item gave.
    """
    at = now()
    added = 0
    hints = hints or {}
    with store._write() as conn:
        for url in urls:
            title, published = hints.get(url, (None, None))
            cursor = conn.execute(
                "INSERT INTO seen_urls (url, source_id, status, found_at, title, published)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING",
                (url, source_id, "pending", at, title, published),
            )
            added += cursor.rowcount
        if added:
            conn.execute(
                "UPDATE sources_watched SET articles_found = articles_found + ? WHERE id = ?",
                (added, source_id),
            )
    return added


def pending_urls(store: Store, source_ids: Sequence[int] | None = None) -> list[PendingUrl]:
    """URLs found but not yet dealt with, oldest first (only these sources', if given)."""
    sql = (
        "SELECT url, source_id, attempts, title, published FROM seen_urls WHERE status = 'pending'"
    )
    params: list[int] = []
    if source_ids is not None:
        sql += f" AND source_id IN ({', '.join('?' * len(source_ids))})"
        params = list(source_ids)
    rows = _read(store).execute(sql + " ORDER BY found_at, rowid", params)
    return [PendingUrl(*row) for row in rows]


def mark_url(
    store: Store,
    url: str,
    status: UrlStatus,
    *,
    article_id: str | None = None,
    reason: str | None = None,
) -> None:
    """Record what became of an article URL."""
    with store._write() as conn:
        conn.execute(
            "UPDATE seen_urls SET status = ?, article_id = ?, reason = ?, done_at = ?"
            " WHERE url = ?",
            (status, article_id, reason, now(), url),
        )


def retry_later(store: Store, url: str, reason: str) -> None:
    """Leave an article URL pending after a failure worth retrying, counting the attempt."""
    with store._write() as conn:
        conn.execute(
            "UPDATE seen_urls SET attempts = attempts + 1, reason = ? WHERE url = ?", (reason, url)
        )


def url_status(store: Store, url: str) -> str | None:
    """The status of an article URL, or None if no source gave it."""
    row = _read(store).execute("SELECT status FROM seen_urls WHERE url = ?", (url,)).fetchone()
    return str(row[0]) if row is not None else None


def stored_article_for(store: Store, source: str) -> str | None:
    """The id of the article ``source`` (an ingested URL) produced, if it is stored."""
    row = _read(store).execute(
        "SELECT article_id FROM sources WHERE source = ? ORDER BY id LIMIT 1", (source,)
    )
    found = row.fetchone()
    return str(found[0]) if found is not None else None


def url_counts(store: Store) -> dict[int, dict[str, int]]:
    """Per source id, how many of its URLs are in each status."""
    counts: dict[int, dict[str, int]] = {}
    rows = _read(store).execute(
        "SELECT source_id, status, count(*) FROM seen_urls WHERE source_id IS NOT NULL"
        " GROUP BY source_id, status"
    )
    for source_id, status, count in rows:
        counts.setdefault(int(source_id), {})[str(status)] = int(count)
    return counts


def fill_from_feed(store: Store, article_id: str, *, title: str | None) -> None:
    """What a new article takes from its feed item: the title when its page had none, and
    ``published_source`` 'feed' for the feed's date it was given in place of the page's."""
    with store._write() as conn:
        if title:
            conn.execute(
                "UPDATE articles SET title = ? WHERE id = ? AND title IS NULL", (title, article_id)
            )
        conn.execute(
            "UPDATE articles SET published_source = 'feed' WHERE id = ?"
            " AND published_source = 'option'",
            (article_id,),
        )
