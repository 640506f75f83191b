"""``detente export``: stored records as JSONL, CSV, Parquet, GDELT, PLOVER or POLECAT files;
``detente schema``: the JSON Schema of each kind of record."""

from __future__ import annotations

import sys
from typing import Any

import click

from detente.cli._util import (
    _err,
    _existing_db,
    db_option,
    event_filter_options,
    fail_cleanly,
)
from detente.query.schema import SCHEMAS


@click.command(name="export")
@db_option
@click.option("--what", type=click.Choice(["articles", "quotes", "actors", "amounts", "events"]),
              default="articles", show_default=True, help="Which records to export.")  # fmt: skip
@click.option("--format", "fmt",
              type=click.Choice(["jsonl", "csv", "parquet", "gdelt", "gdelt-mentions", "plover",
                                 "polecat"]),
              default="jsonl", show_default=True,
              help="File format; gdelt (GDELT 2.0 event TSV), gdelt-mentions (its mentions "
                   "table), plover (PLOVER JSON) and polecat (POLECAT's TSV) are for "
                   "events.")  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False), help="Output file (default: stdout).")
@event_filter_options
@click.option("--include-one-sided", is_flag=True, help="Also events without a source or a target.")
@fail_cleanly
def export_cmd(
    db_path: str,
    what: str,
    fmt: str,
    out: str | None,
    include_negated: bool,
    include_one_sided: bool,
    **filters: Any,
) -> None:
    """Export stored records as JSONL, CSV, Parquet, GDELT, PLOVER or POLECAT files.

    The GDELT, PLOVER and POLECAT layouts leave out negated, hypothetical and one-sided events
    unless --include-negated or --include-one-sided says otherwise, events below the likely
    confidence unless --min-confidence is given (0 keeps all), and undated events (PLOVER
    and POLECAT also events without a PLOVER type); JSONL, CSV and Parquet keep every event,
    with its flags as columns. The event filters are those of `detente events`. Each record's
    fields are in `detente schema KIND`.
    """
    from detente.query.export import export
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        count = export(
            store, what=what, fmt=fmt, out=out, stream=sys.stdout,
            include_negated=include_negated or None, include_one_sided=include_one_sided or None,
            **filters,
        )  # fmt: skip
    if out:
        _err.print(f"{count} {what} → {out}")


@click.command(name="schema")
@click.argument("kind", type=click.Choice(list(SCHEMAS)), metavar="KIND")
@fail_cleanly
def schema_cmd(kind: str) -> None:
    """Print the JSON Schema of one kind of record: the JSONL export's and JSON listings'
    (articles … events), the PLOVER export's (plover), and the data model's (document: what
    `detente show ID --format json` prints; mention)."""
    import json

    from detente.query.schema import json_schema

    click.echo(json.dumps(json_schema(kind), ensure_ascii=False, indent=2))
