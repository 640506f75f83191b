"""Keep watching: feeds, sitemaps and home pages, read politely, into the same database.

A *round* reads every due source once, then fetches the new article URLs it found:

1. each source (a feed, a sitemap or sitemap index, or a home page whose feeds are discovered
   and watched in its place) is fetched with a conditional GET; 304 means nothing new;
2. its links are normalized (tracking parameters and fragment dropped, see
   :func:`detente.acquire.feeds.normalize_url`) and queued in ``seen_urls`` as *pending* unless some
   source gave them before, so a story in two feeds is fetched once;
3. each pending URL is fetched and stored by :func:`detente.ingest.ingest` (the pipeline of
   ``detente ingest``, content dedup included), and only then marked stored (or failed).

So a watcher killed mid-round loses nothing and, restarted, fetches nothing twice: pending
URLs survive in the database and the source's validators are saved after its links are queued.

Politeness: robots.txt is honoured (cached per host, its Crawl-delay respected); requests to a
host are one at a time, ``delay`` seconds apart; every request carries the Detente user agent
and the time and size limits of :mod:`detente.acquire.fetch`, including its SSRF guard; a failing
source is retried after an exponentially growing pause (``next_due``).
"""

from __future__ import annotations

import logging
import re
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Final

from detente import settings
from detente._closing import Closing
from detente.acquire import feeds
from detente.acquire.fetch import Fetcher, FetchResult
from detente.errors import DetenteError, FetchError, InputError
from detente.store import sources as ss
from detente.store.database import Store

if TYPE_CHECKING:
    from protego import Protego

log = logging.getLogger(__name__)

#: Seconds between rounds: GDELT's cadence; most outlets update their feeds every few minutes.
DEFAULT_EVERY: Final = 15 * 60.0
#: Seconds between two requests to one host: a reader clicking fast, far below any rate limit.
DEFAULT_DELAY: Final = 2.0
#: Longest robots.txt Crawl-delay obeyed (seconds); a larger one would stall a round for hours.
MAX_CRAWL_DELAY: Final = 60.0
#: Seconds a host's robots.txt is trusted before it is read again (Google re-reads daily).
ROBOTS_TTL: Final = 24 * 3600.0
#: Seconds before retrying a robots.txt that could not be read (5xx, network): until then the
#: host is treated as disallowing everything, as RFC 9309 asks.
ROBOTS_RETRY: Final = 10 * 60.0
#: Hosts whose robots.txt and timing are remembered; least recently used ones are forgotten,
#: which keeps memory flat over days of watching.
MAX_HOSTS_REMEMBERED: Final = 2048
#: Longest pause after repeated errors of one source; the pause doubles per error up to this.
MAX_BACKOFF: Final = 24 * 3600.0
#: Seconds before a home page is read again for new feeds (its feeds are watched each round).
REDISCOVER_EVERY: Final = 24 * 3600.0
#: Newest links taken from one source per round: a feed holds 10-100, a news sitemap up to
#: 1,000; a full sitemap of 50,000 is cut to its newest, since watching is not archiving.
MAX_LINKS_PER_SOURCE: Final = 1000
#: Child sitemaps of an index read per round, newest first (news indexes list a few).
MAX_CHILD_SITEMAPS: Final = 20
#: Tries of an article URL that failed for a passing reason (timeout, 5xx, 429) before giving up.
MAX_ATTEMPTS: Final = 3
#: Accept header for sources: feeds and sitemaps first, HTML (a home page) after.
FEED_ACCEPT: Final = (
    "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,"
    "text/xml;q=0.9,text/html;q=0.8,*/*;q=0.1"
)

#: Failure reasons worth another try later: the server or the network, not the page.
_TRANSIENT = re.compile(r"HTTP (5\d\d|429|408)|timed out|could not connect|network error")
_HTTP_STATUS = re.compile(r"HTTP (\d{3})")


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(slots=True)
class RoundReport:
    """What one round did."""

    sources: int = 0  # sources fetched
    not_modified: int = 0  # of which answered 304
    errors: int = 0  # of which failed
    skipped: int = 0  # sources backing off after errors, not fetched
    new_urls: int = 0  # article URLs seen for the first time
    stored: int = 0  # articles stored (new or already in the database)
    failed: int = 0  # article URLs given up on (recorded in failures)
    blocked: int = 0  # article URLs robots.txt disallows
    retry: int = 0  # article URLs left pending for the next round

    def to_dict(self) -> dict[str, int]:
        """A JSON-ready summary."""
        return asdict(self)


