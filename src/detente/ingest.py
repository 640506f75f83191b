"""Ingestion: inputs in, stored articles out, each in its own transaction.

Documents are extracted and annotated a few at a time (``BATCH_PER_TASK``: spaCy parses them in
one ``nlp.pipe`` batch) and each is stored in its own transaction, so a crash or a kill
mid-batch loses at most the documents in hand, and a re-run skips what is stored (by the hash
of the raw document) and completes the batch. A bad document is recorded in the ``failures``
table with the reason, and the batch goes on.

Annotation has a time limit per document (``time_limit``, default
``settings.ANNOTATE_TIME_LIMIT``; a batch has that limit per article, and one that runs past it
is annotated again one document at a time). With ``workers`` > 1 the batches go to a
:class:`~detente.scale.pool.WorkerPool`: a worker that dies is replaced and its documents are tried
again (a batch's documents one by one), a document that brings a worker down twice or runs past
the limit (its worker is killed) is recorded as failed, and this process stays the only writer
of the database.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence, Sized
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from typing import Any, BinaryIO, cast

from detente import settings
from detente.acquire.files import (
    RECORDS_SOURCE,
    AcquireFailure,
    FetchFn,
    expand_inputs,
    is_url,
    read_records,
    read_source,
)
from detente.acquire.hints import HintsFn
from detente.errors import DetenteError
from detente.extract.document import extract_document
from detente.extract.language import not_annotated_reason
from detente.model import Article, RawDocument
from detente.scale.pool import (
    Lost,
    PhaseFn,
    TimeLimitExceeded,
    WorkerPool,
    exit_description,
    run_with_time_limit,
)
from detente.store.database import Store

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
    not_annotated: int = 0  # stored, but in a language the annotator does not read
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
            "not_annotated": self.not_annotated,
            "failed": self.failed,
            "failures": [
                {"source": f.source, "line": f.line, "reason": f.reason} for f in self.failures
            ],
            "article_ids": self.article_ids,
        }


def _fetcher(stack: ExitStack, *, allow_private: bool) -> FetchFn:
    from detente.acquire.fetch import Fetcher

    fetcher = stack.enter_context(Fetcher(allow_private=allow_private))

    def fetch(url: str) -> tuple[str, bytes, str | None, str]:
        result = fetcher.get(url)
        return result.final_url, result.content, result.content_type, result.fetched_at

    return fetch


class _Annotator:
    """Annotates one article (a call) or a batch of them (``many``) with one actor resolver."""

    def __init__(self, dictionaries: Sequence[str]) -> None:
        from detente.annotate.actors import ActorResolver

        self.resolver = ActorResolver(dictionaries=dictionaries)

    def __call__(self, article: Article) -> Article:
        from detente.annotate.pipeline import annotate

        return annotate(article, resolver=self.resolver)

    def many(self, articles: Sequence[Article]) -> list[Article]:
        """Annotate articles in place, parsed together (``nlp.pipe``: one batch, ~4% less CPU).

        The parses, hence the annotations, are the same as one article at a time (checked on
        the 181 zyte pages, every token's tag, head, dependency, lemma and entity).
        """
        from detente.annotate.nlp import load_pipeline
        from detente.annotate.pipeline import annotate_doc, clear_annotations

        readable = []
        for article in articles:
            reason = not_annotated_reason(article.text)
            if reason is None:
                readable.append(article)
            else:
                log.info("%s not annotated: %s", article.source, reason)
                clear_annotations(article)
        texts = [a.text for a in readable]
        docs = load_pipeline().pipe(texts, batch_size=max(1, len(texts)))
        for article, doc in zip(readable, docs, strict=True):
            annotate_doc(article, doc, resolver=self.resolver)
        return list(articles)


def _annotator(dictionaries: Sequence[str]) -> Callable[[Article], Article]:
    """A function that annotates one article with one shared actor resolver."""
    return _Annotator(dictionaries)


def iter_documents(
    inputs: Sequence[str],
    *,
    allow_private: bool = False,
    stdin: BinaryIO | None = None,
    on_progress: ProgressFn | None = None,
    hints: HintsFn | None = None,
    records: Iterable[Mapping[str, Any]] = (),
) -> Iterator[RawDocument | AcquireFailure]:
    """Raw documents (or failures) from inputs, source by source, then from ``records``.

    ``hints`` gives a source's date, outlet or URL (a file name's date, a manifest row); a
    record's own fields win over them.
    """
    sources, failures = expand_inputs(inputs)
    yield from failures
    total = len(sources) + (len(records) if isinstance(records, Sized) else 0)
    with ExitStack() as stack:
        fetch = _fetcher(stack, allow_private=allow_private) if any(map(is_url, sources)) else None
        for done, source in enumerate(sources, start=1):
            given = hints(source) if hints is not None else {}
            if isinstance(given, AcquireFailure):
                yield given
            else:
                yield from read_source(source, fetch=fetch, stdin=stdin, hints=given)
            if on_progress is not None:
                on_progress(done, total, source)
    for done, item in enumerate(read_records(records), start=len(sources) + 1):
        yield item
        if on_progress is not None:
            on_progress(done, max(total, done), RECORDS_SOURCE)


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


def _timeout_reason(stage: str, limit: float | None, *, killed: bool) -> str:
    """Why a document was stopped (no elapsed time in it: a re-run records the same reason)."""
    worker = ", so its worker process was killed and replaced" if killed else ""
    if stage == "annotation":
        advice = (
            "the text may be unusually long or hit a slow path: ingest it alone to check, leave "
            "it out or raise the limit (ingest time_limit, settings.ANNOTATE_TIME_LIMIT)"
        )
    else:
        advice = "the page is pathological: leave it out or raise settings.EXTRACT_TIME_LIMIT"
    return f"{stage} timed out: ran past the {limit or 0:g} s limit{worker}; {advice}"


def _lost_reason(lost: Lost) -> str:
    """Why the worker pool gave up on a document."""
    if lost.cause == "timed out":
        stage = "annotation" if lost.phase == "annotate" else "extraction"
        return _timeout_reason(stage, lost.limit, killed=True)
    doing = "annotating" if lost.phase == "annotate" else "extracting"
    return (
        f"worker process died ({exit_description(lost.exitcode)}) twice while {doing} this "
        "document; it may exhaust memory or crash a library: ingest it alone with --workers 1 "
        "to see the error, or leave it out"
    )


def _stage(failure: AcquireFailure | Lost) -> str:
    """The stage a failure is recorded under."""
    if isinstance(failure, Lost):
        return "annotate" if failure.phase == "annotate" else "ingest"
    return "annotate" if failure.reason.startswith("annotation ") else "ingest"


def process_document(
    doc: RawDocument,
    *,
    default_date: str | None = None,
    outlet: str | None = None,
    annotator: Callable[[Article], Article] | None = None,
    time_limit: float | None = None,
) -> Article | AcquireFailure:
    """Extract (and annotate, within ``time_limit`` seconds) one document; never raises for it.

    The time limit needs the main thread (a POSIX timer); elsewhere annotation is not bounded.
    """
    try:
        article = extract_document(doc, default_date=default_date, outlet=outlet)
    except DetenteError as err:
        return _failure(doc, str(err))
    except Exception as err:  # a bug or a library crash on one page must not stop the batch
        log.exception("unexpected error extracting %s", doc.source)
        return _failure(doc, f"unexpected {type(err).__name__}: {err}")
    if annotator is None:
        return article
    return _annotated(doc, article, annotator, time_limit)


def _annotated(
    doc: RawDocument,
    article: Article,
    annotator: Callable[[Article], Article],
    time_limit: float | None,
) -> Article | AcquireFailure:
    """The article annotated, or the failure recorded for its document; never raises."""
    try:
        return run_with_time_limit(functools.partial(annotator, article), time_limit)
    except TimeLimitExceeded:
        log.warning("annotation of %s ran past %g s", doc.source, time_limit or 0)
        return _failure(doc, _timeout_reason("annotation", time_limit, killed=False))
    except Exception as err:  # as above: record it, go on with the batch
        log.exception("annotation failed for %s", doc.source)
        return _failure(doc, f"annotation failed: {type(err).__name__}: {err}")


# --- worker processes -------------------------------------------------------------------------
#: Documents a worker handles before it is replaced (keeps memory flat if spaCy grows).
TASKS_PER_WORKER = 1000
#: Documents sent to a worker together: its spaCy parses them in one ``nlp.pipe`` batch. On 40
#: zyte texts, warm, a batch of 8 took 131-135 ms of CPU per article, one at a time 137-140
#: (~4%); a larger batch leaves one worker idle longer at the end of a run and holds more
#: memory. Re-run ``detente bench pipeline`` after a change; a batch that fails is split.
BATCH_PER_TASK = 4
#: Batches in flight per worker (one in hand, one queued, more waiting in order): enough that a
#: slow batch at the head of the line does not leave the other workers idle.
IN_FLIGHT_PER_WORKER = 4
#: A worker still extracting after this many times settings.EXTRACT_TIME_LIMIT is killed: the
#: extraction's own timer stops it first, unless it is stuck where that timer can't reach.
EXTRACT_KILL_FACTOR = 2.0

_worker_state: dict[str, Any] = {}


#: Makes an annotator from actor dictionaries (``_annotator``; tests pass a faulty one).
AnnotatorFactory = Callable[[Sequence[str]], Callable[[Article], Article]]


def _init_worker(
    default_date: str | None,
    outlet: str | None,
    annotator_factory: AnnotatorFactory | None,
    dictionaries: Sequence[str],
) -> None:
    """Load the pipeline once per worker process."""
    _worker_state.update(
        default_date=default_date,
        outlet=outlet,
        annotator=annotator_factory(dictionaries) if annotator_factory is not None else None,
    )


def _work(docs: tuple[RawDocument, ...], phase: PhaseFn) -> list[Article | AcquireFailure]:
    """Process a batch of documents in a worker (plain records in and out, never spaCy objects).

    The worker's time limits are the parent's (it kills a worker that runs past them).
    """
    return _process_batch(
        docs,
        default_date=_worker_state["default_date"],
        outlet=_worker_state["outlet"],
        annotator=_worker_state["annotator"],
        time_limit=None,
        phase=phase,
    )


def _process_batch(
    docs: Sequence[RawDocument],
    *,
    default_date: str | None,
    outlet: str | None,
    annotator: Callable[[Article], Article] | None,
    time_limit: float | None,
    phase: PhaseFn | None = None,
) -> list[Article | AcquireFailure]:
    """Extract every document, then annotate the articles together; never raises for one.

    When the batch's annotation fails or runs past ``time_limit`` per article, the articles are
    annotated one by one (each within ``time_limit``), so each failure is its own document's.
    """
    results = [process_document(d, default_date=default_date, outlet=outlet) for d in docs]
    if annotator is None:
        return results
    if phase is not None:
        phase("annotate")
    articles = [r for r in results if isinstance(r, Article)]
    if len(articles) > 1 and isinstance(annotator, _Annotator):
        limit = time_limit * len(articles) if time_limit else None
        try:
            run_with_time_limit(functools.partial(annotator.many, articles), limit)
            return results
        except Exception:  # TimeLimitExceeded among them: find the article at fault
            log.warning("batch annotation failed; annotating its %d one by one", len(articles))
    return [
        _annotated(doc, r, annotator, time_limit) if isinstance(r, Article) else r
        for doc, r in zip(docs, results, strict=True)
    ]


def _batches(
    items: Iterable[Any], size: int
) -> Iterator[tuple[RawDocument, ...] | AcquireFailure | tuple[str, RawDocument]]:
    """Runs of up to ``size`` consecutive raw documents as tuples; other items as they are."""
    batch: list[RawDocument] = []
    for item in items:
        if isinstance(item, RawDocument):
            batch.append(item)
            if len(batch) < size:
                continue
        if batch:
            yield tuple(batch)
            batch = []
        if not isinstance(item, RawDocument):
            yield item
    if batch:
        yield tuple(batch)


def _is_batch(item: object) -> bool:
    return isinstance(item, tuple) and bool(item) and isinstance(item[0], RawDocument)


def _parts(batch: tuple[RawDocument, ...]) -> list[tuple[RawDocument, ...]]:
    """A batch's documents, each as a batch of one (the pool tries them alone)."""
    return [(doc,) for doc in batch]


