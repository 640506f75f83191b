"""The web explorer: the database in the browser, on Datasette with a detente plugin.

``serve(db_path, host=…, port=…, allow_sql=…, token=…)`` runs it; ``make_datasette`` builds the
app for tests and embedding. Pages: ``/`` (dashboard), ``/dyad/A/B``, ``/event/ID``,
``/article/ID``, ``/actor/ID``, ``/search?q=``, each with a ``.json`` twin, plus Datasette's
table views under ``/detente/…`` (facets, full-text search, CSV and JSON export).
"""

from __future__ import annotations

from detente.web.server import DEFAULT_HOST, DEFAULT_PORT, TOKEN_ENV, make_datasette, serve

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "TOKEN_ENV", "make_datasette", "serve"]
