"""The data of the domain pages, as JSON-ready dicts (the ``.json`` twins return them as is).

Each function reads through one read-only SQLite connection (Datasette's, in its worker
thread) and never writes. The HTML pages render these same dicts, so a page and its twin
always agree.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from typing import Any

from detente.model import Article
from detente.query.timeline import timeline_from_records
from detente.store import annotated as annostore
from detente.store import events as store_events
from detente.store import stories as store_stories

#: Rows in the dashboard's lists (dyads, recent events, actors, articles).
DASHBOARD_ROWS = 10
#: Quotes, events and articles listed on an actor page (the tables hold the rest).
ACTOR_ROWS = 100
#: Hits per kind on the search page.
SEARCH_ROWS = 50
#: Shortest article id prefix a URL may use, as ``detente show`` accepts.
MIN_PREFIX = 6

ACTOR_CODE = re.compile(r"^[A-Z]{3}[A-Z0-9]{0,9}$")
_ARTICLE_FIELDS = (
    "id", "text", "source", "title", "outlet", "url", "author", "published", "published_source",
    "language", "fetched_at", "content_hash", "duplicate_of", "removed", "schema_version",
)  # fmt: skip


def cameo_name(code: str | None) -> str | None:
    """The CAMEO code's name ("Make a visit"), or None when the ontology does not know it."""
    if not code:
        return None
    try:
        from detente.coding.ontology import cameo
    except ImportError:  # the ontology ships with the event coder
        return None
    try:
        return cameo(code).name
    except ValueError:
        return None


def _side_label(side: dict[str, Any] | None) -> str:
    if not side:
        return "?"
    return str(side.get("code") or side.get("name") or "?")


def _decorate(event: dict[str, Any], conn: sqlite3.Connection | None = None) -> dict[str, Any]:
    """An event record with its code's name, a one-line label and where its evidence is."""
    event["cameo_name"] = cameo_name(event["cameo"])
    event["label"] = f"{_side_label(event['source'])} → {_side_label(event['target'])}"
    if conn is not None:
        event["evidence"] = [
            {"article_id": art, "idx": idx}
            for art, idx in conn.execute(
                "SELECT article_id, idx FROM event_mentions WHERE event_id = ? ORDER BY id",
                (event["id"],),
            )
        ]
    return event


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows in the main tables."""
    tables = ("articles", "events", "event_mentions", "quotes", "actors", "mentions", "amounts",
              "failures")  # fmt: skip
    return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}


def dashboard(conn: sqlite3.Connection) -> dict[str, Any]:
    """Counts, the most active dyads, recent events, most mentioned actors, newest articles."""
    dyads = [
        {"a": a, "b": b, "events": n, "cooperation": coop, "conflict": n - coop,
         "goldstein_mean": round(mean, 2), "first": first, "last": last}
        for a, b, n, coop, mean, first, last in conn.execute(
            "SELECT min(source_country, target_country) AS a, max(source_country, target_country)"
            " AS b, count(*), sum(quad_class <= 2), avg(goldstein), min(date), max(date)"
            " FROM events WHERE source_country IS NOT NULL AND target_country IS NOT NULL"
            " AND source_country != target_country AND negated = 0 AND hypothetical = 0"
            " GROUP BY a, b ORDER BY count(*) DESC, a, b LIMIT ?",
            (DASHBOARD_ROWS,),
        )
    ]  # fmt: skip
    recent_ids = [
        row[0]
        for row in conn.execute(
            "SELECT id FROM events ORDER BY date IS NULL, date DESC, seq DESC LIMIT ?",
            (DASHBOARD_ROWS,),
        )
    ]
    return {
        "counts": counts(conn),
        "dyads": dyads,
        "recent_events": [e for i in recent_ids if (e := event(conn, i, mentions=False))],
        "stories": story_list(conn, limit=DASHBOARD_ROWS),
        "actors": actor_list(conn, limit=DASHBOARD_ROWS),
        "articles": [
            dict(zip(("id", "title", "outlet", "published"), row, strict=True))
            for row in conn.execute(
                "SELECT id, title, outlet, published FROM articles"
                " ORDER BY published IS NULL, published DESC, seq DESC LIMIT ?",
                (DASHBOARD_ROWS,),
            )
        ],
    }


def actor_list(conn: sqlite3.Connection, *, limit: int) -> list[dict[str, Any]]:
    """The most mentioned actors with their ids and counts."""
    rows = conn.execute(
        f"SELECT a.id, {annostore.ACTOR_COLUMNS}, count(m.id) AS n,"
        " count(DISTINCT m.article_id) FROM actors a JOIN mentions m ON m.actor_id = a.id"
        " GROUP BY a.id ORDER BY n DESC, a.name LIMIT ?",
        (limit,),
    )
    return [
        {"id": row[0], **annostore.actor_dict(row[1:7]), "mentions": row[7], "articles": row[8]}
        for row in rows
    ]


def dyad(
    conn: sqlite3.Connection, a: str, b: str, *, by: str = "month", include_negated: bool = False
) -> dict[str, Any]:
    """A dyad's events (all, flags shown) and its timeline (negated/hypothetical left out)."""
    records = [
        _decorate(e, conn)
        for e in store_events.event_records(conn, dyad=(a, b), include_negated=True)
    ]
    line = timeline_from_records(records, a, b, by=by, include_negated=include_negated)
    ordered = [
        {"period": p.period, **p.counts, "total": p.total, "goldstein_mean": p.goldstein_mean}
        for p in line.periods
    ]
    unplaced = line.unplaced
    names = {code: _country_name(conn, code) for code in (a, b)}
    return {
        "dyad": [a, b], "names": names, "by": by, "include_negated": include_negated,
        "periods": ordered, "unplaced": unplaced, "events": records,
    }  # fmt: skip


