"""Pieces every command module shares: the ``--db`` option and the error wrapper."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from rich.console import Console

from detente import settings
from detente.errors import DetenteError

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
