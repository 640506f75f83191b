"""Word tables of amounts: number shapes, scales, qualifiers, currencies, units, vetoes."""

from __future__ import annotations

import re


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
