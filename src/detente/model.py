"""The data model every stage reads and returns.

A :class:`RawDocument` is what acquisition found (bytes or text plus the hints its container
gave); an :class:`Article` is what extraction made of it: clean text that owns every later
annotation, which points into it by character offsets.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

#: Version of the serialized record layout; bump it when a field changes meaning.
SCHEMA_VERSION = 1

DocumentKind = Literal["html", "text", "markdown"]


@dataclass(slots=True)
class RawDocument:
    """One document as acquired, before extraction."""

    source: str  # path, "path:line" for a JSON record, URL, or "<stdin>"
    content: str | bytes  # the raw page or text
    kind: DocumentKind = "html"
    url: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date given by the container (JSON record, option)
    outlet: str | None = None
    language: str | None = None
    fetched_at: str | None = None  # ISO timestamp when read or downloaded
    content_hash: str | None = None  # sha256 of the raw bytes, filled by acquisition


@dataclass(slots=True)
class Extracted:
    """What an extractor (HTML or plain text) found in one document."""

    text: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD
    published_source: str | None = None  # meta, dateline, url, ...
    language: str | None = None
    removed: list[str] = field(default_factory=list)  # boilerplate dropped, for auditing


@dataclass(slots=True)
class Article:
    """A clean article with its metadata and provenance."""

    id: str  # derived from the normalized text: same text, same id
    text: str
    source: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None  # YYYY-MM-DD
    published_source: str | None = None  # record, meta, dateline, url, option
    language: str | None = None
    fetched_at: str | None = None
    content_hash: str | None = None  # sha256 of the raw document
    duplicate_of: str | None = None  # id of the first article this one is a near copy of
    removed: list[str] = field(default_factory=list)  # boilerplate dropped, for auditing
    schema_version: int = SCHEMA_VERSION

    @property
    def word_count(self) -> int:
        """Number of whitespace-separated words in the clean text."""
        return len(self.text.split())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field plus ``word_count``."""
        data = dataclasses.asdict(self)
        data["word_count"] = self.word_count
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Rebuild an article from :meth:`to_dict` output (unknown keys are ignored)."""
        names = {f.name for f in dataclasses.fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in names}
        kwargs["removed"] = list(kwargs.get("removed") or [])
        return cls(**kwargs)
