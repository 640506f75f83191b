"""The store: one SQLite file (articles in ``database``, their schema and migrations in ``schema``,
queries in ``reads``) with the annotation, event and watched-source tables beside the articles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente._lazy import lazy_exports

if TYPE_CHECKING:
    from detente.store.database import AddOutcome, Store
    from detente.store.reads import Failure
    from detente.store.schema import LATEST_SCHEMA

_EXPORTS = {
    "AddOutcome": "detente.store.database",
    "Failure": "detente.store.reads",
    "LATEST_SCHEMA": "detente.store.schema",
    "Store": "detente.store.database",
}
__all__ = ["LATEST_SCHEMA", "AddOutcome", "Failure", "Store"]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
