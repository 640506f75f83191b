"""Extract an article's clean text and metadata from one HTML page.

The body comes from trafilatura, the publication date from htmldate; this module adds the
guards (bytes, elements, depth, time), the decoding of raw bytes, a rule against dates that
are only a copyright year, and the audit list of boilerplate lines that were dropped.

What was tried on the zyte benchmark (181 pages, body shingle F1; ``detente eval extraction``)
and on trafilatura's own snippet benchmark (990 pages, F1 over must-have/must-not snippets)::

    trafilatura setting                                        zyte F1   snippet F1
    ``extract`` defaults (comments included)                     0.953        0.921
    ``include_comments=False``                                   0.960        0.926
    ``favor_precision=True``                                     0.964        0.922
    ``favor_recall=True``                                        0.959        0.920
    ``fast=True`` (no readability/jusText fallback)              0.962        0.920
    ``favor_precision`` + ``fast`` (0.968 with the fallback)     0.946            -
    ``favor_precision`` + ``deduplicate``                        0.961            -
    ``favor_precision`` + ``include_tables=False``               0.957            -
    ``favor_precision`` + ``include_formatting``                 0.961            -
    precision, balanced pass when precision keeps < 25 %         0.969        0.925
      + headline dropped from the top of the body (kept)         0.971        0.925
      + fallback below 20 % instead / below 30 %            0.971 / 0.969  0.924 / 0.925
    precision + the balanced pass's extra head/middle lines  0.953-0.962     <= 0.927

Kept: a precision pass without comments, a balanced second pass when the first one is short
(``FALLBACK_RATIO``), and the headline stripped from the body (it is in ``title``). The two
sets disagree on the precision pass (news pages gain, the snippet set's mixed pages lose a
little recall); Detente reads news, so zyte decides. The price is speed: about twice
trafilatura's time per page (two passes on some pages, the metadata, a second date parse).
"""

from __future__ import annotations

import codecs
import logging
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

from lxml import etree  # type: ignore[import-untyped]  # no stubs shipped
from lxml.html import HtmlElement, HtmlElementClassLookup  # type: ignore[import-untyped]

from detente import settings
from detente._limits import TimeLimitExceeded, time_limit
from detente.errors import DetenteError, ExtractionError, LimitExceededError
from detente.model import Extracted

__all__ = ["decode_html", "extract_html", "parse_html", "publication_date"]

LOGGER = logging.getLogger(__name__)
_T = TypeVar("_T")

# --- tuning constants (re-run ``detente eval extraction`` after changing any of them) --------
#: The precision pass is replaced by the balanced one when it keeps less than this share of it:
#: 0.1-0.25 score the same on zyte, 0.3 loses a page (kept 28 %); 0.25 is best on the snippets.
FALLBACK_RATIO = 0.25
#: At most this many dropped lines are kept in ``Extracted.removed`` (an audit sample).
MAX_REMOVED_LINES = 200
#: Each dropped line is cut to this many characters.
MAX_REMOVED_CHARS = 300
#: Bytes fed to the parser at a time; the limits are checked between chunks, so a hostile page
#: is refused after at most one chunk more than the limit (64 KiB ~ 2,000 elements).
PARSE_CHUNK_BYTES = 64 * 1024
#: Bytes searched for a declared charset (<meta charset>, XML declaration), as browsers do.
CHARSET_SNIFF_BYTES = 4096
#: Bytes from each end of an undeclared legacy-encoded page given to charset detection.
CHARSET_SAMPLE_BYTES = 10_000

# trafilatura options of the two passes (see the table above)
_PRECISION_PASS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
}
_BALANCED_PASS: dict[str, Any] = {"include_comments": False, "include_tables": True}

