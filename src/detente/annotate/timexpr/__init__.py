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

import logging
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from detente.annotate.timexpr._attach import _anchor, _future_token
from detente.annotate.timexpr._calendar import _fmt
from detente.annotate.timexpr._model import _Hit
from detente.annotate.timexpr._patterns import _FUTURE_TEXT
from detente.annotate.timexpr._scan import MAX_TEXT, _scan

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["TimeMention", "find_times", "resolve"]

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression at ``[start, end)`` of the text, with its resolved date."""

    start: int
    end: int
    text: str
    date: str | None
    precision: str | None
    anchor_token: int | None


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
