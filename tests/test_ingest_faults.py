"""Ingest under faults: a killed worker, documents that kill or hang their worker, time limits.

Real worker processes and a real SQLite file. The faulty annotator below is swapped in for
``detente.ingest._annotator``; the pool pickles it by name, so the spawned workers import it
from this module.
"""

from __future__ import annotations

import faulthandler
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from detente import ingest as ingest_module
from detente.errors import InputError
from detente.ingest import ingest
from detente.model import Article
from detente.scale.pool import TimeLimitExceeded, run_with_time_limit
from detente.store.database import Store
from test_ingest import _table_counts, _write_articles

#: Marks a document whose annotation kills its worker with SIGKILL (as the OOM killer would).
KILLS = "Marker-kills-its-worker."
#: Marks a document whose annotation ends its worker with os._exit(3) (a crash in a library).
EXITS = "Marker-exits-its-worker."
#: Marks a document whose annotation kills its worker the first time only (a flag file tells).
DIES_ONCE = "Marker-kills-its-first-worker."
#: Marks a document whose annotation never ends.
HANGS = "Marker-hangs-its-worker."
#: Seconds after which a test counts as hung (each takes a few seconds, 25 on a loaded machine).
HANG_SECONDS = 180


def _faulty_annotator(dictionaries: Sequence[str]) -> Callable[[Article], Article]:
    """An annotator that leaves articles as they are, except the marked ones."""

    def annotate(article: Article) -> Article:
        if KILLS in article.text:
            os.kill(os.getpid(), signal.SIGKILL)
        if EXITS in article.text:
            os._exit(3)
        if DIES_ONCE in article.text:
            flag = Path(article.source + ".died")
            if not flag.exists():
                flag.touch()
                os.kill(os.getpid(), signal.SIGKILL)
        if HANGS in article.text:
            time.sleep(3600)
        return article

    return annotate


@pytest.fixture(autouse=True)
def _no_endless_test(capfd: pytest.CaptureFixture[str]) -> Iterator[None]:
    """A regression that hangs the pool ends the run, with tracebacks on the real stderr."""
    with capfd.disabled():
        stderr = os.dup(2)
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True, file=stderr)
    yield
    faulthandler.cancel_dump_traceback_later()
    os.close(stderr)


def _mark(path: Path, marker: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")


def _workers() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name.startswith("detente-worker")]


def test_a_killed_worker_is_replaced_and_its_documents_done(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # small batches, few in flight: the pool reads on while some articles are already stored
    monkeypatch.setattr(ingest_module, "BATCH_PER_TASK", 2)
    monkeypatch.setattr(ingest_module, "IN_FLIGHT_PER_WORKER", 2)
    total = 16
    _write_articles(tmp_path / "in", total)
    inputs = [str(tmp_path / "in")]
    with Store(tmp_path / "clean.db") as store:
        ingest(inputs, store=store, default_date="2024-01-01")
    killed: list[int] = []
    with Store(tmp_path / "t.db") as store:

        def kill_a_worker(done: int, sources: int, source: str) -> None:
            # called as the pool reads inputs: with some articles stored, both workers are busy
            if not killed and store.count_articles() >= 2:
                victim = _workers()[0]
                assert victim.pid is not None
                os.kill(victim.pid, signal.SIGKILL)
                killed.append(victim.pid)

        with caplog.at_level(logging.WARNING, logger="detente.scale.pool"):
            report = ingest(
                inputs,
                store=store,
                default_date="2024-01-01",
                workers=2,
                on_progress=kill_a_worker,
            )
    assert killed, "no worker was killed: the batch ended too soon"
    # mid-document as a rule ("died (SIGKILL...) in phase"), or between two documents
    (death,) = [m for m in caplog.messages if m.startswith(f"worker {killed[0]} died")]
    assert "SIGKILL, signal 9" in death
    assert (report.added, report.failed) == (total, 0)
    counts = _table_counts(tmp_path / "t.db")
    assert counts == _table_counts(tmp_path / "clean.db")
    assert counts["articles"] == counts["sources"] == total
    assert counts["events"] > 0
    assert not _workers(), "worker processes outlived the batch"


def test_a_document_that_kills_its_worker_twice_is_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "_annotator", _faulty_annotator)
    paths = _write_articles(tmp_path / "in", 10)
    _mark(paths[3], KILLS)
    _mark(paths[6], EXITS)
    _mark(paths[8], DIES_ONCE)  # tried again in a new worker, and stored
    with Store(tmp_path / "t.db") as store:
        report = ingest([str(tmp_path / "in")], store=store, workers=2)
        failures = {Path(f.source).name: f for f in store.failures()}
        stored = {Path(a.source).name for a in store.articles()}
    assert Path(f"{paths[8]}.died").exists()
    assert (report.added, report.failed) == (8, 2)
    assert [Path(f.source).name for f in report.failures] == [
        "article-0003.txt",
        "article-0006.txt",
    ]
    assert set(failures) == {"article-0003.txt", "article-0006.txt"}
    assert failures["article-0003.txt"].reason.startswith(
        "worker process died (SIGKILL, signal 9) twice while annotating this document;"
    )
    assert "died (exit status 3) twice" in failures["article-0006.txt"].reason
    assert {f.stage for f in failures.values()} == {"annotate"}
    assert stored == {p.name for p in paths} - set(failures)
    assert _table_counts(tmp_path / "t.db")["articles"] == 8


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_that_hangs_is_stopped_at_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(ingest_module, "_annotator", _faulty_annotator)
    paths = _write_articles(tmp_path / "in", 6)
    _mark(paths[2], HANGS)
    with Store(tmp_path / "t.db") as store:
        report = ingest([str(tmp_path / "in")], store=store, workers=workers, time_limit=0.5)
        (failure,) = store.failures()
    assert (report.added, report.failed) == (5, 1)
    assert failure.source.endswith("article-0002.txt")
    assert failure.stage == "annotate"
    assert failure.reason.startswith("annotation timed out: ran past the 0.5 s limit")
    killed = ", so its worker process was killed and replaced" in failure.reason
    assert killed == (workers > 1)
    assert _table_counts(tmp_path / "t.db")["articles"] == 5


