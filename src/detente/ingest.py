"""Ingestion: inputs in, stored articles out, one document at a time.

Each document is acquired, extracted and stored in its own transaction, so a crash or a kill
mid-batch loses at most the document in hand, and a re-run skips what is stored (by the hash
of the raw document) and completes the batch. A bad document is recorded in the ``failures``
table with the reason, and the batch goes on.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import BinaryIO

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
    sources, failures = expand_inputs(inputs)
    yield from failures
    with ExitStack() as stack:
        fetch = _fetcher(stack, allow_private=allow_private) if any(map(is_url, sources)) else None
        for done, source in enumerate(sources, start=1):
            for item in read_source(source, fetch=fetch, stdin=stdin):
                if isinstance(item, AcquireFailure) or (skip is not None and skip(item)):
                    yield item
                else:
                    yield _extract_one(item, default_date=default_date, outlet=outlet)
            if on_progress is not None:
                on_progress(done, len(sources), source)


def _extract_one(
    doc: RawDocument, *, default_date: str | None, outlet: str | None
) -> Article | AcquireFailure:
    line = None
    source = doc.source
    if ":" in source and source.rsplit(":", 1)[1].isdigit():
        source, number = source.rsplit(":", 1)
        line = int(number)
    try:
        return extract_document(doc, default_date=default_date, outlet=outlet)
    except DetenteError as err:
        prefix = f"{doc.source}: "
        reason = str(err)
        return AcquireFailure(source, reason.removeprefix(prefix), line)
    except Exception as err:  # a bug or a library crash on one page must not stop the batch
        log.exception("unexpected error extracting %s", doc.source)
        return AcquireFailure(source, f"unexpected {type(err).__name__}: {err}", line)


def ingest(
    inputs: Sequence[str],
    *,
    store: Store,
    default_date: str | None = None,
    outlet: str | None = None,
    allow_private: bool = False,
    annotate: bool = True,
    dictionaries: Sequence[str] = (),
    stdin: BinaryIO | None = None,
    on_progress: ProgressFn | None = None,
) -> IngestReport:
    """Read, clean, annotate and store every document of the inputs; record what fails."""
    report = IngestReport()
    annotator = _annotator(dictionaries) if annotate else None

    def already_stored(doc: RawDocument) -> bool:
        return doc.content_hash is not None and store.has_source(doc.content_hash)

    for item in iter_articles(
        inputs,
        default_date=default_date,
        outlet=outlet,
        allow_private=allow_private,
        stdin=stdin,
        skip=already_stored,
        on_progress=on_progress,
    ):
        if isinstance(item, AcquireFailure):
            report.failures.append(item)
            log.warning("%s", item)
            store.record_failure(item.source, item.reason, line=item.line)
            continue
        report.documents += 1
        if isinstance(item, RawDocument):
            report.existing += 1
            continue
        if annotator is not None and not store.has_article(item.id):
            try:
                annotator(item)
            except DetenteError as err:
                report.failures.append(AcquireFailure(item.source, f"annotation failed: {err}"))
                store.record_failure(item.source, f"annotation failed: {err}", stage="annotate")
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
