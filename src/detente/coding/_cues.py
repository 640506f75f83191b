"""Cues the sentence coder reads around a predicate: poll holders, poll figures, questions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.coding._syntax import subject

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

#: Verbs (with their particle) that exclude what they govern: "ruled out arms deals" denies the
#: deals, "would not rule out arms deals" leaves them possible.
#: Who holds an opinion rather than acts: voters and poll shares backing, wanting or opposing
#: a candidate are a poll, not an event (issue 17: "43% of Ohio voters support Strickland").
OPINION_HOLDERS = frozenset(
    {
        *("voter", "voters", "respondent", "respondents", "electorate", "constituent"),
        *("constituents", "caucusgoer", "caucusgoers", "percent", "%", "poll", "polls"),
        *("survey", "surveys", "electorates", "public", "third", "thirds", "half", "quarter"),
        *("majority", "minority", "plurality", "fifth", "tenth"),
    }
)
#: Words of a poll's figures.
POLL_WORDS = frozenset({"percent", "%", "points", "poll", "polls", "polling", "survey"})


def _opinion(verb: Token) -> bool:
    """Whether the verb's subject holds an opinion (voters, a poll share), not an actor acting."""
    holder, passive = subject(verb)
    if holder is None or passive:
        return False
    return any((t.lemma_ or t.lower_).lower() in OPINION_HOLDERS for t in holder.subtree)


def _polled(sent: Span) -> bool:
    """Whether a sentence tells poll figures (percent, points, a poll)."""
    return any(t.lower_ in POLL_WORDS for t in sent)


def _question(verb: Token) -> bool:
    """Whether "ask" reports a question ("asked if …", "asked whether …", "'…?' he asked"),
    not a request of someone."""
    for child in verb.children:
        if child.dep_ in ("ccomp", "advcl") and any(
            g.dep_ == "mark" and g.lower_ in ("if", "whether") for g in child.children
        ):
            return True
    left = [t for t in verb.sent if t.i < verb.i]
    return any(t.text == "?" for t in left[-4:])


def poss_of(noun: Token) -> list[Token]:
    """The possessor of a noun ("Pence's endorsement")."""
    return [c for c in noun.children if c.dep_ == "poss"]
