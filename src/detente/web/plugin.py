"""The detente Datasette plugin: domain pages, their JSON twins, cell links and security headers.

The plugin is registered once with Datasette's plugin manager but acts only on the Datasette
instances :func:`detente.web.server.make_datasette` built (their metadata names the plugin;
their options are in :data:`INSTANCES`), so another Datasette in the same process is left alone.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast
from urllib.parse import quote
from weakref import WeakKeyDictionary

from datasette import hookimpl as _hookimpl  # type: ignore[import-untyped]
from datasette.utils.asgi import NotFound, Response  # type: ignore[import-untyped]
from markupsafe import Markup, escape

from detente.query.timeline import PERIODS
from detente.web import pages, render

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_F = TypeVar("_F", bound=Callable[..., Any])


def hookimpl(fn: _F) -> _F:
    """Mark ``fn`` as a Datasette hook implementation (pluggy returns it unchanged)."""
    return cast(_F, _hookimpl(fn))


#: Name of the database in Datasette's URLs (/detente/articles), whatever the file is called.
DATABASE = "detente"
#: Key of the per-request CSP nonce in the ASGI scope.
NONCE_KEY = "detente.csp_nonce"


@dataclass(frozen=True, slots=True)
class WebOptions:
    """What one served instance was started with (the token never leaves this object)."""

    token: str | None = None


#: The Datasette instances this plugin serves, with their options.
INSTANCES: WeakKeyDictionary[Any, WebOptions] = WeakKeyDictionary()
#: What the metadata of our instances says under ``plugins`` (Datasette builds its app and test
#: client inside its constructor, before :data:`INSTANCES` can name the new instance).
PLUGIN_CONFIG = {"detente": {"pages": True}}


def ours(datasette: Any) -> bool:
    """True for a Datasette instance built by :func:`detente.web.server.make_datasette`."""
    return datasette is not None and bool(datasette.plugin_config("detente"))


def content_security_policy(nonce: str) -> str:
    """The CSP: our own origin only, and inline script or style only with this nonce."""
    return "; ".join((
        "default-src 'none'",
        f"script-src 'self' 'nonce-{nonce}'",
        f"style-src 'self' 'nonce-{nonce}'",
        "style-src-attr 'unsafe-inline'",  # Datasette's own templates colour a few headers
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ))  # fmt: skip


def _security_headers(nonce: str) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", content_security_policy(nonce).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    ]


def _authorized(scope: Scope, token: str) -> bool:
    """True if the request carries ``Authorization: Bearer <token>``."""
    for name, value in scope.get("headers", []):
        if name.lower() == b"authorization":
            scheme, _, given = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer":
                return hmac.compare_digest(given.strip().encode(), token.encode())
    return False


def security_wrapper(app: ASGIApp, datasette: Any) -> ASGIApp:
    """ASGI middleware: bearer token check (401 without it) and security headers everywhere."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        options = INSTANCES.get(datasette)
        nonce = secrets.token_urlsafe(18)
        extra = _security_headers(nonce)
        names = {name for name, _ in extra}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + extra}
            await send(message)

        if options is None:  # never served before make_datasette finished: fail closed
            await send_with_headers({"type": "http.response.start", "status": 503, "headers": []})
            await send_with_headers({"type": "http.response.body", "body": b""})
            return
        if options.token and not _authorized(scope, options.token):
            log.info("refused %s %s: no valid bearer token", scope.get("method"), scope["path"])
            body = b"401 Unauthorized: send the header Authorization: Bearer <token>\n"
            await send_with_headers({
                "type": "http.response.start", "status": 401,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"www-authenticate", b'Bearer realm="detente"'),
                            (b"content-length", str(len(body)).encode())],
            })  # fmt: skip
            await send_with_headers({"type": "http.response.body", "body": body})
            return
        await app({**scope, NONCE_KEY: nonce}, receive, send_with_headers)

    return wrapped


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[ASGIApp], ASGIApp] | None:
    """Wrap our instances in the security middleware."""
    if not ours(datasette):
        return None
    return lambda app: security_wrapper(app, datasette)


@hookimpl
def extra_template_vars(request: Any, datasette: Any) -> dict[str, Any]:
    """The CSP nonce for every template (the loader adds it to each <script> and <style>)."""
    if request is None or not ours(datasette):
        return {}
    return {"csp_nonce": request.scope.get(NONCE_KEY, "")}


#: Columns that hold an article id, by table, linked to the article page.
_ARTICLE_ID_COLUMNS = {
    ("articles", "id"), ("quotes", "article_id"), ("mentions", "article_id"),
    ("amounts", "article_id"), ("event_mentions", "article_id"), ("sources", "article_id"),
    ("articles", "duplicate_of"),
}  # fmt: skip


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> Markup | None:  # fmt: skip
    """Link ids in the table views to the domain pages (article, event, actor)."""
    if database != DATABASE or value is None or not ours(datasette):
        return None
    if (table, column) in _ARTICLE_ID_COLUMNS and isinstance(value, str):
        return Markup('<a href="/article/{}">{}</a>').format(quote(value, safe=""), value)
    if ((table == "events" and column == "id") or (table == "event_mentions" and
            column == "event_id")) and isinstance(value, str):  # fmt: skip
        return Markup('<a href="/event/{}">{}</a>').format(quote(value, safe=""), value)
    if table == "actors" and column == "name":
        return Markup('<a href="/actor/{}">{}</a>').format(int(row["id"]), value)
    return None


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Callable[..., Awaitable[Any]]]]:
    """The domain pages; each answers ``.json`` with the data it renders."""
    if not ours(datasette):
        return []
    return [
        (r"^/(?P<fmt>\.json)?$", dashboard_view),
        (r"^/dyad/(?P<a>[A-Za-z0-9]+)/(?P<b>[A-Za-z0-9]+?)(?P<fmt>\.json)?$", dyad_view),
        (r"^/event/(?P<id>[A-Za-z0-9_:-]+?)(?P<fmt>\.json)?$", event_view),
        (r"^/article/(?P<id>[A-Za-z0-9]+?)(?P<fmt>\.json)?$", article_view),
        (r"^/story/(?P<id>[A-Za-z0-9]+?)(?P<fmt>\.json)?$", story_view),
        (r"^/actor/(?P<id>[0-9]+)(?P<fmt>\.json)?$", actor_view),
        (r"^/search(?P<fmt>\.json)?$", search_view),
    ]


