"""Parquet shards: the output of a distributed ingest, and how they merge into the store.

A run that does not write to SQLite directly (``detente ingest --engine ray --out DIR``) cuts
its inputs into *shards* of about ``shard_size`` documents: a few dozen small files, or a
range of the records of a JSONL or Parquet file (a WARC or JSON file is one shard). Each
shard is processed by one worker with the same per-document function as a local ingest
(:func:`detente.ingest.process_document`) and written as one Parquet file per
table, named by the shard's key::

    DIR/articles/<key>.parquet   one row an article, with the full record as JSON
    DIR/events/<key>.parquet     one row an event, actors and evidence flattened
    DIR/quotes/<key>.parquet     one row a quote, with its speaker
    DIR/amounts/<key>.parquet    one row a claimed number
    DIR/failures/<key>.parquet   one row a document that could not be read or processed
    DIR/_done/<key>.json         completion marker, written last, with the shard's counts

The key is a hash of the shard's contents (the SHA-256 of every member file) and of the
options that change the output, so a re-run skips every shard whose marker exists and a
killed job resumes where it stopped; a shard without its marker is simply done again (its
files are written to a temporary name and renamed, so a half-written file is never read).

The tables are plain Parquet with fixed schemas: query them directly with DuckDB
(``SELECT * FROM 'DIR/events/*.parquet'``), Spark or pyarrow, or merge them into a SQLite
store with :func:`load` (``detente load DIR --db PATH``), which applies the store's own
near-duplicate and event de-duplication exactly as a local ingest does.

The tables' schemas and rows are in :mod:`detente.scale.shard_io`, the merge into a store in
:mod:`detente.scale.loading`.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from detente import settings
from detente.acquire.files import (
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    PARQUET_SUFFIXES,
    WARC_SUFFIXES,
    AcquireFailure,
    _suffix,
    expand_inputs,
    is_url,
    read_source,
)
from detente.errors import InputError
from detente.model import Article, RawDocument
from detente.scale.loading import LoadReport, finished_shards, iter_articles, load
from detente.scale.shard_io import DONE, TABLES, _write_table, rows

__all__ = [
    "CONTAINER_SUFFIXES",
    "DEATHS_PER_DOCUMENT",
    "DONE",
    "RUNNING",
    "SHARD_FORMAT",
    "SHARD_SIZE",
    "SPLITTABLE_SUFFIXES",
    "TABLES",
    "LoadReport",
    "Options",
    "Shard",
    "ShardProcessor",
    "ShardResult",
    "ShardRunReport",
    "finished_shards",
    "is_done",
    "iter_articles",
    "load",
    "plan",
    "read_failures",
    "rows",
    "run_local",
    "write_shard",
]

log = logging.getLogger(__name__)

#: Version of the shard layout; part of every key, so a new layout never reuses old shards.
SHARD_FORMAT = 1
#: Documents a shard holds: enough that a worker's per-shard cost (five small Parquet files
#: and a marker) is noise next to ~30 s of NLP, few enough that a killed job loses little and
#: two workers get work even from a folder of a few hundred pages.
SHARD_SIZE = 32
#: Files whose records can be counted cheaply, so a big one is cut into ranges of records.
SPLITTABLE_SUFFIXES = (*JSONL_SUFFIXES, *PARQUET_SUFFIXES)
#: Other files holding many documents: each is a shard of its own.
CONTAINER_SUFFIXES = (*JSON_SUFFIXES, *WARC_SUFFIXES)
RUNNING = "_running"


@dataclass(slots=True)
class Options:
    """What changes a shard's output besides its files: part of its key."""

    default_date: str | None = None
    outlet: str | None = None
    annotate: bool = True
    dictionaries: tuple[str, ...] = ()
    time_limit: float | None = None  # annotation seconds per document (None: the setting)

    def fingerprint(self) -> str:
        """A stable text naming these options, the dictionaries' contents and our version."""
        dictionaries = [(d, _file_hash(Path(d))) for d in self.dictionaries]
        return json.dumps(
            {
                "format": SHARD_FORMAT,
                "version": settings.__version__,
                "default_date": self.default_date,
                "outlet": self.outlet,
                "annotate": self.annotate,
                "dictionaries": dictionaries,
            },
            sort_keys=True,
        )


