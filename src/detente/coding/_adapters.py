"""Adapters to the time-expression and gazetteer modules, with graceful fallbacks.

``detente.annotate.timexpr.find_times(span, published)`` resolves a sentence's time expressions;
``detente.annotate.geo.Gazetteer().lookup(name, country=...)`` geocodes a place. When a module is
not importable (or fails on an input), events fall back to the publication date
(``date_source="publication"``) and to no location, and the coder still works.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from detente.model import Location

if TYPE_CHECKING:
    from spacy.tokens import Span

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TimeRef:
    """A resolved time expression: character offsets, text and the date it stands for."""

    start: int
    end: int
    text: str
    date: str | None  # YYYY-MM-DD, YYYY-MM or YYYY; None when unresolvable
    precision: str | None  # day, month, year
    anchor: int | None = None  # doc index of the token the expression attaches to, if known


@lru_cache(maxsize=1)
def _timexpr() -> Any:
    try:
        return importlib.import_module("detente.annotate.timexpr")
    except ImportError:
        LOGGER.info("detente.annotate.timexpr is not importable: events take the publication date")
        return None


@lru_cache(maxsize=1)
def _gazetteer() -> Any:
    try:
        module = importlib.import_module("detente.annotate.geo")
        return module.gazetteer()  # the process's shared one (the geo evaluation uses it too)
    except Exception:
        LOGGER.info("detente.annotate.geo is not usable: events get no geocoded location")
        return None


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value) or None


def find_times(span: Span, published: date | None) -> list[TimeRef]:
    """The time expressions of ``span`` resolved against ``published`` ([] without timexpr)."""
    module = _timexpr()
    if module is None or published is None:
        return []
    try:
        found = module.find_times(span, published)
    except Exception:
        LOGGER.warning("timexpr failed on %r", span.text[:80], exc_info=True)
        return []
    refs: list[TimeRef] = []
    for t in found:
        start, end = int(t.start), int(t.end)
        if end <= span.start_char or start < span.start_char - 1:
            start, end = start + span.start_char, end + span.start_char  # span-relative
        anchor = getattr(t, "anchor_token", None)
        refs.append(
            TimeRef(start, end, str(t.text), _iso(t.date), getattr(t, "precision", None), anchor)
        )
    return refs


def geocode(name: str, country: str | None) -> Location | None:
    """The gazetteer's location for ``name`` (in ``country`` when given), None without geo."""
    gaz = _gazetteer()
    if gaz is None:
        return None
    try:
        found = gaz.lookup(name, country=country)
    except Exception:
        LOGGER.warning("geo lookup failed for %r", name, exc_info=True)
        return None
    return found if isinstance(found, Location) else None


def reset() -> None:
    """Forget the cached modules (tests swap them in and out)."""
    _timexpr.cache_clear()
    _gazetteer.cache_clear()
