"""The annotation tables of the store: actors, mentions, quotes and amounts (schema v2).

Kept apart from :mod:`detente.store.database` (articles, provenance, failures) by concern; the
:class:`~detente.store.database.Store` calls these functions inside its own transactions, so an
article and its annotations are written (or replaced) together or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from detente.model import Actor, Amount, Article, Mention, Quote

_V2 = (
    "ALTER TABLE articles ADD COLUMN nlp TEXT",  # the model that annotated it; NULL: not yet
    "ALTER TABLE articles ADD COLUMN sentences TEXT",  # JSON [[start, end], ...]
    """
    CREATE TABLE actors (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        code TEXT,
        country TEXT,
        role TEXT,
        kind TEXT NOT NULL,
        title TEXT
    )
    """,
    "CREATE UNIQUE INDEX actors_identity ON actors(name, ifnull(code, ''), ifnull(title, ''),"
    " kind)",
    "CREATE INDEX actors_code ON actors(code)",
    "CREATE INDEX actors_country ON actors(country)",
    """
    CREATE TABLE mentions (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        actor_id INTEGER NOT NULL REFERENCES actors(id),
        via TEXT NOT NULL
    )
    """,
    "CREATE INDEX mentions_article ON mentions(article_id)",
    "CREATE INDEX mentions_actor ON mentions(actor_id)",
    """
    CREATE TABLE quotes (
        seq INTEGER PRIMARY KEY,  -- stable rowid for the FTS index
        id TEXT NOT NULL UNIQUE,  -- article id ':' start offset
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        direct INTEGER NOT NULL,
        kind TEXT NOT NULL,
        speaker_text TEXT,
        speaker_start INTEGER,
        speaker_end INTEGER,
        speaker_via TEXT,
        speaker_actor_id INTEGER REFERENCES actors(id),
        cue TEXT,
        addressee TEXT,
        sentence TEXT NOT NULL,
        sentence_start INTEGER NOT NULL,
        sentence_end INTEGER NOT NULL
    )
    """,
    "CREATE INDEX quotes_article ON quotes(article_id)",
    "CREATE INDEX quotes_speaker ON quotes(speaker_actor_id)",
    """
    CREATE VIRTUAL TABLE quotes_fts USING fts5(
        text, content='quotes', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
        INSERT INTO quotes_fts(rowid, text) VALUES (new.seq, new.text);
    END
    """,
    """
    CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
        INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.seq, old.text);
    END
    """,
    """
    CREATE TABLE amounts (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        value REAL NOT NULL,
        unit TEXT,
        object TEXT,
        approximate INTEGER NOT NULL,
        sentence TEXT NOT NULL,
        sentence_start INTEGER NOT NULL,
        sentence_end INTEGER NOT NULL
    )
    """,
    "CREATE INDEX amounts_article ON amounts(article_id)",
)


def migrate_to_v2(conn: sqlite3.Connection) -> None:
    """Add the annotation tables: actors, mentions, quotes (with FTS) and amounts."""
    for statement in _V2:
        conn.execute(statement)


def _actor_id(conn: sqlite3.Connection, actor: Actor) -> int:
    """The row id of an actor, inserted when new."""
    row = conn.execute(
        "SELECT id FROM actors WHERE name = ? AND ifnull(code, '') = ifnull(?, '')"
        " AND ifnull(title, '') = ifnull(?, '') AND kind = ?",
        (actor.name, actor.code, actor.title, actor.kind),
    ).fetchone()
    if row is not None:
        return int(row[0])
    cursor = conn.execute(
        "INSERT INTO actors (name, code, country, role, kind, title) VALUES (?, ?, ?, ?, ?, ?)",
        (actor.name, actor.code, actor.country, actor.role, actor.kind, actor.title),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def write(conn: sqlite3.Connection, article: Article) -> None:
    """Replace the stored annotations of an article with the ones it carries."""
    delete(conn, article.id)
    conn.execute(
        "UPDATE articles SET nlp = ?, sentences = ? WHERE id = ?",
        (article.nlp, json.dumps([list(s) for s in article.sentences]), article.id),
    )
    text = article.text
    conn.executemany(
        "INSERT INTO mentions (article_id, start, end, text, actor_id, via)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (article.id, m.start, m.end, m.text, _actor_id(conn, m.actor), m.via)
            for m in article.mentions
        ],
    )
    for quote in article.quotes:
        speaker = quote.speaker
        conn.execute(
            "INSERT OR REPLACE INTO quotes (id, article_id, start, end, text, direct, kind,"
            " speaker_text, speaker_start, speaker_end, speaker_via, speaker_actor_id, cue,"
            " addressee, sentence, sentence_start, sentence_end)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                f"{article.id}:{quote.start}", article.id, quote.start, quote.end, quote.text,
                int(quote.direct), quote.kind,
                speaker.text if speaker else None, speaker.start if speaker else None,
                speaker.end if speaker else None, speaker.via if speaker else None,
                _actor_id(conn, speaker.actor) if speaker else None,
                quote.cue, quote.addressee,
                text[quote.sentence_start : quote.sentence_end],
                quote.sentence_start, quote.sentence_end,
            ),
        )  # fmt: skip
    conn.executemany(
        "INSERT INTO amounts (article_id, start, end, text, value, unit, object, approximate,"
        " sentence, sentence_start, sentence_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                article.id, a.start, a.end, a.text, a.value, a.unit, a.object,
                int(a.approximate), text[a.sentence_start : a.sentence_end],
                a.sentence_start, a.sentence_end,
            )
            for a in article.amounts
        ],
    )  # fmt: skip


def delete(conn: sqlite3.Connection, article_id: str) -> None:
    """Remove the annotations of one article (actors stay: others may name them)."""
    for table in ("mentions", "quotes", "amounts"):
        conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))


def load(conn: sqlite3.Connection, article: Article) -> Article:
    """Fill an article's annotations from the store."""
    row = conn.execute("SELECT nlp, sentences FROM articles WHERE id = ?", (article.id,)).fetchone()
    if row is None or row[0] is None:
        return article
    article.nlp = row[0]
    article.sentences = [(int(s), int(e)) for s, e in json.loads(row[1] or "[]")]
    article.mentions = [
        Mention(start, end, text, _actor(rest), via)
        for start, end, text, via, *rest in conn.execute(
            f"SELECT m.start, m.end, m.text, m.via, {ACTOR_COLUMNS} FROM mentions m"
            " JOIN actors a ON a.id = m.actor_id WHERE m.article_id = ? ORDER BY m.start",
            (article.id,),
        )
    ]
    article.quotes = [
        _quote(row)
        for row in conn.execute(
            f"SELECT {_QUOTE_COLUMNS} FROM quotes q LEFT JOIN actors a"
            " ON a.id = q.speaker_actor_id WHERE q.article_id = ? ORDER BY q.start",
            (article.id,),
        )
    ]
    article.amounts = [
        Amount(start, end, text, value, unit, obj, bool(approx), s_start, s_end)
        for start, end, text, value, unit, obj, approx, s_start, s_end in conn.execute(
            "SELECT start, end, text, value, unit, object, approximate, sentence_start,"
            " sentence_end FROM amounts WHERE article_id = ? ORDER BY start",
            (article.id,),
        )
    ]
    return article