# declared labels that browsers decode with a wider codec (WHATWG Encoding Standard)
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
}
# the legacy encodings of the WHATWG Encoding Standard, i.e. the ones browsers decode
_WEB_CODECS = frozenset(
    codecs.lookup(label).name
    for label in (
        *("cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257"),
        *("cp1258", "cp874", "iso-8859-2", "iso-8859-3", "iso-8859-4", "iso-8859-5"),
        *("iso-8859-6", "iso-8859-7", "iso-8859-8", "iso-8859-10", "iso-8859-13"),
        *("iso-8859-14", "iso-8859-15", "iso-8859-16", "koi8-r", "koi8-u", "mac-roman"),
        *("mac-cyrillic", "gb18030", "gbk", "big5", "euc-jp", "iso-2022-jp", "shift_jis"),
        *("euc-kr", "utf-16"),
    )
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_.:-]+)"""  # <meta charset>, http-equiv
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([a-z0-9_.:-]+)""",  # XML declaration
    re.IGNORECASE,
)
# characters libxml2 refuses (the same set trafilatura strips)
_INVALID_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# elements whose text is never shown, and elements that start a new line
_INVISIBLE = frozenset(
    {"script", "style", "noscript", "template", "svg", "math", "head", "title", "iframe", "object"}
)
_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "caption", "dd", "details"),
        *("dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p"),
        *("pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr"),
        *("ul", "option", "button", "label"),
    }
)
_WORDS = re.compile(r"\w+")
# markup that states a date on purpose: meta tags, time elements, microdata, JSON-LD
_DATE_MARKUP = etree.XPath(
    "//meta/@content | //time/@datetime | //*[@itemprop]/@content | //abbr/@title"
    " | //script[@type='application/ld+json']/text()"
)


# --- guards ---------------------------------------------------------------------------------
def _check_clock(started: float, stage: str) -> None:
    """Raise LimitExceededError when the time budget is spent (cooperative check)."""
    elapsed = time.monotonic() - started
    if elapsed > settings.EXTRACT_TIME_LIMIT:
        raise LimitExceededError(_time_message(elapsed, stage))


def _time_message(elapsed: float, stage: str) -> str:
    """The message of a time-limit error."""
    return (
        f"extraction took {elapsed:.1f} s (stopped {stage}), over EXTRACT_TIME_LIMIT="
        f"{settings.EXTRACT_TIME_LIMIT:g} s; the page is pathological or the machine is "
        "overloaded: raise detente.settings.EXTRACT_TIME_LIMIT if the page is genuine"
    )


def _check_size(html: str | bytes) -> None:
    """Raise LimitExceededError when the document is over MAX_DOCUMENT_BYTES."""
    limit = settings.MAX_DOCUMENT_BYTES
    size = len(html)
    # a character takes 1-4 bytes in UTF-8: encode only when the count is in doubt
    if isinstance(html, str) and size <= limit < 4 * size:
        size = len(html.encode("utf-8", "replace"))
    if size > limit:
        raise LimitExceededError(
            f"document is {size:,} bytes or more, over MAX_DOCUMENT_BYTES={limit:,}; "
            "split it or raise detente.settings.MAX_DOCUMENT_BYTES"
        )


# --- decoding and parsing -------------------------------------------------------------------
def decode_html(data: bytes) -> str:
    """Decode raw HTML bytes: BOM, then UTF-8, then the declared charset, then detection."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = _DECLARED_CHARSET.search(data[:CHARSET_SNIFF_BYTES])
    candidates: list[str] = []
    if match:
        label = (match[1] or match[2]).decode("ascii", "replace").strip().lower()
        candidates.append(_CHARSET_ALIASES.get(label, label))
    candidates.extend(_guess_charsets(data))
    for codec in candidates:
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            LOGGER.debug("charset %r does not decode this page", codec)
    return data.decode("utf-8", "replace")


def _guess_charsets(data: bytes) -> list[str]:
    """Likely charsets by charset_normalizer, the ones browsers support first."""
    from charset_normalizer import from_bytes

    # long pages: the head and the tail tell as much as the whole and cost far less
    sample = (
        data
        if len(data) <= 2 * CHARSET_SAMPLE_BYTES
        else (data[:CHARSET_SAMPLE_BYTES] + data[-CHARSET_SAMPLE_BYTES:])
    )
    try:
        results = list(from_bytes(sample))
    except Exception as err:  # detection is best effort; a lossy UTF-8 decoding follows
        LOGGER.debug("charset detection failed: %s", err)
        return []

    def rank(result: Any) -> tuple[bool, float, float]:
        # a DOS or HP code page may fit the bytes best, but no browser would decode a page so
        return (_codec_name(result.encoding) not in _WEB_CODECS, result.chaos, -result.coherence)

    return [result.encoding for result in sorted(results, key=rank)]


def _codec_name(label: str) -> str:
    """Python's canonical name of a codec label ("" when unknown)."""
    try:
        return codecs.lookup(label).name
    except LookupError:
        return ""


