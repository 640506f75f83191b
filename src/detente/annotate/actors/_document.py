"""Every actor mention in a parsed article: title chains, names, capitals, references, pronouns.

The walk reads the gazetteer's matches and spaCy's entities as units, groups them left to right
into chains ([country or organisation] [role words] [person]), turns each chain into a mention,
then links later surnames, titles ("the Turkish leader") and pronouns to the people before them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from detente.annotate.actors._context import (
    SECTOR_VIA,
    WEAK_GROUPS,
    WEAK_VIA,
    with_context_country,
)
from detente.annotate.actors._coref import (
    CorefBase,
    _DocState,
    _headline,
    _name_keys,
    _strip_possessive,
    courtesy_gender,
)
from detente.annotate.actors._generic import (
    bylines,
    generic_references,
    nation_references,
)
from detente.annotate.actors._lists import list_sectors
from detente.annotate.actors._parties import (
    BACK_WORDS,
    back_reference,
    is_party,
    party_member,
)
from detente.annotate.actors._phrase import FORMER_WORDS, best_of, clean_phrase, is_igo
from detente.annotate.actors._repeats import repeated_names
from detente.annotate.actors._tables import RoleWord, compose
from detente.annotate.actors._text import fold, words
from detente.annotate.actors._tokens import (
    _modifier,
    _name_token,
    organisation_role,
)
from detente.annotate.actors._units import UnitReader, _Unit
from detente.annotate.nlp import doc_text
from detente.model import Actor, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from detente.annotate.actors._base import ResolverBase

# --- tuning constants (re-run tests/test_actors.py and the NGEC eval after changing any) -------
#: Words allowed between the parts of a title chain ("Russia's former Prime Minister X").
GLUE_WORDS = words(
    "'s ' - former ex ex- then acting outgoing incoming interim newly new de facto mr mr. "
    "mrs mrs. ms ms. dr dr. sir dame main chief top senior longtime veteran current late "
    "visiting"
)
#: Dependencies that make a capital act for its government ("Ankara said", "told Moscow").
METONYM_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "dative", "poss", "agent", "appos"})
#: Prepositions whose object is a counterpart, not a location ("talks with Moscow").
METONYM_PREPS = frozenset(
    {"to", "with", "against", "toward", "towards", "on", "by", "between", "for", "among"}
)
#: Prepositions whose object country gives a bare role its country ("soldiers from Russia",
#: "the government of Iran", "activists in Türkiye").
ROLE_PREPS = frozenset({"from", "of", "in"})
#: Roles "in" a country need not be of it ("troops in Syria" may be anyone's).
ROLES_NOT_IN = frozenset({"MIL", "REF", "IGO", "REL"})
#: Kinds of unit that open a person's title chain as mentions of their own ("Texas" in "Texas
#: Sen. Ted Cruz", "Flint" in "Flint Mayor X"), as our news gold marks them: a place named
#: before a title is still that place.
SPLIT_ANCHORS = frozenset({"place"})
#: Tokens after a name read as its apposition ("X, chairman of the … Institute,").
APPOSITION_MAX = 16
#: Longest organisation name (tokens) read from spaCy; longer ones are mislabelled banners.
NAME_MAX = 8


@dataclass(slots=True)
class _Chain:
    """Units read together: [anchor] [role words…] [person], and whether "former" qualifies them."""

    units: list[_Unit]
    anchor: _Unit | None  # the country, place or organisation the chain starts with
    roles: list[RoleWord]
    former: bool


class DocumentWalk(UnitReader, CorefBase):
    """One pass over one document with a resolver's tables."""

    def __init__(self, resolver: ResolverBase) -> None:
        """Walk documents with ``resolver``'s gazetteer, dictionaries and rules."""
        self.r = resolver

    def run(self, doc: Doc, on: date) -> list[Mention]:
        """Every actor mention in ``doc`` (offsets into ``doc.text``), in text order."""
        texts = [t.text for t in doc]
        sentence_of = [0] * len(doc)
        starts: list[int] = []
        for number, sent in enumerate(doc.sents):
            starts.append(sent.start)
            for i in range(sent.start, sent.end):
                sentence_of[i] = number
        state = _DocState(
            doc, on, [fold(t) for t in texts], texts, sentence_of, doc_text(doc), starts
        )
        units = self._units(state)
        state.unit_at = {i: u for u in units for i in range(u.start, u.end)}
        self._walk(state, units)
        self._named_later(state)
        self._short_names(state)
        self._pronouns(state)
        state.mentions += repeated_names(doc, state.texts, state.mentions, state.text)
        state.mentions += generic_references(doc, state.norms, state.mentions, state.text)
        state.mentions += nation_references(doc, state.norms, state.mentions, state.text)
        bylines(state.mentions, state.text)
        state.mentions.sort(key=lambda m: m.start)
        list_sectors(doc, state.mentions, self.r._roles)
        return with_context_country(state.mentions, self.r._group_name)

    # the left-to-right walk over units ------------------------------------------------------
    def _walk(self, st: _DocState, units: list[_Unit]) -> None:
        """Group units into title chains and turn each chain into one mention."""
        k = 0
        while k < len(units):
            chain, k = self._chain(st, units, k)
            self._chain_mention(st, chain)
        self._stray_surnames(st, units)

    def _glued(
        self, st: _DocState, left_end: int, right_start: int, *, comma: bool = False
    ) -> bool:
        """Whether only glue words (or one comma, if allowed) lie between two units."""
        between = range(left_end, right_start)
        if comma and right_start > left_end and st.norms[left_end] == ",":
            between = range(left_end + 1, right_start)
        return all(st.norms[i] in GLUE_WORDS or _modifier(st.doc[i]) for i in between)

    def _is_person_unit(self, st: _DocState, unit: _Unit) -> bool:
        if unit.kind == "entity":
            return unit.entity is not None and unit.entity.kind == "person"
        if unit.kind != "name":
            return False
        if unit.label == "PERSON":
            return True
        return st.find(fold(self._span_text(st, unit.start, unit.end))) is not None

    def _chain(self, st: _DocState, units: list[_Unit], k: int) -> tuple[list[_Unit], int]:
        """The longest chain from ``units[k]``: [anchor] [role words…] [person]."""
        chain = [units[k]]
        j = k + 1
        first = units[k]
        if self._is_person_unit(st, first):
            if j < len(units) and _followers(st, first, units[j]):
                chain.append(units[j])  # "Sanders supporters": people of that person's side
                j += 1
            return chain, j
        while (
            j < len(units)
            and units[j].kind == "role"
            and self._glued(st, chain[-1].end, units[j].start)
        ):
            chain.append(units[j])
            j += 1
        if j < len(units):
            nxt = units[j]
            has_title = any(u.kind == "role" and u.role and u.role.kind == "person" for u in chain)
            person_like = self._is_person_unit(st, nxt) or (
                has_title and nxt.kind == "name" and nxt.label in ("ORG", "GPE", "NORP")
            )
            # a title alone joins the name after it ("Rep. Gregory Meeks", "columnist X")
            between = st.norms[chain[-1].end : nxt.start]
            roles_or_possessive = len(chain) > 1 or has_title or between in (["'s"], ["'"])
            if (
                person_like
                and roles_or_possessive
                and self._glued(st, chain[-1].end, nxt.start, comma=has_title)
            ):
                chain.append(nxt)
                j += 1
        return chain, j

    def _chain_mention(self, st: _DocState, units: list[_Unit]) -> None:
        """Turn one chain into a mention (a person, a title reference, a group or a place)."""
        first, last = units[0], units[-1]
        roles = [u.role for u in units if u.kind == "role" and u.role is not None]
        anchor = first if first.kind != "role" and first is not last else None
        former = self._former_before(st, first.start) or any(
            w in FORMER_WORDS for w in st.norms[first.start : last.end]
        )
        chain = _Chain(units, anchor, roles, former)
        if self._is_person_unit(st, last) or (len(units) > 1 and last.kind == "name" and roles):
            self._person(st, chain)
        elif roles:
            self._roles_mention(st, chain)
        else:
            self._anchor_mention(st, first)

    def _country_of(self, unit: _Unit | None, on: date) -> str | None:
        if unit is None:
            return None
        if unit.iso3 is not None:
            return unit.iso3
        if unit.kind == "entity" and unit.entity is not None:
            actor = unit.entity.actor(on)
            return actor.country or (actor.code if is_igo(actor) else None)
        return None

    def _person(self, st: _DocState, chain: _Chain) -> None:
        """A person, with the title and country written before the name."""
        unit, anchor, roles, former = chain.units[-1], chain.anchor, chain.roles, chain.former
        where = self._country_of(anchor, st.on)
        country = where if where is not None and len(where) == 3 else None
        best = best_of(roles, title_first=True)
        name_text = self._span_text(st, unit.start, unit.end)
        via = "dictionary"
        known = self._named_instead(st, unit) if len(chain.units) == 1 else None
        if known is not None:
            actor, keys, via = known.actor, known.keys, "surname"
        elif unit.kind == "entity" and unit.entity is not None:
            actor = self.r._entity_actor(unit.entity, st.on, best, country, former=former)
            keys = _name_keys([unit.entity.name, *unit.entity.aliases])
        else:
            name = _strip_possessive(name_text)
            known = st.find(fold(name), gender=courtesy_gender(st, unit.start))
            if known is not None:
                actor, keys, via = known.actor, known.keys, "surname"
                if fold(name) == fold(known.actor.name):
                    via = "name"
            else:
                via = "name"
                role = best.role if best is not None else None
                title = best.title if best is not None and best.kind == "person" else None
                if anchor is not None and anchor.kind == "entity" and anchor.entity is not None:
                    org = anchor.entity.actor(st.on)
                    country = country or org.country
                    if role is None or (best is not None and best.strength == 0):
                        role = org.role if org.role not in (None, "IGO") else role
                elif anchor is not None and anchor.label == "ORG" and role in (None, "GOV"):
                    # "Judicial Watch president Tom Fitton": of that organisation, not a state
                    role = organisation_role(st.norms[anchor.start : anchor.end])
                if role is None or country is None:
                    extra = self._apposition(st, unit.end)
                    if extra is not None:
                        country = country or extra.country
                        role = role or extra.role
                        title = title or extra.title
                if former:
                    role = "CVL"
                actor = Actor(name, compose(country, role), country, role, "person", title)
                keys = _name_keys([name])
        start = chain.units[0].start
        if anchor is not None and anchor.kind in SPLIT_ANCHORS and len(chain.units) > 1:
            # "Texas Sen. Ted Cruz": the state is a place of its own, the person starts after it
            self._anchor_mention(st, anchor)
            start = chain.units[1].start
        self._add(st, start, unit.end, actor, via, keys=keys, name_start=unit.start)

    def _apposition(self, st: _DocState, end: int) -> Actor | None:
        """What ", chairman of the Turkish Foreign Policy Institute," says about a name."""
        if end >= len(st.norms) or st.norms[end] != ",":
            return None
        stop = end + 1
        limit = min(len(st.norms), end + 1 + APPOSITION_MAX)
        while stop < limit and st.norms[stop] not in (",", ".", ";", ")", '"', "“", "”"):
            stop += 1
        if stop == end + 1 or st.doc[end + 1].pos_ in ("VERB", "AUX", "PRON", "ADP"):
            return None
        texts = st.texts[end + 1 : stop]
        norms = st.norms[end + 1 : stop]
        matches = self.r._gaz.scan(norms, texts)
        ev = self.r._gather(norms, texts, matches)
        if not ev.roles:
            return None
        ev.name = None
        return self.r._from_evidence(ev, st.on, texts)

    def _roles_mention(self, st: _DocState, chain: _Chain) -> None:
        """Role words with or without a country: a group, an institution or a title reference."""
        anchor, roles, former = chain.anchor, chain.roles, chain.former
        best = best_of(roles, title_first=False)
        if best is None:
            return
        start, end = chain.units[0].start, chain.units[-1].end
        key = self._country_of(anchor, st.on)
        country = key if key is not None and len(key) == 3 else None
        singular_title = best.kind == "person" and best.phrase not in ("official", "aide")
        if anchor is not None and self._is_person_unit(st, anchor):
            side = st.find(fold(self._span_text(st, anchor.start, anchor.end)))
            where = side.actor.country if side is not None else None
            if where is None and anchor.entity is not None:  # named here first
                where = anchor.entity.actor(st.on).country
            name = f"{self._span_text(st, anchor.start, anchor.end)} {best.phrase}"
            actor = Actor(name, compose(where, best.role), where, best.role, "group")
            self._add(st, start, end, actor, "role")
            return
        if anchor is not None and anchor.entity is not None and is_party(anchor.entity):
            member, via = party_member(st, anchor.entity, best, former=former, on=st.on)
            self._add(st, start, end, member, via)
            return
        if anchor is not None and anchor.kind == "entity" and anchor.entity is not None:
            org = anchor.entity.actor(st.on)
            if best.kind == "person" and org.role not in (None, "GOV", "IGO"):
                # "Harvard president", "Baykar chairman": someone of that organisation
                role = "CVL" if former else org.role
                name = f"{anchor.entity.name} {best.title or best.phrase}"
                actor = Actor(
                    name, compose(org.country, role), org.country, role, "person", best.title
                )
                self._add(st, start, end, actor, "role")
                return
            entity_actor = self.r._entity_actor(anchor.entity, st.on, best, None, former=former)
            if singular_title and not former and key is not None:
                ref = self._title_reference(st, best, key)
                if ref is not None:
                    self._add(st, start, end, ref, "title")
                    return
            self._add(st, start, end, entity_actor, "dictionary")
            return
        if anchor is not None and anchor.kind == "name":
            self._anchor_mention(st, anchor)
            return
        if singular_title and not former:
            if key is None and not _definite(st, start, end):
                return  # "President" alone is not a reference; "the president" is
            place = None
            if anchor is not None and anchor.kind == "place":
                place = fold(self._span_text(st, anchor.start, anchor.end))
            ref = self._title_reference(st, best, key, place=place)
            if ref is not None:
                self._add(st, start, end, ref, "title")
                return
            if key is None:
                return
        if singular_title and former:
            ref = self._former_reference(st, best, key)
            if ref is not None:  # "the former secretary of state": the one named before
                self._add(st, start, end, ref, "title")
                return
        if anchor is None and best.phrase in BACK_WORDS:
            ref = back_reference(st, start, best.phrase)
            if ref is not None:
                self._add(st, start, end, ref, "coreference")
            return  # "the party" the text named last, or no one
        role = "CVL" if former and best.kind == "person" else best.role
        if anchor is None and country is None:
            country = self._prep_country(st, st.doc[end - 1], role)
        via = "role"
        if country is None and best.strength < 2:
            if anchor is not None or not (
                best.phrase in WEAK_GROUPS or _acting_state(st, start, end, best.phrase)
            ):
                return  # a weak word with no country ("members") names no one
            via = WEAK_VIA  # "officials": the article's country's, or no one (``_context``)
        if anchor is None and st.doc[end - 1].pos_ not in ("NOUN", "PROPN"):
            return  # "military and political dominance": an adjective, not the military
        last = st.doc[end - 1]
        if anchor is None and last.dep_ == "compound" and last.head.i >= end:
            return  # "a government shutdown", "police station": a modifier, not the actor
        kind = best.actor_kind
        if anchor is None and country is None and kind == "organization":
            earlier = self._same_organisation(st, start, role)
            if earlier is not None:  # "Microsoft released a fix. The company said …"
                self._add(st, start, end, earlier, "coreference")
                return
        if kind == "person":
            name = f"{self.r._adjective(country)} {best.title or best.phrase}".strip()
            title = best.title
        else:
            name, title = self.r._group_name(country, role), None
        self._add(
            st, start, end, Actor(name, compose(country, role), country, role, kind, title), via
        )

    def _prep_country(self, st: _DocState, head: Token, role: str | None) -> str | None:
        """The country of a role word's "from/of/in <country>" phrase, or None."""
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in ROLE_PREPS:
                continue
            if prep.lower_ == "in" and role in ROLES_NOT_IN:
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj":
                    continue
                if any(c.dep_ == "conj" for c in obj.children):
                    return None  # "the ambassadors of Chile and Peru": one actor per country
                unit = st.unit_at.get(obj.i)
                if unit is None or unit.kind not in ("country", "place", "entity"):
                    continue
                if unit.kind == "entity" and not self._country_entity(unit, st.on):
                    continue
                where = self._country_of(unit, st.on)
                if where is not None and len(where) == 3:
                    return where
        return None

    @staticmethod
    def _country_entity(unit: _Unit, on: date) -> bool:
        """Whether a table entry names a country itself (no person, no role)."""
        if unit.entity is None or unit.entity.kind == "person":
            return False
        actor = unit.entity.actor(on)
        return actor.country is not None and actor.role is None

    def _anchor_mention(self, st: _DocState, unit: _Unit) -> None:
        """A country, demonym, place, organisation or name standing alone."""
        if unit.kind == "country" and unit.iso3 is not None:
            actor = Actor(self.r._countries[unit.iso3].name, unit.iso3, unit.iso3, None, "country")
            self._add(st, unit.start, unit.end, actor, "name")
        elif unit.kind == "demonym" and unit.iso3 is not None:
            known = st.find(st.norms[unit.start]) if unit.end - unit.start == 1 else None
            if known is not None and st.doc[unit.start].dep_ not in ("amod", "compound"):
                # "Mark Cuban … Cuban said": the person's surname, not the demonym
                self._add(st, unit.start, unit.end, known.actor, "surname", keys=known.keys)
                return
            actor = Actor(self.r._countries[unit.iso3].name, unit.iso3, unit.iso3, None, "country")
            self._add(st, unit.start, unit.end, actor, "demonym")
        elif unit.kind == "place" and unit.place is not None:
            acting = self._acts(st, unit)
            self._add(
                st,
                unit.start,
                unit.end,
                self.r._place_actor(unit.place, acting=acting),
                "metonym" if acting and unit.place.kind in ("capital", "seat") else "place",
            )
        elif unit.kind == "entity" and unit.entity is not None:
            known = self._named_instead(st, unit)
            if known is not None:
                self._add(st, unit.start, unit.end, known.actor, "surname", keys=known.keys)
                return
            former = self._former_before(st, unit.start)
            actor = self.r._entity_actor(unit.entity, st.on, None, None, former=former)
            keys = None
            if unit.entity.kind == "person":
                keys = _name_keys([unit.entity.name, *unit.entity.aliases])
            self._add(st, unit.start, unit.end, actor, "dictionary", keys=keys)
        elif unit.kind == "name":
            self._name_mention(st, unit)

    def _name_mention(self, st: _DocState, unit: _Unit) -> None:
        """A spaCy name no table holds: a known person's surname, or an organisation."""
        text = _strip_possessive(self._span_text(st, unit.start, unit.end))
        known = st.find(fold(text), gender=courtesy_gender(st, unit.start))
        if known is not None:
            self._add(st, unit.start, unit.end, known.actor, "surname", keys=known.keys)
            return
        if unit.label == "PERSON":
            actor = Actor(text, None, None, None, "person")
            self._add(st, unit.start, unit.end, actor, "name", keys=_name_keys([text]))
            return
        if unit.label != "ORG":
            return
        texts = st.texts[unit.start : unit.end]
        norms = st.norms[unit.start : unit.end]
        ev = self.r._gather(norms, texts, self.r._gaz.scan(norms, texts))
        best = ev.best_role(title_first=False)
        country = ev.countries[0] if ev.countries else None
        root = st.norms[st.doc[unit.start : unit.end].root.i]
        # the name's head gives its role ("the Justice Department", "Ministry of Defence"); a
        # role word that only qualifies it does not ("EYP Mission Critical Facilities")
        head = best is not None and root in best.phrase.split()
        role = best.role if best is not None and head else None
        if unit.end - unit.start > NAME_MAX or self._modifies(st, unit):
            return  # a mislabelled phrase, or a name that only qualifies a noun
        via = "name"
        if role is None and country is None:
            # known by its name alone: its sector, and its country from the article (see
            # ``_context``: without an article country it names no one)
            role, via = organisation_role(norms), SECTOR_VIA
        actor = Actor(clean_phrase(text), compose(country, role), country, role, "organization")
        self._add(st, unit.start, unit.end, actor, via)

    @staticmethod
    def _modifies(st: _DocState, unit: _Unit) -> bool:
        """A name used as a modifier: "Medicaid expansion", "the Twitter account"."""
        last = st.doc[unit.end - 1]
        return last.dep_ in ("compound", "amod") and last.head.i >= unit.end

    def _stray_surnames(self, st: _DocState, units: list[_Unit]) -> None:
        """Names spaCy left unlabelled that repeat a person's surname ("Kilicdaroglu"), also
        where it tags them as plural nouns ("Sanders goes big", "Sanders’ decision")."""
        if not st.seen:
            return
        taken = {i for m in st.mentions for i in range(m.start, m.end)}
        # the first token naming each key: the walk has read the whole text by now, so the
        # latest person a key names may come after the stray word ("Warren told Stumpf" before
        # a later "Stumpf's" that spaCy labels)
        first: dict[str, int] = {}
        for seen in st.seen:
            for key in seen.keys:
                if first.get(key, seen.token + 1) > seen.token:
                    first[key] = seen.token
        for i, norm in enumerate(st.norms):
            if norm not in st.latest:  # the cheap test first: most words name no one
                continue
            token = st.doc[i]
            if not _name_token(st, token) or token.idx in taken:
                continue
            known = st.find(norm)
            if known is not None and (first[norm] < token.i or _headline(st.text, token.idx)):
                self._add(st, token.i, token.i + 1, known.actor, "surname", keys=known.keys)

    def _acts(self, st: _DocState, unit: _Unit) -> bool:
        """Whether a capital is used for its government: subject, object or counterpart."""
        token = st.doc[unit.end - 1]
        opens = unit.start == st.sentence_starts[st.sentence_of[unit.start]]
        if opens and unit.end < len(st.doc) and st.texts[unit.end] in ("(", "-", "—", "–", ","):
            return False  # a dateline: "MOSCOW (Reuters) -"
        dep = token.dep_
        while dep == "conj":
            token = token.head
            dep = token.dep_
        if dep in METONYM_DEPS:
            return True
        return dep == "pobj" and fold(token.head.text) in METONYM_PREPS

    def _former_before(self, st: _DocState, start: int) -> bool:
        return any(st.norms[i] in FORMER_WORDS for i in range(max(0, start - 2), start))

    def _span_text(self, st: _DocState, start: int, end: int) -> str:
        first, last = st.doc[start], st.doc[end - 1]
        return st.text[first.idx : last.idx + len(last.text)]


