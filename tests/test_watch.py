"""Tests of detente watch against real HTTP servers on loopback serving feeds, sitemaps,
robots.txt and short article pages written for these tests; no other network, ever."""

from __future__ import annotations

import contextlib
import gzip
import ipaddress
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from detente import settings
from detente.acquire import feeds
from detente.acquire.fetch import Fetcher, IPAddress
from detente.acquire.watch import HostThrottle, RobotsCache, RoundReport, Watcher, watch
from detente.cli.watch import parse_duration, sources
from detente.store import sources as ss
from detente.store.database import Store

ROOT = Path(__file__).resolve().parent.parent

# --- the articles ---------------------------------------------------------------------------------

STORIES: dict[str, tuple[str, list[str]]] = {
    "grain": (
        "Turkey and Ukraine extend the Black Sea grain corridor",
        [
            "Turkish and Ukrainian officials agreed on Tuesday in Istanbul to extend the grain "
            "corridor across the Black Sea for another four months, the foreign ministry said.",
            "The deal lets cargo ships carry wheat and maize from Odesa through the Bosphorus, "
            "with joint inspections of every vessel in Turkish waters.",
            "Diplomats said the extension followed two weeks of talks mediated by United Nations "
            "envoys, who warned that food prices in Africa would rise again without it.",
        ],
    ),
    "sanctions": (
        "Washington adds shipping firms to its sanctions list",
        [
            "The United States Treasury placed seven shipping companies on its sanctions list "
            "on Friday, accusing them of moving oil in breach of the price cap.",
            "Officials in Washington said the firms had falsified insurance papers and switched "
            "off tracking beacons on tankers sailing from the Baltic.",
            "The companies, registered in three countries, denied any wrongdoing and said they "
            "would challenge the listing before a federal court in the spring.",
        ],
    ),
    "summit": (
        "Leaders of India and Brazil meet before the climate summit",
        [
            "The prime minister of India met the president of Brazil in New Delhi on Monday to "
            "prepare a joint position for the coming climate summit in Belem.",
            "Both leaders called on rich countries to triple their funding for forests and to "
            "honour earlier pledges on adaptation before the negotiations begin.",
            "Aides said a statement on biofuels and on a shared satellite programme to watch "
            "deforestation would be signed at the end of the visit on Wednesday.",
        ],
    ),
    "election": (
        "Observers praise the calm vote in Ghana",
        [
            "International observers said on Sunday that the presidential vote in Ghana had been "
            "calm and orderly, with long queues but few complaints at polling stations.",
            "The electoral commission in Accra expects the first official results within three "
            "days, while both main parties urged their supporters to wait patiently.",
            "Envoys of the African Union and of the regional bloc ECOWAS will publish a joint "
            "report on the count, the tallying and the handling of disputes next month.",
        ],
    ),
    "talks": (
        "Armenia and Azerbaijan resume border talks",
        [
            "Negotiators from Armenia and Azerbaijan resumed talks on demarcating their shared "
            "border on Thursday, meeting at a checkpoint north of the lake Sevan.",
            "The two delegations exchanged maps drawn by Soviet surveyors and agreed to set up "
            "working groups on roads, water supplies and the return of farmland.",
            "Mediators from the European Union welcomed the meeting and said a further round was "
            "planned before the end of the year in Brussels or in Geneva.",
        ],
    ),
    "secret": (
        "A page the robots file forbids",
        [
            "This page sits under a path that the robots file of the test server disallows, so "
            "a polite watcher must never request it, whatever the feeds say.",
            "If this text ever reaches the database, the robots rules were ignored and the test "
            "that serves it fails with a clear message about the request log.",
            "Nothing else of interest is written here; the page only needs three paragraphs so "
            "that extraction would keep it if it were fetched by mistake.",
        ],
    ),
}


def article_html(key: str) -> bytes:
    """A short news article page."""
    title, paragraphs = STORIES[key]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
        "<footer>Test Gazette</footer></body></html>"
    ).encode()


