"""Tests of detente.acquire.fetch against real HTTP servers on loopback; no other network, ever.

The address rule is tested on IP literals with the pure function ``is_public_address``; fetches go
only to 127.0.0.1 (and 127.0.0.2, where the machine lets us bind it, as a harmless refused target).
"""

from __future__ import annotations

import contextlib
import gzip
import ipaddress
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from detente import settings
from detente.acquire.fetch import (
    Fetcher,
    FetchResult,
    describe_address,
    fetch_url,
    is_public_address,
    parse_content_type,
)
from detente.errors import FetchError, InputError, RefusedURLError

PAGE = "<html><head><title>Réunion</title></head><body><p>Ministers met.</p></body></html>"
PAGE_BYTES = PAGE.encode("utf-8")

# --- the test servers ---------------------------------------------------------------------------


@dataclass
class Seen:
    """One request a test server received."""

    path: str
    headers: dict[str, str]


@dataclass
class Server:
    """A running test server: its base URL and the requests it saw."""

    base: str
    seen: list[Seen] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    record: Server

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client hangs up mid-response (the size and timeout tests do)."""


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.record.seen.append(
            Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
        )
        parts = urlsplit(self.path)
        path, query = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route(path, query)

    def _route(self, path: str, query: dict[str, str]) -> None:
        html = {"Content-Type": "text/html; charset=UTF-8", "Content-Length": str(len(PAGE_BYTES))}
        if path.endswith("/page"):
            self._send(200, PAGE_BYTES, {**html, "ETag": '"v1"'})
        elif path == "/plain":
            self._send(200, b"plain text", {"Content-Type": "Text/Plain"})
        elif path == "/gzip":
            body = gzip.compress(PAGE_BYTES)
            self._send(
                200,
                body,
                {
                    "Content-Type": "text/html",
                    "Content-Encoding": "gzip",
                    "Content-Length": str(len(body)),
                },
            )
        elif path.endswith("/redirect"):  # /redirect?status=301&to=LOCATION
            self._send(int(query.get("status", "302")), headers={"Location": query["to"]})
        elif path.startswith("/chain/"):  # /chain/N redirects N times, then serves the page
            n = int(path.rsplit("/", 1)[1])
            if n == 0:
                self._send(200, PAGE_BYTES, html)
            else:
                self._send(302, headers={"Location": f"/chain/{n - 1}"})
        elif path == "/loop/a":
            self._send(302, headers={"Location": "/loop/b"})
        elif path == "/loop/b":
            self._send(301, headers={"Location": "/loop/a"})
        elif path == "/no-location":
            self._send(302)
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, b"late", {"Content-Type": "text/plain"})
        elif path == "/drip":  # one byte every 0.05 s, never more than the read timeout apart
            self._send(200, headers={"Content-Type": "text/plain"})
            for _ in range(60):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.05)
        elif path == "/big":  # /big?n=BYTES&cl=0|1
            n = int(query["n"])
            headers = {"Content-Type": "text/plain"}
            if query.get("cl") == "1":
                headers["Content-Length"] = str(n)
            self._send(200, b"a" * n, headers)  # HTTP/1.0: without a length, close ends it
        elif path == "/not-modified":
            self._send(304)
        elif path.startswith("/status/"):
            self._send(int(path.rsplit("/", 1)[1]), b"error page", {"Content-Type": "text/html"})
        else:
            self._send(404, b"no such route")


def _start(host: str) -> tuple[_HTTPServer, Server]:
    httpd = _HTTPServer((host, 0), _Handler)
    httpd.record = Server(base=f"http://{host}:{httpd.server_address[1]}")
    threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return httpd, httpd.record


@pytest.fixture(scope="module")
def _servers() -> Iterator[dict[str, Server | None]]:
    running: list[_HTTPServer] = []
    found: dict[str, Server | None] = {}
    for name, host in (("main", "127.0.0.1"), ("other", "127.0.0.1"), ("alt", "127.0.0.2")):
        try:
            httpd, record = _start(host)
        except OSError:  # 127.0.0.2 is not bindable everywhere (e.g. macOS)
            found[name] = None
            continue
        running.append(httpd)
        found[name] = record
    yield found
    for httpd in running:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def server(_servers: dict[str, Server | None]) -> Server:
    """The main server on 127.0.0.1, its request log emptied."""
    main = _servers["main"]
    assert main is not None
    main.seen.clear()
    return main


@pytest.fixture
def other(_servers: dict[str, Server | None]) -> Server:
    """A second server on 127.0.0.1 (another origin), its request log emptied."""
    second = _servers["other"]
    assert second is not None
    second.seen.clear()
    return second


@pytest.fixture
def alt(_servers: dict[str, Server | None]) -> Server | None:
    """A server on 127.0.0.2, or None when that address cannot be bound here."""
    third = _servers["alt"]
    if third is not None:
        third.seen.clear()
    return third


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def only(address: str) -> Any:
    """An address policy that allows exactly ``address``."""
    allowed = ipaddress.ip_address(address)
    return lambda ip: ip == allowed


# --- plain fetches ------------------------------------------------------------------------------


def test_plain_page(server: Server) -> None:
    result = fetch_url(server.url("/page"), allow_private=True)
    assert isinstance(result, FetchResult)
    assert result.status == 200
    assert result.content == PAGE_BYTES
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.url == server.url("/page")
    assert result.final_url == server.url("/page")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", result.fetched_at)
    assert result.headers["etag"] == '"v1"'
    assert all(name == name.lower() for name in result.headers)
    [request] = server.seen
    assert request.headers["user-agent"] == settings.USER_AGENT
    assert "text/html" in request.headers["accept"]


def test_content_type_without_charset_and_extra_headers(server: Server) -> None:
    result = fetch_url(server.url("/plain"), allow_private=True, headers={"If-None-Match": '"v0"'})
    assert (result.content_type, result.charset) == ("text/plain", None)
    assert server.seen[0].headers["if-none-match"] == '"v0"'
    assert server.seen[0].headers["user-agent"] == settings.USER_AGENT


def test_gzip_is_decompressed(server: Server) -> None:
    assert fetch_url(server.url("/gzip"), allow_private=True).content == PAGE_BYTES


def test_not_modified_is_a_result_not_an_error(server: Server) -> None:
    result = fetch_url(server.url("/not-modified"), allow_private=True)
    assert (result.status, result.content) == (304, b"")


def test_fetcher_reuses_its_client_and_leaves_a_given_client_open(server: Server) -> None:
    with Fetcher(allow_private=True) as fetcher:
        assert fetcher.get(server.url("/page")).status == 200
        assert fetcher.get(server.url("/plain")).content == b"plain text"
    assert fetcher._client.is_closed
    with httpx.Client(follow_redirects=True, trust_env=False) as client:
        with Fetcher(allow_private=True, client=client) as fetcher:
            assert fetcher.get(server.url("/chain/1")).final_url == server.url("/chain/0")
        assert not client.is_closed
    assert len(server.seen) == 4  # the client's follow_redirects was overridden: one GET per hop


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, (None, None)),
        ("", (None, None)),
        ("TEXT/HTML", ("text/html", None)),
        ('text/html; Charset="ISO-8859-1"', ("text/html", "iso-8859-1")),
        ("text/html;charset=utf-8;q=1", ("text/html", "utf-8")),
        (
            "application/xhtml+xml; boundary=x; charset= windows-1252 ",
            ("application/xhtml+xml", "windows-1252"),
        ),
        ("text/plain; charset=", ("text/plain", None)),
    ],
)
def test_parse_content_type(header: str | None, expected: tuple[str | None, str | None]) -> None:
    assert parse_content_type(header) == expected


# --- the address guard on fetches ---------------------------------------------------------------


def test_loopback_is_refused_without_allow_private(server: Server) -> None:
    for url in (server.url("/page"), server.url("/page").replace("127.0.0.1", "localhost")):
        with pytest.raises(RefusedURLError) as info:
            fetch_url(url)
        message = str(info.value)
        assert url in message
        assert "127.0.0.1" in message or "::1" in message
        assert "loopback" in message
        assert "--allow-private" in message
    assert server.seen == []
    assert fetch_url(server.url("/page"), allow_private=True).status == 200


@pytest.mark.parametrize(
    "host",
    ["2130706433", "0x7f.1", "017700000001", "127.1", "[::ffff:127.0.0.1]", "[::1]", "0.0.0.0"],
)
def test_odd_spellings_of_loopback_are_refused(server: Server, host: str) -> None:
    port = server.base.rsplit(":", 1)[1]
    with pytest.raises(RefusedURLError, match="allow-private"):
        fetch_url(f"http://{host}:{port}/page")
    assert server.seen == []


def test_refusal_is_a_fetch_error_and_an_input_error() -> None:
    assert issubclass(RefusedURLError, FetchError)
    assert issubclass(FetchError, InputError)


def test_any_refused_address_among_several_refuses(server: Server) -> None:
    resolver_calls: list[tuple[str, int]] = []

    def resolver(host: str, port: int) -> list[str]:
        resolver_calls.append((host, port))
        return ["127.0.0.1", "127.0.0.3"]

    port = int(server.base.rsplit(":", 1)[1])
    with pytest.raises(RefusedURLError, match=r"127\.0\.0\.3"):
        fetch_url(
            f"http://news.test:{port}/page", resolver=resolver, address_allowed=only("127.0.0.1")
        )
    assert resolver_calls == [("news.test", port)]
    assert server.seen == []


def test_resolver_failure_is_a_fetch_error() -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(FetchError, match=r"cannot resolve host 'nowhere\.test'") as info:
        fetch_url("http://nowhere.test/", resolver=resolver)
    assert not isinstance(info.value, RefusedURLError)
    assert isinstance(info.value.__cause__, socket.gaierror)
    with pytest.raises(FetchError, match="no address"):
        fetch_url("http://nowhere.test/", resolver=lambda host, port: [])


def test_policy_allows_a_fetch(server: Server) -> None:
    def resolver(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    result = fetch_url(server.url("/page"), address_allowed=only("127.0.0.1"), resolver=resolver)
    assert result.status == 200


def test_redirect_to_a_refused_address_is_refused_at_the_hop(
    server: Server, alt: Server | None
) -> None:
    port = server.base.rsplit(":", 1)[1]
    target = alt.url("/page") if alt else f"http://127.0.0.2:{port}/page"
    with pytest.raises(RefusedURLError) as info:
        fetch_url(
            server.url(f"/redirect?status=302&to={target}"), address_allowed=only("127.0.0.1")
        )
    assert f"redirected to {target}" in str(info.value)
    assert "127.0.0.2" in str(info.value)
    assert len(server.seen) == 1  # the redirect itself was fetched
    if alt is not None:
        assert alt.seen == []  # nothing reached 127.0.0.2


def test_redirect_guard_holds_with_a_client_that_follows_redirects(
    server: Server, alt: Server | None
) -> None:
    target = alt.url("/page") if alt else "http://127.0.0.2:9/page"
    with (
        httpx.Client(follow_redirects=True, trust_env=False) as client,
        pytest.raises(RefusedURLError),
    ):
        fetch_url(
            server.url(f"/redirect?status=301&to={target}"),
            address_allowed=only("127.0.0.1"),
            client=client,
        )
    if alt is not None:
        assert alt.seen == []


def test_peer_address_is_checked_before_the_request_is_sent(server: Server) -> None:
    """DNS rebinding: the guard's lookup says yes, the connection's actual peer says no."""
    verdicts = iter([True])  # the first check (the guard's) passes, every later one fails

    def policy(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return next(verdicts, False)

    with pytest.raises(RefusedURLError, match=r"127\.0\.0\.1"):
        fetch_url(server.url("/page"), address_allowed=policy)
    assert server.seen == []  # refused after connect, before a byte of the request


def test_peer_address_is_checked_again_on_the_response(server: Server) -> None:
    """The response-level peer check stands in when the trace hook did not fire."""
    verdicts = iter([True, True])  # the guard and the trace hook pass, the response check fails

    def policy(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return next(verdicts, False)

    with pytest.raises(RefusedURLError, match=r"127\.0\.0\.1"):
        fetch_url(server.url("/page"), address_allowed=policy)
    assert len(server.seen) == 1  # too late to stop the request, but its answer is not used


def test_a_failing_policy_refuses(server: Server) -> None:
    def policy(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        raise RuntimeError("broken policy")

    with pytest.raises(RefusedURLError):
        fetch_url(server.url("/page"), address_allowed=policy)
    assert server.seen == []


# --- redirects ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_statuses_are_followed(server: Server, status: int) -> None:
    result = fetch_url(server.url(f"/redirect?status={status}&to=/page"), allow_private=True)
    assert result.final_url == server.url("/page")
    assert result.url == server.url(f"/redirect?status={status}&to=/page")
    assert result.content == PAGE_BYTES
    assert [seen.path for seen in server.seen][-1] == "/page"


@pytest.mark.parametrize(
    ("start", "location", "final"),
    [
        ("/redirect", "page", "/page"),
        ("/a/b/redirect", "../page", "/a/page"),
        ("/a/b/redirect", "page", "/a/b/page"),
        ("/a/redirect", "//HOST/x/page", "/x/page"),
    ],
)
def test_relative_locations(server: Server, start: str, location: str, final: str) -> None:
    location = location.replace("HOST", server.base.removeprefix("http://"))
    result = fetch_url(server.url(f"{start}?to={location}"), allow_private=True)
    assert result.final_url == server.url(final)


def test_redirect_chain_up_to_the_limit(server: Server) -> None:
    result = fetch_url(server.url("/chain/3"), allow_private=True, max_redirects=3)
    assert result.final_url == server.url("/chain/0")
    assert len(server.seen) == 4


def test_too_many_redirects(server: Server) -> None:
    with pytest.raises(FetchError, match="more than 2 redirects") as info:
        fetch_url(server.url("/chain/3"), allow_private=True, max_redirects=2)
    assert server.url("/chain/3") in str(info.value)
    assert len(server.seen) == 3


def test_redirect_loop(server: Server) -> None:
    with pytest.raises(FetchError, match="redirect loop") as info:
        fetch_url(server.url("/loop/a"), allow_private=True)
    assert server.url("/loop/a") in str(info.value)
    assert len(server.seen) == 2


def test_redirect_without_location(server: Server) -> None:
    with pytest.raises(FetchError, match="without a Location"):
        fetch_url(server.url("/no-location"), allow_private=True)


def test_redirect_to_another_scheme_is_refused(server: Server) -> None:
    with pytest.raises(FetchError, match="only http:// and https://"):
        fetch_url(server.url("/redirect?to=file:///etc/passwd"), allow_private=True)


def test_credentials_do_not_follow_a_redirect_to_another_origin(
    server: Server, other: Server
) -> None:
    secret = {"Authorization": "Bearer s3cret", "Cookie": "session=1", "X-Keep": "yes"}
    result = fetch_url(
        server.url(f"/redirect?to={other.url('/page')}"), allow_private=True, headers=secret
    )
    assert result.final_url == other.url("/page")
    assert server.seen[0].headers["authorization"] == "Bearer s3cret"
    [hop] = other.seen
    assert "authorization" not in hop.headers
    assert "cookie" not in hop.headers
    assert hop.headers["x-keep"] == "yes"


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 500])
def test_error_status(server: Server, status: int) -> None:
    url = server.url(f"/status/{status}")
    with pytest.raises(FetchError, match=f"HTTP {status}") as info:
        fetch_url(url, allow_private=True)
    assert url in str(info.value)


def test_timeout(server: Server) -> None:
    url = server.url("/slow")
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0\.3s") as info:
        fetch_url(url, allow_private=True, timeout=0.3)
    assert time.monotonic() - started < 1.2
    assert url in str(info.value)
    assert isinstance(info.value.__cause__, httpx.TimeoutException)


def test_total_timeout_stops_a_dripping_server(server: Server) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"longer than 0\.3s"):
        fetch_url(server.url("/drip"), allow_private=True, timeout=1.0, total_timeout=0.3)
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("with_length", [True, False])
def test_size_limit(server: Server, with_length: bool) -> None:
    url = server.url(f"/big?n=200000&cl={int(with_length)}")
    with pytest.raises(FetchError, match="over the limit of 10000 bytes") as info:
        fetch_url(url, allow_private=True, max_bytes=10_000)
    assert ("Content-Length" in str(info.value)) is with_length
    exact = fetch_url(url.replace("200000", "10000"), allow_private=True, max_bytes=10_000)
    assert len(exact.content) == 10_000


def test_gzip_limit_applies_to_the_decompressed_size(server: Server) -> None:
    with pytest.raises(FetchError, match="over the limit"):
        fetch_url(server.url("/gzip"), allow_private=True, max_bytes=len(PAGE_BYTES) - 1)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/file.txt",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://127.0.0.1:70/",
        "data:text/html,<p>hi</p>",
    ],
)
def test_unsupported_scheme(url: str) -> None:
    with pytest.raises(FetchError, match="only http:// and https:// URLs are accepted") as info:
        fetch_url(url)
    assert url in str(info.value)


@pytest.mark.parametrize("url", ["example.com/page", "http:///page", "http://exa mple.com/"])
def test_malformed_urls(url: str) -> None:
    with pytest.raises(FetchError, match=re.escape(url)):
        fetch_url(url, resolver=lambda host, port: [])


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/"
    with pytest.raises(FetchError, match="could not connect") as info:
        fetch_url(url, allow_private=True, timeout=2)
    assert url in str(info.value)
    assert isinstance(info.value.__cause__, httpx.ConnectError)


def test_bad_options() -> None:
    with pytest.raises(ValueError, match="timeout"):
        Fetcher(timeout=0)
    with pytest.raises(ValueError, match="max_bytes"):
        Fetcher(max_bytes=-1)


# --- the address rule, as a pure function -------------------------------------------------------

REFUSED_NETWORKS = [
    "0.0.0.0/8",  # "this network"
    "10.0.0.0/8",
    "100.64.0.0/10",  # carrier-grade NAT
    "127.0.0.0/8",
    "169.254.0.0/16",  # link-local, cloud metadata
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",  # documentation
    "192.88.99.0/24",  # 6to4 relay anycast
    "192.168.0.0/16",
    "198.18.0.0/15",  # benchmarking
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",  # multicast
    "240.0.0.0/4",  # reserved, broadcast
    "::/128",
    "::1/128",
    "64:ff9b:1::/48",  # local-use NAT64
    "100::/64",  # discard
    "2001::/23",  # IETF protocol assignments, Teredo
    "2001:db8::/32",  # documentation
    "3fff::/20",  # documentation
    "5f00::/16",  # segment routing
    "fc00::/7",  # unique local
    "fe80::/10",  # link-local
    "fec0::/10",  # site-local (deprecated)
    "ff00::/8",  # multicast
]
PRIVATE_V4 = ["10.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"]


@st.composite
def address_in(
    draw: st.DrawFn, networks: list[str]
) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    network = ipaddress.ip_network(draw(st.sampled_from(networks)))
    offset = draw(st.integers(0, network.num_addresses - 1))
    return ipaddress.ip_address(int(network.network_address) + offset)


@given(address_in(REFUSED_NETWORKS))
def test_rule_refuses_every_non_public_address(
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> None:
    assert not is_public_address(ip)
    assert not is_public_address(str(ip))
    assert not is_public_address(int(ip)) or ip.version == 6  # ints below 2**32 mean IPv4
    assert describe_address(ip) != "a public address"


@given(address_in(PRIVATE_V4), st.sampled_from(["mapped", "nat64", "6to4"]))
def test_rule_sees_through_ipv6_wrappings(
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address, how: str
) -> None:
    wrapped = {
        "mapped": f"::ffff:{ip}",
        "nat64": f"64:ff9b::{ip}",
        "6to4": str(ipaddress.IPv6Address((0x2002 << 112) | (int(ip) << 80))),
    }[how]
    assert not is_public_address(wrapped)


@given(st.one_of(st.text(), st.integers(), st.binary(), st.none(), st.floats(), st.booleans()))
def test_rule_never_raises(value: object) -> None:
    assert isinstance(is_public_address(value), bool)
    assert isinstance(describe_address(value), str)


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "1.1.1.1",
        "93.184.215.14",
        "2606:4700:4700::1111",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
    ],
)
def test_rule_accepts_public_addresses(address: str) -> None:
    assert is_public_address(address)
    assert is_public_address(ipaddress.ip_address(address))
    assert describe_address(address) == "a public address"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("[::1]", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("fd00::1", "private"),
        (2130706433, "loopback"),
        ("localhost", "not an IP address"),
    ],
)
def test_describe_address(address: object, kind: str) -> None:
    assert kind in describe_address(address)
    assert not is_public_address(address)
