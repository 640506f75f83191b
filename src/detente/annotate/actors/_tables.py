"""The actor tables: dictionary entries with dated offices, and the token gazetteer over them."""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry

from detente.annotate.actors._text import fold, parse_bound, spelling
from detente.errors import InputError
from detente.model import Actor

LOGGER = logging.getLogger(__name__)

#: Columns of a dictionary file (built-in ``persons.csv``/``organizations.csv`` and users' own).
COLUMNS = ("name", "aliases", "country", "role", "code", "title", "kind", "start", "end")
#: Kinds an entry may declare.
KINDS = ("person", "organization", "group", "country", "place")
#: Roles: CAMEO's, plus IGO for an organisation of states acting as itself.
ROLES = frozenset(
    [
        "GOV",
        "MIL",
        "COP",
        "LEG",
        "JUD",
        "OPP",
        "PTY",
        "REB",
        "SPY",
        "BUS",
        "MED",
        "CVL",
        "REF",
        "EDU",
        "HLH",
        "REL",
        "AGR",
        "LAB",
        "CRM",
        "UAF",
        "NGO",
        "IGO",
    ]
)
#: What a group of each role is called in canonical names ("Turkish armed forces").
ROLE_LABELS = {
    "GOV": "government",
    "MIL": "armed forces",
    "COP": "police",
    "LEG": "parliament",
    "JUD": "judiciary",
    "OPP": "opposition",
    "PTY": "political party",
    "REB": "rebels",
    "SPY": "intelligence services",
    "BUS": "businesses",
    "MED": "media",
    "CVL": "civilians",
    "REF": "refugees",
    "EDU": "academics",
    "HLH": "health services",
    "REL": "religious leaders",
    "AGR": "farmers",
    "LAB": "workers",
    "CRM": "criminals",
    "UAF": "armed groups",
    "NGO": "non-governmental organisations",
}
_ROLE_CODE = re.compile(r"^[A-Z]{3}$")
#: ISO 3166 entries with no population or government of their own: never actors.
_NOT_COUNTRIES = frozenset({"ATA", "BVT", "HMD", "UMI", "ATF"})
_ACRONYM_MAX = 5  # all-caps aliases up to this length must match case-sensitively ("WHO", "US")


def compose(country: str | None, role: str | None) -> str | None:
    """The CAMEO-style code: country then role (``TUR`` + ``GOV``), or a bare country.

    None when the country is unknown: the codebook never emits a bare role (``GOV``); the role
    stays in the actor's ``role`` field until the article's country completes it.
    """
    if country is None:
        return None
    return country + (role or "")


@dataclass(frozen=True, slots=True)
class Office:
    """One dated row of an entry: what the actor was between ``start`` and ``end``."""

    country: str | None
    role: str | None
    code: str | None
    title: str | None
    start: date | None  # inclusive; None: since ever
    end: date | None  # exclusive (the successor's first day); None: still

    def covers(self, on: date) -> bool:
        """Whether this office was held on ``on``."""
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)

    @property
    def full_code(self) -> str | None:
        """The explicit code, else country + role."""
        return self.code or compose(self.country, self.role)


@dataclass(slots=True)
class Entity:
    """A named actor: canonical name, aliases and its offices over time."""

    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)
    source: str = "built-in"

    @property
    def key(self) -> str:
        """The accent-folded canonical name that identifies the entity."""
        return fold(self.name)

    def office(self, on: date) -> Office | None:
        """The first office (in file order) held on ``on``."""
        return next((o for o in self.offices if o.covers(on)), None)

    def nearest(self, on: date) -> Office | None:
        """The office that ended last before ``on``, else the earliest one."""
        past = [o for o in self.offices if o.end is not None and o.end <= on]
        if past:
            return max(past, key=lambda o: o.end or date.min)
        return min(self.offices, key=lambda o: o.start or date.min, default=None)

    def actor(self, on: date) -> Actor:
        """This entity as an :class:`Actor` on ``on``; a person out of every office is CVL."""
        held = self.office(on)
        if held is not None:
            return Actor(self.name, held.full_code, held.country, held.role, self.kind, held.title)
        ref = self.nearest(on)
        country = ref.country if ref else None
        if self.kind == "person":
            return Actor(self.name, compose(country, "CVL"), country, "CVL", self.kind, None)
        return Actor(self.name, compose(country, None), country, None, self.kind, None)


def in_office_first(entities: list[Entity], on: date) -> list[Entity]:
    """The entities holding an office on ``on``, or all of them when none does ("Bush" in
    1991 and in 2005: a name two table persons share is the one in office on the day)."""
    return [e for e in entities if e.office(on) is not None] or entities


# --- loading dictionaries --------------------------------------------------------------------
def _split_aliases(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split("|") if part.strip()]


def _known_country(code: str) -> bool:
    return code == "XKX" or pycountry.countries.get(alpha_3=code) is not None


