"""The event tables of the store (schema v3): coded event mentions and deduplicated events.

``event_mentions`` holds every event the coder found, one row per sentence-level coding, with
its evidence; ``events`` holds the real-world events they were merged into (the same meeting
told by five articles is one event with five mentions), with GDELT-style counts of mentions,
articles and sources. Dyad timelines and exports read ``events``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import Any, TypedDict

from detente.model import Event, Location, Mention

_V3 = (
    """
    CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,            -- stable: derived from its first mention
        source_text TEXT, source_name TEXT, source_code TEXT, source_country TEXT,
        source_role TEXT,
        target_text TEXT, target_name TEXT, target_code TEXT, target_country TEXT,
        target_role TEXT,
        cameo TEXT NOT NULL, cameo_root TEXT NOT NULL, plover TEXT, plover_mode TEXT,
        quad_class INTEGER NOT NULL, goldstein REAL NOT NULL,
        negated INTEGER NOT NULL, hypothetical INTEGER NOT NULL, modality TEXT,
        symmetric INTEGER NOT NULL,
        date TEXT, date_precision TEXT, date_source TEXT,
        location TEXT,                      -- JSON Location or NULL
        trigger TEXT,                       -- the predicate as written in the first mention
        sentence TEXT NOT NULL,             -- the evidence of the first mention
        confidence REAL NOT NULL, coder TEXT NOT NULL,
        num_mentions INTEGER NOT NULL, num_articles INTEGER NOT NULL,
        num_sources INTEGER NOT NULL
    )
    """,
    "CREATE INDEX events_date ON events(date)",
    "CREATE INDEX events_dyad ON events(source_country, target_country)",
    "CREATE INDEX events_source ON events(source_code)",
    "CREATE INDEX events_target ON events(target_code)",
    "CREATE INDEX events_cameo ON events(cameo)",
    """
    CREATE TABLE event_mentions (
        id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,               -- position in the article's events
        sentence TEXT NOT NULL,
        data TEXT NOT NULL                  -- the whole Event as JSON (offsets into the text)
    )
    """,
    "CREATE UNIQUE INDEX event_mentions_position ON event_mentions(article_id, idx)",
    "CREATE INDEX event_mentions_event ON event_mentions(event_id)",
)


def migrate_to_v3(conn: sqlite3.Connection) -> None:
    """Add the event tables."""
    for statement in _V3:
        conn.execute(statement)


def event_from_json(data: str) -> Event:
    """An Event from its stored JSON."""
    values = json.loads(data)
    for key in ("source", "target", "reported_by"):
        if values.get(key):
            from detente.model import Actor

            mention = values[key]
            values[key] = Mention(**{**mention, "actor": Actor(**mention["actor"])})
    if values.get("location"):
        values["location"] = Location(**values["location"])
    return Event(**values)


def _side(mention: Mention | None) -> tuple[Any, Any, Any, Any, Any]:
    if mention is None:
        return (None, None, None, None, None)
    actor = mention.actor
    return (mention.text, actor.name, actor.code, actor.country, actor.role)


#: The descriptive columns of ``events``, filled from the cluster's most informative mention.
_DESCRIBED = (
    "source_text", "source_name", "source_code", "source_country", "source_role",
    "target_text", "target_name", "target_code", "target_country", "target_role",
    "cameo", "cameo_root", "plover", "plover_mode", "quad_class", "goldstein", "negated",
    "hypothetical", "modality", "symmetric", "date", "date_precision", "date_source",
    "location", "trigger", "sentence", "confidence", "coder",
)  # fmt: skip
_PRECISION_RANK = {"day": 3, "month": 2, "year": 1}


def _described(event: Event, sentence: str) -> tuple[Any, ...]:
    """The values of :data:`_DESCRIBED` for one event mention."""
    return (
        *_side(event.source), *_side(event.target), event.cameo, event.cameo[:2],
        event.plover, event.plover_mode, event.quad_class, event.goldstein,
        int(event.negated), int(event.hypothetical), event.modality, int(event.symmetric),
        event.date, event.date_precision, event.date_source,
        json.dumps(asdict(event.location)) if event.location else None,
        event.trigger, sentence, event.confidence, event.coder,
    )  # fmt: skip


def _informative(event: Event) -> tuple[int, int, int, int, int, int, float]:
    """How much a mention tells: its own date, a finer date, a place, both actors, a code; a
    visit is described as its visitor makes it (042), not as the host's side of it (043)."""
    specific = len(event.cameo) - (1 if event.cameo.endswith("0") else 0)
    return (
        int(event.date_source == "text"),
        _PRECISION_RANK.get(event.date_precision or "", 0),
        int(event.location is not None),
        int(event.source is not None) + int(event.target is not None),
        specific,
        int(not event.cameo.startswith("043")),
        event.confidence,
    )