def parse_html(html: str | bytes) -> HtmlElement:
    """Parse a page into an lxml tree, refused as soon as it breaks the element or depth limit."""
    _check_size(html)
    return _parse_text(html if isinstance(html, str) else decode_html(html))


def _parse_text(text: str) -> HtmlElement:
    """Feed the text to a pull parser in chunks, counting elements and depth as they arrive."""
    text = _INVALID_XML_CHARS.sub("", text)
    if not text.strip():
        raise ExtractionError("the document is empty or blank; nothing to extract")
    data = text.encode("utf-8", "replace")
    # the same options as trafilatura's own parser, so the trees are identical
    parser = etree.HTMLPullParser(
        events=("start", "end"),
        encoding="utf-8",
        collect_ids=False,
        default_doctype=False,
        remove_comments=True,
        remove_pis=True,
    )
    parser.set_element_class_lookup(HtmlElementClassLookup())
    max_elements, max_depth = settings.MAX_HTML_ELEMENTS, settings.MAX_HTML_DEPTH
    elements = depth = 0

    def count() -> None:
        nonlocal elements, depth
        for event, _elem in parser.read_events():
            if event == "start":
                elements += 1
                depth += 1
                if depth > max_depth:
                    raise LimitExceededError(
                        f"HTML nesting is deeper than MAX_HTML_DEPTH={max_depth} "
                        f"(reached {depth}); the page is malformed or hostile"
                    )
                if elements > max_elements:
                    raise LimitExceededError(
                        f"HTML has more than MAX_HTML_ELEMENTS={max_elements:,} elements "
                        f"(reached {elements:,}); raise detente.settings.MAX_HTML_ELEMENTS "
                        "if the page is genuine"
                    )
            else:
                depth -= 1

    try:
        for start in range(0, len(data), PARSE_CHUNK_BYTES):
            parser.feed(data[start : start + PARSE_CHUNK_BYTES])
            count()
        root = parser.close()
        count()
    except etree.LxmlError as err:
        raise ExtractionError(f"the HTML cannot be parsed ({err}); is it really HTML?") from err
    if not isinstance(root, HtmlElement):
        raise ExtractionError(f"the document parsed to {type(root).__name__}, not an HTML tree")
    return root


# --- body text ------------------------------------------------------------------------------
def _trafilatura_text(tree: HtmlElement, url: str | None, options: dict[str, Any]) -> str:
    """One trafilatura pass over a copy of the tree; paragraphs joined by blank lines."""
    from trafilatura import bare_extraction

    document = bare_extraction(tree, url=url, with_metadata=False, **options)
    raw = getattr(document, "text", None) or ""
    return "\n\n".join(line.strip() for line in raw.split("\n") if line.strip())


def _visible_lines(tree: HtmlElement) -> list[str]:
    """The page's visible text, one whitespace-normalized line per block, without mutating it."""
    parts: list[str] = []

    def walk(elem: Any) -> None:
        tag = elem.tag if isinstance(elem.tag, str) else ""
        if tag and tag not in _INVISIBLE:
            block = tag in _BLOCKS
            if block:
                parts.append("\n")
            if elem.text:
                parts.append(elem.text)
            for child in elem:
                walk(child)
            if block:
                parts.append("\n")
        if elem.tail:
            parts.append(elem.tail)

    body = tree.find("body")
    walk(body if body is not None else tree)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def _word_key(text: str) -> str:
    """Lower-cased words only, to compare a headline with a body line."""
    return " ".join(_WORDS.findall(text.lower()))


