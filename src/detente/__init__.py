"""Detente: auditable political event data from your own news articles.

``detente.process(html_or_text)`` runs the whole pipeline on one document; ``detente.open(path)``
opens a database to ingest documents into and to query (see ``docs/python-api.md``).
"""

from __future__ import annotations

import importlib
import typing

from detente.errors import DetenteError, ExtractionError, InputError, StoreError
from detente.model import Actor, Amount, Article, Event, Location, Mention, Quote, RawDocument
from detente.settings import __version__

if typing.TYPE_CHECKING:
    from detente._api import (
        ArticleList,
        Database,
        DyadTimeline,
        Highlight,
        Records,
        highlight,
        open,
        process,
    )
    from detente.ingest import IngestReport

# Imported on first use, so `import detente` (and the command line) stays fast: these pull in
# the store, the exporters and, through them, numpy.
_LAZY = {
    "ArticleList": "detente._api",
    "Database": "detente._api",
    "DyadTimeline": "detente._api",
    "Highlight": "detente._api",
    "IngestReport": "detente.ingest",
    "Records": "detente._api",
    "highlight": "detente._api",
    "open": "detente._api",
    "process": "detente._api",
}

__all__ = [
    "Actor",
    "Amount",
    "Article",
    "ArticleList",
    "Database",
    "DetenteError",
    "DyadTimeline",
    "Event",
    "ExtractionError",
    "Highlight",
    "IngestReport",
    "InputError",
    "Location",
    "Mention",
    "Quote",
    "RawDocument",
    "Records",
    "StoreError",
    "__version__",
    "highlight",
    "open",
    "process",
]


def __getattr__(name: str) -> typing.Any:
    """Import the heavier public names on first use."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'detente' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, for tab completion."""
    return sorted(set(globals()) | set(__all__))
