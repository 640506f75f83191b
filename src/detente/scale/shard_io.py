"""A shard's Parquet tables: their folders, fixed schemas, one article's rows, atomic writes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from detente.model import Article, Event, Mention

TABLES = ("articles", "events", "quotes", "amounts", "failures")
DONE = "_done"


def _schemas() -> dict[str, Any]:
    """The Parquet schema of each table (fixed, so an empty shard still reads typed)."""
    import pyarrow as pa

    s, i, f, b = pa.string(), pa.int64(), pa.float64(), pa.bool_()
    actor = [("name", s), ("code", s), ("country", s), ("role", s)]

    def side(prefix: str) -> list[tuple[str, Any]]:
        return [(f"{prefix}_{name}", kind) for name, kind in actor]

    return {
        "articles": pa.schema(
            [("shard", s), ("id", s), ("source", s), ("url", s), ("title", s), ("outlet", s),
             ("author", s), ("published", s), ("published_source", s), ("language", s),
             ("fetched_at", s), ("content_hash", s), ("word_count", i), ("nlp", s),
             ("text", s), ("record", s)]
        ),
        "events": pa.schema(
            [("shard", s), ("article_id", s), ("index", i), ("cameo", s), ("plover", s),
             ("plover_mode", s), ("quad_class", i), ("goldstein", f), *side("source"),
             *side("target"), *side("reported_by"), ("trigger", s), ("negated", b),
             ("hypothetical", b), ("modality", s), ("symmetric", b), ("date", s),
             ("date_precision", s), ("date_source", s), ("date_text", s), ("location", s),
             ("location_country", s), ("latitude", f), ("longitude", f), ("sentence", s),
             ("sentence_start", i), ("sentence_end", i), ("confidence", f), ("coder", s)]
        ),
        "quotes": pa.schema(
            [("shard", s), ("article_id", s), ("index", i), ("text", s), ("direct", b),
             ("kind", s), *side("speaker"), ("cue", s), ("addressee", s), ("start", i),
             ("end", i), ("sentence", s)]
        ),
        "amounts": pa.schema(
            [("shard", s), ("article_id", s), ("index", i), ("text", s), ("value", f),
             ("unit", s), ("object", s), ("approximate", b), ("start", i), ("end", i)]
        ),
        "failures": pa.schema(
            [("shard", s), ("source", s), ("line", i), ("stage", s), ("reason", s)]
        ),
    }  # fmt: skip


def _side(prefix: str, mention: Mention | None) -> dict[str, Any]:
    actor = mention.actor if mention is not None else None
    return {
        f"{prefix}_name": actor.name if actor else None,
        f"{prefix}_code": actor.code if actor else None,
        f"{prefix}_country": actor.country if actor else None,
        f"{prefix}_role": actor.role if actor else None,
    }


def _event_row(key: str, article: Article, index: int, event: Event) -> dict[str, Any]:
    place = event.location
    return {
        "shard": key,
        "article_id": article.id,
        "index": index,
        "cameo": event.cameo,
        "plover": event.plover,
        "plover_mode": event.plover_mode,
        "quad_class": event.quad_class,
        "goldstein": event.goldstein,
        **_side("source", event.source),
        **_side("target", event.target),
        **_side("reported_by", event.reported_by),
        "trigger": event.trigger,
        "negated": event.negated,
        "hypothetical": event.hypothetical,
        "modality": event.modality,
        "symmetric": event.symmetric,
        "date": event.date,
        "date_precision": event.date_precision,
        "date_source": event.date_source,
        "date_text": event.date_text,
        "location": place.name if place else None,
        "location_country": place.country if place else None,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "sentence": article.text[event.sentence_start : event.sentence_end],
        "sentence_start": event.sentence_start,
        "sentence_end": event.sentence_end,
        "confidence": event.confidence,
        "coder": event.coder,
    }


def rows(key: str, article: Article) -> dict[str, list[dict[str, Any]]]:
    """One article's rows in every table but ``failures``."""
    record = article.to_dict()
    article_row = {
        "shard": key,
        "record": json.dumps(record, ensure_ascii=False),
        **{name: record.get(name) for name in _ARTICLE_COLUMNS},
    }
    quotes = [
        {
            "shard": key,
            "article_id": article.id,
            "index": index,
            "text": quote.text,
            "direct": quote.direct,
            "kind": quote.kind,
            **_side("speaker", quote.speaker),
            "cue": quote.cue,
            "addressee": quote.addressee,
            "start": quote.start,
            "end": quote.end,
            "sentence": article.text[quote.sentence_start : quote.sentence_end],
        }
        for index, quote in enumerate(article.quotes)
    ]
    amounts = [
        {
            "shard": key,
            "article_id": article.id,
            "index": index,
            "text": amount.text,
            "value": amount.value,
            "unit": amount.unit,
            "object": amount.object,
            "approximate": amount.approximate,
            "start": amount.start,
            "end": amount.end,
        }
        for index, amount in enumerate(article.amounts)
    ]
    events = [_event_row(key, article, i, e) for i, e in enumerate(article.events)]
    return {"articles": [article_row], "events": events, "quotes": quotes, "amounts": amounts}


_ARTICLE_COLUMNS = (
    "id", "source", "url", "title", "outlet", "author", "published", "published_source",
    "language", "fetched_at", "content_hash", "word_count", "nlp", "text",
)  # fmt: skip


def _write_table(out: Path, table: str, key: str, records: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _schemas()[table]
    folder = out / table
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{key}.parquet"
    partial = folder / f".{key}.parquet.{os.getpid()}.tmp"
    pq.write_table(pa.Table.from_pylist(records, schema=schema), partial)
    os.replace(partial, final)
