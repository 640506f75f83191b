"""``detente stories`` and ``detente show-story``: the articles that report the same news."""

from __future__ import annotations

import json

import click

from detente.cli._util import _emit, _existing_db, _format_option, _out, db_option, fail_cleanly
from detente.errors import DetenteError


@click.command()
@db_option
@click.option(
    "--min-articles", type=click.IntRange(min=1), default=2, show_default=True,
    help="Only stories told by at least this many articles (1: every article's story).",
)  # fmt: skip
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
@click.option("--rebuild", is_flag=True, help="Regroup every article, even if none was added.")
@_format_option(["table", "json", "jsonl", "csv"], "table")
@fail_cleanly
def stories(db_path: str, min_articles: int, limit: int | None, rebuild: bool, fmt: str) -> None:
    """List stories: articles that report the same news (same happenings, same days), the
    most told first. Articles added since the last grouping are grouped first."""
    from detente.store.database import Store

    with Store(_existing_db(db_path)) as store:
        if rebuild:
            store.group_stories()
        rows = store.stories(min_articles=min_articles, limit=limit)
    if fmt == "table":
        rows = [
            {
                **row,
                "days": " – ".join(
                    dict.fromkeys(d for d in (row["first_published"], row["last_published"]) if d)
                ),
                "outlets": ", ".join(row["outlets"][:3])
                + (" …" if len(row["outlets"]) > 3 else ""),
            }
            for row in rows
        ]
    columns = ("id", "days", "num_articles", "outlets", "title")
    _emit(rows, fmt, columns=columns, title=f"{len(rows)} stories")


@click.command(name="show-story")
@click.argument("story_id")
@db_option
@_format_option(["text", "json"], "text")
@fail_cleanly
def show_story(story_id: str, db_path: str, fmt: str) -> None:
    """Show one story: its articles, oldest first, and the events they tell."""
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        record = store.story(story_id)
    if record is None:
        raise DetenteError(f"no story with id {story_id!r}; list them with: detente stories")
    if fmt == "json":
        click.echo(json.dumps(record, ensure_ascii=False, indent=2, default=str))
        return
    _out.print(f"[bold]{record['id']}[/bold]  {record['title'] or ''}", highlight=False)
    _out.print(
        f"{record['num_articles']} articles from {record['num_outlets']} outlets, "
        f"{record['first_published'] or '?'} to {record['last_published'] or '?'}",
        highlight=False,
    )
    for article in record["articles"]:
        where = article["title"] or article["source"] or article["url"] or ""
        _out.print(
            f"  {article['published'] or '?':<10}  {article['outlet'] or '':<20}  "
            f"{article['id']}  {where}",
            markup=False,
            highlight=False,
        )
    if record["events"]:
        _out.print("\n[bold]events[/bold]", highlight=False)
    for event in record["events"][:30]:
        _out.print(
            f"  {event['date'] or '?':<10}  {event['source_code'] or '?'} → "
            f"{event['target_code'] or '?'}  {event['cameo']} ({event['trigger']})  "
            f"×{event['num_articles']}  {event['id']}",
            markup=False,
            highlight=False,
        )
