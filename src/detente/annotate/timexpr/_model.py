"""Internal records of time expressions: a candidate hit, the rules' context, precision."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

Precision = str  # "day" | "month" | "year"


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