def _country_name(conn: sqlite3.Connection, code: str) -> str | None:
    """The name of the country or actor ``code`` as the actors table spells it."""
    row = conn.execute(
        "SELECT name FROM actors WHERE code = ? ORDER BY kind != 'country', id LIMIT 1", (code,)
    ).fetchone()
    return None if row is None else str(row[0])


def event(conn: sqlite3.Connection, event_id: str, *, mentions: bool = True) -> dict[str, Any]:
    """One deduplicated event with the articles (and sentences) that tell it; {} if unknown."""
    row = conn.execute(
        f"SELECT {store_events.EVENT_COLUMNS} FROM events WHERE id = ?", (event_id,)
    ).fetchone()
    if row is None:
        return {}
    record = _decorate(store_events.event_record(conn, tuple(row)), conn)
    if mentions:
        record["mentions"] = [
            {"article_id": art, "idx": idx, "sentence": sentence, "title": title,
             "outlet": outlet, "published": published}
            for art, idx, sentence, title, outlet, published in conn.execute(
                "SELECT m.article_id, m.idx, m.sentence, a.title, a.outlet, a.published"
                " FROM event_mentions m JOIN articles a ON a.id = m.article_id"
                " WHERE m.event_id = ? ORDER BY a.published, m.id",
                (event_id,),
            )
        ]  # fmt: skip
    return record


def _resolve_article_id(conn: sqlite3.Connection, article_id: str) -> str | None:
    """The full id of the article with this id or unique prefix."""
    if conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
        return article_id
    if len(article_id) < MIN_PREFIX or not article_id.isalnum():
        return None
    rows = conn.execute(
        "SELECT id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
        (article_id, article_id + "\U0010ffff"),
    ).fetchall()
    return str(rows[0][0]) if len(rows) == 1 else None


def _has_stories(conn: sqlite3.Connection) -> bool:
    """Whether the database has the stories table (schema v5; older ones are read as they are)."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'stories'")
    return found.fetchone() is not None


def _story_of(conn: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    """The article's story (id and number of articles), None before stories are grouped."""
    if not _has_stories(conn):
        return None
    row = conn.execute(
        "SELECT s.story_id, (SELECT COUNT(*) FROM stories t WHERE t.story_id = s.story_id)"
        " FROM stories s WHERE s.article_id = ?",
        (article_id,),
    ).fetchone()
    return {"id": row[0], "num_articles": row[1]} if row else None


