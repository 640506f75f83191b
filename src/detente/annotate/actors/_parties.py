"""Parties written as adjectives: "Republican nominee", "Democratic senators", "GOP voters".

A party's adjective alone ("the Republican primary") names no actor; before a role word it
names someone of that party. Who that is depends on the word: an office of its own ("senator",
"judge") keeps its role with the party's country ("Democratic senator" → ``USALEG``); words for
the party's own people ("nominee", "candidates", "establishment", "leaders") take the party's
standing on the day (``USAOPP`` for the Republicans in 2016, ``USAGOV`` for the Democrats), and
a singular one ("the Democratic front-runner") is the latest person named who runs for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.annotate.actors._tables import Entity, RoleWord, compose
from detente.annotate.actors._text import fold
from detente.annotate.actors._titles import CANDIDATE_WORDS, runs_for_office
from detente.model import Actor

if TYPE_CHECKING:
    from datetime import date

    from detente.annotate.actors._coref import _DocState

#: Adjectives that name a party before a role word, with the party's table name (folded).
PARTY_ADJECTIVES = {
    "democratic": "democratic party",
    "democrat": "democratic party",
    "republican": "republican party",
}
#: Roles a role word gives the party's own people; they take the party's standing instead.
STANDING_ROLES = frozenset({"GOV", "OPP", "PTY"})


def is_party(entity: Entity | None) -> bool:
    """Whether a table entry is a political party (its offices are titled "party")."""
    return entity is not None and any(o.title == "party" for o in entity.offices)


def party_member(
    st: _DocState, party: Entity, word: RoleWord, *, former: bool, on: date
) -> tuple[Actor, str]:
    """Who "<party> <role word>" names (see the module's rules), and how it was found."""
    if word.kind == "person" and word.phrase in CANDIDATE_WORDS and not former:
        adjective = fold(party.name.split()[0])
        for seen in reversed(st.seen):
            title = seen.actor.title
            if runs_for_office(title) and adjective in fold(title or ""):
                return seen.actor, "title"
    org = party.actor(on)
    role: str | None = org.role if word.role in STANDING_ROLES else word.role
    if former and word.kind == "person":
        role = "CVL"
    kind = word.actor_kind
    held = word.title if word.kind == "person" else None
    name = f"{party.name} {word.title or word.phrase}"
    return Actor(name, compose(org.country, role), org.country, role, kind, held), "role"


def adjective_parties(
    st: _DocState, taken: set[int], role_starts: set[int], entities: dict[str, Entity]
) -> list[tuple[int, Entity]]:
    """Tokens that are a party's adjective right before a role word ("Republican nominee",
    "Democratic presidential candidates"), with the party; ``taken``: tokens already read."""
    found: list[tuple[int, Entity]] = []
    for i, norm in enumerate(st.norms):
        key = PARTY_ADJECTIVES.get(norm)
        if key is None or i in taken or not st.texts[i][:1].isupper() or key not in entities:
            continue
        nxt = i + 1
        while nxt < len(st.norms) and nxt not in role_starts and st.doc[nxt].pos_ == "ADJ":
            nxt += 1  # "Democratic presidential candidates", "Republican national security"
        if nxt in role_starts:
            found.append((i, entities[key]))
    return found


#: Words before "party", "convention" or "campaign" that make it a reference back.
_DETERMINERS = frozenset({"the", "its", "their", "his", "her", "this"})
#: Words that only ever refer back (see :func:`back_reference`).
BACK_WORDS = frozenset({"party", "convention", "campaign"})
#: The table title of what each word refers back to.
_BACK_TITLES = {"party": "party", "parties": "party", "convention": "party convention"}


def back_reference(st: _DocState, start: int, phrase: str) -> Actor | None:
    """ "the party", "the convention", "his campaign": the party, convention or candidate the
    text named last (None when it named none: the word then names no one)."""
    before = start - 1
    while before > 0 and start - before <= 2 and st.doc[before].pos_ == "ADJ":
        before -= 1  # "her presidential campaign", "the national convention"
    if before < 0 or st.norms[before] not in _DETERMINERS:
        return None
    if phrase == "campaign":
        for seen in reversed(st.seen):
            actor = seen.actor
            if actor.code and runs_for_office(actor.title):
                name = f"{actor.name} campaign"
                return Actor(name, actor.code, actor.country, actor.role, "organization")
        return None
    wanted = _BACK_TITLES.get(phrase)
    for mention in reversed(st.mentions):
        if wanted is not None and mention.actor.title == wanted:
            return mention.actor
    return None
