"""The record schemas: every field of every kind of record, described once.

The JSONL, CSV and Parquet exports, the JSON listings (``detente articles --format json``…)
and the PLOVER JSON export write these records; their column lists, the Parquet column types
and the JSON Schemas (``detente schema KIND``, ``docs/schema.md``) are all derived from
:data:`SCHEMAS`, so a field added here reaches every one of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from detente.errors import DetenteError
from detente.model import SCHEMA_VERSION

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: ``YYYY-MM-DD``; events also ``YYYY-MM`` or ``YYYY`` (see ``date_precision``).
_DAY = r"^\d{4}-\d{2}-\d{2}$"
_PARTIAL_DAY = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a record: its JSON type, whether it may be null, and what it means.

    ``json_type`` is ``string``, ``integer``, ``number``, ``boolean``, ``object`` (with ``fields``)
    or ``array`` (of strings, or of objects with ``fields``).
    """

    name: str
    json_type: str
    description: str
    nullable: bool = False
    fields: tuple[Field, ...] = ()
    pattern: str | None = None
    enum: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    item: Field | None = None  # an array's items when they are neither strings nor objects


def _s(name: str, description: str, *, null: bool = False, **extra: Any) -> Field:
    return Field(name, "string", description, null, **extra)


def _i(name: str, description: str, *, null: bool = False, **extra: Any) -> Field:
    return Field(name, "integer", description, null, **extra)


def _f(name: str, description: str, *, null: bool = False, **extra: Any) -> Field:
    return Field(name, "number", description, null, **extra)


def _b(name: str, description: str) -> Field:
    return Field(name, "boolean", description)


def _o(name: str, description: str, *fields: Field, null: bool = True) -> Field:
    return Field(name, "object", description, null, fields)


def _strings(name: str, description: str, *, null: bool = False) -> Field:
    return Field(name, "array", description, null)


def _side(who: str) -> tuple[Field, ...]:
    return (
        _s("text", f"the {who} as written", null=True),
        _s("name", "canonical name, or the words as written when unresolved", null=True),
        _s("code", "actor code: country + role (TURGOV), IGO… or a bare country", null=True),
        _s("country", "ISO 3166 alpha-3; null for IGOs and unknown countries", null=True),
        _s("role", "CAMEO role: GOV, MIL, OPP, MED, CVL, IGO, …", null=True),
    )