@dataclass(slots=True)
class Shard:
    """A unit of work: files processed together and written under one key.

    ``start`` and ``stop`` cut a single JSONL or Parquet file to the records in that range
    (counted from 0, as :func:`detente.acquire.files.read_source` yields them); ``stop`` None means
    to the end.
    """

    key: str
    sources: list[str]
    start: int = 0
    stop: int | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Shard:
        data = json.loads(text)
        return cls(data["key"], list(data["sources"]), data.get("start", 0), data.get("stop"))

    def items(self) -> Iterator[RawDocument | AcquireFailure]:
        """The documents (and failures) of this shard, read from its files."""
        for source in self.sources:
            items = read_source(source)
            if self.start or self.stop is not None:
                items = itertools.islice(items, self.start, self.stop)
            yield from items

    def describe(self) -> str:
        """The shard's files, for messages: a path, a path with a record range, or a count."""
        first = self.sources[0] if self.sources else ""
        if self.start or self.stop is not None:
            stop = "end" if self.stop is None else self.stop
            return f"{first} [records {self.start + 1}–{stop}]"
        more = f" (+{len(self.sources) - 1} files)" if len(self.sources) > 1 else ""
        return f"{first}{more}"


@dataclass(slots=True)
class ShardResult:
    """What processing one shard produced (the completion marker holds the same)."""

    key: str
    sources: list[str]
    start: int = 0
    stop: int | None = None
    documents: int = 0
    articles: int = 0
    events: int = 0
    failures: int = 0
    seconds: float = 0.0
    skipped: bool = False  # already done by an earlier run

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def done_before(cls, shard: Shard) -> ShardResult:
        """The result of a shard an earlier run (or attempt) finished."""
        return cls(shard.key, shard.sources, shard.start, shard.stop, skipped=True)


