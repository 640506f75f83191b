"""Write docs/cli.md from the commands' own click help (run: python scripts/gen_cli_reference.py).

``--check`` exits 1 when docs/cli.md differs from what the commands say (tests/test_docs.py
runs the same comparison).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from detente.cli.app import main

#: Fixed help width, so the page does not depend on the terminal it was generated in.
WIDTH: dict[str, Any] = {"terminal_width": 100, "max_content_width": 100}

#: The library function behind each command (the command line mirrors the Python API).
PYTHON_API = {
    "ingest": "`db.ingest(paths_or_urls, date=, outlet=, allow_private=, annotate=, "
    "dictionaries=)`",
    "extract": "`detente.process(text_or_html)` (which also annotates)",
    "annotate": "`db.annotate(dictionaries=, redo=)`",
    "articles": "`db.articles(outlet=, language=, since=, until=, search=, limit=)`",
    "show": "`db.article(id)`",
    "actors": "`db.actors(country=, role=, code=, limit=)`",
    "quotes": "`db.quotes(speaker=, actor=, article_id=, search=, include_scare=, limit=)`",
    "amounts": "`db.amounts(article_id=, unit=, limit=)`",
    "events": "`db.events(actor=, dyad=, cameo=, plover=, start=, end=, min_confidence=, "
    "include_negated=)`",
    "timeline": "`db.timeline(a, b, by=, start=, end=, include_negated=)`",
    "failures": "`db.failures(limit=)`",
    "export": "`db.export(what, fmt, out, **event filters, include_one_sided=)`",
    "schema": "`detente.query.schema.json_schema(kind)`",
}

OUT = Path(__file__).resolve().parent.parent / "docs" / "cli.md"

HEADER = """# Command-line reference

Generated from the commands' own help by `python scripts/gen_cli_reference.py`; do not edit by
hand (`tests/test_docs.py` fails when this page and the commands disagree). Every command is a
thin wrapper over one library function: the [Python API](python-api.md) names it.

Every command that reads or writes a database takes `--db PATH` (default `./detente.db`);
`detente COMMAND --help` prints the same text as below.
"""


def _commands(
    group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command, click.Context]]:
    """Every command under ``group``, depth first, in the order click lists them."""
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = command.make_context(name, [], parent=ctx, resilient_parsing=True, **WIDTH)
        found.append(((*path, name), command, sub))
        if isinstance(command, click.Group):
            found += _commands(command, sub, (*path, name))
    return found


def render() -> str:
    """The whole reference page as Markdown."""
    root = main.make_context("detente", [], resilient_parsing=True, **WIDTH)
    table = ["| command | Python |", "|---|---|"]
    table += [f"| `detente {name}` | {call} |" for name, call in PYTHON_API.items()]
    parts = [HEADER, *table, "", "## detente\n", "```text", main.get_help(root), "```\n"]
    for path, command, ctx in _commands(main, root):
        parts += [f"## detente {' '.join(path)}\n", "```text", command.get_help(ctx), "```\n"]
    return "\n".join(parts)


def main_script(argv: list[str]) -> int:
    """Write the page, or with ``--check`` compare it."""
    text = render()
    if "--check" in argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            sys.stderr.write(f"{OUT} is out of date: run python scripts/gen_cli_reference.py\n")
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main_script(sys.argv[1:]))
