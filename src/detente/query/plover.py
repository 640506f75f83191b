"""Event exports for PLOVER tooling: the PLOVER specification's JSON, and POLECAT's release layout.

**PLOVER JSON** (``--format plover``): one JSON object a line (the JSONL the specification
suggests) with its field names: ``id``, ``date``, ``actor`` and ``recipient`` (lists of entity
objects: ``code``, ``sector``, ``entity_text``, ``identifier_text``, ``office``), ``event``,
``mode`` and ``context`` (lists), ``event_loc`` (the Mordecai/GeoNames location object:
``resolved_place``, ``geonameid``, ``lat``, ``lon``, ``country_code``, ``feature_class``,
``feature_code``, ``resolution``), ``event_text``, ``quad_code``, ``coder`` and ``cite_info``.
Detente's own fields sit beside them under their own names: the modality (``modality``,
``negated``, ``hypothetical``, ``reported_by``), ``date_precision``, ``cameo``, ``goldstein``,
``article_ids``, ``num_mentions``. The schema is ``detente schema plover``.

Conventions where PLOVER asks for what Detente does not have:

- PLOVER's ``date`` is ``YYYY-MM-DD``; a coarse date stands for the first day of its month or
  year (``2014`` is ``2014-01-01``) and ``date_precision`` says so (as in the GDELT export).
  Undated events are left out: PLOVER requires a date.
- A symmetric event (a meeting where neither side hosts) has both sides as ``actor`` and no
  ``recipient``, as PLOVER codes a CONSULT without a host.
- ``context`` holds PLOVER's topic contexts, which Detente does not code: always null.
- An entity's ``code`` is PLOVER's top-level code: the ISO3 country, ``UNO`` for the UN,
  ``EUR`` for the EU and ``IGO`` for any other organisation of states; ``actor_code`` keeps
  Detente's code (``TURGOV``, ``IGONATO``).
- Events whose CAMEO code has no PLOVER type are left out: PLOVER requires an ``event``.

**POLECAT** (``--format polecat``): the 40 tab-separated columns of POLECAT's weekly release
files, with a header row, one event a row; an empty cell is a missing value and several values
in one cell are separated by ``"; "`` (both sides of a symmetric event in the Actor columns).
It leaves out the same events as PLOVER JSON. ``Event Intensity`` is the PLOVER score of the
type and mode (:data:`PLOVER_SCORES`); the Correlates of War codes, Wikipedia ids, districts,
contexts and the story-level people, organisations and locations are empty: Detente has none.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from detente.model import Event, Mention
from detente.store.database import Store

#: PLOVER's top-level codes for the organisations of states it names (manual, "Non-state
#: international actors"); every other IGO is ``IGO``.
PLOVER_IGOS = {"IGOUNO": "UNO", "IGOEU": "EUR"}
#: Our place features as GeoNames feature class, feature code and the Mordecai resolution
#: (1 country, 2 province, 4 city; None: not an administrative level).
FEATURES: dict[str, tuple[str, str, int | None]] = {
    "country": ("A", "PCLI", 1), "state": ("A", "ADM1", 2), "capital": ("P", "PPLC", 4),
    "city": ("P", "PPL", 4), "continent": ("L", "CONT", None), "region": ("L", "RGN", None),
    "sea": ("H", "SEA", None), "strait": ("H", "STRT", None), "canal": ("H", "CNL", None),
    "site": ("S", "HSTS", None),
}  # fmt: skip
#: PLOVER conflict-cooperation scores of each type, and of the modes scored apart (PLOVER
#: manual, "Numeric conflict/cooperation scores"): POLECAT's Event Intensity. The manual's
#: table prints ACCUSE as +3 while each of its modes scores -2 to -3.5 and the manual's earlier
#: table had -2.0; we take that sign as a slip and use -3.
PLOVER_SCORES: dict[str, float] = {
    "AGREE": 2.5, "CONSULT": 2.5, "CONSULT:visit": 4, "CONSULT:third-party": 1,
    "CONSULT:multilateral": 4, "CONSULT:phone": 1.5, "SUPPORT": 5, "CONCEDE": 4.5,
    "COOPERATE": 9.5, "AID": 10, "RETREAT": 6.5, "RETREAT:withdraw": 8, "RETREAT:release": 6.5,
    "RETREAT:disarm": 10, "RETREAT:ceasefire": 7.5, "RETREAT:access": 6.5, "RETREAT:resign": 4.5,
    "REQUEST": 0, "REQUEST:assist": 0.5, "REQUEST:change": -1, "REQUEST:yield": -1,
    "REQUEST:meet": 0, "ACCUSE": -3, "ACCUSE:disapprove": -2, "ACCUSE:investigate": -3.5,
    "ACCUSE:allege": -3.5, "REJECT": -2, "REJECT:assist": -1.5, "REJECT:change": -2,
    "REJECT:yield": -2, "REJECT:meet": -2, "THREATEN": -3.5, "THREATEN:restrict": -3,
    "THREATEN:arrest": -3.5, "THREATEN:relations": -3.5, "THREATEN:expel": -3.5,
    "THREATEN:territory": -4, "THREATEN:violence": -3.5, "PROTEST": -5, "PROTEST:demo": -5,
    "PROTEST:riot": -7, "PROTEST:strike": -5, "PROTEST:hunger": -4.5, "PROTEST:boycott": -4.5,
    "PROTEST:obstruct": -4.5, "SANCTION": -6, "SANCTION:convict": -6, "SANCTION:expel": -5.5,
    "SANCTION:withdraw": -6, "SANCTION:discontinue": -6, "MOBILIZE": -5.5,
    "MOBILIZE:troops": -6.5, "MOBILIZE:weapons": -6.5, "MOBILIZE:police": -5.5,
    "MOBILIZE:militia": -6, "COERCE": -7, "COERCE:seize": -7, "COERCE:restrict": -7,
    "COERCE:censor": -6.5, "COERCE:curfew": -6.5, "COERCE:martial-law": -7.5,
    "COERCE:arrest": -7, "COERCE:deport": -7, "COERCE:withhold": -7,
    "COERCE:misinformation": -6.5, "COERCE:cyber": -7, "ASSAULT": -9, "ASSAULT:abduct": -8.5,
    "ASSAULT:beat": -7.5, "ASSAULT:torture": -8.5, "ASSAULT:sexual": -8.5,
    "ASSAULT:targeted": -9.5, "ASSAULT:destroy": -8.5, "ASSAULT:primitive": -8,
    "ASSAULT:firearms": -9, "ASSAULT:explosives": -9, "ASSAULT:suicide-attack": -9.5,
    "ASSAULT:aerial": -9.5, "ASSAULT:drone": -9.5, "ASSAULT:heavy-weapons": -9.5,
    "ASSAULT:crowd-control": -7.5, "ASSAULT:unconventional": -10,
}  # fmt: skip
QUAD_NAMES = {1: "VERBAL COOPERATION", 2: "MATERIAL COOPERATION", 3: "VERBAL CONFLICT",
              4: "MATERIAL CONFLICT"}  # fmt: skip

#: POLECAT's columns, in order, with the pandas dtype to read each with (docs/data-dictionary.md).
POLECAT_DTYPES: dict[str, str] = {
    "Event ID": "string", "Event Date": "string", "Event Type": "string",
    "Event Mode": "string", "Event Intensity": "float64", "Quad Code": "string",
    "Contexts": "string",
    "Actor Name": "string", "Actor Country": "string", "Actor COW": "Int64",
    "Primary Actor Sector": "string", "Actor Sectors": "string", "Actor Title": "string",
    "Actor Name Raw": "string", "Wikipedia Actor ID": "string",
    "Recipient Name": "string", "Recipient Country": "string", "Recipient COW": "Int64",
    "Primary Recipient Sector": "string", "Recipient Sectors": "string",
    "Recipient Title": "string", "Recipient Name Raw": "string",
    "Wikipedia Recipient ID": "string",
    "Placename": "string", "City": "string", "District": "string", "Province": "string",
    "Country": "string", "Latitude": "float64", "Longitude": "float64", "GeoNames ID": "Int64",
    "Raw Placename": "string", "Feature Type": "string", "Source": "string",
    "Publication Date": "string", "Story People": "string", "Story Organizations": "string",
    "Story Locations": "string", "Language": "string", "Version": "string",
}  # fmt: skip
POLECAT_COLUMNS = tuple(POLECAT_DTYPES)


def plover_date(day: str) -> str:
    """A date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) as the first day it stands for."""
    parts = [*day.split("-"), "01", "01"][:3]
    return "-".join(parts)


def plover_code(side: dict[str, Any]) -> str | None:
    """PLOVER's top-level code of an actor: its country, or UNO, EUR, IGO."""
    code = side.get("code") or ""
    if code.startswith("IGO"):
        return PLOVER_IGOS.get(code, "IGO")
    return side.get("country") or None