# --- politeness ---------------------------------------------------------------------------------


class HostThrottle:
    """One request at a time per host, at least ``delay`` seconds apart."""

    def __init__(
        self,
        delay: float,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Set the delay; ``sleep`` and ``clock`` are injectable for tests."""
        if delay < 0:
            raise ValueError(f"delay must not be negative, got {delay!r}")
        self.delay = delay
        self._sleep = sleep
        self._clock = clock
        self._last: OrderedDict[str, float] = OrderedDict()

    @contextmanager
    def turn(self, url: str, extra_delay: float = 0.0) -> Iterator[None]:
        """Wait for ``url``'s host to be free, then hold it until the request is done."""
        host = feeds.host_of(url)
        last = self._last.get(host)
        if last is not None:
            remaining = last + max(self.delay, extra_delay) - self._clock()
            if remaining > 0:
                self._sleep(remaining)
        try:
            yield
        finally:
            self._last[host] = self._clock()
            self._last.move_to_end(host)
            while len(self._last) > MAX_HOSTS_REMEMBERED:
                self._last.popitem(last=False)


@dataclass(slots=True)
class _Robots:
    parser: Protego | None  # None: could not be read
    expires: float
    error: str | None = None


class RobotsCache:
    """robots.txt per host, read through the watcher's fetch and kept for ROBOTS_TTL.

    Parsed by protego, which follows RFC 9309 and Google's reading: ``*`` and ``$`` in paths
    (``Disallow: /*?print=``), the longest matching rule wins, ``Allow`` over ``Disallow`` on a
    tie. (``urllib.robotparser`` takes ``*`` literally and let such URLs through.)
    """

    def __init__(
        self,
        fetch: Callable[[str], FetchResult],
        *,
        user_agent: str = settings.USER_AGENT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Read robots.txt files with ``fetch`` (which must be polite and guarded)."""
        self._fetch = fetch
        self._agent = user_agent
        self._clock = clock
        self._hosts: OrderedDict[str, _Robots] = OrderedDict()

    def _entry(self, url: str) -> _Robots:
        host = feeds.host_of(url)
        entry = self._hosts.get(host)
        if entry is None or entry.expires < self._clock():
            entry = self._read(host)
            self._hosts[host] = entry
            while len(self._hosts) > MAX_HOSTS_REMEMBERED:
                self._hosts.popitem(last=False)
        self._hosts.move_to_end(host)
        return entry

    def _read(self, host: str) -> _Robots:
        from protego import Protego

        try:
            result = self._fetch(host + "/robots.txt")
        except FetchError as err:
            status = _HTTP_STATUS.search(str(err))
            if status is not None and 400 <= int(status.group(1)) < 500:
                # no robots.txt: everything is allowed (RFC 9309)
                return _Robots(Protego.parse(""), self._clock() + ROBOTS_TTL)
            log.warning("robots.txt of %s unavailable, not fetching there for now: %s", host, err)
            return _Robots(None, self._clock() + ROBOTS_RETRY, str(err))
        text = result.content.decode(result.charset or "utf-8", errors="replace")
        return _Robots(Protego.parse(text), self._clock() + ROBOTS_TTL)

    def check(self, url: str) -> str | None:
        """None when ``url`` may be fetched, else why not; FetchError if robots.txt is down."""
        entry = self._entry(url)
        if entry.parser is None:
            raise FetchError(f"robots.txt of {feeds.host_of(url)} is unavailable ({entry.error})")
        if entry.parser.can_fetch(url, self._agent):
            return None
        return f"robots.txt of {feeds.host_of(url)} disallows {url} for {self._agent}"

    def crawl_delay(self, url: str) -> float:
        """The host's Crawl-delay for us (capped at MAX_CRAWL_DELAY), 0 when none."""
        parser = self._entry(url).parser
        value = parser.crawl_delay(self._agent) if parser is not None else None
        return min(float(value), MAX_CRAWL_DELAY) if value else 0.0


# --- the watcher --------------------------------------------------------------------------------


def _conditional(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """Request headers that make a GET conditional on the stored validators."""
    headers = {"Accept": FEED_ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _day(moment: str | None) -> str | None:
    """The YYYY-MM-DD of an ISO 8601 date or timestamp (None for anything else)."""
    if moment and re.match(r"\d{4}-\d{2}-\d{2}", moment):
        return moment[:10]
    return None


def _interleave(pending: Sequence[ss.PendingUrl]) -> list[ss.PendingUrl]:
    """Pending URLs taken from each host in turn, so no host waits on another's delay."""
    by_host: OrderedDict[str, list[ss.PendingUrl]] = OrderedDict()
    for item in pending:
        by_host.setdefault(feeds.host_of(item.url), []).append(item)
    queues = [iter(items) for items in by_host.values()]
    order: list[ss.PendingUrl] = []
    while queues:
        for queue in list(queues):
            found = next(queue, None)
            if found is None:
                queues.remove(queue)
            else:
                order.append(found)
    return order


class Watcher(Closing):
    """Reads watched sources into a store, one round at a time."""

    def __init__(
        self,
        store: Store,
        *,
        allow_private: bool = False,
        every: float = DEFAULT_EVERY,
        delay: float = DEFAULT_DELAY,
        annotate: bool = True,
        dictionaries: Sequence[str] = (),
        fetcher: Fetcher | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Set the options; ``fetcher`` (for sources and robots.txt) stays the caller's."""
        if every <= 0:
            raise ValueError(f"every must be positive, got {every!r}")
        self.store = store
        self.allow_private = allow_private
        self.every = every
        self.annotate = annotate
        self.dictionaries = tuple(dictionaries)
        self._owns_fetcher = fetcher is None
        self._fetcher = fetcher or Fetcher(allow_private=allow_private)
        self._throttle = HostThrottle(delay, sleep=sleep)
        self._robots = RobotsCache(lambda url: self._request(url, {}, robots=False))
        # validators of child sitemaps, kept in memory only (a restart costs one full fetch)
        self._children: OrderedDict[str, tuple[str | None, str | None]] = OrderedDict()

    def close(self) -> None:
        """Close the fetcher if this watcher made it."""
        if self._owns_fetcher:
            self._fetcher.close()

    # -- requests --------------------------------------------------------------------------------

    def _request(self, url: str, headers: Mapping[str, str], *, robots: bool = True) -> FetchResult:
        """GET ``url`` politely: robots.txt first, then the host's turn; FetchError on failure."""
        extra = 0.0
        if robots:
            refusal = self._robots.check(url)
            if refusal is not None:
                raise InputError(refusal)
            extra = self._robots.crawl_delay(url)
        with self._throttle.turn(url, extra):
            return self._fetcher.get(url, headers=headers)

    # -- one round -------------------------------------------------------------------------------

    def run_round(self, urls: Sequence[str] | None = None) -> RoundReport:
        """Read every due source (only ``urls`` and their feeds, if given); store what is new."""
        report = RoundReport()
        sources = ss.list_sources(self.store, urls)
        checked: set[int] = set()
        queue = list(sources)
        while queue:
            source = queue.pop(0)
            if source.id in checked:
                continue
            checked.add(source.id)
            if not self._due(source):
                report.skipped += 1
                why = (
                    f"backing off after {source.error_count} errors"
                    if source.error_count
                    else ("home page read for feeds once a day")
                )
                log.info("%s: %s; next read %s", source.url, why, source.next_due)
                continue
            queue.extend(self._check_source(source, report))
        self._fetch_pending(sorted(checked) if urls is not None else None, report)
        log.info(
            "round done: %d sources read (%d unchanged, %d failed, %d backing off), %d new URLs, "
            "%d articles stored, %d failed, %d blocked by robots.txt, %d left for later",
            report.sources, report.not_modified, report.errors, report.skipped, report.new_urls,
            report.stored, report.failed, report.blocked, report.retry,
        )  # fmt: skip
        return report

    def _due(self, source: ss.WatchedSource) -> bool:
        """Whether a source is read this round: always, unless backing off or a page not due."""
        if source.next_due is None or (source.error_count == 0 and source.kind != "page"):
            return True
        return _iso(_now()) >= source.next_due

    def _check_source(
        self, source: ss.WatchedSource, report: RoundReport
    ) -> list[ss.WatchedSource]:
        """Fetch one source and queue its new links; feeds found on a home page are returned."""
        report.sources += 1
        started = _now()
        try:
            result = self._request(source.url, _conditional(source.etag, source.last_modified))
            if result.status == 304:
                report.not_modified += 1
                log.info("%s: not modified", source.url)
                self._succeeded(source, source.kind, source.etag, source.last_modified, started)
                return []
            parsed = feeds.parse_document(result.content, result.final_url, charset=result.charset)
            etag, modified = result.headers.get("etag"), result.headers.get("last-modified")
            if parsed.kind == "page":
                return self._discover(source, result, etag, modified, started)
            links = parsed.links
            kind = "feed" if parsed.kind == "feed" else "sitemap"
            note = "malformed XML, read in recovery mode" if parsed.recovered else None
            if parsed.kind == "sitemapindex":
                links, note = self._child_links(links)
            chosen = self._select(links, result.final_url)
            # a feed item's title and date stand in for the article's (a sitemap's lastmod is
            # when a page last changed, not when it was published: no fallback from it)
            hints = {u: (x.title, x.date) for u, x in chosen.items()} if kind == "feed" else {}
            new = ss.queue_urls(self.store, source.id, list(chosen), hints=hints)
            report.new_urls += new
            log.info("%s: %d links, %d new", source.url, len(links), new)
            # validators saved only after the links are queued: a kill in between re-reads
            self._succeeded(source, kind, etag, modified, started, note=note)
        except DetenteError as err:
            self._failed(source, str(err), started, report)
        except Exception as err:  # a bug on one source must not stop the others
            log.exception("%s: unexpected error", source.url)
            self._failed(source, f"unexpected {type(err).__name__}: {err}", started, report)
        return []

    def _discover(
        self,
        source: ss.WatchedSource,
        result: FetchResult,
        etag: str | None,
        modified: str | None,
        started: datetime,
    ) -> list[ss.WatchedSource]:
        """Watch the feeds a home page announces; InputError when it announces none."""
        found = feeds.discover_feeds(result.content, result.final_url, charset=result.charset)
        found = [url for url in found if url != source.url]
        if not found:
            raise InputError(
                'no feed announced on this page (no <link rel="alternate"> to RSS or Atom); '
                "add the outlet's feed or sitemap URL instead"
            )
        log.info("%s: watching the feeds it announces: %s", source.url, ", ".join(found))
        added = [ss.add_source(self.store, url, via=source.url) for url in found]
        self._succeeded(source, "page", etag, modified, started, every=REDISCOVER_EVERY)
        return added

    def _child_links(self, children: list[feeds.Link]) -> tuple[list[feeds.Link], str | None]:
        """Article links of a sitemap index's newest children; a note on any that failed."""
        links: list[feeds.Link] = []
        errors: list[str] = []
        chosen = feeds.newest_first(children)[:MAX_CHILD_SITEMAPS]
        for child in chosen:
            url = child.url
            etag, modified = self._children.get(url, (None, None))
            try:
                result = self._request(url, _conditional(etag, modified))
                if result.status == 304:
                    continue
                parsed = feeds.parse_document(result.content, result.final_url)
            except DetenteError as err:
                log.warning("%s: %s", url, err)
                errors.append(str(err))
                continue
            if parsed.kind != "sitemap":
                errors.append(f"{url}: a {parsed.kind}, not a sitemap of articles; skipped")
                continue
            links.extend(parsed.links)
            self._children[url] = (result.headers.get("etag"), result.headers.get("last-modified"))
            self._children.move_to_end(url)
            while len(self._children) > MAX_HOSTS_REMEMBERED:
                self._children.popitem(last=False)
        if chosen and len(errors) == len(chosen):
            raise InputError(f"every child sitemap failed; the first: {errors[0]}")
        note = f"{len(errors)} child sitemaps failed; the first: {errors[0]}" if errors else None
        return links, note

    def _select(self, links: list[feeds.Link], base: str) -> dict[str, feeds.Link]:
        """The newest links by normalized URL, without repeats (the first one kept)."""
        urls: dict[str, feeds.Link] = {}
        for link in feeds.newest_first(links):
            url = feeds.normalize_url(link.url, base)
            if url is not None:
                urls.setdefault(url, link)
            if len(urls) >= MAX_LINKS_PER_SOURCE:
                break
        return urls

    def _succeeded(
        self,
        source: ss.WatchedSource,
        kind: str,
        etag: str | None,
        modified: str | None,
        started: datetime,
        *,
        every: float | None = None,
        note: str | None = None,
    ) -> None:
        next_due = started + timedelta(seconds=every or self.every)
        ss.record_success(
            self.store, source.id, kind=kind, etag=etag, last_modified=modified,
            next_due=_iso(next_due), at=_iso(started), note=note,
        )  # fmt: skip

    def _failed(
        self, source: ss.WatchedSource, error: str, started: datetime, report: RoundReport
    ) -> None:
        report.errors += 1
        pause = min(MAX_BACKOFF, self.every * 2 ** min(source.error_count, 20))
        next_due = _iso(started + timedelta(seconds=pause))
        log.warning("%s: %s (error %d; next try %s)", source.url, error, source.error_count + 1,
                    next_due)  # fmt: skip
        ss.record_error(self.store, source.id, error, next_due=next_due, at=_iso(started))

    # -- articles --------------------------------------------------------------------------------

    def _fetch_pending(self, source_ids: Sequence[int] | None, report: RoundReport) -> None:
        """Fetch and store every pending article URL (of these sources, if given)."""
        for item in _interleave(ss.pending_urls(self.store, source_ids)):
            self._fetch_article(item, report)

    def _fetch_article(self, item: ss.PendingUrl, report: RoundReport) -> None:
        """Ingest one article URL, then mark it stored, failed, blocked or left pending."""
        from detente.ingest import ingest

        url = item.url
        stored = ss.stored_article_for(self.store, url)  # stored just before a kill
        if stored is not None:
            ss.mark_url(self.store, url, "stored", article_id=stored)
            report.stored += 1
            return
        try:
            refusal = self._robots.check(url)
            delay = self._robots.crawl_delay(url)
        except FetchError as err:
            log.warning("%s: left for later: %s", url, err)
            report.retry += 1
            return
        if refusal is not None:
            log.info("%s: %s", url, refusal)
            ss.mark_url(self.store, url, "blocked", reason=refusal)
            report.blocked += 1
            return
        with self._throttle.turn(url, delay):
            result = ingest(
                [url], store=self.store, allow_private=self.allow_private,
                annotate=self.annotate, dictionaries=self.dictionaries,
                default_date=_day(item.published),  # the feed's date, if the page has none
            )  # fmt: skip
        if result.failures:
            reason = result.failures[0].reason
            if _TRANSIENT.search(reason) and item.attempts + 1 < MAX_ATTEMPTS:
                ss.retry_later(self.store, url, reason)
                report.retry += 1
            else:
                ss.mark_url(self.store, url, "failed", reason=reason)
                report.failed += 1
            return
        article_id = result.article_ids[0] if result.article_ids else None
        if article_id is not None and (item.title or item.published):
            ss.fill_from_feed(self.store, article_id, title=item.title)
        ss.mark_url(
            self.store,
            url,
            "stored",
            article_id=article_id or ss.stored_article_for(self.store, url),
        )
        report.stored += 1
        log.info("%s: stored%s", url, f" as {article_id}" if article_id else " (already known)")


# --- the library functions behind the commands ------------------------------------------------


def check_source_url(url: str) -> str:
    """``url`` stripped, or InputError when it is not an absolute http(s) URL."""
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError(
            f"{url!r} is not a feed, sitemap or home page URL; give an absolute http:// or "
            "https:// URL, e.g. https://example.org/rss.xml"
        )
    return url


def add_sources(store: Store, urls: Sequence[str]) -> list[ss.WatchedSource]:
    """Watch these URLs (feeds, sitemaps or home pages); ones already watched stay as they are."""
    return [ss.add_source(store, check_source_url(url)) for url in urls]


def watch(
    store: Store,
    sources: Sequence[str] = (),
    *,
    every: float = DEFAULT_EVERY,
    once: bool = False,
    allow_private: bool = False,
    delay: float = DEFAULT_DELAY,
    annotate: bool = True,
    dictionaries: Sequence[str] = (),
    fetcher: Fetcher | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> RoundReport:
    """Watch ``sources`` (or every watched source): one round, or a round every ``every`` s."""
    urls = [source.url for source in add_sources(store, sources)] if sources else None
    if urls is None and not ss.list_sources(store):
        raise InputError(
            "no sources to watch: give feed, sitemap or home page URLs "
            "(detente watch URL...), or add them with detente sources add URL..."
        )
    with Watcher(
        store, allow_private=allow_private, every=every, delay=delay, annotate=annotate,
        dictionaries=dictionaries, fetcher=fetcher, sleep=sleep,
    ) as watcher:  # fmt: skip
        while True:
            started = time.monotonic()
            report = watcher.run_round(urls)
            if once:
                return report
            pause = started + every - time.monotonic()
            if pause > 0:
                log.info("next round in %.0f s", pause)
                sleep(pause)
