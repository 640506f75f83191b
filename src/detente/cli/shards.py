"""Sharded ingest (``detente ingest --out DIR``, ``--engine ray``) and ``detente load``.

Registered in :mod:`detente.cli.app`; this module imports nothing from ``detente.cli.app``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

import click
from rich.console import Console

from detente.cli._util import db_option, fail_cleanly, progress_bar
from detente.errors import DetenteError

_err = Console(stderr=True, highlight=False, soft_wrap=True)


def run_sharded(
    inputs: Sequence[str],
    *,
    out: str,
    engine: str,
    address: str | None,
    workers: int | None,
    shard_size: int,
    options: Any,
    fmt: str,
) -> None:
    """Write the inputs as Parquet shards under ``out`` (``ingest --out``); exit 1 on failures."""
    from detente.scale.shards import Shard, ShardResult, run_local

    def shown(result: ShardResult, done: int, total: int) -> None:
        if fmt == "json":
            return
        state = "done before" if result.skipped else (
            f"{result.articles} articles, {result.events} events, {result.failures} failed, "
            f"{result.seconds:.1f} s"
        )  # fmt: skip
        where = Shard(result.key, result.sources, result.start, result.stop).describe()
        _err.print(f"[{done}/{total}] shard {result.key[:12]} {where}: {state}")

    if engine == "ray":
        from detente.scale.ray_engine import run_ray

        report = run_ray(inputs, out, options, address=address, workers=workers,
                         shard_size=shard_size, on_shard=shown)  # fmt: skip
    else:
        if address is not None:
            raise DetenteError("--address names a Ray cluster; use it with --engine ray")
        report = run_local(inputs, out, options, shard_size=shard_size, on_shard=shown)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for failure in report.failures:
            _err.print(f"[red]failed[/red] {failure}", markup=True, highlight=False)
        _err.print(
            f"{report.shards} shards ({report.done_before} done before): {report.documents} "
            f"documents, {report.articles} articles, {report.events} events, {report.failed} "
            f"failed in {report.seconds:.1f} s → {out}\n"
            f"Merge them into a database with: detente load {out} --db PATH"
        )
    if report.failed:
        sys.exit(1)


@click.command(name="load")
@click.argument("folder", type=click.Path(file_okay=False))
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")  # fmt: skip
@fail_cleanly
def load(folder: str, db_path: str, fmt: str) -> None:
    """Merge the Parquet shards of `detente ingest --out FOLDER` into the database.

    Only finished shards (with a completion marker) are read, in input order; articles
    already stored are skipped, so loading again, or after more shards finished, is safe.
    Near-duplicates and repeated events are linked as in a local ingest.
    """
    from detente.scale.shards import load as load_shards
    from detente.store.database import Store

    with Store(db_path) as store, progress_bar("loading shards") as progress:
        report = load_shards(folder, store, on_progress=progress)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    unfinished = (
        f"; {report.incomplete} shards unfinished (re-run the ingest to complete them)"
        if report.incomplete
        else ""
    )
    _err.print(
        f"{report.shards} shards, {report.documents} articles: {report.added} added, "
        f"{report.existing} already stored, {report.near_duplicates} near-duplicates linked, "
        f"{report.failures} failures recorded → {db_path}{unfinished}"
    )