ARTICLE = (
    _s("id", "16 hex digits derived from the normalized text", pattern=r"^[0-9a-f]{16}$"),
    _s("title", "headline", null=True),
    _s("outlet", "the publisher", null=True),
    _s("url", "where the document came from", null=True),
    _s("author", "byline", null=True),
    _s("published", "publication date", null=True, pattern=_DAY),
    _s(
        "published_source",
        "where the date came from: record, meta, url, text, dateline, option",
        null=True,
    ),
    _s("language", "ISO 639-1 code of the text's language", null=True),
    _i("word_count", "whitespace-separated words of the clean text", minimum=0),
    _s("duplicate_of", "id of the article this one is a near copy of", null=True),
    _s("source", "the input it was read from: a path, path:line, a URL, <stdin>"),
    _s("fetched_at", "when the input was read or downloaded (ISO 8601, UTC)", null=True),
    _s("content_hash", "SHA-256 of the raw document's bytes", null=True),
    _i("schema_version", "version of the article record layout", minimum=1),
    _s("text", "the clean text every offset points into"),
    _strings("removed", "boilerplate lines the extractor dropped"),
)
QUOTE = (
    _s("id", "ARTICLE_ID:START"),
    _s("article_id", "the article it is in"),
    _s("published", "the article's publication date", null=True, pattern=_DAY),
    _o(
        "speaker",
        "who said it",
        *_side("speaker"),
        _s("via", "how the speaker was resolved: name, title, surname, pronoun, …", null=True),
    ),
    _s("text", "the quoted words, or the reported content"),
    _b("direct", "true for words in quotation marks"),
    _s("kind", "statement, scare or indirect", enum=("statement", "scare", "indirect")),
    _s("cue", "the reporting verb as written", null=True),
    _s("addressee", "who it was said to", null=True),
    _s("sentence", "the sentence(s) holding the quote"),
    _i("start", "offset of the quoted words in the article's text", minimum=0),
    _i("end", "end offset of the quoted words", minimum=0),
)
ACTOR = (
    _s("name", "canonical name"),
    _s("code", "actor code: country + role, IGO…, or a bare country", null=True),
    _s("country", "ISO 3166 alpha-3", null=True),
    _s("role", "CAMEO role or IGO", null=True),
    _s("kind", "person, country, organization, place, group or unresolved"),
    _s("title", "the office on the article's date", null=True),
    _i("mentions", "mentions across all articles", minimum=0),
    _i("articles", "articles mentioning it", minimum=0),
    _i("quotes", "quotations attributed to it", minimum=0),
)
AMOUNT = (
    _s("article_id", "the article it is in"),
    _s("published", "the article's publication date", null=True, pattern=_DAY),
    _s("text", "as written: $62 billion"),
    _f("value", "the number with its scale applied"),
    _s("unit", "ISO 4217 currency, a unit, or null for a count", null=True),
    _s("object", "what it counts", null=True),
    _b("approximate", "nearly, about, more than"),
    _s("sentence", "the sentence holding it"),
    _i("start", "offset of text in the article's text", minimum=0),
    _i("end", "end offset of text", minimum=0),
)
LOCATION = (
    _s("name", "canonical place name"),
    _s("country", "ISO 3166 alpha-3", null=True),
    _f("latitude", "WGS 84 latitude", null=True, minimum=-90, maximum=90),
    _f("longitude", "WGS 84 longitude", null=True, minimum=-180, maximum=180),
    _s("feature", "city, capital, state, region, country, …", null=True),
    _i("geonames_id", "the place's GeoNames id", null=True),
    _s("admin1", "GeoNames first-level division code", null=True),
)
EVENT = (
    _s("id", "stable event id, derived from its first mention"),
    _strings("article_ids", "the articles that report it, first first"),
    _s("date", "when it happened: YYYY-MM-DD, YYYY-MM or YYYY", null=True, pattern=_PARTIAL_DAY),
    _s("date_precision", "day, month or year", null=True, enum=("day", "month", "year", None)),
    _s("date_source", "text or publication", null=True, enum=("text", "publication", None)),
    _o("source", "who acts", *_side("source")),
    _o("target", "who is acted upon", *_side("target")),
    _s("cameo", "CAMEO event code, 3 or 4 digits", pattern=r"^\d{2,4}$"),
    _s("cameo_root", "its first two digits", pattern=r"^\d{2}$"),
    _s("plover", "PLOVER event type", null=True),
    _s("plover_mode", "PLOVER mode", null=True),
    _i(
        "quad_class",
        "1 verbal coop., 2 material coop., 3 verbal conflict, 4 material conflict",
        minimum=1,
        maximum=4,
    ),
    _f("goldstein", "Goldstein score of the CAMEO code", minimum=-10, maximum=10),
    _b("negated", "the text says it did not happen"),
    _b("hypothetical", "conditional, possible or speculative"),
    _s("modality", "threat, intent, future, denial, demand, …; null: it happened", null=True),
    _b("symmetric", "a meeting or agreement where neither side leads"),
    _o("location", "where", *LOCATION),
    _s("trigger", "the predicate as written in the first mention", null=True),
    _s("sentence", "the evidence: the sentence of the first mention"),
    _f("confidence", "the coder's confidence in the first mention", minimum=0, maximum=1),
    _s("coder", "the versioned coder that produced it: rules.v1"),
    _i("num_mentions", "mentions merged into this event", minimum=1),
    _i("num_articles", "distinct articles among them", minimum=1),
    _i("num_sources", "distinct outlets among them", minimum=0),
)
_ENTITY = (
    _s("code", "PLOVER top-level code: ISO3 country, or IGO, UNO, EUR", null=True),
    _s("sector", "sector code (our CAMEO role)", null=True),
    _s("entity_text", "the entity as written", null=True),
    _s("identifier_text", "canonical name", null=True),
    _s("office", "office held on the article's date", null=True),
    _s("actor_code", "Detente's actor code (TURGOV, IGONATO)", null=True),
)


def _entities(name: str, description: str) -> Field:
    return Field(name, "array", description, fields=_ENTITY)


