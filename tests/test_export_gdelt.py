"""The GDELT 2.0 exports (event and mentions tables) of a store built by ingesting articles.

The articles are written for these tests; each sentence is there for one check: a lead
sentence (a root event), later paragraphs (not root), a negated, a hypothetical, a one-sided
and an undated event, year- and month-only dates, IGOs with CAMEO known group codes, a US city.
The tables are read back as GDELT's users read them: pandas with the codebook's column types,
and DuckDB when it is installed.
"""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import detente
from detente.annotate.geo import gazetteer
from detente.cli.app import main
from detente.coding.confidence import likely_level
from detente.errors import DetenteError
from detente.query.export import export
from detente.query.formats import GDELT_COLUMNS, GDELT_MENTION_COLUMNS, gdelt_id
from detente.store.database import Store

pd = pytest.importorskip("pandas")

LEAD = (
    "ANKARA, March 3, 2021 - Turkish President Recep Tayyip Erdogan visited Moscow on Tuesday,"
    " where he met Russian President Vladimir Putin. The two leaders discussed trade and gas"
    " prices.\n\n"
    "Later, NATO criticized Russia over its naval drills in the Black Sea. In March 2019,"
    " Russia criticized NATO over exercises in Norway.\n\n"
    "Officials in Ankara said Turkey did not send troops to Syria. Russia could impose"
    " sanctions on Ukraine next year. Last Ramadan, Iran accused Saudi Arabia of spying.\n"
)
#: "Dale Hensley" (made up) is in no table and the wire names no one country most: a side with no
#: country, so his meeting is one-sided (a title, "Governor Dale Hensley", would place him).
WIRE = {
    "text": "Dale Hensley met Mexican President Andres Manuel Lopez Obrador in Austin on"
    " Friday.\n\nSeparately, the United Nations condemned Israel in 2019. The European Union"
    " praised Kenya.",
    "published": "2021-05-14",
    "title": "Hensley meets Mexican leader",
    "url": "https://www.example.org/news/hensley",
    "outlet": "Example Wire",
}
URL = WIRE["url"]

#: The GDELT 2.0 event codebook's column types; every column not named is a string
#: (EventCode "042" must keep its zero; FeatureID holds text for countries and states).
_INTEGERS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass", "NumMentions",
    "NumSources", "NumArticles", "Actor1Geo_Type", "Actor2Geo_Type", "ActionGeo_Type",
    "DATEADDED",
)  # fmt: skip
_FLOATS = (
    "FractionDate", "GoldsteinScale", "AvgTone", "Actor1Geo_Lat", "Actor1Geo_Long",
    "Actor2Geo_Lat", "Actor2Geo_Long", "ActionGeo_Lat", "ActionGeo_Long",
)  # fmt: skip
EVENT_TYPES = {c: "int64" if c in _INTEGERS else "float64" if c in _FLOATS else "string"
               for c in GDELT_COLUMNS}  # fmt: skip
#: The GDELT 2.0 mentions codebook's column types.
MENTION_TYPES = {
    c: "float64" if c == "MentionDocTone" else "string" if c in (
        "MentionSourceName", "MentionIdentifier", "MentionDocTranslationInfo", "Extras"
    ) else "int64"
    for c in GDELT_MENTION_COLUMNS
}  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database made by ``detente ingest`` of the two articles above."""
    folder = tmp_path_factory.mktemp("gdelt")
    (folder / "in").mkdir()
    (folder / "in" / "lead.txt").write_text(LEAD, encoding="utf-8")
    (folder / "in" / "wire.jsonl").write_text(json.dumps(WIRE) + "\n", encoding="utf-8")
    path = folder / "events.db"
    with detente.open(path) as database:
        report = database.ingest([folder / "in"], date="2021-03-04")
        assert not report.failures, report.failures
    return path


def _text(db: Path, fmt: str = "gdelt", **options: Any) -> str:
    """The export of ``db``; every event, likely or not, unless ``min_confidence`` is given
    (these tests are about the layout; the likely default has its own test)."""
    options.setdefault("min_confidence", 0.0)
    out = io.StringIO()
    with Store(db, readonly=True) as store:
        export(store, what="events", fmt=fmt, stream=out, **options)
    return out.getvalue()


def _read(text: str, columns: tuple[str, ...], types: dict[str, str]) -> Any:
    """A GDELT table as pandas reads it with the codebook's types (raises on a bad value)."""
    return pd.read_csv(
        io.StringIO(text), sep="\t", header=None, names=list(columns), dtype=types,
        keep_default_na=False, na_values=[""], quoting=3,
    )  # fmt: skip


