"""What an amount counts, from the parse: the noun it modifies, "of"/"worth", a measure verb."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.annotate.amounts._read import _Candidate
from detente.annotate.amounts._tables import (
    CURRENCY_CODES,
    CURRENCY_WORDS,
    GENERIC_HEADS,
    MEASURE_VERBS,
    NP_LEFT_DEPS,
    SAY_VERBS,
    TRANSITIVE_CHANGE_VERBS,
    UNITS,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


def _anchor(doc: Doc, cand: _Candidate) -> Token:
    """The amount's syntactic head: its token whose head lies outside the span."""
    inside = range(cand.start, cand.end)
    outside = [t for t in doc[cand.core_start : cand.end] if t.head.i not in inside]
    words = [t for t in outside if t.pos_ != "ADP"]  # "12 per cent": "12", not "per"
    return (words or outside or [doc[cand.end - 1]])[-1]


def _object(doc: Doc, cand: _Candidate) -> str | None:
    """What the amount counts or measures, from the dependency parse (None when unclear)."""
    span = range(cand.start, cand.end)
    for tok in doc[cand.core_start : cand.end]:  # "230 of its people", "52% of the vote"
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of" and child.i >= cand.end:
                pobj = [c for c in child.children if c.dep_ == "pobj"]
                if pobj and pobj[0].pos_ in ("NOUN", "PROPN"):
                    return _noun_phrase(doc, pobj[0], span)
    anchor = _anchor(doc, cand)
    head = anchor.head
    modifier = anchor.dep_ in ("nummod", "compound", "nmod", "amod", "quantmod", "npadvmod")
    if modifier and head.i >= cand.end and head.pos_ in ("NOUN", "PROPN"):
        return _noun_phrase(doc, head, span)  # "4 million Syrian refugees"
    if head.lower_ == "worth":  # "goods worth $5 billion", "the deal is worth $5 billion"
        owner = head.head
        if owner.pos_ in ("NOUN", "PROPN"):
            return _noun_phrase(doc, owner, span)
        bought = [c for c in owner.children if c.dep_ == "dobj" and c.i < head.i]
        if bought:  # "bought grain worth $2 billion", parsed with "worth" on the verb
            return _noun_phrase(doc, bought[0], span)
        return _measured(doc, owner, span, prefer_object=False)
    node, prep = anchor, None
    while node.dep_ in ("pobj", "prep") and node.head.i != node.i:
        if node.dep_ == "pobj":
            prep = node.head
        node = node.head
        if node.pos_ != "ADP":
            break
    if prep is not None and node.pos_ in ("NOUN", "PROPN") and node.i not in span:
        # "a goal of $100 billion"; other prepositions ("a summit on €3 billion") say too little
        return _noun_phrase(doc, node, span) if prep.lower_ == "of" else None
    if prep is not None and node.pos_ in ("VERB", "AUX"):  # "trade rose to", "raise trade to"
        return _measured(doc, node, span, prefer_object=True)
    if anchor.dep_ in ("dobj", "attr", "oprd", "npadvmod") and head.pos_ in ("VERB", "AUX"):
        return _measured(doc, head, span, prefer_object=False)  # "trade reaches $62 billion"
    return None


def _measured(doc: Doc, verb: Token, span: range, *, prefer_object: bool) -> str | None:
    """The subject (or, for "raise X to", the object) of a measure verb."""
    lemma = verb.lemma_.lower()
    if prefer_object and lemma in TRANSITIVE_CHANGE_VERBS:
        dobj = [c for c in verb.children if c.dep_ == "dobj" and c.i not in span]
        if dobj:
            return _noun_phrase(doc, dobj[0], span)
    if lemma not in MEASURE_VERBS:  # "the PAC raised $4 million": the PAC is not what it measures
        return None
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return _noun_phrase(doc, verb.head, span)  # "a deal put at about $2.5 billion"
    for _ in range(3):  # a conjoined verb shares its subject: "dipped ... but stood at"
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i not in span]
        if subj:
            return _noun_phrase(doc, subj[0], span)
        if verb.dep_ not in ("conj", "xcomp", "ccomp") or verb.head.i == verb.i:
            break
        verb = verb.head
        if verb.lemma_.lower() in SAY_VERBS:  # "trade dipped, he said, but stood at $55 billion"
            reported = [c for c in verb.children if c.dep_ == "ccomp" and c.i < verb.i]
            if reported:
                verb = reported[0]
    return None


def _noun_phrase(doc: Doc, head: Token, span: range) -> str | None:
    """The noun phrase of ``head`` as written, without determiners and the amount itself."""
    if head.pos_ == "PRON" or head.i in span or _is_unit_word(head):
        return None
    if head.lower_ == "worth":  # "$500,000 worth of ads"
        of = [c for c in head.rights if c.dep_ == "prep" and c.lower_ == "of"]
        pobj = [c for c in of[0].children if c.dep_ == "pobj"] if of else []
        return _noun_phrase(doc, pobj[0], span) if pobj else None
    keep = _phrase_tokens(doc, head, span)
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of" and head.lower_ in GENERIC_HEADS:
            pobj = [c for c in child.children if c.dep_ == "pobj" and c.pos_ != "PRON"]
            if pobj:  # "volume of Russian-Turkish trade"
                keep |= {child.i} | _phrase_tokens(doc, pobj[0], span)
        elif child.dep_ == "conj" and child.pos_ == head.pos_:
            between = doc[head.i + 1 : child.i]
            if all(t.dep_ in ("cc", "punct") for t in between) and not any(
                t.like_num for t in child.subtree
            ):  # "drones and missiles", but not "170 drones, 30 cruise missiles"
                keep |= set(range(head.i + 1, child.i)) | _phrase_tokens(doc, child, span)
    lo, hi = min(keep), max(keep)
    if lo < span.stop <= hi:  # never include the amount itself
        lo = span.stop
    while lo < hi and (doc[lo].dep_ in ("det", "poss", "case", "predet") or doc[lo].is_punct):
        lo += 1
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    return doc[lo : hi + 1].text or None


def _is_unit_word(tok: Token) -> bool:
    """Whether ``tok`` names a currency or a unit (never an object: "£3m and 2.5bn euros")."""
    word = tok.lower_
    return word in CURRENCY_WORDS or word in CURRENCY_CODES or (word,) in UNITS


def _phrase_tokens(doc: Doc, head: Token, span: range) -> set[int]:
    """``head`` with its left modifiers ("Russian-Turkish trade"), leaving out the amount."""
    keep = {head.i}
    for child in head.lefts:
        if child.dep_ in NP_LEFT_DEPS and not any(
            t.i in span or t.like_num for t in child.subtree
        ):  # other figures are amounts of their own: "a 56% and 54% approval rating"
            keep.update(t.i for t in child.subtree)
    return keep
