"""Detente: auditable political event data from your own news articles."""

from __future__ import annotations

from detente.errors import DetenteError
from detente.model import Article, RawDocument
from detente.settings import __version__

__all__ = ["Article", "DetenteError", "RawDocument", "__version__"]
