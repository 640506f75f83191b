"""Fetch one URL safely: http(s) only, an address guard on every hop, limits on time and size.

The address guard protects against server-side request forgery (SSRF): a URL from an untrusted
list must not make Detente read a router page, a cloud metadata endpoint or a local service. It
works in two places:

1. Before every request (the first and each redirect hop) the host is resolved and the request is
   refused if *any* resolved address is not globally routable (:func:`is_public_address`). IP
   literals, ``localhost`` and odd IPv4 spellings (``2130706433``, ``0x7f.1``, ``0177.1``) are all
   judged on the address the resolver returns, never on the spelling.
2. After the TCP connection is made, the peer address the socket actually uses is checked against
   the same rule, before TLS and before a single byte of the request is sent. The resolver and
   httpx resolve the name separately, so a DNS server could answer "public" to the first and
   "127.0.0.1" to the second (DNS rebinding); the peer check closes that gap.

``allow_private=True`` turns the guard off, for fetching from a local test server.

Redirects are followed here, not by httpx, so that each hop passes the guard. TLS certificates are
always verified, and a verification failure is an error: there is no retry without verification.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import httpx

from detente import settings
from detente._closing import Closing
from detente.errors import FetchError, RefusedURLError

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: Resolves ``(host, port)`` to the IP addresses (as text) a connection could use.
Resolver = Callable[[str, int], list[str]]
#: Decides whether an address may be fetched from; the default is :func:`is_public_address`.
AddressPolicy = Callable[[IPAddress], bool]

#: URL schemes fetch accepts.
ALLOWED_SCHEMES: Final = ("http", "https")
#: Statuses whose ``Location`` header is followed.
REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
#: Sent with every request: we want HTML or text, anything else is a last resort.
ACCEPT: Final = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1"
#: The advice every refusal ends with.
ALLOW_PRIVATE_HINT: Final = (
    "pass --allow-private to fetch from private or loopback addresses (e.g. for local testing)"
)
#: Caller headers that never follow a redirect to another origin.
_CREDENTIAL_HEADERS: Final = ("authorization", "proxy-authorization", "cookie")
#: The well-known NAT64 prefix (RFC 6052): the last 32 bits are the IPv4 address really reached.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
#: Special-purpose networks (IANA registries) refused whatever this Python's ``ipaddress`` tables
#: say: older Pythons count e.g. 192.0.0.8 or 3fff::1 as global.
_SPECIAL_NETWORKS: Final = tuple(
    (ipaddress.ip_network(network), kind)
    for network, kind in (
        ("0.0.0.0/8", "this-network"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "shared (carrier-grade NAT)"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "IETF protocol assignment"),
        ("192.0.2.0/24", "documentation"),
        ("192.88.99.0/24", "6to4 relay anycast"),
        ("192.168.0.0/16", "private"),
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("64:ff9b:1::/48", "local-use NAT64"),
        ("100::/64", "discard-only"),
        ("2001::/23", "IETF protocol assignment"),
        ("2001:db8::/32", "documentation"),
        ("3fff::/20", "documentation"),
        ("5f00::/16", "segment routing"),
        ("fc00::/7", "unique local (private)"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local"),
        ("ff00::/8", "multicast"),
    )
)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One successful fetch: the bytes of the final response and where they came from."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int
    content: bytes  # decompressed body, not decoded
    content_type: str | None  # media type without parameters, lowercased
    charset: str | None  # from the Content-Type header, lowercased
    fetched_at: str  # ISO 8601 UTC, seconds precision: 2026-11-23T18:40:00Z
    headers: dict[str, str]  # response headers, lowercased names, repeated ones comma-joined


# --- the address rule ---------------------------------------------------------------------------


def _to_address(address: object) -> IPAddress | None:
    """The address ``address`` denotes (text, int, packed bytes or an address), or None."""
    if isinstance(address, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return address
    if isinstance(address, bool):  # an int subclass, but never meant as an address
        return None
    if isinstance(address, str):
        address = address.strip()
        if address.startswith("[") and address.endswith("]"):
            address = address[1:-1]
    if not isinstance(address, str | int | bytes):
        return None
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def _effective(ip: IPAddress) -> tuple[IPAddress, ...]:
    """The addresses a packet to ``ip`` really reaches, all of which must be public."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:127.0.0.1 is 127.0.0.1
            return (ip.ipv4_mapped,)
        if ip in _NAT64:  # 64:ff9b::7f00:1 is translated to 127.0.0.1
            return (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF),)
        if ip.sixtofour is not None:  # 2002:7f00:1:: is tunnelled to 127.0.0.1
            return (ip, ip.sixtofour)
    return (ip,)