@dataclass(slots=True)
class ShardRunReport:
    """What a sharded run did: shards done now and before, documents, failures."""

    out: str
    shards: int = 0
    done_before: int = 0
    documents: int = 0
    articles: int = 0
    events: int = 0
    failures: list[AcquireFailure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> int:
        return len(self.failures)

    def add(self, result: ShardResult) -> None:
        """Count one finished shard."""
        if result.skipped:
            self.done_before += 1
            return
        self.documents += result.documents
        self.articles += result.articles
        self.events += result.events

    def to_dict(self) -> dict[str, Any]:
        return {
            "out": self.out,
            "shards": self.shards,
            "done_before": self.done_before,
            "documents": self.documents,
            "articles": self.articles,
            "events": self.events,
            "failed": self.failed,
            "failures": [
                {"source": f.source, "line": f.line, "reason": f.reason} for f in self.failures
            ],
            "seconds": round(self.seconds, 2),
        }


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _count_records(path: Path) -> int:
    """How many items :func:`read_source` yields for a JSONL or Parquet file (0 if unknown)."""
    suffix = _suffix(path)
    if suffix in PARQUET_SUFFIXES:
        try:
            import pyarrow.parquet as pq

            rows: int = pq.ParquetFile(path).metadata.num_rows
        except Exception:  # no pyarrow, or a damaged file: read_source reports it
            return 0
        return rows
    opener: Any = gzip.open if suffix.endswith(".gz") else open
    try:
        with opener(path, "rb") as stream:
            return sum(1 for line in stream if line.strip())  # one item per non-empty line
    except (OSError, EOFError):
        return 0


def plan(
    inputs: Sequence[str], options: Options, *, shard_size: int = SHARD_SIZE
) -> tuple[list[Shard], list[AcquireFailure]]:
    """Cut the inputs into shards, in input order, each keyed by its contents and options.

    Small files are grouped ``shard_size`` to a shard; a JSONL or Parquet file with more
    records is cut into ranges of ``shard_size`` records. Only files and folders can be
    sharded (every worker must be able to read them); a URL or standard input is refused
    with what to do instead.
    """
    if shard_size < 1:
        raise InputError(f"shard size must be at least 1 document, got {shard_size}")
    for item in inputs:
        if item == "-" or is_url(item):
            raise InputError(
                f"{item}: a sharded run reads files and folders only; fetch URLs and standard "
                "input with a local ingest (detente ingest ... --db PATH), or save them first"
            )
    sources, failures = expand_inputs(inputs)
    fingerprint = options.fingerprint()
    shards: list[Shard] = []
    group: list[tuple[str, str]] = []

    def close(members: list[tuple[str, str]], start: int = 0, stop: int | None = None) -> None:
        digest = hashlib.sha256(fingerprint.encode())
        for path, file_hash in members:
            digest.update(f"\n{Path(path).name}\t{file_hash}".encode())
        if start or stop is not None:
            digest.update(f"\n{start}:{stop}".encode())
        key = digest.hexdigest()[:32]
        shards.append(Shard(key, [p for p, _ in members], start, stop))

    for source in sources:
        path = Path(source)
        try:
            member = (source, _file_hash(path))
        except OSError as err:
            failures.append(AcquireFailure(source, f"cannot read: {err.strerror or err}"))
            continue
        suffix = _suffix(path)
        if suffix in SPLITTABLE_SUFFIXES:
            count = _count_records(path)
            if count <= shard_size:
                close([member])
            else:
                for first in range(0, count, shard_size):
                    last = first + shard_size
                    close([member], first, last if last < count else None)
            continue
        if suffix in CONTAINER_SUFFIXES:
            close([member])
            continue
        group.append(member)
        if len(group) == shard_size:
            close(group)
            group = []
    if group:
        close(group)
    return shards, failures


def is_done(out: Path, key: str) -> bool:
    """True if the shard's completion marker exists."""
    return (out / DONE / f"{key}.json").is_file()


# --- writing ------------------------------------------------------------------------------


def write_shard(
    out: Path, shard: Shard, articles: Sequence[Article], failures: Sequence[AcquireFailure],
    *, documents: int, seconds: float,
) -> ShardResult:  # fmt: skip
    """Write a processed shard's tables, then its completion marker (last, atomically)."""
    from detente.ingest import _stage as failure_stage

    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for article in articles:
        for name, found in rows(shard.key, article).items():
            tables[name].extend(found)
    tables["failures"] = [
        {
            "shard": shard.key,
            "source": failure.source,
            "line": failure.line,
            "stage": failure_stage(failure),
            "reason": failure.reason,
        }
        for failure in failures
    ]
    for name in TABLES:
        _write_table(out, name, shard.key, tables[name])
    result = ShardResult(
        key=shard.key,
        sources=shard.sources,
        start=shard.start,
        stop=shard.stop,
        documents=documents,
        articles=len(articles),
        events=len(tables["events"]),
        failures=len(failures),
        seconds=round(seconds, 3),
    )
    done = out / DONE
    done.mkdir(parents=True, exist_ok=True)
    partial = done / f".{shard.key}.json.{os.getpid()}.tmp"
    partial.write_text(json.dumps(result.to_dict(), indent=1), encoding="utf-8")
    os.replace(partial, done / f"{shard.key}.json")
    return result


class ShardProcessor:
    """Processes whole shards with one pipeline loaded once (a worker's state).

    Plain records in (a :class:`Shard`), Parquet files and a :class:`ShardResult` out: no
    spaCy object ever leaves the process. While a shard runs, ``DIR/_running/<key>.json``
    names the document in hand; when a worker dies (killed, out of memory, a crash in a
    library, or stopped by the engine's watchdog) and the shard is tried again, that document
    has cost one death, and at ``DEATHS_PER_DOCUMENT`` it is recorded as a failure and skipped,
    so one bad document never blocks its shard.
    """

    def __init__(self, out: str | Path, options: Options) -> None:
        from detente.ingest import _annotator

        self.out = Path(out)
        self.options = options
        self.annotator = _annotator(options.dictionaries) if options.annotate else None
        #: (shard key, document index, start time) of the document in hand, for a watchdog
        self.current: tuple[str, int, float] | None = None

    @property
    def time_limit(self) -> float:
        """Seconds of annotation allowed per document (0: none)."""
        chosen = self.options.time_limit
        return settings.ANNOTATE_TIME_LIMIT if chosen is None else chosen

    def __call__(self, shard: Shard) -> ShardResult:
        from detente.ingest import process_document

        if is_done(self.out, shard.key):
            return ShardResult.done_before(shard)
        started = time.perf_counter()
        running = _Running(self.out, shard.key)
        articles: list[Article] = []
        failures: list[AcquireFailure] = []
        documents = 0
        for index, item in enumerate(shard.items()):
            if isinstance(item, AcquireFailure):
                failures.append(item)
                continue
            documents += 1
            if running.deaths(index) >= DEATHS_PER_DOCUMENT:
                failures.append(_failure_of(item, _DIED.format(n=DEATHS_PER_DOCUMENT,
                                                               limit=self.time_limit)))  # fmt: skip
                continue
            running.begin(index)
            self.current = (shard.key, index, time.monotonic())
            result = process_document(
                item,
                default_date=self.options.default_date,
                outlet=self.options.outlet,
                annotator=self.annotator,
                time_limit=self.time_limit,
            )
            self.current = None
            if isinstance(result, AcquireFailure):
                failures.append(result)
            else:
                articles.append(result)
        written = write_shard(
            self.out,
            shard,
            articles,
            failures,
            documents=documents,
            seconds=time.perf_counter() - started,
        )
        running.end()
        return written


#: Worker deaths a document may cause before it is recorded as a failure and skipped.
DEATHS_PER_DOCUMENT = 2
_DIED = (
    "annotation failed: the worker process died {n} times while processing this document (a "
    "crash, memory exhausted, or stopped past the {limit:g} s time limit); ingest it alone "
    "(detente ingest FILE --workers 1) to see the error, or leave it out"
)


def _failure_of(doc: RawDocument, reason: str) -> AcquireFailure:
    from detente.ingest import _failure

    return _failure(doc, reason)


class _Running:
    """The progress file of a shard in hand: which document, and the deaths each has caused."""

    def __init__(self, out: Path, key: str) -> None:
        self.path = out / RUNNING / f"{key}.json"
        self.counts: dict[int, int] = {}
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # a first attempt (or an unreadable file: start afresh)
        self.counts = {int(k): int(v) for k, v in state.get("deaths", {}).items()}
        if state.get("index") is not None:  # the previous attempt died with this one in hand
            index = int(state["index"])
            self.counts[index] = self.counts.get(index, 0) + 1
            log.warning("shard %s: document %d was in hand when a worker died", key, index)

    def deaths(self, index: int) -> int:
        return self.counts.get(index, 0)

    def begin(self, index: int) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps({"index": index, "deaths": self.counts}), encoding="utf-8")
        os.replace(partial, self.path)

    def end(self) -> None:
        self.path.unlink(missing_ok=True)