def _strip_headline(body: str, title: str | None) -> str:
    """Drop the first paragraph when it repeats the headline (it is kept in ``title``)."""
    if not title:
        return body
    first, _, rest = body.partition("\n\n")
    key, title_key = _word_key(first), _word_key(title)
    # "Headline | Outlet" titles: the body line is the headline part only
    if key and rest and (key == title_key or title_key.startswith(key + " ")):
        return rest
    return body


def _removed_lines(lines: list[str], body: str) -> list[str]:
    """Visible lines that are not in the body, as a bounded audit sample."""
    flat = " ".join(body.split())
    removed: list[str] = []
    for line in lines:
        if line not in flat:
            removed.append(line[:MAX_REMOVED_CHARS])
            if len(removed) >= MAX_REMOVED_LINES:
                break
    return removed


# --- metadata -------------------------------------------------------------------------------
def _page_metadata(tree: HtmlElement, url: str | None) -> Any:
    """Title, author, URL and site name as trafilatura's ``extract_metadata`` finds them.

    Its steps for these four fields, in its order (trafilatura 2.3); the ones it takes next
    (a date by htmldate, categories, tags, licence), which Detente does not use and which leave
    the tree as it is, are left out: 45% of its time (zyte pages: 3.1 ms a page instead of 5.7).
    tests/test_htmlextract.py checks the fields against ``extract_metadata``'s.
    """
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_author,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )

    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None
    try:
        meta = extract_meta_json(tree, meta)
    except Exception as err:  # as trafilatura: a bug in its JSON-LD reader loses that only
        LOGGER.warning("error in JSON metadata extraction: %s", err)
    meta.title = meta.title or extract_title(tree)
    meta.author = meta.author or extract_author(tree)
    meta.url = meta.url or extract_url(tree, url)
    meta.sitename = meta.sitename or extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url and (found := META_URL.match(meta.url)):
        meta.sitename = found[1]
    meta.clean_and_trim()
    return meta


# --- publication date -----------------------------------------------------------------------
def _states_new_year(year: str, html: str, url: str | None) -> bool:
    """True when the page spells out 1 January of ``year`` as a full date, not a bare year."""
    pattern = re.compile(
        rf"(?<!\d)(?:{year}[-/.]0?1[-/.]0?1(?!\d)|0?1[-/.]0?1[-/.]{year}(?!\d)|{year}0101(?!\d)"
        rf"|(?:January|Jan\.?) 1(?:st)?,? {year}|1(?:st)? (?:January|Jan\.?),? {year}"
        rf"|1\. ?(?:Januar|Jänner) {year}|1(?:er)? janvier {year}|1 de enero de {year})",
        re.IGNORECASE,
    )
    return bool(pattern.search(html) or (url and pattern.search(url)))


def _date_source(found: str, tree: HtmlElement, url: str | None) -> str:
    """Where a date was stated: "meta" (markup), "url" or "text"."""
    year, month, day = found.split("-")
    if any(found in str(value) for value in _DATE_MARKUP(tree)):
        return "meta"
    if url and re.search(rf"{year}[/_-]?{month}[/_-]?{day}(?!\d)", url):
        return "url"
    return "text"


def _find_date(html: str, url: str | None) -> str | None:
    """htmldate's original publication date, extensive search, on its own parse of the page."""
    from htmldate import find_date

    # htmldate parses the text itself: on our comment-free tree (trafilatura's) it misdates
    # pages whose dates sit near HTML comments (htmldate_eval: 2 pages lost, none gained)
    found: str | None = find_date(html, extensive_search=True, original_date=True, url=url)
    return found


