"""Generic nouns that refer back: "the club", "the movement", "the department", "the nation".

"… known as the Friends of Abe. The club began in 2005"; "the Black Lives Matter movement …
members aligned with the movement"; "the State Department … ordered the department to".
"The" (or "this", "its") right before one of :data:`GENERIC_NOUNS`, used as a noun (not as a
modifier: "the club's director" still counts, "the group chat" does not), names the latest
organisation the text named before it whose name holds the word ("the department" → the State
Department); failing that, for the nouns of a body of people (:data:`GROUP_NOUNS`), the latest
non-governmental organisation named in this sentence or the :data:`WINDOW` before it. No
organisation, no mention: a generic noun alone names no one.

"The nation", "our nation", "this country" (:data:`NATION_NOUNS`) is the country the text named
last, in this sentence or the one before it ("… King Abdullah II of Jordan. This small country
has welcomed refugees"); with none, it is the article's country (``via="nation"``, placed in
``_context``), and in an article with no country of its own it names no one.

The mention takes the organisation's actor as it stands (one not yet placed keeps its
``via`` so the article's country places both alike). One pass over the tokens.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from detente.annotate.actors._context import NATION_VIA, PLACED_ONLY
from detente.annotate.actors._text import fold
from detente.model import Actor, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["NATION_VIA", "bylines", "generic_references", "nation_references"]

# --- tuning constants (re-run detente eval actors after changing any) -------------------------
#: Nouns that refer back to an organisation named before.
GENERIC_NOUNS = frozenset(
    {"organization", "organisation", "group", "club", "movement", "department", "association"}
)
#: Of those, the ones that may mean any body of people named just before (not only one whose
#: name holds the word).
GROUP_NOUNS = frozenset({"organization", "organisation", "group", "club", "movement"})
#: Sentences before this one where a body of people may be named.
WINDOW = 3
#: Roles of a body of people a group noun can mean (not a state body, company, outlet, school
#: or church).
GROUP_ROLES = frozenset({"CVL", "NGO", "REB", "OPP", "PTY", "LAB", None})
#: Determiners that make the noun a reference back.
DETERMINERS = frozenset({"the", "this", "its"})


def generic_references(
    doc: Doc, norms: list[str], mentions: list[Mention], text: str
) -> list[Mention]:
    """Mentions of "the club" and the like (see the module), to add to ``mentions``;
    ``norms``: the folded tokens."""
    found_at = [i for i, n in enumerate(norms) if n in GENERIC_NOUNS]  # the cheap test first
    hits = [
        t
        for t in (doc[i] for i in found_at)
        if t.i > 0
        and norms[t.i - 1] in DETERMINERS
        and t.pos_ == "NOUN"
        and not (t.dep_ in ("compound", "amod") and t.head.i > t.i)
    ]
    if not hits:
        return []
    organisations = sorted(
        (m for m in mentions if m.actor.kind == "organization"), key=lambda m: m.start
    )
    starts = [m.start for m in organisations]
    taken = {m.start for m in mentions}
    sentence_start = {s.start: s for s in doc.sents}
    sentences = sorted(sentence_start)
    added: list[Mention] = []
    for token in hits:
        if token.idx in taken:
            continue
        before = organisations[: bisect.bisect_left(starts, token.idx)]
        word = norms[token.i]
        found = next((m for m in reversed(before) if word in fold(m.actor.name).split()), None)
        if found is None and word in GROUP_NOUNS:
            here = bisect.bisect_right(sentences, token.i) - 1
            first = doc[sentences[max(0, here - WINDOW)]].idx
            found = next(
                (m for m in reversed(before) if m.start >= first and m.actor.role in GROUP_ROLES),
                None,
            )
        if found is not None:
            end = token.idx + len(token.text)
            via = found.via if found.via in PLACED_ONLY else "coreference"
            added.append(Mention(token.idx, end, text[token.idx : end], found.actor, via))
    return added


#: Nouns for a country that refer back to one.
NATION_NOUNS = frozenset({"nation", "country"})
#: Prepositions that make "this country" a location, not an actor ("abortions in this country").
PLACE_PREPOSITIONS = frozenset({"in", "across", "throughout", "around", "into", "within"})
#: Determiners that make them a reference ("their country" may be anyone's: not read).
NATION_DETERMINERS = frozenset({"the", "our", "this"})


def nation_references(
    doc: Doc, norms: list[str], mentions: list[Mention], text: str
) -> list[Mention]:
    """Mentions of "the nation" and "this country" (see the module), to add to ``mentions``;
    ``norms``: the folded tokens."""
    found_at = [i for i, n in enumerate(norms) if n in NATION_NOUNS]  # the cheap test first
    hits = [
        t
        for t in (doc[i] for i in found_at)
        if t.pos_ == "NOUN"
        and t.tag_ == "NN"
        and not (t.dep_ in ("compound", "amod") and t.head.i > t.i)
        and not (t.dep_ == "pobj" and t.head.lower_ in PLACE_PREPOSITIONS)
        and any(c.dep_ in ("det", "poss") and c.lower_ in NATION_DETERMINERS for c in t.children)
    ]
    if not hits:
        return []
    countries = sorted(
        (m for m in mentions if m.actor.kind == "country" and m.actor.country),
        key=lambda m: m.start,
    )
    starts = [m.start for m in countries]
    taken = {m.start for m in mentions}
    added: list[Mention] = []
    for token in hits:
        if token.idx in taken:
            continue
        sentence = token.sent
        previous = doc[sentence.start - 1].sent if sentence.start > 0 else sentence
        before = countries[: bisect.bisect_left(starts, token.idx)]
        end = token.idx + len(token.text)
        if before and before[-1].start >= previous.start_char:
            actor, via = before[-1].actor, "coreference"
        else:
            actor, via = Actor(text[token.idx : end], None, None, None, "country"), NATION_VIA
        added.append(Mention(token.idx, end, text[token.idx : end], actor, via))
    return added


#: What a byline's "Follow <writer> on <network>" may name after "on".
NETWORKS = ("twitter", "facebook", "instagram", "x")


def bylines(mentions: list[Mention], text: str) -> None:
    """ "Follow John Smith on Twitter": a person no table places, invited to be followed at the
    end of a story, is its writer: media (``MED``, of the article's country), in place."""
    for k, mention in enumerate(mentions):
        actor = mention.actor
        if actor.kind != "person" or actor.role is not None or actor.code is not None:
            continue
        if text[max(0, mention.start - 7) : mention.start].lower() != "follow ":
            continue
        after = text[mention.end : mention.end + 14].lower().split()
        if len(after) >= 2 and after[0] == "on" and after[1].strip(".,@") in NETWORKS:
            writer = Actor(actor.name, None, None, "MED", "person", actor.title)
            mentions[k] = Mention(mention.start, mention.end, mention.text, writer, mention.via)