def rss(base: str, links: list[str]) -> bytes:
    """An RSS 2.0 feed with one item per link (relative links are joined to ``base``)."""
    items = "".join(
        f"<item><title>Item {i}</title><link>{base}{link}</link>"
        f"<pubDate>Mon, 0{i % 9 + 1} Jun 2026 10:00:00 GMT</pubDate></item>"
        for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Test Gazette</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()


def atom(base: str, links: list[str]) -> bytes:
    """An Atom feed with one entry per link."""
    entries = "".join(
        f'<entry><title>E{i}</title><link rel="alternate" type="text/html" href="{link}"/>'
        f"<id>urn:e{i}</id><updated>2026-06-0{i + 1}T10:00:00Z</updated></entry>"
        for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        f'xml:base="{base}/"><title>Atom Gazette</title>{entries}</feed>'
    ).encode()


# --- the test server ----------------------------------------------------------------------------


@dataclass
class Route:
    """What the server answers on one path."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    stream_bytes: int = 0  # send this many bytes without Content-Length instead of ``body``


@dataclass
class Request:
    """One request the server received."""

    path: str
    headers: dict[str, str]


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Route]
    requests: list[Request]

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client hangs up mid-response (the size limit test does)."""


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.requests.append(Request(self.path, headers))
        route = self.server.routes.get(urlsplit(self.path).path)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            if route is None:
                self._send(404, b"not found", {"Content-Type": "text/plain"})
                return
            time.sleep(route.delay)
            validators = {}
            if route.etag:
                validators["ETag"] = route.etag
            if route.last_modified:
                validators["Last-Modified"] = route.last_modified
            if (route.etag and headers.get("if-none-match") == route.etag) or (
                route.last_modified and headers.get("if-modified-since") == route.last_modified
            ):
                self._send(304, b"", validators)
                return
            if route.stream_bytes:
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.end_headers()
                chunk = b"<rss>" + b"x" * 65_531
                for _ in range(route.stream_bytes // len(chunk)):
                    self.wfile.write(chunk)
                return
            all_headers = {"Content-Type": route.content_type, **validators, **route.headers}
            all_headers["Content-Length"] = str(len(route.body))
            self._send(route.status, route.body, all_headers)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(body)


@dataclass
class Server:
    """A running test server: base URL, routes to fill, requests seen."""

    base: str
    routes: dict[str, Route]
    requests: list[Request]

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        """How many requests asked for ``path`` (query string ignored)."""
        return sum(1 for r in self.requests if urlsplit(r.path).path == path)

    def article(self, key: str, **options: Any) -> str:
        """Serve article ``key`` at /articles/KEY.html and return that path."""
        path = f"/articles/{key}.html"
        self.routes[path] = Route(article_html(key), **options)
        return path


def _start(host: str) -> _HTTPServer:
    httpd = _HTTPServer((host, 0), _Handler)
    httpd.routes = {}
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    return httpd


@pytest.fixture
def server() -> Iterator[Server]:
    """A fresh server on 127.0.0.1 (so robots.txt caches never carry over), robots.txt allowing."""
    httpd = _start("127.0.0.1")
    record = Server(f"http://127.0.0.1:{httpd.server_address[1]}", httpd.routes, httpd.requests)
    record.routes["/robots.txt"] = Route(b"User-agent: *\nAllow: /\n", content_type="text/plain")
    yield record
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "watch.db") as db:
        yield db


def watcher(store: Store, **options: Any) -> Watcher:
    """A watcher for tests: loopback allowed, no delay, no annotation (fetching is tested)."""
    options.setdefault("allow_private", True)
    return Watcher(store, delay=0.0, annotate=False, **options)


def run_round(store: Store, *urls: str, **options: Any) -> RoundReport:
    for url in urls:
        ss.add_source(store, url)
    with watcher(store, **options) as w:
        return w.run_round()


def titles(store: Store) -> set[str]:
    return {a.title or "" for a in store.articles()}


# --- rounds -------------------------------------------------------------------------------------


def test_new_items_are_ingested_once_and_the_second_round_adds_nothing(
    server: Server, store: Store
) -> None:
    paths = [server.article(k) for k in ("grain", "sanctions")]
    server.routes["/feed.xml"] = Route(
        rss(server.base, paths), content_type="application/rss+xml", etag='"f1"'
    )
    server.routes["/atom.xml"] = Route(
        atom(server.base, [server.article("summit")]), content_type="application/atom+xml"
    )
    first = run_round(store, server.url("/feed.xml"), server.url("/atom.xml"))
    assert (first.sources, first.new_urls, first.stored, first.failed) == (2, 3, 3, 0)
    assert titles(store) == {STORIES[k][0] for k in ("grain", "sanctions", "summit")}

    second = run_round(store)
    assert (second.sources, second.new_urls, second.stored) == (2, 0, 0)
    assert store.count_articles() == 3
    for key in ("grain", "sanctions", "summit"):
        assert server.hits(f"/articles/{key}.html") == 1
    assert all(r.headers["user-agent"] == settings.USER_AGENT for r in server.requests)
    feed = ss.get_source(store, server.url("/feed.xml"))
    assert feed is not None
    assert (feed.kind, feed.error_count, feed.articles_found, feed.etag) == ("feed", 0, 2, '"f1"')


def test_conditional_get_sends_the_validators_and_304_means_nothing_new(
    server: Server, store: Store
) -> None:
    stamp = formatdate(1_780_000_000, usegmt=True)
    server.routes["/feed.xml"] = Route(
        rss(server.base, [server.article("grain")]),
        content_type="application/rss+xml",
        etag='"v7"',
        last_modified=stamp,
    )
    run_round(store, server.url("/feed.xml"))
    first = [r for r in server.requests if r.path == "/feed.xml"]
    assert "if-none-match" not in first[0].headers
    report = run_round(store)
    feed_requests = [r for r in server.requests if r.path == "/feed.xml"]
    assert len(feed_requests) == 2
    assert feed_requests[1].headers["if-none-match"] == '"v7"'
    assert feed_requests[1].headers["if-modified-since"] == stamp
    assert (report.not_modified, report.new_urls, report.errors) == (1, 0, 0)

    # the feed changes: a new ETag, a new item, fetched in full
    server.routes["/feed.xml"] = Route(
        rss(server.base, ["/articles/grain.html", server.article("talks")]),
        content_type="application/rss+xml",
        etag='"v8"',
    )
    report = run_round(store)
    assert (report.not_modified, report.new_urls, report.stored) == (0, 1, 1)
    assert server.hits("/articles/grain.html") == 1


def test_sitemap_index_with_a_news_sitemap_and_a_gzipped_sitemap(
    server: Server, store: Store
) -> None:
    news = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{server.base}{server.article('election')}</loc><news:news>"
        "<news:publication>Test Gazette</news:publication>"
        "<news:publication_date>2026-06-02T08:00:00Z</news:publication_date>"
        "<news:title>Ghana</news:title></news:news></url></urlset>"
    ).encode()
    plain = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{server.base}{server.article('talks')}</loc>"
        "<lastmod>2026-06-01</lastmod></url></urlset>"
    ).encode()
    index = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{server.base}/news-sitemap.xml</loc><lastmod>2026-06-02</lastmod>"
        f"</sitemap><sitemap><loc>{server.base}/sitemap-1.xml.gz</loc></sitemap></sitemapindex>"
    ).encode()
    server.routes["/sitemap_index.xml"] = Route(index, content_type="application/xml")
    server.routes["/news-sitemap.xml"] = Route(news, content_type="application/xml", etag='"n"')
    server.routes["/sitemap-1.xml.gz"] = Route(
        gzip.compress(plain), content_type="application/x-gzip"
    )
    with watcher(store) as w:
        ss.add_source(store, server.url("/sitemap_index.xml"))
        report = w.run_round()
        assert (report.errors, report.new_urls, report.stored) == (0, 2, 2)
        again = w.run_round()  # the child's ETag is remembered by the running watcher
        assert again.new_urls == 0
    assert titles(store) == {STORIES["election"][0], STORIES["talks"][0]}
    child = [r for r in server.requests if r.path == "/news-sitemap.xml"]
    assert child[-1].headers.get("if-none-match") == '"n"'
    source = ss.get_source(store, server.url("/sitemap_index.xml"))
    assert source is not None and source.kind == "sitemap"


