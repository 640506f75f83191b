"""The rules: one compiled pattern and one handler per kind of time expression."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from detente.annotate.timexpr._calendar import (
    _add_months,
    _day_in_year,
    _month_number,
    _month_ok,
    _month_year,
    _number,
    _span,
    _valid,
    _weekday,
    _weekday_date,
)
from detente.annotate.timexpr._model import Precision, _Ctx, _Hit, _Rule
from detente.annotate.timexpr._patterns import (
    _DASH,
    _DAY,
    _EDGE,
    _MON,
    _NUM,
    _ORD,
    _PART,
    _TIME_PREP,
    _UNRESOLVED,
    _VAGUE,
)

#: Years a bare four-digit number may name (outside: an amount, a model number, a street).
YEAR_MIN = 1800
YEAR_MAX = 2099
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
