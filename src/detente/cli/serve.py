"""``detente serve``: the database in the browser (Datasette with the detente plugin)."""

from __future__ import annotations

import click

from detente.cli._util import (
    _existing_db,
    db_option,
    fail_cleanly,
)


@click.command()
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