def _entity(side: dict[str, Any], mention: Mention | None) -> dict[str, Any]:
    """One side as a PLOVER entity object."""
    return {
        "code": plover_code(side), "sector": side.get("role"), "entity_text": side.get("text"),
        "identifier_text": side.get("name"),
        "office": mention.actor.title if mention is not None else None,
        "actor_code": side.get("code"),
    }  # fmt: skip


def _mention_side(mention: Mention | None) -> dict[str, Any]:
    if mention is None:
        return {}
    actor = mention.actor
    return {"text": mention.text, "name": actor.name, "code": actor.code,
            "country": actor.country, "role": actor.role}  # fmt: skip


def _sides(
    event: dict[str, Any], coded: Event | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The actor and recipient entity lists; a symmetric event has both sides as actor."""
    source = [_entity(event["source"], coded.source if coded else None)] if event["source"] else []
    target = [_entity(event["target"], coded.target if coded else None)] if event["target"] else []
    return (source + target, []) if event["symmetric"] else (source, target)


def _event_loc(location: dict[str, Any] | None, coded: Event | None) -> dict[str, Any] | None:
    if not location:
        return None
    feature_class, feature_code, resolution = FEATURES.get(
        location.get("feature") or "", (None, None, None)
    )
    return {
        "extracted_place": coded.location_text if coded else None,
        "resolved_place": location["name"], "geonameid": location.get("geonames_id"),
        "lat": location.get("latitude"), "lon": location.get("longitude"),
        "province": location.get("admin1"), "country_code": location.get("country"),
        "feature_class": feature_class, "feature_code": feature_code, "resolution": resolution,
    }  # fmt: skip


def plover_record(event: dict[str, Any], first: dict[str, Any] | None = None) -> dict[str, Any]:
    """One dated event with a PLOVER type as a PLOVER JSON record (``first``: its first
    mention, from :meth:`Store.event_mentions`)."""
    coded: Event | None = first["event"] if first else None
    actor, recipient = _sides(event, coded)
    reporter = coded.reported_by if coded else None
    return {
        "id": event["id"],
        "date": plover_date(event["date"]),
        "date_precision": event["date_precision"],
        "actor": actor,
        "recipient": recipient,
        "event": [event["plover"]],
        "mode": [event["plover_mode"]] if event["plover_mode"] else None,
        "context": None,
        "modality": event["modality"],
        "negated": event["negated"],
        "hypothetical": event["hypothetical"],
        "reported_by": [_entity(_mention_side(reporter), reporter)] if reporter else [],
        "event_loc": _event_loc(event["location"], coded),
        "event_text": [event["sentence"]],
        "quad_code": event["quad_class"],
        "coder": event["coder"],
        "cite_info": {
            "citation": first["article_id"] if first else event["article_ids"][0],
            "url": first["url"] if first else None,
            "title": first["title"] if first else None,
            "language": first["language"] if first else None,
            "publication": first["outlet"] if first else None,
            "source": first["source"] if first else None,
        },
        "cameo": event["cameo"],
        "goldstein": event["goldstein"],
        "article_ids": event["article_ids"],
        "num_mentions": event["num_mentions"],
    }


def _codable(
    store: Store, events: Iterable[dict[str, Any]]
) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Dated events with a PLOVER type, each with its first mention."""
    for event in events:
        if event["date"] and event["plover"]:
            mentions = store.event_mentions(event["id"])
            yield event, mentions[0] if mentions else None


def write_plover(store: Store, events: Iterable[dict[str, Any]], stream: TextIO) -> int:
    """Events as PLOVER JSON, one record a line; returns the count."""
    count = 0
    for event, first in _codable(store, events):
        stream.write(json.dumps(plover_record(event, first), ensure_ascii=False) + "\n")
        count += 1
    return count


def _join(values: Iterable[Any]) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


def polecat_row(record: dict[str, Any], published: str | None = None) -> list[str]:
    """A PLOVER JSON record (:func:`plover_record`) as POLECAT's 40 columns, as text
    (``published``: the first article's publication date)."""
    row = dict.fromkeys(POLECAT_COLUMNS, "")
    kind = record["event"][0]
    mode = (record["mode"] or [""])[0]
    score = PLOVER_SCORES.get(f"{kind}:{mode}", PLOVER_SCORES.get(kind))
    row.update({
        "Event ID": record["id"], "Event Date": record["date"], "Event Type": kind,
        "Event Mode": mode, "Event Intensity": "" if score is None else f"{score:g}",
        "Quad Code": QUAD_NAMES[record["quad_code"]],
    })  # fmt: skip
    for side, entities in (("Actor", record["actor"]), ("Recipient", record["recipient"])):
        row[f"{side} Name"] = _join(e["identifier_text"] for e in entities)
        row[f"{side} Country"] = _join(e["code"] for e in entities)
        row[f"Primary {side} Sector"] = _join(e["sector"] for e in entities)
        row[f"{side} Sectors"] = _join(e["sector"] for e in entities)
        row[f"{side} Title"] = _join(e["office"] for e in entities)
        row[f"{side} Name Raw"] = _join(e["entity_text"] for e in entities)
    place = record["event_loc"]
    if place:
        row.update({
            "Placename": place["resolved_place"],
            "City": place["resolved_place"] if place["resolution"] == 4 else "",
            "Province": place["resolved_place"] if place["resolution"] == 2 else "",
            "Country": place["country_code"] or "",
            "Latitude": _text(place["lat"]), "Longitude": _text(place["lon"]),
            "GeoNames ID": _text(place["geonameid"]),
            "Raw Placename": place["extracted_place"] or "",
            "Feature Type": place["feature_code"] or "",
        })  # fmt: skip
    cite = record["cite_info"]
    row.update({"Source": cite["publication"] or "", "Language": cite["language"] or "",
                "Publication Date": published or "", "Version": record["coder"]})  # fmt: skip
    # one record a line: a tab or line break inside a value would split the row
    return [" ".join(value.split()) for value in row.values()]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def write_polecat(store: Store, events: Iterable[dict[str, Any]], stream: TextIO) -> int:
    """Events in POLECAT's tab-separated layout, with its header row; returns the count."""
    stream.write("\t".join(POLECAT_COLUMNS) + "\n")
    count = 0
    for event, first in _codable(store, events):
        row = polecat_row(plover_record(event, first), first["published"] if first else None)
        stream.write("\t".join(row) + "\n")
        count += 1
    return count
