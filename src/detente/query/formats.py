"""Event exports in GDELT 2.0's layouts: its event and mentions tables (PLOVER and POLECAT
are in :mod:`detente.query.plover`).

GDELT: the 61 tab-separated columns of the GDELT 2.0 event table, one deduplicated event a
row, and the 16 of its mentions table, one row per (event, sentence that reports it), both
without a header (as GDELT ships them); the two join on ``GLOBALEVENTID``. Negated,
hypothetical and one-sided events (no source or no target) are left out unless asked for, and
so are undated events: GDELT has no empty ``SQLDATE``, and an empty one would make readers take
the date columns for floats. Where Detente follows GDELT and where it cannot:

- ``SQLDATE`` of a coarse date is the first day of its month or year (``2021-03`` is
  ``20210301``, ``2019`` is ``20190101``); ``date_precision`` in the JSONL, CSV, Parquet and
  PLOVER exports says which dates those are. ``FractionDate`` is year + day of year / 365, four
  decimals ("the percentage of the year completed by that day").
- Actor codes are ours, ISO3 country + CAMEO role (CAMEO's country codes mostly agree); an IGO
  with a CAMEO known group code is written CAMEO's way (``IGOEU`` as ``IGOEEC``, KnownGroupCode
  ``EEC``); IGOs CAMEO has no code for (BRICS, the G20, the SCO, ...) keep ours and no group.
  Ethnic and religion codes are empty.
- Places: country codes are FIPS 10-4 (``TU``, ``RS``, ``US``) from GeoNames; ``ADM1Code`` is
  FIPS + GeoNames' admin1 code (``USTX``; GeoNames uses FIPS admin1 codes for most countries),
  or the country alone; ``FeatureID`` is the GeoNames id of a city (GDELT: GNS/GNIS ids, another
  numbering) and, as in GDELT, the ADM1 code of a US state and the FIPS code of a country.
  ``ADM2Code`` is empty. Actor geo is the actor's country (type 1, at its centroid) when known:
  GDELT places actors where the text does, Detente only places events.
- ``IsRootEvent`` is 1 when the event's first mention is in its article's lead (the first
  paragraph, at most :data:`LEAD_SENTENCES` sentences). ``AvgTone`` and the mentions'
  ``MentionDocTone`` are empty: Detente measures no tone. ``GLOBALEVENTID`` is a number derived
  from our event id; ``DATEADDED`` is when the first article was fetched (or stored), UTC;
  ``SOURCEURL`` is that article's URL, or the file it was read from.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, TextIO
from urllib.parse import urlsplit

from detente.store.database import Store

#: The GDELT 2.0 event table's columns, in order.
GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
                              "Religion1Code", "Religion2Code", "Type1Code", "Type2Code",
                              "Type3Code")),
    *(f"Actor2{c}" for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
                              "Religion1Code", "Religion2Code", "Type1Code", "Type2Code",
                              "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{side}Geo_{c}" for side in ("Actor1", "Actor2", "Action")
      for c in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long",
                "FeatureID")),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
#: The GDELT 2.0 mentions table's columns, in order.
GDELT_MENTION_COLUMNS = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset",
    "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen", "MentionDocTone",
    "MentionDocTranslationInfo", "Extras",
)  # fmt: skip

#: An event is a root event when its first mention is in the article's first paragraph and
#: among its first this many sentences: GDELT's "lead paragraph" (after ICEWS), capped because
#: plain-text articles often have no paragraph breaks. Newswire leads run one to three
#: sentences; re-run tests/test_export_gdelt.py after changing it.
LEAD_SENTENCES = 3
#: CAMEO known group codes of our IGO codes (CAMEO manual 1.1b3, table 3.4). The African Union
#: replaced the OAU in 2002, after the table was drawn; it keeps the OAU's code.
KNOWN_GROUPS = {
    "IGOUNO": "UNO", "IGONATO": "NAT", "IGOEU": "EEC", "IGOOPEC": "OPC", "IGOARL": "ARL",
    "IGOASEAN": "ASN", "IGOOSCE": "SCE", "IGOIMF": "IMF", "IGOWB": "WBK", "IGOWTO": "WTO",
    "IGOG7": "GOS", "IGOOIC": "OIC", "IGOGCC": "GCC", "IGOCOE": "COE", "IGOCIS": "CIS",
    "IGOOAS": "OAS", "IGOECOWAS": "WAS", "IGOICC": "ICC", "IGOAU": "OAU",
}  # fmt: skip
#: GDELT geo types: 1 country, 2 US state, 3 US city, 4 world city (and any other point),
#: 5 world state (our regions).
_COUNTRY, _US_STATE, _US_CITY, _WORLD_CITY, _WORLD_STATE = 1, 2, 3, 4, 5
_EMPTY_GEO = ("0", "", "", "", "", "", "", "")


class _Places:
    """FIPS codes, country names and centroids, and US state names, read once."""

    def __init__(self) -> None:
        from detente.annotate.geo import geonames_file

        countries = json.loads(geonames_file("countries.json").read_text(encoding="utf-8"))
        self.fips = {row["iso3"]: row["fips"] for row in countries.values() if row.get("fips")}
        states = json.loads(geonames_file("us_states.json").read_text(encoding="utf-8"))
        self.states = {code: row["name"] for code, row in states.items()}
        self._centroids: dict[str, tuple[str, float | None, float | None]] = {}

    def country(self, iso3: str) -> tuple[str, float | None, float | None]:
        """A country's name and the gazetteer's stand-in for its centroid."""
        if iso3 not in self._centroids:
            from detente.annotate.actors._tables import builtin_tables
            from detente.annotate.geo import gazetteer

            known = builtin_tables().countries.get(iso3)
            name = known.name if known else iso3
            place = gazetteer().lookup(name, country=iso3) if known else None
            if place is None or place.feature != "country" or place.country != iso3:
                self._centroids[iso3] = (name, None, None)
            else:
                self._centroids[iso3] = (name, place.latitude, place.longitude)
        return self._centroids[iso3]


@lru_cache(maxsize=1)
def _places() -> _Places:
    return _Places()


def gdelt_id(event_id: str) -> int:
    """GLOBALEVENTID of an event: its id's SHA-256, first 12 hex digits, as a number."""
    return int(hashlib.sha256(event_id.encode()).hexdigest()[:12], 16)