def test_a_home_page_is_watched_through_the_feeds_it_announces(
    server: Server, store: Store
) -> None:
    server.routes["/"] = Route(
        b'<html><head><link rel="alternate" type="application/rss+xml" title="News" '
        b'href="/rss/news.xml"></head><body><p>Welcome to the Test Gazette.</p></body></html>'
    )
    server.routes["/rss/news.xml"] = Route(
        rss(server.base, [server.article("summit")]), content_type="application/rss+xml"
    )
    report = run_round(store, server.url("/"))
    assert (report.errors, report.stored) == (0, 1)
    watched = {s.url: s for s in ss.list_sources(store)}
    assert watched[server.url("/")].kind == "page"
    assert watched[server.url("/rss/news.xml")].via == server.url("/")
    # the page is read again only after a day; its feed every round
    again = run_round(store)
    assert (again.sources, again.skipped) == (1, 1)
    assert server.hits("/") == 1


def test_a_page_that_announces_no_feed_is_an_error_that_says_what_to_do(
    server: Server, store: Store
) -> None:
    server.routes["/plain"] = Route(b"<html><body><p>No feeds here.</p></body></html>")
    report = run_round(store, server.url("/plain"))
    assert report.errors == 1
    source = ss.get_source(store, server.url("/plain"))
    assert source is not None and "add the outlet's feed or sitemap URL" in (
        source.last_error or ""
    )