def _events(db: Path, **options: Any) -> Any:
    return _read(_text(db, **options), GDELT_COLUMNS, EVENT_TYPES)


def _records(db: Path) -> list[dict[str, Any]]:
    """Every stored event, as the JSONL export writes them."""
    return [json.loads(line) for line in _text(db, fmt="jsonl").splitlines()]


def _row(frame: Any, cameo: str, source_country: str | None = None) -> Any:
    rows = frame[frame["EventCode"] == cameo]
    if source_country is not None:
        rows = rows[rows["Actor1CountryCode"] == source_country]
    assert len(rows) == 1, f"{cameo}: {len(rows)} rows"
    return rows.iloc[0]


def _id_of(db: Path, words: str) -> int:
    """The GLOBALEVENTID of the stored event whose evidence contains ``words``."""
    (record,) = [r for r in _records(db) if words in r["sentence"]]
    return gdelt_id(record["id"])


def test_the_event_table_loads_with_the_codebook_types(db: Path) -> None:
    frame = _events(db)
    assert len(frame) >= 4
    assert all(str(t) == EVENT_TYPES[c] for c, t in frame.dtypes.items())
    assert frame["SQLDATE"].between(19000101, 21001231).all()
    assert frame["EventCode"].str.fullmatch(r"\d{3,4}").all()
    assert (frame["EventRootCode"] == frame["EventCode"].str[:2]).all()
    assert frame["ActionGeo_Type"].isin(range(6)).all()


def test_places_have_fips_country_codes(db: Path) -> None:
    visit = _row(_events(db), "042")
    assert (visit["Actor1CountryCode"], visit["Actor2CountryCode"]) == ("TUR", "RUS")  # CAMEO
    assert (visit["Actor1Geo_Type"], visit["Actor2Geo_Type"]) == (1, 1)
    assert (visit["Actor1Geo_CountryCode"], visit["Actor2Geo_CountryCode"]) == ("TU", "RS")
    assert visit["Actor1Geo_ADM1Code"] == "TU" and visit["Actor2Geo_FeatureID"] == "RS"
    assert visit["Actor1Geo_FullName"] == "Türkiye"
    assert 36 < visit["Actor1Geo_Lat"] < 42 and 26 < visit["Actor1Geo_Long"] < 45


def test_a_us_city_has_its_adm1_and_geonames_id(db: Path) -> None:
    meeting = _row(_events(db, include_one_sided=True), "044")
    austin = gazetteer().lookup("Austin", country="USA")
    assert austin is not None and austin.geonames_id
    assert meeting["ActionGeo_Type"] == 3  # a US city
    assert meeting["ActionGeo_FullName"] == "Austin, Texas, United States"
    assert (meeting["ActionGeo_CountryCode"], meeting["ActionGeo_ADM1Code"]) == ("US", "USTX")
    assert meeting["ActionGeo_FeatureID"] == str(austin.geonames_id)
    assert meeting["Actor2Geo_CountryCode"] == "MX"


def test_dateadded_is_the_fetch_time_in_14_digits(db: Path) -> None:
    with Store(db, readonly=True) as store:
        fetched = {a.fetched_at for a in store.articles()}
    expected = {
        int(datetime.fromisoformat(f).astimezone(UTC).strftime("%Y%m%d%H%M%S"))
        for f in fetched
        if f
    }
    added = _events(db)["DATEADDED"]
    assert added.astype(str).str.fullmatch(r"\d{14}").all()
    assert set(added) <= expected and expected


