"""Listings of what is stored: articles, one article, actors, quotes, amounts, events, failures."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.table import Table

from detente.cli._util import (
    _check_date,
    _emit,
    _existing_db,
    _format_option,
    _out,
    db_option,
    event_filter_options,
    fail_cleanly,
)
from detente.errors import DetenteError
from detente.model import Article

_ARTICLE_COLUMNS = ("id", "published", "outlet", "title", "word_count", "language", "annotation")


def _article_row(article: Article) -> dict[str, Any]:
    from detente.extract.language import not_annotated_reason

    reason = not_annotated_reason(article.text)
    return {
        "id": article.id,
        "published": article.published,
        "outlet": article.outlet,
        "title": article.title,
        "word_count": article.word_count,
        "language": article.language,
        # blank unless the article is one the annotator leaves out, and why
        "annotation": f"not annotated: {reason}" if reason else None,
        "duplicate_of": article.duplicate_of,
        "url": article.url,
        "source": article.source,
    }


@click.command()
@db_option
@click.option("--outlet", help="Only this outlet.")
@click.option("--language", help="Only this language (ISO 639-1, e.g. en).")
@click.option(
    "--from", "since", callback=_check_date, metavar="YYYY-MM-DD", help="Published on or after."
)
@click.option(
    "--to", "until", callback=_check_date, metavar="YYYY-MM-DD", help="Published on or before."
)
@click.option("--search", "-s", help="Full-text search (SQLite FTS5 syntax) over title and text.")
@click.option("--limit", type=int, default=None, help="At most this many articles.")
@_format_option(["table", "json", "jsonl", "csv"], "table")
@fail_cleanly
def articles(
    db_path: str,
    outlet: str | None,
    language: str | None,
    since: str | None,
    until: str | None,
    search: str | None,
    limit: int | None,
    fmt: str,
) -> None:
    """List stored articles, newest first, with filters and full-text search."""
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        found = store.articles(
            outlet=outlet, language=language, since=since, until=until, search=search, limit=limit
        )
    rows = [_article_row(article) for article in found]
    if fmt in ("json", "jsonl"):  # the record as the schema describes it, plus why if skipped
        rows = [{k: v for k, v in r.items() if k != "annotation" or v} for r in rows]
    _emit(rows, fmt, columns=_ARTICLE_COLUMNS, title=f"{len(found)} articles")


@click.command()
@click.argument("article_id")
@db_option
@_format_option(["text", "json"], "text")
@fail_cleanly
def show(article_id: str, db_path: str, fmt: str) -> None:
    """Show one article (by id or unique id prefix) with its metadata and what was removed."""
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        article = store.get_article(article_id)
    if article is None:
        raise DetenteError(f"no article with id {article_id!r}; list them with: detente articles")
    if fmt == "json":
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
        return
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="bold")
    meta.add_column()
    for name in ("id", "title", "outlet", "published", "published_source", "url", "author",
                 "language", "source", "fetched_at", "content_hash", "duplicate_of"):  # fmt: skip
        value = getattr(article, name)
        if value is not None:
            meta.add_row(name, str(value))
    meta.add_row("words", str(article.word_count))
    if article.nlp:
        meta.add_row("annotated by", article.nlp)
    elif reason := _article_row(article)["annotation"]:
        meta.add_row("annotation", reason)
    _out.print(meta)
    _out.print()
    _out.print(article.text, markup=False)
    _show_annotations(article)
    if article.removed:
        _out.print(f"\n[bold]removed[/bold] ({len(article.removed)} lines of boilerplate)")
        for line in article.removed:
            _out.print(f"  - {line}", markup=False)


def _show_annotations(article: Article) -> None:
    """The actors, quotes and amounts of an article, for people."""
    from collections import Counter

    if article.mentions:
        counts = Counter((m.actor.name, m.actor.code or "?") for m in article.mentions)
        shown = ", ".join(f"{name} [{code}]×{n}" for (name, code), n in counts.most_common(15))
        _out.print(f"\n[bold]actors[/bold] ({len(counts)}): ", end="")
        _out.print(shown, markup=False)
    statements = [q for q in article.quotes if q.kind != "scare"]
    if statements:
        _out.print(f"\n[bold]quotes[/bold] ({len(statements)})")
        for quote in statements:
            who = quote.speaker.actor.name if quote.speaker else "?"
            mark = "“{}”" if quote.direct else "{} (reported)"
            _out.print(f"  - {who}: " + mark.format(quote.text), markup=False)
    if article.amounts:
        _out.print(f"\n[bold]amounts[/bold] ({len(article.amounts)})")
        for amount in article.amounts:
            unit = f" {amount.unit}" if amount.unit else ""
            what = f" — {amount.object}" if amount.object else ""
            _out.print(f"  - {amount.text}: {amount.value:,.0f}{unit}{what}", markup=False)


@click.command()
@db_option
@click.option("--country", help="Only actors of this country (ISO3, e.g. TUR).")
@click.option("--role", help="Only this role (GOV, MIL, OPP, IGO, …).")
@click.option("--code", help="Only this actor code (e.g. RUSGOV).")
@click.option("--limit", type=int, default=None, help="At most this many.")
@_format_option(["table", "json", "jsonl", "csv"], "table")
@fail_cleanly
def actors(
    db_path: str,
    country: str | None,
    role: str | None,
    code: str | None,
    limit: int | None,
    fmt: str,
) -> None:
    """Actors found in the articles, with mention, article and quote counts."""
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        rows = store.actors(country=country, role=role, code=code, limit=limit)
    columns = ("name", "code", "country", "role", "title", "mentions", "articles", "quotes")
    _emit(rows, fmt, columns=columns, title=f"{len(rows)} actors")


@click.command()
@db_option
@click.option("--speaker", help="Only quotes whose speaker's name contains this.")
@click.option("--actor", help="Only quotes by this actor code or country (RUSGOV, TUR).")
@click.option("--article", "article_id", help="Only quotes of this article.")
@click.option("--search", "-s", help="Full-text search over the quoted words.")
@click.option("--scare", "include_scare", is_flag=True, help="Include scare quotes.")
@click.option("--limit", type=int, default=None, help="At most this many.")
@_format_option(["table", "json", "jsonl", "csv"], "table")
@fail_cleanly
def quotes(
    db_path: str,
    speaker: str | None,
    actor: str | None,
    article_id: str | None,
    search: str | None,
    include_scare: bool,
    limit: int | None,
    fmt: str,
) -> None:
    """Who said what: quotations with their speakers, newest first."""
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        rows = store.quotes(
            speaker=speaker, actor=actor, article_id=article_id, search=search,
            include_scare=include_scare, limit=limit,
        )  # fmt: skip
    if fmt == "table":
        rows = [_quote_row(r) for r in rows]
    elif fmt == "csv":
        from detente.query.export import flatten

        rows = [flatten(r) for r in rows]
    columns = ("published", "speaker", "code", "quote", "direct")
    _emit(rows, fmt, columns=columns, title=f"{len(rows)} quotes")


def _quote_row(record: dict[str, Any]) -> dict[str, Any]:
    speaker = record["speaker"] or {}
    return {
        "published": record["published"],
        "speaker": speaker.get("name") or speaker.get("text") or "?",
        "code": speaker.get("code"),
        "quote": record["text"],
        "direct": "direct" if record["direct"] else "reported",
    }


@click.command()
@db_option
@click.option("--article", "article_id", help="Only amounts of this article.")
@click.option("--unit", help="Only this unit or currency (USD, tonnes, percent).")
@click.option("--limit", type=int, default=None, help="At most this many.")
@_format_option(["table", "json", "jsonl", "csv"], "table")
@fail_cleanly
def amounts(
    db_path: str, article_id: str | None, unit: str | None, limit: int | None, fmt: str
) -> None:
    """Claimed numbers with their units and what they count."""
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        rows = store.amounts(article_id=article_id, unit=unit, limit=limit)
    columns = ("published", "text", "value", "unit", "object", "approximate")
    _emit(rows, fmt, columns=columns, title=f"{len(rows)} amounts")


@click.command()
@db_option
@event_filter_options
@click.option("--limit", type=int, default=None, help="At most this many.")
@_format_option(["table", "json", "jsonl", "csv"], "table")
@fail_cleanly
def events(db_path: str, limit: int | None, fmt: str, **filters: Any) -> None:
    """Who did what to whom, when: deduplicated events, oldest first."""
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        rows = store.events(**filters, limit=limit)
    if fmt == "table":
        rows = [_event_row(r) for r in rows]
    elif fmt == "csv":
        from detente.query.export import flatten

        rows = [flatten(r) for r in rows]
    columns = ("date", "source", "event", "target", "where", "flags", "n", "evidence")
    _emit(rows, fmt, columns=columns, title=f"{len(rows)} events")


@click.command(name="show-event")
@click.argument("event_id")
@db_option
@_format_option(["text", "json"], "text")
@fail_cleanly
def show_event(event_id: str, db_path: str, fmt: str) -> None:
    """Show one event with every mention merged into it: its sentence, its article and how
    that mention was coded, to audit the merge."""
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        record = store.event(event_id)
    if record is None:
        raise DetenteError(f"no event with id {event_id!r}; list them with: detente events")
    if fmt == "json":
        from dataclasses import asdict

        for mention in record["mentions"]:
            mention["event"] = asdict(mention["event"])
        click.echo(json.dumps(record, ensure_ascii=False, indent=2, default=str))
        return
    row = _event_row(record)
    _out.print(
        f"[bold]{record['id']}[/bold]  {row['date']}  {row['source']} → {row['target']}  "
        f"{row['event']}" + (f"  [{row['flags']}]" if row["flags"] else ""),
        highlight=False,
    )
    _out.print(
        f"{record['num_mentions']} mentions in {record['num_articles']} articles from "
        f"{record['num_sources']} sources",
        highlight=False,
    )
    for number, mention in enumerate(record["mentions"], 1):
        told = mention["event"]
        sides = " → ".join(
            f"{m.actor.name} [{m.actor.code or '?'}]" if m is not None else "?"
            for m in (told.source, told.target)
        )
        where = mention["title"] or mention["source"] or mention["url"] or ""
        _out.print(
            f"\n[bold]{number}.[/bold] {mention['published'] or '?'}  "
            f"{mention['outlet'] or ''}  {mention['article_id']}",
            highlight=False,
        )
        _out.print(f"   {where}", markup=False, highlight=False)
        _out.print(
            f"   told as {sides} {told.cameo} ({told.trigger}), {told.date or 'undated'}",
            markup=False,
            highlight=False,
        )
        _out.print(f"   {mention['sentence']}", markup=False, highlight=False)


def _event_row(record: dict[str, Any]) -> dict[str, Any]:
    flags = [name for name in ("negated", "hypothetical", "symmetric") if record[name]]
    if record["modality"]:
        flags.append(record["modality"])
    return {
        "date": record["date"] or "?",
        "source": (record["source"] or {}).get("code") or "?",
        "event": f"{record['cameo']} {record['plover'] or ''} {record['trigger'] or ''}".strip(),
        "target": (record["target"] or {}).get("code") or "?",
        "where": (record["location"] or {}).get("name"),
        "flags": ",".join(flags),
        "n": record["num_mentions"],
        "evidence": record["sentence"],
    }


@click.command()
@db_option
@click.option("--limit", type=int, default=None, help="At most this many, newest first.")
@_format_option(["table", "json", "jsonl", "csv"], "table")
@fail_cleanly
def failures(db_path: str, limit: int | None, fmt: str) -> None:
    """List the documents that could not be ingested, and why."""
    from detente.store.database import Store

    with Store(_existing_db(db_path), readonly=True) as store:
        rows = [
            {"at": f.at, "source": f.source, "line": f.line, "stage": f.stage, "reason": f.reason}
            for f in store.failures(limit=limit)
        ]
    _emit(rows, fmt, columns=("at", "source", "line", "reason"), title=f"{len(rows)} failures")
