"""Statements carried by a quote (CODEBOOK: "statements are events … whether the verb says it
or a quote or reported speech carries it").

"'You should resign,' Warren told Stumpf" has no verb of criticism: the quote carries it, as
reported speech does ("Khalif said Trump is a racist bigot"). A direct or reported quote is the
speaker's criticism (111) of another actor when its words only blame
(:data:`BLAME_WORDS`, none of :data:`PRAISE_WORDS`), and praise (051) when they only praise; the
actor is the person it was said to ("told Stumpf"), else the one person the quote itself
names, else, for a quote that speaks to "you", the person the last quote was told to (the
exchange goes on: a hearing, a debate). What follows a "but" has the last word ("great at the
one-liners, but a chaos candidate" blames), and praise denied blames ("would not be a great
leader"). A quote that names no one, or more than one person, or mixes blame and praise, is
no event: its target is not known ("'It's gutless leadership,' Warren said" leaves the leader
to the reader). Countries and bodies named in a quote are most often its topic ("the best
tradition of the United States"), not whom it judges, and are not taken as targets; a
newspaper the words were told to is not judged by them. The statement is dated by the time of
its reporting verb (:func:`detente.coding._dating.quote_time`: "… Bush said on Saturday"),
else by the publication day.

The word lists are ours, chosen for the language of political quarrels; a quote is read as
lower-case words, so "Crooked" in a nickname counts as it would in a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from detente.coding._adapters import TimeRef
from detente.coding._coder import _same
from detente.coding._cues import BLAME_WORDS, PRAISE_WORDS, tone
from detente.coding._dating import date_event
from detente.coding.ontology import cameo
from detente.model import Event, Mention, Quote

__all__ = ["BLAME_WORDS", "PRAISE_WORDS", "quoted_statements"]

#: Confidence of an event read from a quote's tone, below a verb's own coding.
CONFIDENCE = 0.4


#: How far back (characters) a quote in the second person looks for whom the last quote was said
#: to ("Warren told Stumpf … 'You went on television to blame …,' she said").
ADDRESSEE_REACH = 1500
_YOU = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)


def _told(quote: Quote, speaker: Mention, mentions: Sequence[Mention]) -> Mention | None:
    """The person the quote is said to ("… Warren told Stumpf")."""
    if not quote.addressee:
        return None
    return next(
        (
            m
            for m in mentions
            if quote.sentence_start <= m.start < quote.sentence_end
            and m.text == quote.addressee
            and m.actor.code is not None
            and m.actor.kind == "person"
            and not _same(m, speaker)
        ),
        None,
    )


def _named(quote: Quote, speaker: Mention, mentions: Sequence[Mention]) -> Mention | None:
    """The one other person the quote names; None when it names none or several."""
    named = [
        m
        for m in mentions
        if quote.start <= m.start < quote.end
        and m.actor.code is not None
        and m.actor.kind == "person"  # a country or a body named in passing is no addressee
        and not _same(m, speaker)
    ]
    actors = {m.actor.name for m in named}
    return named[0] if len(actors) == 1 else None


def _addressed(quote: Quote, speaker: Mention, last: Mention | None) -> Mention | None:
    """The one the last quote was said to, for a quote that speaks to "you" and names no one:
    the exchange goes on (a hearing, a debate)."""
    if last is None or _same(last, speaker) or not _YOU.search(quote.text):
        return None
    return last if 0 <= quote.start - last.start <= ADDRESSEE_REACH else None


def quoted_statements(
    quotes: Sequence[Quote],
    mentions: Sequence[Mention],
    coded: Sequence[Event],
    text: str,
    published: date | None,
    coder: str,
    when: Callable[[int, Mention], TimeRef | None] | None = None,
) -> list[Event]:
    """The statements the quotes carry (direct ones, and reported speech: "Warren said Cruz is
    a disgrace") that the coded events do not already hold. ``when`` gives the time of the
    reporting verb at an offset, for the speaker (else the publication date)."""
    have = {
        (e.sentence_start, e.source and e.source.actor.code, e.target and e.target.actor.code)
        for e in coded
    }
    found: list[Event] = []
    last: Mention | None = None  # whom the last quote was said to
    for quote in quotes:
        speaker = quote.speaker
        if quote.kind not in ("statement", "indirect") or speaker is None:
            continue
        if speaker.actor.code is None:
            continue
        told = _told(quote, speaker, mentions)
        code = tone(quote.text)
        target = (
            (told or _named(quote, speaker, mentions) or _addressed(quote, speaker, last))
            if code
            else None
        )
        last = told or last
        if code is None or target is None:
            continue
        key = (quote.sentence_start, speaker.actor.code, target.actor.code)
        if key in have:
            continue
        have.add(key)
        info = cameo(code)
        cue = quote.cue or ""
        at = text.find(cue, quote.sentence_start, quote.sentence_end) if cue else -1
        start, end = (at, at + len(cue)) if at >= 0 else (quote.start, quote.end)
        event = Event(
            source=speaker,
            target=target,
            cameo=info.code,
            plover=info.plover,
            plover_mode=info.plover_mode,
            quad_class=info.quad_class,
            goldstein=info.goldstein,
            trigger=text[start:end],
            trigger_start=start,
            trigger_end=end,
            sentence_start=quote.sentence_start,
            sentence_end=quote.sentence_end,
            confidence=CONFIDENCE,
            coder=coder,
        )
        date_event(event, when(start, speaker) if when is not None else None, published)
        found.append(event)
    return found
