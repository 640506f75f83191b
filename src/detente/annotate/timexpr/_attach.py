"""spaCy attachment and tense: the token an expression attaches to, and whether it is future."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

#: Heads that make a ``to``-infinitive future: "is to visit", "is due to sign".
FUTURE_HEADS = frozenset({"be", "due", "set", "schedule", "expect", "plan", "go"})
#: Heads climbed from a time expression's attachment (a noun: "talks on Sunday") to its verb.
FUTURE_DEPTH = 3


def _anchor(span: Span, start: int, end: int) -> Token | None:
    """The token outside the expression that it attaches to (through prepositions)."""
    espan = span.doc.char_span(start, end, alignment_mode="expand")
    if espan is None or len(espan) == 0:
        return None
    root = espan.root
    head = root.head
    # spaCy makes a new Token object on each access: compare indices, never identity
    while head.pos_ == "ADP" and head.head.i != head.i:
        head = head.head
    return head


def _future_token(token: Token) -> bool:
    """Whether the verb governing ``token`` is future: "will meet", "is (due) to meet"."""
    verb = token
    for _ in range(FUTURE_DEPTH):
        if verb.pos_ in {"VERB", "AUX"} or verb.head.i == verb.i:
            break
        verb = verb.head
    if any(c.dep_ == "aux" and c.lower_ in {"will", "shall", "'ll", "wo"} for c in verb.children):
        return True
    if not any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children):
        return False
    head = verb.head
    if head is verb or head.lemma_ not in FUTURE_HEADS:
        return False
    auxes = [c for c in head.children if c.dep_ in {"aux", "auxpass", "cop"}]
    return head.tag_ != "VBD" and not any(c.tag_ == "VBD" for c in auxes)