def _flat(
    results: Iterable[Any],
) -> Iterator[Article | AcquireFailure | Lost | tuple[str, RawDocument]]:
    """Per-document results from the pool's per-batch ones (a split batch: per part)."""
    for result in results:
        if isinstance(result, Lost):
            (doc,) = result.task  # only a batch of one is lost: larger ones are split
            yield dataclasses.replace(result, task=doc)
        elif isinstance(result, list):
            yield from _flat(result)
        else:
            yield result


def _processed(
    docs: Iterable[RawDocument | AcquireFailure | tuple[str, RawDocument]],
    *,
    workers: int,
    default_date: str | None,
    outlet: str | None,
    annotate: bool,
    dictionaries: Sequence[str],
    time_limit: float | None,
) -> Generator[Article | AcquireFailure | Lost | tuple[str, RawDocument], None, None]:
    """Documents processed in order, in this process or in a pool of worker processes."""
    factory = _annotator if annotate else None  # looked up per call: tests swap in a faulty one
    # a recycled worker's last batch fits its share (tests recycle after a few documents)
    size = max(1, min(BATCH_PER_TASK, TASKS_PER_WORKER))
    if workers <= 1:
        annotator = factory(dictionaries) if factory is not None else None
        for item in _batches(docs, size):
            if _is_batch(item):
                yield from _process_batch(
                    cast(tuple[RawDocument, ...], item),
                    default_date=default_date,
                    outlet=outlet,
                    annotator=annotator,
                    time_limit=time_limit,
                )
            else:
                yield cast(AcquireFailure | tuple[str, RawDocument], item)
        return
    pool = WorkerPool(
        workers,
        initializer=_init_worker,
        initargs=(default_date, outlet, factory, tuple(dictionaries)),
        work=_work,
        first_phase="extract",
        limits={
            "extract": settings.EXTRACT_TIME_LIMIT * EXTRACT_KILL_FACTOR,
            "annotate": time_limit,
        },
        tasks_per_worker=TASKS_PER_WORKER,
        window=workers * IN_FLIGHT_PER_WORKER,
        split=lambda task: _parts(task) if _is_batch(task) else [],
    )
    # the pool hands back a list of results per batch and everything else as it came
    yield from _flat(pool.imap(_batches(docs, size), is_task=_is_batch))


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
    time_limit: float | None = None,
    hints: HintsFn | None = None,
    records: Iterable[Mapping[str, Any]] = (),
) -> IngestReport:
    """Read, clean, annotate and store every document of the inputs; record what fails.

    With ``workers`` > 1, extraction and annotation run in that many worker processes (each
    loads the spaCy pipeline once); this process stays the only writer of the database.
    ``time_limit`` bounds each document's annotation in seconds (None: the default,
    settings.ANNOTATE_TIME_LIMIT; 0: no limit). ``hints`` and ``records`` are those of
    :func:`iter_documents`.
    """
    report = IngestReport()
    limit = settings.ANNOTATE_TIME_LIMIT if time_limit is None else time_limit

    def marked(item: RawDocument | AcquireFailure) -> Any:
        # documents whose raw bytes are already stored skip the pipeline (a re-run is cheap)
        stored = isinstance(item, RawDocument) and item.content_hash is not None
        if stored and store.has_source(item.content_hash):  # type: ignore[union-attr, arg-type]
            return ("stored", item)
        return item

    documents = (
        marked(item)
        for item in iter_documents(
            inputs,
            allow_private=allow_private,
            stdin=stdin,
            on_progress=on_progress,
            hints=hints,
            records=records,
        )
    )
    processed = _processed(
        documents,
        workers=workers,
        default_date=default_date,
        outlet=outlet,
        annotate=annotate,
        dictionaries=dictionaries,
        time_limit=limit if limit > 0 else None,
    )
    with closing(processed):  # an error here stops the worker processes at once
        for item in processed:
            _store_one(item, store, report)
    return report


def _store_one(
    item: Article | AcquireFailure | Lost | tuple[str, RawDocument],
    store: Store,
    report: IngestReport,
) -> None:
    """Store one processed document (or record its failure) and count it in the report."""
    if isinstance(item, (AcquireFailure, Lost)):
        failure = _failure(item.task, _lost_reason(item)) if isinstance(item, Lost) else item
        report.failures.append(failure)
        log.warning("%s", failure)
        store.record_failure(failure.source, failure.reason, line=failure.line, stage=_stage(item))
        return
    report.documents += 1
    if isinstance(item, tuple):
        report.existing += 1
        return
    outcome = store.add_article(item)
    if outcome == "exists":
        report.existing += 1
        return
    report.added += 1
    report.article_ids.append(item.id)
    if item.nlp is None and not_annotated_reason(item.text) is not None:
        report.not_annotated += 1
    if outcome == "near_duplicate":
        report.near_duplicates += 1
