"""The command line, run as a user would (through click's runner, one real subprocess)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.cli.app import main
from detente.store.database import Store

UNDATED = {
    "2020-12-14-caatsa-sanctions-ssb.html": "2020-12-14",
    "2022-07-22-black-sea-grain-deal.txt": "2022-07-22",
    "2024-01-03-prisoner-exchange.txt": "2024-01-03",
}


def _run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    """The demo database, built the way `make demo` builds it."""
    db = tmp_path_factory.mktemp("demo") / "detente.db"
    code, _, err = _run(
        "ingest", str(examples_dir / "html"), str(examples_dir / "text"),
        str(examples_dir / "news.jsonl"), "--db", str(db),
    )  # fmt: skip
    assert code == 0, err
    for name, day in UNDATED.items():
        code, _, err = _run("ingest", str(examples_dir / "undated" / name), "--date", day,
                            "--db", str(db))  # fmt: skip
        assert code == 0, err
    return db


def test_demo_articles_all_stored_with_dates(demo_db: Path) -> None:
    code, out, _ = _run("articles", "--db", str(demo_db), "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 14
    assert all(r["published"] and r["title"] and r["word_count"] > 150 for r in rows)
    assert [r["published"] for r in rows] == sorted((r["published"] for r in rows), reverse=True)
    dates = {r["source"].rsplit("/", 1)[-1]: r["published"] for r in rows}
    for name, day in UNDATED.items():
        assert dates[name] == day


def test_ingest_again_adds_nothing(demo_db: Path, examples_dir: Path) -> None:
    inputs = [str(examples_dir / d) for d in ("html", "text", "undated", "news.jsonl")]
    code, out, _ = _run("ingest", *inputs, "--db", str(demo_db), "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["added"] == 0 and report["existing"] == 14


def test_table_output_for_people(demo_db: Path) -> None:
    code, out, _ = _run("articles", "--db", str(demo_db), "--search", "Karlov AND Altıntaş")
    assert code == 0
    assert "1 articles" in out and "Bosphorus Ledger" in out and "2016-12-19" in out


def test_filters(demo_db: Path) -> None:
    _, out, _ = _run("articles", "--db", str(demo_db), "--from", "2023-01-01", "--to",
                     "2023-12-31", "--format", "jsonl")  # fmt: skip
    assert sorted(json.loads(line)["published"] for line in out.splitlines()) == [
        "2023-05-29", "2023-11-16",
    ]  # fmt: skip
    _, out, _ = _run("articles", "--db", str(demo_db), "--outlet", "Caspian Wire", "--format",
                     "csv")  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["published"] for r in rows] == ["2015-11-28"]


def test_show_by_prefix_with_removed_lines(demo_db: Path) -> None:
    _, out, _ = _run("articles", "--db", str(demo_db), "--search", "Isfahan", "--format", "json")
    (row,) = json.loads(out)
    code, out, _ = _run("show", row["id"][:8], "--db", str(demo_db))
    assert code == 0
    assert row["id"] in out and "Explosions were heard near" in out
    assert "removed" in out and "Related article:" in out
    code, out, _ = _run("show", row["id"], "--db", str(demo_db), "--format", "json")
    data = json.loads(out)
    assert data["published"] == "2024-04-19" and data["published_source"] == "dateline"
    assert any("PREV" in line or "Related article" in line for line in data["removed"])


def test_show_unknown_id(demo_db: Path) -> None:
    code, _, err = _run("show", "ffffffffff", "--db", str(demo_db))
    assert code == 1 and "no article with id 'ffffffffff'" in err


def test_show_event_lists_every_merged_mention_with_its_sentence(demo_db: Path) -> None:
    _, out, _ = _run("events", "--db", str(demo_db), "--format", "json")
    merged = max(json.loads(out), key=lambda r: r["num_mentions"])
    assert merged["num_mentions"] >= 2
    code, out, _ = _run("show-event", merged["id"], "--db", str(demo_db), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["id"] == merged["id"] and len(data["mentions"]) == merged["num_mentions"]
    for mention in data["mentions"]:
        assert mention["sentence"] and mention["article_id"] and mention["event"]["cameo"]
    code, text, _ = _run("show-event", merged["id"], "--db", str(demo_db))
    assert code == 0 and f"{merged['num_mentions']} mentions" in text
    assert data["mentions"][0]["sentence"].split()[0] in text
    code, _, err = _run("show-event", "ffffffffff", "--db", str(demo_db))
    assert code == 1 and "no event with id 'ffffffffff'" in err


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export(demo_db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"articles.{fmt}"
    code, _, err = _run("export", "--what", "articles", "--format", fmt, "--out", str(out),
                        "--db", str(demo_db))  # fmt: skip
    assert code == 0 and "14 articles" in err
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text().splitlines()]
    elif fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(out).to_pylist()
    assert len(rows) == 14
    assert {"id", "text", "published", "outlet", "removed", "content_hash"} <= set(rows[0])


def test_export_to_stdout(demo_db: Path) -> None:
    code, out, _ = _run("export", "--db", str(demo_db))
    assert code == 0 and len(out.splitlines()) == 14


def test_extract_without_storing(examples_dir: Path, tmp_path: Path) -> None:
    page = examples_dir / "html" / "2015-11-28-russia-sanctions-turkey.html"
    code, out, _ = _run("extract", str(page), "--format", "json")
    record = json.loads(out)
    assert code == 0
    assert record["source"] == str(page)
    assert record["published"] == "2015-11-28" and record["outlet"] == "Caspian Wire"
    assert "Cookies" not in record["text"] and record["language"] == "en"
    assert set(record) >= {"source", "text", "title", "outlet", "url", "published", "language",
                           "removed"}  # fmt: skip
    assert not list(tmp_path.iterdir())


def test_extract_stdin_and_jsonl(examples_dir: Path) -> None:
    code, out, _ = _run("extract", str(examples_dir / "news.jsonl"))
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["published"] for r in records] == [
        "2022-08-05", "2023-05-29", "2024-07-03", "2015-11-24",
    ]  # fmt: skip
    text = (examples_dir / "text" / "2024-04-19-israel-iran-strikes.txt").read_text()
    code, out, _ = _run("extract", "-", "--format", "text", input=text)
    assert code == 0 and "Isfahan" in out and "Accepter" not in out


def test_bad_date_option() -> None:
    code, _, err = _run("ingest", "x.txt", "--date", "5 August")
    assert code == 2 and "--date" in err and "write it as YYYY-MM-DD" in err


def test_missing_database(tmp_path: Path) -> None:
    code, _, err = _run("articles", "--db", str(tmp_path / "nope.db"))
    assert code == 1 and "detente ingest" in err


def test_failures_give_exit_status_1_and_are_listed(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    (tmp_path / "empty.txt").write_text("")
    code, _, err = _run("ingest", str(tmp_path / "empty.txt"), "--db", str(db))
    assert code == 1 and "empty.txt: the file is empty" in err
    code, out, _ = _run("failures", "--db", str(db), "--format", "json")
    assert code == 0 and json.loads(out)[0]["reason"] == "the file is empty"


def test_console_script_runs() -> None:
    done = subprocess.run([sys.executable, "-m", "detente", "--help"], capture_output=True,
                          text=True, check=True)  # fmt: skip
    for command in ("ingest", "extract", "articles", "show", "export", "failures", "eval", "bench"):
        assert command in done.stdout


@pytest.mark.parametrize("what", ["articles", "quotes", "actors", "amounts", "events"])
def test_parquet_exports_are_typed_even_when_empty(
    demo_db: Path, tmp_path: Path, what: str
) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    empty_db = tmp_path / "empty.db"
    Store(empty_db).close()
    tables = {}
    for name, db in (("demo", demo_db), ("empty", empty_db)):
        out = tmp_path / f"{name}.parquet"
        code, _, err = _run("export", "--what", what, "--format", "parquet", "--out", str(out),
                            "--db", str(db))  # fmt: skip
        assert code == 0, err
        tables[name] = pq.read_table(out)
    assert tables["demo"].num_rows > 0 and tables["empty"].num_rows == 0
    assert tables["demo"].schema == tables["empty"].schema
    types = {field.name: field.type for field in tables["empty"].schema}
    numeric = {"word_count", "start", "value", "goldstein", "mentions", "quad_class"} & set(types)
    assert numeric, "every export has a numeric column"
    assert all(pa.types.is_integer(types[c]) or pa.types.is_floating(types[c]) for c in numeric)
