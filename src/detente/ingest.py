"""Ingestion: inputs in, stored articles out, one document at a time.

Each document is acquired, extracted and stored in its own transaction, so a crash or a kill
mid-batch loses at most the document in hand, and a re-run skips what is stored (by the hash
of the raw document) and completes the batch. A bad document is recorded in the ``failures``
table with the reason, and the batch goes on.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from detente.acquire import AcquireFailure, FetchFn, expand_inputs, is_url, read_source
from detente.errors import DetenteError
from detente.extract import extract_document
from detente.model import Article, RawDocument
from detente.store import Store

log = logging.getLogger(__name__)

#: Called after each source with (sources done, sources in all, the source just done).
ProgressFn = Callable[[int, int, str], None]


@dataclass(slots=True)
class IngestReport:
    """What one batch did: counts, the new article ids and the failures."""

    documents: int = 0
    added: int = 0
    existing: int = 0
    near_duplicates: int = 0
    failures: list[AcquireFailure] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """Number of documents (or sources) that could not be ingested."""
        return len(self.failures)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready summary."""
        return {
            "documents": self.documents,
            "added": self.added,
            "existing": self.existing,
            "near_duplicates": self.near_duplicates,
            "failed": self.failed,
            "failures": [
                {"source": f.source, "line": f.line, "reason": f.reason} for f in self.failures
            ],
            "article_ids": self.article_ids,
        }


def _fetcher(stack: ExitStack, *, allow_private: bool) -> FetchFn:
    from detente.fetch import Fetcher

    fetcher = stack.enter_context(Fetcher(allow_private=allow_private))

    def fetch(url: str) -> tuple[str, bytes, str | None, str]:
        result = fetcher.get(url)
        return result.final_url, result.content, result.content_type, result.fetched_at

    return fetch


def _annotator(dictionaries: Sequence[str]) -> Callable[[Article], Article]:
    """A function that annotates one article with one shared actor resolver."""
    from detente.actors import ActorResolver
    from detente.annotate import annotate

    resolver = ActorResolver(dictionaries=dictionaries)
    return functools.partial(annotate, resolver=resolver)


def iter_documents(
    inputs: Sequence[str],
    *,
    allow_private: bool = False,
    stdin: BinaryIO | None = None,
    on_progress: ProgressFn | None = None,
) -> Iterator[RawDocument | AcquireFailure]:
    """Raw documents (or failures) from inputs, source by source."""
    sources, failures = expand_inputs(inputs)
    yield from failures
    with ExitStack() as stack:
        fetch = _fetcher(stack, allow_private=allow_private) if any(map(is_url, sources)) else None
        for done, source in enumerate(sources, start=1):
            yield from read_source(source, fetch=fetch, stdin=stdin)
            if on_progress is not None:
                on_progress(done, len(sources), source)


def iter_articles(
    inputs: Sequence[str],
    *,
    default_date: str | None = None,
    outlet: str | None = None,
    allow_private: bool = False,
    stdin: BinaryIO | None = None,
    skip: Callable[[RawDocument], bool] | None = None,
    on_progress: ProgressFn | None = None,
) -> Iterator[Article | AcquireFailure | RawDocument]:
    """Articles (or failures) from inputs; a document ``skip`` accepts is yielded raw."""
    for item in iter_documents(
        inputs, allow_private=allow_private, stdin=stdin, on_progress=on_progress
    ):
        if isinstance(item, AcquireFailure) or (skip is not None and skip(item)):
            yield item
        else:
            yield process_document(item, default_date=default_date, outlet=outlet)


def _failure(doc: RawDocument, reason: str) -> AcquireFailure:
    """A failure for a document, with a JSONL record's line number split off its source."""
    line = None
    source = doc.source
    if ":" in source and source.rsplit(":", 1)[1].isdigit():
        source, number = source.rsplit(":", 1)
        line = int(number)
    return AcquireFailure(source, reason.removeprefix(f"{doc.source}: "), line)


def process_document(
    doc: RawDocument,
    *,
    default_date: str | None = None,
    outlet: str | None = None,
    annotator: Callable[[Article], Article] | None = None,
) -> Article | AcquireFailure:
    """Extract (and annotate) one document; never raises for a bad document."""
    try:
        article = extract_document(doc, default_date=default_date, outlet=outlet)
    except DetenteError as err:
        return _failure(doc, str(err))
    except Exception as err:  # a bug or a library crash on one page must not stop the batch
        log.exception("unexpected error extracting %s", doc.source)
        return _failure(doc, f"unexpected {type(err).__name__}: {err}")
    if annotator is None:
        return article
    try:
        return annotator(article)
    except Exception as err:  # as above: record it, go on with the batch
        log.exception("annotation failed for %s", doc.source)
        return _failure(doc, f"annotation failed: {type(err).__name__}: {err}")


