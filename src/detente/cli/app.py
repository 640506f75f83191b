"""The ``detente`` command line: each command is a thin wrapper over one library function.

The commands live in one module per group (``ingest``, ``listings``, ``stories``, ``timeline``,
``export``, ``serve``, ``watch``, ``shards``, ``eval``, ``bench``); this module is the group that
holds them.
"""

from __future__ import annotations

import logging

import click

from detente import settings
from detente.cli import bench, ingest, listings, serve, shards, stories, timeline, watch
from detente.cli import eval as eval_cli
from detente.cli import export as export_cli


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(settings.__version__, prog_name="detente")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """Detente: auditable political event data from your own news articles."""
    settings.cap_threads()  # this process is ours: one math thread (a value you set is kept)
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("trafilatura").setLevel(max(level, logging.ERROR))
    logging.getLogger("htmldate").setLevel(max(level, logging.ERROR))


for command in (
    ingest.ingest,
    ingest.extract,
    ingest.annotate_cmd,
    listings.articles,
    listings.show,
    listings.actors,
    listings.quotes,
    listings.amounts,
    listings.events,
    listings.show_event,
    stories.stories,
    stories.show_story,
    listings.failures,
    timeline.timeline_cmd,
    export_cli.export_cmd,
    export_cli.schema_cmd,
    serve.serve,
    eval_cli.eval_group,
    bench.bench_group,
    shards.load,
    watch.sources,
    watch.watch,
):
    main.add_command(command)