PLOVER = (
    _s("id", "the event id"),
    _s("date", "YYYY-MM-DD; a coarse date is the first day of its month or year", pattern=_DAY),
    _s(
        "date_precision",
        "day, month or year: which days stand for a month or a year",
        enum=("day", "month", "year"),
    ),
    _entities("actor", "who acts (both sides of a symmetric event)"),
    _entities("recipient", "who is acted upon; empty for a symmetric event"),
    _strings("event", "PLOVER event type (one)"),
    _strings("mode", "PLOVER mode, where PLOVER defines one", null=True),
    _strings("context", "PLOVER contexts (topics): Detente codes none, always null", null=True),
    _s("modality", "threat, intent, future, denial, …; null: it happened", null=True),
    _b("negated", "the text says it did not happen"),
    _b("hypothetical", "conditional, possible or speculative"),
    Field("reported_by", "array", "who reported it, in the first mention", fields=_ENTITY),
    _o(
        "event_loc",
        "where",
        _s("extracted_place", "the place as written", null=True),
        _s("resolved_place", "canonical place name"),
        _i("geonameid", "GeoNames id", null=True),
        _f("lat", "latitude", null=True),
        _f("lon", "longitude", null=True),
        _s("province", "first-level division code (GeoNames admin1)", null=True),
        _s("country_code", "ISO 3166 alpha-3", null=True),
        _s("feature_class", "GeoNames feature class", null=True),
        _s("feature_code", "GeoNames feature code", null=True),
        _i("resolution", "1 country, 2 province, 4 city", null=True),
    ),
    _strings("event_text", "the evidence sentence"),
    _i(
        "quad_code",
        "1 verbal coop., 2 material coop., 3 verbal conflict, 4 material conflict",
        minimum=1,
        maximum=4,
    ),
    _s("coder", "the versioned coder: rules.v1"),
    _o(
        "cite_info",
        "the first article that reports it",
        _s("citation", "its article id"),
        _s("url", "its URL", null=True),
        _s("title", "its headline", null=True),
        _s("language", "ISO 639-1", null=True),
        _s("publication", "its outlet", null=True),
        _s("source", "the file or URL it was read from", null=True),
        null=False,
    ),
    _s("cameo", "CAMEO event code", pattern=r"^\d{2,4}$"),
    _f("goldstein", "Goldstein score of the CAMEO code", minimum=-10, maximum=10),
    _strings("article_ids", "every article that reports it"),
    _i("num_mentions", "mentions merged into this event", minimum=1),
)

# --- the data model as JSON: Article.to_dict(), `detente show ID --format json` -----------------

_OFFSETS = (
    _i("start", "offset into the article's text", minimum=0),
    _i("end", "end offset", minimum=0),
)
MENTION = (
    *_OFFSETS,
    _s("text", "the span as written"),
    _o("actor", "who it refers to",
       _s("name", "canonical name"), _s("code", "actor code", null=True),
       _s("country", "ISO 3166 alpha-3", null=True), _s("role", "CAMEO role", null=True),
       _s("kind", "person, country, organization, place, group"),
       _s("title", "office on the article's date", null=True), null=False),
    _s("via", "how it was resolved: name, dictionary, title, surname, pronoun, …"),
)  # fmt: skip
_SENTENCE = (
    _i("sentence_start", "offset of the sentence(s) holding it", minimum=0),
    _i("sentence_end", "end offset of the sentence(s)", minimum=0),
)


def _mention(name: str, description: str) -> Field:
    return Field(name, "object", description, True, MENTION)