def run_local(
    inputs: Sequence[str],
    out: str | Path,
    options: Options,
    *,
    shard_size: int = SHARD_SIZE,
    on_shard: Callable[[ShardResult, int, int], None] | None = None,
) -> ShardRunReport:
    """Write shards in this process: the reference the Ray engine must equal."""
    started = time.perf_counter()
    shards, failures = plan(inputs, options, shard_size=shard_size)
    report = ShardRunReport(out=str(out), shards=len(shards), failures=list(failures))
    processor: ShardProcessor | None = None
    for done, shard in enumerate(shards, start=1):
        if is_done(Path(out), shard.key):
            result = ShardResult.done_before(shard)
        else:
            processor = processor or ShardProcessor(out, options)
            result = processor(shard)
        report.add(result)
        if on_shard is not None:
            on_shard(result, done, len(shards))
    report.failures.extend(read_failures(Path(out), [s.key for s in shards]))
    report.seconds = time.perf_counter() - started
    return report


def read_failures(out: Path, keys: Sequence[str]) -> list[AcquireFailure]:
    """The failures the given finished shards recorded."""
    import pyarrow.parquet as pq

    found: list[AcquireFailure] = []
    for key in keys:
        path = out / "failures" / f"{key}.parquet"
        if is_done(out, key) and path.is_file():
            for row in pq.read_table(path).to_pylist():
                found.append(AcquireFailure(row["source"], row["reason"], row["line"]))
    return found
