"""Exports: stored records to JSONL, CSV or Parquet files (or a stream)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO, Unpack

from detente.errors import DetenteError
from detente.model import Article
from detente.store.database import Store
from detente.store.events import EventFilters

FORMATS = ("jsonl", "csv", "parquet", "gdelt", "gdelt-mentions", "plover")
WHATS = ("articles", "quotes", "actors", "amounts", "events")
#: Formats that only exist for events: other systems' layouts, which leave negated,
#: hypothetical and one-sided events out unless asked for (the flat formats keep them all).
EVENT_FORMATS = ("gdelt", "gdelt-mentions", "plover")

#: Columns of the article export, in order; ``removed`` is a JSON list in CSV.
ARTICLE_COLUMNS = (
    "id", "title", "outlet", "url", "author", "published", "published_source", "language",
    "word_count", "duplicate_of", "source", "fetched_at", "content_hash", "schema_version",
    "text", "removed",
)  # fmt: skip


def article_rows(articles: Iterable[Article]) -> Iterable[dict[str, Any]]:
    """Articles as flat dicts with the export columns."""
    for article in articles:
        data = article.to_dict()
        yield {name: data.get(name) for name in ARTICLE_COLUMNS}


#: Columns of the quote, actor and amount exports (nested objects are flattened in CSV).
QUOTE_COLUMNS = (
    "id", "article_id", "published", "speaker", "text", "direct", "kind", "cue", "addressee",
    "sentence", "start", "end",
)  # fmt: skip
ACTOR_COLUMNS = ("name", "code", "country", "role", "kind", "title", "mentions", "articles",
                 "quotes")  # fmt: skip
EVENT_COLUMNS = (
    "id", "article_ids", "date", "date_precision", "date_source", "source", "target", "cameo",
    "cameo_root", "plover", "plover_mode", "quad_class", "goldstein", "negated", "hypothetical",
    "modality", "symmetric", "location", "trigger", "sentence", "confidence", "coder",
    "num_mentions", "num_articles", "num_sources",
)  # fmt: skip
AMOUNT_COLUMNS = ("article_id", "published", "text", "value", "unit", "object", "approximate",
                  "sentence", "start", "end")  # fmt: skip


def records(
    store: Store, what: str, **filters: Any
) -> tuple[Iterable[dict[str, Any]], Sequence[str]]:
    """The stored records of one kind, as dicts, with the export's column order.

    Events take the filters of :meth:`Store.events <detente.store.reads.Reads.events>`; by
    default every event, negated and hypothetical ones too.
    """
    if what == "quotes":
        return store.quotes(include_scare=True), QUOTE_COLUMNS
    if what == "actors":
        return store.actors(), ACTOR_COLUMNS
    if what == "amounts":
        return store.amounts(), AMOUNT_COLUMNS
    if what == "events":
        return store.events(**{"include_negated": True, **filters}), EVENT_COLUMNS
    return article_rows(store.articles()), ARTICLE_COLUMNS


#: Fields of the nested objects, flattened as ``speaker_name`` etc. in CSV and Parquet.
NESTED = {
    "speaker": ("text", "name", "code", "country", "role", "via"),
    "source": ("text", "name", "code", "country", "role"),
    "target": ("text", "name", "code", "country", "role"),
    "location": ("name", "country", "latitude", "longitude", "feature", "geonames_id", "admin1"),
}


def flat_columns(columns: Sequence[str]) -> list[str]:
    """Column names with nested objects spread into ``parent_child`` columns."""
    out: list[str] = []
    for column in columns:
        out += [f"{column}_{f}" for f in NESTED[column]] if column in NESTED else [column]
    return out


def flatten(row: dict[str, Any]) -> dict[str, Any]:
    """Nested objects as ``parent_child`` columns (``speaker_name``), for CSV and Parquet."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if key in NESTED and (value is None or isinstance(value, dict)):
            for sub in NESTED[key]:
                flat[f"{key}_{sub}"] = None if value is None else value.get(sub)
        else:
            flat[key] = value
    return flat


def write_jsonl(rows: Iterable[dict[str, Any]], stream: TextIO) -> int:
    """One JSON object a line; returns the number of rows."""
    count = 0
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[dict[str, Any]], stream: TextIO, columns: Sequence[str]) -> int:
    """CSV with a header; lists and dicts are written as JSON text."""
    writer = csv.DictWriter(stream, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                for k, v in row.items()
            }
        )
        count += 1
    return count


