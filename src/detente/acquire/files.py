"""Acquisition: paths, folders, globs, stdin and URLs in; raw documents with provenance out.

Inputs are expanded into *sources* first (cheap: no file is read), so a batch knows its size
for the progress bar; each source then yields one or more :class:`RawDocument` (a JSONL file
yields one per record, a WARC one per HTML response) or an :class:`AcquireFailure` that names
the file (and line) and says what to do. A bad source never stops the batch.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import io
import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from detente import settings
from detente.errors import DetenteError, InputError
from detente.extract.dates import read_date
from detente.model import DocumentKind, RawDocument

log = logging.getLogger(__name__)

#: File suffixes read as each kind of document.
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
PARQUET_SUFFIXES = (".parquet",)
SUPPORTED_SUFFIXES = (
    HTML_SUFFIXES + TEXT_SUFFIXES + MARKDOWN_SUFFIXES + JSON_SUFFIXES + JSONL_SUFFIXES
    + WARC_SUFFIXES + PARQUET_SUFFIXES
)  # fmt: skip
#: Fields a JSON record may carry besides ``text`` or ``html``.
RECORD_FIELDS = ("url", "title", "published", "outlet", "language")

STDIN = "-"
#: The source records passed as Python objects are recorded under (``<records>:3``).
RECORDS_SOURCE = "<records>"


@dataclass(frozen=True, slots=True)
class AcquireFailure:
    """A source (or one record of it) that could not be read."""

    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


Item = RawDocument | AcquireFailure
#: Fetches a URL and returns (final URL, body bytes, content type, fetch time).
FetchFn = Callable[[str], tuple[str, bytes, str | None, str]]


def now_iso() -> str:
    """The current UTC time as ``YYYY-MM-DDTHH:MM:SSZ``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256(data: bytes) -> str:
    """Hex SHA-256 of raw bytes: the provenance hash of a document."""
    return hashlib.sha256(data).hexdigest()


def is_url(value: str) -> bool:
    """Whether an input names a URL rather than a path."""
    return value.lower().startswith(("http://", "https://"))


def expand_inputs(inputs: Sequence[str]) -> tuple[list[str], list[AcquireFailure]]:
    """Inputs as a sorted, de-duplicated list of sources (files, URLs, ``-``) and failures."""
    sources: list[str] = []
    failures: list[AcquireFailure] = []
    seen: set[str] = set()

    def add(source: str) -> None:
        if source not in seen:
            seen.add(source)
            sources.append(source)

    for item in inputs:
        if item == STDIN or is_url(item):
            add(item)
            continue
        if "://" in item:
            failures.append(
                AcquireFailure(item, "unsupported URL scheme; only http:// and https:// are read")
            )
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and _suffix(p) in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                failures.append(
                    AcquireFailure(
                        item, f"folder holds no readable files ({', '.join(SUPPORTED_SUFFIXES)})"
                    )
                )
            for p in found:
                add(str(p))
        elif path.is_file():
            add(item)
        elif glob.has_magic(item):
            matches = sorted(m for m in glob.glob(item, recursive=True) if Path(m).is_file())
            if not matches:
                failures.append(AcquireFailure(item, "no file matches this pattern"))
            for match in matches:
                add(match)
        else:
            failures.append(AcquireFailure(item, "no such file or folder; check the path"))
    return sources, failures


