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
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from detente.annotate.nlp import doc_text
from detente.model import Amount

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["find_amounts"]

logger = logging.getLogger(__name__)


def _split(text: str, sep: str | None = None) -> list[str]:
    """The words of a constant written as one string (easier to read and edit than a list)."""
    return text.split(sep)


def _words(text: str) -> frozenset[str]:
    """A constant set of words written as one space-separated string."""
    return frozenset(_split(text))


# The tables below were drawn from the news style of examples/articles and ../shared/samples;
# tests/test_amounts.py pins every decision they encode: re-run it after changing any of them.

# Digits as news prints them: "38,000", "5.1", ".5", with an optional glued scale ("2.5bn", "3m").
# A "." after a suffix lets "62B." (a sentence end the tokenizer left attached) match; it stays
# out of the span ("1." alone is a list marker, not read).
NUMBER_RE = re.compile(
    r"(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:(?P<suffix>bn|mn|mln|tn|trn|[bmk])\.?)?",
    re.IGNORECASE,
)
# Words other than numbers that can open a spelled number ("a million", "half a million").
OPENING_WORDS = frozenset({"a", "an", "half"})
# Scale words, as separate tokens or glued suffixes (a glued "m" is million: "£3m").
SCALES: dict[str, int] = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
    "trn": 10**12,
}
# One-letter scales count only when glued to the digits ("3m"), not as words ("3 m").
GLUED_ONLY_SCALES = frozenset({"m", "b", "k"})
# Scales that are words, not abbreviations: the ones a spelled-out number can carry.
SCALE_WORDS = frozenset({"thousand", "million", "billion", "trillion"})
# Spelled-out numbers read word by word ("twenty-five", "three hundred", "a dozen").
NUMBER_WORDS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        _split(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
} | {
    w: 10 * i
    for i, w in enumerate(_split("twenty thirty forty fifty sixty seventy eighty ninety"), 2)
}
# Qualifiers that make an amount approximate (lower-case token sequences; longest match wins).
QUALIFIERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(q.split())
    for q in _split(
        "nearly|almost|about|around|roughly|approximately|approx.|some|over|under|above|below|"
        "circa|estimated|an estimated|up to|at least|at most|more than|less than|fewer than|"
        "no more than|no fewer than|not more than|no less than|close to|upwards of|"
        "in excess of|as many as|as much as|as few as|as little as|just over|just under|"
        "well over|well under|slightly more than|slightly less than|a little over|between|"
        "an average of|on average",
        "|",
    )
)
# Trailing qualifiers: "300 or more", "20 or so".
TRAILING_QUALIFIERS: tuple[tuple[str, ...], ...] = (("or", "more"), ("or", "so"), ("or", "less"))
# Currency symbols (whole tokens, as spaCy splits them: "$", "US$", "C$", "€").
CURRENCY_SYMBOLS: dict[str, str] = {
    "$": "USD", "US$": "USD", "U.S.$": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD",
    "AU$": "AUD", "HK$": "HKD", "NZ$": "NZD", "S$": "SGD", "€": "EUR", "£": "GBP", "¥": "JPY",
    "₽": "RUB", "₺": "TRY", "₴": "UAH", "₹": "INR", "₪": "ILS", "₩": "KRW", "₸": "KZT",
}  # fmt: skip
# ISO 4217 codes recognised before or after a number ("RUB 10 trillion"); common words left out.
CURRENCY_CODES = _words(
    "USD EUR GBP RUB TRY CNY UAH IRR JPY CAD AUD CHF INR ILS SAR AED QAR KZT AZN GEL AMD BYN "
    "PLN SEK NOK DKK HUF CZK RON EGP IQD SYP LBP KRW HKD SGD NZD BRL MXN ZAR PKR TWD"
)
# Currency names after a number and their default code (None: ambiguous without an adjective).
CURRENCY_WORDS: dict[str, str | None] = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
    "pounds": "GBP", "sterling": "GBP", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB",
    "rubles": "RUB", "lira": "TRY", "liras": "TRY", "yuan": "CNY", "renminbi": "CNY",
    "hryvnia": "UAH", "hryvnias": "UAH", "hryvnas": "UAH", "rial": "IRR", "rials": "IRR",
    "riyal": "SAR", "riyals": "SAR", "yen": "JPY", "rupee": "INR", "rupees": "INR",
    "shekel": "ILS", "shekels": "ILS", "manat": "AZN", "tenge": "KZT", "lari": "GEL",
    "zloty": "PLN", "zlotys": "PLN", "forint": "HUF", "forints": "HUF", "dinar": None,
    "dinars": None, "francs": None, "franc": None,
}  # fmt: skip
# Adjectives that change a currency word's code ("Canadian dollars" is CAD, not USD).
CURRENCY_ADJECTIVES: dict[str, str] = {
    "us": "USD", "u.s.": "USD", "american": "USD", "canadian": "CAD", "australian": "AUD",
    "hong kong": "HKD", "new zealand": "NZD", "singapore": "SGD", "taiwan": "TWD",
    "egyptian": "EGP", "lebanese": "LBP", "syrian": "SYP", "british": "GBP", "pakistani": "PKR",
    "indian": "INR", "iranian": "IRR", "saudi": "SAR", "qatari": "QAR", "iraqi": "IQD",
    "jordanian": "JOD", "kuwaiti": "KWD", "swiss": "CHF", "turkish": "TRY", "russian": "RUB",
    "chinese": "CNY", "ukrainian": "UAH", "japanese": "JPY", "israeli": "ILS",
}  # fmt: skip
# Units after a number: token sequence -> (canonical unit, extra multiplier). Longest match wins.
UNITS: dict[tuple[str, ...], tuple[str, int]] = {
    ("%",): ("percent", 1), ("percent",): ("percent", 1), ("per", "cent"): ("percent", 1),
    ("pct",): ("percent", 1), ("percentage", "points"): ("percentage points", 1),
    ("percentage", "point"): ("percentage points", 1),
    ("tonnes",): ("tonnes", 1), ("tonne",): ("tonnes", 1), ("tons",): ("tonnes", 1),
    ("ton",): ("tonnes", 1), ("metric", "tons"): ("tonnes", 1), ("metric", "tonnes"): ("tonnes", 1),
    ("barrels",): ("barrels", 1), ("barrel",): ("barrels", 1), ("bbl",): ("barrels", 1),
    ("barrels", "per", "day"): ("barrels per day", 1),
    ("barrels", "a", "day"): ("barrels per day", 1),
    ("bpd",): ("barrels per day", 1), ("b/d",): ("barrels per day", 1),
    ("bcm",): ("cubic metres", 10**9), ("tcm",): ("cubic metres", 10**12),
    ("cubic", "metres"): ("cubic metres", 1), ("cubic", "meters"): ("cubic metres", 1),
    ("cubic", "feet"): ("cubic feet", 1),
    ("km",): ("km", 1), ("kilometres",): ("km", 1), ("kilometers",): ("km", 1),
    ("kilometre",): ("km", 1), ("kilometer",): ("km", 1), ("miles",): ("miles", 1),
    ("mile",): ("miles", 1), ("nautical", "miles"): ("nautical miles", 1),
    ("metres",): ("metres", 1), ("meters",): ("metres", 1),
    ("square", "kilometres"): ("square km", 1), ("square", "kilometers"): ("square km", 1),
    ("square", "km"): ("square km", 1), ("sq", "km"): ("square km", 1), ("km2",): ("square km", 1),
    ("square", "miles"): ("square miles", 1), ("hectares",): ("hectares", 1),
    ("acres",): ("acres", 1), ("kg",): ("kg", 1), ("kilograms",): ("kg", 1),
    ("litres",): ("litres", 1), ("liters",): ("litres", 1),
    ("mw",): ("MW", 1), ("megawatts",): ("MW", 1), ("gw",): ("GW", 1), ("gigawatts",): ("GW", 1),
    ("kwh",): ("kWh", 1), ("mwh",): ("MWh", 1), ("gwh",): ("GWh", 1), ("twh",): ("TWh", 1),
}  # fmt: skip
# Longest unit or qualifier looked for, in tokens.
MAX_PHRASE = 3
# Words after a number that make it a duration, not an amount ("two months", "120 days").
DURATION_WORDS = _words(
    "year years month months week weeks day days hour hours minute minutes second seconds "
    "decade decades century centuries"
)
# Words after a number that make it a ratio or a frequency ("ten times", "three-fold").
RATIO_WORDS = _words("times fold")
# Words after a number that make it a clock time ("2 p.m.", "14 GMT").
TIME_WORDS = _words("a.m. p.m. am pm gmt utc cet cest est edt bst msk o'clock hrs")
# Month names and abbreviations (without the dot): a small number next to one is a day.
MONTHS = _words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
# Capitalised words a number after which is a name or a reference ("Route 66", "Section 231").
NAME_PREFIXES = _words(
    "route section article resolution chapter flight highway paragraph room gate block building "
    "apollo boeing airbus windows level phase title amendment protocol no. no number vol. page "
    "decree law code terminal platform line unit reactor group brigade division regiment "
    "battalion corps squadron channel formula vision"
)
# Abbreviations that, with a dot, make the next number a reference ("No. 1", "Art. 5").
REFERENCE_ABBREVIATIONS = _words("no nos art para vol p pp fig ch")
# Entity labels that mean the number is part of a name when the entity also holds a word.
NAME_LABELS = _words("ORG PRODUCT FAC LAW EVENT WORK_OF_ART PERSON GPE LOC NORP LANGUAGE")
# Entity labels of dates and times: a number inside one (with words of its own) is no amount.
DATE_LABELS = frozenset({"DATE", "TIME"})
# Verbs of saying: "X rose, he said, but stood at ..." parses "stood" as a conjunct of "said".
SAY_VERBS = _words("say tell add note")
# Determiners that make a spelled-out small number a reference ("the two leaders").
DEFINITE = _words("the these those this that both its their his her our my your whose")
# Head nouns that only make sense with their "of" complement ("volume of trade").
GENERIC_HEADS = _words(
    "volume value amount number total level share cost price sum size worth toll figure rate "
    "members part budget bill output exports imports supply supplies"
)
# Verbs whose subject is what a figure measures ("trade reaches $62 billion", "cost is $5m").
MEASURE_VERBS = _words(
    "be reach total amount stand hit exceed top surpass cost equal approach near rise grow "
    "increase fall drop decline climb jump dip slip shrink double triple soar plunge estimate "
    "value put peg set remain hover"
)
# Verbs whose direct object is what a figure measures ("raise trade to $100 billion").
TRANSITIVE_CHANGE_VERBS = _words(
    "raise lift boost increase bring push cut reduce lower double triple expand take"
)
# Dependency labels of left modifiers kept in an object noun phrase.
NP_LEFT_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod"})
# Range joiners: "10-15 million", "10 to 15 million", "between 10 and 20".
RANGE_JOINERS = frozenset({"-", "–", "—", "to", "and", "or"})
# Bounds on a day of the month and a year, for the date rules.
MAX_DAY = 31
YEAR_RANGE = (1000, 2100)


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
