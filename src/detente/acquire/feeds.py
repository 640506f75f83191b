"""Read article links out of feeds and sitemaps, find feeds on home pages, normalize URLs.

Pure functions over bytes already fetched (fetching, politeness and state live in
:mod:`detente.acquire.watch`): RSS 2.0, RSS 1.0 (RDF) and Atom through feedparser, JSON Feed;
XML sitemaps, news sitemaps and sitemap indexes (plain or gzipped); ``<link rel="alternate">``
feed discovery on an HTML page (trafilatura's ``determine_feed``). A feed item keeps its title
and its date (as ISO 8601 UTC), which stand in for the article's when its page lacks them.

The document's kind is read from its root with lxml, entities, DTDs and network access off, so a
hostile feed cannot read files or make requests; feedparser gets the bytes as a stream (it never
fetches) and its SAX parser has external entities off too. Sitemaps stay with our own lxml
reader: ultimate-sitemap-parser needs python-dateutil < 3 (we have 4) and swaps pages to temp
files, and trafilatura's sitemap helpers fetch for themselves (past our SSRF guard and
politeness) and keep no dates, which choosing the newest links of a 50,000-URL sitemap needs.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import re
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from lxml import etree  # type: ignore[import-untyped]  # no stubs shipped

from detente.errors import InputError

log = logging.getLogger(__name__)

#: Links read from one document at most: the sitemap protocol's own limit per file.
MAX_LINKS: Final = 50_000
#: Largest gzipped sitemap accepted once decompressed (the protocol allows 50 MB).
MAX_SITEMAP_BYTES: Final = 50 * 1024 * 1024

DocumentKind = Literal["feed", "sitemap", "sitemapindex", "page"]

#: First bytes of a document that is XML (a feed or a sitemap) rather than an HTML page.
_XML_START = re.compile(rb"^\s*(<\?xml|<rss\b|<feed\b|<rdf:RDF\b|<urlset\b|<sitemapindex\b)", re.I)
_FEED_ROOTS: Final = frozenset({"rss", "feed", "RDF", "channel"})
_SITEMAP_ROOTS: Final = frozenset({"urlset"})
_INDEX_ROOTS: Final = frozenset({"sitemapindex"})


@dataclass(frozen=True, slots=True)
class Link:
    """An article (or child sitemap) URL and its date when the document gives one."""

    url: str
    date: str | None = None  # ISO 8601: UTC from feeds, as written in sitemaps
    title: str | None = None  # a feed item's title


@dataclass(slots=True)
class Parsed:
    """What a fetched source document holds."""

    kind: DocumentKind
    links: list[Link] = field(default_factory=list)  # articles, or child sitemaps of an index
    recovered: bool = False  # the XML was malformed and read in recovery mode


# --- URLs ---------------------------------------------------------------------------------------


def normalize_url(url: str, base: str | None = None) -> str | None:
    """``url`` (resolved against ``base``) with tracking parameters and fragment dropped."""
    import courlan

    url = url.strip()
    if base is not None:
        url = urllib.parse.urljoin(base, url)
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    try:
        # non-strict: utm_*, fbclid, gclid, … go; parameters that may name the story stay
        normalized: str = courlan.normalize_url(url)
    except (ValueError, AttributeError) as err:
        log.debug("cannot normalize %r: %s", url, err)
        return None
    return urllib.parse.urldefrag(normalized).url


def host_of(url: str) -> str:
    """``scheme://host:port`` of a URL: the unit of robots.txt and of politeness."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


# --- documents ----------------------------------------------------------------------------------


def _text(content: bytes, charset: str | None = None) -> str:
    """Bytes as text: the declared charset, else UTF-8, never raising."""
    try:
        return content.decode(charset or "utf-8", errors="replace")
    except LookupError:  # an unknown charset name
        return content.decode("utf-8", errors="replace")


def gunzip(content: bytes, *, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """``content`` decompressed if it is gzip data (a ``.xml.gz`` sitemap), else unchanged."""
    if content[:2] != b"\x1f\x8b":
        return content
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(content)) as stream:
            data = stream.read(limit + 1)
    except (OSError, EOFError) as err:
        raise InputError(f"corrupt gzip data ({err})") from err
    if len(data) > limit:
        raise InputError(f"gzipped document is over {limit} bytes once decompressed")
    return data


def _parse_xml(content: bytes, *, recover: bool) -> Any:
    """The root element of ``content``; entities, DTDs and the network stay off."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )
    return etree.fromstring(content, parser)


def _local(element: Any) -> str:
    """An element's tag without its namespace ('' for comments and the like)."""
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element: Any, name: str) -> str | None:
    """Stripped text of the first child named ``name`` (any namespace), or None."""
    for child in element:
        if _local(child) == name and child.text and child.text.strip():
            return str(child.text).strip()
    return None


def _descendant_text(element: Any, name: str) -> str | None:
    """Stripped text of the first descendant named ``name`` (any namespace), or None."""
    for child in element.iter():
        if _local(child) == name and child.text and child.text.strip():
            return str(child.text).strip()
    return None


