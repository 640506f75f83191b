"""Reading a figure: digits or words with their scale, currency, unit and qualifiers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from detente.annotate.amounts._tables import (
    CURRENCY_ADJECTIVES,
    CURRENCY_CODES,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    GLUED_ONLY_SCALES,
    MAX_PHRASE,
    NUMBER_RE,
    NUMBER_WORDS,
    QUALIFIERS,
    SCALE_WORDS,
    SCALES,
    TRAILING_QUALIFIERS,
    UNITS,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(slots=True)
class _Candidate:
    """An amount being built: token bounds, value parts and what the context added."""

    start: int  # first token (qualifier or currency included)
    end: int  # token after the last one (unit included)
    core_start: int  # the number itself
    core_end: int
    base: Decimal  # the figure before the scale
    value: Decimal  # scale applied
    scaled: bool  # a scale word or suffix was read
    spelled: bool  # written in words only
    end_char: int  # char end of the span (a trailing "." of a token stays out)
    unit: str | None = None
    currency: bool = False
    approximate: bool = False
    object: str | None = None


def _read_number(doc: Doc, i: int, stop: int) -> _Candidate | None:
    """The number starting at token ``i`` (digits or words, with its scale), if one does."""
    tok = doc[i]
    m = NUMBER_RE.fullmatch(tok.text)
    if m:
        num, suffix = m.group("num"), (m.group("suffix") or "").lower()
        base = Decimal(num.replace(",", ""))
        value = base * SCALES[suffix] if suffix else base
        end_char = tok.idx + m.end("suffix" if suffix else "num")
        j = i + 1
        scaled = bool(suffix)
        while j < stop and _is_scale(doc, j):
            if doc[j].text == "-":
                j += 1
            value *= SCALES[doc[j].lower_]
            scaled = True
            end_char = doc[j].idx + len(doc[j].text)
            j += 1
        return _Candidate(i, j, i, j, base, value, scaled, False, end_char)
    return _read_words(doc, i, stop)


def _is_scale(doc: Doc, j: int) -> bool:
    """Whether token ``j`` (or a glued hyphen before a scale word) continues a scale."""
    tok = doc[j]
    if tok.text == "-" and not tok.whitespace_ and j + 1 < len(doc):
        nxt = doc[j + 1].lower_
        return nxt in SCALES and nxt not in GLUED_ONLY_SCALES and not doc[j - 1].whitespace_
    word = tok.lower_
    if word not in SCALES:
        return False
    return word not in GLUED_ONLY_SCALES or not doc[j - 1].whitespace_


def _read_words(doc: Doc, i: int, stop: int) -> _Candidate | None:
    """A spelled-out number ("two million", "twenty-five", "a dozen", "half a million")."""
    total, current, scaled, seen = Decimal(0), Decimal(0), False, False
    j = i
    while j < stop:
        word = doc[j].lower_
        nxt = doc[j + 1].lower_ if j + 1 < stop else ""
        if word in NUMBER_WORDS:
            current += NUMBER_WORDS[word]
        elif word in ("a", "an") and not seen and _scale_word_at(doc, j + 1):
            current = Decimal(1)
        elif word == "half" and not seen and nxt in ("a", "an") and _scale_word_at(doc, j + 2):
            current, j = Decimal("0.5"), j + 1  # "half a million": skip the "a"
        elif word == "hundred" and seen:
            current = (current or Decimal(1)) * 100
        elif word == "dozen" and seen:
            current = (current or Decimal(1)) * 12
        elif word in SCALE_WORDS and seen:
            total += (current or Decimal(1)) * SCALES[word]
            current, scaled = Decimal(0), True
        elif word == "-" and seen and nxt in NUMBER_WORDS and not doc[j - 1].whitespace_:
            pass  # "twenty-five"
        elif word == "and" and seen and nxt in NUMBER_WORDS and current >= 100:
            pass  # "two hundred and fifty"
        else:
            break
        seen = True
        j += 1
    if not seen:
        return None
    value = total + current
    end_char = doc[j - 1].idx + len(doc[j - 1].text)
    return _Candidate(i, j, i, j, value, value, scaled, True, end_char)


def _scale_word_at(doc: Doc, j: int) -> bool:
    """Whether token ``j`` is "hundred", "dozen" or a spelled scale ("a million")."""
    return j < len(doc) and doc[j].lower_ in ("hundred", "dozen", *SCALE_WORDS)


def _match(doc: Doc, j: int, stop: int, table: dict[tuple[str, ...], tuple[str, int]]) -> int:
    """Length of the longest phrase of ``table`` starting at token ``j`` (0 if none)."""
    for n in range(MAX_PHRASE, 0, -1):
        if j + n <= stop and tuple(t.lower_ for t in doc[j : j + n]) in table:
            return n
    return 0


def _extend_left(doc: Doc, cand: _Candidate, floor: int) -> None:
    """Take in a currency symbol or code and a qualifier before the number."""
    k = cand.core_start - 1
    if k >= floor and doc[k].text in CURRENCY_SYMBOLS:
        cand.unit, cand.currency, cand.start = CURRENCY_SYMBOLS[doc[k].text], True, k
        if doc[k].text == "$" and k - 1 >= floor and doc[k - 1].text in ("US", "U.S."):
            cand.start = k - 1
        k = cand.start - 1
    elif k >= floor and doc[k].text in CURRENCY_CODES:
        cand.unit, cand.currency, cand.start = doc[k].text, True, k
        k -= 1
    if k >= floor and doc[k].lower_ in ("minus", "−"):  # "a net rating of minus 41"
        cand.value, cand.base, cand.start, k = -cand.value, -cand.base, k, k - 1
    for n in range(MAX_PHRASE, 0, -1):
        if k - n + 1 >= floor and tuple(t.lower_ for t in doc[k - n + 1 : k + 1]) in QUALIFIERS:
            cand.start, cand.approximate = k - n + 1, True
            break


def _extend_right(doc: Doc, cand: _Candidate, stop: int) -> None:
    """Take in a currency word or code, or a unit, and a trailing qualifier after the number."""
    j = cand.core_end
    # "a 1.5-billion-dollar loan", "a 300-km border": a glued hyphen before the unit
    glued = j < stop and doc[j].text == "-" and not doc[j - 1].whitespace_
    k = j + 1 if glued and not doc[j].whitespace_ else j
    if not cand.currency:
        code, n = _currency_after(doc, k, stop)
        if n:
            cand.unit, cand.currency, j = code, True, k + n
        elif n := _match(doc, k, stop, UNITS):
            unit, factor = UNITS[tuple(t.lower_ for t in doc[k : k + n])]
            cand.unit, cand.value, j = unit, cand.value * factor, k + n
    n = 2 if j + 2 <= stop and (doc[j].lower_, doc[j + 1].lower_) in TRAILING_QUALIFIERS else 0
    if n:
        cand.approximate, j = True, j + n
    if j != cand.core_end:
        cand.end, cand.end_char = j, doc[j - 1].idx + len(doc[j - 1].text)


def _currency_after(doc: Doc, j: int, stop: int) -> tuple[str | None, int]:
    """The currency named at token ``j`` ("US dollars", "roubles", "USD") and its length."""
    if j >= stop:
        return None, 0
    if doc[j].text in CURRENCY_CODES:
        return doc[j].text, 1
    for n_adj in (2, 1, 0):
        k = j + n_adj
        if k >= stop or doc[k].lower_ not in CURRENCY_WORDS:
            continue
        adjective = " ".join(t.lower_ for t in doc[j:k])
        if n_adj and adjective not in CURRENCY_ADJECTIVES:
            continue
        word = doc[k].lower_
        if word.startswith("pound") and k + 1 < stop and doc[k + 1].lower_ == "of":
            return "pounds", 1  # weight: "five pounds of rice"
        code = CURRENCY_ADJECTIVES[adjective] if n_adj else CURRENCY_WORDS[word]
        if code is None:
            return None, 0
        return code, n_adj + 1
    return None, 0