def test_fraction_date_is_the_year_plus_day_of_year_over_365(db: Path) -> None:
    frame = _events(db)
    for sqldate, fraction in zip(frame["SQLDATE"], frame["FractionDate"], strict=True):
        day = date(sqldate // 10000, sqldate // 100 % 100, sqldate % 100)
        assert fraction == pytest.approx(day.year + day.timetuple().tm_yday / 365, abs=5e-5)
    visit = _row(frame, "042")
    # "visited Moscow on Tuesday" under the dateline "March 3, 2021" (a Wednesday): 2 March
    assert (visit["SQLDATE"], visit["MonthYear"], visit["Year"]) == (20210302, 202103, 2021)
    assert visit["FractionDate"] == 2021.1671  # 2 March is day 61


def test_coarse_dates_stand_for_the_first_day_of_their_period(db: Path) -> None:
    frame = _events(db)
    year_only = frame[frame["GLOBALEVENTID"] == _id_of(db, "United Nations condemned")]
    month_only = frame[frame["GLOBALEVENTID"] == _id_of(db, "In March 2019")]
    assert year_only["SQLDATE"].tolist() == [20190101]
    assert year_only["FractionDate"].tolist() == [2019.0027]
    assert month_only["SQLDATE"].tolist() == [20190301]
    precision = {r["sentence"][:12]: r["date_precision"] for r in _records(db)}
    assert precision["Separately, "] == "year" and precision["In March 201"] == "month"


def test_negated_hypothetical_and_one_sided_events_only_when_asked(db: Path) -> None:
    negated = _id_of(db, "did not send troops")
    hypothetical = _id_of(db, "could impose")
    one_sided = _id_of(db, "Hensley met")
    ids = set(_events(db)["GLOBALEVENTID"])
    assert not {negated, hypothetical, one_sided} & ids
    assert {negated, hypothetical} <= set(_events(db, include_negated=True)["GLOBALEVENTID"])
    assert one_sided in set(_events(db, include_one_sided=True)["GLOBALEVENTID"])
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--what", "events",
                                       "--format", "gdelt", "--include-negated",
                                       "--min-confidence", "0"])  # fmt: skip
    assert result.exit_code == 0, result.output
    cli_ids = set(_read(result.stdout, GDELT_COLUMNS, EVENT_TYPES)["GLOBALEVENTID"])
    assert negated in cli_ids and one_sided not in cli_ids


def test_undated_events_stay_out_of_the_gdelt_tables(db: Path) -> None:
    (undated,) = [r for r in _records(db) if r["date"] is None]
    everything = _events(db, include_negated=True, include_one_sided=True)
    assert gdelt_id(undated["id"]) not in set(everything["GLOBALEVENTID"])
    assert len(everything) == len(_records(db)) - 1


def test_igos_carry_their_cameo_known_group(db: Path) -> None:
    frame = _events(db)
    nato = frame[frame["GLOBALEVENTID"] == _id_of(db, "Later, NATO")].iloc[0]
    assert (nato["Actor1Code"], nato["Actor1KnownGroupCode"]) == ("IGONAT", "NAT")
    assert nato["Actor1Type1Code"] == "IGO" and pd.isna(nato["Actor1CountryCode"])
    assert nato["Actor1Geo_Type"] == 0 and nato["Actor2Geo_CountryCode"] == "RS"
    groups = set(frame["Actor1KnownGroupCode"].dropna()) | set(frame["Actor2KnownGroupCode"])
    assert {"NAT", "UNO", "EEC"} <= groups


def test_root_events_are_in_the_lead(db: Path) -> None:
    frame = _events(db).set_index("GLOBALEVENTID")["IsRootEvent"]
    assert frame[_id_of(db, "ANKARA, March 3")] == 1  # the first sentence
    assert frame[_id_of(db, "Later, NATO")] == 0  # second paragraph
    assert frame[_id_of(db, "United Nations condemned")] == 0  # second paragraph of the wire


def test_every_mention_joins_an_event(db: Path) -> None:
    events = _events(db)
    mentions = _read(_text(db, fmt="gdelt-mentions"), GDELT_MENTION_COLUMNS, MENTION_TYPES)
    assert all(str(t) == MENTION_TYPES[c] for c, t in mentions.dtypes.items())
    joined = mentions.merge(events, on="GLOBALEVENTID", how="left", indicator=True)
    assert (joined["_merge"] == "both").all()
    counts = mentions.groupby("GLOBALEVENTID").size()
    assert counts.to_dict() == events.set_index("GLOBALEVENTID")["NumMentions"].to_dict()
    assert (joined["EventTimeDate"] == joined["DATEADDED"]).all()
    assert (mentions["SentenceID"] >= 1).all() and (mentions["Confidence"] <= 100).all()
    for column in ("Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset"):
        assert mentions[column].between(-1, mentions["MentionDocLen"] - 1).all()
    web = mentions[mentions["MentionIdentifier"] == URL]
    assert len(web) and (web["MentionType"] == 1).all()
    assert (web["MentionSourceName"] == "example.org").all()
    assert (mentions[mentions["MentionIdentifier"] != URL]["MentionType"] == 2).all()


def test_mentions_offsets_point_at_the_actors(db: Path) -> None:
    mentions = _read(_text(db, fmt="gdelt-mentions"), GDELT_MENTION_COLUMNS, MENTION_TYPES)
    nato = mentions[mentions["GLOBALEVENTID"] == _id_of(db, "Later, NATO")].iloc[0]
    start = LEAD.index("Later, NATO")
    assert LEAD[nato["Actor1CharOffset"] :].startswith("NATO")
    assert LEAD[nato["ActionCharOffset"] :].startswith("criticized")
    assert nato["SentenceID"] == 3 and nato["Actor1CharOffset"] > start


