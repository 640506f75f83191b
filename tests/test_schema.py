"""The record schemas: every export and JSON listing validates against them, the flat exports
take their columns from them, and docs/schema.md is what they generate."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from detente.cli.app import main
from detente.dedup.articles import article_id
from detente.errors import DetenteError
from detente.model import Actor, Amount, Article, Event, Location, Mention, Quote
from detente.query import schema
from detente.query.export import WHATS, export
from detente.store.database import Store

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[1]
#: Columns the fixture leaves empty on purpose: an article that is no copy, an event that
#: happened.
UNFILLED = {"duplicate_of", "modality"}
# Fixture actors and text written for these tests.
MARSH = Actor("Elena Marsh", "CANGOV", "CAN", "GOV", "person", "Trade Minister")
CHILE = Actor("Chile", "CHLGOV", "CHL", "GOV", "country")
TEXT = (
    "Trade Minister Elena Marsh arrived in Santiago on Monday to sign a grain deal with Chile.\n\n"
    '"This deal doubles our exports," Marsh told reporters. Trade between the two countries'
    " reached nearly $4 billion last year."
)


def _span(words: str, actor: Actor) -> Mention:
    start = TEXT.index(words)
    return Mention(start, start + len(words), words, actor)


def _article() -> Article:
    quote_start = TEXT.index("This deal")
    quote_end = TEXT.index(",", quote_start)
    amount_start = TEXT.index("nearly")
    amount_end = TEXT.index(" last year")
    marsh = _span("Elena Marsh", MARSH)
    santiago = Location("Santiago", "CHL", -33.4569, -70.6483, "capital", 3871336, "12")
    sign = Event(
        source=marsh, target=_span("Chile", CHILE), cameo="042", plover="CONSULT",
        plover_mode="visit", quad_class=1, goldstein=1.9, trigger="sign",
        trigger_start=TEXT.index("sign"), trigger_end=TEXT.index("sign") + 4,
        date="2025-05-12", date_precision="day", date_source="text", location=santiago,
        location_text="Santiago", sentence_start=0, sentence_end=TEXT.index("\n"),
    )  # fmt: skip
    return Article(
        id=article_id(TEXT), text=TEXT, source="/news/2025/marsh-santiago.txt",
        title="Canada and Chile sign grain deal", outlet="Andes Ledger",
        url="https://andesledger.example/marsh", author="R. Soto", published="2025-05-13",
        published_source="record", language="en", fetched_at="2025-05-13T08:00:00Z",
        content_hash="ab" * 32, removed=["Read more: markets"], nlp="test-model",
        sentences=[(0, TEXT.index("\n")), (TEXT.index('"'), len(TEXT))],
        mentions=[marsh, _span("Chile", CHILE), _span("Marsh", MARSH)],
        quotes=[Quote(quote_start, quote_end, TEXT[quote_start:quote_end], True,
                      speaker=_span("Marsh", MARSH), cue="told", addressee="reporters",
                      sentence_start=TEXT.index('"'), sentence_end=len(TEXT))],
        amounts=[Amount(amount_start, amount_end, TEXT[amount_start:amount_end], 4e9, "USD",
                        "trade", approximate=True, sentence_start=TEXT.index("Trade between"),
                        sentence_end=len(TEXT))],
        events=[sign],
    )  # fmt: skip


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    db = Store(tmp_path / "schema.db")
    db.add_article(_article())
    yield db
    db.close()


def _jsonl(store: Store, what: str) -> list[dict[str, Any]]:
    out = io.StringIO()
    export(store, what=what, fmt="jsonl", stream=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.parametrize("what", WHATS)
def test_every_jsonl_export_validates_against_its_schema(store: Store, what: str) -> None:
    rows = _jsonl(store, what)
    assert rows, what
    for row in rows:
        jsonschema.validate(row, schema.json_schema(what))
        assert list(row) == list(schema.columns(what))


def test_the_schema_rejects_the_old_names() -> None:
    """A renamed or extra field fails validation: the schema is strict, not a formality."""
    article = _article().to_dict()
    row = {name: article[name] for name in schema.columns("articles")}
    jsonschema.validate(row, schema.json_schema("articles"))
    row["words"] = row.pop("word_count")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(row, schema.json_schema("articles"))


@pytest.mark.parametrize("what", WHATS)
def test_csv_columns_are_the_flat_schema_and_none_is_always_empty(store: Store, what: str) -> None:
    out = io.StringIO()
    export(store, what=what, fmt="csv", stream=out)
    reader = csv.DictReader(io.StringIO(out.getvalue()))
    rows = list(reader)
    assert reader.fieldnames == [name for name, _ in schema.flat_fields(what)]
    # the fixture fills every field a record can have: an empty column is one none can fill
    empty = {c for c in reader.fieldnames or [] if not any(r[c] for r in rows)}
    assert empty <= UNFILLED, sorted(empty - UNFILLED)


def test_article_exports_keep_the_source(store: Store, tmp_path: Path) -> None:
    out = io.StringIO()
    export(store, what="articles", fmt="csv", stream=out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["source"] == "/news/2025/marsh-santiago.txt"
    assert not [c for c in row if c.startswith("source_")]
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "articles.parquet"
    export(store, what="articles", fmt="parquet", out=path)
    table = pq.read_table(path)
    assert table.column("source").to_pylist() == ["/news/2025/marsh-santiago.txt"]
    assert table.schema.names == [name for name, _ in schema.flat_fields("articles")]


def test_parquet_types_come_from_the_schema(store: Store, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "events.parquet"
    export(store, what="events", fmt="parquet", out=path)
    types = {f.name: str(f.type) for f in pq.read_schema(path)}
    assert types["goldstein"] == "double" and types["quad_class"] == "int64"
    assert types["negated"] == "bool" and types["article_ids"] == "list<element: string>"
    assert types["location_geonames_id"] == "int64" and types["source_code"] == "string"
    assert pq.read_table(path).column("location_geonames_id").to_pylist() == [3871336]


def _listing(store: Store, *args: str) -> Any:
    result = CliRunner().invoke(main, [*args, "--db", str(store.path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_articles_listing_uses_the_data_dictionary_names(store: Store) -> None:
    (row,) = _listing(store, "articles")
    assert row["word_count"] == len(TEXT.split()) and row["language"] == "en"
    assert "words" not in row and "lang" not in row
    jsonschema.validate(row, schema.json_schema("articles", only=tuple(row)))


@pytest.mark.parametrize("what", ["events", "actors", "quotes", "amounts"])
def test_json_listings_validate_against_the_schema(store: Store, what: str) -> None:
    rows = _listing(store, what)
    assert rows
    for row in rows:
        jsonschema.validate(row, schema.json_schema(what))


def test_show_json_is_a_document(store: Store) -> None:
    """``detente show ID --format json`` is the data model's Article, mentions and events."""
    (article,) = store.articles()
    result = CliRunner().invoke(main, ["show", article.id, "--db", str(store.path),
                                       "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    jsonschema.validate(document, schema.json_schema("document"))
    assert len(document["mentions"]) == 3 and document["events"][0]["location"]["geonames_id"]
    for mention in document["mentions"]:
        jsonschema.validate(mention, schema.json_schema("mention"))
    assert document["quotes"][0]["speaker"]["actor"]["name"] == "Elena Marsh"


def test_schema_command_prints_each_schema() -> None:
    runner = CliRunner()
    for kind in schema.SCHEMAS:
        result = runner.invoke(main, ["schema", kind])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == schema.json_schema(kind)
    result = runner.invoke(main, ["schema", "mentions"])
    assert result.exit_code != 0 and "articles" in result.output


def test_unknown_kinds_and_fields_say_what_exists() -> None:
    with pytest.raises(DetenteError, match="choose one of: articles"):
        schema.fields("sentences")
    with pytest.raises(DetenteError, match="no field words"):
        schema.json_schema("articles", only=("id", "words"))
    assert schema.fields("event") is schema.fields("events")


def test_every_schema_is_valid_json_schema() -> None:
    for kind in schema.SCHEMAS:
        jsonschema.Draft202012Validator.check_schema(schema.json_schema(kind))


def test_schema_page_is_current() -> None:
    """docs/schema.md is exactly what scripts/gen_schema_docs.py makes from the schemas."""
    written = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert written == schema.render_markdown(), (
        "docs/schema.md is out of date: run python scripts/gen_schema_docs.py"
    )
