"""Event-date resolution scored on date_resolution_cases, with floors from eval_floors.json."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from detente.evaluation.dates import FIGURES, DateCase, DateEvaluation, evaluate_dates, score_case
from detente.evaluation.extraction import locate_eval_root

FLOORS_FILE = Path(__file__).resolve().parent / "eval_floors.json"
EVAL_ROOT = locate_eval_root()


def _case(expected: str | None, granularity: str | None = None) -> DateCase:
    return DateCase("x", date(2025, 5, 16), expected, "exact", granularity)


def test_score_case_rules() -> None:
    assert score_case(_case(None), None, None)
    assert not score_case(_case(None), "2025", "year")
    assert not score_case(_case("2025-05-15"), None, None)
    assert score_case(_case("2024-02-15"), "2024-02", "month")  # NGEC's day-of-month pin
    assert not score_case(_case("2024-02-15"), "2024-03", "month")
    assert not score_case(_case("2025-05-15", "day"), "2025-05", "month")
    assert score_case(_case("2025-05-02", "week"), "2025-05", "month")
    assert score_case(_case("2023-04-01", "quarter"), "2023", "year")
    assert score_case(_case("2025-03"), "2025-03-16", "day")


def test_format_and_dict_name_every_figure() -> None:
    result = DateEvaluation()
    assert set(result.floors()) == set(FIGURES)
    assert "cases" in result.to_dict()
    assert "date_resolution_cases" in result.format()


@pytest.fixture(scope="module")
def measured() -> DateEvaluation:
    """The set scored once for this module."""
    if EVAL_ROOT is None or not (EVAL_ROOT / "date_resolution_cases").is_dir():
        pytest.skip("../shared/eval/date_resolution_cases is absent")
    return evaluate_dates(EVAL_ROOT)


@pytest.mark.eval
@pytest.mark.parametrize("key", FIGURES)
def test_dates_above_floor(measured: DateEvaluation, key: str) -> None:
    floors = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
    value = measured.floors()[key]
    assert value >= floors[key], f"{key}: {value:.4f} < floor {floors[key]}\n{measured.format()}"