def _office(record: dict[str, Any], where: str) -> Office:
    """Validate one record's office fields; raise InputError naming the file and line."""
    country = (str(record.get("country") or "")).strip().upper() or None
    role = (str(record.get("role") or "")).strip().upper() or None
    code = (str(record.get("code") or "")).strip().upper() or None
    title = (str(record.get("title") or "")).strip() or None
    if country is not None and not _known_country(country):
        raise InputError(f"{where}: unknown country {country!r}; use an ISO 3166 alpha-3 code")
    if role is not None and role not in ROLES:
        valid = ", ".join(sorted(ROLES))
        raise InputError(f"{where}: unknown role {role!r}; valid roles: {valid}")
    if code is not None and not re.fullmatch(r"[A-Z][A-Z0-9]{2,11}", code):
        raise InputError(
            f"{where}: bad code {code!r}; write capitals and digits, e.g. TURGOV or IGONATO"
        )
    if code is None and role is None and country is None:
        raise InputError(f"{where}: give at least a country, a role or a code")
    if code is not None and code.startswith("IGO") and role is None:
        role = "IGO"
    try:
        start = parse_bound(str(record.get("start") or ""), end=False)
        end = parse_bound(str(record.get("end") or ""), end=True)
    except ValueError as err:
        raise InputError(f"{where}: {err}") from err
    if start is not None and end is not None and end <= start:
        raise InputError(f"{where}: end {record.get('end')!r} is not after start")
    return Office(country, role, code, title, start, end)


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, record) from a CSV file with a header, or from JSON lines."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise InputError(f"cannot read actor dictionary {path}: {err}") from err
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(f"{path}:{number}: not a JSON object: {err}") from err
            if not isinstance(record, dict):
                raise InputError(f"{path}:{number}: expected a JSON object, got {line[:40]!r}")
            yield number, record
        return
    header: list[str] | None = None
    for number, row in enumerate(csv.reader(text.splitlines()), 1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            if "name" not in header:
                columns = ", ".join(COLUMNS)
                raise InputError(
                    f"{path}:{number}: a CSV actor dictionary needs a header: {columns}"
                )
            continue
        yield number, dict(zip(header, row, strict=False))


def load_dictionary(path: str | Path, *, source: str | None = None) -> list[Entity]:
    """Read an actor dictionary (CSV or JSON lines); rows with one name make one entity."""
    path = Path(path)
    entities: dict[str, Entity] = {}
    for number, record in _records(path):
        where = f"{path}:{number}"
        name = str(record.get("name") or "").strip()
        if not name:
            raise InputError(f"{where}: the name is empty")
        kind = str(record.get("kind") or "").strip().lower() or "person"
        if kind not in KINDS:
            raise InputError(f"{where}: unknown kind {kind!r}; valid kinds: {', '.join(KINDS)}")
        entity = entities.setdefault(fold(name), Entity(name, kind, source=source or str(path)))
        for alias in _split_aliases(record.get("aliases")):
            if alias not in entity.aliases:
                entity.aliases.append(alias)
        entity.offices.append(_office(record, where))
    return list(entities.values())


def _data_file(name: str) -> Path:
    return Path(str(resources.files("detente") / "data" / "actors" / name))


def _read_csv(name: str) -> list[dict[str, str]]:
    with _data_file(name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


# --- the built-in tables ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Country:
    """A country: canonical name, the adjective used in group names, and what names it."""

    iso3: str
    name: str
    adjective: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Place:
    """A capital, seat of government, city or region, with the country it lies in."""

    name: str
    iso3: str
    kind: str  # capital, seat, city, region
    acting_code: str | None  # who acts when it is used as a metonym, if not the government
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RoleWord:
    """A word or phrase that gives a role: "troops" (MIL), "foreign minister" (GOV)."""

    phrase: str
    role: str
    kind: str  # person (a title), group, org
    strength: int  # 0 generic … 3 compound; the strongest word of a phrase wins
    title: str | None

    @property
    def actor_kind(self) -> str:
        """The kind of actor the word names: a person, a group, else an organisation."""
        return self.kind if self.kind in ("person", "group") else "organization"


@dataclass(frozen=True, slots=True)
class Tables:
    """Every built-in table, read once per process."""

    countries: dict[str, Country]
    places: tuple[Place, ...]
    roles: tuple[RoleWord, ...]
    entities: tuple[Entity, ...]


def _countries() -> dict[str, Country]:
    ours = {row["iso3"]: row for row in _read_csv("countries.csv")}
    demonyms = {row["iso3"]: row for row in _read_csv("demonyms.csv")}
    result: dict[str, Country] = {}
    records: list[tuple[str, list[str], str]] = []
    for country in pycountry.countries:
        if country.alpha_3 in _NOT_COUNTRIES:
            continue
        names = [country.name]
        for attribute in ("official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names.append(value)
        canonical = getattr(country, "common_name", None) or country.name
        records.append((country.alpha_3, names, canonical))
    records.append(("XKX", ["Kosovo"], "Kosovo"))
    for iso3, names, canonical in records:
        row = ours.get(iso3)
        if row is not None:
            canonical = row["name"] or canonical
            names.extend(_split_aliases(row["variants"]))
        names = [n for n in dict.fromkeys([canonical, *names]) if "," not in n]
        dem = demonyms.get(iso3)
        adjective = dem["adjective"] if dem else canonical
        forms = [dem["adjective"], *_split_aliases(dem["forms"])] if dem else []
        result[iso3] = Country(iso3, canonical, adjective, tuple(names), tuple(forms))
    return result


def _places() -> tuple[Place, ...]:
    return tuple(
        Place(
            row["name"],
            row["iso3"],
            row["kind"],
            row["acting_code"] or None,
            tuple(dict.fromkeys([row["name"], *_split_aliases(row["variants"])])),
        )
        for file in ("places.csv", "regions.csv")
        for row in _read_csv(file)
    )


def _roles() -> tuple[RoleWord, ...]:
    return tuple(
        RoleWord(
            row["phrase"], row["role"], row["kind"], int(row["strength"]), row["title"] or None
        )
        for row in _read_csv("roles.csv")
    )


@lru_cache(maxsize=1)
def builtin_tables() -> Tables:
    """The built-in countries, places, role words and dictionaries (cached)."""
    entities = [
        *load_dictionary(_data_file("persons.csv"), source="built-in"),
        *load_dictionary(_data_file("organizations.csv"), source="built-in"),
    ]
    return Tables(_countries(), _places(), _roles(), tuple(entities))


# --- the gazetteer ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Item:
    """What a gazetteer phrase stands for."""

    kind: str  # entity, country, demonym, place, role
    ref: str  # entity key, ISO3, place name or role phrase
    priority: int  # lower wins when two tables hold the same phrase
    exact: tuple[str, ...] | None = None  # surface that must match case-sensitively (acronyms)
    proper: bool = False  # the first word must be capitalized in running text


@dataclass(frozen=True, slots=True)
class Match:
    """A gazetteer hit on tokens ``start`` to ``end`` (exclusive)."""

    start: int
    end: int
    items: tuple[Item, ...]  # best first

    @property
    def item(self) -> Item:
        """The preferred reading."""
        return self.items[0]


class Gazetteer:
    """Phrases indexed by their folded tokens; scanned longest-first over a token sequence."""

    def __init__(self, tokenize: Callable[[str], Sequence[str]]) -> None:
        """Index nothing yet; ``tokenize`` splits a phrase exactly as documents are split."""
        self._tokenize = tokenize
        self._index: dict[str, dict[tuple[str, ...], list[Item]]] = {}
        self._lengths: dict[str, tuple[int, ...]] = {}

    def add(self, phrase: str, kind: str, ref: str, priority: int) -> None:
        """Index ``phrase`` as ``(kind, ref)``."""
        if phrase.startswith("the ") and len(phrase) > 4:
            phrase = phrase[4:]  # spans never start with the article
        words = tuple(self._tokenize(phrase))
        if not words:
            return
        key = tuple(spelling(fold(w)) for w in words)
        compact = phrase.replace(".", "").replace(" ", "")
        exact = words if compact.isupper() and len(compact) <= _ACRONYM_MAX else None
        proper = words[0][:1].isupper()
        item = Item(kind, ref, priority, exact, proper)
        bucket = self._index.setdefault(key[0], {}).setdefault(key, [])
        if any(i.kind == kind and i.ref == ref for i in bucket):
            return
        bucket.append(item)
        bucket.sort(key=lambda i: i.priority)
        self._lengths[key[0]] = tuple(sorted({len(k) for k in self._index[key[0]]}, reverse=True))

    def extend(self, phrases: Iterable[str], kind: str, ref: str, priority: int) -> None:
        """Index every phrase of ``phrases`` as ``(kind, ref)``."""
        for phrase in phrases:
            self.add(phrase, kind, ref, priority)

    def scan(self, norms: Sequence[str], texts: Sequence[str], *, case: bool = True) -> list[Match]:
        """Longest non-overlapping matches, left to right; ``case=False`` ignores capitals."""
        matches: list[Match] = []
        norms = [spelling(norm) for norm in norms]
        i, n = 0, len(norms)
        while i < n:
            found = None
            for length in self._lengths.get(norms[i], ()):
                if i + length > n:
                    continue
                bucket = self._index[norms[i]].get(tuple(norms[i : i + length]))
                if not bucket:
                    continue
                ok = tuple(it for it in bucket if self._fits(it, texts, i, length, case))
                if ok:
                    found = Match(i, i + length, ok)
                    break
            if found is None:
                i += 1
            else:
                matches.append(found)
                i = found.end
        return matches

    @staticmethod
    def _fits(item: Item, texts: Sequence[str], i: int, length: int, case: bool) -> bool:
        if item.exact is not None:
            return tuple(texts[i : i + length]) == item.exact
        if case and item.proper:
            return texts[i][:1].isupper()
        return True
