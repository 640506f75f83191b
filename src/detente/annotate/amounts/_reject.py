"""Numbers that are no amount (dates, times, ages, names, references) and bare small counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.annotate.amounts._read import _Candidate, _read_number
from detente.annotate.amounts._tables import (
    DATE_LABELS,
    DEFINITE,
    DURATION_WORDS,
    MAX_DAY,
    MONTHS,
    NAME_LABELS,
    NAME_PREFIXES,
    RANGE_JOINERS,
    RATIO_WORDS,
    REFERENCE_ABBREVIATIONS,
    TIME_WORDS,
    YEAR_RANGE,
)
from detente.annotate.nlp import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


def _rejection(doc: Doc, cand: _Candidate, sent: Span) -> str | None:
    """Why the number is not an amount (date, time, name, ...), or None when it is one."""
    first = doc[cand.core_start]
    prev = doc[cand.core_start - 1] if cand.core_start > sent.start else None
    nxt = doc[cand.core_end] if cand.core_end < sent.end else None
    measured = cand.currency or cand.unit is not None or cand.scaled
    if cand.spelled and cand.value == 1 and not cand.scaled:
        return "bare one"
    if not measured and _date_like(cand) and _in_entity_with_words(doc, cand, DATE_LABELS):
        return "date entity"  # "seven-year-old", "Oct. 7"; a lone "55" tagged DATE is kept
    if not measured and _in_entity_with_words(doc, cand, NAME_LABELS):
        return "name entity"
    if (nxt is not None and nxt.lower_ in DURATION_WORDS) or _range_of_durations(doc, cand, sent):
        return "duration"
    if nxt is not None and nxt.lower_ in RATIO_WORDS:
        return "ratio or frequency"
    if _is_age(doc, cand, sent):
        return "age"
    if nxt is not None and nxt.text == ")" and (prev is None or prev.text == "("):
        return "list marker"
    if nxt is not None and (nxt.lower_ in TIME_WORDS or nxt.text == ":"):
        return "time"  # "2 p.m.", "11: 06 a.m."
    # "300-km" took its unit already; money and scaled figures stay ("a $2bn-a-year trade")
    tail = doc[cand.end] if cand.end < sent.end and not (cand.currency or cand.scaled) else None
    if tail is not None and tail.text in ("-", "–") and not tail.whitespace_:
        after = doc[tail.i + 1] if tail.i + 1 < sent.end else None
        if after is not None and after.is_alpha and _read_number(doc, after.i, sent.end) is None:
            return "hyphenated modifier"
    if (
        prev is not None
        and prev.text in ("-", "–")
        and not prev.whitespace_
        and prev.i > sent.start
    ):
        before = doc[prev.i - 1]
        if before.is_alpha and not before.whitespace_:
            return "name with hyphen"
    if measured:
        return None
    if all(t.is_punct or t.is_space for t in sent if t.i not in range(cand.start, cand.end)):
        return "list marker or page number"  # "1." alone, "[538.]"
    left = doc_text(doc)[max(0, first.idx - 20) : first.idx].rstrip(" \t")
    line_start = first.idx == 0 or left.endswith("\n") or not left
    if line_start and nxt is not None and nxt.text in (".", ")"):
        return "list marker"  # "\n1. Anti-Trump groups ..."
    if _is_reference(doc, cand.core_start):
        return "reference"
    text = first.text
    if text[0] == "0" and len(text) > 1 and text[1].isdigit():
        return "leading zero"
    if _digitish(prev) or _digitish(nxt):
        return "number run (phone, id)"
    if prev is not None and (prev.text == "#" or (prev.lower_ in NAME_PREFIXES and prev.is_title)):
        return "name or reference"
    if prev is not None and prev.lower_ == "of" and prev.i > 0 and doc[prev.i - 1].text == "Group":
        return "name (Group of N)"
    counted = first.dep_ == "nummod" and first.head.i > first.i  # "Launches 300 Drones"
    if (
        prev is not None
        and prev.tag_ in ("NNP", "NNPS")
        and not counted
        and prev.lower_ not in MONTHS
    ):
        return "after a proper noun"
    integer = cand.base == cand.base.to_integral_value() and "." not in text
    bare = integer and not cand.spelled and "," not in text and len(text) == 4
    if bare and YEAR_RANGE[0] <= cand.base <= YEAR_RANGE[1]:
        return "year"
    if integer and cand.base <= MAX_DAY and _next_to_month(prev, nxt):
        return "day of month"
    return None


def _in_entity_with_words(doc: Doc, cand: _Candidate, labels: frozenset[str]) -> bool:
    """Whether the number lies in an entity of ``labels`` that also holds a word of its own."""
    tok = doc[cand.core_start]
    if tok.ent_type_ not in labels:
        return False
    i = tok.i
    while i > 0 and doc[i].ent_iob_ == "I":
        i -= 1
    j = tok.i + 1
    while j < len(doc) and doc[j].ent_iob_ == "I":
        j += 1
    own = range(cand.start, cand.end)
    return any(t.is_alpha and not t.like_num and t.i not in own for t in doc[i:j])


def _is_age(doc: Doc, cand: _Candidate, sent: Span) -> bool:
    """Whether a bare number is an age set off by commas ("Karlov, 62,", "the envoy, 58,")."""
    i, j = cand.start, cand.end
    if cand.unit is not None or cand.scaled or i - 2 < sent.start or j >= sent.end:
        return False
    before, name = doc[i - 1], doc[i - 2]
    return (
        before.text == ","
        and doc[j].text in (",", ".", ";")
        and (name.ent_type_ == "PERSON" or name.pos_ in ("NOUN", "PROPN"))
    )


def _range_of_durations(doc: Doc, cand: _Candidate, sent: Span) -> bool:
    """Whether the number opens a range of durations ("40 or 50 years ago", "two to three days")."""
    j = cand.core_end
    if j + 2 >= sent.end or doc[j].lower_ not in RANGE_JOINERS:
        return False
    second = _read_number(doc, j + 1, sent.end)
    return second is not None and second.end < sent.end and doc[second.end].lower_ in DURATION_WORDS


def _is_reference(doc: Doc, i: int) -> bool:
    """Whether token ``i`` follows "No." or "[" ("No. 1", "[12]") or an apostrophe ("'16")."""
    if i == 0:
        return False
    prev = doc[i - 1]
    if prev.text == "[" or (prev.text in ("'", "‘", "’") and not prev.whitespace_):
        return True  # a footnote, or an abbreviated year: "‘16 And President"
    before = doc[i - 2] if i >= 2 else None
    return (
        prev.text == "."
        and before is not None
        and not before.whitespace_
        and before.lower_ in REFERENCE_ABBREVIATIONS
    )


def _date_like(cand: _Candidate) -> bool:
    """Whether the figure could be part of a date: a day (1-31) or a bare year ("2023")."""
    if cand.base != cand.base.to_integral_value():
        return False
    return cand.base <= MAX_DAY or YEAR_RANGE[0] <= cand.base <= YEAR_RANGE[1]


def _digitish(tok: Token | None) -> bool:
    """Whether ``tok`` is a bare digit group ("212", "+90"): neighbours of phone numbers."""
    if tok is None:
        return False
    return any(c.isdigit() for c in tok.text) and not any(c.isalpha() for c in tok.text)


def _next_to_month(prev: Token | None, nxt: Token | None) -> bool:
    """Whether a month name sits right before or after ("May 29", "29 May", "Oct. 7")."""
    return any(t is not None and t.lower_.rstrip(".") in MONTHS for t in (prev, nxt)) and not (
        prev is not None and prev.lower_ == "may" and prev.tag_ == "MD"
    )


def _counts_a_claim(doc: Doc, cand: _Candidate) -> bool:
    """Whether a small spelled-out number counts something indefinite ("four abstentions")."""
    if cand.unit is not None:
        return True
    if cand.object is None:
        return False
    head = doc[cand.core_end - 1].head
    prev = doc[cand.start - 1] if cand.start > 0 else None
    if prev is not None and (prev.lower_ in DEFINITE or prev.tag_ == "POS"):
        return False
    return not any(c.dep_ in ("det", "poss") and c.lower_ in DEFINITE for c in head.children)
