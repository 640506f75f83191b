"""The stories table of the store (schema v5): which story each article belongs to.

Stories (:mod:`detente.dedup.stories`) group the articles that report the same news. They are
computed over the whole collection (a word's weight depends on every article), so they are
stored as a snapshot: :func:`rebuild` regroups every article in one transaction, and
:func:`stale` says when articles were added or removed since (``detente stories`` then
regroups before listing).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Any

from detente.dedup.stories import StoryArticle, group_stories, story_id

__all__ = ["migrate_to_v5", "rebuild", "stale", "stories", "story"]

_V5 = (
    """
    CREATE TABLE stories (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        story_id TEXT NOT NULL
    )
    """,
    "CREATE INDEX stories_story ON stories(story_id)",
)


def migrate_to_v5(conn: sqlite3.Connection) -> None:
    """Add the stories table (empty: ``detente stories`` fills it)."""
    for statement in _V5:
        conn.execute(statement)


def stale(conn: sqlite3.Connection) -> bool:
    """True when an article has no story yet (added since the last grouping)."""
    row = conn.execute(
        "SELECT 1 FROM articles a LEFT JOIN stories s ON s.article_id = a.id"
        " WHERE s.article_id IS NULL LIMIT 1"
    ).fetchone()
    return row is not None


def _articles(conn: sqlite3.Connection) -> list[StoryArticle]:
    events: dict[str, set[str]] = {}
    rows = conn.execute(
        "SELECT m.article_id, m.event_id FROM event_mentions m JOIN events e ON e.id = m.event_id"
        " WHERE e.source_name IS NOT NULL AND e.target_name IS NOT NULL AND e.num_articles > 1"
    )
    for article, event in rows:
        events.setdefault(article, set()).add(event)
    return [
        StoryArticle(ident, f"{title or ''}\n{text}", published, frozenset(events.get(ident, ())))
        for ident, title, text, published in conn.execute(
            "SELECT id, title, text, published FROM articles ORDER BY seq"
        )
    ]


def rebuild(conn: sqlite3.Connection) -> int:
    """Regroup every article into stories; return the number of stories."""
    groups = group_stories(_articles(conn))
    conn.execute("DELETE FROM stories")
    conn.executemany(
        "INSERT INTO stories(article_id, story_id) VALUES (?, ?)",
        ((article, story_id(members)) for members in groups for article in members),
    )
    return len(groups)


_STORY_ARTICLES = """
    SELECT s.story_id, a.id, a.title, a.outlet, a.published, a.source, a.url,
        substr(a.text, 1, 200)
    FROM stories s JOIN articles a ON a.id = s.article_id
"""


def _summary(story: str, articles: list[dict[str, Any]]) -> dict[str, Any]:
    dates = sorted(a["published"][:10] for a in articles if a["published"])
    outlets = Counter(a["outlet"] for a in articles if a["outlet"])
    lead = min(articles, key=lambda a: (a["published"] or "9999", a["id"]))
    return {
        "id": story,
        "title": lead["title"] or _opening(lead["opening"]),
        "num_articles": len(articles),
        "num_outlets": len(outlets),
        "first_published": dates[0] if dates else None,
        "last_published": dates[-1] if dates else None,
        "outlets": [name for name, _ in outlets.most_common()],
        "article_ids": [a["id"] for a in articles],
    }


def _opening(text: str) -> str:
    """A title for an untitled article: its first line, cut at a word near 100 characters."""
    line = text.strip().split("\n", 1)[0]
    return line if len(line) <= 100 else line[:100].rsplit(" ", 1)[0] + " …"


def _article(row: tuple[Any, ...]) -> dict[str, Any]:
    _, ident, title, outlet, published, source, url, opening = row
    return {
        "id": ident, "title": title, "outlet": outlet, "published": published,
        "source": source, "url": url, "opening": opening,
    }  # fmt: skip


def stories(
    conn: sqlite3.Connection, *, min_articles: int = 1, limit: int | None = None
) -> list[dict[str, Any]]:
    """Stories with at least ``min_articles`` articles, the most told first."""
    by_story: dict[str, list[dict[str, Any]]] = {}
    for row in conn.execute(_STORY_ARTICLES + " ORDER BY a.seq"):
        by_story.setdefault(row[0], []).append(_article(row))
    found = [
        _summary(story, articles)
        for story, articles in by_story.items()
        if len(articles) >= min_articles
    ]
    found.sort(key=lambda s: (-s["num_articles"], s["first_published"] or "9999", s["id"]))
    return found[:limit] if limit is not None else found


def story(conn: sqlite3.Connection, ident: str) -> dict[str, Any] | None:
    """One story: its summary, its articles (oldest first) and the events they tell."""
    rows = conn.execute(
        _STORY_ARTICLES + " WHERE s.story_id = ? ORDER BY a.published, a.seq", (ident,)
    ).fetchall()
    if not rows:
        return None
    articles = [_article(row) for row in rows]
    found = _summary(ident, articles)
    found["articles"] = articles
    placeholders = ",".join("?" * len(articles))
    keys = ("id", "date", "source_code", "target_code", "cameo", "trigger", "sentence")
    found["events"] = [
        dict(zip((*keys, "num_articles"), row, strict=True))
        for row in conn.execute(
            "SELECT DISTINCT e.id, e.date, e.source_code, e.target_code, e.cameo, e.trigger,"
            " e.sentence, e.num_articles FROM events e JOIN event_mentions m"
            f" ON m.event_id = e.id WHERE m.article_id IN ({placeholders})"
            " AND e.negated = 0 AND e.hypothetical = 0"
            " ORDER BY e.num_articles DESC, e.date, e.id",
            [a["id"] for a in articles],
        )
    ]
    return found
