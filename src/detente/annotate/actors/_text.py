"""Accent folding and date parsing shared by the actor tables and the resolver."""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from functools import lru_cache

# Letters that NFKD does not decompose into a base letter plus a combining mark.
_SPECIAL = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ß": "ss",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "‐": "-",
        "‑": "-",
        "–": "-",
        "—": "-",
    }
)
#: Transliterations of one given name that news spells several ways ("Mohammed", "Muhammad",
#: "Mohamed"): the gazetteer reads each as the first form, so a table row written one way
#: matches the others. Whole folded words only; add a family when a table name misses its
#: variants in text (then re-run ``detente eval actors``).
_SPELLINGS = {
    variant: family[0]
    for family in (
        ("mohamed", "mohammed", "muhammad", "mohammad", "muhammed", "mohamad", "mohammod"),
        ("ahmed", "ahmad"),
        ("abdul", "abdel", "abdoul"),
        ("yusuf", "yousef", "youssef", "yousif", "yousuf", "yusef"),
        ("hassan", "hasan"),
        ("sergei", "sergey", "serhiy", "serhii"),
        ("alexei", "alexey", "aleksei", "aleksey", "oleksiy", "oleksii"),
        ("andrei", "andrey", "andriy", "andrii"),
        ("dmitry", "dmitri", "dmitriy", "dmytro"),
        ("yuri", "yury", "yuriy", "yurii"),
        ("yevgeny", "evgeny", "yevgeniy", "evgeni", "yevhen"),
        ("mikhail", "mykhailo"),
    )
    for variant in family
}
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase ``text`` and strip its diacritics: ``"Erdoğan"`` → ``"erdogan"``."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold().translate(_SPECIAL)


def spelling(word: str) -> str:
    """The one form of a folded transliteration variant: ``"muhammad"`` → ``"mohamed"``."""
    return _SPELLINGS.get(word, word)


def parse_bound(value: str, *, end: bool) -> date | None:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a partial ``end`` covers its whole period.

    Start dates are inclusive and end dates exclusive (the day the successor takes office), so a
    partial end such as ``2023-06`` becomes ``2023-07-01``.
    """
    value = value.strip()
    if not value:
        return None
    match = _PARTIAL_DATE.match(value)
    if match is None:
        raise ValueError(f"bad date {value!r}: write YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        return _bound(*match.groups(), end=end)
    except ValueError as err:
        raise ValueError(f"bad date {value!r}: {err}") from err


def _bound(year: str, month: str | None, day: str | None, *, end: bool) -> date:
    """The date a validated ``YYYY[-MM[-DD]]`` stands for (see :func:`parse_bound`)."""
    if day is not None and month is not None:
        return date(int(year), int(month), int(day))
    if month is not None:
        if not end:
            return date(int(year), int(month), 1)
        last = calendar.monthrange(int(year), int(month))[1]
        return date.fromordinal(date(int(year), int(month), last).toordinal() + 1)
    return date(int(year) + 1, 1, 1) if end else date(int(year), 1, 1)


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``, as a set (for word-list constants)."""
    return frozenset(text.split())
