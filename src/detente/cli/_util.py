"""Pieces every command module shares: the ``--db`` option and the error wrapper."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from detente import settings
from detente.errors import DetenteError
from detente.extract import dates

F = TypeVar("F", bound=Callable[..., Any])

#: Batches with more items than this get a progress bar (on a terminal).
PROGRESS_MIN_ITEMS = 3

db_option = click.option(
    "--db",
    "db_path",
    default=settings.DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="SQLite database file.",
)


def fail_cleanly(func: F) -> F:
    """Turn Detente's own errors into a one-line message and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DetenteError as err:
            raise click.ClickException(str(err)) from err

    return wrapper  # type: ignore[return-value]


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress callback (done, total, current item) drawing a bar on stderr.

    None when stderr is not a terminal (logs and pipes get the summary line only).
    """
    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}", style="dim"),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=None, current="")

        def update(done: int, total: int, current: str) -> None:
            if total <= PROGRESS_MIN_ITEMS:
                return
            progress.update(task, completed=done, total=total, current=current[-50:])

        yield update


#: Width of tables when stdout is not a terminal (a pipe, a file, CI logs).
PIPE_WIDTH = 160


_out = Console(highlight=False, soft_wrap=False)


if not _out.is_terminal:
    _out = Console(highlight=False, soft_wrap=False, width=PIPE_WIDTH)


_err = Console(stderr=True, highlight=False, soft_wrap=True)


def _check_date(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A date option as YYYY-MM-DD, read as the Python API reads its date arguments."""
    try:
        return dates.date_argument(value, "value")
    except DetenteError as err:
        raise click.BadParameter(str(err).removeprefix("value: "), param=param) from err


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


def _existing_db(path: str) -> str:
    from pathlib import Path

    if not Path(path).exists():
        raise DetenteError(
            f"{path}: no such database; create it with: detente ingest FILES... --db {path}"
        )
    return path


def _dyad(value: str | None) -> tuple[str, str] | None:
    """``RUS,TUR`` as a pair, read as the Python API reads ``dyad=``."""
    from detente._arguments import dyad

    return dyad(value, "--dyad")


def _dyad_value(_ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    try:
        return _dyad(value)
    except DetenteError as err:
        raise click.BadParameter(str(err), param=param) from err


#: The filters of ``detente events``, which ``detente export`` shares: each reaches the command
#: as the keyword of :meth:`Store.events <detente.store.reads.Reads.events>` it is for, parsed.
_EVENT_FILTERS = (
    click.option("--actor", help="Events where this actor (RUSGOV) or country (RUS) takes part."),
    click.option(
        "--dyad", callback=_dyad_value, help="Events between two actors or countries, e.g. RUS,TUR."
    ),
    click.option("--code", "cameo", help="CAMEO code or prefix (e.g. 04, 042)."),
    click.option("--plover", help="PLOVER event type (e.g. CONSULT)."),
    click.option("--from", "start", callback=_check_date, metavar="YYYY-MM-DD",
                 help="On or after."),
    click.option("--to", "end", callback=_check_date, metavar="YYYY-MM-DD",
                 help="On or before."),
    click.option(
        "--min-confidence", type=click.FloatRange(0, 1), metavar="0..1",
        help="Only events coded with at least this confidence.",
    ),
    click.option("--include-negated", is_flag=True, help="Also negated and hypothetical events."),
)  # fmt: skip


def event_filter_options(command: F) -> F:
    """Add the event filters of ``detente events`` to a command (as keyword arguments)."""
    for option in reversed(_EVENT_FILTERS):
        command = option(command)
    return command


def _report(result: Any, out: str | None) -> None:
    click.echo(result.format())
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(result.to_dict(), handle, indent=2)
