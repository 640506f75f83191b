"""Names in one list are of one kind: the sector of organisations no table knows.

"Four casinos — Atlantic Club, Showboat, Revel and Trump Plaza — closed", "health insurers
Cigna, Aetna and Humana", "donors included JPMorgan, Microsoft, Motorola and Walgreens": an
organisation known only by its name (``via="sector"``, see ``_context``) whose name's words
give no sector is read as ``CVL``, a named group of people. When the parse puts it in a list
headed by a role noun ("casinos", "insurers": the head its first item stands in apposition
to), it takes that noun's role; when the list's other items are organisations a table or
their own name places in one sector, it takes theirs. An article that names the same
organisation again ("5 percent at Caesars") keeps the sector it was given.

The pass reads only the few mentions it may change, and only their list's tokens.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from detente.annotate.actors._context import SECTOR_VIA
from detente.annotate.actors._tables import RoleWord, compose
from detente.model import Actor, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["list_sectors"]

#: Roles a list gives its unknown members (the others name offices, not organisations).
LIST_ROLES = frozenset({"BUS", "MED", "EDU", "HLH", "REL", "NGO"})
#: The role an unknown organisation gets from its name alone when no word tells its sector.
PLAIN_ROLE = "CVL"


def _unplaced(mention: Mention) -> bool:
    return mention.via == SECTOR_VIA and mention.actor.role == PLAIN_ROLE


def _items(top: Token) -> list[Token]:
    """The list headed by ``top``: it and its conjuncts (and their conjuncts)."""
    found, todo = [], [top]
    while todo:
        token = todo.pop()
        found.append(token)
        todo.extend(c for c in token.children if c.dep_ in ("conj", "appos") and c.i > token.i)
    return found


def _head_noun_role(top: Token, roles: Mapping[str, RoleWord]) -> str | None:
    """The role of the noun a list stands in apposition to ("casinos", "insurers")."""
    token = top
    for _ in range(8):  # "the casinos: Golden Nugget …; Resorts …; Borgata …" chains appos
        if token.dep_ != "appos" or token.head.i == token.i:
            break
        head = token.head
        if head.pos_ == "NOUN":
            word = roles.get(head.lower_) or roles.get(head.lemma_.lower())
            if word is not None and word.kind != "person" and word.role in LIST_ROLES:
                return word.role
            return None
        token = head
    return None


def _top(token: Token) -> Token:
    """The first item of the list ``token`` is in."""
    for _ in range(32):
        if token.dep_ != "conj" or token.head.i == token.i:
            break
        token = token.head
    return token


def list_sectors(doc: Doc, mentions: list[Mention], roles: Mapping[str, RoleWord]) -> None:
    """Give unknown organisations in a list the sector of the list (see the module), in place."""
    if not any(_unplaced(m) for m in mentions):
        return
    spans = [doc.char_span(m.start, m.end, alignment_mode="expand") for m in mentions]
    by_token = {
        i: k
        for k, span in enumerate(spans)
        if span is not None
        for i in range(span.start, span.end)
    }
    given: dict[str, str] = {}
    for k, mention in enumerate(mentions):
        span = spans[k]
        if not _unplaced(mention) or span is None:
            continue
        top = _top(span.root)
        role = _head_noun_role(top, roles)
        if role is None:
            others = Counter(
                mentions[j].actor.role
                for j in {by_token[t.i] for t in _items(top) if t.i in by_token}
                if j != k
                and not _unplaced(mentions[j])
                and mentions[j].actor.kind == "organization"
                and mentions[j].actor.role in LIST_ROLES
            )
            if others:
                (role, count), *rest = others.most_common(2)
                if rest and rest[0][1] == count:
                    role = None  # a list of two kinds says nothing of the unknown one
        if role is not None:
            given[mention.actor.name] = role
    if not given:
        return
    for k, mention in enumerate(mentions):
        role = given.get(mention.actor.name)
        if role is not None and _unplaced(mention):
            actor = mention.actor
            placed = Actor(
                actor.name, compose(actor.country, role), actor.country, role, actor.kind,
                actor.title,
            )  # fmt: skip
            mentions[k] = Mention(mention.start, mention.end, mention.text, placed, mention.via)
