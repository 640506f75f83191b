"""``detente bench NAME``: speed and memory next to their baselines, in the same run."""

from __future__ import annotations

import click

from detente.cli._util import (
    _report,
    fail_cleanly,
)


@click.group(name="bench")
def bench_group() -> None:
    """Benchmarks: speed and memory next to a baseline, in the same run."""


@bench_group.command(name="pipeline")
@click.option("--pages", type=int, default=None, help="How many pages (default: all).")
@click.option("--out", type=click.Path(dir_okay=False), help="Also write the figures as JSON.")
@click.option(
    "--corpus",
    type=click.Choice(["zyte", "polnear"]),
    default="zyte",
    show_default=True,
    help="The zyte HTML pages, or PolNeAR's plain news texts (e.g. --pages 1000).",
)
@click.option(
    "--ingest-only",
    is_flag=True,
    help="Only `detente ingest --workers 1|2` and spaCy's nlp.pipe(n_process=1|2) beside them.",
)
@fail_cleanly
def bench_pipeline(pages: int | None, out: str | None, corpus: str, ingest_only: bool) -> None:
    """Articles per second end to end (ingest to events) next to trafilatura and spaCy alone."""
    from detente.bench.pipeline import run_pipeline_bench

    _report(run_pipeline_bench(limit=pages, corpus=corpus, ingest_only=ingest_only), out)


@bench_group.command(name="engines")
@click.option("--pages", type=int, default=None, help="How many pages (default: all).")
@click.option("--out", type=click.Path(dir_okay=False), help="Also write the figures as JSON.")
@fail_cleanly
def bench_engines(pages: int | None, out: str | None) -> None:
    """Local worker processes against Ray actors (1 and 2 of each) on the same pages."""
    from detente.bench.engines import run_engine_bench

    _report(run_engine_bench(limit=pages), out)


@bench_group.command(name="memory")
@click.option("--documents", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Synthetic documents to ingest.")  # fmt: skip
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes.")  # fmt: skip
@click.option("--annotate/--no-annotate", default=False, show_default=True,
              help="Run the NLP stages too (slower: 300 documents make a run).")  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False), help="Also write the figures as JSON.")
@fail_cleanly
def bench_memory(documents: int, workers: int, annotate: bool, out: str | None) -> None:
    """Resident memory over a long batch: at 10%, 50% and the end, and its growth per 1,000."""
    from detente.bench.memory import run_memory_bench

    _report(run_memory_bench(documents, workers, annotate), out)


@bench_group.command(name="extract")
@click.option("--pages", type=int, default=None, help="How many pages (default: all).")
@fail_cleanly
def bench_extract(pages: int | None) -> None:
    """Pages per second and peak memory of extraction, next to trafilatura alone."""
    from detente.bench import extract as bench

    report = bench.run_extract_bench(limit=pages)
    click.echo(report.format())