ACTOR_COLUMNS = "a.name, a.code, a.country, a.role, a.kind, a.title"
_QUOTE_COLUMNS = (
    "q.start, q.end, q.text, q.direct, q.kind, q.cue, q.addressee, q.sentence_start,"
    " q.sentence_end, q.speaker_start, q.speaker_end, q.speaker_text, q.speaker_via, "
    + ACTOR_COLUMNS
)


def _actor(row: Any) -> Actor:
    name, code, country, role, kind, title = row
    return Actor(name, code, country, role, kind, title)


def _quote(row: Any) -> Quote:
    start, end, text, direct, kind, cue, addressee, s_start, s_end = row[:9]
    sp_start, sp_end, sp_text, sp_via = row[9:13]
    speaker = None
    if sp_text is not None and row[13] is not None:
        speaker = Mention(sp_start, sp_end, sp_text, _actor(row[13:19]), sp_via)
    return Quote(start, end, text, bool(direct), kind, speaker, cue, addressee, s_start, s_end)


def actor_dict(row: Any) -> dict[str, Any]:
    """An actor row (``ACTOR_COLUMNS``) as a JSON-ready dict."""
    name, code, country, role, kind, title = row
    return {"name": name, "code": code, "country": country, "role": role, "kind": kind,
            "title": title}  # fmt: skip