# --- broken sources -----------------------------------------------------------------------------


def only(*allowed: str) -> Callable[[IPAddress], bool]:
    """An address policy allowing just these addresses (as tests/test_fetch.py does)."""
    addresses = {ipaddress.ip_address(a) for a in allowed}
    return lambda ip: ip in addresses


def test_broken_sources_are_recorded_and_the_round_goes_on(server: Server, store: Store) -> None:
    port = server.base.rsplit(":", 1)[1]
    server.routes["/good.xml"] = Route(
        rss(server.base, [server.article("grain")]), content_type="application/rss+xml"
    )
    server.routes["/error.xml"] = Route(b"oops", status=500, content_type="text/plain")
    server.routes["/malformed.xml"] = Route(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Broken & <<<</titl',
        content_type="application/rss+xml",
    )
    server.routes["/huge.xml"] = Route(
        content_type="application/rss+xml", stream_bytes=50 * 1024 * 1024
    )
    server.routes["/to-private.xml"] = Route(
        status=302, headers={"Location": f"http://127.0.0.2:{port}/good.xml"}
    )
    server.routes["/loop/a"] = Route(status=302, headers={"Location": "/loop/b"})
    server.routes["/loop/b"] = Route(status=301, headers={"Location": "/loop/a"})
    expected = {
        "/error.xml": "HTTP 500",
        "/malformed.xml": "malformed XML",
        "/huge.xml": "over the limit",
        "/to-private.xml": "127.0.0.2",
        "/loop/a": "redirect loop",
    }
    for path in expected:
        ss.add_source(store, server.url(path))
    ss.add_source(store, server.url("/good.xml"))
    # the guard is on (only 127.0.0.1 allowed, as a public address would be); articles are read
    # by ingest, which the test lets reach loopback
    with (
        Fetcher(address_allowed=only("127.0.0.1"), max_bytes=settings.MAX_FETCH_BYTES) as fetcher,
        watcher(store, fetcher=fetcher) as w,
    ):
        report = w.run_round()
        assert (report.sources, report.errors, report.stored) == (6, 5, 1)
        for path, reason in expected.items():
            source = ss.get_source(store, server.url(path))
            assert source is not None
            assert source.error_count == 1, path
            assert reason in (source.last_error or ""), (path, source.last_error)
            assert source.next_due is not None and source.next_due > (source.last_fetch or "")
        private = ss.get_source(store, server.url("/to-private.xml"))
        assert private is not None and "--allow-private" in (private.last_error or "")
        again = w.run_round()  # the broken ones back off; the good one is read
        assert (again.sources, again.skipped, again.errors) == (1, 5, 0)
    assert titles(store) == {STORIES["grain"][0]}


