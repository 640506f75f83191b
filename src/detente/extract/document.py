"""Extraction: a raw document in, a clean :class:`Article` with trustworthy metadata out.

HTML goes through :mod:`detente.extract.html` (trafilatura + htmldate), plain text and Markdown
through our own cleaner (:mod:`detente.extract.text`). Metadata is then merged by trust: what the
container says (a JSON record's fields) beats what the page says, which beats the options
given for documents that carry none (``--date``). ``--outlet`` names the outlet of a batch.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from detente import settings
from detente._limits import TimeLimitExceeded, time_limit
from detente.dedup.articles import article_id
from detente.errors import ExtractionError, InputError, LimitExceededError
from detente.extract import dates
from detente.extract.html import _time_message, extract_html
from detente.extract.language import detect_language
from detente.extract.text import clean_text
from detente.model import Article, Extracted, RawDocument

#: Share of control characters above which a "text" is binary data.
MAX_CONTROL_SHARE = 0.05


def decode_text(data: bytes | str, *, source: str) -> str:
    """Bytes as text: UTF-8 (with or without BOM) first, then the most likely encoding."""
    if isinstance(data, str):
        # a str may hold lone surrogates (JSON "\ud800", a surrogateescape read), which no
        # later stage can encode: replace them, as acquisition does for JSON records
        text = data.encode("utf-8", "replace").decode("utf-8")
    else:
        if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError(f"{source}: binary data, not text; give an HTML, text or JSON file")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(data[: settings.MAX_DOCUMENT_BYTES]).best()
            if best is None:
                raise InputError(
                    f"{source}: cannot tell the text encoding; convert the file to UTF-8"
                ) from None
            text = str(best)
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    if sample and controls / len(sample) > MAX_CONTROL_SHARE:
        raise InputError(f"{source}: binary data, not text; give an HTML, text or JSON file")
    return text


def outlet_from_url(url: str | None) -> str | None:
    """The site's host name without ``www.`` as a last-resort outlet name."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def extract_document(
    doc: RawDocument, *, default_date: str | None = None, outlet: str | None = None
) -> Article:
    """Clean one raw document into an article, or raise an ExtractionError saying why."""
    size = len(doc.content)
    if size > settings.MAX_DOCUMENT_BYTES:
        raise LimitExceededError(
            f"{doc.source}: {size:,} bytes is over the {settings.MAX_DOCUMENT_BYTES:,}-byte limit"
        )
    found = extract_html(doc.content, url=doc.url) if doc.kind == "html" else _clean_document(doc)
    return merge(doc, found, default_date=default_date, outlet=outlet)


def _clean_document(doc: RawDocument) -> Extracted:
    """Decode and clean a text document within EXTRACT_TIME_LIMIT, as HTML pages are."""
    # the cleaner is linear, but 10 MB of one-word lines still takes about a minute
    started = time.monotonic()
    try:
        with time_limit(settings.EXTRACT_TIME_LIMIT):
            return clean_text(decode_text(doc.content, source=doc.source), url=doc.url)
    except TimeLimitExceeded:
        elapsed = time.monotonic() - started
        raise LimitExceededError(
            f"{doc.source}: {_time_message(elapsed, 'by the timer')}"
        ) from None


def merge(
    doc: RawDocument,
    found: Extracted,
    *,
    default_date: str | None = None,
    outlet: str | None = None,
) -> Article:
    """Combine what the container, the page and the options say into one article."""
    text = found.text.strip()
    if len(text) < settings.MIN_TEXT_CHARS:
        raise ExtractionError(
            f"{doc.source}: no article text found ({len(text)} characters after cleaning); "
            "is this a news article?"
        )
    published, published_source = found.published, found.published_source
    record_date = dates.parse_iso_date(doc.published)
    if doc.published and record_date is None:
        raise InputError(
            f"{doc.source}: field 'published' is {doc.published!r}, not a date; use YYYY-MM-DD"
        )
    if record_date is not None:
        published, published_source = record_date.isoformat(), doc.published_source or "record"
    elif published is None and default_date:
        published, published_source = default_date, "option"
    url = doc.url or found.url
    return Article(
        id=article_id(text),
        text=text,
        source=doc.source,
        title=doc.title or found.title,
        outlet=doc.outlet or outlet or found.outlet or outlet_from_url(url),
        url=url,
        author=found.author,
        published=published,
        published_source=published_source,
        language=doc.language or found.language or detect_language(text),
        fetched_at=doc.fetched_at,
        content_hash=doc.content_hash,
        removed=list(found.removed),
    )