def _describe(conn: sqlite3.Connection, cluster: str) -> None:
    """Fill an event's columns from its most informative mention (the first among equals)."""
    best: tuple[tuple[int, int, int, int, int, int, float], int, Event, str] | None = None
    for mention_id, data, sentence in conn.execute(
        "SELECT id, data, sentence FROM event_mentions WHERE event_id = ? ORDER BY id",
        (cluster,),
    ):
        event = event_from_json(data)
        key = _informative(event)
        if best is None or key > best[0]:
            best = (key, mention_id, event, sentence)
    if best is None:
        return
    assignments = ", ".join(f"{column} = ?" for column in _DESCRIBED)
    conn.execute(
        f"UPDATE events SET {assignments} WHERE id = ?", (*_described(best[2], best[3]), cluster)
    )


def insert_mentions(
    conn: sqlite3.Connection,
    article_id: str,
    text: str,
    events: Sequence[Event],
    cluster_ids: Sequence[str],
) -> None:
    """Store an article's coded events and fold them into their (new or existing) events."""
    columns = ", ".join(_DESCRIBED)
    marks = ", ".join("?" for _ in _DESCRIBED)
    for index, (event, cluster) in enumerate(zip(events, cluster_ids, strict=True)):
        sentence = text[event.sentence_start : event.sentence_end]
        conn.execute(
            f"INSERT OR IGNORE INTO events (id, {columns}, num_mentions, num_articles,"
            f" num_sources) VALUES (?, {marks}, 0, 0, 0)",
            (cluster, *_described(event, sentence)),
        )
        conn.execute(
            "INSERT OR REPLACE INTO event_mentions (event_id, article_id, idx, sentence, data)"
            " VALUES (?, ?, ?, ?, ?)",
            (cluster, article_id, index, sentence, json.dumps(asdict(event), ensure_ascii=False)),
        )
        _refresh_counts(conn, cluster)
        _describe(conn, cluster)


def _refresh_counts(conn: sqlite3.Connection, cluster: str) -> None:
    """Recount an event's mentions, articles and distinct outlets; best confidence wins."""
    conn.execute(
        "UPDATE events SET"
        " num_mentions = (SELECT count(*) FROM event_mentions WHERE event_id = :id),"
        " num_articles = (SELECT count(DISTINCT article_id) FROM event_mentions"
        "                 WHERE event_id = :id),"
        " num_sources = (SELECT count(DISTINCT ifnull(a.outlet, a.id)) FROM event_mentions m"
        "                JOIN articles a ON a.id = m.article_id WHERE m.event_id = :id)"
        " WHERE id = :id",
        {"id": cluster},
    )


def delete_mentions(conn: sqlite3.Connection, article_id: str) -> None:
    """Remove an article's event mentions; events left without mentions go too."""
    clusters = [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT event_id FROM event_mentions WHERE article_id = ?", (article_id,)
        )
    ]
    conn.execute("DELETE FROM event_mentions WHERE article_id = ?", (article_id,))
    for cluster in clusters:
        _refresh_counts(conn, cluster)
        _describe(conn, cluster)
    conn.execute("DELETE FROM events WHERE num_mentions = 0")


def article_events(conn: sqlite3.Connection, article_id: str) -> list[Event]:
    """The coded events of one article, in order."""
    rows = conn.execute(
        "SELECT data FROM event_mentions WHERE article_id = ? ORDER BY idx", (article_id,)
    )
    return [event_from_json(row[0]) for row in rows]


def stored_mentions(
    conn: sqlite3.Connection,
) -> Iterator[tuple[str, str | None, str | None, Event, str]]:
    """Every stored event mention as (article id, outlet, published, event, event id).

    In the order they were stored, so a rebuilt dedup index keeps the stored event ids; read
    lazily, so a rebuild never holds every stored Event at once.
    """
    rows = conn.execute(
        "SELECT m.article_id, a.outlet, a.published, m.data, m.event_id FROM event_mentions m"
        " JOIN articles a ON a.id = m.article_id ORDER BY m.id"
    )
    for art, outlet, pub, data, event_id in rows:
        yield art, outlet, pub, event_from_json(data), event_id


def event_mentions(conn: sqlite3.Connection, event_id: str) -> list[dict[str, Any]]:
    """The mentions of one event, first first, each with its Event, its sentence and its
    article's metadata.

    ``sentences`` are the article's sentence offsets and ``first_break`` the offset of its first
    paragraph break (None for one paragraph), so a reader can place the mention in the article.
    """
    rows = conn.execute(
        "SELECT m.article_id, m.idx, m.data, a.url, a.source, a.outlet, a.published,"
        " a.fetched_at, a.added_at, length(a.text), a.sentences,"
        " instr(a.text, char(10) || char(10)) - 1, m.sentence, a.title, a.language"
        " FROM event_mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE m.event_id = ? ORDER BY m.id",
        (event_id,),
    )
    found = []
    for row in rows:
        art, idx, data, url, source, outlet, published, fetched, added, length = row[:10]
        spans, brk, sentence, title, language = row[10:]
        record = {
            "event_id": event_id, "article_id": art, "index": idx,
            "event": event_from_json(data), "url": url, "source": source, "outlet": outlet,
            "published": published, "fetched_at": fetched, "added_at": added, "doc_len": length,
            "sentences": [(int(s), int(e)) for s, e in json.loads(spans or "[]")],
            "first_break": brk if brk >= 0 else None, "sentence": sentence, "title": title,
            "language": language,
        }  # fmt: skip
        found.append(record)
    return found


