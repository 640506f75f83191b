"""Event dates: time expressions in a sentence, resolved against the publication date.

Pure rules (compiled regular expressions, no model): :func:`find_times` lists every time
expression of a sentence (a spaCy ``Span`` or a plain string) as a :class:`TimeMention`,
:func:`resolve` resolves one expression. ``date`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``
(``precision`` ``day``, ``month`` or ``year``), or None when the expression is a time but
says no date we can compute. Conventions (CODEBOOK "Dates"; eval set date_resolution_cases):

- **Weekdays.** "Sunday", "on Sunday", "this Sunday": the most recent Sunday on or before
  publication (the publication day itself when it is a Sunday); in a future clause the first
  on or after it. "last Sunday": strictly before; "next Sunday": strictly after.
- **Months.** "in July", "mid-July", "late June", "back in March": that month of the
  publication year if it has begun, else of the year before (future clause: this year if not
  yet over, else next year); "last November": the most recent November strictly before the
  publication month. Precision ``month``: the eval set's habit of pinning a month to the
  publication's day of month is deliberately not followed.
- **Days.** "July 15", "15 July": the publication year unless that is more than
  ``FUTURE_GRACE_DAYS`` after publication, then the year before ("a runoff on May 28" in a May
  19 story is this May 28, told in the present tense); "the 15th": the publication month
  unless that is after publication, then the month before; with a year, as written. Numeric
  dates are day-first when the first number is over 12, else month-first (US wire style).
- **Years.** "in 2017", "2017-2018", "last year", "earlier this year", "late last year":
  precision ``year``. A bare number counts as a year only where it reads like one (after "in",
  "since", "by", …, or before punctuation): "the 2024 election" and "2000 people" are not dates.
- **Spans** (weeks, weekends, "last month", "earlier this month"): the finest precision that
  holds the whole span: "last week" is its month when Monday to Sunday lie in one month, else
  its year (None if it straddles New Year). The eval set leaves "last week" unresolved; we
  give the month because a month is known and the story date would be wrong.
- **Offsets.** "two days ago" (day), "three weeks ago" (day: 21 days back), "two months ago"
  (month), "a year ago" (year); "a week before March 10" shifts the date it precedes.
  "a few days ago", "decades ago", "two days later" (anaphoric) stay None.
- **Ranges** ("from 2014 to 2016", "March 15-20", "March to April 2024", "Monday to
  Wednesday") are one mention dated by their start; a start without a year takes the end's.
- **Unresolved** (mentions with ``date`` None, so the caller does not fall back to the story
  date): decades ("the 1990s"), seasons ("last summer", "spring 2019"), holidays ("last
  Ramadan", "Christmas Day"), halves of years, "recently", "soon", "in recent months", "over
  the years", anaphora ("the day before", "that day", "the following week").
- Times of day ("2 p.m.") and durations ("for three days", "120 days") are not dates.

Future tense: ``future=True``, or, per mention, the verb the expression attaches to carries
"will"/"shall" or is governed by "is to", "is due to", "is set to", "is scheduled to",
"is expected to" (spaCy span); for a plain string the same words anywhere in it.
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from detente.extract.dates import _MONTHS

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["TimeMention", "find_times", "resolve"]

LOGGER = logging.getLogger(__name__)

#: Years a bare four-digit number may name (outside: an amount, a model number, a street).
YEAR_MIN = 1800
YEAR_MAX = 2099
#: Longest text scanned per call: a sentence is far shorter; this bounds work on junk input.
MAX_TEXT = 5_000
#: Days after publication a month-day without a year may lie and keep the publication year: a
#: scheduled event told in the present ("heads into a runoff on May 28"). Beyond it the date is
#: taken as last year's (the eval set's "August 15" in mid-May is last August: keep this < 90).
FUTURE_GRACE_DAYS = 31
#: Words right before a bare number that make it a year ("in 2017", "since 2014").
YEAR_CUES = frozenset(
    {
        "in", "since", "by", "of", "from", "until", "till", "to", "through", "between", "and",
        "during", "before", "after", "early", "late", "mid", "year", "years", "fiscal",
        "around", "circa", "c.", "about", "spring", "summer", "autumn", "fall", "winter",
    }
)  # fmt: skip
#: Words right after a bare number that still let it be a year ("2014 to 2016", "2017 when").
YEAR_FOLLOWERS = frozenset(
    {"and", "to", "through", "until", "till", "or", "when", "after", "before", "onwards"}
)
#: Heads that make a ``to``-infinitive future: "is to visit", "is due to sign".
FUTURE_HEADS = frozenset({"be", "due", "set", "schedule", "expect", "plan", "go"})
#: Heads climbed from a time expression's attachment (a noun: "talks on Sunday") to its verb.
FUTURE_DEPTH = 3

Precision = str  # "day" | "month" | "year"

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_NUM = r"(?:\d{1,4}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_VAGUE = r"(?:a\s+few|a\s+couple(?:\s+of)?|several|some|many|few|couple\s+of)"
_MON = (
    r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept\.?|sep\.?|oct\.?|"
    r"nov\.?|dec\.?)(?![\w])"
)
_DAY = (
    r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"tues\.?|tue\.?|thurs\.?|thur\.?|thu\.?|fri\.?|sat\.|sun\.|mon\.|wed\.)(?![\w])"
)
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_ORD = r"(?:st|nd|rd|th)?"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_EDGE = r"(?:early|mid|late|(?:the\s+)?(?:beginning|start|end|middle)\s+of)"
_DASH = r"\s*(?:-|–|—|to|through|thru|until|till)\s*"


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression at ``[start, end)`` of the text, with its resolved date."""

    start: int
    end: int
    text: str
    date: str | None
    precision: str | None
    anchor_token: int | None


