"""Inputs as users have them: typed Parquet dates, spelled-out dates, dates in file names, a
manifest. Each bad row is a failure naming the file, the row and the field; the batch goes on."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.acquire.files import AcquireFailure, read_source
from detente.acquire.hints import FilenameDate, read_manifest
from detente.cli import main
from detente.errors import InputError
from detente.extract.dates import read_date
from detente.model import RawDocument
from detente.store.database import Store

#: Three stories of our own (long enough to pass the minimum text length), one per date.
STORIES = [
    "Georgian and Armenian officials met in Tbilisi on Tuesday to discuss a new railway link, "
    "the transport ministry said after the meeting ended late in the evening.",
    "The foreign ministers of Chile and Peru signed a fisheries accord in Lima, ending a long "
    "dispute over catch quotas along the shared maritime border.",
    "Kenyan and Ugandan negotiators agreed in Nairobi to extend the oil pipeline talks for "
    "another month, according to a statement issued by both delegations.",
]


def _docs(source: Path) -> list[RawDocument | AcquireFailure]:
    return list(read_source(str(source)))


# --- typed dates from Parquet ---------------------------------------------------------------


@pytest.mark.parametrize(
    "published",
    [
        pytest.param(["2016-01-05 23:30", "2016-01-06 08:00", None], id="timestamp-naive"),
        pytest.param(["2016-01-05 23:30", "2016-01-06 08:00", None], id="timestamp-tz"),
    ],
)
def test_parquet_timestamps_written_by_pandas(
    tmp_path: Path, published: list[str | None], request: pytest.FixtureRequest
) -> None:
    """``df.to_parquet`` with datetime64 columns: each row is the day it names, in its tz."""
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    stamps = pd.to_datetime(pd.Series(published))
    if request.node.callspec.id == "timestamp-tz":
        stamps = stamps.dt.tz_localize("America/New_York")  # 23:30 there is 04:30 UTC next day
    path = tmp_path / "news.parquet"
    pd.DataFrame({"text": STORIES, "published": stamps}).to_parquet(path)
    docs = _docs(path)
    assert [d.published for d in docs if isinstance(d, RawDocument)] == [
        "2016-01-05", "2016-01-06", None,
    ]  # fmt: skip


def test_parquet_date32_and_bad_row(tmp_path: Path) -> None:
    """A date32 column (pyarrow) is read; a string column's bad cell fails only its row."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    typed = pa.table(
        {
            "text": STORIES[:2],
            "published": pa.array([dt.date(2016, 1, 5), dt.date(2016, 2, 29)], pa.date32()),
        }
    )
    pq.write_table(typed, tmp_path / "typed.parquet")
    assert [d.published for d in _docs(tmp_path / "typed.parquet")] == [  # type: ignore[union-attr]
        "2016-01-05", "2016-02-29",
    ]  # fmt: skip
    spelled = pa.table({"text": STORIES, "published": ["Jan 5, 2016", "2016", "20160107"]})
    pq.write_table(spelled, tmp_path / "spelled.parquet")
    first, bad, third = _docs(tmp_path / "spelled.parquet")
    assert isinstance(first, RawDocument) and first.published == "2016-01-05"
    assert isinstance(third, RawDocument) and third.published == "2016-01-07"
    assert isinstance(bad, AcquireFailure) and bad.line == 2
    assert str(bad).startswith(f"{tmp_path / 'spelled.parquet'}:2: field 'published': '2016'")
    assert "a year, not a day" in bad.reason


