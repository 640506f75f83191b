"""Ingestion end to end: idempotence, bad input, URLs on 127.0.0.1, and kill -9 mid-batch."""

from __future__ import annotations

import http.server
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from detente.ingest import ingest
from detente.store.database import Store

PARAGRAPH = (
    "Delegations from {a} and {b} met in Geneva on Tuesday for a {n}th round of talks on "
    "prisoner exchanges, and both sides said the discussions had been constructive."
)
COUNTRIES = ["Turkey", "Russia", "Ukraine", "Iran", "Sweden", "Finland", "Israel", "Egypt"]
# coded as events (accuse, and a ceasefire violation), so annotated runs store events too
EVENT = "The government of {a} accused {b} of violating the ceasefire on Monday."


def _write_articles(folder: Path, count: int) -> list[Path]:
    """``count`` distinct talks articles, each with events, as .txt files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        a, b = COUNTRIES[i % 8], COUNTRIES[(i * 3 + 1) % 8]
        body = "\n\n".join(
            PARAGRAPH.format(a=a, b=b, n=i * 10 + k) + f" Reference {i}-{k}." for k in range(4)
        )
        path = folder / f"article-{i:04d}.txt"
        path.write_text(f"Talks round {i}\n\n{body}\n\n{EVENT.format(a=a, b=b)}\n", "utf-8")
        paths.append(path)
    return paths


def test_ingest_is_idempotent(tmp_path: Path) -> None:
    _write_articles(tmp_path / "in", 5)
    db = tmp_path / "t.db"
    with Store(db) as store:
        first = ingest([str(tmp_path / "in")], store=store, default_date="2024-07-03")
        second = ingest([str(tmp_path / "in")], store=store, default_date="2024-07-03")
        assert (first.added, first.failed) == (5, 0)
        assert (second.added, second.existing) == (0, 5)
        assert store.count_articles() == 5
        stored = store.articles()
    assert {a.published for a in stored} == {"2024-07-03"}
    assert {a.published_source for a in stored} == {"option"}
    assert all(a.content_hash and a.fetched_at and a.source.endswith(".txt") for a in stored)


def test_bad_inputs_are_recorded_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = _write_articles(tmp_path / "in", 2)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (bad / "empty.html").write_bytes(b"")
    (bad / "latin1.txt").write_bytes(
        ("Les délégations se sont réunies à Genève mardi pour un nouveau cycle de "
         "négociations sur les échanges de prisonniers, et les deux parties ont "
         "qualifié les discussions de constructives.").encode("latin-1")
    )  # fmt: skip
    (bad / "truncated.html").write_text(
        "<html><body><article><p>" + PARAGRAPH.format(a="Iran", b="Egypt", n=1) + "<p>Then"
    )
    (bad / "dump.jsonl").write_text(
        '{"text": "too short"}\n{oops\n'
        + json.dumps({"text": PARAGRAPH.format(a="Israel", b="Iran", n=7)})
        + "\n"
    )
    db = tmp_path / "t.db"
    with Store(db) as store:
        report = ingest([*map(str, good), str(bad), str(tmp_path / "missing.txt")], store=store)
        failures = store.failures()
        titles = {a.source: a for a in store.articles()}
    reasons = {(f.source.rsplit("/", 1)[-1], f.line): f.reason for f in failures}
    assert report.added == 5  # 2 good files, latin-1 text, truncated HTML, one JSONL record
    assert "binary data" in reasons[("binary.txt", None)]
    assert reasons[("empty.html", None)] == "the file is empty"
    assert "no article text" in reasons[("dump.jsonl", 1)]
    assert "not a JSON object" in reasons[("dump.jsonl", 2)]
    assert "no such file" in reasons[("missing.txt", None)]
    assert report.failed == len(failures) == 5
    latin = next(a for s, a in titles.items() if s.endswith("latin1.txt"))
    assert "délégations" in latin.text and latin.language == "fr"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/2022/08/05/sochi-talks")
            self.end_headers()
            return
        if self.path.startswith("/2022/08/05/sochi-talks"):
            body = (
                "<html><head><title>Sochi talks</title></head><body><article><h1>Sochi talks"
                "</h1><p>"
                + PARAGRAPH.format(a="Russia", b="Turkey", n=3)
                + "</p><p>"
                + PARAGRAPH.format(a="Russia", b="Turkey", n=4)
                + "</p></article></body></html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_error(404)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_urls_on_loopback_need_allow_private(tmp_path: Path, server: str) -> None:
    with Store(tmp_path / "t.db") as store:
        refused = ingest([f"{server}/moved"], store=store)
        assert refused.added == 0 and "allow-private" in refused.failures[0].reason
        report = ingest([f"{server}/moved", f"{server}/gone"], store=store, allow_private=True)
        (article,) = store.articles()
    assert report.added == 1
    assert "404" in report.failures[0].reason
    assert article.url == f"{server}/2022/08/05/sochi-talks"
    assert article.source == f"{server}/moved"
    assert article.published == "2022-08-05"
    assert article.outlet is not None and article.outlet.startswith("127.0.0.1")


def _run_cli(*args: str, **kwargs: object) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "detente", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        **kwargs,
    )


def _children(pid: int) -> list[int]:
    """Child process ids of ``pid`` (Linux /proc), e.g. the ingest worker processes."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(p) for p in task.read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _table_counts(db: Path) -> dict[str, int]:
    """Rows per table that ingest writes, after checking the file is sound and ids unique."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        distinct = conn.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0]
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "sources", "mentions", "events", "event_mentions")
        }
    assert distinct == counts["articles"]
    return counts


def _spawned(pid: int) -> list[int]:
    """The multiprocessing workers among the children of ``pid`` (not its resource tracker)."""
    found = []
    for child in _children(pid):
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except OSError:
            pass
    return found


#: Articles of the kill -9 test: enough that a kill after 60 stored lands well before the end.
KILL_TOTAL = 120


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """Rows that one uninterrupted ingest of the kill -9 test's articles stores."""
    folder = tmp_path_factory.mktemp("clean")
    _write_articles(folder / "in", KILL_TOTAL)
    with Store(folder / "t.db") as store:
        ingest([str(folder / "in")], store=store, default_date="2024-01-01")
    return _table_counts(folder / "t.db")


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [0, 5, 60])  # 0: as soon as the workers are started
def test_kill_9_mid_batch_then_rerun(
    tmp_path: Path, kill_after: int, clean_run: dict[str, int]
) -> None:
    total = KILL_TOTAL
    _write_articles(tmp_path / "in", total)
    db = tmp_path / "t.db"
    args = ("ingest", str(tmp_path / "in"), "--db", str(db), "--date", "2024-01-01")
    proc = _run_cli(*args)  # annotates (events too) with one worker per core
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if _count(db) >= kill_after and (kill_after or _spawned(proc.pid)):
            break
        time.sleep(0.005)
    workers = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    at_kill = _count(db)
    gone_by = time.monotonic() + 15
    while any(_alive(pid) for pid in workers) and time.monotonic() < gone_by:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "worker processes outlived the kill"
    assert kill_after <= at_kill < total, "the batch ended before the kill; add more articles"
    rerun = _run_cli(*args, "--format", "json")
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    report = json.loads(out)
    assert (report["added"], report["existing"], report["failed"]) == (
        total - at_kill,
        at_kill,
        0,
    )
    counts = _table_counts(db)
    assert counts == clean_run  # every article and event once, as a clean run stores them
    assert counts["articles"] == total and counts["events"] > 0


