"""Extraction: a raw document in (HTML or plain text); clean text with its title, outlet, URL,
publication date and language out, the removed boilerplate kept beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente._lazy import lazy_exports

if TYPE_CHECKING:
    from detente.extract.document import extract_document
    from detente.extract.html import (
        MAX_REMOVED_CHARS,
        MAX_REMOVED_LINES,
        decode_html,
        extract_html,
        parse_html,
        publication_date,
    )
    from detente.extract.text import clean_text, strip_markup

_EXPORTS = {
    "MAX_REMOVED_CHARS": "detente.extract.html",
    "MAX_REMOVED_LINES": "detente.extract.html",
    "clean_text": "detente.extract.text",
    "decode_html": "detente.extract.html",
    "extract_document": "detente.extract.document",
    "extract_html": "detente.extract.html",
    "parse_html": "detente.extract.html",
    "publication_date": "detente.extract.html",
    "strip_markup": "detente.extract.text",
}
__all__ = [
    "MAX_REMOVED_CHARS",
    "MAX_REMOVED_LINES",
    "clean_text",
    "decode_html",
    "extract_document",
    "extract_html",
    "parse_html",
    "publication_date",
    "strip_markup",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
