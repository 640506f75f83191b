"""Serving a Detente database: a Datasette instance with the detente plugin, behind uvicorn.

The database is opened read-only (``mode=ro``, not ``immutable``), so pages see what
``detente ingest`` commits while it runs (WAL). Arbitrary SQL is off unless asked for, and a
bearer token, when set, guards every request.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

from datasette.app import Datasette  # type: ignore[import-untyped]
from datasette.database import Database  # type: ignore[import-untyped]
from datasette.plugins import pm  # type: ignore[import-untyped]
from jinja2 import BaseLoader, Environment

from detente.errors import DetenteError
from detente.store.database import Store
from detente.web import plugin

log = logging.getLogger(__name__)

#: Environment variable read when no token is passed.
TOKEN_ENV = "DETENTE_TOKEN"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
_HERE = resources.files("detente.web")
#: Rows per table page and the cell length shown before Datasette truncates it.
PAGE_SIZE = 50
TRUNCATE_CELLS = 300

_TAG = re.compile(r"<(script|style)\b")


class _NonceLoader(BaseLoader):
    """Gives every <script> and <style> written in a template the request's CSP nonce."""

    def __init__(self, inner: BaseLoader) -> None:
        """Wrap Datasette's own loader."""
        self.inner = inner

    def get_source(self, environment: Environment, template: str) -> Any:
        """The template's source with ``nonce="{{ csp_nonce }}"`` added to each tag."""
        source, filename, uptodate = self.inner.get_source(environment, template)
        return _TAG.sub(r'<\1 nonce="{{ csp_nonce }}"', source), filename, uptodate

    def list_templates(self) -> list[str]:
        """The wrapped loader's templates."""
        return self.inner.list_templates()


def _metadata() -> dict[str, Any]:
    """Titles, labels, full-text search and facets of the tables Datasette shows."""
    tables: dict[str, Any] = {
        "articles": {
            "label_column": "title", "fts_table": "articles_fts", "fts_pk": "seq",
            "facets": ["outlet", "language", {"date": "published"}],
            "sort_desc": "published",
            "description": "One row per distinct article text; open one at /article/ID.",
        },
        "quotes": {
            "label_column": "text", "fts_table": "quotes_fts", "fts_pk": "seq",
            "facets": ["kind", "speaker_actor_id"],
            "description": "Who said what: direct quotes, scare quotes and reported speech.",
        },
        "actors": {
            "label_column": "name", "facets": ["country", "role", "kind"],
            "description": "People, organisations and countries with CAMEO-style codes.",
        },
        "events": {
            "label_column": "trigger",
            "facets": ["source_country", "target_country", "cameo_root", "quad_class",
                       "plover", {"date": "date"}],
            "sort_desc": "date",
            "description": "Deduplicated events: who did what to whom, when and where.",
        },
        "event_mentions": {"facets": ["event_id"]},
        "mentions": {"facets": ["via"]},
        "amounts": {"facets": ["unit", "approximate"]},
        "failures": {"facets": ["stage"]},
    }  # fmt: skip
    return {
        "title": "Detente",
        "description": "Political events, actors and quotes from your own news articles.",
        "databases": {plugin.DATABASE: {"tables": tables}},
        "plugins": plugin.PLUGIN_CONFIG,
    }


def _check_database(db_path: Path) -> None:
    """Raise a DetenteError unless ``db_path`` is a Detente database this version reads."""
    Store(db_path, readonly=True).close()


def make_datasette(
    db_path: str | os.PathLike[str], *, allow_sql: bool = False, token: str | None = None
) -> Any:
    """A Datasette instance over the database at ``db_path`` with the detente plugin."""
    path = Path(db_path)
    _check_database(path)
    if not pm.is_registered(plugin):
        pm.register(plugin, name="detente")
    datasette = Datasette(
        files=[],
        metadata=_metadata(),
        template_dir=str(_HERE / "templates"),
        static_mounts=[("-/detente", str(_HERE / "static"))],
        settings={
            "default_allow_sql": allow_sql,
            "allow_download": False,
            "default_page_size": PAGE_SIZE,
            "truncate_cells_html": TRUNCATE_CELLS,
        },
    )
    if "_memory" in datasette.databases:
        datasette.remove_database("_memory")
    datasette.add_database(
        Database(datasette, path=str(path.resolve()), is_mutable=True), name=plugin.DATABASE
    )
    datasette.jinja_env.loader = _NonceLoader(datasette.jinja_env.loader)
    plugin.INSTANCES[datasette] = plugin.WebOptions(token=token or None)
    return datasette


def is_loopback(host: str) -> bool:
    """True if ``host`` only listens on this machine (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    db_path: str | os.PathLike[str],
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    allow_sql: bool = False,
    token: str | None = None,
) -> None:
    """Serve the database in the browser until interrupted (token defaults to $DETENTE_TOKEN)."""
    import uvicorn

    token = token or os.environ.get(TOKEN_ENV) or None
    if not isinstance(port, int) or not 0 <= port <= 65535:
        raise DetenteError(f"port {port!r} is not a TCP port; give a number from 1 to 65535")
    datasette = make_datasette(db_path, allow_sql=allow_sql, token=token)
    if not is_loopback(host):
        log.warning(
            "serving on %s: anyone who can reach this address can read the database%s",
            host,
            "; a bearer token is required" if token else ". Set --token (or $DETENTE_TOKEN)",
        )
    if allow_sql:
        log.warning("arbitrary read-only SQL is allowed (--allow-sql)")
    log.info("serving %s read-only on %s:%d", db_path, host, port)
    # uvicorn's own log line names the address to open ("Uvicorn running on http://…")
    uvicorn.run(
        datasette.app(), host=host, port=port, log_level="info", access_log=False, lifespan="on"
    )
