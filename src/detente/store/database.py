"""The article store: one SQLite file in WAL mode with full-text search.

Tables (schema v1)::

    articles      one row per distinct text (id = dedup.article_id), with its first provenance,
                  duplicate_of -> articles.id for near copies, a MinHash signature, word count
    sources       every raw document that produced an article (source, fetched_at, content_hash)
    failures      inputs that could not be ingested (source, line, stage, reason, at)
    articles_fts  FTS5 index over articles.title and articles.text, kept in sync by triggers

Each write is one ``BEGIN IMMEDIATE … COMMIT`` transaction, so a killed batch leaves only whole
articles and re-running it completes it. The schema version lives in ``PRAGMA user_version``
and ``PRAGMA application_id`` marks the file as Detente's; :data:`MIGRATIONS` upgrades older
files on open. Readers open with ``mode=ro`` and never block the writer.

The schema and its migrations live in :mod:`detente.store.schema`, the queries in
:mod:`detente.store.reads` (a mixin :class:`Store` inherits).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from detente._closing import Closing
from detente.dedup import articles as dedup
from detente.dedup._minhash import Signature
from detente.errors import SchemaVersionError, StoreError
from detente.model import Article
from detente.store import annotated as annostore
from detente.store import events as store_events
from detente.store import stories as store_stories
from detente.store.reads import MAX_CANDIDATES_SHOWN, MIN_PREFIX, Failure, Provenance, _Reads
from detente.store.schema import _FIELDS, LATEST_SCHEMA, MIGRATIONS

if TYPE_CHECKING:
    from detente.dedup.events import EventIndex

__all__ = [
    "APPLICATION_ID",
    "BUSY_TIMEOUT_MS",
    "LATEST_SCHEMA",
    "MAX_CANDIDATES_SHOWN",
    "MIGRATIONS",
    "MIN_PREFIX",
    "AddOutcome",
    "Failure",
    "Provenance",
    "Store",
]

log = logging.getLogger(__name__)

AddOutcome = Literal["added", "exists", "near_duplicate"]

#: Milliseconds a connection waits for another writer's lock; one article's transaction takes
#: about a millisecond, so 5 s runs out only when another process holds the lock for good.
BUSY_TIMEOUT_MS = 5000
#: ``PRAGMA application_id`` of a Detente database ("DTNT"), to refuse other apps' databases.
APPLICATION_ID = 0x44544E54

_SQLITE_HEADER = b"SQLite format 3\x00"


def _now() -> str:
    """Current UTC time as an ISO timestamp to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _check_article(article: Article) -> None:
    """Raise StoreError if the article cannot be stored as it is."""
    if not isinstance(article.id, str) or not article.id:
        raise StoreError(
            f"article from {article.source!r} has no id; set it to "
            "detente.dedup.articles.article_id(text)"
        )
    if not isinstance(article.text, str) or not article.text.strip():
        raise StoreError(
            f"article {article.id} from {article.source!r} has no text; "
            "extraction should have rejected it"
        )