def test_backoff_doubles_with_each_error(server: Server, store: Store) -> None:
    server.routes["/error.xml"] = Route(b"oops", status=503)
    ss.add_source(store, server.url("/error.xml"))
    pauses = []
    with watcher(store, every=60.0) as w:
        for _ in range(3):
            with store._write() as conn:  # make it due again
                conn.execute("UPDATE sources_watched SET next_due = '2000-01-01T00:00:00+00:00'")
            w.run_round()
            source = ss.get_source(store, server.url("/error.xml"))
            assert source is not None and source.next_due and source.last_fetch
            pauses.append((_parse(source.next_due) - _parse(source.last_fetch)).total_seconds())
    assert pauses == [60.0, 120.0, 240.0]
    assert ss.get_source(store, server.url("/error.xml")).error_count == 3  # type: ignore[union-attr]


def _parse(text: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(text)


def test_a_loopback_source_is_refused_without_allow_private(server: Server, store: Store) -> None:
    server.routes["/good.xml"] = Route(rss(server.base, []), content_type="application/rss+xml")
    report = run_round(store, server.url("/good.xml"), allow_private=False)
    assert report.errors == 1
    source = ss.get_source(store, server.url("/good.xml"))
    assert source is not None and "--allow-private" in (source.last_error or "")
    assert server.requests == []


# --- politeness and dedup -----------------------------------------------------------------------


def test_robots_disallow_is_obeyed(server: Server, store: Store) -> None:
    server.routes["/robots.txt"] = Route(
        b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    server.routes["/private/secret.html"] = Route(article_html("secret"))
    server.routes["/feed.xml"] = Route(
        rss(server.base, ["/private/secret.html", server.article("talks")]),
        content_type="application/rss+xml",
    )
    server.routes["/private/feed.xml"] = Route(
        rss(server.base, [server.article("grain")]), content_type="application/rss+xml"
    )
    report = run_round(store, server.url("/feed.xml"), server.url("/private/feed.xml"))
    assert (report.stored, report.blocked, report.errors) == (1, 1, 1)
    assert server.hits("/private/secret.html") == 0
    assert server.hits("/private/feed.xml") == 0
    assert server.hits("/robots.txt") == 1  # cached per host
    assert ss.url_status(store, server.url("/private/secret.html")) == "blocked"
    source = ss.get_source(store, server.url("/private/feed.xml"))
    assert source is not None and "robots.txt" in (source.last_error or "")
    assert titles(store) == {STORIES["talks"][0]}


def test_robots_wildcards_and_end_anchors_are_obeyed(server: Server, store: Store) -> None:
    # urllib.robotparser read '*' and '$' literally and fetched /news/secret.html?print=1
    server.routes["/robots.txt"] = Route(
        b"User-agent: *\nAllow: /news/\nDisallow: /*?print=\nDisallow: /*.pdf$\n",
        content_type="text/plain",
    )
    server.routes["/news/secret.html"] = Route(article_html("secret"))
    server.routes["/news/talks.html"] = Route(article_html("talks"))
    server.routes["/files/report.pdf"] = Route(article_html("election"))
    server.routes["/files/summit.pdf.html"] = Route(article_html("summit"))
    links = ["/news/secret.html?print=1", "/news/talks.html", "/files/report.pdf",
             "/files/summit.pdf.html"]  # fmt: skip
    server.routes["/feed.xml"] = Route(rss(server.base, links), content_type="application/rss+xml")
    report = run_round(store, server.url("/feed.xml"))
    assert (report.stored, report.blocked) == (2, 2)
    assert server.hits("/news/secret.html") == 0 and server.hits("/files/report.pdf") == 0
    assert ss.url_status(store, server.url("/news/secret.html?print=1")) == "blocked"
    assert titles(store) == {STORIES["talks"][0], STORIES["summit"][0]}


def test_the_longest_robots_rule_wins() -> None:
    from detente.acquire.fetch import FetchResult

    def fetch(url: str) -> FetchResult:
        body = b"User-agent: *\nDisallow: /world/\nAllow: /world/europe/\nDisallow: /*.json$\n"
        return FetchResult(url, url, 200, body, "text/plain", None, "", {})

    robots = RobotsCache(fetch)
    assert robots.check("http://news.example/world/asia/1") is not None
    assert robots.check("http://news.example/world/europe/1") is None  # longer Allow wins
    assert robots.check("http://news.example/api/feed.json") is not None
    assert robots.check("http://news.example/api/feed.json?page=2") is None  # '$' anchors


def test_the_feed_item_gives_a_page_without_title_or_date_its_own(
    server: Server, store: Store
) -> None:
    _, paragraphs = STORIES["election"]
    bare = "<html><body><div>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div></body></html>"
    server.routes["/bare/story.html"] = Route(bare.encode())
    items = (
        f"<item><title>Calm vote in Ghana, observers say</title><link>{server.base}/bare/story.html"
        "</link><pubDate>Sun, 08 Dec 2024 18:00:00 GMT</pubDate></item>"
        f"<item><title>A feed title the page overrides</title><link>{server.base}"
        f"{server.article('talks')}</link><pubDate>Mon, 01 Jun 2026 10:00:00 GMT</pubDate></item>"
    )
    feed = f"<rss version='2.0'><channel><title>Gazette</title>{items}</channel></rss>"
    server.routes["/feed.xml"] = Route(feed.encode(), content_type="application/rss+xml")
    assert run_round(store, server.url("/feed.xml")).stored == 2
    by_source = {a.source: a for a in store.articles()}
    bare_article = by_source[server.url("/bare/story.html")]
    assert bare_article.title == "Calm vote in Ghana, observers say"
    assert (bare_article.published, bare_article.published_source) == ("2024-12-08", "feed")
    assert store.articles(search="observers")  # the filled title is searchable too
    talks = by_source[server.url(server.article("talks"))]
    assert talks.title == STORIES["talks"][0]  # its own title, the feed's date (it has none)
    assert (talks.published, talks.published_source) == ("2026-06-01", "feed")


def test_a_missing_robots_txt_allows_everything(server: Server, store: Store) -> None:
    del server.routes["/robots.txt"]
    server.routes["/feed.xml"] = Route(
        rss(server.base, [server.article("talks")]), content_type="application/rss+xml"
    )
    assert run_round(store, server.url("/feed.xml")).stored == 1


def test_a_story_in_two_feeds_with_tracking_parameters_is_fetched_once(
    server: Server, store: Store
) -> None:
    path = server.article("sanctions")
    server.routes["/a.xml"] = Route(
        rss(server.base, [f"{path}?utm_source=feed-a&amp;utm_medium=rss"]),
        content_type="application/rss+xml",
    )
    server.routes["/b.xml"] = Route(
        atom(server.base, [f"{server.base}{path}?utm_campaign=b&amp;fbclid=xyz#comments"]),
        content_type="application/atom+xml",
    )
    report = run_round(store, server.url("/a.xml"), server.url("/b.xml"))
    assert (report.new_urls, report.stored) == (1, 1)
    assert server.hits(path) == 1
    stored = [r.path for r in server.requests if r.path.startswith(path)]
    assert stored == [path]  # fetched without the tracking parameters


def test_requests_to_one_host_wait_for_the_delay() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    throttle = HostThrottle(2.0, sleep=sleep, clock=lambda: now[0])
    with throttle.turn("http://a.example/1"):
        now[0] += 0.5
    with throttle.turn("http://b.example/1"):  # another host: no wait
        pass
    with throttle.turn("http://a.example/2"):
        pass
    with throttle.turn("http://a.example/3", extra_delay=5.0):  # a robots.txt Crawl-delay
        pass
    assert slept == [2.0, 5.0]


def test_robots_crawl_delay_is_read_and_capped() -> None:
    from detente.acquire.fetch import FetchResult

    def fetch(url: str) -> FetchResult:
        body = b"User-agent: Detente\nCrawl-delay: 7\nDisallow: /x\n\nUser-agent: *\nDisallow: /"
        return FetchResult(url, url, 200, body, "text/plain", None, "", {})

    robots = RobotsCache(fetch)
    assert robots.check("http://news.example/story") is None  # our group, not '*'
    assert robots.check("http://news.example/x/1") is not None
    assert robots.crawl_delay("http://news.example/story") == 7.0


# --- restart ------------------------------------------------------------------------------------


def _count_articles(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:  # not created yet
        return 0


def _watch_command(feed: str, db: Path) -> list[str]:
    return [
        sys.executable, "-m", "detente", "watch", feed, "--once", "--db", str(db),
        "--allow-private", "--delay", "0", "--no-annotate",
    ]  # fmt: skip


def test_a_kill_mid_round_then_a_restart_ends_with_exactly_the_right_articles(
    server: Server, tmp_path: Path
) -> None:
    keys = ("grain", "sanctions", "summit", "election", "talks")
    paths = [server.article(k, delay=0.4) for k in keys]
    server.routes["/feed.xml"] = Route(
        rss(server.base, paths), content_type="application/rss+xml", etag='"k"'
    )
    db = tmp_path / "watch.db"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
        str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}  # fmt: skip
    process = subprocess.Popen(
        _watch_command(server.url("/feed.xml"), db),
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while _count_articles(db) < 1:
            assert process.poll() is None, process.stderr.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "no article stored within 20 s"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    stored_before = _count_articles(db)
    assert 1 <= stored_before < len(keys)
    before = len(server.requests)

    finished = subprocess.run(
        _watch_command(server.url("/feed.xml"), db), env=env, capture_output=True, timeout=60
    )
    assert finished.returncode == 0, finished.stderr.decode()
    after = [urlsplit(r.path).path for r in server.requests[before:]]
    article_requests = [p for p in after if p.startswith("/articles/")]
    assert len(article_requests) == len(set(article_requests))  # nothing fetched twice
    assert len(article_requests) <= len(keys) - stored_before
    with Store(db) as store:
        assert titles(store) == {STORIES[k][0] for k in keys}
        assert store.count_articles() == len(keys)
        assert ss.pending_urls(store) == []
        assert {s for (s,) in store._db().execute("SELECT status FROM seen_urls")} == {"stored"}


# --- the commands -------------------------------------------------------------------------------


def test_sources_commands_show_the_health(server: Server, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    server.routes["/good.xml"] = Route(
        rss(server.base, [server.article("grain")]), content_type="application/rss+xml"
    )
    server.routes["/error.xml"] = Route(b"oops", status=500)
    runner = CliRunner()
    result = runner.invoke(
        sources, ["add", server.url("/good.xml"), server.url("/error.xml"), "--db", db]
    )
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        watch(store, once=True, allow_private=True, delay=0, annotate=False)
    result = runner.invoke(sources, ["list", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["url"]: row for row in json.loads(result.output)}
    good, bad = rows[server.url("/good.xml")], rows[server.url("/error.xml")]
    assert (good["error_count"], good["articles_found"], good["urls"]) == (0, 1, {"stored": 1})
    assert bad["error_count"] == 1 and "HTTP 500" in bad["last_error"]
    table = runner.invoke(sources, ["list", "--db", db])
    assert table.exit_code == 0, table.output
    assert "failing" in table.output and "ok" in table.output
    removed = runner.invoke(sources, ["remove", server.url("/error.xml"), "--db", db])
    assert removed.exit_code == 0
    missing = runner.invoke(sources, ["remove", server.url("/error.xml"), "--db", db])
    assert missing.exit_code == 1 and "not watched" in missing.output
    bad_url = runner.invoke(sources, ["add", "ftp://example.org/feed", "--db", db])
    assert bad_url.exit_code == 1 and "http://" in bad_url.output


def test_watch_without_sources_says_what_to_do(tmp_path: Path) -> None:
    from detente.errors import InputError

    with Store(tmp_path / "empty.db") as store, pytest.raises(InputError, match="sources add"):
        watch(store, once=True)


# --- parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90.0), ("30s", 30.0), ("15m", 900.0), ("2h", 7200.0), ("1d", 86400.0)],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "5x", "-1m", "m"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("url", "normalized"),
    [
        ("https://News.Example/a?utm_source=x&id=3#top", "https://news.example/a?id=3"),
        ("https://news.example/a?b=2&a=1&fbclid=zz", "https://news.example/a?a=1&b=2"),
        ("/relative/story", "https://news.example/relative/story"),
        ("mailto:editor@news.example", None),
        ("javascript:alert(1)", None),
    ],
)
def test_normalize_url(url: str, normalized: str | None) -> None:
    assert feeds.normalize_url(url, "https://news.example/") == normalized


def test_parse_document_reads_each_format() -> None:
    base = "https://news.example/"
    rdf = (
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns="http://purl.org/rss/1.0/"><item><link>https://news.example/r1</link></item>'
        b"</rdf:RDF>"
    )
    guid = b"<rss><channel><item><guid>https://news.example/g1</guid></item></channel></rss>"
    jsonfeed = b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"url": "/j1"}]}'
    recovered = b"<rss><channel><item><link>https://news.example/x?a=1&b=2</link></item></rss>"
    assert [x.url for x in feeds.parse_document(rdf, base).links] == ["https://news.example/r1"]
    assert [x.url for x in feeds.parse_document(guid, base).links] == ["https://news.example/g1"]
    assert [x.url for x in feeds.parse_document(jsonfeed, base).links] == [
        "https://news.example/j1"
    ]
    parsed = feeds.parse_document(recovered, base)
    assert parsed.recovered and parsed.links
    assert feeds.parse_document(b"<html><body>hi</body></html>", base).kind == "page"


def test_feed_items_keep_their_titles_and_dates_in_utc() -> None:
    base = "https://news.example/"
    rss_feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>'
        b"<item><title> Talks resume at the border </title><link>/world/talks</link>"
        b"<pubDate>Tue, 02 Jun 2026 08:30:00 +0300</pubDate></item>"
        b"<item><link>https://news.example/world/untitled</link></item></channel></rss>"
    )
    atom_feed = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Gazette</title><entry>'
        b"<title>Grain corridor extended</title><id>urn:1</id>"
        b'<link rel="alternate" type="text/html" href="https://news.example/a/1"/>'
        b"<updated>2026-06-03T23:15:00-02:00</updated></entry></feed>"
    )
    talks, untitled = feeds.parse_document(rss_feed, base).links
    assert talks == feeds.Link(
        "https://news.example/world/talks", "2026-06-02T05:30:00Z", "Talks resume at the border"
    )
    assert untitled == feeds.Link("https://news.example/world/untitled")
    (entry,) = feeds.parse_document(atom_feed, base).links
    assert entry == feeds.Link(
        "https://news.example/a/1", "2026-06-04T01:15:00Z", "Grain corridor extended"
    )