@dataclass(frozen=True, slots=True)
class _Hit:
    """A candidate expression: resolved date, and what range merging needs."""

    start: int
    end: int
    day: date | None  # a representative day (first day of the month/year for coarse ones)
    precision: Precision | None
    kind: str  # "md" (month-day), "month", "year", "offset", "other"
    year_explicit: bool = False
    offset: tuple[int, str, int] | None = None  # (n, unit, sign) of "a week before"


@dataclass(frozen=True, slots=True)
class _Ctx:
    """What every rule needs: the publication date, tense and the text."""

    pub: date
    future: bool
    text: str


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], _Ctx], _Hit | None]]


# --- calendar helpers -------------------------------------------------------------------


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


# --- rules ------------------------------------------------------------------------------


def _iso(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    """2019-08-01, 2019-08-01T14:30:00."""
    d = date(int(m["y"]), int(m["m"]), int(m["d"]))
    return _Hit(m.start(), m.end(), d, "day", "md", year_explicit=True)


def _numeric(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    """13/05/2025, 05/13/2025, 15.8.2004: day-first when the first number exceeds 12."""
    a, b, year = int(m["a"]), int(m["b"]), int(m["y"])
    day_first = a > 12 or m["sep"] == "."
    month, day = (b, a) if day_first else (a, b)
    d = date(year, month, day)
    return _Hit(m.start(), m.end(), d, "day", "md", year_explicit=True)


def _month_day(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    """July 15, 15 July, Oct. 7, 2023, March 15-20, the 15th of July."""
    if not _month_ok(m["mon"], alone=False):
        return None
    month = _month_number(m["mon"])
    day = int(m["d1"])
    if month is None or not 1 <= day <= 31:
        return None
    year = int(m["y"]) if m["y"] else None
    d = date(year, month, day) if year else _day_in_year(ctx.pub, month, day, ctx.future)
    return _Hit(m.start(), m.end(), d, "day", "md", year_explicit=bool(m["y"]))


def _month(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    """In July, mid-July, late June, last November, July 2016, the end of March."""
    if not _month_ok(m["mon"], alone=not m["y"]):
        return None
    month = _month_number(m["mon"])
    if month is None:
        return None
    bare_may = m["mon"].lower() == "may" and not (m["y"] or m["rel"] or m["edge"])
    if bare_may and ctx.text.strip() != m[0] and not _TIME_PREP.search(ctx.text[: m.start()]):
        return None  # "May" alone is the modal verb unless a preposition of time precedes it
    rel = (m["rel"] or "").lower()
    year = int(m["y"]) if m["y"] else _month_year(ctx.pub, month, rel, ctx.future)
    return _Hit(m.start(), m.end(), date(year, month, 1), "month", "month", bool(m["y"]))


def _ordinal(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    """ "the 15th": that day of the publication month, else of the month before."""
    day = int(m["d"])
    pub = ctx.pub
    step = 1 if ctx.future else -1
    first = pub.replace(day=1)
    for months in (0, step):
        base = _add_months(first, months)
        if not _valid(base.year, base.month, day):
            continue
        d = base.replace(day=day)
        if (d >= pub) if ctx.future else (d <= pub):
            return _Hit(m.start(), m.end(), d, "day", "other")
    return None


def _weekday_rule(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    """Sunday, on Sunday, last Sunday, next Friday, Thursday evening, late Friday, Tues."""
    weekday = _weekday(m["wd"])
    if weekday is None:
        return None
    d = _weekday_date(ctx.pub, weekday, (m["rel"] or "").lower(), ctx.future)
    return _Hit(m.start(), m.end(), d, "day", "other")


def _deictic(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    """Yesterday, today, tonight, this morning, last night, overnight, tomorrow."""
    word = re.sub(r"\s+", " ", m[0].lower())
    shift = 0
    if "before yesterday" in word:
        shift = -2
    elif "after tomorrow" in word:
        shift = 2
    elif word.startswith(("yesterday", "last", "overnight")):
        shift = -1
    elif word.startswith("tomorrow"):
        shift = 1
    return _Hit(m.start(), m.end(), ctx.pub + timedelta(days=shift), "day", "other")


def _relative_unit(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    """This/last/next week, weekend, month, year, with early/late/mid/the end of."""
    rel = re.sub(r"^the\s+", "", (m["rel"] or "").lower())
    unit = m["unit"].lower()
    pub = ctx.pub
    if rel in {"following", "next"} and m["rel"].lower().startswith("the"):
        return _Hit(m.start(), m.end(), None, None, "other")  # anaphoric: "the next week"
    if rel == "" and not m["edge"] and unit != "weekend":
        return None  # "the year", "the month" alone
    step = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}.get(rel, 0)
    if unit == "year":
        if rel == "past":
            first, last = pub - timedelta(days=365), pub
        else:
            y = pub.year + step
            first, last = date(y, 1, 1), date(y, 12, 31)
    elif unit == "month":
        if rel == "past":
            first, last = _add_months(pub, -1), pub
        else:
            first = _add_months(pub.replace(day=1), step)
            last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    elif unit == "week":
        if rel == "past":
            first, last = pub - timedelta(days=7), pub
        else:
            first = pub - timedelta(days=pub.weekday()) + timedelta(weeks=step)
            last = first + timedelta(days=6)
    else:  # weekend
        sat = pub - timedelta(days=(pub.weekday() - 5) % 7)
        if step > 0 or (step == 0 and rel == "this" and ctx.future) or (step == 0 and ctx.future):
            sat = pub + timedelta(days=(5 - pub.weekday()) % 7 or (7 if step > 0 else 0))
        elif step < 0 and pub.weekday() >= 5:
            sat -= timedelta(days=7)
        first, last = sat, sat + timedelta(days=1)
    d, precision = _span(first, last)
    return _Hit(m.start(), m.end(), d, precision, "year" if unit == "year" else "other")


def _ago(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    """Two days ago, three weeks ago, a year ago, 5-day-old; "two days later" stays None."""
    n = _number(m["n"]) if m["n"] else None
    unit = m["unit"].lower().rstrip("s")
    direction = (m.groupdict().get("dir") or "ago").lower()
    if n is None or unit == "decade":
        return _Hit(m.start(), m.end(), None, None, "other")
    if direction != "ago":
        sign = -1 if direction in {"before", "earlier"} else 1
        return _Hit(m.start(), m.end(), None, None, "offset", offset=(n, unit, sign))
    d, precision = _shift(ctx.pub, "day", n, unit, -1)
    return _Hit(m.start(), m.end(), d, precision, "other")


def _shift(
    base: date, precision: Precision, n: int, unit: str, sign: int
) -> tuple[date | None, Precision | None]:
    """``base`` moved by ``n`` units; the result is no finer than the unit allows."""
    if unit in {"day", "week"}:
        if precision != "day":
            return None, None
        return base + timedelta(days=sign * n * (7 if unit == "week" else 1)), "day"
    if unit == "month":
        if precision == "year":
            return None, None
        return _add_months(base, sign * n), "month"
    return base.replace(year=base.year + sign * n, month=1, day=1), "year"


def _year(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    """In 2017, since 2014, late 2019: only where the number reads as a year."""
    year = int(m["y"])
    if not YEAR_MIN <= year <= YEAR_MAX:
        return None
    if not m["edge"] and ctx.text.strip() != m[0]:
        before = ctx.text[: m.start()].split()
        after = ctx.text[m.end() :]
        cue = bool(before) and before[-1].lower() in YEAR_CUES
        follow = re.match(r"\s*(?:$|[,.;:!?)\]\"”'–—-]|(\w+))", after)
        ends_ok = follow is not None and (
            follow.group(1) is None or follow.group(1).lower() in YEAR_FOLLOWERS
        )
        if not cue and not ends_ok:
            return None
        if re.match(r"[.,]\d", after) or (before and before[-1][-1:] in "$€£"):
            return None  # "2017.5", "$2017"
    return _Hit(m.start(), m.end(), date(year, 1, 1), "year", "year", year_explicit=True)


def _quarter(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    """Q2 2023, the third quarter of 2019: the year (we have no quarter precision)."""
    return _Hit(m.start(), m.end(), date(int(m["y"]), 1, 1), "year", "year", True)


def _unresolved(m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    """A time that names no date we can compute."""
    if m[0].lower().startswith("fall") and not re.search(
        r"\b(?:the|this|last|next|in|of|early|late|mid)\s*-?$", ctx.text[: m.start()], re.I
    ):
        return None  # "prices fall" is a verb
    return _Hit(m.start(), m.end(), None, None, "other")


_UNRESOLVED = "|".join(
    (
        r"(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?:1[89]|20)\d0s|'\d0s",
        r"(?:(?:early|late|mid|last|next|this|past)[\s-]+)?(?:the\s+)?"
        r"(?:spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?\d{4})?",
        r"(?:(?:last|this|next|during|the)\s+)?(?:ramadan|eid(?:\s+al-\w+)?|christmas(?:\s+(?:day|eve))?"
        r"|easter|thanksgiving|new\s+year(?:'s)?(?:\s+(?:day|eve))?|nowruz|hanukkah|passover"
        r"|diwali|yom\s+kippur|lent|independence\s+day|victory\s+day)",
        r"(?:the\s+)?(?:first|second|latter|last)\s+half\s+of\s+(?:the\s+year|last\s+year"
        r"|this\s+year|\d{4})",
        r"recently(?!\s+as\b)|lately|soon|in\s+recent\s+(?:days|weeks|months|years|decades|times)",
        r"(?:in|over|during)\s+the\s+(?:past|last|coming|next)\s+(?:(?:few|several|two|three|four"
        r"|five|six|ten|\d+)\s+)?(?:days|weeks|months|years|decades)",
        r"over\s+the\s+(?:years|decades|months)|for\s+(?:years|decades)",
        r"(?:the\s+)?(?:day|week|month|year)\s+(?:before|after|earlier|later)",
        r"(?:that|the\s+same|the\s+next|the\s+following|the\s+previous)\s+(?:day|night|morning"
        r"|evening|week|weekend|month)|at\s+the\s+time",
    )
)

_RULES: list[_Rule] = [
    (
        re.compile(
            r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:T[\d:.]+(?:Z|[+-][\d:]+)?)?(?!\d)"
        ),
        _iso,
    ),
    (
        re.compile(r"(?<![\d/.])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})\b"),
        _numeric,
    ),
    (
        re.compile(
            r"(?:\b"
            + _DAY.replace("?P<wd>", "?:")
            + r",?\s+)?\b"
            + _MON
            + r"\s+(?P<d1>\d{1,2})"
            + _ORD
            + r"(?![\d:])(?:"
            + _DASH
            + r"(?:"
            + _MON.replace("?P<mon>", "?:")
            + r"\s+)?\d{1,2}"
            + _ORD
            + r"(?![\d:]))?(?:,?\s+(?P<y>\d{4})(?!\d))?",
            re.IGNORECASE,
        ),
        _month_day,
    ),
    (
        re.compile(
            r"(?:\b"
            + _DAY.replace("?P<wd>", "?:")
            + r",?\s+)?\b(?:the\s+)?(?P<d1>\d{1,2})"
            + _ORD
            + r"(?:"
            + _DASH
            + r"\d{1,2}"
            + _ORD
            + r")?\s+(?:of\s+)?"
            + _MON
            + r"(?:,?\s+(?P<y>\d{4})(?!\d))?",
            re.IGNORECASE,
        ),
        _month_day,
    ),
    (
        re.compile(
            r"\b(?:(?P<edge>" + _EDGE + r"|(?:first|second|third|fourth|last)\s+week\s+of)"
            r"[\s-]+)?(?:(?P<rel>last|next|this|past|coming|previous)\s+)?"
            + _MON
            + r"(?:,?\s+(?:of\s+)?(?P<y>\d{4})(?!\d))?",
            re.IGNORECASE,
        ),
        _month,
    ),
    (
        re.compile(r"\bthe\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b(?=\s*(?:[,.;:!?)]|$))", re.I),
        _ordinal,
    ),
    (
        re.compile(
            r"\b(?:(?:early|late)\s+)?(?:(?P<rel>last|next|this|past|coming|previous)\s+)?"
            + _DAY
            + _PART,
            re.IGNORECASE,
        ),
        _weekday_rule,
    ),
    (
        re.compile(
            r"\b(?:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow"
            r"|(?:yesterday|tomorrow)" + _PART + r"|today|tonight|overnight"
            r"|this\s+(?:morning|afternoon|evening)|last\s+(?:night|evening))\b",
            re.IGNORECASE,
        ),
        _deictic,
    ),
    (
        re.compile(
            r"\b(?:(?P<edge>" + _EDGE + r"|earlier|later)[\s-]+)?(?P<rel>this|last|next|past|"
            r"previous|coming|the\s+past|the\s+previous|the\s+coming|the\s+next|the\s+following|"
            r"the)\s+(?P<unit>week|weekend|month|year)\b",
            re.IGNORECASE,
        ),
        _relative_unit,
    ),
    (
        re.compile(
            r"\b(?:(?:about|around|nearly|almost|roughly|some|more\s+than|less\s+than|over|"
            r"up\s+to|just|only|exactly|at\s+least)\s+)?(?:(?P<n>"
            + _NUM
            + r")|"
            + _VAGUE
            + r")\s+(?P<unit>days?|weeks?|months?|years?|decades?)\s+"
            r"(?P<dir>ago|earlier|later|before|after)\b",
            re.IGNORECASE,
        ),
        _ago,
    ),
    (
        re.compile(r"\b(?P<n>" + _NUM + r")-(?P<unit>day|week|month|year)-old\b", re.I),
        _ago,
    ),
    (
        re.compile(
            r"\b(?:Q(?P<q>[1-4])|(?:the\s+)?(?:first|second|third|fourth)\s+quarter\s+of)"
            r"\s+(?P<y>\d{4})\b",
            re.IGNORECASE,
        ),
        _quarter,
    ),
    (
        re.compile(
            r"\b(?:(?P<edge>" + _EDGE + r")[\s-]+)?(?P<y>\d{4})\b(?!\s*(?:s\b|'s\b|%|-\d{1,2}-))",
            re.IGNORECASE,
        ),
        _year,
    ),
    (re.compile(r"\b(?:" + _UNRESOLVED + r")\b", re.IGNORECASE), _unresolved),
]

_TIME_PREP = re.compile(r"\b(?:in|since|until|till|by|of|from|during)\s+$", re.IGNORECASE)
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|through|thru|until|till|and)\s*$", re.IGNORECASE)
_RANGE_OPEN = re.compile(r"\b(?:from|between)\s+$", re.IGNORECASE)
_FUTURE_TEXT = re.compile(
    r"\b(?:will|shall|won't|wo\s+n't)\b|'ll\b|\b(?:is|are|am)\s+(?:(?:due|set|scheduled|"
    r"expected|going|planning)\s+)?to\s+(?!be\s+\w+ed\b)\w+",
    re.IGNORECASE,
)


# --- scanning ---------------------------------------------------------------------------


def _candidates(ctx: _Ctx) -> list[_Hit]:
    """Every rule's matches, overlaps resolved: the longest wins, then the earlier rule."""
    found: list[tuple[int, int, _Hit]] = []
    for order, (pattern, handler) in enumerate(_RULES):
        for match in pattern.finditer(ctx.text):
            try:
                hit = handler(match, ctx)
            except (ValueError, OverflowError, KeyError):
                hit = None  # an impossible date ("February 30"), a year out of range
            if hit is not None and hit.end > hit.start:
                found.append((hit.start - hit.end, order, hit))
    found.sort(key=lambda item: (item[0], item[1], item[2].start))
    taken: list[_Hit] = []
    for _, _, hit in found:
        if all(hit.end <= other.start or hit.start >= other.end for other in taken):
            taken.append(hit)
    return sorted(taken, key=lambda hit: hit.start)


def _combine(hits: list[_Hit], ctx: _Ctx) -> list[_Hit]:
    """Join "a week before" to the date it precedes and a range's ends into one hit."""
    out: list[_Hit] = []
    for hit in hits:
        prev = out[-1] if out else None
        if prev is None:
            out.append(hit)
            continue
        gap = ctx.text[prev.end : hit.start]
        if prev.kind == "offset" and prev.offset and not gap.strip() and hit.day and hit.precision:
            n, unit, sign = prev.offset
            try:
                d, precision = _shift(hit.day, hit.precision, n, unit, sign)
            except (ValueError, OverflowError):
                d, precision = None, None
            out[-1] = replace(prev, end=hit.end, day=d, precision=precision, kind="other")
            continue
        joined = _RANGE_GAP.fullmatch(gap) or (not gap.strip() and False)
        is_and = gap.strip().lower() == "and"
        opened = _RANGE_OPEN.search(ctx.text[: prev.start]) is not None
        if joined and (opened or not is_and) and prev.day is not None and hit.day is not None:
            start = prev
            if not prev.year_explicit and hit.year_explicit and prev.kind in {"md", "month"}:
                year = hit.day.year - (1 if prev.day.month > hit.day.month else 0)
                try:
                    start = replace(prev, day=prev.day.replace(year=year))
                except ValueError:
                    start = prev
            out[-1] = replace(start, end=hit.end)
            continue
        out.append(hit)
    return out


def _scan(text: str, published: date, future: bool) -> list[_Hit]:
    """The hits of ``text`` with ``future`` applied to every one."""
    ctx = _Ctx(published, future, text[:MAX_TEXT])
    return _combine(_candidates(ctx), ctx)


# --- spaCy attachment and tense ---------------------------------------------------------


def _anchor(span: Span, start: int, end: int) -> Token | None:
    """The token outside the expression that it attaches to (through prepositions)."""
    espan = span.doc.char_span(start, end, alignment_mode="expand")
    if espan is None or len(espan) == 0:
        return None
    root = espan.root
    head = root.head
    # spaCy makes a new Token object on each access: compare indices, never identity
    while head.pos_ == "ADP" and head.head.i != head.i:
        head = head.head
    return head


def _future_token(token: Token) -> bool:
    """Whether the verb governing ``token`` is future: "will meet", "is (due) to meet"."""
    verb = token
    for _ in range(FUTURE_DEPTH):
        if verb.pos_ in {"VERB", "AUX"} or verb.head.i == verb.i:
            break
        verb = verb.head
    if any(c.dep_ == "aux" and c.lower_ in {"will", "shall", "'ll", "wo"} for c in verb.children):
        return True
    if not any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children):
        return False
    head = verb.head
    if head is verb or head.lemma_ not in FUTURE_HEADS:
        return False
    auxes = [c for c in head.children if c.dep_ in {"aux", "auxpass", "cop"}]
    return head.tag_ != "VBD" and not any(c.tag_ == "VBD" for c in auxes)


# --- public API -------------------------------------------------------------------------


def find_times(
    span_or_text: Span | str, published: date, *, future: bool = False
) -> list[TimeMention]:
    """Every time expression in a sentence (spaCy ``Span`` or string), resolved."""
    if isinstance(span_or_text, str):
        text, base, span = span_or_text, 0, None
    else:
        text, base, span = span_or_text.text, span_or_text.start_char, span_or_text
    if not text:
        return []
    text_future = future or (span is None and _FUTURE_TEXT.search(text[:MAX_TEXT]) is not None)
    past_hits = _scan(text, published, text_future)
    future_hits: list[_Hit] | None = None
    mentions: list[TimeMention] = []
    for hit in past_hits:
        anchor: Token | None = None
        if span is not None:
            anchor = _anchor(span, base + hit.start, base + hit.end)
            if not future and anchor is not None and _future_token(anchor):
                if future_hits is None:
                    future_hits = _scan(text, published, True)
                same = [h for h in future_hits if (h.start, h.end) == (hit.start, hit.end)]
                hit = same[0] if same else hit
        mentions.append(
            TimeMention(
                start=base + hit.start,
                end=base + hit.end,
                text=text[hit.start : hit.end],
                date=_fmt(hit.day, hit.precision),
                precision=hit.precision if hit.day is not None else None,
                anchor_token=anchor.i if anchor is not None else None,
            )
        )
    LOGGER.debug("find_times %r: %d mentions", text[:60], len(mentions))
    return mentions


def resolve(
    expression: str, published: date, *, future: bool = False
) -> tuple[str | None, str | None]:
    """One expression → (date, precision); (None, None) when it names no date."""
    mentions = find_times(expression, published, future=future)
    if not mentions:
        return None, None
    return mentions[0].date, mentions[0].precision