class Store(_Reads, Closing):
    """Articles, their provenance and ingest failures in one SQLite file."""

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False) -> None:
        """Open (and create or upgrade, unless ``readonly``) the database at ``path``."""
        self.path = Path(path)
        self.readonly = readonly
        self._shown = os.fspath(path)
        self._index: dedup.NearDuplicateIndex | None = None
        self._indexed_seq = 0  # signatures of articles up to this seq are in _index
        self._event_index: EventIndex | None = None
        self._conn: sqlite3.Connection | None = self._connect()
        try:
            self._configure()
            self._migrate()
        except BaseException:
            self.close()
            raise

    # --- opening ----------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        """Open the SQLite connection after checking the path is a usable database file."""
        shown, path = self._shown, self.path
        if not path.parent.is_dir():
            raise StoreError(
                f"cannot open {shown}: directory {path.parent} does not exist. "
                f"Create it (mkdir -p {path.parent}) or choose another --db path."
            )
        if path.is_dir():
            raise StoreError(
                f"cannot open {shown}: it is a directory. Pass a database file, "
                f"e.g. --db {path / 'detente.db'}"
            )
        if path.exists():
            self._check_header()
        elif self.readonly:
            raise StoreError(
                f"no database at {shown}. Check the --db path, or create it with detente ingest."
            )
        try:
            if self.readonly:
                uri = path.absolute().as_uri() + "?mode=ro"
                return sqlite3.connect(uri, uri=True, isolation_level=None)
            return sqlite3.connect(path, isolation_level=None)
        except sqlite3.Error as err:
            raise StoreError(f"cannot open {shown}: {err}. Check the file's permissions.") from err

    def _check_header(self) -> None:
        """Refuse a file that is neither empty nor a SQLite database."""
        try:
            with self.path.open("rb") as handle:
                head = handle.read(len(_SQLITE_HEADER))
        except OSError as err:
            raise StoreError(
                f"cannot read {self._shown}: {err.strerror}. Check the file's permissions."
            ) from err
        if head and head != _SQLITE_HEADER:
            raise StoreError(
                f"{self._shown} is not a SQLite database (it starts with {head!r}). "
                "Pass a new or existing Detente database with --db, or move this file away."
            )

    def _configure(self) -> None:
        """Set the connection's pragmas: WAL, foreign keys, busy timeout."""
        conn = self._db()
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            if self.readonly:
                conn.execute("PRAGMA query_only = ON")
                return
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode not in ("wal", "memory"):  # e.g. a file system without shared memory
                log.warning("%s: journal mode is %s, not wal; readers may block", self._shown, mode)
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as err:
            raise StoreError(
                f"cannot open {self._shown}: {err}. Pass a Detente database with --db."
            ) from err

    def _migrate(self) -> None:
        """Check the schema version and apply missing migrations in one transaction."""
        conn = self._db()
        try:
            version = self._schema_check(conn)
            if version == LATEST_SCHEMA:
                return
            if self.readonly and version == 0:
                raise StoreError(
                    f"{self._shown} is an empty database. Ingest articles into it first "
                    "(detente ingest), or check the --db path."
                )
            if self.readonly:
                raise StoreError(
                    f"{self._shown} has schema v{version}; this detente reads v{LATEST_SCHEMA}. "
                    "Open it once for writing (e.g. detente ingest) to upgrade it."
                )
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as err:
            raise StoreError(
                f"cannot open {self._shown}: {err}. Pass a Detente database with --db."
            ) from err
        try:
            version = self._schema_check(conn)  # another process may have migrated meanwhile
            for number in range(version + 1, LATEST_SCHEMA + 1):
                log.info("%s: migrating schema to v%d", self._shown, number)
                MIGRATIONS[number - 1](conn)
                conn.execute(f"PRAGMA user_version = {number}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("COMMIT")
        except BaseException as err:
            conn.execute("ROLLBACK")
            if isinstance(err, sqlite3.Error):
                raise StoreError(
                    f"could not upgrade {self._shown} to schema v{LATEST_SCHEMA}: {err}. "
                    "The file is unchanged; report this as a Detente bug."
                ) from err
            raise

    def _schema_check(self, conn: sqlite3.Connection) -> int:
        """Schema version of the open file, after checking it is Detente's and not too new."""
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        app = int(conn.execute("PRAGMA application_id").fetchone()[0])
        if app != APPLICATION_ID:
            tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_schema LIMIT 6")]
            if app != 0 or version != 0 or tables:
                listed = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
                raise StoreError(
                    f"{self._shown} is a SQLite database but not Detente's "
                    f"(application_id {app:#x}, tables: {listed or 'none'}). "
                    "Pass a new or existing Detente database with --db."
                )
        if version > LATEST_SCHEMA:
            raise SchemaVersionError(
                f"{self._shown} was written by schema v{version}; this detente reads up to "
                f"v{LATEST_SCHEMA}. Upgrade detente (pip install -U detente)."
            )
        return version

    # --- lifecycle --------------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        """The open connection, or StoreError if the store was closed."""
        if self._conn is None:
            raise StoreError(f"the store for {self._shown} is closed; open a new Store")
        return self._conn

    def close(self) -> None:
        """Close the database (safe to call twice)."""
        if self._conn is None:
            return
        try:
            if not self.readonly:
                self._conn.execute("PRAGMA optimize")  # keeps query plans good; cheap
        except sqlite3.Error as err:
            log.debug("%s: PRAGMA optimize failed: %s", self._shown, err)
        finally:
            self._conn.close()
            self._conn = None

    def schema_version(self) -> int:
        """Schema version of the open database."""
        return int(self._db().execute("PRAGMA user_version").fetchone()[0])

    # --- writing ----------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT), rolled back on any error."""
        if self.readonly:
            raise StoreError(f"{self._shown} was opened read-only; open it without readonly")
        conn = self._db()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise StoreError(
                f"cannot write to {self._shown}: {err}. Another process may be writing "
                "to it; try again when it has finished."
            ) from err
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as err:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(err, sqlite3.Error):
                raise StoreError(
                    f"could not write to {self._shown}: {err}. Nothing of this write was kept."
                ) from err
            raise

    def group_stories(self) -> int:
        """Regroup every stored article into stories (one transaction); the number of stories."""
        with self._write() as conn:
            return store_stories.rebuild(conn)

    def stories(
        self, *, min_articles: int = 1, limit: int | None = None, refresh: bool = True
    ) -> list[dict[str, Any]]:
        """Stories (articles that report the same news), the most told first.

        With ``refresh`` (the default) articles added since the last grouping are grouped first
        (every story is recomputed: a word's weight depends on the whole collection).
        """
        if refresh and not self.readonly and store_stories.stale(self._db()):
            self.group_stories()
        return store_stories.stories(self._db(), min_articles=min_articles, limit=limit)

    def story(self, story_id: str) -> dict[str, Any] | None:
        """One story with its articles and events; None when no story has that id."""
        return store_stories.story(self._db(), story_id)

    def add_article(self, article: Article) -> AddOutcome:
        """Store an article with its provenance in one transaction and say what happened."""
        _check_article(article)
        conn = self._db()
        signature = None
        if not self._exists(conn, article.id):  # skip the signature for re-ingested articles
            signature = dedup.minhash_signature(article.text)
            if signature is not None and article.duplicate_of is None:
                self._refresh_index(conn)  # the bulk of a rebuild, outside the write lock
        with self._write() as conn:
            if self._exists(conn, article.id):
                self._insert_source(conn, article)
                return "exists"
            duplicate_of = article.duplicate_of
            if duplicate_of is not None and not self._exists(conn, duplicate_of):
                raise StoreError(
                    f"article {article.id} is marked as a copy of {duplicate_of!r}, which is "
                    "not stored; add that article first or clear duplicate_of"
                )
            if duplicate_of is None and signature is not None:
                duplicate_of = self._find_original(conn, signature)
            seq = self._insert_article(conn, article, duplicate_of, signature)
            self._insert_source(conn, article)
            if article.nlp is not None:
                annostore.write(conn, article)
                self._write_events(conn, article)
        if signature is not None and self._index is not None:
            # everything before seq was loaded inside the transaction, which held the lock
            self._index.add(article.id, signature)
            self._indexed_seq = seq
        if duplicate_of is None:
            log.debug("%s: added %s", self._shown, article.id)
            return "added"
        log.debug("%s: added %s as a copy of %s", self._shown, article.id, duplicate_of)
        article.duplicate_of = duplicate_of
        return "near_duplicate"

    def _insert_article(
        self,
        conn: sqlite3.Connection,
        article: Article,
        duplicate_of: str | None,
        signature: Signature | None,
    ) -> int:
        """Insert the article row (the FTS trigger indexes it) and return its seq."""
        values: dict[str, Any] = {name: getattr(article, name) for name in _FIELDS}
        values["duplicate_of"] = duplicate_of
        values["removed"] = json.dumps(list(article.removed), ensure_ascii=False)
        values["word_count"] = article.word_count
        values["minhash"] = None if signature is None else dedup.signature_to_bytes(signature)
        values["added_at"] = _now()
        names = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        cursor = conn.execute(f"INSERT INTO articles ({names}) VALUES ({marks})", values)
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _insert_source(self, conn: sqlite3.Connection, article: Article) -> None:
        """Record the raw document that produced the article, unless already recorded."""
        conn.execute(
            "INSERT OR IGNORE INTO sources (article_id, source, fetched_at, content_hash, added_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (article.id, article.source, article.fetched_at, article.content_hash, _now()),
        )

    def _refresh_index(self, conn: sqlite3.Connection) -> dedup.NearDuplicateIndex:
        """The near-duplicate index, loaded with every stored signature not yet in it."""
        if self._index is None:
            self._index = dedup.NearDuplicateIndex()
            self._indexed_seq = 0
        index = self._index
        rows = conn.execute(
            "SELECT seq, id, minhash FROM articles"
            " WHERE seq > ? AND minhash IS NOT NULL ORDER BY seq",
            (self._indexed_seq,),
        )
        for seq, ident, blob in rows:
            signature = self._stored_signature(conn, ident, blob)
            if signature is not None:
                index.add(ident, signature)
            self._indexed_seq = seq
        return index

    def _stored_signature(
        self, conn: sqlite3.Connection, ident: str, blob: bytes
    ) -> Signature | None:
        """A stored signature, recomputed from the text if made with other MinHash settings."""
        try:
            signature: Signature | None = dedup.signature_from_bytes(blob)
        except ValueError as err:
            log.warning("%s: article %s: %s; recomputing it", self._shown, ident, err)
            signature = None
        if signature is None or not dedup.is_current(signature):
            row = conn.execute("SELECT text FROM articles WHERE id = ?", (ident,)).fetchone()
            signature = dedup.minhash_signature(row[0])
        return signature

    def _find_original(self, conn: sqlite3.Connection, signature: Signature) -> str | None:
        """Id of the first article of the story this signature is a near copy of, if any."""
        match = self._refresh_index(conn).find(signature)
        seen = set()
        while match is not None and match not in seen:  # follow links to the story's first
            seen.add(match)
            row = conn.execute("SELECT duplicate_of FROM articles WHERE id = ?", (match,))
            parent = row.fetchone()[0]
            if parent is None:
                break
            match = parent
        return match

    def set_annotations(self, article: Article) -> None:
        """Replace the stored annotations (actors, quotes, amounts) of a stored article."""
        with self._write() as conn:
            if not self._exists(conn, article.id):
                raise StoreError(f"article {article.id} is not stored; add it before annotating")
            annostore.write(conn, article)
            if store_events.article_events(conn, article.id):
                store_events.delete_mentions(conn, article.id)
                self._event_index = None  # clusters changed: rebuild from the rows
            self._write_events(conn, article)

    def _write_events(self, conn: sqlite3.Connection, article: Article) -> None:
        """Merge an article's coded events into the stored events (inside a transaction)."""
        if not article.events:
            return
        row = conn.execute(
            "SELECT outlet, published FROM articles WHERE id = ?", (article.id,)
        ).fetchone()
        outlet, published = row if row else (article.outlet, article.published)
        index = self._events_index(conn)
        clusters = index.add(article.id, outlet, published, article.events)
        store_events.insert_mentions(conn, article.id, article.text, article.events, clusters)

    def _events_index(self, conn: sqlite3.Connection) -> EventIndex:
        """The event dedup index, rebuilt from the stored mentions when first needed."""
        if self._event_index is None:
            from detente.dedup.events import EventIndex

            self._event_index = EventIndex.from_rows(store_events.stored_mentions(conn))
        return self._event_index

    def record_failure(
        self, source: str, reason: str, *, line: int | None = None, stage: str = "ingest"
    ) -> None:
        """Record that an input could not be ingested (a repeat only updates its time)."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO failures (source, line, stage, reason, at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (source, ifnull(line, -1), stage, reason)"
                " DO UPDATE SET at = excluded.at",
                (source, line, stage, reason, _now()),
            )
