"""Stored events: dedup across articles, queries, dyad timelines, exports (GDELT, PLOVER)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.cli.app import main
from detente.dedup.articles import article_id
from detente.model import Actor, Article, Event, Location, Mention
from detente.query.export import export
from detente.query.formats import GDELT_COLUMNS
from detente.query.timeline import period_of, timeline
from detente.store.database import Store

pytest.importorskip("detente.dedup.events")

PUTIN = Actor("Vladimir Putin", "RUSGOV", "RUS", "GOV", "person", "President")
ERDOGAN = Actor("Recep Tayyip Erdoğan", "TURGOV", "TUR", "GOV", "person", "President")
TURKEY = Actor("Türkiye", "TUR", "TUR", None, "country")
RUSSIA = Actor("Russia", "RUS", "RUS", None, "country")
SOCHI = Location("Sochi", "RUS", 43.6, 39.73, "city")


def _article(text: str, published: str, outlet: str, events: list[Event]) -> Article:
    return Article(
        id=article_id(text), text=text, source=f"{outlet}.txt", outlet=outlet,
        published=published, nlp="test-model", sentences=[(0, len(text))], events=events,
    )  # fmt: skip


def _event(text: str, source: Actor, target: Actor, cameo: str, **kwargs: object) -> Event:
    src = text.index(source.name.split()[-1]) if source.name.split()[-1] in text else 0
    values: dict[str, object] = {
        "plover": "CONSULT", "quad_class": 1, "goldstein": 1.9, "trigger": "met",
        "date": "2022-08-05", "date_precision": "day", "date_source": "text",
        "sentence_start": 0, "sentence_end": len(text),
    }  # fmt: skip
    values.update(kwargs)
    return Event(
        source=Mention(src, src + 5, text[src : src + 5], source),
        target=Mention(0, 5, text[:5], target),
        cameo=cameo,
        **values,  # type: ignore[arg-type]
    )


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    db = Store(tmp_path / "events.db")
    one = "Erdogan travelled to Sochi on Friday to meet Putin for talks on trade and Syria."
    two = "Putin received Erdogan in Sochi on Friday; the two men talked for four hours."
    three = "Last November Turkish jets shot down a Russian bomber near the Syrian border."
    four = "Russia did not impose new sanctions on Türkiye, officials said on Monday."
    db.add_article(_article(one, "2022-08-05", "Black Sea Monitor", [
        _event(one, ERDOGAN, PUTIN, "042", location=SOCHI, plover_mode="visit"),
    ]))  # fmt: skip
    db.add_article(_article(two, "2022-08-06", "Caspian Wire", [
        _event(two, ERDOGAN, PUTIN, "042", location=SOCHI, plover_mode="visit"),
        _event(two, PUTIN, ERDOGAN, "043", goldstein=2.8, trigger="received", location=SOCHI),
    ]))  # fmt: skip
    db.add_article(_article(three, "2016-08-09", "Volga Courier", [
        _event(three, TURKEY, RUSSIA, "190", plover="ASSAULT", quad_class=4, goldstein=-10.0,
               trigger="shot down", date="2015-11", date_precision="month"),
    ]))  # fmt: skip
    db.add_article(_article(four, "2016-01-04", "Volga Courier", [
        _event(four, RUSSIA, TURKEY, "163", plover="SANCTION", quad_class=4, goldstein=-8.0,
               trigger="impose sanctions", negated=True, date="2016-01-04"),
    ]))  # fmt: skip
    yield db
    db.close()


def test_the_same_visit_told_three_times_is_one_event(store: Store) -> None:
    visits = store.events(cameo="04")
    assert len(visits) == 1  # two visits and the host's side of it: one real-world event
    visit = visits[0]
    assert (visit["num_mentions"], visit["num_articles"], visit["num_sources"]) == (3, 2, 2)
    assert visit["cameo"] == "042"
    assert visit["source"]["code"] == "TURGOV" and visit["target"]["code"] == "RUSGOV"
    assert visit["location"]["name"] == "Sochi" and len(visit["article_ids"]) == 2


def test_negated_events_stay_out_unless_asked(store: Store) -> None:
    assert not store.events(cameo="163")
    (negated,) = store.events(cameo="163", include_negated=True)
    assert negated["negated"] is True


def test_filters(store: Store) -> None:
    assert {e["cameo"] for e in store.events(dyad=("RUS", "TUR"))} == {"042", "190"}
    assert {e["cameo"] for e in store.events(actor="RUSGOV")} == {"042"}
    assert {e["cameo"] for e in store.events(plover="ASSAULT")} == {"190"}
    assert {e["cameo"] for e in store.events(start="2022-01-01")} == {"042"}
    assert {e["cameo"] for e in store.events(end="2015-12-31")} == {"190"}


def test_timeline_by_month_and_year(store: Store) -> None:
    line = timeline(store, "RUS", "TUR", by="month")
    data = line.to_dict()
    assert data["dyad"] == ["RUS", "TUR"]
    assert [p["period"] for p in data["periods"]] == ["2015-11", "2022-08"]
    november, august = data["periods"]
    assert november["material_conflict"] == 1 and november["goldstein_mean"] == -10.0
    assert august["verbal_cooperation"] == 1 and august["goldstein_mean"] == 1.9
    assert len(august["events"]) == 1
    yearly = timeline(store, "TUR", "RUS", by="year", include_negated=True).to_dict()
    assert [p["period"] for p in yearly["periods"]] == ["2015", "2016", "2022"]


def test_period_of() -> None:
    assert period_of("2016-08-09", "day", "quarter") == "2016-Q3"
    assert period_of("2016", "year", "month") is None
    assert period_of("2016", "year", "year") == "2016"
    assert period_of(None, None, "year") is None


def test_export_events_jsonl_and_csv(store: Store) -> None:
    out = io.StringIO()
    assert export(store, what="events", fmt="jsonl", stream=out) == 3
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    required = {"id", "article_ids", "sentence", "date", "date_precision", "source", "target",
                "cameo", "cameo_root", "plover", "quad_class", "goldstein", "negated",
                "hypothetical", "location", "confidence", "coder"}  # fmt: skip
    assert all(required <= set(r) for r in records)
    assert {r["cameo_root"] for r in records} == {"04", "19", "16"}
    out = io.StringIO()
    export(store, what="events", fmt="csv", stream=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["source_code"] and "location_latitude" in rows[0]


def test_export_gdelt_has_the_61_columns(store: Store) -> None:
    out = io.StringIO()
    assert export(store, what="events", fmt="gdelt", stream=out) == 2  # not the negated one
    rows = [line.split("\t") for line in out.getvalue().splitlines()]
    assert all(len(row) == len(GDELT_COLUMNS) == 61 for row in rows)
    visit = next(r for r in rows if r[GDELT_COLUMNS.index("EventCode")] == "042")
    col = {name: visit[i] for i, name in enumerate(GDELT_COLUMNS)}
    assert col["SQLDATE"] == "20220805" and col["Actor1Code"] == "TURGOV"
    assert col["Actor2CountryCode"] == "RUS" and col["EventRootCode"] == "04"
    assert col["NumArticles"] == "2" and col["ActionGeo_FullName"] == "Sochi, Russia"
    assert col["ActionGeo_CountryCode"] == "RS" and col["SOURCEURL"].endswith(".txt")
    assert export(store, what="events", fmt="gdelt", include_negated=True) == 3


def test_export_plover(store: Store) -> None:
    out = io.StringIO()
    export(store, what="events", fmt="plover", stream=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    visit = next(r for r in records if r["cameo"] == "042")
    assert visit["event"] == ["CONSULT"] and visit["mode"] == ["visit"]
    assert visit["actor"][0]["code"] == "TUR" and visit["event_loc"]["resolved_place"] == "Sochi"


def test_reannotating_an_article_replaces_its_events(store: Store) -> None:
    (article,) = store.articles(outlet="Caspian Wire")
    full = store.get_article(article.id)
    assert full is not None and len(full.events) == 2
    full.events = []
    store.set_annotations(full)
    visit = store.events(cameo="042")[0]
    assert visit["num_mentions"] == 1 and visit["num_articles"] == 1


def test_cli_events_and_timeline(store: Store, tmp_path: Path) -> None:
    db = str(store.path)
    runner = CliRunner()
    result = runner.invoke(main, ["events", "--db", db, "--dyad", "RUS,TUR"])
    assert result.exit_code == 0 and "042" in result.stdout and "Sochi" in result.stdout
    result = runner.invoke(main, ["timeline", "RUS", "TUR", "--db", db, "--format", "json"])
    assert json.loads(result.stdout)["periods"][0]["period"] == "2015-11"
    chart = tmp_path / "rus-tur.png"
    result = runner.invoke(main, ["timeline", "RUS", "TUR", "--db", db, "--plot", str(chart)])
    assert result.exit_code == 0, result.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 5000


def test_no_event_told_by_several_articles_has_a_missing_side(tmp_path: Path) -> None:
    """Issue 14: one-sided mentions stay mentions of their article alone; dyads still merge."""
    db = Store(tmp_path / "sides.db")
    arrest = "Police arrested twelve protesters in Ankara on Friday."
    arrested = Actor("Turkish police", "TURCOP", "TUR", "COP", "group")
    for number, outlet in enumerate(["Black Sea Monitor", "Caspian Wire", "Volga Courier"]):
        text = f"{arrest} Report {number}."
        told_twice = [
            _event(text, arrested, TURKEY, "173", trigger="arrested", plover="COERCE")
            for _ in range(2)
        ]
        for one_sided in told_twice:
            one_sided.target = None
        db.add_article(_article(text, "2022-08-05", outlet, [
            *told_twice, _event(text, ERDOGAN, PUTIN, "042", location=SOCHI),
        ]))  # fmt: skip
    events = db.events(include_one_sided=True)
    arrests = [e for e in events if e["cameo"] == "173"]
    assert len(arrests) == 6  # each mention on its own, even told twice in one article
    assert all(e["num_mentions"] == 1 and e["num_articles"] == 1 for e in arrests)
    assert [e["num_articles"] for e in events if e["cameo"] == "042"] == [3]
    several = [e for e in events if e["num_articles"] > 1]
    assert several and all(e["source"] and e["target"] for e in several)
    db.close()
