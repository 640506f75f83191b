"""Score event-date resolution (:mod:`detente.annotate.timexpr`) on ``date_resolution_cases``.

The set (``../shared/eval/date_resolution_cases``, derived from NGEC's resolver tests) gives,
per line, an expression, a publication date, the expected start (``YYYY``, ``YYYY-MM``,
``YYYY-MM-DD`` or null), a ``date_type`` (exact, approximate, range, unresolved; some lines
have none) and sometimes a ``granularity``. We resolve the expression with
:func:`~detente.annotate.timexpr.resolve` (past tense, as written) and score two figures:

``dates_accuracy``
    A null expectation is right only when we say None. Otherwise we must give a date, at
    least as fine as the case's stated granularity (day → day; week or month → month;
    quarter or year → year; none stated → any), that agrees with the expected start at the
    coarser of the two precisions. So "last month" → ``2024-02`` matches NGEC's
    ``2024-02-15`` (NGEC pins months to the publication's day of month, a convention we
    deliberately do not follow), while "yesterday" → ``2025`` would not pass a day case.
``dates_exact_accuracy``
    Our date string equals the expected start (both null counts).

Accuracy per ``date_type`` (``unspecified`` when absent) is reported for the first figure.
Known, deliberate disagreements: "last week" (we give its month; NGEC null), "the 1990s" (we
give None; NGEC 1990-01-01), "Wednesday, officials said" (NGEC null), "yesterday (Friday)"
(the first expression wins), "first week of June" in May (the month rule gives last June).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from detente.annotate.timexpr import resolve
from detente.errors import InputError

__all__ = [
    "CASES_DIR",
    "FIGURES",
    "DateCase",
    "DateEvaluation",
    "evaluate_dates",
    "load_cases",
    "score_case",
]

LOGGER = logging.getLogger(__name__)

#: The set's folder under the eval root, and its one data file.
CASES_DIR = "date_resolution_cases"
CASES_FILE = "ngec_date_resolution_cases.jsonl"
#: Every figure :meth:`DateEvaluation.floors` returns (the keys floors may pin).
FIGURES = ("dates_accuracy", "dates_exact_accuracy")

#: Our precisions, coarse to fine; and the coarsest of ours that passes a stated granularity.
_RANK = {"year": 0, "month": 1, "day": 2}
_REQUIRED = {"day": "day", "week": "month", "month": "month", "quarter": "year", "year": "year"}


@dataclass(frozen=True, slots=True)
class DateCase:
    """One line of the set."""

    expr: str
    published: date
    expected: str | None
    date_type: str
    granularity: str | None


def load_cases(root: Path) -> list[DateCase]:
    """The cases under ``root/date_resolution_cases``."""
    path = root / CASES_DIR / CASES_FILE
    if not path.is_file():
        raise InputError(f"{path} is missing; point DETENTE_EVAL_DIR at the eval sets folder")
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            cases.append(
                DateCase(
                    expr=row["expr"],
                    published=date.fromisoformat(row["pub_date"]),
                    expected=row.get("expected_start"),
                    date_type=row.get("date_type") or "unspecified",
                    granularity=row.get("granularity"),
                )
            )
        except (ValueError, KeyError) as err:
            raise InputError(f"{path}:{number}: unreadable case {line[:80]!r}") from err
    return cases


def _precision(value: str) -> str:
    """The precision of a ``YYYY[-MM[-DD]]`` string."""
    return {4: "year", 7: "month"}.get(len(value), "day")


def score_case(case: DateCase, got: str | None, precision: str | None) -> bool:
    """Whether ``got`` (at ``precision``) answers ``case`` (see the module docstring)."""
    if case.expected is None:
        return got is None
    if got is None or precision not in _RANK:
        return False
    required = _REQUIRED.get(case.granularity or "", "year")
    if _RANK[precision] < _RANK[required]:
        return False
    width = min(len(got), len(case.expected))
    return got[:width] == case.expected[:width]


@dataclass(slots=True)
class DateEvaluation:
    """Counts over the set, overall and per ``date_type``."""

    cases: int = 0
    right: int = 0
    exact: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    right_by_type: Counter[str] = field(default_factory=Counter)
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        """Share of cases answered (granularity-aware)."""
        return self.right / self.cases if self.cases else 0.0

    @property
    def exact_accuracy(self) -> float:
        """Share of cases whose date string is the expected one."""
        return self.exact / self.cases if self.cases else 0.0

    def type_accuracy(self) -> dict[str, float]:
        """Accuracy per ``date_type``."""
        return {t: self.right_by_type[t] / n for t, n in sorted(self.by_type.items())}

    def floors(self) -> dict[str, float]:
        """The figures pinned in ``tests/eval_floors.json``, by key."""
        return {"dates_accuracy": self.accuracy, "dates_exact_accuracy": self.exact_accuracy}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the counts, rates and misses."""
        return {
            "set": CASES_DIR,
            "cases": self.cases,
            "accuracy": round(self.accuracy, 4),
            "exact_accuracy": round(self.exact_accuracy, 4),
            "by_type": {
                t: {"cases": self.by_type[t], "accuracy": round(a, 4)}
                for t, a in self.type_accuracy().items()
            },
            "misses": self.misses,
        }

    def format(self) -> str:
        """A small plain-text table of the scores and the misses."""
        lines = [
            f"date_resolution_cases: {self.cases} cases, accuracy {self.accuracy:.3f}, "
            f"exact {self.exact_accuracy:.3f}",
            f"{'date_type':<14}{'cases':>6}{'accuracy':>10}",
        ]
        for t, a in self.type_accuracy().items():
            lines.append(f"{t:<14}{self.by_type[t]:>6}{a:>10.3f}")
        for miss in self.misses:
            lines.append(
                f"  miss: {miss['expr']!r} ({miss['pub_date']}): "
                f"expected {miss['expected']}, got {miss['got']}"
            )
        return "\n".join(lines)


def evaluate_dates(root: Path) -> DateEvaluation:
    """Resolve every case of the set under ``root`` and score it."""
    result = DateEvaluation()
    for case in load_cases(root):
        got, precision = resolve(case.expr, case.published)
        ok = score_case(case, got, precision)
        result.cases += 1
        result.right += ok
        result.exact += got == case.expected
        result.by_type[case.date_type] += 1
        result.right_by_type[case.date_type] += ok
        if not ok:
            result.misses.append(
                {
                    "expr": case.expr,
                    "pub_date": case.published.isoformat(),
                    "expected": case.expected,
                    "got": got,
                }
            )
    LOGGER.info("date_resolution_cases: accuracy %.3f over %d", result.accuracy, result.cases)
    return result