def _kind(ip: IPAddress) -> str | None:
    """Why ``ip`` (already unwrapped) is not public, or None when it is."""
    checks = (
        (ip.is_unspecified, "unspecified"),
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local, "site-local"),
    )
    found = next((kind for failed, kind in checks if failed), None)
    if found is None:
        found = next((kind for network, kind in _SPECIAL_NETWORKS if ip in network), None)
    if found is None and ip.is_reserved:
        found = "reserved"
    if found is None and (ip.is_private or not ip.is_global):
        found = "not globally routable"
    return found


def is_public_address(address: object) -> bool:
    """Whether ``address`` is a globally routable unicast IP address; never raises."""
    ip = _to_address(address)
    if ip is None:
        return False
    return all(_kind(part) is None for part in _effective(ip))


def describe_address(address: object) -> str:
    """A few words on what kind of address ``address`` is, for error messages; never raises."""
    ip = _to_address(address)
    if ip is None:
        return "not an IP address"
    for part in _effective(ip):
        kind = _kind(part)
        if kind is not None:
            via = "" if part == ip else f" ({part})"
            return f"a {kind} address{via}"
    return "a public address"


def resolve_host(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the system resolver (getaddrinfo) to its distinct IP addresses."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# --- small helpers ------------------------------------------------------------------------------


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """Split a Content-Type header into (media type, charset), both lowercased or None."""
    if not value:
        return None, None
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, sep, val = param.partition("=")
        if sep and key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").strip().lower() or None
            break
    return media.strip().lower() or None, charset


def _utc_now() -> str:
    """The current UTC time as ``YYYY-MM-DDTHH:MM:SSZ``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and effective port: what must match for credentials to follow a redirect."""
    default = 443 if url.scheme == "https" else 80
    return url.scheme, url.host, url.port or default


def _where(requested: str, hop: httpx.URL | None) -> str:
    """``requested``, plus the redirect target when the problem is at a later hop."""
    if hop is None or str(hop) == requested:
        return requested
    return f"{requested} (redirected to {hop})"


def _parse_url(url: str, *, requested: str | None = None) -> httpx.URL:
    """``url`` parsed, or FetchError when it is not an absolute http(s) URL with a host."""
    what = url if requested is None else f"{requested} (redirected to {url})"
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as err:
        raise FetchError(f"cannot fetch {what}: not a valid URL ({err})") from err
    if not parsed.scheme:
        raise FetchError(
            f"cannot fetch {what}: the URL has no scheme; only http:// and https:// URLs are "
            f"accepted (did you mean https://{url}?)"
        )
    if parsed.scheme not in ALLOWED_SCHEMES:
        raise FetchError(
            f"cannot fetch {what}: the scheme {parsed.scheme!r} is not supported; only http:// "
            "and https:// URLs are accepted"
        )
    if not parsed.host:
        raise FetchError(f"cannot fetch {what}: the URL has no host name")
    return parsed


def _short(err: BaseException) -> str:
    """The gist of an exception's message, without errno prefixes."""
    text = str(err).strip() or type(err).__name__
    if text.startswith("[Errno") and "] " in text:
        text = text.split("] ", 1)[1]
    return text


def _network_error(where: str, err: httpx.HTTPError, timeout: float) -> FetchError:
    """A FetchError naming the URL and the cause of ``err`` in a few words."""
    if isinstance(err, httpx.ConnectTimeout):
        cause = f"connecting timed out after {timeout:g}s"
    elif isinstance(err, httpx.TimeoutException):
        cause = f"timed out after {timeout:g}s"
    elif isinstance(err, httpx.ConnectError) and "CERTIFICATE_VERIFY_FAILED" in str(err):
        cause = f"TLS certificate verification failed ({_short(err)})"
    elif isinstance(err, httpx.ConnectError):
        cause = f"could not connect ({_short(err)})"
    elif isinstance(err, httpx.RemoteProtocolError):
        cause = f"the server broke the HTTP protocol ({_short(err)})"
    elif isinstance(err, httpx.DecodingError):
        cause = f"the compressed body is corrupt ({_short(err)})"
    elif isinstance(err, httpx.TransportError):
        cause = f"network error ({_short(err)})"
    else:
        cause = f"HTTP error ({_short(err)})"
    return FetchError(f"cannot fetch {where}: {cause}")


# --- fetching -----------------------------------------------------------------------------------


class _Redirect(Exception):
    """Internal signal: the response at a hop is a redirect to ``target``."""

    def __init__(self, target: httpx.URL) -> None:
        super().__init__(str(target))
        self.target = target


class Fetcher(Closing):
    """Fetches URLs through one httpx client (so a batch reuses connections), guard included."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        timeout: float = settings.FETCH_TIMEOUT,
        max_bytes: int = settings.MAX_FETCH_BYTES,
        max_redirects: int = settings.MAX_REDIRECTS,
        total_timeout: float | None = settings.FETCH_TOTAL_TIMEOUT,
        headers: Mapping[str, str] | None = None,
        client: httpx.Client | None = None,
        resolver: Resolver | None = None,
        address_allowed: AddressPolicy | None = None,
    ) -> None:
        """Set the options; ``client`` (if given) stays the caller's to close."""
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout!r}")
        if total_timeout is not None and total_timeout <= 0:
            raise ValueError(f"total_timeout must be positive or None, got {total_timeout!r}")
        if max_bytes < 0:
            raise ValueError(f"max_bytes must not be negative, got {max_bytes!r}")
        if max_redirects < 0:
            raise ValueError(f"max_redirects must not be negative, got {max_redirects!r}")
        self.allow_private = allow_private
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.total_timeout = total_timeout
        self.resolver: Resolver = resolver or resolve_host
        self.address_allowed: AddressPolicy = address_allowed or is_public_address
        self._headers = httpx.Headers({"User-Agent": settings.USER_AGENT, "Accept": ACCEPT})
        self._headers.update(headers or {})
        self._owns_client = client is None
        if client is None:
            # verify=True always: a certificate that fails verification is a FetchError, and
            # there is deliberately no retry with verify=False. trust_env=False: no proxy from
            # the environment, so the peer the guard checks is the server itself.
            client = httpx.Client(
                timeout=httpx.Timeout(timeout),
                follow_redirects=False,
                verify=True,
                trust_env=False,
            )
        self._client = client

    def close(self) -> None:
        """Close the httpx client if this Fetcher created it."""
        if self._owns_client:
            self._client.close()

    def get(self, url: str, *, headers: Mapping[str, str] | None = None) -> FetchResult:
        """Fetch ``url``, following redirects through the guard; FetchError on any failure."""
        request_headers = self._headers.copy()
        request_headers.update(headers or {})
        deadline = None if self.total_timeout is None else time.monotonic() + self.total_timeout
        first = _parse_url(url)
        hop = first
        seen = {str(first.copy_with(fragment=None))}
        redirects = 0
        while True:
            self._check_deadline(url, hop, deadline)
            if _origin(hop) != _origin(first):
                for name in _CREDENTIAL_HEADERS:
                    request_headers.pop(name, None)
            try:
                return self._get_one(url, hop, request_headers, deadline)
            except _Redirect as redirect:
                target = redirect.target
            redirects += 1
            key = str(target.copy_with(fragment=None))
            if key in seen:
                raise FetchError(
                    f"cannot fetch {url}: redirect loop ({hop} redirects back to {target})"
                )
            if redirects > self.max_redirects:
                raise FetchError(
                    f"cannot fetch {url}: more than {self.max_redirects} redirects "
                    f"(the last one to {target})"
                )
            seen.add(key)
            logger.debug("redirect %d of %s: %s -> %s", redirects, url, hop, target)
            hop = target

    # -- one hop ---------------------------------------------------------------------------------

    def _get_one(
        self, url: str, hop: httpx.URL, headers: httpx.Headers, deadline: float | None
    ) -> FetchResult:
        """GET one hop: guard, connect, check status and size; _Redirect for a redirect."""
        where = _where(url, hop)
        self._guard(where, hop)
        extensions: dict[str, Any] = {}
        if not self.allow_private:
            extensions["trace"] = self._peer_trace(where)
        logger.debug("GET %s", hop)
        try:
            with self._client.stream(
                "GET",
                hop,
                headers=headers,
                timeout=httpx.Timeout(self.timeout),
                follow_redirects=False,
                extensions=extensions,
            ) as response:
                fetched_at = _utc_now()
                if not self.allow_private:
                    # Second look at the peer, for connections the trace hook did not see (a
                    # client with its own transport); a no-op when no stream is exposed.
                    self._check_peer(where, response.extensions.get("network_stream"))
                if response.status_code in REDIRECT_STATUSES:
                    raise _Redirect(self._redirect_target(url, hop, response))
                if response.status_code >= 400:
                    reason = f" {response.reason_phrase}" if response.reason_phrase else ""
                    raise FetchError(f"cannot fetch {where}: HTTP {response.status_code}{reason}")
                content = self._read_body(where, response, deadline)
                content_type, charset = parse_content_type(response.headers.get("content-type"))
                logger.debug(
                    "fetched %s: HTTP %d, %d bytes", hop, response.status_code, len(content)
                )
                return FetchResult(
                    url=url,
                    final_url=str(hop),
                    status=response.status_code,
                    content=content,
                    content_type=content_type,
                    charset=charset,
                    fetched_at=fetched_at,
                    headers=dict(response.headers.items()),
                )
        except httpx.HTTPError as err:
            raise _network_error(where, err, self.timeout) from err

    def _redirect_target(self, url: str, hop: httpx.URL, response: httpx.Response) -> httpx.URL:
        """The absolute URL a redirect response points to, checked for scheme and host."""
        location = response.headers.get("location", "").strip()
        if not location:
            raise FetchError(
                f"cannot fetch {_where(url, hop)}: HTTP {response.status_code} redirect without "
                "a Location header"
            )
        try:
            target = hop.join(location)
        except (httpx.InvalidURL, ValueError) as err:
            raise FetchError(
                f"cannot fetch {_where(url, hop)}: invalid redirect Location {location!r} ({err})"
            ) from err
        return _parse_url(str(target), requested=url)

    def _read_body(self, where: str, response: httpx.Response, deadline: float | None) -> bytes:
        """The decompressed body, FetchError once it passes max_bytes or the deadline."""
        declared = response.headers.get("content-length", "")
        if declared.strip().isdigit() and int(declared) > self.max_bytes:
            raise FetchError(
                f"cannot fetch {where}: the body is {int(declared)} bytes (Content-Length), over "
                f"the limit of {self.max_bytes} bytes"
            )
        chunks: list[bytes] = []
        size = 0
        # iter_bytes yields decompressed data, so the limit also stops gzip bombs.
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(
                    f"cannot fetch {where}: the body is over the limit of {self.max_bytes} bytes"
                )
            chunks.append(chunk)
            self._check_deadline(where, None, deadline)
        return b"".join(chunks)

    def _check_deadline(self, url: str, hop: httpx.URL | None, deadline: float | None) -> None:
        """FetchError once the whole fetch has taken longer than total_timeout."""
        if deadline is not None and time.monotonic() > deadline:
            raise FetchError(
                f"cannot fetch {_where(url, hop)}: timed out, the whole fetch took longer than "
                f"{self.total_timeout:g}s"
            )

    # -- the guard -------------------------------------------------------------------------------

    def _refuse(self, where: str, host: str, address: str) -> RefusedURLError:
        """The RefusedURLError for ``host`` resolving to the refused ``address``."""
        kind = describe_address(address)
        if kind == "a public address":
            kind = "an address the address policy refuses"
        shown = f"host {host!r} resolves to {address}" if host != address else f"address {host}"
        return RefusedURLError(f"refused to fetch {where}: {shown}, {kind}; {ALLOW_PRIVATE_HINT}")

    def _allowed(self, address: str) -> bool:
        """Whether the policy accepts ``address``; unparseable or failing checks refuse."""
        ip = _to_address(address)
        if ip is None:
            return False
        try:
            return bool(self.address_allowed(ip))
        except Exception:  # a broken policy must fail closed
            logger.exception("the address policy failed on %s; refusing", address)
            return False

    def _guard(self, where: str, hop: httpx.URL) -> None:
        """RefusedURLError unless every address ``hop``'s host resolves to is allowed."""
        if self.allow_private:
            return
        host = urllib.parse.unquote(hop.raw_host.decode("ascii"))  # IDNA-encoded, so ASCII
        port = hop.port or (443 if hop.scheme == "https" else 80)
        if _to_address(host) is not None:  # an IP literal: no resolving
            addresses = [host]
        else:
            try:
                addresses = self.resolver(host, port)
            except (OSError, UnicodeError, ValueError) as err:
                raise FetchError(
                    f"cannot fetch {where}: cannot resolve host {host!r} ({_short(err)})"
                ) from err
            if not addresses:
                raise FetchError(f"cannot fetch {where}: host {host!r} resolves to no address")
        for address in addresses:
            if not self._allowed(address):
                raise self._refuse(where, host, address)

    def _check_peer(self, where: str, stream: object) -> None:
        """RefusedURLError if the connection's peer address is not allowed."""
        get_info = getattr(stream, "get_extra_info", None)
        if get_info is None:
            return
        try:
            peer = get_info("server_addr")
        except OSError:
            return
        if not isinstance(peer, tuple) or not peer:
            return
        address = str(peer[0])
        if not self._allowed(address):
            raise self._refuse(where, address, address)

    def _peer_trace(self, where: str) -> Callable[[str, dict[str, Any]], None]:
        """An httpcore trace hook that checks the peer right after the TCP connect.

        The guard resolved the host itself; httpx resolves it again when connecting, and a
        DNS-rebinding server can answer differently the second time. The hook runs once the socket
        is connected and before TLS or any request byte is sent, so a refused peer never sees the
        request. (A connection through a proxy is judged on the proxy's address: fail closed.)
        """

        def trace(event: str, info: dict[str, Any]) -> None:
            if event.endswith(".connect_tcp.complete"):
                stream = info.get("return_value")
                try:
                    self._check_peer(where, stream)
                except RefusedURLError:
                    close = getattr(stream, "close", None)
                    if close is not None:
                        close()
                    raise

        return trace


def fetch_url(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = settings.FETCH_TIMEOUT,
    max_bytes: int = settings.MAX_FETCH_BYTES,
    max_redirects: int = settings.MAX_REDIRECTS,
    total_timeout: float | None = settings.FETCH_TOTAL_TIMEOUT,
    headers: Mapping[str, str] | None = None,
    client: httpx.Client | None = None,
    resolver: Resolver | None = None,
    address_allowed: AddressPolicy | None = None,
) -> FetchResult:
    """Fetch one URL safely (see :class:`Fetcher`); FetchError or RefusedURLError on failure."""
    with Fetcher(
        allow_private=allow_private,
        timeout=timeout,
        max_bytes=max_bytes,
        max_redirects=max_redirects,
        total_timeout=total_timeout,
        client=client,
        resolver=resolver,
        address_allowed=address_allowed,
    ) as fetcher:
        return fetcher.get(url, headers=headers)