def _acting_state(st: _DocState, start: int, end: int, phrase: str) -> bool:
    """ "The state admitted a mistake": "the state" acting (its subject, object or possessor)
    is the government of the article's country, or of the state it is in."""
    token = st.doc[end - 1]
    return (
        phrase == "state"
        and end - start == 1
        and start > 0
        and st.norms[start - 1] == "the"
        and token.dep_ in ("nsubj", "nsubjpass", "dobj", "poss")
        and token.head.dep_ != "relcl"  # "the diversity the state offers": the place
    )


#: Determiners that make a title a reference back ("the senator", "this president").
DEFINITE = frozenset({"the", "this"})


def _definite(st: _DocState, start: int, end: int) -> bool:
    """Whether a title is definite: "the" right before it, or as the determiner of its head
    past modifiers ("the first-term senator", "the then secretary of state")."""
    if start > 0 and st.norms[start - 1] in DEFINITE:
        return True
    head = st.doc[start:end].root
    return any(c.dep_ == "det" and c.i < start and c.lower_ in DEFINITE for c in head.children)


#: Institutions a leader's name gives its country: "the Obama administration", "the Putin
#: government" (the person's country, the word's role).
LEADER_INSTITUTIONS = frozenset({"administration", "government", "cabinet", "regime"})


def _followers(st: _DocState, person: _Unit, nxt: _Unit) -> bool:
    """A civilian group word right after a person's name ("Sanders supporters"), or the
    institution a leader heads ("the Bush administration")."""
    word = nxt.role
    if nxt.kind != "role" or word is None or nxt.start not in (person.end, person.end + 1):
        return False
    if st.norms[person.end : nxt.start] not in ([], ["'s"], ["'"]):
        return False
    if word.phrase in LEADER_INSTITUTIONS:
        return True
    return word.kind == "group" and word.role == "CVL"
