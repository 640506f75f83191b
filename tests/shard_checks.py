"""What the shard and Ray tests compare: a store's contents, minus read times."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from detente.store.database import Store

#: The demo articles as `make demo`'s first ingest reads them (dated, with a container file).
DEMO_INPUTS = ("html", "text", "news.jsonl")


def snapshot(db: Path) -> dict[str, Any]:
    """Every stored fact that an ingest decides (not when it ran), in a comparable form."""
    with Store(db) as store:
        articles = [store.get_article(a.id) for a in store.articles()]
        facts = sorted(
            (
                a.id,
                a.source,
                a.title,
                a.published,
                a.duplicate_of,
                tuple((m.start, m.end, m.actor.code) for m in a.mentions),
                tuple(
                    (q.start, q.end, q.speaker.actor.name if q.speaker else None) for q in a.quotes
                ),
                tuple((x.start, x.value, x.unit) for x in a.amounts),
                tuple((e.cameo, e.date, e.negated, e.sentence_start) for e in a.events),
            )
            for a in articles
            if a is not None
        )
        events = sorted(
            (e["id"], e["num_mentions"], e["date"]) for e in store.events(include_negated=True)
        )
        failures = sorted((f.source, f.line or 0, f.reason) for f in store.failures())
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    return {"articles": facts, "events": events, "failures": failures}