EVENT_COLUMNS = (
    "id, source_text, source_name, source_code, source_country, source_role, target_text,"
    " target_name, target_code, target_country, target_role, cameo, cameo_root, plover,"
    " plover_mode, quad_class, goldstein, negated, hypothetical, modality, symmetric, date,"
    " date_precision, date_source,"
    " location, trigger, sentence, confidence, coder, num_mentions, num_articles, num_sources"
)


class EventFilters(TypedDict, total=False):
    """The filters of :func:`event_records` that ``detente events`` and ``export`` share."""

    actor: str | None
    dyad: tuple[str, str] | None
    cameo: str | None
    plover: str | None
    start: str | None
    end: str | None
    min_confidence: float | None


def _actor_filter(column: str, value: str) -> tuple[str, list[str]]:
    """SQL matching an actor by country (3 letters) or full code (RUSGOV, IGONATO)."""
    if len(value) == 3:
        return f"{column}_country = ?", [value]
    return f"{column}_code = ?", [value]


def event_records(
    conn: sqlite3.Connection,
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
    limit: int = -1,
) -> list[dict[str, Any]]:
    """Deduplicated events as export records, oldest first."""
    where: list[str] = []
    params: list[Any] = []
    if not include_negated:
        where.append("negated = 0 AND hypothetical = 0")
    if not include_one_sided:
        where.append("source_name IS NOT NULL AND target_name IS NOT NULL")
    if min_confidence is not None:
        where.append("confidence >= ?")
        params.append(min_confidence)
    if actor:
        one, p1 = _actor_filter("source", actor.upper())
        two, p2 = _actor_filter("target", actor.upper())
        where.append(f"({one} OR {two})")
        params += p1 + p2
    if dyad:
        a, b = (x.upper() for x in dyad)
        ab1, pa1 = _actor_filter("source", a)
        ab2, pb2 = _actor_filter("target", b)
        ba1, pb1 = _actor_filter("source", b)
        ba2, pa2 = _actor_filter("target", a)
        where.append(f"(({ab1} AND {ab2}) OR ({ba1} AND {ba2}))")
        params += pa1 + pb2 + pb1 + pa2
    if cameo:
        where.append("cameo LIKE ?")
        params.append(f"{cameo}%")
    if plover:
        where.append("plover = ?")
        params.append(plover.upper())
    if start:
        where.append("date >= ?")
        params.append(start)
    if end:
        where.append("substr(date, 1, ?) <= ?")
        params += [len(end), end]
    sql = f"SELECT {EVENT_COLUMNS} FROM events"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY date IS NULL, date, seq LIMIT ?"
    params.append(limit)
    records = [event_record(conn, row) for row in conn.execute(sql, params)]
    return records


def event_record(conn: sqlite3.Connection, row: Sequence[Any]) -> dict[str, Any]:
    (ident, s_text, s_name, s_code, s_country, s_role, t_text, t_name, t_code, t_country, t_role,
     cameo, root,
     plover, mode, quad, goldstein, negated, hypothetical, modality, symmetric, day, precision,
     date_source, location, trigger, sentence, confidence, coder, mentions, articles,
     sources) = row  # fmt: skip
    article_ids = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT article_id FROM event_mentions WHERE event_id = ? ORDER BY id",
            (ident,),
        )
    ]
    return {
        "id": ident, "article_ids": article_ids, "sentence": sentence, "trigger": trigger,
        "date": day, "date_precision": precision, "date_source": date_source,
        "source": _actor_record(s_text, s_name, s_code, s_country, s_role),
        "target": _actor_record(t_text, t_name, t_code, t_country, t_role),
        "cameo": cameo, "cameo_root": root, "plover": plover, "plover_mode": mode,
        "quad_class": quad, "goldstein": goldstein, "negated": bool(negated),
        "hypothetical": bool(hypothetical), "modality": modality, "symmetric": bool(symmetric),
        "location": json.loads(location) if location else None,
        "confidence": confidence, "coder": coder, "num_mentions": mentions,
        "num_articles": articles, "num_sources": sources,
    }  # fmt: skip


def _actor_record(
    text: Any, name: Any, code: Any, country: Any, role: Any
) -> dict[str, Any] | None:
    if name is None:
        return None
    return {"text": text, "name": name, "code": code, "country": country, "role": role}
