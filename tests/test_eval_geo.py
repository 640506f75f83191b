"""Place geocoding scored on geoparsing_gritta, with floors from eval_floors.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detente.evaluation.extraction import locate_eval_root
from detente.evaluation.geo import (
    FIGURES,
    GATE_EVERY,
    GEO_DIR,
    GeoArticle,
    GeoEvaluation,
    GoldToponym,
    evaluate_geoparsing,
    score_article,
)
from detente.model import Location

FLOORS_FILE = Path(__file__).resolve().parent / "eval_floors.json"
EVAL_ROOT = locate_eval_root()


def test_score_article_matches_by_overlap() -> None:
    text = "Talks in Tehran and Sochi."
    gold = (
        GoldToponym(9, 15, "Tehran", 35.69, 51.42, "IRN"),
        GoldToponym(20, 25, "Sochi", 43.6, 39.73, "RUS"),
    )
    found = [
        (9, 15, Location("Tehran", "IRN", 35.69, 51.42, "capital")),
        (19, 25, Location("Sochi", "USA", 10.0, 10.0, "city")),  # overlaps, wrong place
        (0, 5, Location("Talks", "FRA", 0.0, 0.0, "city")),  # no gold
    ]
    score = score_article(GeoArticle(text, gold), found)
    assert (score.gold, score.matched, score.within, score.same_country) == (2, 2, 1, 1)
    assert score.unmatched_found == 1
    assert score.recall == 1.0 and score.accuracy_161km == 0.5


def test_format_and_dict_name_every_figure() -> None:
    result = GeoEvaluation()
    assert set(result.floors()) == set(FIGURES)
    assert "overall" in result.to_dict()
    assert "Mordecai3" in result.format()


@pytest.fixture(scope="module")
def measured() -> GeoEvaluation:
    """A deterministic sample of the set (every GATE_EVERY-th article) scored once."""
    if EVAL_ROOT is None or not (EVAL_ROOT / GEO_DIR).is_dir():
        pytest.skip("../shared/eval/geoparsing_gritta is absent")
    return evaluate_geoparsing(EVAL_ROOT, every=GATE_EVERY)


@pytest.mark.eval
@pytest.mark.parametrize("key", FIGURES)
def test_geoparsing_above_floor(measured: GeoEvaluation, key: str) -> None:
    floors = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
    value = measured.floors()[key]
    assert value >= floors[key], f"{key}: {value:.4f} < floor {floors[key]}\n{measured.format()}"
