"""``detente eval SET``: accuracy on the public gold standards in ``../shared/eval``."""

from __future__ import annotations

import json
from typing import Any

import click

from detente.cli._util import (
    _report,
    fail_cleanly,
)
from detente.errors import DetenteError


@click.group(name="eval")
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


def _eval_root(eval_dir: str | None) -> Any:
    from pathlib import Path

    from detente.evaluation.extraction import locate_eval_root

    root = Path(eval_dir) if eval_dir else locate_eval_root()
    if root is None or not root.is_dir():
        raise DetenteError(
            "no evaluation data: put the eval sets in ../shared/eval or pass --eval-dir"
        )
    return root


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
    """Actor accuracy on the NGEC cases and on our own gold for real news (PolNeAR train/dev)."""
    from detente.evaluation.actors import eval_ngec_actors
    from detente.evaluation.news_gold import eval_news_actors

    root = _eval_root(eval_dir)
    _report_all(eval_ngec_actors(root), {"news": eval_news_actors(root)}, out)


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
    """Quote attribution (content and speaker) on PolNeAR; speakers as persons on our gold."""
    from detente.evaluation.news_gold import eval_news_speakers
    from detente.evaluation.quotes import evaluate_polnear

    root = _eval_root(eval_dir)
    _report_all(evaluate_polnear(root, split=split), {"news": eval_news_speakers(root)}, out)


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
    """Event coding on plover_gsr, cameo_conflibert_multirater, petrarch2_validation and our
    own event gold for real news (PolNeAR train/dev)."""
    from detente.evaluation.events import run_event_eval
    from detente.evaluation.news_events import eval_news_events

    root = _eval_root(eval_dir)
    _report_all(run_event_eval(root), {"news": eval_news_events(root)}, out)


@eval_group.command(name="coref")
@eval_dir_option
@eval_out_option
@fail_cleanly
def eval_coref(eval_dir: str | None, out: str | None) -> None:
    """Cross-document event dedup: pairwise precision/recall on ECB+."""
    from detente.evaluation.coref import evaluate_ecbplus

    _report(evaluate_ecbplus(_eval_root(eval_dir)), out)


def _report_all(main: Any, more: dict[str, Any], out: str | None) -> None:
    """Several reports in turn; ``--out`` holds the first's figures and the others by name."""
    click.echo(main.format())
    for result in more.values():
        click.echo(result.format())
    if out:
        data = main.to_dict()
        data.update({name: result.to_dict() for name, result in more.items()})
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
