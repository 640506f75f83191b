"""The store's read side: articles, provenance, failures and annotation records, as a mixin."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from detente.errors import StoreError
from detente.model import Article
from detente.store import annotated as annostore
from detente.store import events as store_events
from detente.store.schema import _FIELDS

#: Shortest id prefix :meth:`Store.get_article` resolves (16**6 = 16 million ids per prefix).
MIN_PREFIX = 6
#: Candidates listed when an id prefix is ambiguous.
MAX_CANDIDATES_SHOWN = 10

_COLUMNS = ", ".join(f"a.{name}" for name in _FIELDS)


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


class _Reads:
    """The queries of :class:`~detente.store.database.Store`, which opens the connection."""

    if TYPE_CHECKING:  # set and defined by Store
        _shown: str

        def _db(self) -> sqlite3.Connection: ...

    # --- articles ---------------------------------------------------------------------------

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

    # --- annotation records -----------------------------------------------------------------

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
        include_one_sided: bool = True,
        min_confidence: float | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Deduplicated events as records, oldest first; negated/hypothetical only if asked."""
        return store_events.event_records(
            self._db(), actor=actor, dyad=dyad, cameo=cameo, plover=plover, start=start,
            end=end, include_negated=include_negated, include_one_sided=include_one_sided,
            min_confidence=min_confidence, limit=_count(limit, "limit"),
        )  # fmt: skip

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One deduplicated event by id, with its ``mentions`` (:meth:`event_mentions`); None
        when no event has that id."""
        conn = self._db()
        row = conn.execute(
            f"SELECT {store_events.EVENT_COLUMNS} FROM events WHERE id = ?", (event_id,)
        ).fetchone()
        if row is None:
            return None
        record = store_events.event_record(conn, tuple(row))
        record["mentions"] = store_events.event_mentions(conn, event_id)
        return record

    def event_mentions(self, event_id: str) -> list[dict[str, Any]]:
        """One event's mentions, first first, with their Event and their article's metadata."""
        return store_events.event_mentions(self._db(), event_id)