def write_parquet(rows: Iterable[dict[str, Any]], path: Path, columns: Sequence[str]) -> int:
    """A Parquet file (needs pyarrow: ``pip install 'detente[parquet]'``)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:
        raise DetenteError("Parquet export needs pyarrow: pip install 'detente[parquet]'") from err
    materialized = list(rows)
    schema = pa.schema([(c, _parquet_type(pa, c)) for c in columns])
    pq.write_table(pa.Table.from_pylist(materialized, schema=schema), path)
    return len(materialized)


#: Column types of the Parquet exports; any column not named here is text.
_INTEGER_COLUMNS = frozenset((
    "word_count", "schema_version", "start", "end", "quad_class", "mentions", "articles",
    "quotes", "num_mentions", "num_articles", "num_sources", "location_geonames_id",
))  # fmt: skip
_FLOAT_COLUMNS = frozenset(
    ("value", "goldstein", "confidence", "location_latitude", "location_longitude")
)
_BOOL_COLUMNS = frozenset(("direct", "negated", "hypothetical", "symmetric", "approximate"))
_LIST_COLUMNS = frozenset(("removed", "article_ids"))


def _parquet_type(pa: Any, column: str) -> Any:
    """The Arrow type of an export column (typed even when the table is empty)."""
    if column in _INTEGER_COLUMNS:
        return pa.int64()
    if column in _FLOAT_COLUMNS:
        return pa.float64()
    if column in _BOOL_COLUMNS:
        return pa.bool_()
    if column in _LIST_COLUMNS:
        return pa.list_(pa.string())
    return pa.string()


def export(
    store: Store,
    *,
    what: str = "articles",
    fmt: str = "jsonl",
    out: str | Path | None = None,
    stream: TextIO | None = None,
    include_negated: bool | None = None,
    include_one_sided: bool | None = None,
    **filters: Unpack[EventFilters],
) -> int:
    """Write the stored records of one kind to ``out`` (or ``stream``); returns the count.

    Events take the filters of ``detente events`` (:class:`EventFilters`). JSONL, CSV and
    Parquet keep negated, hypothetical and one-sided events (their flags are columns); the GDELT
    and PLOVER layouts leave them out unless ``include_negated`` / ``include_one_sided``.
    """
    if fmt in EVENT_FORMATS and what != "events":
        raise DetenteError(f"--format {fmt} is for events only: use --what events")
    if what not in WHATS:
        raise DetenteError(f"cannot export {what!r}; choose one of: {', '.join(WHATS)}")
    if fmt not in FORMATS:
        raise DetenteError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    flags = {"include_negated": include_negated, "include_one_sided": include_one_sided}
    given = [name for name, value in {**filters, **flags}.items() if value is not None]
    if given and what != "events":
        raise DetenteError(
            f"{', '.join(given)} filter events: use --what events (what='events'), or leave"
            " them out to export every record"
        )
    layout = fmt in EVENT_FORMATS  # another system's layout: only two-sided events that happened
    chosen = {name: not layout if value is None else value for name, value in flags.items()}
    rows, columns = (
        records(store, what, **filters, **chosen) if what == "events" else records(store, what)
    )
    if fmt in EVENT_FORMATS:
        from detente.query import formats as export_events

        writer = {
            "gdelt": export_events.write_gdelt,
            "gdelt-mentions": export_events.write_gdelt_mentions,
            "plover": export_events.write_plover,
        }[fmt]
        if out is not None:
            with open(out, "w", encoding="utf-8", newline="") as handle:
                return writer(store, rows, handle)
        return writer(store, rows, stream or io.StringIO())
    if fmt in ("csv", "parquet"):
        rows, columns = map(flatten, rows), flat_columns(columns)
    if fmt == "parquet":
        if out is None:
            raise DetenteError("Parquet is a binary format: give a file with --out FILE.parquet")
        return write_parquet(rows, Path(out), columns)
    if out is not None:
        with open(out, "w", encoding="utf-8", newline="") as handle:
            return _write_text(rows, handle, fmt, columns)
    return _write_text(rows, stream or io.StringIO(), fmt, columns)


def _write_text(
    rows: Iterable[dict[str, Any]], stream: TextIO, fmt: str, columns: Sequence[str]
) -> int:
    if fmt == "csv":
        return write_csv(rows, stream, columns)
    return write_jsonl(rows, stream)
