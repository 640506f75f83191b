"""The Russia–Türkiye timeline of the five scraped articles of ../shared/samples (issue 4).

The articles are ingested once per module with the publication dates of the samples' README;
each item of the timeline is checked for its date, code, direction, flags and place, from the
deduplicated events (``Store.events``) and, where the dedup folds an event into an earlier
mention of it, from the coded mentions of its article.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from detente.ingest import ingest
from detente.model import Event
from detente.store.database import Store

#: Sample prefix → publication date to supply (None: the text carries it), per the README.
DATES = {
    "000": None,
    "001": "2023-05-19",
    "002": "2024-07-03",
    "003": None,
    "004": "2022-08-05",
}

Record = dict[str, Any]


@pytest.fixture(scope="module")
def store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    db = Store(tmp_path_factory.mktemp("samples") / "samples.db")
    for prefix, published in DATES.items():
        (path,) = sorted((shared_dir / "samples").glob(f"{prefix}_*.txt"))
        report = ingest([str(path)], store=db, default_date=published)
        assert report.added == 1, report.to_dict()
    yield db
    db.close()


@pytest.fixture(scope="module")
def timeline(store: Store) -> list[Record]:
    return store.events(dyad=("RUS", "TUR"), include_negated=True)


def _side(record: Record, key: str) -> str | None:
    actor = record[key]
    return None if actor is None else actor["country"]


def _find(records: list[Record], **want: Any) -> list[Record]:
    """Records whose date starts with ``date``, code with ``cameo`` and sides match."""
    out = []
    for r in records:
        if "date" in want and not (r["date"] or "").startswith(want["date"]):
            continue
        if "cameo" in want and not r["cameo"].startswith(want["cameo"]):
            continue
        if "pair" in want and (_side(r, "source"), _side(r, "target")) != want["pair"]:
            continue
        if "plover" in want and r["plover"] != want["plover"]:
            continue
        out.append(r)
    return out


def _mentions(store: Store, prefix: str) -> list[Event]:
    (article,) = [a for a in store.articles() if Path(a.source).name.startswith(f"{prefix}_")]
    full = store.get_article(article.id)
    assert full is not None
    return full.events


def _countries(event: Event) -> tuple[str | None, str | None]:
    return (
        event.source.actor.country if event.source else None,
        event.target.actor.country if event.target else None,
    )


def test_timeline_spans_2015_to_2024(timeline: list[Record]) -> None:
    dated = sorted(r["date"] for r in timeline if r["date"] and not r["negated"])
    assert dated[0].startswith("2015-11") and dated[-1] == "2024-07-03"


def test_2015_shoot_down(timeline: list[Record]) -> None:
    (event,) = _find(timeline, date="2015-11", cameo="19", pair=("TUR", "RUS"))
    assert not event["negated"] and event["date_source"] == "text"


def test_2016_st_petersburg_meeting(timeline: list[Record]) -> None:
    (event,) = _find(timeline, date="2016-08-09", plover="CONSULT", cameo="04")
    assert event["location"] is not None and event["location"]["country"] == "RUS"
    assert "Petersburg" in event["location"]["name"]


def test_2017_s400_purchase(timeline: list[Record]) -> None:
    (event,) = _find(timeline, date="2017", cameo="06", pair=("TUR", "RUS"))
    assert event["date_precision"] == "year" and event["plover"] == "COOPERATE"


def test_july_2022_tehran_summit_once_per_pair(store: Store) -> None:
    events = [e for e in _mentions(store, "004") if e.location_text == "Tehran"]
    pairs = sorted(tuple(sorted(str(c) for c in _countries(e))) for e in events)
    assert pairs == [("IRN", "RUS"), ("IRN", "TUR"), ("RUS", "TUR")]
    for event in events:
        assert event.symmetric and event.plover == "CONSULT" and event.date == "2022-07"
        assert event.location is not None and event.location.country == "IRN"


def test_july_2022_grain_deal(timeline: list[Record]) -> None:
    deals = _find(timeline, date="2022-07", cameo="057")
    assert deals and all(r["location"]["name"] == "Istanbul" for r in deals)
    assert _find(timeline, date="2022-07", cameo="045", pair=("TUR", "RUS"))


def test_5_august_2022_sochi_visit(store: Store, timeline: list[Record]) -> None:
    assert _find(timeline, date="2022-08-05", plover="CONSULT")
    visits = [e for e in _mentions(store, "004") if e.cameo == "042" and e.date_source == "text"]
    assert visits, "no visit with its own date"
    for visit in visits:
        assert _countries(visit) == ("TUR", "RUS") and visit.date == "2022-08-05"
        assert visit.location_text == "Sochi"
    # the stored event takes its description from its most informative mention: the visit
    (event,) = _find(timeline, date="2022-08-05", cameo="04", pair=("TUR", "RUS"))
    assert event["cameo"] == "042" and event["location"]["name"] == "Sochi"
    assert event["date_source"] == "text" and event["num_mentions"] >= 2


def test_may_2023_congratulation(timeline: list[Record]) -> None:
    found = _find(timeline, date="2023-05", cameo="051", pair=("RUS", "TUR"))
    # the congratulation, and the praise of the message told with other verbs ("values",
    # "praised"): statements of one day merge only when told with one verb (issue 14)
    (event,) = [e for e in found if e["trigger"].startswith("congratulat")]
    assert event["date"] == "2023-05-28"  # "on Sunday" in a Monday story


def test_3_july_2024_astana_meeting(timeline: list[Record]) -> None:
    (event,) = _find(timeline, date="2024-07-03", cameo="04")
    assert event["symmetric"] and event["location"]["name"] == "Astana"


def test_baykar_denial_is_negated(timeline: list[Record]) -> None:
    (event,) = _find(timeline, cameo="07", pair=("TUR", "RUS"))
    assert event["negated"]
    assert "no drones had been delivered" in event["sentence"]


def test_sanctions_pressure_and_refusal_are_not_sanctions(timeline: list[Record]) -> None:
    for event in _find(timeline, cameo="16", pair=("TUR", "RUS")):
        assert event["negated"] or event["hypothetical"], event["sentence"]
    stage = [r for r in timeline if "not reached a stage" in r["sentence"]]
    assert stage and all(r["negated"] for r in stage)


def test_teasers_produce_nothing(store: Store) -> None:
    everything = store.events(include_negated=True)
    for teaser in ("Boris Johnson", "prostitution", "Execution of a person"):
        assert not [r for r in everything if teaser in r["sentence"]]


def test_the_timeline_leaves_out_none_of_these_events_as_unlikely(store: Store) -> None:
    """The confidence model's default level keeps every event of the samples' timeline."""
    from detente.query.timeline import timeline as dyad_timeline

    line = dyad_timeline(store, "RUS", "TUR", by="year", include_negated=True)
    assert line.left_out["unlikely"] == 0
    assert line.total + line.unplaced == len(
        store.events(dyad=("RUS", "TUR"), include_negated=True)
    )
