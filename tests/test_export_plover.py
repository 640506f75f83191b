"""PLOVER JSON and POLECAT TSV exports: the specification's field names, read back as PLOVER
and POLECAT users read them (jsonschema, pandas)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from detente.cli.app import main
from detente.dedup.articles import article_id
from detente.model import Actor, Article, Event, Location, Mention
from detente.query.export import export
from detente.query.plover import POLECAT_COLUMNS, POLECAT_DTYPES
from detente.query.schema import json_schema
from detente.store.database import Store

jsonschema = pytest.importorskip("jsonschema")

# Fixture actors and texts written for these tests.
HALVORSEN = Actor("Ingrid Halvorsen", "NORGOV", "NOR", "GOV", "person", "Foreign Minister")
OKAFOR = Actor("Chidi Okafor", "NGAGOV", "NGA", "GOV", "person", "President")
NORWAY = Actor("Norway", "NOR", "NOR", None, "country")
NATO = Actor("NATO", "IGONATO", None, "IGO", "organization")
UN = Actor("United Nations", "IGOUNO", None, "IGO", "organization")
LAGOS = Location("Lagos", "NGA", 6.4541, 3.3947, "city", 2332459, "05")


def _mention(text: str, words: str, actor: Actor) -> Mention:
    start = text.index(words)
    return Mention(start, start + len(words), words, actor)


def _event(text: str, source: Mention | None, target: Mention | None, cameo: str,
           **kwargs: Any) -> Event:  # fmt: skip
    values: dict[str, Any] = {
        "plover": "CONSULT", "quad_class": 1, "goldstein": 1.0, "trigger": "met",
        "date": "2024-03-12", "date_precision": "day", "date_source": "text",
        "sentence_start": 0, "sentence_end": len(text),
    }  # fmt: skip
    values.update(kwargs)
    return Event(source=source, target=target, cameo=cameo, **values)


def _article(text: str, published: str, outlet: str, events: list[Event]) -> Article:
    return Article(
        id=article_id(text),
        text=text,
        source=f"/data/{outlet}.txt",
        outlet=outlet,
        url=f"https://{outlet.lower().replace(' ', '')}.example/{published}",
        language="en",
        published=published,
        nlp="test-model",
        sentences=[(0, len(text))],
        events=events,
    )


VISIT = "Halvorsen flew to Lagos on Tuesday to meet Okafor about the gas pipeline."
SUMMIT = "In 2014 Okafor and Halvorsen held talks at a summit in a third country."
THREAT = "Norway's ministry said NATO threatened to suspend the joint exercise."
UNCODED = "Okafor made a statement about Norway on Monday."
UNDATED = "The United Nations praised Okafor's mediation in the dispute."
DENIED = "Halvorsen did not meet Okafor during the trade fair."


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    db = Store(tmp_path / "plover.db")
    visit = _event(
        VISIT,
        _mention(VISIT, "Halvorsen", HALVORSEN),
        _mention(VISIT, "Okafor", OKAFOR),
        "042",
        plover_mode="visit",
        goldstein=1.9,
        location=LAGOS,
        location_text="Lagos",
    )
    summit = _event(
        SUMMIT,
        _mention(SUMMIT, "Okafor", OKAFOR),
        _mention(SUMMIT, "Halvorsen", HALVORSEN),
        "043",
        symmetric=True,
        date="2014",
        date_precision="year",
    )
    threat = _event(
        THREAT,
        _mention(THREAT, "NATO", NATO),
        _mention(THREAT, "Norway", NORWAY),
        "138",
        plover="THREATEN",
        quad_class=3,
        goldstein=-7.0,
        modality="threat",
        trigger="threatened",
        date="2024-03",
        date_precision="month",
        reported_by=_mention(THREAT, "Norway", NORWAY),
    )
    uncoded = _event(
        UNCODED,
        _mention(UNCODED, "Okafor", OKAFOR),
        _mention(UNCODED, "Norway", NORWAY),
        "010",
        plover=None,
        quad_class=1,
    )
    undated = _event(
        UNDATED,
        _mention(UNDATED, "United Nations", UN),
        _mention(UNDATED, "Okafor", OKAFOR),
        "051",
        plover="SUPPORT",
        date=None,
        date_precision=None,
    )
    denied = _event(
        DENIED,
        _mention(DENIED, "Halvorsen", HALVORSEN),
        _mention(DENIED, "Okafor", OKAFOR),
        "040",
        negated=True,
        date="2024-02-01",
    )
    for text, day, outlet, events in (
        (VISIT, "2024-03-13", "Harbour Gazette", [visit]),
        (SUMMIT, "2024-01-20", "Delta Review", [summit]),
        (THREAT, "2024-03-20", "Fjord Post", [threat]),
        (UNCODED, "2024-03-18", "Delta Review", [uncoded]),
        (UNDATED, "2024-03-19", "Harbour Gazette", [undated]),
        (DENIED, "2024-02-02", "Fjord Post", [denied]),
    ):
        db.add_article(_article(text, day, outlet, events))
    yield db
    db.close()


def _plover(store: Store, **options: Any) -> list[dict[str, Any]]:
    out = io.StringIO()
    count = export(store, what="events", fmt="plover", stream=out, **options)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(records)
    return records


def _by_cameo(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["cameo"]: r for r in records}


def test_plover_records_have_the_specification_field_names(store: Store) -> None:
    records = _plover(store)
    schema = json_schema("plover")
    for record in records:
        jsonschema.validate(record, schema)
        assert {
            "id",
            "date",
            "actor",
            "recipient",
            "event",
            "event_loc",
            "event_text",
            "quad_code",
            "mode",
            "context",
        } <= set(record)
        assert not {"source", "target", "event_date", "event_type", "location"} & set(record)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["date"]), record["date"]
    visit = _by_cameo(records)["042"]
    assert visit["event"] == ["CONSULT"] and visit["mode"] == ["visit"]
    (actor,) = visit["actor"]
    assert actor == {"code": "NOR", "sector": "GOV", "entity_text": "Halvorsen",
                     "identifier_text": "Ingrid Halvorsen", "office": "Foreign Minister",
                     "actor_code": "NORGOV"}  # fmt: skip
    assert [r["identifier_text"] for r in visit["recipient"]] == ["Chidi Okafor"]
    assert visit["cite_info"]["publication"] == "Harbour Gazette"
    assert visit["cite_info"]["language"] == "en"


def test_coarse_dates_are_their_first_day_with_a_precision(store: Store) -> None:
    found = _by_cameo(_plover(store))
    assert (found["043"]["date"], found["043"]["date_precision"]) == ("2014-01-01", "year")
    assert (found["138"]["date"], found["138"]["date_precision"]) == ("2024-03-01", "month")
    assert (found["042"]["date"], found["042"]["date_precision"]) == ("2024-03-12", "day")


def test_modality_has_its_own_fields_not_context(store: Store) -> None:
    threat = _by_cameo(_plover(store))["138"]
    assert threat["modality"] == "threat" and threat["context"] is None
    assert threat["negated"] is False and threat["hypothetical"] is False
    assert [r["identifier_text"] for r in threat["reported_by"]] == ["Norway"]
    assert threat["actor"][0]["code"] == "IGO" and threat["actor"][0]["actor_code"] == "IGONATO"
    denied = _by_cameo(_plover(store, include_negated=True))["040"]
    assert denied["negated"] is True and denied["context"] is None


def test_event_loc_carries_the_geonames_id(store: Store) -> None:
    place = _by_cameo(_plover(store))["042"]["event_loc"]
    assert place["geonameid"] == 2332459 and place["resolved_place"] == "Lagos"
    assert (place["lat"], place["lon"], place["country_code"]) == (6.4541, 3.3947, "NGA")
    assert (place["feature_class"], place["feature_code"], place["resolution"]) == ("P", "PPL", 4)
    assert place["extracted_place"] == "Lagos"
    assert _by_cameo(_plover(store))["043"]["event_loc"] is None


def test_symmetric_meeting_has_both_sides_as_actor(store: Store) -> None:
    summit = _by_cameo(_plover(store))["043"]
    assert [a["identifier_text"] for a in summit["actor"]] == ["Chidi Okafor", "Ingrid Halvorsen"]
    assert summit["recipient"] == []


def test_left_out_what_plover_cannot_hold(store: Store) -> None:
    cameos = set(_by_cameo(_plover(store)))
    assert cameos == {"042", "043", "138"}  # no PLOVER type (010), undated (051), negated (040)
    assert "040" in _by_cameo(_plover(store, include_negated=True))


def _polecat(store: Store) -> Any:
    pd = pytest.importorskip("pandas")
    out = io.StringIO()
    count = export(store, what="events", fmt="polecat", stream=out)
    frame = pd.read_csv(
        io.StringIO(out.getvalue()),
        sep="\t",
        dtype=POLECAT_DTYPES,
        keep_default_na=False,
        na_values=[""],
        quoting=3,
    )
    assert len(frame) == count == 3
    return frame


def test_polecat_reads_back_with_its_columns_and_types(store: Store) -> None:
    frame = _polecat(store)
    assert tuple(frame.columns) == POLECAT_COLUMNS and len(POLECAT_COLUMNS) == 40
    assert {
        "Event ID",
        "Event Date",
        "Event Type",
        "Event Mode",
        "Event Intensity",
        "Quad Code",
        "Contexts",
        "Actor Name",
        "Actor Country",
        "Actor COW",
        "Primary Actor Sector",
        "Recipient Name",
        "Wikipedia Recipient ID",
        "Placename",
        "GeoNames ID",
        "Feature Type",
        "Publication Date",
        "Story People",
        "Version",
    } <= set(frame.columns)
    assert str(frame["Event Intensity"].dtype) == "float64"
    assert str(frame["GeoNames ID"].dtype) == "Int64"
    assert str(frame["Latitude"].dtype) == "float64"
    import pandas as pd

    assert pd.to_datetime(frame["Event Date"], format="%Y-%m-%d").notna().all()
    assert set(frame["Quad Code"]) <= {"VERBAL COOPERATION", "MATERIAL COOPERATION",
                                       "VERBAL CONFLICT", "MATERIAL CONFLICT"}  # fmt: skip
    visit = frame[frame["Event Type"] == "CONSULT"].set_index("Event Mode").loc["visit"]
    assert visit["Actor Name"] == "Ingrid Halvorsen" and visit["Actor Country"] == "NOR"
    assert visit["Recipient Name"] == "Chidi Okafor" and visit["Actor Title"] == "Foreign Minister"
    assert visit["GeoNames ID"] == 2332459 and visit["City"] == "Lagos"
    assert visit["Event Intensity"] == 4.0  # PLOVER's score of CONSULT: visit
    assert visit["Quad Code"] == "VERBAL COOPERATION" and visit["Source"] == "Harbour Gazette"
    assert visit["Publication Date"] == "2024-03-13" and visit["Language"] == "en"
    assert pd.isna(visit["Actor COW"]) and pd.isna(visit["Contexts"])


def test_polecat_symmetric_event_lists_both_actors(store: Store) -> None:
    frame = _polecat(store)
    summit = frame[frame["Event Date"] == "2014-01-01"].iloc[0]
    assert summit["Actor Name"] == "Chidi Okafor; Ingrid Halvorsen"
    assert summit["Actor Country"] == "NGA; NOR" and pd_na(summit["Recipient Name"])
    threat = frame[frame["Event Type"] == "THREATEN"].iloc[0]
    assert threat["Actor Country"] == "IGO" and threat["Event Intensity"] == -3.5


def pd_na(value: Any) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_cli_writes_polecat_and_plover_files(store: Store, tmp_path: Path) -> None:
    runner = CliRunner()
    for fmt, name in (("polecat", "events.tsv"), ("plover", "events.jsonl")):
        out = tmp_path / name
        result = runner.invoke(
            main,
            [
                "export",
                "--db",
                str(store.path),
                "--what",
                "events",
                "--format",
                fmt,
                "--out",
                str(out),
            ],
        )
        assert result.exit_code == 0, result.output
        lines = out.read_text(encoding="utf-8").splitlines()
        assert len(lines) == (4 if fmt == "polecat" else 3)
    assert lines and json.loads(lines[0])["id"]
    result = runner.invoke(main, ["export", "--db", str(store.path), "--format", "polecat"])
    assert result.exit_code != 0 and "--what events" in result.output