def quote_records(
    conn: sqlite3.Connection,
    *,
    speaker: str | None = None,
    actor: str | None = None,
    article_id: str | None = None,
    search: str | None = None,
    include_scare: bool = False,
    limit: int = -1,
) -> list[dict[str, Any]]:
    """Quotes as export records (``id``, ``article_id``, ``speaker`` {…}, ``text``, …)."""
    sql = (
        "SELECT q.id, q.article_id, q.text, q.direct, q.kind, q.cue, q.addressee, q.sentence,"
        " q.start, q.end, q.speaker_text, q.speaker_via, a.name, a.code, a.country, a.role,"
        " ar.published FROM quotes q LEFT JOIN actors a ON a.id = q.speaker_actor_id"
        " JOIN articles ar ON ar.id = q.article_id"
    )
    where: list[str] = []
    params: list[Any] = []
    if search:
        sql += " JOIN quotes_fts ON quotes_fts.rowid = q.seq"
        where.append("quotes_fts MATCH ?")
        params.append(search)
    if not include_scare:
        where.append("q.kind != 'scare'")
    if speaker:
        where.append("(a.name LIKE ? OR q.speaker_text LIKE ?)")
        params += [f"%{speaker}%", f"%{speaker}%"]
    if actor:
        where.append("(a.code = ? OR a.country = ?)")
        params += [actor, actor]
    if article_id:
        where.append("q.article_id = ?")
        params.append(article_id)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY ar.published DESC, q.article_id, q.start LIMIT ?"
    params.append(limit)
    records = []
    for row in conn.execute(sql, params):
        (qid, art, text, direct, kind, cue, addressee, sentence, start, end, sp_text, sp_via,
         name, code, country, role, published) = row  # fmt: skip
        records.append(
            {
                "id": qid, "article_id": art, "published": published,
                "speaker": None if sp_text is None else {
                    "text": sp_text, "name": name, "code": code, "country": country,
                    "role": role, "via": sp_via,
                },
                "text": text, "direct": bool(direct), "kind": kind, "cue": cue,
                "addressee": addressee, "sentence": sentence, "start": start, "end": end,
            }
        )  # fmt: skip
    return records


def amount_records(
    conn: sqlite3.Connection,
    *,
    article_id: str | None = None,
    unit: str | None = None,
    limit: int = -1,
) -> list[dict[str, Any]]:
    """Amounts as export records (``article_id``, ``value``, ``unit``, ``object``, …)."""
    sql = (
        "SELECT m.article_id, ar.published, m.text, m.value, m.unit, m.object, m.approximate,"
        " m.sentence, m.start, m.end FROM amounts m JOIN articles ar ON ar.id = m.article_id"
    )
    where: list[str] = []
    params: list[Any] = []
    if article_id:
        where.append("m.article_id = ?")
        params.append(article_id)
    if unit:
        where.append("m.unit = ?")
        params.append(unit)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY ar.published DESC, m.article_id, m.start LIMIT ?"
    params.append(limit)
    keys = ("article_id", "published", "text", "value", "unit", "object", "approximate",
            "sentence", "start", "end")  # fmt: skip
    records = [dict(zip(keys, row, strict=True)) for row in conn.execute(sql, params)]
    for record in records:
        record["approximate"] = bool(record["approximate"])
    return records


def actor_records(
    conn: sqlite3.Connection,
    *,
    country: str | None = None,
    role: str | None = None,
    code: str | None = None,
    limit: int = -1,
) -> list[dict[str, Any]]:
    """Actors with their mention, article and quote counts, most mentioned first."""
    sql = (
        f"SELECT {ACTOR_COLUMNS}, count(m.id), count(DISTINCT m.article_id),"
        " (SELECT count(*) FROM quotes q WHERE q.speaker_actor_id = a.id AND q.kind != 'scare')"
        " FROM actors a JOIN mentions m ON m.actor_id = a.id"
    )
    where: list[str] = []
    params: list[Any] = []
    for column, value in (("country", country), ("role", role), ("code", code)):
        if value:
            where.append(f"a.{column} = ?")
            params.append(value)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " GROUP BY a.id ORDER BY count(m.id) DESC, a.name LIMIT ?"
    params.append(limit)
    records = []
    for row in conn.execute(sql, params):
        record = actor_dict(row[:6])
        record.update(mentions=row[6], articles=row[7], quotes=row[8])
        records.append(record)
    return records
