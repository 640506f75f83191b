"""Amounts: claimed numbers with their unit or currency, scale applied, and what they count.

GKG-style: ``"$62 billion"`` becomes 62000000000 ``USD``; ``"nearly 38,000 Palestinians"`` becomes
38000 with object ``"Palestinians"`` and ``approximate=True``. The scan is token-based over the
parsed doc it is given (no second parse); spaCy's entity labels only veto candidates (DATE, TIME,
names), because the small model's CARDINAL/MONEY labels miss glued scales ("£3m") and tag years
as CARDINAL. The dependency parse gives the object: the noun the number modifies, the noun an
``of``/``worth`` phrase hangs on, or the subject (or object) of a measure verb ("trade reaches",
"raise trade to").

Decisions for the ambiguous cases (also pinned by tests/test_amounts.py):

- Vague quantities with no figure ("hundreds", "dozens of", "millions of tons", "several") are
  skipped: a value would be invented, and invented values pollute sums.
- "a dozen" is 12, "a million" is 1000000, "half a million" 500000 (not approximate unless
  qualified: "about a dozen").
- Spelled-out numbers below the scales ("two", "a dozen") count only when they count a noun and
  are not definite ("the two leaders", "its three ports" are references, not claims); a bare
  "one" (or "a") is never an amount.
- Ages ("seven-year-old", "Karlov, 62,") and other hyphenated modifiers ("three-way", "24-hour")
  are not amounts; nor are durations ("two months", "120 days"), ratios and frequencies ("ten
  times"), ordinals, years, days of a month, clock times, phone, list and reference numbers, and
  numbers inside names (S-400, Su-24, G20, Route 66, Section 231, "Group of 20").
- A bare four-digit integer from 1000 to 2100 is a year unless a currency or unit goes with it
  (news style writes counts of thousands with a separator: "1,500 troops").
- Ranges ("10-15 million", "between 10,000 and 20,000") give two amounts, both approximate; the
  first borrows the second's scale, unit and object. "from A to B" is a change, not a range.
- A figure with no currency in its own words keeps ``unit=None`` even when the context implies
  one ("from 1.92 billion to almost 2 billion"): units are never guessed.
- "$" alone is USD; "C$", "A$", "Canadian dollars" and the like take their own code. "tons" and
  "tonnes" are both ``tonnes``; "bcm" is cubic metres with the billion applied. A glued "m" after
  a number ("£3m", "3m people") is million, never metres.
"""

from __future__ import annotations

import itertools
import logging
from typing import TYPE_CHECKING

from detente.annotate.amounts._object import _object
from detente.annotate.amounts._read import _Candidate, _extend_left, _extend_right, _read_number
from detente.annotate.amounts._reject import _counts_a_claim, _rejection
from detente.annotate.amounts._tables import NUMBER_RE, NUMBER_WORDS, OPENING_WORDS, RANGE_JOINERS
from detente.annotate.nlp import doc_text
from detente.model import Amount

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["find_amounts"]

logger = logging.getLogger(__name__)


def find_amounts(doc: Doc) -> list[Amount]:
    """Every claimed number in ``doc`` with its unit, scale, object and approximation."""
    amounts: list[Amount] = []
    text = doc_text(doc)
    opens = _openers(doc)
    for sent in _sentences(doc):
        found = _scan_sentence(doc, sent, opens)
        _join_ranges(doc, found)
        for c in found:
            start = doc[c.start].idx
            amounts.append(
                Amount(
                    start=start,
                    end=c.end_char,
                    text=text[start : c.end_char],
                    value=float(c.value),
                    unit=c.unit,
                    object=c.object,
                    approximate=c.approximate,
                    sentence_start=sent.start_char,
                    sentence_end=sent.end_char,
                )
            )
    logger.debug("found %d amounts in %d characters", len(amounts), len(text))
    return amounts


def _sentences(doc: Doc) -> list[Span]:
    """The doc's sentences, or the whole doc as one when it has no sentence boundaries."""
    if doc.has_annotation("SENT_START"):
        return list(doc.sents)
    return [doc[:]]


def _openers(doc: Doc) -> list[bool]:
    """Per token, whether a number can start there (the only tokens :func:`_read_number` reads).

    Read once per document: creating a spaCy Token per token and sentence was most of the
    amount finder's time.
    """
    return [
        t.lower_ in NUMBER_WORDS or t.lower_ in OPENING_WORDS or bool(NUMBER_RE.fullmatch(t.text))
        for t in doc
    ]


def _scan_sentence(doc: Doc, sent: Span, opens: list[bool]) -> list[_Candidate]:
    """The amounts of one sentence, left to right (``opens``: see :func:`_openers`)."""
    found: list[_Candidate] = []
    i = sent.start
    while i < sent.end:
        if not opens[i]:
            i += 1
            continue
        cand = _read_number(doc, i, sent.end)
        if cand is None:
            i += 1
            continue
        i = cand.core_end
        _extend_left(doc, cand, sent.start)
        _extend_right(doc, cand, sent.end)
        reason = _rejection(doc, cand, sent)
        if reason:
            logger.debug(
                "not an amount (%s): %r", reason, doc[cand.core_start : cand.core_end].text
            )
            continue
        cand.object = _object(doc, cand)
        if cand.spelled and not cand.scaled and not _counts_a_claim(doc, cand):
            continue
        found.append(cand)
        i = max(i, cand.end)
    return found


def _join_ranges(doc: Doc, found: list[_Candidate]) -> None:
    """Share scale, unit and object across a range ("10-15 million", "between 5 and 6")."""
    for a, b in itertools.pairwise(found):
        joiner = doc[a.end : b.start]
        if len(joiner) != 1 or joiner[0].lower_ not in RANGE_JOINERS:
            continue
        if doc[a.start].lower_ == "between":
            if joiner[0].lower_ != "and":
                continue
        elif joiner[0].lower_ == "and" or a.scaled or (a.unit is not None and not a.currency):
            continue
        elif a.start > 0 and doc[a.start - 1].lower_ == "from":
            continue  # "from 10 to 15 million" is a change, not a range
        elif a.base >= b.base or not (b.scaled or b.unit is not None or a.object is None):
            continue  # "voted 287 to 55" is a tally
        if b.scaled and not a.scaled and b.base:
            a.value = a.base * (b.value / b.base)
        a.unit, b.unit = a.unit or b.unit, b.unit or a.unit
        a.object = b.object = b.object or a.object
        a.approximate = b.approximate = True
