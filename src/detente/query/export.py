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
from detente.query import schema
from detente.store.database import Store
from detente.store.events import EventFilters

FORMATS = ("jsonl", "csv", "parquet", "gdelt", "gdelt-mentions", "plover", "polecat")
WHATS = ("articles", "quotes", "actors", "amounts", "events")
#: Formats that only exist for events: other systems' layouts, which leave negated,
#: hypothetical and one-sided events out unless asked for (the flat formats keep them all).
EVENT_FORMATS = ("gdelt", "gdelt-mentions", "plover", "polecat")


class Columns(tuple[str, ...]):
    """The export columns of one kind of record, in order; ``kind`` names its schema."""

    kind: str

    def __new__(cls, kind: str) -> Columns:
        made = super().__new__(cls, schema.columns(kind))
        made.kind = kind
        return made


#: Columns of each export, from :mod:`detente.query.schema`; ``removed`` is a JSON list in CSV.
ARTICLE_COLUMNS = Columns("articles")
QUOTE_COLUMNS = Columns("quotes")
ACTOR_COLUMNS = Columns("actors")
EVENT_COLUMNS = Columns("events")
AMOUNT_COLUMNS = Columns("amounts")


def article_rows(articles: Iterable[Article]) -> Iterable[dict[str, Any]]:
    """Articles as flat dicts with the export columns."""
    for article in articles:
        data = article.to_dict()
        yield {name: data.get(name) for name in ARTICLE_COLUMNS}


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


#: Fields of the nested objects of every kind, flattened as ``speaker_name`` etc. in CSV and
#: Parquet (an article's ``source`` is a string and stays one column).
NESTED = {name: subs for kind in WHATS for name, subs in schema.nested(kind).items()}


def flat_columns(columns: Sequence[str]) -> list[str]:
    """Column names with nested objects spread into ``parent_child`` columns.

    Columns of one kind (:class:`Columns`) spread that kind's objects only; a bare list spreads
    any column named like a nested object.
    """
    kind = getattr(columns, "kind", None)
    if kind is not None:
        return [name for name, _ in schema.flat_fields(kind)]
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


def write_parquet(rows: Iterable[dict[str, Any]], path: Path, kind: str) -> int:
    """A Parquet file of one kind of record, typed by its schema (needs pyarrow:
    ``pip install 'detente[parquet]'``)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:
        raise DetenteError("Parquet export needs pyarrow: pip install 'detente[parquet]'") from err
    materialized = list(rows)
    arrow = pa.schema([(c, _parquet_type(pa, f)) for c, f in schema.flat_fields(kind)])
    pq.write_table(pa.Table.from_pylist(materialized, schema=arrow), path)
    return len(materialized)


def _parquet_type(pa: Any, field: schema.Field) -> Any:
    """The Arrow type of an export column (typed even when the table is empty)."""
    return {
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "array": pa.list_(pa.string()),
    }.get(field.json_type, pa.string())


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
    Parquet keep negated, hypothetical and one-sided events (their flags are columns); the
    GDELT, PLOVER and POLECAT layouts leave them out unless ``include_negated`` /
    ``include_one_sided``, and events below the likely confidence
    (:func:`detente.coding.confidence.likely_level`) unless ``min_confidence`` is given, and
    leave out what they cannot hold (undated events; for PLOVER and
    POLECAT also events without a PLOVER type). Every record follows its schema
    (:mod:`detente.query.schema`).
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
    if layout and filters.get("min_confidence") is None:  # … and likely ones
        from detente.coding.confidence import likely_level

        filters["min_confidence"] = likely_level()
    rows, columns = (
        records(store, what, **filters, **chosen) if what == "events" else records(store, what)
    )
    if fmt in EVENT_FORMATS:
        from detente.query import formats as export_events
        from detente.query import plover as export_plover

        writer = {
            "gdelt": export_events.write_gdelt,
            "gdelt-mentions": export_events.write_gdelt_mentions,
            "plover": export_plover.write_plover,
            "polecat": export_plover.write_polecat,
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
        return write_parquet(rows, Path(out), what)
    if fmt == "jsonl":  # exactly the schema's fields, in its order
        rows = ({name: row.get(name) for name in columns} for row in rows)
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
