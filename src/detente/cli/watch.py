"""The ``detente watch`` command and the ``detente sources`` group: thin wrappers over watch.

Registered in :mod:`detente.cli.app` with ``main.add_command``; this module imports nothing from
``detente.cli.app`` at import time, so the two can import each other in either order.
"""

from __future__ import annotations

import json
import logging
import re
import signal
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

import click

from detente.cli._util import db_option, fail_cleanly

F = TypeVar("F", bound=Callable[..., Any])

#: Columns of ``detente sources list`` (a table); JSON has every field.
SOURCE_COLUMNS = (
    "url", "kind", "health", "last_fetch", "errors", "last_error", "next_due", "found", "stored",
)  # fmt: skip
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: str) -> float:
    """Seconds in ``90``, ``30s``, ``15m``, ``2h`` or ``1d``; ValueError otherwise."""
    match = _DURATION.match(value)
    if match is None or float(match.group(1)) <= 0:
        raise ValueError(f"{value!r} is not a duration; use e.g. 30s, 15m, 2h or 1d")
    return float(match.group(1)) * _UNITS[match.group(2).lower()]


def _duration(_ctx: click.Context, param: click.Parameter, value: str) -> float:
    try:
        return parse_duration(value)
    except ValueError as err:
        raise click.BadParameter(str(err), param=param) from err


@click.command(name="watch")
@click.argument("source", nargs=-1)
@click.option(
    "--every",
    default="15m",
    show_default=True,
    callback=_duration,
    metavar="DURATION",
    help="Time between rounds: 30s, 15m, 2h, 1d.",
)
@click.option("--once", is_flag=True, help="Run one round and exit (e.g. from cron).")
@db_option
@click.option(
    "--allow-private",
    is_flag=True,
    help="Allow fetching from private, loopback and link-local addresses (local testing).",
)
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=2.0,
    show_default=True,
    help="Seconds between two requests to one host (robots.txt Crawl-delay wins if longer).",
)
@click.option(
    "--annotate/--no-annotate",
    default=True,
    show_default=True,
    help="Find actors, quotes and amounts (spaCy); --no-annotate only cleans and stores.",
)
@click.option(
    "--dictionary",
    "dictionaries",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="An actor dictionary of your own (see docs/actor-dictionaries.md); repeatable.",
)
@fail_cleanly
def watch(
    source: tuple[str, ...],
    every: float,
    once: bool,
    db_path: str,
    allow_private: bool,
    delay: float,
    annotate: bool,
    dictionaries: tuple[str, ...],
) -> None:
    """Keep reading feeds, sitemaps or home pages (SOURCE...) into the database.

    Without SOURCE, watches every source of `detente sources list`. Each round fetches each
    source (conditional GET), then each new article once, politely: robots.txt, one request at
    a time per host, back-off on errors. Stop it any time; restarted, it goes on where it was.
    """
    from detente.acquire.watch import watch as run_watch
    from detente.store.database import Store

    # log lines, not a progress bar: a watcher runs for days, often under systemd
    logging.getLogger("detente.acquire.watch").setLevel(logging.INFO)

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt  # unwinds cleanly: the store rolls back any open write

    signal.signal(signal.SIGTERM, stop)
    with Store(db_path) as store:
        try:
            report = run_watch(
                store, source, every=every, once=once, allow_private=allow_private,
                delay=delay, annotate=annotate, dictionaries=dictionaries,
            )  # fmt: skip
        except KeyboardInterrupt:
            click.echo("stopped; run the same command to go on where it was", err=True)
            return
    click.echo(
        f"{report.sources} sources read ({report.not_modified} unchanged, {report.errors} "
        f"failed, {report.skipped} backing off); {report.new_urls} new URLs; "
        f"{report.stored} articles stored, {report.failed} failed, {report.blocked} blocked "
        f"by robots.txt, {report.retry} left for later → {db_path}",
        err=True,
    )


@click.group(name="sources")
def sources() -> None:
    """The feeds, sitemaps and home pages `detente watch` reads, and their health."""


@sources.command(name="add")
@click.argument("urls", nargs=-1, required=True)
@db_option
@fail_cleanly
def sources_add(urls: tuple[str, ...], db_path: str) -> None:
    """Watch feed, sitemap or home page URLs (read by the next `detente watch`)."""
    from detente.acquire.watch import add_sources
    from detente.store.database import Store

    with Store(db_path) as store:
        added = add_sources(store, urls)
    for source in added:
        click.echo(f"watching {source.url}", err=True)


@sources.command(name="remove")
@click.argument("urls", nargs=-1, required=True)
@db_option
@fail_cleanly
def sources_remove(urls: tuple[str, ...], db_path: str) -> None:
    """Stop watching URLs; their articles stay, and their URLs stay seen."""
    from detente.store import sources as store_sources
    from detente.store.database import Store

    missing = []
    with Store(db_path) as store:
        for url in urls:
            if store_sources.remove_source(store, url):
                click.echo(f"stopped watching {url}", err=True)
            else:
                missing.append(url)
    if missing:
        raise click.ClickException(
            f"not watched: {', '.join(missing)}; see detente sources list for the exact URLs"
        )


@sources.command(name="list")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format: a table for people, JSON for programs.",
)
@fail_cleanly
def sources_list(db_path: str, fmt: str) -> None:
    """Watched sources and their health: last fetch, errors, articles found and stored."""
    from detente.store import sources as store_sources
    from detente.store.database import Store

    with Store(db_path) as store:
        found = store_sources.list_sources(store)
        counts = store_sources.url_counts(store)
    rows = []
    for source in found:
        statuses = counts.get(source.id, {})
        record: dict[str, Any] = source.to_dict()
        record["urls"] = statuses
        if fmt == "json":
            rows.append(record)
            continue
        rows.append(
            {
                "url": source.url,
                "kind": source.kind,
                "health": _health(source.error_count, source.last_ok, source.last_error),
                "last_fetch": source.last_fetch,
                "errors": source.error_count,
                "last_error": _short_error(source.last_error, source.url),
                "next_due": source.next_due,
                "found": source.articles_found,
                "stored": statuses.get("stored", 0),
            }
        )
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from detente.cli._util import _emit

    _emit(rows, "table", columns=SOURCE_COLUMNS, title=f"{len(rows)} watched sources")
    if not rows:
        click.echo("no sources yet: detente sources add URL... (or detente watch URL...)", err=True)


def _short_error(error: str | None, url: str) -> str | None:
    """An error without the ``cannot fetch URL:`` the row already says."""
    if error is None:
        return None
    return error.removeprefix(f"cannot fetch {url}: ")


def _health(errors: int, last_ok: str | None, last_error: str | None) -> str:
    """A word for a source's state: new, ok, warning, failing."""
    if errors:
        return "failing"
    if last_ok is None:
        return "new"
    return "warning" if last_error else "ok"
