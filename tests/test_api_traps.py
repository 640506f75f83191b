"""The Python API without traps: what a user can get wrong raises a DetenteError naming the
argument (never a silently short result), one naming for date filters, ingest of records and
DataFrames with workers, progress and a time limit, ``to_arrow()`` beside ``to_pandas()``."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import detente
from test_inputs import STORIES


@pytest.fixture
def db(tmp_path: Path) -> Iterator[detente.Database]:
    """A database of three stories stored from records (no annotation: fast)."""
    with detente.open(tmp_path / "traps.db") as database:
        records = [
            {"text": text, "published": day, "url": f"https://example.org/{n}"}
            for n, (text, day) in enumerate(
                zip(STORIES, ["2016-01-05", "Jan 6, 2016", 20160107], strict=True)
            )
        ]
        report = database.ingest(records, annotate=False)
        assert (report.added, report.failed) == (3, 0)
        yield database


@pytest.mark.parametrize("spelling", ["2016-01-06", "2016/01/06", "Jan 6, 2016", "20160106"])
def test_date_spellings_select_the_same_articles(db: detente.Database, spelling: str) -> None:
    """``start="2016/01/06"`` selects what ``2016-01-06`` does (it used to return fewer)."""
    assert sorted(a.published for a in db.articles(start=spelling)) == [  # type: ignore[type-var]
        "2016-01-06", "2016-01-07",
    ]  # fmt: skip
    assert [a.published for a in db.articles(end=spelling, start=spelling)] == ["2016-01-06"]


@pytest.mark.parametrize(
    ("call", "argument", "reason"),
    [
        (lambda db: db.articles(start="yesterday"), "start", "relative date"),
        (lambda db: db.articles(end="January 2016"), "end", "a year or a month, not a day"),
        (lambda db: db.articles(end="2016-13"), "end", "not a day"),
        (lambda db: db.events(start="yesterday"), "start", "relative date"),
        (lambda db: db.events(end="2016-02-30"), "end", "not a day of the calendar"),
        (lambda db: db.events(start="05/06/2016"), "start", "day-month or month-day"),
        (lambda db: db.timeline("RUS", "TUR", start="last month"), "start", "relative date"),
        (lambda db: db.events(dyad="RUS"), "dyad", "give two actors"),
        (lambda db: db.events(dyad=("RUS", "TUR", "IRN")), "dyad", "give two actors"),
        (lambda db: db.events(min_confidence="high"), "min_confidence", "must be a number"),
        (lambda db: db.events(min_confidence=2), "min_confidence", "out of range"),
        (lambda db: db.events(actor=840), "actor", "must be text"),
        (lambda db: db.articles(start="2016-02-01", end="2016-01-01"), "start", "swap them"),
        (lambda db: db.article(3), "article_id", "must be text"),
        (lambda db: db.actors(country=792), "country", "must be text"),
        (lambda db: db.quotes(speaker=1), "speaker", "must be text"),
        (lambda db: db.timeline(643, "TUR"), "a=", "must be text"),
        (lambda db: db.export("events", "csv", "out.csv", start="tomorrow"), "start", "relative"),
        (lambda db: db.ingest(STORIES[0], date="soon"), "date", "not a date"),
        (lambda db: db.ingest([], workers=0), "workers", "1 or more"),
        (lambda db: db.ingest([], time_limit=-1), "time_limit", "out of range"),
        (lambda db: db.ingest([], progress="bar"), "progress", "must be a function"),
    ],
)
def test_what_cannot_be_read_is_an_error_naming_the_argument(
    db: detente.Database, call: object, argument: str, reason: str
) -> None:
    with pytest.raises(detente.DetenteError, match=reason) as raised:
        call(db)  # type: ignore[operator]
    assert argument in str(raised.value)


def test_a_year_or_a_month_is_the_whole_period(db: detente.Database) -> None:
    assert len(db.articles(start="2016", end="2016")) == 3
    assert len(db.articles(start="2016-01", end="2016-01")) == 3
    assert db.articles(start="2016-02") == [] and db.articles(end="2015-12") == []


def test_since_and_until_are_deprecated_aliases(db: detente.Database) -> None:
    with pytest.warns(DeprecationWarning, match=r"since= is deprecated; use start="):
        old = db.articles(since="2016-01-06")
    with pytest.warns(DeprecationWarning, match=r"until= is deprecated; use end="):
        older = db.articles(until="2016-01-05")
    assert [a.id for a in old] == [a.id for a in db.articles(start="2016-01-06")]
    assert [a.published for a in older] == ["2016-01-05"]
    with pytest.raises(detente.DetenteError, match="not both"):
        db.articles(start="2016-01-05", since="2016-01-05")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new names warn about nothing
        db.articles(start="2016-01-05", end="2016-01-07")


def test_write_errors_are_detente_errors(db: detente.Database, tmp_path: Path) -> None:
    """Exporting into a folder that does not exist names the folder (not FileNotFoundError)."""
    for what, fmt, name in [("articles", "jsonl", "a.jsonl"), ("events", "parquet", "e.parquet")]:
        out = tmp_path / "no" / "such" / name
        with pytest.raises(detente.DetenteError, match=r"the folder .*no/such.* does not exist"):
            db.export(what, fmt, out)
    folder = tmp_path / "taken"
    folder.mkdir()
    with pytest.raises(detente.DetenteError, match="cannot write it"):
        db.export("articles", "jsonl", folder)  # a folder where the file should go


def test_ingest_a_dataframe_with_progress(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "text": STORIES,
            "published": pd.to_datetime(["2016-01-05 22:00", None, "2016-01-07 06:00"]),
            "title": ["Railway talks", None, "Pipeline talks"],
        }
    )
    seen: list[tuple[int, int, str]] = []
    with detente.open(tmp_path / "frame.db") as db:
        report = db.ingest(frame, annotate=False, progress=lambda *a: seen.append(a), time_limit=30)
        assert (report.added, report.failed) == (3, 0)
        stored = {a.source: (a.title, a.published) for a in db.articles()}
    assert seen == [(1, 3, "<records>"), (2, 3, "<records>"), (3, 3, "<records>")]
    assert stored["<records>:1"] == ("Railway talks", "2016-01-05")
    assert stored["<records>:2"][1] is None  # NaT: no date (not the string 'NaT', no failure)
    assert stored["<records>:3"] == ("Pipeline talks", "2016-01-07")


def test_ingest_records_failures_name_the_record(tmp_path: Path) -> None:
    with detente.open(tmp_path / "r.db") as db:
        report = db.ingest(
            iter([{"text": STORIES[0], "published": "Jan 2016"}, {"text": STORIES[1]}]),
            annotate=False,
        )
        assert (report.added, report.failed) == (1, 1)
        (failure,) = db.failures()
    assert (failure["source"], failure["line"]) == ("<records>", 1)
    assert failure["reason"].startswith("field 'published': 'Jan 2016' names a year or a month")


def test_ingest_refuses_mixed_or_odd_inputs(tmp_path: Path) -> None:
    with detente.open(tmp_path / "m.db") as db:
        with pytest.raises(detente.DetenteError, match="one kind per call"):
            db.ingest([{"text": STORIES[0]}, "file.txt"])
        with pytest.raises(detente.DetenteError, match=r"a list of records, not one dict"):
            db.ingest({"text": STORIES[0]})  # type: ignore[arg-type]
        with pytest.raises(detente.DetenteError, match="not int"):
            db.ingest(3)  # type: ignore[arg-type]
        assert db.articles() == []  # nothing was stored before the error


def test_ingest_with_two_workers_and_filename_dates(tmp_path: Path) -> None:
    """``workers``, ``date_from_filename`` and ``manifest`` do what the CLI options do."""
    folder = tmp_path / "in"
    folder.mkdir()
    for day, text in zip(["2016-01-05", "2016-01-06"], STORIES, strict=False):
        (folder / f"{day}-story.txt").write_text(text)
    (folder / "list.csv").write_text("path,date,outlet\nthird.txt,2016-01-09,Rift Post\n")
    (folder / "third.txt").write_text(STORIES[2])
    with detente.open(tmp_path / "w.db") as db:
        report = db.ingest(
            [folder / "2016-01-05-story.txt", folder / "2016-01-06-story.txt"],
            date_from_filename="auto", manifest=folder / "list.csv", workers=2, annotate=False,
        )  # fmt: skip
        assert (report.added, report.failed) == (3, 0)
        got = {Path(a.source).name: (a.published, a.published_source) for a in db.articles()}
    assert got == {
        "2016-01-05-story.txt": ("2016-01-05", "filename"),
        "2016-01-06-story.txt": ("2016-01-06", "filename"),
        "third.txt": ("2016-01-09", "manifest"),
    }


def test_article_frames_keep_source_and_to_arrow(db: detente.Database) -> None:
    pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    frame = db.articles().to_pandas()
    assert sorted(frame["source"]) == ["<records>:1", "<records>:2", "<records>:3"]
    table = db.articles().to_arrow()
    assert isinstance(table, pa.Table) and table.num_rows == 3
    assert table.column_names == list(frame.columns)
    assert table.schema.field("word_count").type == pa.int64()
    assert table.schema.field("removed").type == pa.list_(pa.string())
    events = db.events().to_arrow()  # empty, with every column typed
    assert events.num_rows == 0 and events.schema.field("goldstein").type == pa.float64()
    assert db.failures().to_arrow().schema.field("line").type == pa.int64()


def test_to_arrow_without_pyarrow(db: detente.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(detente.DetenteError, match=r"pip install 'detente\[parquet\]'"):
        db.articles().to_arrow()