def story(conn: sqlite3.Connection, story_id: str) -> dict[str, Any]:
    """A story: its articles and the events they tell; {} if unknown."""
    return (store_stories.story(conn, story_id) if _has_stories(conn) else None) or {}


def story_list(conn: sqlite3.Connection, *, limit: int) -> list[dict[str, Any]]:
    """The stories told by the most articles (two or more)."""
    return store_stories.stories(conn, min_articles=2, limit=limit) if _has_stories(conn) else []


def article(conn: sqlite3.Connection, article_id: str) -> dict[str, Any]:
    """An article with metadata, provenance, annotations and events; {} if unknown."""
    full_id = _resolve_article_id(conn, article_id)
    if full_id is None:
        return {}
    row = conn.execute(
        f"SELECT {', '.join(_ARTICLE_FIELDS)}, word_count FROM articles WHERE id = ?", (full_id,)
    ).fetchone()
    values = dict(zip(_ARTICLE_FIELDS, tuple(row)[:-1], strict=True))
    values["removed"] = json.loads(values["removed"] or "[]")
    loaded = annostore.load(conn, Article(**values))
    data = loaded.to_dict()
    actor_ids = _actor_ids(conn, full_id)
    for mention in data["mentions"]:
        actor = mention["actor"]
        actor["id"] = actor_ids.get(
            (actor["name"], actor["code"] or "", actor["title"] or "", actor["kind"])
        )
    data["events"] = []
    for idx, event_id, payload in conn.execute(
        "SELECT idx, event_id, data FROM event_mentions WHERE article_id = ? ORDER BY idx",
        (full_id,),
    ):
        coded = json.loads(payload)
        data["events"].append(
            _decorate({
                "idx": idx, "event_id": event_id, "cameo": coded["cameo"],
                "quad_class": coded["quad_class"], "goldstein": coded["goldstein"],
                "negated": coded["negated"], "hypothetical": coded["hypothetical"],
                "modality": coded.get("modality"), "date": coded.get("date"),
                "trigger": coded.get("trigger"), "trigger_start": coded.get("trigger_start", 0),
                "trigger_end": coded.get("trigger_end", 0),
                "sentence_start": coded["sentence_start"], "sentence_end": coded["sentence_end"],
                "source": _mention_side(coded.get("source")),
                "target": _mention_side(coded.get("target")),
            })
        )  # fmt: skip
    data["word_count"] = int(tuple(row)[-1])
    data["story"] = _story_of(conn, full_id)
    data["provenance"] = [
        dict(zip(("source", "fetched_at", "content_hash", "added_at"), r, strict=True))
        for r in conn.execute(
            "SELECT source, fetched_at, content_hash, added_at FROM sources"
            " WHERE article_id = ? ORDER BY id",
            (full_id,),
        )
    ]
    return data


def _mention_side(mention: dict[str, Any] | None) -> dict[str, Any] | None:
    if not mention:
        return None
    return {"text": mention["text"], **mention["actor"]}


def _actor_ids(conn: sqlite3.Connection, article_id: str) -> dict[tuple[str, str, str, str], int]:
    """Actor row ids of the actors mentioned in an article, by identity."""
    rows = conn.execute(
        "SELECT DISTINCT a.id, a.name, ifnull(a.code, ''), ifnull(a.title, ''), a.kind"
        " FROM mentions m JOIN actors a ON a.id = m.actor_id WHERE m.article_id = ?",
        (article_id,),
    )
    return {(name, code, title, kind): ident for ident, name, code, title, kind in rows}


