"""Publication dates from datelines, free text and URLs.

Only full dates (day, month and year) count as publication dates here: a bare year is what a
copyright footer gives, and a month without a day says too little for an article's date.
Every function returns ``None`` rather than raising on input it cannot read.
"""

from __future__ import annotations

import re
from datetime import date, datetime

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


# --- dates given by people and programs: record fields, file names, options, API arguments ---

#: Settings for dateparser: absolute dates only (no "yesterday", no Unix timestamps: a number
#: is not trusted as a date) and all three parts required (no "January 2016" as Jan 7th).
_DATEPARSER_SETTINGS = {
    "PARSERS": ["absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.]+(?:Z|[+-][\d:]+)?)?")
_PARTIAL = re.compile(r"\d{4}(?:[-/.]\d{1,2})?|[A-Za-z]+\.?,?\s+\d{4}|\d{4}\s+[A-Za-z]+")
_NUMERIC_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})")
_RELATIVE = re.compile(
    r"\b(?:yesterday|today|tomorrow|now|ago|last|next|this|week|weeks|days?|months?|years?)\b",
    re.IGNORECASE,
)
_HOW = "write it as YYYY-MM-DD, e.g. 2016-01-05"


def read_date(value: object, *, publication: bool = True) -> date | None:
    """A day from a date, datetime, ``YYYYMMDD`` number or common spelling; None when empty.

    Raises ValueError with a reason for what is not one day: a bare year or month, a relative
    form ("yesterday", which would change meaning from one run to the next), an ambiguous
    ``05/01/2016``, a number that is not ``YYYYMMDD``. A timestamp counts as the day it names
    in its own timezone. ``publication`` also refuses years outside MIN_YEAR..MAX_YEAR.
    """
    if value is None or (isinstance(value, float) and value != value):  # None, NaN
        return None
    if isinstance(value, datetime):  # pandas.Timestamp too; before date: a datetime is a date
        return _in_range(value.date(), value, publication)
    if isinstance(value, date):
        return _in_range(value, value, publication)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{value!r} ({type(value).__name__}) is not a date; {_HOW}")
    text = str(value).strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}", text):
        raise ValueError(f"{value!r} is a year, not a day; {_HOW}")
    if isinstance(value, int) or text.isdigit():
        match = _COMPACT.fullmatch(text)
        if match is None:
            raise ValueError(f"{value!r} is a number, not a date; {_HOW} (or YYYYMMDD)")
        return _parts(match.groups(), value, publication)
    match = _YEAR_FIRST.fullmatch(text)
    if match is not None:
        return _parts(match.groups(), value, publication)
    prefix = parse_iso_date(text)  # "2016-01-05 (updated)": the day it starts with
    if prefix is not None:
        return prefix
    if _PARTIAL.fullmatch(text):
        raise ValueError(f"{value!r} names a year or a month, not a day; {_HOW}")
    numeric = _NUMERIC_DMY.fullmatch(text)
    if numeric is not None:
        first, second = int(numeric.group(1)), int(numeric.group(2))
        if first <= 12 and second <= 12 and first != second:
            raise ValueError(f"{value!r} could be day-month or month-day; {_HOW}")
    parsed = _dateparser(text)
    if parsed is None:
        if _RELATIVE.search(text):
            raise ValueError(
                f"{value!r} is a relative date, which would mean another day on the next run; "
                f"{_HOW}"
            )
        raise ValueError(f"{value!r} is not a date Detente can read; {_HOW}")
    return _in_range(parsed, value, publication)


def _dateparser(text: str) -> date | None:
    """dateparser's reading of an absolute date in English (limiting languages: 40x faster)."""
    import dateparser  # type: ignore[import-untyped, unused-ignore]

    found = dateparser.parse(text, languages=["en"], settings=_DATEPARSER_SETTINGS)
    return None if found is None else found.date()


def _parts(groups: tuple[str, ...] | list[str], value: object, publication: bool) -> date:
    """The day of year, month and day digits, or ValueError."""
    year, month, day = (int(g) for g in groups[:3])
    try:
        found = date(year, month, day)
    except ValueError:
        raise ValueError(f"{value!r} is not a day of the calendar; {_HOW}") from None
    return _in_range(found, value, publication)


def _in_range(found: date, value: object, publication: bool) -> date:
    """The date, or ValueError when a publication date lies outside MIN_YEAR..MAX_YEAR."""
    if publication and not MIN_YEAR <= found.year <= MAX_YEAR:
        raise ValueError(
            f"{value!r} is outside {MIN_YEAR}-{MAX_YEAR}, the years accepted as publication "
            "dates; check the value"
        )
    return found


def date_argument(value: object, name: str) -> str | None:
    """An option's or argument's date as ``YYYY-MM-DD`` (None stays None), else DetenteError."""
    from detente.errors import DetenteError

    try:
        day = read_date(value, publication=False)
    except ValueError as err:
        raise DetenteError(f"{name}: {err}") from None
    return None if day is None else day.isoformat()
