"""The units of the document walk: gazetteer matches and spaCy entities, one reading each.

A unit is a stretch of tokens read as a table entry, a country, a demonym, a place, a role word
or a name spaCy found; :class:`UnitReader` lays them out left to right without overlaps, so the
walk can group them into title chains ("Turkish Foreign Minister Mevlüt Çavuşoğlu").
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from detente.annotate.actors._coref import _DocState, _Seen, courtesy_gender
from detente.annotate.actors._parties import adjective_parties
from detente.annotate.actors._phrase import MODEL
from detente.annotate.actors._tables import (
    Entity,
    Item,
    Match,
    Place,
    RoleWord,
    in_office_first,
)
from detente.annotate.actors._text import fold, words
from detente.annotate.actors._tokens import _name_word

if TYPE_CHECKING:
    from detente.annotate.actors._base import ResolverBase

# --- tuning constants (re-run tests/test_actors.py and the NGEC eval after changing any) -------
#: spaCy labels read as candidate actors; the rest (DATE, MONEY…) never are.
#: A weapon's model name: "F-16", "F-16s", "Su-24", "S-400", "TB2", "MiG-29".
MODEL_NAME = re.compile(r"^[A-Z][A-Za-z]{0,3}-?\d+[A-Za-z]?s?$")
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
#: Nouns after a PERSON-tagged name that show it names a weapon, vehicle or plant instead.
THING_WORDS = words(
    "drone drones uav uavs aircraft jet jets missile missiles system systems tank tanks "
    "helicopter helicopters warship warships frigate corvette plant reactor pipeline "
    "vehicle vehicles rifle rifles howitzer howitzers rocket rockets satellite ship ships "
    "vessel submarine nuclear armed combat"
)  #: spaCy labels under which a town's name is read as the town (see ``regions.csv``).
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Possessive endings spaCy may take into a place's entity.
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})


@dataclass(slots=True)
class _Unit:
    """A stretch of tokens with one reading: a table entry, a country, a role word or a name."""

    start: int
    end: int
    kind: str  # entity, country, demonym, place, role, name
    entity: Entity | None = None
    iso3: str | None = None
    place: Place | None = None
    role: RoleWord | None = None
    label: str | None = None  # the spaCy label of a name


class UnitReader:
    """Lays out a document's units (mixed into the document walk)."""

    r: ResolverBase

    @staticmethod
    def _demonym_and_model(st: _DocState, start: int, end: int, inside: list[_Unit]) -> bool:
        """Whether an entity is a demonym or country followed by weapon model names only."""
        nations = [u for u in inside if u.kind in ("demonym", "country")]
        covered = {i for u in nations for i in range(u.start, u.end)}
        rest = [i for i in range(start, end) if i not in covered]
        return bool(nations and rest) and all(MODEL_NAME.match(st.texts[i]) for i in rest)

    def _units(self, st: _DocState) -> list[_Unit]:
        """Gazetteer matches and spaCy entities as non-overlapping units, in order."""
        doc = st.doc
        units: list[_Unit] = []
        matches = self.r._gaz.scan(st.norms, st.texts)
        context = self._match_countries(matches)
        placed = {(e.start, e.end) for e in doc.ents if e.label_ in PLACE_LABELS}
        # "Atlantic City’s downfall": spaCy's place takes the possessive in; the town does not
        placed |= {
            (e.start, e.end - 1)
            for e in doc.ents
            if e.label_ in PLACE_LABELS and len(e) > 1 and st.norms[e.end - 1] in POSSESSIVES
        }
        for match in matches:
            unit = self._unit(match, st.on, context)
            if unit.kind == "role" and doc[unit.end - 1].pos_ in ("VERB", "AUX"):
                continue  # "to force", "state that"
            if unit.kind == "role" and self._inside_name(st, unit):
                continue  # "Government House", "the Opera House": the end of another name
            town = unit.place is not None and unit.place.kind == "town"
            if town and _bare_span(st, unit) not in placed:
                continue  # a town's name is the town only where spaCy reads that very place
            if unit.kind == "entity" and self._thing_follows(st, unit.end):
                continue  # a surname used as a drone's name: "Bayraktar TB2"
            units.append(unit)
        for ent in doc.ents:
            if ent.label_ not in ENTITY_LABELS:
                continue
            start, end = ent.start, ent.end
            while start < end and (st.norms[start] in ("the", "a", "an") or doc[start].is_space):
                start += 1
            while end > start and doc[end - 1].is_space:
                end -= 1
            if start >= end:
                continue
            if ent.label_ == "PERSON" and self._not_a_person(st, start, end):
                continue
            if not st.texts[start][:1].isupper() or any(
                "\n" in st.texts[i] for i in range(start, end)
            ):
                continue  # a mislabelled common word, or a "name" running across lines
            if ent.label_ == "PERSON" and not all(_name_word(t) for t in st.texts[start:end]):
                continue  # "Nutzung unserer Website": a name has no lowercase words
            inside = [u for u in units if u.start < end and start < u.end]
            if self._demonym_and_model(st, start, end, inside):
                continue  # "Turkish F-16", "Russian Su-24": the country's jets, not a name
            if not inside:
                if ent.label_ == "PERSON":
                    start = self._name_start(st, start, units)
                units.append(_Unit(start, end, "name", label=ent.label_))
                continue
            if (
                ent.label_ == "PERSON"
                and min(u.start for u in inside) > start
                and all(u.kind in ("demonym", "country") for u in inside)
            ):
                # a person's name is never a demonym or a country: "Mark Cuban", "Chris Jordan"
                units = [u for u in units if u not in inside]
                units.append(_Unit(start, end, "name", label="PERSON"))
                continue
            if ent.label_ == "PERSON" and self._other_person(st, start, inside):
                # "Sarah Sanders": a person whose surname the table files under someone else
                units = [u for u in units if u not in inside]
                units.append(_Unit(start, end, "name", label="PERSON"))
                continue
            if ent.label_ == "ORG" and _person_leads(inside, start, end):
                # "Trump Taj Mahal", "Clinton Foundation": named after a person, not the person
                units = [u for u in units if u not in inside]
                units.append(_Unit(start, end, "name", label="ORG"))
                continue
            if any(u.kind == "entity" for u in inside):
                continue
            if ent.label_ == "ORG" and not (
                len(inside) == 1 and inside[0].end - inside[0].start == end - start
            ):
                if all(u.start >= start and u.end <= end for u in inside):
                    units = [u for u in units if u not in inside]
                    units.append(_Unit(start, end, "name", label="ORG"))
                continue
            if ent.label_ == "PERSON":
                lead = start
                for u in sorted(inside, key=lambda u: u.start):
                    if u.start <= lead:
                        lead = max(lead, u.end)
                if lead < end and all(u.end <= lead for u in inside):
                    units.append(_Unit(lead, end, "name", label="PERSON"))
        adjectives = [u for u in units if u.label == "NORP"]  # spaCy: "Republican" is NORP
        taken = {i for u in units if u not in adjectives for i in range(u.start, u.end)}
        roles = {u.start for u in units if u.kind == "role"}
        for i, party in adjective_parties(st, taken, roles, self.r._entities):
            units = [u for u in units if not (u in adjectives and u.start <= i < u.end)]
            units.append(_Unit(i, i + 1, "entity", entity=party))
        units.sort(key=lambda u: u.start)
        self._city_state(st, units)
        return units

    def _match_countries(self, matches: Sequence[Match]) -> Counter[str]:
        """How often each country is named unambiguously by the gazetteer: the article's context."""
        counts: Counter[str] = Counter()
        for match in matches:
            found = {self._item_country(item) for item in match.items} - {None}
            if len(found) == 1:
                counts[found.pop() or ""] += 1
        return counts

    def _item_country(self, item: Item) -> str | None:
        if item.kind in ("country", "demonym"):
            return item.ref
        if item.kind == "place":
            return self.r._places[item.ref].iso3
        return None

    @staticmethod
    def _city_state(st: _DocState, units: list[_Unit]) -> None:
        """ "Manchester, N.H.": a place or name before ", <state>" lies in that state's country."""
        for left, right in itertools.pairwise(units):
            if (
                right.kind == "place"
                and right.place is not None
                and right.place.kind == "state"
                and left.kind in ("place", "name")
                and left.end + 1 == right.start
                and st.norms[left.end] == ","
            ):
                if left.kind == "name" and left.label != "GPE":
                    continue
                name = (
                    st.texts[left.start]
                    if left.end - left.start == 1
                    else " ".join(st.texts[left.start : left.end])
                )
                left.kind, left.iso3 = "place", right.place.iso3
                left.place = Place(name, right.place.iso3, "city", None, (name,))

    @staticmethod
    def _name_start(st: _DocState, start: int, units: list[_Unit]) -> int:
        """Extend a PERSON name over given names spaCy left out ("Mehmet" of "Mehmet Aydın")."""
        taken = {i for u in units for i in range(u.start, u.end)}
        while start > 0:
            before = st.doc[start - 1]
            if before.pos_ != "PROPN" or before.i in taken or not before.text[:1].isupper():
                break
            if before.ent_type_ and before.ent_type_ != "PERSON":
                break
            start -= 1
        return start

    def _unit(self, match: Match, on: date, context: Counter[str]) -> _Unit:
        item = match.item
        if item.kind in ("country", "demonym"):
            # a name shared by a country and a place elsewhere (Georgia, the state and the
            # country): the place when the article names the place's country more often
            for other in match.items[1:]:
                if other.kind == "place":
                    place = self.r._places[other.ref]
                    if context[place.iso3] > context[item.ref]:
                        return _Unit(match.start, match.end, "place", iso3=place.iso3, place=place)
        if item.kind == "entity":
            options = [self.r._entities[i.ref] for i in match.items if i.kind == "entity"]
            entity = in_office_first(options, on)[0]
            return _Unit(match.start, match.end, "entity", entity=entity)
        if item.kind in ("country", "demonym"):
            return _Unit(match.start, match.end, item.kind, iso3=item.ref)
        if item.kind == "place":
            place = self.r._places[item.ref]
            return _Unit(match.start, match.end, "place", iso3=place.iso3, place=place)
        return _Unit(match.start, match.end, "role", role=self.r._roles[item.ref])

    @staticmethod
    def _named_instead(st: _DocState, unit: _Unit) -> _Seen | None:
        """ "Sarah Sanders … Sanders said": the person this article named by a surname the table
        files under someone better known (a one-word table match only)."""
        if unit.kind != "entity" or unit.entity is None or unit.end - unit.start != 1:
            return None
        known = st.find(st.norms[unit.start], gender=courtesy_gender(st, unit.start))
        return known if known is not None and known.actor.name != unit.entity.name else None

    @staticmethod
    def _other_person(st: _DocState, start: int, inside: list[_Unit]) -> bool:
        """Whether a PERSON name's given name is none of the table person's it contains."""
        people = [u for u in inside if u.kind == "entity" and u.entity is not None]
        entity = people[0].entity if len(people) == 1 else None
        if entity is None or people[0].start <= start or entity.kind != "person":
            return False
        given = {fold(n).split()[0] for n in (entity.name, *entity.aliases) if n.strip()}
        return st.norms[start] not in given and st.texts[start][:1].isupper()

    @staticmethod
    def _inside_name(st: _DocState, unit: _Unit) -> bool:
        """A capitalised role word ("House") right after another capitalised word."""
        if unit.role is None or not unit.role.phrase[:1].isupper():
            return False
        before = unit.start - 1
        if before < 0 or unit.start == st.sentence_starts[st.sentence_of[unit.start]]:
            return False
        return st.texts[before][:1].isupper() and st.norms[before] not in ("the", "u.s.")

    @staticmethod
    def _thing_follows(st: _DocState, end: int) -> bool:
        """Whether the token after a name shows the name is a weapon's or a plant's."""
        if end >= len(st.texts):
            return False
        return bool(MODEL.match(st.texts[end])) or st.norms[end] in THING_WORDS

    def _not_a_person(self, st: _DocState, start: int, end: int) -> bool:
        """spaCy's PERSON label on a drone, missile or plant name ("Bayraktar TB2", "Akkuyu")."""
        if any(MODEL.match(st.texts[i]) for i in range(start, end)):
            return True
        return self._thing_follows(st, end)


def _bare_span(st: _DocState, unit: _Unit) -> tuple[int, int]:
    """The unit's tokens without a leading "the" (how spaCy's entities start)."""
    start = unit.start + (st.norms[unit.start] == "the" and unit.start + 1 < unit.end)
    return start, unit.end


def _person_leads(inside: list[_Unit], start: int, end: int) -> bool:
    """Whether a table person opens a longer organisation name and nothing else is inside."""
    entity = inside[0].entity if len(inside) == 1 else None
    if entity is None or entity.kind != "person":
        return False
    return inside[0].start == start and inside[0].end < end