def actor(conn: sqlite3.Connection, actor_id: int) -> dict[str, Any]:
    """An actor: identity, counts, quotes, events as source or target, counterparts."""
    row = conn.execute(
        f"SELECT a.id, {annostore.ACTOR_COLUMNS} FROM actors a WHERE a.id = ?", (actor_id,)
    ).fetchone()
    if row is None:
        return {}
    data: dict[str, Any] = {"id": row[0], **annostore.actor_dict(tuple(row)[1:])}
    name, code = data["name"], data["code"]
    mentions, articles = conn.execute(
        "SELECT count(*), count(DISTINCT article_id) FROM mentions WHERE actor_id = ?",
        (actor_id,),
    ).fetchone()
    data.update(mentions=mentions, num_articles=articles)
    data["quotes"] = [
        {"id": qid, "article_id": art, "text": text, "kind": kind, "cue": cue,
         "sentence": sentence, "start": start, "published": published, "title": title}
        for qid, art, text, kind, cue, sentence, start, published, title in conn.execute(
            "SELECT q.id, q.article_id, q.text, q.kind, q.cue, q.sentence, q.start,"
            " ar.published, ar.title FROM quotes q JOIN articles ar ON ar.id = q.article_id"
            " WHERE q.speaker_actor_id = ? AND q.kind != 'scare'"
            " ORDER BY ar.published DESC, q.start LIMIT ?",
            (actor_id, ACTOR_ROWS),
        )
    ]  # fmt: skip
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM events WHERE (source_name = :n AND ifnull(source_code, '') = :c)"
            " OR (target_name = :n AND ifnull(target_code, '') = :c)"
            " ORDER BY date IS NULL, date, seq LIMIT :limit",
            {"n": name, "c": code or "", "limit": ACTOR_ROWS},
        )
    ]
    data["events"] = [e for i in ids if (e := event(conn, i, mentions=False))]
    others: Counter[tuple[str, str | None]] = Counter()
    for record in data["events"]:
        for side, other in (("source", "target"), ("target", "source")):
            mine, theirs = record[side], record[other]
            if mine and theirs and mine["name"] == name and (mine["code"] or "") == (code or ""):
                others[(theirs["name"], theirs["code"])] += 1
    data["counterparts"] = [
        {"name": other, "code": other_code, "events": n,
         "id": _actor_id(conn, other, other_code)}
        for (other, other_code), n in others.most_common()
    ]  # fmt: skip
    data["articles"] = [
        dict(zip(("id", "title", "outlet", "published", "mentions"), r, strict=True))
        for r in conn.execute(
            "SELECT ar.id, ar.title, ar.outlet, ar.published, count(*) FROM mentions m"
            " JOIN articles ar ON ar.id = m.article_id WHERE m.actor_id = ?"
            " GROUP BY ar.id ORDER BY ar.published DESC LIMIT ?",
            (actor_id, ACTOR_ROWS),
        )
    ]
    return data


def _actor_id(conn: sqlite3.Connection, name: str, code: str | None) -> int | None:
    """The id of the (most mentioned) actor row with this name and code."""
    row = conn.execute(
        "SELECT a.id FROM actors a LEFT JOIN mentions m ON m.actor_id = a.id"
        " WHERE a.name = ? AND ifnull(a.code, '') = ? GROUP BY a.id ORDER BY count(m.id) DESC"
        " LIMIT 1",
        (name, code or ""),
    ).fetchone()
    return None if row is None else int(row[0])


#: Marks around FTS snippet hits; control characters never occur in stored text.
HIT_OPEN, HIT_CLOSE = "\x02", "\x03"


def _fts_query(text: str) -> str:
    """The user's words as an FTS5 query that cannot be a syntax error (each word quoted)."""
    words = re.findall(r"\w+", text)
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def search(conn: sqlite3.Connection, query: str) -> dict[str, Any]:
    """Quotes and articles matching a full-text query (FTS5 syntax, else plain words)."""
    data: dict[str, Any] = {"q": query, "quotes": [], "articles": [], "error": None}
    if not query.strip():
        return data
    for attempt in (query, _fts_query(query)):
        if not attempt:
            break
        try:
            data["quotes"] = annostore.quote_records(conn, search=attempt, limit=SEARCH_ROWS)
            data["articles"] = [
                dict(zip(("id", "title", "outlet", "published", "snippet"), r, strict=True))
                for r in conn.execute(
                    "SELECT a.id, a.title, a.outlet, a.published, snippet(articles_fts, 1, ?, ?,"
                    " '…', 24) FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
                    " WHERE articles_fts MATCH ? ORDER BY articles_fts.rank LIMIT ?",
                    (HIT_OPEN, HIT_CLOSE, attempt, SEARCH_ROWS),
                )
            ]
            data["error"] = None
            data["query"] = attempt
            return data
        except sqlite3.OperationalError as err:
            data["error"] = f"{query!r} is not a valid full-text query ({err})"
    return data
