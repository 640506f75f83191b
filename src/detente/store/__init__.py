"""The store: one SQLite file (schema and migrations in ``database``) with the annotation,
event and watched-source tables beside the articles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente._lazy import lazy_exports

if TYPE_CHECKING:
    from detente.store.database import LATEST_SCHEMA, AddOutcome, Failure, Store

_EXPORTS = {
    "AddOutcome": "detente.store.database",
    "Failure": "detente.store.database",
    "LATEST_SCHEMA": "detente.store.database",
    "Store": "detente.store.database",
}
__all__ = ["LATEST_SCHEMA", "AddOutcome", "Failure", "Store"]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
