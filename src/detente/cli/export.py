"""``detente export``: stored records as JSONL, CSV, Parquet, GDELT or PLOVER files."""

from __future__ import annotations

import sys

import click

from detente.cli._util import (
    _err,
    _existing_db,
    db_option,
    fail_cleanly,
)


@click.command(name="export")
@db_option
@click.option("--what", type=click.Choice(["articles", "quotes", "actors", "amounts", "events"]),
              default="articles", show_default=True, help="Which records to export.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "gdelt", "plover"]),
              default="jsonl", show_default=True,
              help="File format; gdelt (GDELT 2.0 event TSV) and plover (POLECAT-style JSON) "
                   "are for events.")  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False), help="Output file (default: stdout).")
@fail_cleanly
def export_cmd(db_path: str, what: str, fmt: str, out: str | None) -> None:
    """Export stored records as JSONL, CSV or Parquet."""
    from detente.query.export import export
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        count = export(store, what=what, fmt=fmt, out=out, stream=sys.stdout)
    if out:
        _err.print(f"{count} {what} → {out}")
