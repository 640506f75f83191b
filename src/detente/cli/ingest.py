"""``detente ingest``, ``extract`` and ``annotate``: documents in, articles stored."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from detente import settings
from detente.cli._util import (
    _err,
    _existing_db,
    _format_option,
    date_option,
    db_option,
    dictionary_option,
    fail_cleanly,
    progress_bar,
)
from detente.model import Article

#: Up to this many single files are ingested in-process (workers would cost more to start).
SMALL_BATCH = 2


@click.command()
@click.argument("inputs", nargs=-1)
@db_option
@date_option
@click.option(
    "--date-from-filename",
    "filename_pattern",
    metavar="PATTERN",
    help="Read each file's date from its name: 'auto' finds the first YYYY-MM-DD, YYYY_MM_DD "
    "or YYYYMMDD; or give a pattern such as %Y-%m-%d, %Y/%m/%d/ (folders) or a regex with "
    "(?P<year>..)(?P<month>..)(?P<day>..). A record's own date wins.",
)
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False),
    help="A CSV (header: path,date,outlet,url) or JSONL table of files to ingest with their "
    "date, outlet and URL; paths relative to the manifest's folder.",
)
@click.option("--outlet", help="Outlet name for these documents (a record's own field wins).")
@click.option(
    "--allow-private",
    is_flag=True,
    help="Allow fetching from private, loopback and link-local addresses (local testing).",
)
@click.option(
    "--annotate/--no-annotate",
    default=True,
    show_default=True,
    help="Find actors, quotes and amounts (spaCy); --no-annotate only cleans and stores.",
)
@dictionary_option
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for extraction and annotation [default: one per core].",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0),
    default=None,
    help="Seconds of annotation allowed per document; past it the document is recorded as "
    f"failed and the batch goes on [default: {settings.ANNOTATE_TIME_LIMIT:g}; 0: no limit].",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    help="Write Parquet shards to this folder instead of the database (merge them later with "
    "`detente load`); a re-run skips finished shards.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Where shards are processed: this process, or a Ray cluster (needs --out and "
    "`pip install 'detente[ray]'`).",
)
@click.option(
    "--address",
    help="Ray cluster to use (e.g. 10.0.0.5:6379 or auto) [default: start a local one].",
)
@click.option(
    "--shard-size",
    type=click.IntRange(min=1),
    default=32,
    show_default=True,
    help="Documents a shard holds: small files grouped, or a JSONL or Parquet file's records "
    "cut into ranges (a WARC file is one shard).",
)
@_format_option(["text", "json"], "text")
@fail_cleanly
def ingest(
    inputs: tuple[str, ...],
    db_path: str,
    default_date: str | None,
    filename_pattern: str | None,
    manifest: str | None,
    outlet: str | None,
    allow_private: bool,
    annotate: bool,
    dictionaries: tuple[str, ...],
    workers: int | None,
    time_limit: float | None,
    out: str | None,
    engine: str,
    address: str | None,
    shard_size: int,
    fmt: str,
) -> None:
    """Read, clean and store articles from files, folders, globs, URLs or - (stdin).

    Files: .html/.htm, .txt, .md, .json, .jsonl, .parquet, .warc/.warc.gz. Ingesting the same
    documents again adds nothing. Exit status 1 when any document failed (they are listed in
    `detente failures`). With --manifest, INPUTS may be left out.

    With --out, articles are written as Parquet shards (one per few dozen files or per
    container file) for `detente load` or for DuckDB and Spark; --engine ray runs them on a
    Ray cluster.
    """
    if filename_pattern is not None:  # first: `--date-from-filename docs/` swallows the input
        from detente.acquire.hints import FilenameDate

        FilenameDate.compile(filename_pattern)
    if not inputs and manifest is None:
        raise click.UsageError("give files, folders, globs, URLs or -, or --manifest FILE")
    if engine == "ray" and out is None:
        raise click.UsageError("--engine ray writes Parquet shards: give --out FOLDER")
    if out is not None and (filename_pattern or manifest):
        raise click.UsageError(
            "--date-from-filename and --manifest work with the database, not yet with --out"
        )
    if out is not None:
        from detente.cli.shards import run_sharded
        from detente.scale.shards import Options

        options = Options(default_date, outlet, annotate, tuple(dictionaries), time_limit)
        run_sharded(list(inputs), out=out, engine=engine, address=address, workers=workers,
                    shard_size=shard_size, options=options, fmt=fmt)  # fmt: skip
        return
    if address is not None:
        raise click.UsageError("--address names a Ray cluster; use it with --engine ray --out")
    from detente.acquire.hints import input_hints
    from detente.ingest import default_workers
    from detente.ingest import ingest as run_ingest
    from detente.store.database import Store

    sources, hints, listed = input_hints(
        list(inputs), date_from_filename=filename_pattern, manifest=manifest
    )
    with Store(db_path) as store, progress_bar("ingesting") as progress:
        for failure in listed:
            store.record_failure(failure.source, failure.reason, line=failure.line, stage="ingest")
        report = run_ingest(
            sources,
            store=store,
            default_date=default_date,
            outlet=outlet,
            allow_private=allow_private,
            annotate=annotate,
            dictionaries=dictionaries,
            workers=workers or _auto_workers(tuple(sources), default_workers()),
            stdin=sys.stdin.buffer,
            on_progress=progress,
            time_limit=time_limit,
            hints=hints,
        )
        report.failures[:0] = listed
        stories = store.group_stories() if report.added else None  # regrouped with the new ones
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for failure in report.failures:
            _err.print(f"[red]failed[/red] {failure}", markup=True, highlight=False)
        summary = (
            f"{report.documents} documents: {report.added} added, {report.existing} already "
            f"stored, {report.near_duplicates} near-duplicates linked, {report.failed} failed"
            f" → {db_path}" + (f" ({stories} stories: detente stories)" if stories else "")
        )
        if report.not_annotated:
            summary += (
                f"\n{report.not_annotated} stored but not annotated: not in a language the "
                "annotator reads (see the annotation column of: detente articles)"
            )
        _err.print(summary)
    if report.failed:
        sys.exit(1)


def _auto_workers(inputs: tuple[str, ...], cores: int) -> int:
    """One worker per core, but none for a handful of files (starting workers costs ~1 s)."""
    from pathlib import Path

    small = len(inputs) <= SMALL_BATCH and all(
        Path(i).is_file() and Path(i).stat().st_size < 1_000_000 for i in inputs
    )
    return 1 if small else cores


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--url", help="The URL the document came from (helps dates and outlet).")
@date_option
@click.option("--outlet", help="Outlet name for these documents.")
@click.option("--allow-private", is_flag=True, help="Allow fetching from private addresses.")
@_format_option(["json", "jsonl", "text"], "jsonl")
@fail_cleanly
def extract(
    inputs: tuple[str, ...],
    url: str | None,
    default_date: str | None,
    outlet: str | None,
    allow_private: bool,
    fmt: str,
) -> None:
    """Extract clean text and metadata without storing anything (no NLP: the fast path)."""
    from detente.acquire.files import AcquireFailure
    from detente.ingest import iter_articles
    from detente.model import RawDocument

    records: list[dict[str, Any]] = []
    failed = 0

    def with_url(doc: RawDocument) -> bool:
        if url and doc.url is None:
            doc.url = url
        return False

    for item in iter_articles(
        list(inputs),
        default_date=default_date,
        outlet=outlet,
        allow_private=allow_private,
        stdin=sys.stdin.buffer,
        skip=with_url,
    ):
        if isinstance(item, AcquireFailure):
            failed += 1
            _err.print(f"failed {item}", markup=False)
            continue
        assert isinstance(item, Article)
        record = _extract_record(item)
        if fmt == "jsonl":
            click.echo(json.dumps(record, ensure_ascii=False))
        elif fmt == "text":
            click.echo(f"# {item.title or '(no title)'}\n# {item.source}\n\n{item.text}\n")
        else:
            records.append(record)
    if fmt == "json":
        payload: Any = records[0] if len(records) == 1 and len(inputs) == 1 else records
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    if failed:
        sys.exit(1)


def _extract_record(article: Article) -> dict[str, Any]:
    return {
        "source": article.source,
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "author": article.author,
        "published": article.published,
        "published_source": article.published_source,
        "language": article.language,
        "word_count": article.word_count,
        "text": article.text,
        "removed": article.removed,
    }


@click.command(name="annotate")
@db_option
@dictionary_option
@click.option(
    "--all", "redo", is_flag=True, help="Annotate every article again, not just new ones."
)
@fail_cleanly
def annotate_cmd(db_path: str, dictionaries: tuple[str, ...], redo: bool) -> None:
    """Find actors, quotes and amounts in stored articles that lack them (or --all)."""
    from collections import Counter

    from detente.annotate.pipeline import annotate_stored
    from detente.store.database import Store

    with Store(_existing_db(db_path)) as store, progress_bar("annotating") as progress:
        skipped: list[str] = []
        done = annotate_stored(
            store, dictionaries=dictionaries, redo=redo, on_progress=progress,
            on_skip=lambda ident, reason: skipped.append(reason),
        )  # fmt: skip
    _err.print(f"{done} articles annotated → {db_path}")
    for reason, count in Counter(skipped).most_common():
        _err.print(f"{count} not annotated: {reason}")