async def _read(datasette: Any, fn: Callable[..., dict[str, Any]], *args: Any,
                **kwargs: Any) -> dict[str, Any]:  # fmt: skip
    """Run a page function in Datasette's read thread, on its read-only connection."""
    db = datasette.get_database(DATABASE)
    return cast(dict[str, Any], await db.execute_fn(lambda conn: fn(conn, *args, **kwargs)))


def _wants_json(request: Any) -> bool:
    return bool(request.url_vars.get("fmt"))


def _not_found(request: Any, message: str) -> Response:
    """A 404: Datasette's JSON error shape for the twins, its error page otherwise."""
    if _wants_json(request):
        body = {"ok": False, "error": message, "status": 404, "title": None}
        return Response.json(body, status=404)
    raise NotFound(message)


async def _respond(datasette: Any, request: Any, template: str, data: dict[str, Any],
                   **context: Any) -> Response:  # fmt: skip
    """The page's data as JSON (``.json``) or rendered into its template."""
    if _wants_json(request):
        return Response.json(data, default=str)
    json_url = request.path + ".json" + (f"?{request.query_string}" if request.query_string else "")
    html = await datasette.render_template(
        template, {"data": data, "json_url": json_url, **context}, request=request
    )
    return Response.html(html)


async def dashboard_view(datasette: Any, request: Any) -> Response:
    """Counts, most active dyads, recent events, actors and articles."""
    data = await _read(datasette, pages.dashboard)
    return await _respond(datasette, request, "detente_dashboard.html", data)


async def dyad_view(datasette: Any, request: Any) -> Response:
    """Cooperation and conflict between two actors over time, and their events."""
    a, b = (request.url_vars[k].upper() for k in ("a", "b"))
    if not (pages.ACTOR_CODE.match(a) and pages.ACTOR_CODE.match(b)):
        return _not_found(request, f"{a}/{b}: give two countries (ISO3, e.g. RUS/TUR) or codes")
    by = request.args.get("by", "month")
    if by not in PERIODS:
        by = "month"
    negated = request.args.get("negated") in ("1", "on", "true")
    data = await _read(datasette, pages.dyad, a, b, by=by, include_negated=negated)
    title = f"{a}–{b}: cooperation and conflict by {by}"
    chart = render.dyad_chart(data["periods"], title=title)
    return await _respond(datasette, request, "detente_dyad.html", data, chart=chart,
                          periods=PERIODS)  # fmt: skip


async def event_view(datasette: Any, request: Any) -> Response:
    """One event and the sentences of every article that tells it."""
    data = await _read(datasette, pages.event, request.url_vars["id"])
    if not data:
        return _not_found(request, f"no event with id {request.url_vars['id']!r}")
    return await _respond(datasette, request, "detente_event.html", data)


async def story_view(datasette: Any, request: Any) -> Response:
    """The articles that report one piece of news, and the events they tell."""
    data = await _read(datasette, pages.story, request.url_vars["id"])
    if not data:
        return _not_found(request, f"no story with id {request.url_vars['id']!r}")
    for event in data["events"]:
        event["cameo_name"] = pages.cameo_name(event["cameo"])
    return await _respond(datasette, request, "detente_story.html", data)


async def article_view(datasette: Any, request: Any) -> Response:
    """An article's text with its annotations highlighted, its metadata and boilerplate."""
    data = await _read(datasette, pages.article, request.url_vars["id"])
    if not data:
        wanted = request.url_vars["id"]
        return _not_found(request, f"no article with id (or unique id prefix) {wanted!r}")
    urls = {
        m["actor"]["id"]: f"/actor/{m['actor']['id']}"
        for m in data["mentions"]
        if m["actor"].get("id") is not None
    }
    body = render.highlight(data["text"], render.article_spans(data, actor_url=urls))
    return await _respond(datasette, request, "detente_article.html", data, body=body,
                          link=render.safe_href(data.get("url")))  # fmt: skip


async def actor_view(datasette: Any, request: Any) -> Response:
    """Who an actor is, what they said, what they did and with whom."""
    data = await _read(datasette, pages.actor, int(request.url_vars["id"]))
    if not data:
        return _not_found(request, f"no actor with id {request.url_vars['id']}")
    return await _respond(datasette, request, "detente_actor.html", data)


def snippet_html(snippet: str | None) -> Markup:
    """An FTS snippet escaped, with its hit marks turned into <mark>."""
    text = escape(snippet or "")
    return Markup(
        text.replace(pages.HIT_OPEN, Markup("<mark>")).replace(pages.HIT_CLOSE, Markup("</mark>"))
    )


async def search_view(datasette: Any, request: Any) -> Response:
    """Full-text search over quotes and articles."""
    query = request.args.get("q", "")
    data = await _read(datasette, pages.search, query)
    if _wants_json(request):
        for hit in data["articles"]:
            hit["snippet"] = (
                (hit["snippet"] or "").replace(pages.HIT_OPEN, "").replace(pages.HIT_CLOSE, "")
            )
    return await _respond(datasette, request, "detente_search.html", data, snippet=snippet_html)