MODEL_QUOTE = (
    *_OFFSETS, _s("text", "the quoted words"), _b("direct", "in quotation marks"),
    _s("kind", "statement, scare or indirect", enum=("statement", "scare", "indirect")),
    _mention("speaker", "who said it"), _s("cue", "the reporting verb", null=True),
    _s("addressee", "who it was said to", null=True), *_SENTENCE,
)  # fmt: skip
MODEL_AMOUNT = (
    *_OFFSETS, _s("text", "as written"), _f("value", "the number, scale applied"),
    _s("unit", "currency or unit; null for a count", null=True),
    _s("object", "what it counts", null=True), _b("approximate", "nearly, about"), *_SENTENCE,
)  # fmt: skip
MODEL_EVENT = (
    _mention("source", "who acts"), _mention("target", "who is acted upon"),
    _s("cameo", "CAMEO event code", pattern=r"^\d{2,4}$"),
    _s("plover", "PLOVER event type", null=True), _s("plover_mode", "PLOVER mode", null=True),
    _i("quad_class", "quad class of the CAMEO code (0: none)", minimum=0, maximum=4),
    _f("goldstein", "Goldstein score", minimum=-10, maximum=10),
    _s("trigger", "the predicate as written"),
    _i("trigger_start", "offset of the trigger", minimum=0),
    _i("trigger_end", "end offset of the trigger", minimum=0),
    _b("negated", "the text says it did not happen"),
    _b("hypothetical", "conditional, possible or speculative"),
    _s("modality", "threat, intent, …; null: it happened", null=True),
    _b("symmetric", "neither side leads"),
    _s("date", "YYYY-MM-DD, YYYY-MM or YYYY", null=True, pattern=_PARTIAL_DAY),
    _s("date_precision", "day, month or year", null=True),
    _s("date_source", "text or publication", null=True),
    _s("date_text", "the time expression as written", null=True),
    _o("location", "where", *LOCATION), _s("location_text", "the place as written", null=True),
    _mention("reported_by", "who reported it"), *_SENTENCE,
    _f("confidence", "the coder's confidence", minimum=0, maximum=1),
    _s("coder", "the versioned coder"),
)  # fmt: skip
DOCUMENT = (
    *(f for f in ARTICLE if f.name != "word_count"),
    _s("nlp", "the model that annotated it", null=True),
    Field("sentences", "array", "sentence offsets: [start, end] pairs",
          item=Field("span", "array", "[start, end]", item=Field("offset", "integer", ""))),
    Field("mentions", "array", "actor mentions", fields=MENTION),
    Field("quotes", "array", "quotations", fields=MODEL_QUOTE),
    Field("amounts", "array", "claimed numbers", fields=MODEL_AMOUNT),
    Field("events", "array", "events, one per sentence-level coding", fields=MODEL_EVENT),
    next(f for f in ARTICLE if f.name == "word_count"),
)  # fmt: skip

#: Every kind of record, by the name ``detente schema`` and ``--what`` use.
SCHEMAS: dict[str, tuple[Field, ...]] = {
    "articles": ARTICLE,
    "quotes": QUOTE,
    "actors": ACTOR,
    "amounts": AMOUNT,
    "events": EVENT,
    "plover": PLOVER,
    "document": DOCUMENT,
    "mention": MENTION,
}
TITLES = {
    "articles": "An article: clean text, metadata and provenance",
    "quotes": "A quotation with its speaker",
    "actors": "An actor with its mention counts",
    "amounts": "A claimed number with its unit",
    "events": "A deduplicated event: who did what to whom, when and where",
    "plover": "An event in the PLOVER specification's JSON fields (--format plover)",
    "document": "An annotated article as the data model has it (detente show ID --format json)",
    "mention": "A span of an article's text that refers to an actor",
}


#: Singular names ``detente schema`` and :func:`fields` also take.
_SINGULAR = {"article": "articles", "quote": "quotes", "actor": "actors", "amount": "amounts",
             "event": "events"}  # fmt: skip


def kind_name(kind: str) -> str:
    """The schema key of a kind (``event`` → ``events``); DetenteError naming the kinds."""
    key = kind.strip().lower()
    key = _SINGULAR.get(key, key)
    if key not in SCHEMAS:
        raise DetenteError(f"no record kind {kind!r}; choose one of: {', '.join(SCHEMAS)}")
    return key


def fields(kind: str) -> tuple[Field, ...]:
    """The fields of one kind of record; DetenteError naming the kinds for an unknown one."""
    return SCHEMAS[kind_name(kind)]


def columns(kind: str) -> tuple[str, ...]:
    """The top-level field names of one kind, in order (the JSONL keys)."""
    return tuple(f.name for f in fields(kind))


def nested(kind: str) -> dict[str, tuple[str, ...]]:
    """The object fields of one kind, each with its own fields' names (flattened in CSV)."""
    objects = [f for f in fields(kind) if f.json_type == "object"]
    return {f.name: tuple(sub.name for sub in f.fields) for f in objects}