def _suffix(path: Path) -> str:
    """The lower-case suffix, with ``.gz`` kept together with the one before it."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if len(suffixes) == 2 and suffixes[1] == ".gz":
        return "".join(suffixes)
    return suffixes[-1] if suffixes else ""


def read_source(
    source: str,
    *,
    fetch: FetchFn | None = None,
    stdin: BinaryIO | None = None,
    hints: dict[str, str | None] | None = None,
) -> Iterator[Item]:
    """The documents (or failures) one source holds."""
    hints = hints or {}
    try:
        if source == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = _read_limited(stream, source)
            yield from _from_bytes(source, data, _sniff(data), fetched_at=now_iso(), hints=hints)
        elif is_url(source):
            if fetch is None:
                raise InputError(f"{source}: fetching URLs is not enabled here")
            final_url, data, content_type, fetched_at = fetch(source)
            kind: DocumentKind | str = "text" if content_type == "text/plain" else _sniff(data)
            yield from _from_bytes(
                source, data, kind, fetched_at=fetched_at, hints={**hints, "url": final_url}
            )
        else:
            yield from _from_file(Path(source), hints=hints)
    except DetenteError as err:
        yield AcquireFailure(source, _reason(err, source))
    except OSError as err:
        yield AcquireFailure(source, f"cannot read: {err.strerror or err}")


def _reason(err: Exception, source: str) -> str:
    message = str(err)
    prefix = f"{source}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def _read_limited(stream: BinaryIO, source: str) -> bytes:
    data = stream.read(settings.MAX_DOCUMENT_BYTES + 1)
    if len(data) > settings.MAX_DOCUMENT_BYTES:
        raise InputError(
            f"{source}: larger than {settings.MAX_DOCUMENT_BYTES:,} bytes; "
            "split it or raise detente.settings.MAX_DOCUMENT_BYTES"
        )
    return data


def _sniff(data: bytes) -> str:
    """Guess the kind of an unnamed document from its first bytes."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"{", b"[")):
        return "jsonl"
    if head.startswith((b"warc/",)) or data[:2] == b"\x1f\x8b":
        return "warc"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<!--")):
        return "html"
    if b"<p>" in head or b"<div" in head:
        return "html"
    return "text"


def _from_file(path: Path, *, hints: dict[str, str | None]) -> Iterator[Item]:
    source = str(path)
    suffix = _suffix(path)
    size = path.stat().st_size
    if suffix in WARC_SUFFIXES:
        yield from _from_warc(path)
        return
    if suffix in PARQUET_SUFFIXES:
        yield from _from_parquet(path, hints=hints)
        return
    if size > settings.MAX_DOCUMENT_BYTES and suffix not in JSONL_SUFFIXES:
        raise InputError(
            f"{source}: {size:,} bytes is larger than the {settings.MAX_DOCUMENT_BYTES:,}-byte "
            "limit; split it or raise detente.settings.MAX_DOCUMENT_BYTES"
        )
    fetched_at = now_iso()
    if suffix in JSONL_SUFFIXES:
        opener = gzip.open if suffix.endswith(".gz") else open
        with opener(path, "rb") as stream:
            yield from _from_jsonl(source, stream, fetched_at=fetched_at, hints=hints)
        return
    data = path.read_bytes()
    if suffix in HTML_SUFFIXES:
        kind = "html"
    elif suffix in TEXT_SUFFIXES:
        kind = "text"
    elif suffix in MARKDOWN_SUFFIXES:
        kind = "markdown"
    elif suffix in JSON_SUFFIXES:
        kind = "json"
    else:
        kind = _sniff(data)
    yield from _from_bytes(source, data, kind, fetched_at=fetched_at, hints=hints)


def _from_bytes(
    source: str, data: bytes, kind: str, *, fetched_at: str, hints: dict[str, str | None]
) -> Iterator[Item]:
    if kind == "json":
        yield from _from_json(source, data, fetched_at=fetched_at, hints=hints)
    elif kind == "jsonl":
        yield from _from_jsonl(source, io.BytesIO(data), fetched_at=fetched_at, hints=hints)
    elif kind == "warc":
        yield from _from_warc_stream(source, io.BytesIO(data))
    else:
        _check_not_empty(source, data)
        yield RawDocument(
            source=source,
            content=data,
            kind=kind,  # type: ignore[arg-type]  # html, text or markdown here
            url=hints.get("url"),
            published=hints.get("published"),
            published_source=hints.get("published_source"),
            outlet=hints.get("outlet"),
            fetched_at=fetched_at,
            content_hash=sha256(data),
        )


def _check_not_empty(source: str, data: bytes) -> None:
    if not data.strip():
        raise InputError(f"{source}: the file is empty")


def _from_json(
    source: str, data: bytes, *, fetched_at: str, hints: dict[str, str | None]
) -> Iterator[Item]:
    _check_not_empty(source, data)
    try:
        parsed = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        yield AcquireFailure(source, f"not valid JSON ({err}); fix the file or use .jsonl")
        return
    records = parsed if isinstance(parsed, list) else [parsed]
    for index, record in enumerate(records, start=1):
        label = f"{source}[{index}]" if isinstance(parsed, list) else source
        yield _record(label, record, None, fetched_at=fetched_at, hints=hints)


def _from_jsonl(
    source: str, stream: BinaryIO | Any, *, fetched_at: str, hints: dict[str, str | None]
) -> Iterator[Item]:
    empty = True
    for lineno, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        empty = False
        if len(raw) > settings.MAX_DOCUMENT_BYTES:
            yield AcquireFailure(source, "record larger than the document size limit", lineno)
            continue
        try:
            record = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            yield AcquireFailure(source, f"not a JSON object ({err.__class__.__name__})", lineno)
            continue
        yield _record(source, record, lineno, fetched_at=fetched_at, hints=hints)
    if empty:
        yield AcquireFailure(source, "the file is empty")


def _record(
    source: str,
    record: object,
    line: int | None,
    *,
    fetched_at: str,
    hints: dict[str, str | None],
) -> Item:
    """One JSON record as a raw document, or a failure naming the field at fault."""
    label = f"{source}:{line}" if line is not None else source
    if not isinstance(record, dict):
        return AcquireFailure(source, f"expected a JSON object, got {type(record).__name__}", line)
    body = record.get("html") or record.get("text")
    if not isinstance(body, str) or not body.strip():
        return AcquireFailure(
            source, "record has no 'text' or 'html' field with content; add one", line
        )
    fields: dict[str, str | None] = {}
    published_source = None
    for name in RECORD_FIELDS:
        value = record.get(name)
        if name == "published":
            try:  # a Parquet date or timestamp, 20160105, "Jan 5, 2016": the day they name
                day = read_date(value)
            except ValueError as err:
                return AcquireFailure(source, f"field 'published': {err}", line)
            if day is None:
                published_source = hints.get("published_source")
            fields[name] = day.isoformat() if day is not None else hints.get(name)
            continue
        if value is not None and not isinstance(value, str):
            return AcquireFailure(
                source, f"field '{name}' must be a string, got {type(value).__name__}", line
            )
        if value is not None:
            value = value.encode("utf-8", "replace").decode("utf-8")
        fields[name] = value or hints.get(name)
    data = body.encode("utf-8", "replace")  # JSON allows lone surrogates; text must not hold them
    return RawDocument(
        source=label,
        content=data.decode("utf-8"),
        kind="html" if record.get("html") else "text",
        url=fields["url"],
        title=fields["title"],
        published=fields["published"],
        published_source=published_source,
        outlet=fields["outlet"],
        language=fields["language"],
        fetched_at=fetched_at,
        content_hash=sha256(data),
    )


def read_records(
    records: Iterable[Mapping[str, Any]], *, source: str = RECORDS_SOURCE
) -> Iterator[Item]:
    """Records given as dicts (a ``text`` or ``html`` key, as in a JSONL file), numbered from 1."""
    fetched_at = now_iso()
    for number, record in enumerate(records, start=1):
        yield _record(source, record, number, fetched_at=fetched_at, hints={})


def _from_parquet(path: Path, *, hints: dict[str, str | None]) -> Iterator[Item]:
    """Records of a Parquet table with a ``text`` or ``html`` column (one row a document)."""
    try:
        import pyarrow.parquet as pq
    except ImportError as err:
        raise InputError(
            f"{path}: reading Parquet needs pyarrow: pip install 'detente[parquet]'"
        ) from err
    source = str(path)
    fetched_at = now_iso()
    try:
        table = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises its own error types for a damaged file
        raise InputError(f"{source}: not a readable Parquet file ({err})") from err
    names = set(table.schema_arrow.names)
    if not names & {"text", "html"}:
        raise InputError(
            f"{source}: a Parquet input needs a 'text' or 'html' column "
            f"(it has {', '.join(sorted(names)) or 'none'})"
        )
    wanted = [n for n in ("text", "html", *RECORD_FIELDS) if n in names]
    row = 0
    for batch in table.iter_batches(batch_size=256, columns=wanted):
        for record in batch.to_pylist():
            row += 1
            yield _record(source, record, row, fetched_at=fetched_at, hints=hints)
    if row == 0:
        yield AcquireFailure(source, "the file holds no rows")


def _from_warc(path: Path) -> Iterator[Item]:
    with path.open("rb") as stream:
        yield from _from_warc_stream(str(path), stream)


def _from_warc_stream(source: str, stream: BinaryIO) -> Iterator[Item]:
    """HTML responses of a WARC (or ARC) archive, each with its target URI and date."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    count = 0
    try:
        for record in ArchiveIterator(stream, arc2warc=True):
            if record.rec_type != "response":
                continue
            http = record.http_headers
            content_type = (http.get_header("Content-Type") if http else None) or ""
            if http is not None and not http.get_statuscode().startswith("2"):
                continue
            if "html" not in content_type and "text/plain" not in content_type:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI")
            date = record.rec_headers.get_header("WARC-Date")
            data = record.content_stream().read(settings.MAX_DOCUMENT_BYTES + 1)
            count += 1
            label = f"{source}#{uri or count}"
            if len(data) > settings.MAX_DOCUMENT_BYTES:
                yield AcquireFailure(label, "response larger than the document size limit")
                continue
            if not data.strip():
                yield AcquireFailure(label, "empty response body")
                continue
            yield RawDocument(
                source=label,
                content=data,
                kind="text" if "text/plain" in content_type else "html",
                url=uri,
                fetched_at=date,
                content_hash=sha256(data),
            )
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as err:
        yield AcquireFailure(source, f"not a readable WARC archive ({err})")
        return
    if count == 0:
        yield AcquireFailure(
            source, "no HTML responses found: not a WARC archive, or one without pages"
        )