# --- spellings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("Jan 5, 2016", "2016-01-05"),
        ("5 January 2016", "2016-01-05"),
        ("Tuesday, January 5, 2016 10:30 AM", "2016-01-05"),
        ("2016/01/05", "2016-01-05"),
        ("20160105", "2016-01-05"),
        (20160105, "2016-01-05"),
        ("13/01/2016", "2016-01-13"),  # only one reading: day first
        ("2016-01-05T23:30:00-05:00", "2016-01-05"),  # the day in its own timezone
        (dt.datetime(2016, 1, 5, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))), "2016-01-05"),
        (dt.date(2016, 1, 5), "2016-01-05"),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_read_date_spellings(value: object, day: str | None) -> None:
    found = read_date(value)
    assert (found.isoformat() if found else None) == day


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2016", "a year, not a day"),
        (2016, "a year, not a day"),
        ("January 2016", "a year or a month, not a day"),
        ("yesterday", "relative date"),
        ("3 days ago", "relative date"),
        ("05/01/2016", "day-month or month-day"),
        ("1451952000", "a number, not a date"),  # no guessing at Unix timestamps
        ("2016-02-30", "not a day of the calendar"),
        ("someday", "not a date Detente can read"),
        (True, "not a date"),
        ("1850-03-01", "outside 1990-2100"),
    ],
)
def test_read_date_refuses_what_is_not_one_day(value: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        read_date(value)


def test_jsonl_spelled_dates_and_the_failing_record(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    lines = [
        {"text": STORIES[0], "published": "Jan 5, 2016"},
        {"text": STORIES[1], "published": 20160106},
        {"text": STORIES[2], "published": "last week"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines))
    first, second, third = _docs(path)
    assert isinstance(first, RawDocument) and first.published == "2016-01-05"
    assert isinstance(second, RawDocument) and second.published == "2016-01-06"
    assert isinstance(third, AcquireFailure) and third.line == 3
    assert third.reason.startswith("field 'published': 'last week' is a relative date")


# --- dates in file names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "day"),
    [
        ("auto", "news/story-2016-01-05.html", "2016-01-05"),
        ("auto", "news/20160105_wire.txt", "2016-01-05"),
        ("auto", "news/2016_01_05.txt", "2016-01-05"),
        ("auto", "news/story-1234567890.txt", None),  # digits run on: not a date
        ("auto", "2016-01-05/story.txt", None),  # auto reads the name, not the folders
        ("reuters_%d%m%Y", "wire/reuters_05012016.txt", "2016-01-05"),
        ("%d %b %Y", "wire/5 Jan 2016.txt", "2016-01-05"),
        ("%Y/%m/%d/", "site/2016/01/05/story.html", "2016-01-05"),
        (r"(?P<day>\d\d)-(?P<month>\d\d)-(?P<year>\d{4})", "a/05-01-2016.txt", "2016-01-05"),
        (r"^(?P<date>\w+ \d+, \d{4})", "Jan 5, 2016 story.txt", "2016-01-05"),
    ],
)
def test_filename_patterns(pattern: str, path: str, day: str | None) -> None:
    hints = FilenameDate.compile(pattern).hints(path)
    assert hints == ({"published": day, "published_source": "filename"} if day else {})


def test_filename_date_that_is_no_date_fails_that_file() -> None:
    found = FilenameDate.compile("auto").hints("news/2016-02-30-story.txt")
    assert isinstance(found, AcquireFailure) and found.source == "news/2016-02-30-story.txt"
    assert "the date in the file name (auto) is wrong" in found.reason


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("%Y-%m", "needs a year"),
        ("%Y-%q-%d", "%q is not supported"),
        (r"(?P<year>\d{4})", "names the groups"),
        ("(?P<date>[", "not a valid regex"),
        ("plain words", "is not a pattern"),
    ],
)
def test_bad_filename_patterns(pattern: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        FilenameDate.compile(pattern)


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _published(db: Path) -> dict[str, tuple[str | None, str | None]]:
    """Source file name -> (published, published_source) of the stored articles."""
    with Store(db, readonly=True) as store:
        return {Path(a.source).name: (a.published, a.published_source) for a in store.articles()}


def test_cli_date_from_filename_one_command(tmp_path: Path) -> None:
    """A folder of files dated by name is one command; a record's own date still wins."""
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "2016-01-05-tbilisi.txt").write_text(STORIES[0])
    (folder / "20160106-lima.txt").write_text(STORIES[1])
    (folder / "2016-01-07.jsonl").write_text(
        json.dumps({"text": STORIES[2], "published": "2016-02-01"})
    )
    db = tmp_path / "d.db"
    code, _, err = _run(
        "ingest", str(folder), "--db", str(db), "--no-annotate", "--workers", "1",
        "--date-from-filename", "auto",
    )  # fmt: skip
    assert code == 0, err
    assert _published(db) == {
        "2016-01-05-tbilisi.txt": ("2016-01-05", "filename"),
        "20160106-lima.txt": ("2016-01-06", "filename"),
        "2016-01-07.jsonl:1": ("2016-02-01", "record"),
    }


