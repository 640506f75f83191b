"""The resolver's tables and how one phrase's evidence becomes an actor (shared by both passes).

:class:`ResolverBase` loads the built-in tables and user dictionaries once; the phrase pass
(:meth:`ActorResolver.lookup`) and the document pass (``_document.DocumentWalk``) both read them
through it. Kept apart from ``_resolver`` so the document pass can name its type without an
import circle.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from detente.annotate.actors._phrase import Evidence, as_former, clean_phrase, gather, is_igo
from detente.annotate.actors._tables import (
    ROLE_LABELS,
    Entity,
    Gazetteer,
    Match,
    Place,
    RoleWord,
    builtin_tables,
    compose,
    in_office_first,
    load_dictionary,
)
from detente.annotate.actors._titles import LEADER_WORDS, leader_rank, title_fits
from detente.model import Actor

if TYPE_CHECKING:
    pass

LOGGER = logging.getLogger(__name__)
#: A phrase of plain ASCII words with single spaces: spaCy's tokenizer splits it at the spaces.
_PLAIN = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*\Z")


class ResolverBase:
    """Tables (countries, places, role words, entities, the gazetteer) and phrase-to-actor rules."""

    def __init__(self, *, dictionaries: Sequence[str | Path] = ()) -> None:
        """Load the built-in tables, then the user ``dictionaries`` (CSV or JSON lines)."""
        from detente.annotate.nlp import load_pipeline

        self._tokenizer = load_pipeline().tokenizer
        # the tokenizer's exceptions ("cannot" -> "can not"): such words are never split at spaces
        self._exceptions = frozenset(getattr(self._tokenizer, "rules", None) or ())
        tables = builtin_tables()
        self._countries = tables.countries
        self._places = {p.name: p for p in tables.places}
        self._roles = {r.phrase: r for r in tables.roles}
        self._entities: dict[str, Entity] = {e.key: e for e in tables.entities}
        user: list[Entity] = []
        for path in dictionaries:
            user.extend(load_dictionary(path))
        for entity in user:
            self._entities[entity.key] = entity  # a user entry replaces a built-in one
        self._country_ref = {iso3: iso3 for iso3 in self._countries}
        self._gaz = Gazetteer(self._split)
        user_keys = {e.key for e in user}
        for key, entity in self._entities.items():
            priority = 0 if key in user_keys else 1
            self._gaz.extend([entity.name, *entity.aliases], "entity", key, priority)
        for iso3, country in self._countries.items():
            self._gaz.extend(country.names, "country", iso3, 2)
        for place in self._places.values():
            self._gaz.extend(place.names, "place", place.name, 3)
        for iso3, country in self._countries.items():
            self._gaz.extend(country.demonyms, "demonym", iso3, 4)
        for phrase in self._roles:
            self._gaz.add(phrase, "role", phrase, 5)
            if phrase.endswith("."):
                # spaCy keeps "Gov." and "Sen." whole but splits "gov." and "sen.": match the
                # capitalised abbreviation as the tokenizer reads it in text
                self._gaz.add(phrase[:1].upper() + phrase[1:], "role", phrase, 5)
        self._holders: dict[str, list[Entity]] = {}
        for entity in self._entities.values():
            if entity.kind != "person":
                continue
            for where in {o.country or o.code for o in entity.offices}:
                if where:
                    self._holders.setdefault(where, []).append(entity)
        LOGGER.debug("actor resolver: %d entities, %d user", len(self._entities), len(user))

    def _split(self, phrase: str) -> list[str]:
        """The phrase's tokens as spaCy's tokenizer gives them (18,000 names at start-up).

        Words of plain letters that are no tokenizer exception ("cannot", "gonna") are never
        split by it, so such phrases are split at their spaces (15,900 of the 18,250 built-in
        names: 1.4 s less at start-up in every process, the same tokens, tests/test_actors).
        """
        if _PLAIN.match(phrase) and self._exceptions.isdisjoint(phrase.split()):
            return phrase.split(" ")
        return [t.text for t in self._tokenizer(phrase)]

    def _gather(
        self, norms: Sequence[str], texts: Sequence[str], matches: Sequence[Match]
    ) -> Evidence:
        return gather(
            norms,
            texts,
            matches,
            entity_of=self._entities,
            countries=self._country_ref,
            places=self._places,
            roles=self._roles,
        )

    def _from_evidence(self, ev: Evidence, on: date, texts: Sequence[str]) -> Actor | None:
        """Combine the evidence of one phrase into an actor."""
        best = ev.best_role(title_first=ev.name is not None)
        persons = [e for e in ev.entities if e.kind == "person"]
        persons = in_office_first(persons, on)
        entity = persons[0] if persons else (ev.entities[0] if ev.entities else None)
        country = ev.countries[0] if ev.countries else None
        if entity is not None:
            return self._entity_actor(entity, on, best, country, former=ev.former)
        role = best.role if best else None
        if ev.former and (best is None or best.kind == "person"):
            role = "CVL"
        if best is not None and best.kind == "person" and not ev.name and not ev.former:
            if country is not None:
                holder = self._holder(country, best, on)
                if holder is not None:
                    return holder.actor(on)
            name = f"{self._adjective(country)} {best.title or best.phrase}".strip()
            return Actor(name, compose(country, role), country, role, "person", best.title)
        if country is None and role is None:
            return None
        if role is None and ev.place is not None and ev.country_only_place and not ev.name:
            return self._place_actor(ev.place, acting=ev.bare_place)
        if ev.name is not None and not ev.acronym and (best is None or best.kind == "person"):
            title = best.title if best is not None and best.kind == "person" else None
            return Actor(ev.name, compose(country, role), country, role, "person", title)
        kind = "country"
        if ev.head_of and best is not None:
            kind = "person"
            name = clean_phrase(" ".join(texts))
            return Actor(name, compose(country, role), country, role, kind, None)
        if best is not None:
            kind = best.actor_kind
        elif ev.name is not None:
            kind = "organization"
        if ev.name is not None and kind == "organization":
            name = clean_phrase(" ".join(texts))
        else:
            name = self._group_name(country, role)
        return Actor(name, compose(country, role), country, role, kind, None)

    def _entity_actor(
        self,
        entity: Entity,
        on: date,
        best: RoleWord | None,
        country: str | None,
        *,
        former: bool,
    ) -> Actor:
        """A dictionary entity, adjusted by the title words written beside it."""
        actor = entity.actor(on)
        if entity.kind == "person":
            if former:
                held = entity.office(on)
                written = best if best is not None and best.kind == "person" else None
                if (
                    held is not None
                    and written is not None
                    and not title_fits(held.title, written, held.country)
                ):
                    # "former secretary of state Hillary Clinton", the 2016 nominee: the
                    # title is a past one, the office she holds on the day still counts
                    return actor
                return as_former(actor)
            office = best if best is not None and best.kind == "person" else None
            if actor.role == "CVL" and office is not None and office.strength >= 2:
                where = country or actor.country  # the text gives a current office
                return Actor(
                    entity.name,
                    compose(where, office.role),
                    where,
                    office.role,
                    "person",
                    office.title,
                )
            return actor
        if former and best is not None and best.kind == "person":
            return Actor(
                f"former {entity.name} {best.phrase}",
                compose(actor.country, "CVL"),
                actor.country,
                "CVL",
                "person",
                None,
            )
        if best is not None and best.strength >= 1 and actor.role in (None, "IGO", "PTY"):
            code = actor.code if is_igo(actor) else compose(actor.country, best.role)
            title = best.title if best.kind == "person" else None
            return Actor(entity.name, code, actor.country, best.role, actor.kind, title)
        return actor

    def _holder(self, key: str, word: RoleWord, on: date) -> Entity | None:
        """The one person holding the office ``word`` names for ``key`` (ISO3 or IGO code)."""
        found: list[tuple[int, Entity]] = []
        for entity in self._holders.get(key, ()):
            office = entity.office(on)
            if office is None or (office.country or office.code) != key:
                continue
            if not title_fits(office.title, word, office.country):
                continue
            rank = 0
            if word.phrase in LEADER_WORDS:
                rank = leader_rank(office.title or "", office.country) or 0
            found.append((rank, entity))
        if not found:
            return None
        found.sort(key=lambda pair: pair[0])
        if len(found) > 1 and found[0][0] == found[1][0]:
            return None
        return found[0][1]

    def _adjective(self, country: str | None) -> str:
        return self._countries[country].adjective if country in self._countries else ""

    def _group_name(self, country: str | None, role: str | None) -> str:
        """A canonical name for a group: "Turkish armed forces", "Russia", "police"."""
        if role is None:
            return self._countries[country].name if country in self._countries else str(country)
        label = ROLE_LABELS.get(role, role.lower())
        return f"{self._adjective(country)} {label}".strip()

    def _place_actor(self, place: Place, *, acting: bool) -> Actor:
        """A place; a capital or seat that acts stands for its government (or ``acting_code``)."""
        if acting and place.kind in ("capital", "seat"):
            if place.acting_code:
                return Actor(place.name, place.acting_code, None, "IGO", "organization")
            return Actor(place.name, compose(place.iso3, "GOV"), place.iso3, "GOV", "organization")
        return Actor(place.name, place.iso3, place.iso3, None, "place")
