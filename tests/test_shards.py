"""Parquet shards: planning, resuming, loading, and equality with a local ingest."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente import settings
from detente.cli.app import main
from detente.errors import InputError
from detente.ingest import ingest
from detente.scale.shards import DONE, RUNNING, TABLES, Options, load, plan, run_local
from detente.store.database import Store
from shard_checks import DEMO_INPUTS, snapshot

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> dict[str, object]:
    """The demo articles ingested the ordinary way, in one process."""
    db = tmp_path_factory.mktemp("reference") / "local.db"
    with Store(db) as store:
        report = ingest([str(examples_dir / i) for i in DEMO_INPUTS], store=store)
    assert report.failed == 0 and report.added >= 10
    return snapshot(db)


def _inputs(examples_dir: Path) -> list[str]:
    return [str(examples_dir / i) for i in DEMO_INPUTS]


def test_plan_groups_small_files_and_keeps_containers_apart(examples_dir: Path) -> None:
    shards, failures = plan(_inputs(examples_dir), Options(), shard_size=2)
    assert not failures
    containers = [s for s in shards if s.sources[0].endswith(".jsonl")]
    assert containers and all(len(s.sources) == 1 for s in containers)
    small = [s for s in shards if s not in containers]
    assert all(1 <= len(s.sources) <= 2 for s in small)
    flat = [(src, s.start) for s in shards for src in s.sources]
    assert len(flat) == len(set(flat))  # every file (or record range) in exactly one shard
    assert len({s.key for s in shards}) == len(shards)


def test_keys_follow_contents_and_options(tmp_path: Path, examples_dir: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(examples_dir / "html", folder)
    first, _ = plan([str(folder)], Options(), shard_size=100)
    again, _ = plan([str(folder)], Options(), shard_size=100)
    assert [s.key for s in first] == [s.key for s in again]
    other_date, _ = plan([str(folder)], Options(default_date="2020-01-01"), shard_size=100)
    assert other_date[0].key != first[0].key
    page = sorted(folder.glob("*.html"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    edited, _ = plan([str(folder)], Options(), shard_size=100)
    assert edited[0].key != first[0].key


def test_urls_and_stdin_cannot_be_sharded() -> None:
    for item in ("https://example.org/a", "-"):
        with pytest.raises(InputError, match="files and folders only"):
            plan([item], Options())


def test_local_shards_loaded_equal_a_local_ingest(
    tmp_path: Path, examples_dir: Path, reference: dict[str, object]
) -> None:
    out = tmp_path / "shards"
    report = run_local(_inputs(examples_dir), out, Options(), shard_size=3)
    assert report.failed == 0 and report.shards >= 3 and report.done_before == 0
    for table in TABLES:
        assert len(list((out / table).glob("*.parquet"))) == report.shards
    with Store(tmp_path / "loaded.db") as store:
        loaded = load(out, store)
    assert loaded.shards == report.shards and loaded.added == report.articles
    assert snapshot(tmp_path / "loaded.db") == reference
    with Store(tmp_path / "loaded.db") as store:
        again = load(out, store)
    assert again.added == 0 and again.existing == report.articles
    assert snapshot(tmp_path / "loaded.db") == reference


def test_a_killed_run_resumes_with_the_unfinished_shards_only(
    tmp_path: Path, examples_dir: Path, reference: dict[str, object]
) -> None:
    out = tmp_path / "shards"
    first = run_local(_inputs(examples_dir), out, Options(), shard_size=3)
    # a shard killed before its marker: files may exist (even half-written), no marker
    markers = sorted((out / DONE).glob("*.json"))
    victim = markers[1].stem
    markers[1].unlink()
    (out / "events" / f"{victim}.parquet").write_bytes(b"PAR1 half written")
    with Store(tmp_path / "partial.db") as store:
        partial = load(out, store)
    assert partial.shards == first.shards - 1 and partial.incomplete == 1
    second = run_local(_inputs(examples_dir), out, Options(), shard_size=3)
    assert second.done_before == first.shards - 1
    assert second.documents > 0 and second.documents < first.documents
    with Store(tmp_path / "partial.db") as store:
        load(out, store)
    assert snapshot(tmp_path / "partial.db") == reference


def test_tables_are_typed_and_point_back_to_their_sentence(
    tmp_path: Path, examples_dir: Path
) -> None:
    out = tmp_path / "shards"
    run_local(_inputs(examples_dir), out, Options(), shard_size=50)
    events = pa.concat_tables(pq.read_table(p) for p in sorted((out / "events").glob("*.parquet")))
    assert events.num_rows > 0
    assert events.schema.field("goldstein").type == pa.float64()
    assert events.schema.field("negated").type == pa.bool_()
    articles = {
        row["id"]: row["text"]
        for p in (out / "articles").glob("*.parquet")
        for row in pq.read_table(p, columns=["id", "text"]).to_pylist()
    }
    for row in events.to_pylist():
        text = articles[row["article_id"]]
        assert row["sentence"] == text[row["sentence_start"] : row["sentence_end"]]
        assert row["sentence"]  # never empty evidence
    # without annotation the event tables are empty but keep their types
    bare = tmp_path / "bare"
    run_local([str(examples_dir / "html")], bare, Options(annotate=False))
    empty = pq.read_table(next((bare / "events").glob("*.parquet")))
    assert empty.num_rows == 0 and empty.schema.field("latitude").type == pa.float64()


def test_bad_documents_are_recorded_in_the_shard_and_loaded(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "Turkey and Russia signed a trade agreement in Ankara on Monday, officials said. " * 3,
        encoding="utf-8",
    )
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "broken.jsonl").write_text('{"text": "fine text here"\nnot json\n', encoding="utf-8")
    report = run_local([str(folder)], tmp_path / "out", Options(annotate=False))
    reasons = sorted(f.reason for f in report.failures)
    assert len(reasons) >= 2 and any("empty" in r for r in reasons)
    with Store(tmp_path / "db.sqlite") as store:
        loaded = load(tmp_path / "out", store)
        assert loaded.added == 1 and loaded.failures == report.failed
        assert {f.source for f in store.failures()} >= {str(folder / "empty.txt")}


def test_parquet_inputs_are_read_row_by_row(tmp_path: Path) -> None:
    body = "Iran and Iraq agreed on Sunday to reopen a border crossing closed since March. " * 3
    table = pa.table(
        {
            "text": [body, body.replace("Sunday", "Monday"), ""],
            "url": ["https://news.example/a", "https://news.example/b", None],
            "published": ["2024-03-01", "2024-03-02", None],
        }
    )
    pq.write_table(table, tmp_path / "docs.parquet")
    pq.write_table(pa.table({"body": ["x"]}), tmp_path / "wrong.parquet")
    with Store(tmp_path / "db.sqlite") as store:
        report = ingest([str(tmp_path)], store=store, annotate=False)
        stored = sorted((a.url, a.published) for a in store.articles())
    assert stored == [
        ("https://news.example/a", "2024-03-01"),
        ("https://news.example/b", "2024-03-02"),
    ]
    reasons = {(f.source.rsplit("/", 1)[-1], f.line): f.reason for f in report.failures}
    assert reasons[("docs.parquet", 3)].startswith("record has no 'text' or 'html'")
    assert "needs a 'text' or 'html' column" in reasons[("wrong.parquet", None)]


def test_cli_ingest_out_then_load(tmp_path: Path, examples_dir: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "shards"
    result = runner.invoke(
        main, ["ingest", str(examples_dir / "html"), "--out", str(out), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["articles"] >= 3 and report["failed"] == 0
    rerun = runner.invoke(main, ["ingest", str(examples_dir / "html"), "--out", str(out)])
    assert rerun.exit_code == 0 and "done before" in rerun.output
    db = tmp_path / "db.sqlite"
    loaded = runner.invoke(main, ["load", str(out), "--db", str(db), "--format", "json"])
    assert loaded.exit_code == 0, loaded.output
    assert json.loads(loaded.output)["added"] == report["articles"]
    listed = runner.invoke(main, ["articles", "--db", str(db), "--format", "json"])
    assert len(json.loads(listed.output)) == report["articles"]


def test_cli_errors_say_what_to_do(tmp_path: Path, examples_dir: Path) -> None:
    runner = CliRunner()
    no_out = runner.invoke(main, ["ingest", str(examples_dir / "html"), "--engine", "ray"])
    assert no_out.exit_code == 2 and "--out" in no_out.output
    address = runner.invoke(main, ["ingest", str(examples_dir / "html"), "--address", "auto"])
    assert address.exit_code == 2 and "--engine ray" in address.output
    db = str(tmp_path / "x.db")
    missing = runner.invoke(main, ["load", str(tmp_path / "nowhere"), "--db", db])
    assert missing.exit_code == 1 and "no such folder" in missing.output
    # shards written but none finished: nothing to load yet, and it says so
    (tmp_path / "started" / "articles").mkdir(parents=True)
    (tmp_path / "started" / "articles" / "abc.parquet").write_bytes(b"PAR1")
    with Store(tmp_path / "started.db") as store:
        started = load(tmp_path / "started", store)
    assert (started.shards, started.incomplete, started.added) == (0, 1, 0)
    (tmp_path / "empty").mkdir()
    empty = runner.invoke(main, ["load", str(tmp_path / "empty"), "--db", db])
    assert empty.exit_code == 1 and "holds no shards" in empty.output


def test_big_jsonl_and_parquet_files_are_cut_into_record_ranges(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    countries = ["Turkey", "Russia", "Iran", "Greece", "Egypt", "Qatar", "Japan"]
    records = [
        {"text": f"{a} and {b} signed a fisheries accord in Rome on day {i}, officials said. " * 3,
         "published": f"2021-05-{i + 1:02d}"}
        for i, (a, b) in enumerate(zip(countries, countries[1:] + countries[:1], strict=True))
    ]  # fmt: skip
    lines = [json.dumps(r) for r in records]
    lines.insert(4, "{not json")  # a bad record in the middle keeps its place and line number
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pq.write_table(pa.table({"text": [r["text"].replace("Rome", "Oslo") for r in records]}),
                   folder / "more.parquet")  # fmt: skip
    shards, _ = plan([str(folder)], Options(annotate=False), shard_size=3)
    ranges = sorted((Path(s.sources[0]).name, s.start, s.stop) for s in shards)
    assert ranges == [
        ("more.parquet", 0, 3), ("more.parquet", 3, 6), ("more.parquet", 6, None),
        ("news.jsonl", 0, 3), ("news.jsonl", 3, 6), ("news.jsonl", 6, None),
    ]  # fmt: skip
    report = run_local([str(folder)], tmp_path / "out", Options(annotate=False), shard_size=3)
    assert report.articles == 14 and [(f.line, f.source) for f in report.failures] == [
        (5, str(folder / "news.jsonl"))
    ]
    with Store(tmp_path / "local.db") as store:
        ingest([str(folder)], store=store, annotate=False)
    with Store(tmp_path / "loaded.db") as store:
        load(tmp_path / "out", store)
    assert snapshot(tmp_path / "loaded.db") == snapshot(tmp_path / "local.db")


def _write_talks(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"talks-{i}.txt").write_text(
            f"Round {i}: Armenia and Azerbaijan held border talks in Tbilisi on Monday. " * 3,
            encoding="utf-8",
        )


def test_a_document_that_killed_its_worker_twice_is_recorded_and_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _write_talks(folder, 4)
    options = Options(annotate=False)
    (shard,), _ = plan([str(folder)], options)
    running = tmp_path / "out" / RUNNING / f"{shard.key}.json"
    running.parent.mkdir(parents=True)
    # the state a worker leaves when it dies holding document 2 (for the second time), after
    # document 0 had already cost it one death: the retry skips 2 and tries 0 again
    running.write_text(json.dumps({"index": 2, "deaths": {"0": 1, "2": 1}}), encoding="utf-8")
    report = run_local([str(folder)], tmp_path / "out", options)
    assert report.articles == 3
    (failure,) = report.failures
    assert failure.source == shard.sources[2] and "died 2 times" in failure.reason
    assert not running.exists()  # a finished shard leaves no progress file
    with Store(tmp_path / "db.sqlite") as store:
        load(tmp_path / "out", store)
        (recorded,) = store.failures()
        assert recorded.stage == "annotate" and recorded.source == shard.sources[2]


def test_the_ray_watchdog_ends_a_worker_stuck_on_one_document() -> None:
    from detente.scale.ray_engine import document_limit, watch

    class Processor:
        current: tuple[str, int, float] | None = None

    processor = Processor()
    ended: list[int] = []
    watch(processor, 5.0, end=ended.append, every=0.001, rounds=20)  # type: ignore[arg-type]
    assert not ended  # nothing in hand
    processor.current = ("k", 3, time.monotonic())
    watch(processor, 5.0, end=ended.append, every=0.001, rounds=20)  # type: ignore[arg-type]
    assert not ended  # in hand, within its limit
    processor.current = ("k", 3, time.monotonic() - 6.0)
    watch(processor, 5.0, end=ended.append, every=0.001, rounds=20)  # type: ignore[arg-type]
    assert ended == [3]
    assert document_limit(0) is None and document_limit(60) == 60 + settings.EXTRACT_TIME_LIMIT