def _publication_date(
    found: str | None, tree: HtmlElement, html: str, url: str | None
) -> tuple[str | None, str | None]:
    """Validate htmldate's answer, dropping a 1 January that is only a copyright or bare year."""
    if not found or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", found):
        return None, None
    # htmldate falls back to YYYY-01-01 for "© 2023" or a lone year; keep 1 January only
    # when the page states it in full (htmldate_eval: 12 such answers, the 3 right ones kept)
    if found.endswith("-01-01") and not _states_new_year(found[:4], html, url):
        LOGGER.debug("dropping %s: only a year is stated (copyright notice?)", found)
        return None, None
    return found, _date_source(found, tree, url)


def publication_date(html: str | bytes, *, url: str | None = None) -> tuple[str | None, str | None]:
    """The publication date and where it was stated, from htmldate and the copyright-year rule."""

    def work(text: str, tree: HtmlElement, started: float) -> tuple[str | None, str | None]:
        return _publication_date(_find_date(text, url), tree, text, url)

    return _guarded(html, work)


# --- the stage ------------------------------------------------------------------------------
def extract_html(html: str | bytes, *, url: str | None = None) -> Extracted:
    """Extract the article text, title, author, outlet, URL and publication date from a page."""

    def work(text: str, tree: HtmlElement, started: float) -> Extracted:
        return _extract_tree(tree, text, url, started)

    return _guarded(html, work)


def _guarded(html: str | bytes, work: Callable[[str, HtmlElement, float], _T]) -> _T:
    """Decode and parse within the limits, then run ``work``; only DetenteErrors escape."""
    started = time.monotonic()
    try:
        # off the main thread there is no timer: the byte, element and depth limits and the
        # cooperative _check_clock calls stop a runaway page instead
        with time_limit(settings.EXTRACT_TIME_LIMIT):
            _check_size(html)
            text = html if isinstance(html, str) else decode_html(html)
            tree = _parse_text(text)
            _check_clock(started, "after parsing")
            return work(text, tree, started)
    except TimeLimitExceeded:
        elapsed = time.monotonic() - started
        raise LimitExceededError(_time_message(elapsed, "by the timer")) from None
    except DetenteError:
        raise
    except RecursionError as err:
        raise LimitExceededError(
            "the page nests too deeply for the extractor (RecursionError); lower "
            "detente.settings.MAX_HTML_DEPTH"
        ) from err
    except Exception as err:  # a library bug on one page must not stop a batch
        raise ExtractionError(
            f"extraction failed with {type(err).__name__}: {err}; please report this page"
        ) from err


def _extract_tree(tree: HtmlElement, html: str, url: str | None, started: float) -> Extracted:
    """Run both trafilatura passes, the metadata and the date on a guarded tree."""
    lines = _visible_lines(tree)
    page_chars = sum(len(line) + 2 for line in lines)
    body = _trafilatura_text(tree, url, _PRECISION_PASS)
    _check_clock(started, "after the precision pass")
    # the balanced pass can't be longer than the page: skip it when the first pass is long enough
    if len(body) < FALLBACK_RATIO * page_chars:
        balanced = _trafilatura_text(tree, url, _BALANCED_PASS)
        if len(body) < FALLBACK_RATIO * len(balanced):
            LOGGER.debug(
                "precision pass kept %d of %d chars: using the balanced pass",
                len(body),
                len(balanced),
            )
            body = balanced
        _check_clock(started, "after the balanced pass")

    meta = _page_metadata(tree, url)
    _check_clock(started, "after the metadata")
    title = meta.title or None
    body = _strip_headline(body, title)
    if len(body) < settings.MIN_TEXT_CHARS:
        raise ExtractionError(
            f"no article text found: {len(body)} characters of body text (at least "
            f"MIN_TEXT_CHARS={settings.MIN_TEXT_CHARS} needed) among {len(lines)} visible "
            "lines; is this an index, login or error page?"
        )
    published, source = _publication_date(_find_date(html, url), tree, html, url or meta.url)
    return Extracted(
        text=body,
        title=title,
        author=meta.author or None,
        outlet=meta.sitename or None,
        url=meta.url or url,
        published=published,
        published_source=source,
        removed=_removed_lines(lines, body),
    )