def test_duckdb_reads_and_joins_the_tables(db: Path, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    (tmp_path / "events.tsv").write_text(_text(db), encoding="utf-8")
    (tmp_path / "mentions.tsv").write_text(_text(db, fmt="gdelt-mentions"), encoding="utf-8")
    sql_types = {"int64": "BIGINT", "float64": "DOUBLE", "string": "VARCHAR"}

    def table(name: str, types: dict[str, str]) -> str:
        columns = ", ".join(f"'{c}': '{sql_types[t]}'" for c, t in types.items())
        path = tmp_path / f"{name}.tsv"
        return f"read_csv('{path}', delim='\t', header=false, quote='', columns={{{columns}}})"

    con = duckdb.connect()
    events, mentions = table("events", EVENT_TYPES), table("mentions", MENTION_TYPES)

    def value(sql: str) -> Any:
        return con.sql(sql).fetchall()[0][0]

    assert value(f"SELECT count(*) FROM {events}") == len(_events(db))
    assert value(f"SELECT count(*) FROM {mentions}") > 0
    orphans = value(
        f"SELECT count(*) FROM {mentions} m LEFT JOIN {events} e USING (GLOBALEVENTID)"
        " WHERE e.SQLDATE IS NULL"
    )
    assert orphans == 0
    dated = value(f"SELECT min(DATEADDED) FROM {events}")
    assert 10**13 <= dated < 10**14


def test_export_takes_the_filters_of_detente_events(db: Path) -> None:
    dyad = _events(db, dyad=("RUS", "TUR"))
    countries = set(dyad["Actor1CountryCode"]) | set(dyad["Actor2CountryCode"])
    assert len(dyad) and countries == {"RUS", "TUR"}
    confidence = {gdelt_id(r["id"]): r["confidence"] for r in _records(db)}
    shown = [confidence[i] for i in _events(db)["GLOBALEVENTID"]]
    for floor in [*sorted(set(shown)), max(shown) + 0.01]:
        kept = _events(db, min_confidence=floor)["GLOBALEVENTID"]
        assert len(kept) == sum(c >= floor for c in shown)
        assert all(confidence[i] >= floor for i in kept)
    assert set(_events(db, start="2021-01-01")["Year"]) == {2021}
    arguments = ["export", "--db", str(db), "--what", "events", "--format", "gdelt"]
    result = CliRunner().invoke(main, [*arguments, "--dyad", "RUS,TUR", "--min-confidence", "0.1"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == len(dyad)
    bad = CliRunner().invoke(main, ["export", "--db", str(db), "--dyad", "RUS"])
    assert bad.exit_code != 0 and "two actors" in bad.output
    with Store(db, readonly=True) as store, pytest.raises(DetenteError, match="--what events"):
        export(store, what="articles", actor="RUS", stream=io.StringIO())


def test_a_database_from_before_geonames_ids_still_exports(db: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    with sqlite3.connect(db) as source, sqlite3.connect(old) as target:
        source.backup(target)
    with sqlite3.connect(old) as conn:
        conn.execute(
            "UPDATE events SET location = json_remove(location, '$.geonames_id', '$.admin1')"
            " WHERE location IS NOT NULL"
        )
        conn.execute(
            "UPDATE event_mentions SET data = json_remove(data, '$.location.geonames_id',"
            " '$.location.admin1') WHERE json_extract(data, '$.location') IS NOT NULL"
        )
    meeting = _row(_events(old, include_one_sided=True), "044")
    assert meeting["ActionGeo_ADM1Code"] == "US" and pd.isna(meeting["ActionGeo_FeatureID"])
    assert meeting["ActionGeo_FullName"] == "Austin, United States"


def test_the_layouts_leave_out_unlikely_events_unless_asked(db: Path) -> None:
    level = likely_level()
    confidence = {gdelt_id(r["id"]): r["confidence"] for r in _records(db)}
    out = io.StringIO()
    with Store(db, readonly=True) as store:
        export(store, what="events", fmt="gdelt", stream=out)
    default = set(_read(out.getvalue(), GDELT_COLUMNS, EVENT_TYPES)["GLOBALEVENTID"])
    every = set(_events(db)["GLOBALEVENTID"])
    assert default == {i for i in every if confidence[i] >= level}
