"""``detente timeline A B``: a dyad's events per period, as a table, JSON, CSV or a chart."""

from __future__ import annotations

import json

import click

from detente.cli._util import (
    _check_date,
    _emit,
    _err,
    _existing_db,
    _format_option,
    db_option,
    fail_cleanly,
)


@click.command(name="timeline")
@click.argument("a")
@click.argument("b")
@db_option
@click.option("--by", type=click.Choice(["month", "quarter", "year"]), default="month",
              show_default=True, help="Period size.")  # fmt: skip
@click.option("--from", "start", callback=_check_date, metavar="YYYY-MM-DD", help="On or after.")
@click.option("--to", "end", callback=_check_date, metavar="YYYY-MM-DD", help="On or before.")
@click.option("--include-negated", is_flag=True, help="Also negated and hypothetical events.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), metavar="0..1",
              help="Leave out events coded with less confidence (default: the confidence "
                   "model's likely level; 0 keeps all).")  # fmt: skip
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False),
              help="Also draw a chart into this .png, .svg or .pdf (matplotlib).")  # fmt: skip
@click.option("--dpi", type=click.IntRange(30, 1200), default=150, show_default=True,
              help="Resolution of a --plot PNG, in dots per inch.")  # fmt: skip
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
    min_confidence: float | None,
    plot_file: str | None,
    dpi: int,
    fmt: str,
) -> None:
    """How two countries or actors get along, period by period.

    A and B are ISO3 country codes (RUS TUR) or actor codes (RUSGOV TURGOV). The chart of
    --plot has every period from the first event to the last (empty ones at zero), labels the
    largest peaks with their main event and says in its caption what it leaves out.
    """
    from detente.query import timeline as tl
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        line = tl.timeline(store, a, b, by=by, start=start, end=end,
                           include_negated=include_negated,
                           min_confidence=min_confidence)  # fmt: skip
    if plot_file:
        from detente.query.chart import plot

        plot(line, plot_file, dpi=dpi)
        _err.print(f"chart → {plot_file}")
    if fmt == "json":
        click.echo(json.dumps(line.to_dict(), ensure_ascii=False, indent=2))
        return
    title = f"{line.dyad[0]}–{line.dyad[1]} by {line.by}"
    left = [f"{n} {kind.replace('_', '-')}" for kind, n in line.left_out.items() if n]
    if line.unplaced:
        left.append(f"{line.unplaced} undated, or dated more coarsely than a {by}")
    if left:
        title += f" (left out: {', '.join(left)})"
    if fmt == "csv":
        _emit(line.rows(), fmt, columns=(), title=title)
        return
    short = {"verbal_cooperation": "verbal coop", "material_cooperation": "material coop",
             "verbal_conflict": "verbal confl", "material_conflict": "material confl",
             "goldstein_mean": "goldstein"}  # fmt: skip
    rows = [{short.get(k, k): v for k, v in row.items()} for row in line.rows()]
    columns = ("period", *short.values(), "main_events")
    _emit(rows, fmt, columns=columns, title=title)
