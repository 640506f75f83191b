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
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from datasketch import MinHash

from detente._closing import Closing
from detente.dedup import articles as dedup
from detente.errors import SchemaVersionError, StoreError
from detente.model import Article
from detente.store import annotated as annostore
from detente.store import events as store_events
from detente.store import sources as store_sources

if TYPE_CHECKING:
    from detente.dedup.events import EventIndex

log = logging.getLogger(__name__)

AddOutcome = Literal["added", "exists", "near_duplicate"]

#: Milliseconds a connection waits for another writer's lock; one article's transaction takes
#: about a millisecond, so 5 s runs out only when another process holds the lock for good.
BUSY_TIMEOUT_MS = 5000
#: ``PRAGMA application_id`` of a Detente database ("DTNT"), to refuse other apps' databases.
APPLICATION_ID = 0x44544E54
#: Shortest id prefix :meth:`Store.get_article` resolves (16**6 = 16 million ids per prefix).
MIN_PREFIX = 6
#: Candidates listed when an id prefix is ambiguous.
MAX_CANDIDATES_SHOWN = 10

_SQLITE_HEADER = b"SQLite format 3\x00"

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
_COLUMNS = ", ".join(f"a.{name}" for name in _FIELDS)

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
)
#: Schema version this code writes and reads.
LATEST_SCHEMA = len(MIGRATIONS)


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be ingested (the latest occurrence of each distinct failure)."""

    id: int
    source: str
    line: int | None
    stage: str
    reason: str
    at: str  # ISO timestamp (UTC) of the last occurrence


@dataclass(frozen=True, slots=True)
class Provenance:
    """One raw document that produced an article."""

    article_id: str
    source: str
    fetched_at: str | None
    content_hash: str | None
    added_at: str


def _now() -> str:
    """Current UTC time as an ISO timestamp to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _day(value: str | date, name: str) -> date:
    """A YYYY-MM-DD filter value as a date, or StoreError saying how to write it."""
    if isinstance(value, date):
        return value
    try:
        parsed = date.fromisoformat(value)
    except (TypeError, ValueError):
        parsed = None
    if parsed is None or parsed.isoformat() != value:
        raise StoreError(f"{name}={value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-03-01")
    return parsed


def _count(value: int | None, name: str) -> int:
    """A limit or offset as an int (-1 for no limit), or StoreError."""
    if value is None:
        return -1
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise StoreError(f"{name}={value!r} must be a whole number of 0 or more")
    return value


def _glob_literal(text: str) -> str:
    """``text`` escaped for a GLOB pattern, so ``*``, ``?`` and ``[`` match themselves."""
    return "".join(f"[{char}]" if char in "*?[" else char for char in text)


def _article(row: Sequence[Any]) -> Article:
    """Article from a row selected with ``_COLUMNS``."""
    data = dict(zip(_FIELDS, row, strict=True))
    data["removed"] = json.loads(data["removed"])
    return Article(**data)


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


