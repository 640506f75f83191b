"""Event exports in other systems' layouts: the GDELT 2.0 event table and POLECAT-style JSON.

GDELT: the 61 tab-separated columns of the GDELT 2.0 event table, one deduplicated event a
row, without a header (as GDELT ships them). Differences: actor and geo country codes are
ISO 3166 alpha-3 (GDELT uses CAMEO codes for actors and FIPS 10-4 for places), AvgTone is
empty (Detente measures no tone), GLOBALEVENTID is a number derived from our event id, and
SOURCEURL is the URL of the first article. POLECAT/PLOVER: one JSON object a line with the
fields of POLECAT's records that Detente has (event type and mode, actors with country and
sector, date, location, the evidence sentence), plus Detente's own provenance fields.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any, TextIO

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

#: GDELT geo types: 1 country, 4 world city (our cities), 5 world state/region.
_GEO_TYPE = {"country": 1, "region": 5}


def _sqldate(day: str | None) -> tuple[str, str, str, str]:
    """SQLDATE, MonthYear, Year, FractionDate from a (possibly partial) date."""
    if not day:
        return ("", "", "", "")
    year = day[:4]
    month = day[5:7] if len(day) >= 7 else "01"
    dom = day[8:10] if len(day) >= 10 else "01"
    fraction = f"{int(year) + (int(month) - 1) / 12 + (int(dom) - 1) / 365:.4f}"
    return (f"{year}{month}{dom}", f"{year}{month}", year, fraction)


def _actor(side: dict[str, Any] | None) -> list[str]:
    if not side:
        return [""] * 10
    code = side.get("code") or ""
    role = side.get("role") or ""
    return [code, (side.get("name") or "").upper(), side.get("country") or "", "", "", "", "",
            role, "", ""]  # fmt: skip


def _geo(location: dict[str, Any] | None) -> list[str]:
    if not location:
        return ["0", "", "", "", "", "", "", ""]
    kind = _GEO_TYPE.get(location.get("feature") or "", 4)
    lat, lon = location.get("latitude"), location.get("longitude")
    return [
        str(kind),
        location.get("name") or "",
        location.get("country") or "",
        "",
        "",
        "" if lat is None else f"{lat:.4f}",
        "" if lon is None else f"{lon:.4f}",
        "",
    ]


def gdelt_row(event: dict[str, Any], *, url: str, added: str) -> list[str]:
    """One event as the GDELT 2.0 event table's 61 fields."""
    cameo = event["cameo"]
    row = [
        str(int(hashlib.sha256(event["id"].encode()).hexdigest()[:12], 16)),
        *_sqldate(event["date"]),
        *_actor(event["source"]),
        *_actor(event["target"]),
        "1", cameo, cameo[:3], cameo[:2], str(event["quad_class"]), f"{event['goldstein']:.1f}",
        str(event["num_mentions"]), str(event["num_sources"]), str(event["num_articles"]), "",
        *_geo(None), *_geo(None), *_geo(event["location"]),
        added, url,
    ]  # fmt: skip
    assert len(row) == len(GDELT_COLUMNS)
    return row


def _article_urls(store: Store, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    found = {}
    for ident in ids:
        article = store.get_article(ident)
        if article is not None:
            found[ident] = (article.url or article.source, (article.fetched_at or "")[:10])
    return found


def write_gdelt(store: Store, events: Iterable[dict[str, Any]], stream: TextIO) -> int:
    """Events as GDELT 2.0 event rows (tab-separated, no header); returns the count."""
    count = 0
    cache: dict[str, tuple[str, str]] = {}
    for event in events:
        first = event["article_ids"][0] if event["article_ids"] else ""
        if first and first not in cache:
            cache.update(_article_urls(store, [first]))
        url, added = cache.get(first, ("", ""))
        stream.write("\t".join(gdelt_row(event, url=url, added=added.replace("-", ""))) + "\n")
        count += 1
    return count


def plover_record(event: dict[str, Any]) -> dict[str, Any]:
    """One event as a POLECAT-style record."""

    def side(actor: dict[str, Any] | None) -> dict[str, Any] | None:
        if not actor:
            return None
        return {"actor": actor.get("name"), "text": actor.get("text"),
                "country": actor.get("country"), "sector": actor.get("role"),
                "code": actor.get("code")}  # fmt: skip

    location = event["location"]
    return {
        "event_id": event["id"],
        "event_date": event["date"],
        "date_precision": event["date_precision"],
        "event_type": event["plover"],
        "mode": event["plover_mode"],
        "context": [event["modality"]] if event["modality"] else [],
        "source": side(event["source"]),
        "target": side(event["target"]),
        "location": [location] if location else [],
        "event_text": event["sentence"],
        "cameo": event["cameo"],
        "quad_class": event["quad_class"],
        "goldstein": event["goldstein"],
        "negated": event["negated"],
        "hypothetical": event["hypothetical"],
        "num_mentions": event["num_mentions"],
        "article_ids": event["article_ids"],
        "coder": event["coder"],
    }


def write_plover(store: Store, events: Iterable[dict[str, Any]], stream: TextIO) -> int:
    """Events as POLECAT-style JSON, one record a line; returns the count."""
    del store  # the records carry everything POLECAT's layout needs
    count = 0
    for event in events:
        stream.write(json.dumps(plover_record(event), ensure_ascii=False) + "\n")
        count += 1
    return count