@pytest.mark.slow
def test_two_workers_store_what_one_process_stores(tmp_path: Path, examples_dir: Path) -> None:
    inputs = [str(examples_dir / "html"), str(examples_dir / "news.jsonl")]
    stored = {}
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.db") as store:
            report = ingest(inputs, store=store, workers=workers)
            assert report.failed == 0 and report.added == 8
            articles = [store.get_article(a.id) for a in store.articles()]
            stored[workers] = [
                (a.id, [m.actor.code for m in a.mentions], [(e.cameo, e.date) for e in a.events])
                for a in articles
                if a is not None
            ]
            events = [(e["id"], e["num_mentions"]) for e in store.events(include_negated=True)]
            stored[workers].append(events)  # type: ignore[arg-type]
    assert stored[1] == stored[2]


def test_documents_go_in_batches_of_consecutive_raw_documents_in_order() -> None:
    from detente.acquire.files import AcquireFailure
    from detente.ingest import _batches
    from detente.model import RawDocument

    docs = [RawDocument(source=f"d{i}", content=b"x") for i in range(5)]
    failure = AcquireFailure("missing.html", "no such file")
    stored = ("stored", docs[4])
    items = [docs[0], failure, docs[1], docs[2], docs[3], stored, docs[4]]
    assert list(_batches(items, 2)) == [
        (docs[0],),
        failure,
        (docs[1], docs[2]),
        (docs[3],),
        stored,
        (docs[4],),
    ]