def test_workers_are_recycled_without_losing_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(ingest_module, "_annotator", _faulty_annotator)
    monkeypatch.setattr(ingest_module, "TASKS_PER_WORKER", 3)
    _write_articles(tmp_path / "in", 10)
    with (
        Store(tmp_path / "t.db") as store,
        caplog.at_level(logging.DEBUG, logger="detente.scale.pool"),
    ):
        report = ingest([str(tmp_path / "in")], store=store, workers=2)
    assert (report.added, report.failed) == (10, 0)
    assert caplog.text.count("started worker") >= 4  # 10 documents, 3 per worker
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert _table_counts(tmp_path / "t.db")["articles"] == 10


def test_a_worker_that_cannot_start_fails_the_batch_like_one_process(tmp_path: Path) -> None:
    _write_articles(tmp_path / "in", 3)
    missing = str(tmp_path / "missing-actors.csv")
    messages = []
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.db") as store, pytest.raises(InputError) as caught:
            ingest([str(tmp_path / "in")], store=store, workers=workers, dictionaries=[missing])
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert "missing-actors.csv" in messages[0]
    assert not _workers()


def test_time_limit_stops_the_call_and_puts_the_timer_back() -> None:
    with pytest.raises(TimeLimitExceeded, match=r"0\.05 s"):
        run_with_time_limit(lambda: time.sleep(30), 0.05)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.default_int_handler, None)
    assert run_with_time_limit(lambda: 7, 0.05) == 7


def test_an_inner_time_limit_leaves_the_outer_one_alone() -> None:
    # the inner call finds a timer running, runs without its own, and the outer one fires
    with pytest.raises(TimeLimitExceeded) as caught:
        run_with_time_limit(lambda: run_with_time_limit(lambda: time.sleep(30), 20), 0.05)
    assert caught.value.seconds == 0.05


def test_time_limit_off_the_main_thread_is_no_limit() -> None:
    results: list[object] = []
    thread = threading.Thread(
        target=lambda: results.append(run_with_time_limit(lambda: time.sleep(0.1) or 1, 0.01))
    )
    thread.start()
    thread.join()
    assert results == [1]


def test_a_batch_that_fails_is_annotated_one_document_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_articles(tmp_path / "in", 5)
    inputs = [str(tmp_path / "in")]
    with Store(tmp_path / "clean.db") as store:
        ingest(inputs, store=store, default_date="2024-01-01")

    def broken(self: object, articles: Sequence[Article]) -> list[Article]:
        raise MemoryError("the batch is too large")

    monkeypatch.setattr(ingest_module._Annotator, "many", broken)
    with Store(tmp_path / "t.db") as store:
        report = ingest(inputs, store=store, default_date="2024-01-01")
    assert (report.added, report.failed) == (5, 0)
    counts = _table_counts(tmp_path / "t.db")
    assert counts == _table_counts(tmp_path / "clean.db")
    assert counts["events"] > 0