def flat_fields(kind: str) -> list[tuple[str, Field]]:
    """(column, field) of the CSV and Parquet exports: objects spread as ``parent_child``."""
    out: list[tuple[str, Field]] = []
    for field in fields(kind):
        if field.json_type == "object":
            out += [(f"{field.name}_{sub.name}", sub) for sub in field.fields]
        else:
            out.append((field.name, field))
    return out


def _property(field: Field) -> dict[str, Any]:
    """One field as a JSON Schema property."""
    prop: dict[str, Any] = {"description": field.description}
    if field.json_type == "object":
        prop.update(_object(field.fields))
    elif field.json_type == "array":
        items = (
            _object(field.fields)
            if field.fields
            else _property(field.item)
            if field.item
            else {"type": "string"}
        )
        prop.update({"type": "array", "items": items})
    else:
        prop["type"] = field.json_type
    for key in ("pattern", "minimum", "maximum"):
        if getattr(field, key) is not None:
            prop[key] = getattr(field, key)
    if field.enum is not None:
        prop["enum"] = list(field.enum)
    if field.nullable:
        prop["type"] = [prop["type"], "null"]  # a pattern or bounds apply to non-null values
    return prop


def _object(members: tuple[Field, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {f.name: _property(f) for f in members},
        "required": [f.name for f in members],
        "additionalProperties": False,
    }


def json_schema(kind: str, *, only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of record.

    ``only`` restricts it to some fields (a listing that shows a few of them, such as
    ``detente articles --format json``); every field named must exist.
    """
    key = kind_name(kind)
    members = SCHEMAS[key]
    if only is not None:
        known = {f.name: f for f in members}
        unknown = [name for name in only if name not in known]
        if unknown:
            raise DetenteError(
                f"{key} records have no field {', '.join(unknown)}; their fields: "
                + ", ".join(known)
            )
        members = tuple(known[name] for name in only)
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$comment": f"Detente records, schema version {SCHEMA_VERSION} (model.SCHEMA_VERSION)",
        "title": TITLES[key],
        **_object(members),
    }


def render_markdown() -> str:
    """docs/schema.md: each kind's fields as a table, then its JSON Schema."""
    lines = [
        "# Record schemas",
        "",
        "<!-- Generated by scripts/gen_schema_docs.py from src/detente/query/schema.py;"
        " do not edit. -->",
        "",
        "Every record Detente writes as JSON (the JSONL export, the JSON listings, the PLOVER",
        "export) has one schema, described once in `detente.query.schema`. The CSV and Parquet",
        "exports take their columns and types from it (objects spread as `parent_child`",
        "columns). Print one schema with `detente schema KIND`, or validate a file with any",
        "JSON Schema validator:",
        "",
        "<!-- requires: jsonschema -->",
        "```python",
        "import jsonschema",
        "from detente.query.schema import json_schema",
        "",
        'record = {"name": "NATO", "code": "IGONATO", "country": None, "role": "IGO",',
        '          "kind": "organization", "title": None, "mentions": 3, "articles": 2,',
        '          "quotes": 0}',
        'jsonschema.validate(record, json_schema("actors"))',
        "```",
        "",
        f"Schema version {SCHEMA_VERSION} (the `schema_version` of articles); see the",
        "[data dictionary](data-dictionary.md) for what each field means in full.",
    ]
    for kind, members in SCHEMAS.items():
        lines += ["", f"## {kind}", "", TITLES[kind] + f" (`detente schema {kind}`).", ""]
        lines += ["| field | type | meaning |", "|---|---|---|"]
        for field in members:
            lines.append(f"| `{field.name}` | {_type_name(field)} | {_cell(field)} |")
            for sub in field.fields:
                lines.append(f"| `{field.name}.{sub.name}` | {_type_name(sub)} | {_cell(sub)} |")
        lines += ["", "```json", json.dumps(json_schema(kind), indent=2, ensure_ascii=False), "```"]
    return "\n".join(lines) + "\n"


def _cell(field: Field) -> str:
    """A description as a Markdown table cell (``<stdin>`` is not an HTML tag)."""
    return field.description.replace("<", "&lt;").replace("|", "\\|")


def _type_name(field: Field) -> str:
    name = field.json_type
    if field.json_type == "array":
        name = "list of object" if field.fields else "list of string"
        name = f"list of {_type_name(field.item)}" if field.item else name
    return f"{name}, nullable" if field.nullable else name