def parse_document(content: bytes, url: str, *, charset: str | None = None) -> Parsed:
    """The kind of a fetched source and the links it holds; InputError when unreadable."""
    content = gunzip(content)
    stripped = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return Parsed("feed", _json_feed_links(stripped, url))
    if not _XML_START.match(stripped[:512]):
        return Parsed("page")
    recovered = False
    try:
        root = _parse_xml(stripped, recover=False)
    except etree.XMLSyntaxError as err:
        # Feeds with a stray '&' are common; read what can be read, and fail only when nothing
        # usable is left.
        try:
            root = _parse_xml(stripped, recover=True)
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            raise InputError(f"malformed XML ({err})") from err
        recovered = True
        log.warning("%s: malformed XML (%s); read in recovery mode", url, err)
    name = _local(root)
    if name in _FEED_ROOTS:
        parsed = Parsed("feed", feed_links(stripped, url), recovered)
    elif name in _SITEMAP_ROOTS:
        parsed = Parsed("sitemap", list(_sitemap_links(root, url, "url")), recovered)
    elif name in _INDEX_ROOTS:
        parsed = Parsed("sitemapindex", list(_sitemap_links(root, url, "sitemap")), recovered)
    else:
        raise InputError(
            f"XML document with root <{name}> is neither a feed (rss, feed, RDF) nor a sitemap "
            "(urlset, sitemapindex)"
        )
    if recovered and not parsed.links:
        raise InputError("malformed XML: no link could be read from it")
    return parsed


def feed_links(content: bytes, url: str) -> list[Link]:
    """Item links of an RSS 2.0, RSS 1.0 or Atom feed in document order, with title and date."""
    import feedparser  # type: ignore[import-untyped]  # no stubs shipped

    parsed = feedparser.parse(
        io.BytesIO(content),  # a stream: feedparser never fetches it
        response_headers={"content-location": url},  # the base of relative links
        resolve_relative_uris=False,  # only item links are read, not their HTML
        sanitize_html=False,
    )
    links = []
    for entry in parsed.entries[:MAX_LINKS]:
        link = entry.get("link")  # RSS <link>, a permalink <guid>, Atom's alternate link
        if not isinstance(link, str) or not link.strip():
            continue
        title = entry.get("title")
        links.append(
            Link(
                urllib.parse.urljoin(url, link.strip()),
                _entry_date(entry),
                (title.strip() or None) if isinstance(title, str) else None,
            )
        )
    return links


def _entry_date(entry: Any) -> str | None:
    """A feed item's publication (else update) time as ISO 8601 UTC, or as written."""
    for key in ("published", "updated"):
        moment = entry.get(f"{key}_parsed")
        if moment:
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", moment)
        written = entry.get(key)
        if isinstance(written, str) and written.strip():
            return written.strip()
    return None


def _sitemap_links(root: Any, url: str, entry: str) -> Iterator[Link]:
    """``<loc>`` of each ``<url>`` (or ``<sitemap>``) entry, with its news or lastmod date."""
    count = 0
    for element in root:
        if _local(element) != entry:
            continue
        loc = _child_text(element, "loc")
        if not loc:
            continue
        date = _descendant_text(element, "publication_date") or _child_text(element, "lastmod")
        yield Link(urllib.parse.urljoin(url, loc), date)
        count += 1
        if count >= MAX_LINKS:
            return


def _json_feed_links(content: bytes, url: str) -> list[Link]:
    """Item URLs of a JSON Feed (jsonfeed.org)."""
    try:
        data = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as err:
        raise InputError(f"malformed JSON feed ({err})") from err
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise InputError("a JSON document without an 'items' list is not a JSON Feed")
    links = []
    for item in items[:MAX_LINKS]:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if isinstance(link, str) and link.strip():
            date = item.get("date_published")
            links.append(
                Link(urllib.parse.urljoin(url, link), date if isinstance(date, str) else None)
            )
    return links


def discover_feeds(content: bytes, url: str, *, charset: str | None = None) -> list[str]:
    """Feed URLs an HTML page announces (``<link rel="alternate">``, else feed-like links)."""
    from trafilatura.feeds import FeedParameters, determine_feed

    host = urllib.parse.urlsplit(url).hostname or ""
    params = FeedParameters(url, host, url)
    found: list[str] = determine_feed(_text(content, charset), params)
    return list(dict.fromkeys(found))


def newest_first(links: list[Link]) -> list[Link]:
    """Links with the newest dated ones first (ISO dates sort as text), undated ones after."""
    dated = [link for link in links if link.date and link.date[:4].isdigit()]
    if len(dated) < len(links) // 2:  # dates missing or not ISO (RSS): keep document order
        return links
    undated = [link for link in links if not (link.date and link.date[:4].isdigit())]
    return sorted(dated, key=lambda link: link.date or "", reverse=True) + undated
