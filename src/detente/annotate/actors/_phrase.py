"""What a short phrase says about an actor: its named entity, country, role, title and name."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from detente.annotate.actors._tables import Entity, Match, Place, RoleWord, compose
from detente.annotate.actors._text import fold
from detente.model import Actor

#: Words after which a phrase names someone else ("ambassador to Poland", "sanctions against").
CUT_WORDS = frozenset(
    {"to", "against", "with", "toward", "towards", "who", "which", "that", "said"}
)
#: Words that make a person former (CVL under the codebook) when they precede the title or name.
FORMER_WORDS = frozenset({"former", "ex", "ex-", "onetime", "one-time", "erstwhile", "late"})
#: Capitalized words that never start a name.
NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "his",
        "her",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
        "two",
        "three",
        "four",
        "five",
        "several",
        "some",
        "many",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "dr",
        "dr.",
        "sir",
        "dame",
        "lord",
        "members",
        "member",
        "of",
    ]
)
#: Model numbers of weapons and aircraft: TB2, S-400, Su-24, F-16s, HIMARS-like codes with digits.
MODEL = re.compile(r"^(?:[A-Z][A-Za-z]{0,3}-?\d{1,4}[A-Za-z]?s?|\d{1,4}[A-Z]{1,3})$")


@dataclass(slots=True)
class Evidence:
    """Everything a phrase gives: the parts are combined by the resolver."""

    entities: list[Entity] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # ISO3 in order of appearance
    place: Place | None = None  # set when a place is the only country evidence
    country_only_place: bool = False
    roles: list[tuple[int, RoleWord]] = field(default_factory=list)  # (token position, word)
    name: str | None = None  # an unknown name written in the phrase
    former: bool = False
    head_of: list[tuple[int, RoleWord]] = field(default_factory=list)  # roles after "X of"
    acronym: bool = False  # the unknown name is an all-caps acronym
    bare_place: bool = False  # the phrase is a place name and nothing else

    def best_role(self, *, title_first: bool) -> RoleWord | None:
        """The strongest role word; ties go to the head (last) or, before a name, the first."""
        pool = self.head_of or self.roles
        if not pool:
            return None
        top = max(word.strength for _, word in pool)
        if top == 0 and not (self.countries or self.entities):
            return None  # "state", "leader" alone say nothing
        tied = [(pos, word) for pos, word in pool if word.strength == top]
        return (tied[0] if title_first else tied[-1])[1]


def gather(
    norms: Sequence[str],
    texts: Sequence[str],
    matches: Sequence[Match],
    *,
    entity_of: dict[str, Entity],
    countries: dict[str, str],
    places: dict[str, Place],
    roles: dict[str, RoleWord],
) -> Evidence:
    """Collect the evidence of one phrase (tokens plus its gazetteer matches)."""
    ev = Evidence()
    stop = len(norms)
    for k, word in enumerate(norms):
        if k > 0 and word in CUT_WORDS:
            stop = k
            break
    ev.former = any(w in FORMER_WORDS for w in norms[:stop])
    covered: set[int] = set()
    of_pos = [k for k in range(stop) if norms[k] == "of"]
    title_before_of: int | None = None
    for match in matches:
        if match.end > stop or _weak_town(match, places, norms, texts):
            continue
        covered.update(range(match.start, match.end))
        item = match.item
        if item.kind == "entity":  # every entity the words name ("Bush": two presidents)
            ev.entities.extend(entity_of[i.ref] for i in match.items if i.kind == "entity")
        elif item.kind in ("country", "demonym"):
            ev.countries.append(countries[item.ref])
        elif item.kind == "place":
            place = places[item.ref]
            ev.countries.append(place.iso3)
            if ev.place is None:
                ev.place = place
        elif item.kind == "role":
            role_word = roles[item.ref]
            ev.roles.append((match.start, role_word))
            if role_word.kind == "person" and match.end in of_pos and title_before_of is None:
                title_before_of = match.end
    if title_before_of is not None:
        ev.head_of = [
            (p, w) for p, w in ev.roles if p > title_before_of and w.kind in ("org", "group")
        ]
    ev.country_only_place = ev.place is not None and len(set(ev.countries)) == 1
    rest = [k for k in range(len(norms)) if k not in covered and norms[k] not in ("the", ".")]
    ev.bare_place = ev.place is not None and len(matches) == 1 and not rest
    ev.name, ev.acronym = _unknown_name(norms, texts, covered, stop)
    return ev


def _weak_town(
    match: Match, places: dict[str, Place], norms: Sequence[str], texts: Sequence[str]
) -> bool:
    """A small town's name that is not the whole phrase ("Temple University") or is not
    capitalised ("the university"): no evidence. Towns count only as themselves."""
    item = match.item
    if item.kind != "place" or places[item.ref].kind != "town":
        return False
    first = 1 if norms and norms[0] == "the" else 0
    whole = match.start == first and match.end == len(norms)
    return not whole or not texts[match.start][:1].isupper()


def _unknown_name(
    norms: Sequence[str], texts: Sequence[str], covered: set[int], stop: int
) -> tuple[str | None, bool]:
    """The first run of capitalized words that no table explains ("Diego Molano")."""
    run: list[int] = []
    for k in range(stop):
        text = texts[k]
        inside = bool(run) and (text in ("-", ".") or (k > 0 and texts[k - 1] == "-"))
        starts = (
            k not in covered
            and text[:1].isupper()
            and norms[k] not in NOT_NAMES
            and not MODEL.match(text)
            and any(ch.isalpha() for ch in text)
        )
        if starts or (inside and k not in covered):
            run.append(k)
        elif run:
            break
    while run and texts[run[-1]] in ("-", "."):
        run.pop()
    if not run:
        return None, False
    name = ""
    for k in run:
        joined = texts[k] in ("-",) or (k > 0 and texts[k - 1] == "-" and k - 1 in run)
        name += texts[k] if (not name or joined) else " " + texts[k]
    acronym = len(run) == 1 and texts[run[0]].isupper() and len(texts[run[0]]) <= 6
    return name, acronym


def best_of(roles: Iterable[RoleWord], *, title_first: bool) -> RoleWord | None:
    """The strongest role word; ties go to the first (titles) or the last (the head noun)."""
    pool = list(roles)
    if not pool:
        return None
    top = max(r.strength for r in pool)
    tied = [r for r in pool if r.strength == top]
    return tied[0] if title_first else tied[-1]


def as_former(actor: Actor) -> Actor:
    return Actor(actor.name, compose(actor.country, "CVL"), actor.country, "CVL", actor.kind, None)


def is_igo(actor: Actor) -> bool:
    return bool(actor.code and actor.code.startswith("IGO"))


def clean_phrase(text: str) -> str:
    """A phrase without its leading article."""
    words = text.split()
    while words and fold(words[0]) in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words) or text