def gdelt_dates(day: str) -> tuple[str, str, str, str]:
    """SQLDATE, MonthYear, Year and FractionDate of a date (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``).

    A coarse date stands for the first day of its month or year; FractionDate is year + day
    of year / 365, four decimals.
    """
    year = int(day[:4])
    month = int(day[5:7]) if len(day) >= 7 else 1
    dom = int(day[8:10]) if len(day) >= 10 else 1
    doy = date(year, month, dom).timetuple().tm_yday
    return (f"{year:04d}{month:02d}{dom:02d}", f"{year:04d}{month:02d}", f"{year:04d}",
            f"{year + doy / 365:.4f}")  # fmt: skip


def gdelt_timestamp(value: str | None) -> str:
    """An ISO date or time as GDELT's ``YYYYMMDDHHMMSS`` in UTC ('' when unreadable)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return ""
    if moment.tzinfo is None:  # fetched_at is written in UTC; a bare date is its midnight
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def _actor(side: dict[str, Any] | None) -> list[str]:
    """Code, name, country, known group, ethnic, religions and types of one side."""
    if not side:
        return [""] * 10
    code = side.get("code") or ""
    role = side.get("role") or ""
    group = KNOWN_GROUPS.get(code, "")
    types = [role, "", ""]
    if code.startswith("IGO"):
        code = f"IGO{group}" if group else code
        types = ["IGO", "" if role == "IGO" else role, ""]
    return [code, (side.get("name") or "").upper(), side.get("country") or "", group, "", "",
            "", *types]  # fmt: skip


def _coordinates(lat: float | None, lon: float | None) -> list[str]:
    return ["" if lat is None else f"{lat:.4f}", "" if lon is None else f"{lon:.4f}"]


def _actor_geo(side: dict[str, Any] | None) -> list[str]:
    """An actor's country as a GDELT country-level place (type 1), or type 0 without one."""
    iso3 = (side or {}).get("country")
    fips = _places().fips.get(iso3 or "")
    if not iso3 or not fips:
        return list(_EMPTY_GEO)
    name, lat, lon = _places().country(iso3)
    return [str(_COUNTRY), name, fips, fips, "", *_coordinates(lat, lon), fips]