def test_parse_document_never_resolves_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<rss><channel><item><link>https://news.example/&x;</link></item></channel></rss>"
    ).encode()
    parsed = feeds.parse_document(xxe, "https://news.example/")
    assert all("TOP SECRET" not in link.url for link in parsed.links)


def test_a_url_stored_just_before_a_kill_is_not_fetched_again(server: Server, store: Store) -> None:
    from detente.ingest import ingest

    url = server.url(server.article("election"))
    ingest([url], store=store, allow_private=True, annotate=False)  # stored, then killed ...
    source = ss.add_source(store, server.url("/feed.xml"))
    ss.queue_urls(store, source.id, [url])  # ... before the URL was marked
    server.requests.clear()
    with watcher(store) as w:
        report = w.run_round()
    assert report.stored == 1
    assert server.hits("/articles/election.html") == 0
    assert ss.url_status(store, url) == "stored"


def test_memory_stays_flat_over_many_rounds(server: Server, store: Store) -> None:
    import gc
    import tracemalloc

    server.routes["/feed.xml"] = Route(
        rss(server.base, [server.article("grain")]), content_type="application/rss+xml", etag='"m"'
    )
    ss.add_source(store, server.url("/feed.xml"))
    with watcher(store) as w:
        for _ in range(10):  # warm up: caches, the connection pool, the store
            w.run_round()
        gc.collect()
        tracemalloc.start()
        start = tracemalloc.take_snapshot()
        for _ in range(60):
            w.run_round()
            server.requests.clear()  # the test server's own log is not the watcher's memory
        gc.collect()
        grown = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(start, "filename"))
        tracemalloc.stop()
    assert grown < 100_000, f"{grown} bytes more after 60 rounds"  # ~20 kB seen: free lists
