"""Exports: stored records to JSONL, CSV or Parquet files (or a stream)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from detente.errors import DetenteError
from detente.model import Article
from detente.store import Store

FORMATS = ("jsonl", "csv", "parquet")
WHATS = ("articles",)

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
        raise DetenteError(
            "Parquet export needs pyarrow: pip install 'detente[parquet]'"
        ) from err
    materialized = list(rows)
    table = pa.Table.from_pylist(
        materialized, schema=None if materialized else pa.schema([(c, pa.string()) for c in columns])
    )
    pq.write_table(table, path)
    return len(materialized)


def export(
    store: Store, *, what: str = "articles", fmt: str = "jsonl", out: str | Path | None = None,
    stream: TextIO | None = None,
) -> int:
    """Write every stored record of one kind to ``out`` (or ``stream``); returns the count."""
    if what not in WHATS:
        raise DetenteError(f"cannot export {what!r}; choose one of: {', '.join(WHATS)}")
    if fmt not in FORMATS:
        raise DetenteError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    rows = article_rows(store.articles())
    columns = ARTICLE_COLUMNS
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