def test_cli_date_from_filename_takes_a_pattern_not_a_folder(tmp_path: Path) -> None:
    code, _, err = _run("ingest", "--date-from-filename", str(tmp_path), "--db", "x.db")
    assert code == 1 and "write --date-from-filename auto" in err


# --- a manifest ------------------------------------------------------------------------------


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "folder"
    folder.mkdir()
    for name, text in zip(("a.txt", "b.txt", "c.txt"), STORIES, strict=True):
        (folder / name).write_text(text)
    return folder


def test_manifest_csv_rows_and_bad_rows(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    manifest = folder / "manifest.csv"
    manifest.write_text(
        "path,date,outlet,url\n"
        'a.txt,"Jan 5, 2016",Caucasus Wire,https://example.org/a\n'
        "missing.txt,2016-01-06,,\n"
        "b.txt,yesterday,,\n"
        "c.txt,,Andes Daily,\n"
    )
    db = tmp_path / "m.db"
    code, _, err = _run("ingest", "--manifest", str(manifest), "--db", str(db), "--no-annotate")
    assert code == 1  # rows failed
    assert f"{manifest}:3: field 'path': no such file" in err
    assert f"{manifest}:4: field 'date': 'yesterday' is a relative date" in err
    with Store(db, readonly=True) as store:
        stored = {Path(a.source).name: a for a in store.articles()}
        failures = {(Path(f.source).name, f.line) for f in store.failures()}
    assert sorted(stored) == ["a.txt", "c.txt"]
    a = stored["a.txt"]
    assert (a.published, a.published_source, a.outlet, a.url) == (
        "2016-01-05", "manifest", "Caucasus Wire", "https://example.org/a",
    )  # fmt: skip
    assert (stored["c.txt"].published, stored["c.txt"].outlet) == (None, "Andes Daily")
    assert failures == {("manifest.csv", 3), ("manifest.csv", 4)}


def test_manifest_jsonl_and_its_errors(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    manifest = folder / "files.jsonl"
    manifest.write_text(
        json.dumps({"path": "a.txt", "date": 20160105}) + "\n"
        "[1, 2]\n"
        + json.dumps({"path": str(folder / "b.txt"), "date": "2016/01/06"})
        + "\n"
        + json.dumps({"path": "c.txt", "outlet": 7})
        + "\n"
    )
    read = read_manifest(manifest)
    assert [Path(s).name for s in read.sources] == ["a.txt", "b.txt"]
    assert read.hints(str(folder / "a.txt"))["published"] == "2016-01-05"
    assert read.hints(str(folder / "b.txt"))["published"] == "2016-01-06"
    assert [(f.line, f.reason) for f in read.failures] == [
        (2, "expected a JSON object, got list"),
        (4, "field 'outlet' must be text, got int"),
    ]
    header = tmp_path / "nopath.csv"
    header.write_text("file,date\na.txt,2016-01-05\n")
    with pytest.raises(InputError, match="no 'path' column"):
        read_manifest(header)


def test_manifest_date_wins_over_the_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "2016-01-05.txt").write_text(STORIES[0])
    (folder / "list.csv").write_text("path,date\n2016-01-05.txt,2016-03-01\n")
    db = tmp_path / "w.db"
    code, _, err = _run(
        "ingest", "--manifest", str(folder / "list.csv"), "--date-from-filename", "auto",
        "--db", str(db), "--no-annotate",
    )  # fmt: skip
    assert code == 0, err
    assert _published(db) == {"2016-01-05.txt": ("2016-03-01", "manifest")}
