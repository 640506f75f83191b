"""Publication dates from datelines, free text and URLs.

Only full dates (day, month and year) count as publication dates here: a bare year is what a
copyright footer gives, and a month without a day says too little for an article's date.
Every function returns ``None`` rather than raising on input it cannot read.
"""

from __future__ import annotations

import re
from datetime import date

#: Earliest and latest years accepted as publication years (outside: a typo or a version number).
MIN_YEAR = 1990
MAX_YEAR = 2100

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = (
    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?\s+"
)
_TIME = (
    r"(?:\s*(?:,|at|\||-|–)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*(?:[A-Z]{2,5}|[+-]\d{2}:?\d{2}|UTC|GMT)(?:\s*[+-]\d{1,2})?)?)?"
)
_PREFIX = r"(?:(?:published|posted|updated|last updated|date|dated|on)\s*:?\s*)?"

# "May 29, 2023", "Tue Aug 9, 2016 12:51PM", "Aug. 9 2016"
_MDY = _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
# "29 May 2023", "24 November 2015 14:05 GMT", "9th of August, 2016"
_DMY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>\d{4})"
# "2023-05-29", "2023/05/29"
_ISO = r"(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})(?:T[\d:.]+(?:Z|[+-][\d:]+)?)?"
# "29.05.2023" (day first, as in most of Europe)
_DOTTED = r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})"

_PATTERNS = [re.compile(p, re.IGNORECASE) for p in (_MDY, _DMY, _ISO, _DOTTED)]
_LINE_PATTERNS = [
    re.compile(
        r"^\s*" + _PREFIX + r"(?:" + _WEEKDAY + r")?" + p + _TIME + r"\s*$",
        re.IGNORECASE,
    )
    for p in (_MDY, _DMY, _ISO, _DOTTED)
]
_URL_DATE = re.compile(
    r"/(?P<year>(?:19|20)\d{2})[/-](?P<month>[01]?\d)[/-](?P<day>[0-3]?\d)(?=[/_.-]|$)"
    r"|/(?P<cyear>(?:19|20)\d{2})(?P<cmonth>[01]\d)(?P<cday>[0-3]\d)(?=[/_.-])"
)


def _build(year: str, month: str, day: str) -> date | None:
    """A date from its parts, or None when they do not make a valid date in range."""
    try:
        m = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
        d = date(int(year), m, int(day))
    except (KeyError, ValueError):
        return None
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        return None
    return d


def _from_match(match: re.Match[str]) -> date | None:
    return _build(match.group("year"), match.group("month"), match.group("day"))


def parse_dateline(line: str) -> date | None:
    """The date of a line that is only a date (with weekday, time, "Published:"), else None."""
    if len(line) > 80:
        return None
    for pattern in _LINE_PATTERNS:
        match = pattern.match(line)
        if match:
            return _from_match(match)
    return None


def find_date(text: str) -> date | None:
    """The first full date written anywhere in ``text``, else None."""
    for pattern in _PATTERNS:
        match = pattern.search(text[:10_000])
        if match:
            found = _from_match(match)
            if found:
                return found
    return None


def date_from_url(url: str | None) -> date | None:
    """The date in a URL path such as ``/2023/05/29/`` or ``/20230529-``, else None."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    if not match:
        return None
    if match.group("year"):
        return _build(match.group("year"), match.group("month"), match.group("day"))
    return _build(match.group("cyear"), match.group("cmonth"), match.group("cday"))


def parse_iso_date(value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` date (a timestamp's date part counts), else None."""
    if not value:
        return None
    match = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if not match:
        return None
    return _build(*match.groups())