# --- worker processes -------------------------------------------------------------------------
#: Documents a worker handles before it is replaced (keeps memory flat if spaCy grows).
TASKS_PER_WORKER = 1000
#: Documents in flight per worker: enough to keep workers busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 4

#: Seconds between a worker's checks that its parent is still alive.
PARENT_CHECK_SECONDS = 1.0

_worker_state: dict[str, Any] = {}


def _init_worker(default_date: str | None, outlet: str | None, annotate: bool,
                 dictionaries: Sequence[str]) -> None:  # fmt: skip
    """Load the pipeline once per worker process, with math threads capped at one."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    _exit_with_parent()
    _worker_state.update(
        default_date=default_date,
        outlet=outlet,
        annotator=_annotator(dictionaries) if annotate else None,
    )


def _exit_with_parent() -> None:
    """End this worker when its parent dies (a kill -9 of ``ingest`` must not leave orphans)."""
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="detente-parent-watch", daemon=True).start()


def _work(doc: RawDocument) -> Article | AcquireFailure:
    """Process one document in a worker (plain records in and out, never spaCy objects)."""
    return process_document(
        doc,
        default_date=_worker_state["default_date"],
        outlet=_worker_state["outlet"],
        annotator=_worker_state["annotator"],
    )


def _processed(
    docs: Iterable[RawDocument | AcquireFailure | tuple[str, RawDocument]],
    *,
    workers: int,
    default_date: str | None,
    outlet: str | None,
    annotate: bool,
    dictionaries: Sequence[str],
) -> Iterator[Article | AcquireFailure | tuple[str, RawDocument]]:
    """Documents processed in order, in this process or in a pool of worker processes."""
    if workers <= 1:
        annotator = _annotator(dictionaries) if annotate else None
        for item in docs:
            if isinstance(item, RawDocument):
                yield process_document(
                    item, default_date=default_date, outlet=outlet, annotator=annotator
                )
            else:
                yield item
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    window: deque[Future[Article | AcquireFailure] | AcquireFailure | tuple[str, RawDocument]]
    window = deque()
    context = multiprocessing.get_context("spawn")  # no forked copies of open SQLite handles
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(default_date, outlet, annotate, tuple(dictionaries)),
        max_tasks_per_child=TASKS_PER_WORKER,
    ) as pool:
        for item in docs:
            if isinstance(item, RawDocument):
                window.append(pool.submit(_work, item))
            else:
                window.append(item)
            while len(window) > workers * IN_FLIGHT_PER_WORKER:
                yield _result(window.popleft())
        while window:
            yield _result(window.popleft())


def _result(
    entry: Future[Article | AcquireFailure] | AcquireFailure | tuple[str, RawDocument],
) -> Article | AcquireFailure | tuple[str, RawDocument]:
    if isinstance(entry, Future):
        result: Article | AcquireFailure = entry.result()
        return result
    return entry


def default_workers() -> int:
    """Worker processes by default: one per core."""
    return max(1, os.cpu_count() or 1)


def ingest(
    inputs: Sequence[str],
    *,
    store: Store,
    default_date: str | None = None,
    outlet: str | None = None,
    allow_private: bool = False,
    annotate: bool = True,
    dictionaries: Sequence[str] = (),
    workers: int = 1,
    stdin: BinaryIO | None = None,
    on_progress: ProgressFn | None = None,
) -> IngestReport:
    """Read, clean, annotate and store every document of the inputs; record what fails.

    With ``workers`` > 1, extraction and annotation run in that many worker processes (each
    loads the spaCy pipeline once); this process stays the only writer of the database.
    """
    report = IngestReport()

    def marked(item: RawDocument | AcquireFailure) -> Any:
        # documents whose raw bytes are already stored skip the pipeline (a re-run is cheap)
        stored = isinstance(item, RawDocument) and item.content_hash is not None
        if stored and store.has_source(item.content_hash):  # type: ignore[union-attr, arg-type]
            return ("stored", item)
        return item

    documents = (
        marked(item)
        for item in iter_documents(
            inputs, allow_private=allow_private, stdin=stdin, on_progress=on_progress
        )
    )
    for item in _processed(
        documents,
        workers=workers,
        default_date=default_date,
        outlet=outlet,
        annotate=annotate,
        dictionaries=dictionaries,
    ):
        if isinstance(item, AcquireFailure):
            report.failures.append(item)
            log.warning("%s", item)
            stage = "annotate" if item.reason.startswith("annotation failed") else "ingest"
            store.record_failure(item.source, item.reason, line=item.line, stage=stage)
            continue
        report.documents += 1
        if isinstance(item, tuple):
            report.existing += 1
            continue
        outcome = store.add_article(item)
        if outcome == "exists":
            report.existing += 1
            continue
        report.added += 1
        report.article_ids.append(item.id)
        if outcome == "near_duplicate":
            report.near_duplicates += 1
    return report