def _action_geo(location: dict[str, Any] | None) -> list[str]:
    """The event's place in GDELT's eight geo columns."""
    if not location:
        return list(_EMPTY_GEO)
    places = _places()
    iso3 = location.get("country") or ""
    fips = places.fips.get(iso3, "")
    feature = location.get("feature") or ""
    admin1 = location.get("admin1") or ""
    name = location.get("name") or ""
    country_name = places.country(iso3)[0] if iso3 else ""
    lat, lon = location.get("latitude"), location.get("longitude")
    if feature == "country":
        return [str(_COUNTRY), country_name or name, fips, fips, "", *_coordinates(lat, lon), fips]
    adm1 = fips + admin1 if fips and admin1 else fips
    if feature == "state" and iso3 == "USA":
        full = f"{name}, {country_name}"
        return [str(_US_STATE), full, fips, adm1, "", *_coordinates(lat, lon), adm1]
    state = places.states.get(admin1, "") if iso3 == "USA" else ""
    full = ", ".join(part for part in (name, state, country_name) if part)
    kind = _WORLD_STATE if feature == "region" else _WORLD_CITY
    if iso3 == "USA" and feature in ("city", "capital"):
        kind = _US_CITY
    ident = location.get("geonames_id")
    return [str(kind), full, fips, adm1, "", *_coordinates(lat, lon),
            "" if ident is None else str(ident)]  # fmt: skip


def _sentence_index(mention: dict[str, Any]) -> int:
    """The 0-based index of the article sentence that holds the mention's evidence."""
    starts = [start for start, _ in mention["sentences"]]
    return max(0, bisect.bisect_right(starts, mention["event"].sentence_start) - 1)


def in_lead(mention: dict[str, Any]) -> bool:
    """Whether an event mention is in its article's lead (see :data:`LEAD_SENTENCES`)."""
    first_break = mention["first_break"]
    in_first = first_break is None or mention["event"].sentence_start < first_break
    return in_first and _sentence_index(mention) < LEAD_SENTENCES


def _added(mention: dict[str, Any]) -> str:
    return gdelt_timestamp(mention["fetched_at"]) or gdelt_timestamp(mention["added_at"])


def gdelt_row(event: dict[str, Any], first: dict[str, Any] | None = None) -> list[str]:
    """One dated event as the GDELT 2.0 event table's 61 fields (``first``: its first mention)."""
    cameo = event["cameo"]
    root = "1" if first is not None and in_lead(first) else "0"
    added = _added(first) if first is not None else ""
    url = (first["url"] or first["source"]) if first is not None else ""
    row = [
        str(gdelt_id(event["id"])), *gdelt_dates(event["date"]),
        *_actor(event["source"]), *_actor(event["target"]),
        root, cameo, cameo[:3], cameo[:2], str(event["quad_class"]), f"{event['goldstein']:.1f}",
        str(event["num_mentions"]), str(event["num_sources"]), str(event["num_articles"]), "",
        *_actor_geo(event["source"]), *_actor_geo(event["target"]),
        *_action_geo(event["location"]), added, url,
    ]  # fmt: skip
    assert len(row) == len(GDELT_COLUMNS)
    return row


def gdelt_mention_row(event_added: str, mention: dict[str, Any]) -> list[str]:
    """One event mention as the GDELT 2.0 mentions table's 16 fields."""
    coded = mention["event"]
    url = mention["url"]
    host = (urlsplit(url).hostname or "") if url else ""
    sides = (coded.source, coded.target)
    raw = not any(side is not None and side.via == "pronoun" for side in sides)
    return [
        str(gdelt_id(mention["event_id"])), event_added, _added(mention),
        "1" if url else "2",  # 1 WEB; 2 CITATIONONLY: a document without a URL
        host.removeprefix("www.") if url else mention["outlet"] or "",
        url or mention["source"], str(_sentence_index(mention) + 1),
        *(str(side.start) if side is not None else "-1" for side in sides),
        str(coded.trigger_start) if coded.trigger else "-1",
        "1" if raw else "0", str(round(coded.confidence * 100)), str(mention["doc_len"]),
        "", "", "",
    ]  # fmt: skip


def _dated(
    store: Store, events: Iterable[dict[str, Any]]
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Dated events, each with its mentions (first first)."""
    for event in events:
        if event["date"]:
            yield event, store.event_mentions(event["id"])


def write_gdelt(store: Store, events: Iterable[dict[str, Any]], stream: TextIO) -> int:
    """Dated events as GDELT 2.0 event rows (tab-separated, no header); returns the count."""
    count = 0
    for event, mentions in _dated(store, events):
        row = gdelt_row(event, mentions[0] if mentions else None)
        stream.write("\t".join(row) + "\n")
        count += 1
    return count


def write_gdelt_mentions(store: Store, events: Iterable[dict[str, Any]], stream: TextIO) -> int:
    """The mentions of dated events as GDELT 2.0 mentions rows; returns the count."""
    count = 0
    for _, mentions in _dated(store, events):
        added = _added(mentions[0]) if mentions else ""
        for mention in mentions:
            stream.write("\t".join(gdelt_mention_row(added, mention)) + "\n")
            count += 1
    return count