class Store(Closing):
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
        signature: MinHash | None,
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
    ) -> MinHash | None:
        """A stored signature, recomputed from the text if made with other MinHash settings."""
        try:
            signature: MinHash | None = dedup.signature_from_bytes(blob)
        except ValueError as err:
            log.warning("%s: article %s: %s; recomputing it", self._shown, ident, err)
            signature = None
        if signature is None or not dedup.is_current(signature):
            row = conn.execute("SELECT text FROM articles WHERE id = ?", (ident,)).fetchone()
            signature = dedup.minhash_signature(row[0])
        return signature

    def _find_original(self, conn: sqlite3.Connection, signature: MinHash) -> str | None:
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

    def unannotated(self, *, model: str | None = None, limit: int | None = None) -> list[str]:
        """Ids of articles never annotated (or, with ``model``, annotated by another model)."""
        rows = self._db().execute(
            "SELECT id FROM articles WHERE nlp IS NULL OR (? IS NOT NULL AND nlp != ?)"
            " ORDER BY seq LIMIT ?",
            (model, model, _count(limit, "limit")),
        )
        return [row[0] for row in rows]

    def quotes(
        self,
        *,
        speaker: str | None = None,
        actor: str | None = None,
        article_id: str | None = None,
        search: str | None = None,
        include_scare: bool = False,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Quotes as records, newest article first; scare quotes only when asked for."""
        try:
            return annostore.quote_records(
                self._db(), speaker=speaker, actor=actor, article_id=article_id, search=search,
                include_scare=include_scare, limit=_count(limit, "limit"),
            )  # fmt: skip
        except sqlite3.OperationalError as err:
            raise StoreError(f"search {search!r} is not a valid full-text query ({err})") from err

    def amounts(
        self, *, article_id: str | None = None, unit: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Amounts as records, newest article first."""
        return annostore.amount_records(
            self._db(), article_id=article_id, unit=unit, limit=_count(limit, "limit")
        )

    def actors(
        self,
        *,
        country: str | None = None,
        role: str | None = None,
        code: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Actors with mention, article and quote counts, most mentioned first."""
        return annostore.actor_records(
            self._db(), country=country, role=role, code=code, limit=_count(limit, "limit")
        )

    def events(
        self,
        *,
        actor: str | None = None,
        dyad: tuple[str, str] | None = None,
        cameo: str | None = None,
        plover: str | None = None,
        start: str | None = None,
        end: str | None = None,
        include_negated: bool = False,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Deduplicated events as records, oldest first; negated/hypothetical only if asked."""
        return store_events.event_records(
            self._db(), actor=actor, dyad=dyad, cameo=cameo, plover=plover, start=start,
            end=end, include_negated=include_negated, limit=_count(limit, "limit"),
        )  # fmt: skip

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

    # --- reading ----------------------------------------------------------------------------

    @staticmethod
    def _exists(conn: sqlite3.Connection, article_id: str) -> bool:
        """True if an article with exactly this id is stored."""
        row = conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def has_article(self, article_id: str) -> bool:
        """True if an article with exactly this id is stored."""
        return self._exists(self._db(), article_id)

    def get_article(self, article_id: str) -> Article | None:
        """The article with this id or unique id prefix (at least MIN_PREFIX characters)."""
        conn = self._db()
        row = conn.execute(f"SELECT {_COLUMNS} FROM articles a WHERE a.id = ?", (article_id,))
        found = row.fetchone()
        if found is not None:
            article = annostore.load(conn, _article(found))
            article.events = store_events.article_events(conn, article.id)
            return article
        if len(article_id) < MIN_PREFIX:
            return None
        ids = [
            ident
            for (ident,) in conn.execute(
                "SELECT id FROM articles WHERE id GLOB ? ORDER BY id LIMIT ?",
                (_glob_literal(article_id) + "*", MAX_CANDIDATES_SHOWN + 1),
            )
        ]
        if len(ids) > 1:
            shown = ", ".join(ids[:MAX_CANDIDATES_SHOWN])
            more = ", …" if len(ids) > MAX_CANDIDATES_SHOWN else ""
            raise StoreError(
                f"id prefix {article_id!r} matches several articles: {shown}{more}. "
                "Give more characters of the id."
            )
        return self.get_article(ids[0]) if ids else None

    def _query(
        self,
        select: str,
        *,
        outlet: str | None,
        language: str | None,
        since: str | date | None,
        until: str | date | None,
        search: str | None,
        tail: str = "",
        params: Sequence[Any] = (),
    ) -> list[Any]:
        """Run ``SELECT {select}`` over articles ``a`` with the filters, then ``tail``."""
        sql = f"SELECT {select} FROM articles a"
        where: list[str] = []
        values: list[Any] = []
        if search is not None:
            sql += " JOIN articles_fts ON articles_fts.rowid = a.seq"
            where.append("articles_fts MATCH ?")
            values.append(search)
        if outlet is not None:
            where.append("a.outlet = ?")
            values.append(outlet)
        if language is not None:
            where.append("a.language = ?")
            values.append(language)
        if since is not None:
            where.append("a.published >= ?")
            values.append(_day(since, "since").isoformat())
        if until is not None:
            last = _day(until, "until")
            if last < date.max:  # published may carry a time: compare with the next day
                where.append("a.published < ?")
                values.append((last + timedelta(days=1)).isoformat())
        if where:
            sql += " WHERE " + " AND ".join(where)
        try:
            return self._db().execute(f"{sql} {tail}", [*values, *params]).fetchall()
        except sqlite3.OperationalError as err:
            if search is None:
                raise StoreError(f"cannot read {self._shown}: {err}") from err
            quoted = '"' + search.replace('"', '""') + '"'
            raise StoreError(
                f"search {search!r} is not a valid full-text query ({err}). To search for "
                f"the words as written, put them in double quotes: {quoted}"
            ) from err

    def articles(
        self,
        *,
        outlet: str | None = None,
        language: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        search: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Articles matching every filter: newest first, or best match first with ``search``."""
        order = "articles_fts.rank, a.seq" if search is not None else "a.published DESC, a.seq DESC"
        rows = self._query(
            _COLUMNS,
            outlet=outlet,
            language=language,
            since=since,
            until=until,
            search=search,
            tail=f"ORDER BY {order} LIMIT ? OFFSET ?",
            params=(_count(limit, "limit"), _count(offset, "offset")),
        )
        return [_article(row) for row in rows]

    def count_articles(
        self,
        *,
        outlet: str | None = None,
        language: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        search: str | None = None,
    ) -> int:
        """Number of stored articles (matching the filters, if any are given)."""
        rows = self._query(
            "count(*)", outlet=outlet, language=language, since=since, until=until, search=search
        )
        return int(rows[0][0])

    def provenance(self, article_id: str) -> list[Provenance]:
        """Every raw document that produced the article, in the order they were stored."""
        rows = self._db().execute(
            "SELECT article_id, source, fetched_at, content_hash, added_at FROM sources"
            " WHERE article_id = ? ORDER BY id",
            (article_id,),
        )
        return [Provenance(*row) for row in rows]

    def has_source(self, content_hash: str) -> bool:
        """True if a raw document with this content hash already produced an article."""
        row = self._db().execute(
            "SELECT 1 FROM sources WHERE content_hash = ? LIMIT 1", (content_hash,)
        )
        return row.fetchone() is not None

    def failures(self, *, limit: int | None = None) -> list[Failure]:
        """Recorded ingest failures, the most recent first."""
        rows = self._db().execute(
            "SELECT id, source, line, stage, reason, at FROM failures"
            " ORDER BY at DESC, id DESC LIMIT ?",
            (_count(limit, "limit"),),
        )
        return [Failure(*row) for row in rows]
