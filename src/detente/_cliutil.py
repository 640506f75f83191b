"""Pieces every command module shares: the ``--db`` option and the error wrapper."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from detente import settings
from detente.errors import DetenteError

F = TypeVar("F", bound=Callable[..., Any])

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
