"""The ``detente`` command line: each command is a thin wrapper over one library function."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from detente import settings
from detente.cli import shards as shards_cli
from detente.cli import watch as watch_cli
from detente.cli._util import db_option, fail_cleanly, progress_bar
from detente.errors import DetenteError
from detente.extract import dates
from detente.model import Article

F = TypeVar("F", bound=Callable[..., Any])

#: Up to this many single files are ingested in-process (workers would cost more to start).
SMALL_BATCH = 2

#: Width of tables when stdout is not a terminal (a pipe, a file, CI logs).
PIPE_WIDTH = 160

_out = Console(highlight=False, soft_wrap=False)
if not _out.is_terminal:
    _out = Console(highlight=False, soft_wrap=False, width=PIPE_WIDTH)
_err = Console(stderr=True, highlight=False, soft_wrap=True)


def _check_date(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    day = dates.parse_iso_date(value)
    if day is None or len(value.strip()) != 10:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD", param=param)
    return day.isoformat()


dictionary_option = click.option(
    "--dictionary",
    "dictionaries",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="An actor dictionary of your own (see docs/actor-dictionaries.md); repeatable.",
)
date_option = click.option(
    "--date",
    "default_date",
    callback=_check_date,
    metavar="YYYY-MM-DD",
    help="Publication date for documents that carry none.",
)


def _format_option(choices: Sequence[str], default: str) -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help="Output format: a table for people, JSON/JSONL/CSV for programs.",
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(settings.__version__, prog_name="detente")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """Detente: auditable political event data from your own news articles."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("trafilatura").setLevel(max(level, logging.ERROR))
    logging.getLogger("htmldate").setLevel(max(level, logging.ERROR))


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@date_option
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
    `detente failures`).

    With --out, articles are written as Parquet shards (one per few dozen files or per
    container file) for `detente load` or for DuckDB and Spark; --engine ray runs them on a
    Ray cluster.
    """
    if engine == "ray" and out is None:
        raise click.UsageError("--engine ray writes Parquet shards: give --out FOLDER")
    if out is not None:
        from detente.cli.shards import run_sharded
        from detente.scale.shards import Options

        options = Options(default_date, outlet, annotate, tuple(dictionaries), time_limit)
        run_sharded(list(inputs), out=out, engine=engine, address=address, workers=workers,
                    shard_size=shard_size, options=options, fmt=fmt)  # fmt: skip
        return
    if address is not None:
        raise click.UsageError("--address names a Ray cluster; use it with --engine ray --out")
    from detente.ingest import default_workers
    from detente.ingest import ingest as run_ingest
    from detente.store.database import Store

    with Store(db_path) as store, progress_bar("ingesting") as progress:
        report = run_ingest(
            list(inputs),
            store=store,
            default_date=default_date,
            outlet=outlet,
            allow_private=allow_private,
            annotate=annotate,
            dictionaries=dictionaries,
            workers=workers or _auto_workers(inputs, default_workers()),
            stdin=sys.stdin.buffer,
            on_progress=progress,
            time_limit=time_limit,
        )
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for failure in report.failures:
            _err.print(f"[red]failed[/red] {failure}", markup=True, highlight=False)
        summary = (
            f"{report.documents} documents: {report.added} added, {report.existing} already "
            f"stored, {report.near_duplicates} near-duplicates linked, {report.failed} failed"
            f" → {db_path}"
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


@main.command()
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


_ARTICLE_COLUMNS = ("id", "published", "outlet", "title", "words", "lang")


def _article_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "published": article.published,
        "outlet": article.outlet,
        "title": article.title,
        "words": article.word_count,
        "lang": article.language,
        "duplicate_of": article.duplicate_of,
        "url": article.url,
        "source": article.source,
    }


def _emit(rows: Iterable[dict[str, Any]], fmt: str, *, columns: Sequence[str], title: str) -> None:
    """Rows as a table for people or JSON/JSONL/CSV for programs, on stdout."""
    rows = list(rows)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif fmt == "csv":
        from detente.query.export import write_csv

        write_csv(rows, sys.stdout, list(rows[0]) if rows else list(columns))
    else:
        table = Table(title=title, title_justify="left", show_lines=False)
        for column in columns:
            wide = column in ("title", "reason", "source", "evidence", "main_events", "quote")
            table.add_column(
                column, overflow="ellipsis" if wide else "fold", no_wrap=wide,
                max_width=70 if wide else None,
            )  # fmt: skip
        for row in rows:
            table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
        _out.print(table)


@main.command()
@db_option
@click.option("--outlet", help="Only this outlet.")
@click.option("--language", help="Only this language (ISO 639-1, e.g. en).")
@click.option(
    "--from", "since", callback=_check_date, metavar="YYYY-MM-DD", help="Published on or after."
)
@click.option(
    "--to", "until", callback=_check_date, metavar="YYYY-MM-DD", help="Published on or before."
)
@click.option("--search", "-s", help="Full-text search (SQLite FTS5 syntax) over title and text.")
@click.option("--limit", type=int, default=None, help="At most this many articles.")
@_format_option(["table", "json", "jsonl", "csv"], "table")
@fail_cleanly
def articles(
    db_path: str,
    outlet: str | None,
    language: str | None,
    since: str | None,
    until: str | None,
    search: str | None,
    limit: int | None,
    fmt: str,
) -> None:
    """List stored articles, newest first, with filters and full-text search."""
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        found = store.articles(
            outlet=outlet, language=language, since=since, until=until, search=search, limit=limit
        )
    _emit(map(_article_row, found), fmt, columns=_ARTICLE_COLUMNS, title=f"{len(found)} articles")


def _existing_db(path: str) -> str:
    from pathlib import Path

    if not Path(path).exists():
        raise DetenteError(
            f"{path}: no such database; create it with: detente ingest FILES... --db {path}"
        )
    return path


@main.command()
@click.argument("article_id")
@db_option
@_format_option(["text", "json"], "text")
@fail_cleanly
def show(article_id: str, db_path: str, fmt: str) -> None:
    """Show one article (by id or unique id prefix) with its metadata and what was removed."""
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        article = store.get_article(article_id)
    if article is None:
        raise DetenteError(f"no article with id {article_id!r}; list them with: detente articles")
    if fmt == "json":
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
        return
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="bold")
    meta.add_column()
    for name in ("id", "title", "outlet", "published", "published_source", "url", "author",
                 "language", "source", "fetched_at", "content_hash", "duplicate_of"):  # fmt: skip
        value = getattr(article, name)
        if value is not None:
            meta.add_row(name, str(value))
    meta.add_row("words", str(article.word_count))
    if article.nlp:
        meta.add_row("annotated by", article.nlp)
    _out.print(meta)
    _out.print()
    _out.print(article.text, markup=False)
    _show_annotations(article)
    if article.removed:
        _out.print(f"\n[bold]removed[/bold] ({len(article.removed)} lines of boilerplate)")
        for line in article.removed:
            _out.print(f"  - {line}", markup=False)


def _show_annotations(article: Article) -> None:
    """The actors, quotes and amounts of an article, for people."""
    from collections import Counter

    if article.mentions:
        counts = Counter((m.actor.name, m.actor.code or "?") for m in article.mentions)
        shown = ", ".join(f"{name} [{code}]×{n}" for (name, code), n in counts.most_common(15))
        _out.print(f"\n[bold]actors[/bold] ({len(counts)}): ", end="")
        _out.print(shown, markup=False)
    statements = [q for q in article.quotes if q.kind != "scare"]
    if statements:
        _out.print(f"\n[bold]quotes[/bold] ({len(statements)})")
        for quote in statements:
            who = quote.speaker.actor.name if quote.speaker else "?"
            mark = "“{}”" if quote.direct else "{} (reported)"
            _out.print(f"  - {who}: " + mark.format(quote.text), markup=False)
    if article.amounts:
        _out.print(f"\n[bold]amounts[/bold] ({len(article.amounts)})")
        for amount in article.amounts:
            unit = f" {amount.unit}" if amount.unit else ""
            what = f" — {amount.object}" if amount.object else ""
            _out.print(f"  - {amount.text}: {amount.value:,.0f}{unit}{what}", markup=False)


@main.command(name="annotate")
@db_option
@dictionary_option
@click.option(
    "--all", "redo", is_flag=True, help="Annotate every article again, not just new ones."
)
@fail_cleanly
def annotate_cmd(db_path: str, dictionaries: tuple[str, ...], redo: bool) -> None:
    """Find actors, quotes and amounts in stored articles that lack them (or --all)."""
    from detente.annotate.pipeline import annotate_stored
    from detente.store.database import Store

    with Store(_existing_db(db_path)) as store, progress_bar("annotating") as progress:
        done = annotate_stored(store, dictionaries=dictionaries, redo=redo, on_progress=progress)
    _err.print(f"{done} articles annotated → {db_path}")


@main.command()
@db_option
@click.option("--country", help="Only actors of this country (ISO3, e.g. TUR).")
@click.option("--role", help="Only this role (GOV, MIL, OPP, IGO, …).")
@click.option("--code", help="Only this actor code (e.g. RUSGOV).")
@click.option("--limit", type=int, default=None, help="At most this many.")
@_format_option(["table", "json", "jsonl", "csv"], "table")
@fail_cleanly
def actors(
    db_path: str,
    country: str | None,
    role: str | None,
    code: str | None,
    limit: int | None,
    fmt: str,
) -> None:
    """Actors found in the articles, with mention, article and quote counts."""
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        rows = store.actors(country=country, role=role, code=code, limit=limit)
    columns = ("name", "code", "country", "role", "title", "mentions", "articles", "quotes")
    _emit(rows, fmt, columns=columns, title=f"{len(rows)} actors")


@main.command()
@db_option
@click.option("--speaker", help="Only quotes whose speaker's name contains this.")
@click.option("--actor", help="Only quotes by this actor code or country (RUSGOV, TUR).")
@click.option("--article", "article_id", help="Only quotes of this article.")
@click.option("--search", "-s", help="Full-text search over the quoted words.")
@click.option("--scare", "include_scare", is_flag=True, help="Include scare quotes.")
@click.option("--limit", type=int, default=None, help="At most this many.")
@_format_option(["table", "json", "jsonl", "csv"], "table")
@fail_cleanly
def quotes(
    db_path: str,
    speaker: str | None,
    actor: str | None,
    article_id: str | None,
    search: str | None,
    include_scare: bool,
    limit: int | None,
    fmt: str,
) -> None:
    """Who said what: quotations with their speakers, newest first."""
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        rows = store.quotes(
            speaker=speaker, actor=actor, article_id=article_id, search=search,
            include_scare=include_scare, limit=limit,
        )  # fmt: skip
    if fmt == "table":
        rows = [_quote_row(r) for r in rows]
    elif fmt == "csv":
        from detente.query.export import flatten

        rows = [flatten(r) for r in rows]
    columns = ("published", "speaker", "code", "quote", "direct")
    _emit(rows, fmt, columns=columns, title=f"{len(rows)} quotes")


def _quote_row(record: dict[str, Any]) -> dict[str, Any]:
    speaker = record["speaker"] or {}
    return {
        "published": record["published"],
        "speaker": speaker.get("name") or speaker.get("text") or "?",
        "code": speaker.get("code"),
        "quote": record["text"],
        "direct": "direct" if record["direct"] else "reported",
    }


@main.command()
@db_option
@click.option("--article", "article_id", help="Only amounts of this article.")
@click.option("--unit", help="Only this unit or currency (USD, tonnes, percent).")
@click.option("--limit", type=int, default=None, help="At most this many.")
@_format_option(["table", "json", "jsonl", "csv"], "table")
@fail_cleanly
def amounts(
    db_path: str, article_id: str | None, unit: str | None, limit: int | None, fmt: str
) -> None:
    """Claimed numbers with their units and what they count."""
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        rows = store.amounts(article_id=article_id, unit=unit, limit=limit)
    columns = ("published", "text", "value", "unit", "object", "approximate")
    _emit(rows, fmt, columns=columns, title=f"{len(rows)} amounts")


def _dyad(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if len(parts) != 2:
        raise DetenteError(f"--dyad {value!r}: give two actors separated by a comma, e.g. RUS,TUR")
    return (parts[0], parts[1])


@main.command()
@db_option
@click.option("--actor", help="Events where this actor (RUSGOV) or country (RUS) takes part.")
@click.option("--dyad", help="Events between two actors or countries, e.g. RUS,TUR.")
@click.option("--code", "cameo", help="CAMEO code or prefix (e.g. 04, 042).")
@click.option("--plover", help="PLOVER event type (e.g. CONSULT).")
@click.option("--from", "start", callback=_check_date, metavar="YYYY-MM-DD", help="On or after.")
@click.option("--to", "end", callback=_check_date, metavar="YYYY-MM-DD", help="On or before.")
@click.option("--include-negated", is_flag=True, help="Also negated and hypothetical events.")
@click.option("--limit", type=int, default=None, help="At most this many.")
@_format_option(["table", "json", "jsonl", "csv"], "table")
@fail_cleanly
def events(
    db_path: str,
    actor: str | None,
    dyad: str | None,
    cameo: str | None,
    plover: str | None,
    start: str | None,
    end: str | None,
    include_negated: bool,
    limit: int | None,
    fmt: str,
) -> None:
    """Who did what to whom, when: deduplicated events, oldest first."""
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        rows = store.events(
            actor=actor, dyad=_dyad(dyad), cameo=cameo, plover=plover, start=start, end=end,
            include_negated=include_negated, limit=limit,
        )  # fmt: skip
    if fmt == "table":
        rows = [_event_row(r) for r in rows]
    elif fmt == "csv":
        from detente.query.export import flatten

        rows = [flatten(r) for r in rows]
    columns = ("date", "source", "event", "target", "where", "flags", "n", "evidence")
    _emit(rows, fmt, columns=columns, title=f"{len(rows)} events")


def _event_row(record: dict[str, Any]) -> dict[str, Any]:
    flags = [name for name in ("negated", "hypothetical", "symmetric") if record[name]]
    if record["modality"]:
        flags.append(record["modality"])
    return {
        "date": record["date"] or "?",
        "source": (record["source"] or {}).get("code") or "?",
        "event": f"{record['cameo']} {record['plover'] or ''} {record['trigger'] or ''}".strip(),
        "target": (record["target"] or {}).get("code") or "?",
        "where": (record["location"] or {}).get("name"),
        "flags": ",".join(flags),
        "n": record["num_mentions"],
        "evidence": record["sentence"],
    }


@main.command(name="timeline")
@click.argument("a")
@click.argument("b")
@db_option
@click.option("--by", type=click.Choice(["month", "quarter", "year"]), default="month",
              show_default=True, help="Period size.")  # fmt: skip
@click.option("--from", "start", callback=_check_date, metavar="YYYY-MM-DD", help="On or after.")
@click.option("--to", "end", callback=_check_date, metavar="YYYY-MM-DD", help="On or before.")
@click.option("--include-negated", is_flag=True, help="Also negated and hypothetical events.")
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False),
              help="Also draw a chart into this .png or .svg file (needs matplotlib).")  # fmt: skip
@_format_option(["table", "json", "csv"], "table")
@fail_cleanly
def timeline_cmd(
    a: str,
    b: str,
    db_path: str,
    by: str,
    start: str | None,
    end: str | None,
    include_negated: bool,
    plot_file: str | None,
    fmt: str,
) -> None:
    """How two countries or actors get along, period by period.

    A and B are ISO3 country codes (RUS TUR) or actor codes (RUSGOV TURGOV).
    """
    from detente.query import timeline as tl
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        line = tl.timeline(store, a, b, by=by, start=start, end=end,
                           include_negated=include_negated)  # fmt: skip
    if plot_file:
        tl.plot(line, plot_file)
        _err.print(f"chart → {plot_file}")
    if fmt == "json":
        click.echo(json.dumps(line.to_dict(), ensure_ascii=False, indent=2))
        return
    title = f"{line.dyad[0]}–{line.dyad[1]} by {line.by}"
    if line.unplaced:
        title += f" ({line.unplaced} events left out: undated, or dated more coarsely than a {by})"
    if fmt == "csv":
        _emit(line.rows(), fmt, columns=(), title=title)
        return
    short = {"verbal_cooperation": "verbal coop", "material_cooperation": "material coop",
             "verbal_conflict": "verbal confl", "material_conflict": "material confl",
             "goldstein_mean": "goldstein"}  # fmt: skip
    rows = [{short.get(k, k): v for k, v in row.items()} for row in line.rows()]
    columns = ("period", *short.values(), "main_events")
    _emit(rows, fmt, columns=columns, title=title)


@main.command()
@db_option
@click.option("--limit", type=int, default=None, help="At most this many, newest first.")
@_format_option(["table", "json", "jsonl", "csv"], "table")
@fail_cleanly
def failures(db_path: str, limit: int | None, fmt: str) -> None:
    """List the documents that could not be ingested, and why."""
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        rows = [
            {"at": f.at, "source": f.source, "line": f.line, "stage": f.stage, "reason": f.reason}
            for f in store.failures(limit=limit)
        ]
    _emit(rows, fmt, columns=("at", "source", "line", "reason"), title=f"{len(rows)} failures")


@main.command(name="export")
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


@main.group(name="eval")
def eval_group() -> None:
    """Measure accuracy on the public gold standards in ../shared/eval."""


@eval_group.command(name="extraction")
@click.option("--eval-dir", type=click.Path(file_okay=False), help="Folder of the eval sets.")
@click.option("--out", type=click.Path(dir_okay=False), help="Also write the figures as JSON.")
@click.option("--limit", type=int, default=None, help="Only the first N pages of each set.")
@fail_cleanly
def eval_extraction(eval_dir: str | None, out: str | None, limit: int | None) -> None:
    """Body F1 (zyte), date accuracy (htmldate) and boilerplate snippets (trafilatura)."""
    from detente.evaluation import extraction as evaluation

    report = evaluation.run_extraction_eval(eval_dir, limit=limit)
    click.echo(report.format())
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(report.to_dict(), handle, indent=2)


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (a warning is logged beyond loopback).")  # fmt: skip
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--allow-sql", is_flag=True, help="Allow arbitrary read-only SQL queries.")
@click.option("--token", default=None,
              help="Require 'Authorization: Bearer TOKEN' on every request "
                   "(default: $DETENTE_TOKEN).")  # fmt: skip
@fail_cleanly
def serve(db_path: str, host: str, port: int, allow_sql: bool, token: str | None) -> None:
    """Explore the database in your browser (read-only; works while ingest writes)."""
    from detente.web import serve as run

    run(_existing_db(db_path), host=host, port=port, allow_sql=allow_sql, token=token)


def _eval_root(eval_dir: str | None) -> Any:
    from pathlib import Path

    from detente.evaluation.extraction import locate_eval_root

    root = Path(eval_dir) if eval_dir else locate_eval_root()
    if root is None or not root.is_dir():
        raise DetenteError(
            "no evaluation data: put the eval sets in ../shared/eval or pass --eval-dir"
        )
    return root


def _report(result: Any, out: str | None) -> None:
    click.echo(result.format())
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(result.to_dict(), handle, indent=2)


eval_dir_option = click.option(
    "--eval-dir", type=click.Path(file_okay=False), help="Folder of the eval sets."
)
eval_out_option = click.option(
    "--out", type=click.Path(dir_okay=False), help="Also write the figures as JSON."
)


@eval_group.command(name="actors")
@eval_dir_option
@eval_out_option
@fail_cleanly
def eval_actors(eval_dir: str | None, out: str | None) -> None:
    """Actor country and role accuracy on the NGEC actor-resolution cases."""
    from detente.evaluation.actors import eval_ngec_actors

    _report(eval_ngec_actors(_eval_root(eval_dir)), out)


@eval_group.command(name="quotes")
@eval_dir_option
@eval_out_option
@click.option(
    "--split",
    type=click.Choice(["train", "dev", "test"]),
    default="test",
    show_default=True,
    help="PolNeAR split (tune on train/dev, report test).",
)
@fail_cleanly
def eval_quotes(eval_dir: str | None, out: str | None, split: str) -> None:
    """Quote attribution (content and speaker) on PolNeAR."""
    from detente.evaluation.quotes import evaluate_polnear

    _report(evaluate_polnear(_eval_root(eval_dir), split=split), out)


@eval_group.command(name="dates")
@eval_dir_option
@eval_out_option
@fail_cleanly
def eval_dates(eval_dir: str | None, out: str | None) -> None:
    """Event date resolution on the date_resolution_cases."""
    from detente.evaluation.dates import evaluate_dates

    _report(evaluate_dates(_eval_root(eval_dir)), out)


@eval_group.command(name="geo")
@eval_dir_option
@eval_out_option
@click.option("--every", type=click.IntRange(min=1), default=1, show_default=True,
              help="Score every Nth article of each corpus (the test gate uses 3).")  # fmt: skip
@fail_cleanly
def eval_geo(eval_dir: str | None, out: str | None, every: int) -> None:
    """Geoparsing: toponym recall, country and 161 km accuracy on the GeoWebNews/LGL sets."""
    from detente.evaluation.geo import evaluate_geoparsing

    _report(evaluate_geoparsing(_eval_root(eval_dir), every=every), out)


@eval_group.command(name="events")
@eval_dir_option
@eval_out_option
@fail_cleanly
def eval_events(eval_dir: str | None, out: str | None) -> None:
    """Event coding on plover_gsr, cameo_conflibert_multirater and petrarch2_validation."""
    from detente.evaluation.events import run_event_eval

    _report(run_event_eval(_eval_root(eval_dir)), out)


@eval_group.command(name="coref")
@eval_dir_option
@eval_out_option
@fail_cleanly
def eval_coref(eval_dir: str | None, out: str | None) -> None:
    """Cross-document event dedup: pairwise precision/recall on ECB+."""
    from detente.evaluation.coref import evaluate_ecbplus

    _report(evaluate_ecbplus(_eval_root(eval_dir)), out)


@main.group(name="bench")
def bench_group() -> None:
    """Benchmarks: speed and memory next to a baseline, in the same run."""


@bench_group.command(name="pipeline")
@click.option("--pages", type=int, default=None, help="How many pages (default: all).")
@click.option("--out", type=click.Path(dir_okay=False), help="Also write the figures as JSON.")
@fail_cleanly
def bench_pipeline(pages: int | None, out: str | None) -> None:
    """Articles per second end to end (ingest to events) next to trafilatura and spaCy alone."""
    from detente.bench.pipeline import run_pipeline_bench

    _report(run_pipeline_bench(limit=pages), out)


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


main.add_command(shards_cli.load)
main.add_command(watch_cli.sources)
main.add_command(watch_cli.watch)
