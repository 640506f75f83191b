"""Evaluation gates: extraction figures on ../shared/eval must not fall below the pinned floors.

The floors in ``eval_floors.json`` are measured figures rounded down to 3 decimals; they only
ever go up. The figures of the run are written to ``build/eval/extraction.json`` for the README.
Run just these with ``pytest -m eval``; they take about two minutes on two cores.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detente.evaluation.extraction import (
    FIGURES,
    ExtractionEvaluation,
    locate_eval_root,
    run_extraction_eval,
    shingle_counts,
    snippet_counts,
    zyte_scores,
)

ROOT = Path(__file__).resolve().parent.parent
FLOORS_FILE = Path(__file__).with_name("eval_floors.json")
REPORT_FILE = ROOT / "build" / "eval" / "extraction.json"
EVAL_ROOT = locate_eval_root()
ALL_FLOORS: dict[str, float] = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
# The floors of this module's figures; the actor and quote gates check their own keys.
FLOORS = {name: floor for name, floor in ALL_FLOORS.items() if name in FIGURES}

needs_eval_data = pytest.mark.skipif(
    EVAL_ROOT is None,
    reason="../shared/eval is absent (set DETENTE_EVAL_DIR to the folder of the eval sets)",
)


@pytest.fixture(scope="module")
def evaluation() -> ExtractionEvaluation:
    """Run the three sets once for this module and save the report."""
    if EVAL_ROOT is None:
        pytest.skip("../shared/eval is absent")
    result = run_extraction_eval(EVAL_ROOT, workers=2)
    REPORT_FILE.parent.mkdir(parents=True, exist_ok=True)
    REPORT_FILE.write_text(json.dumps(result.to_dict(), indent=2), encoding="utf-8")
    return result


def test_floors_file_is_sane() -> None:
    from detente.evaluation import actors as evaluation_actors
    from detente.evaluation import dates as evaluation_dates
    from detente.evaluation import quotes as evaluation_quotes

    assert FLOORS, "eval_floors.json pins no extraction figure"
    known = set(FIGURES) | set(evaluation_actors.FIGURES) | set(evaluation_quotes.FIGURES)
    known |= set(evaluation_dates.FIGURES)
    known |= set(__import__("detente.evaluation.geo", fromlist=["FIGURES"]).FIGURES)
    known |= set(__import__("detente.evaluation.events", fromlist=["FIGURES"]).FIGURES)
    known |= set(__import__("detente.evaluation.coref", fromlist=["FIGURES"]).FIGURES)
    news = __import__("detente.evaluation.news_gold", fromlist=["ACTOR_FIGURES"])
    known |= set(news.ACTOR_FIGURES) | set(news.SPEAKER_FIGURES)
    known |= set(__import__("detente.evaluation.news_events", fromlist=["F"]).EVENT_FIGURES)
    unknown = set(ALL_FLOORS) - known
    assert not unknown, f"eval_floors.json names figures we don't compute: {sorted(unknown)}"
    for name, floor in ALL_FLOORS.items():
        assert isinstance(floor, float), f"{name}: {floor!r} is not a number"
        assert 0.0 < floor <= 1.0, f"{name}: floor {floor} is outside (0, 1]"
        assert round(floor, 3) == floor, f"{name}: floor {floor} has more than 3 decimals"


@pytest.mark.eval
@needs_eval_data
def test_every_figure_is_computed(evaluation: ExtractionEvaluation) -> None:
    assert set(evaluation.figures()) == set(FIGURES)


@pytest.mark.eval
@needs_eval_data
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_figure_meets_its_floor(evaluation: ExtractionEvaluation, name: str) -> None:
    measured = evaluation.figures()[name]
    assert measured >= FLOORS[name], (
        f"{name} fell to {measured:.4f}, below its floor {FLOORS[name]}; see {REPORT_FILE}"
    )


@pytest.mark.eval
@needs_eval_data
@pytest.mark.parametrize("name", ["zyte", "trafilatura_snippets"])
def test_we_beat_trafilatura_defaults(evaluation: ExtractionEvaluation, name: str) -> None:
    result = next(r for r in evaluation.results if r.name == name)
    assert result.systems["detente"]["f1"] > result.systems["trafilatura"]["f1"]


@pytest.mark.eval
@needs_eval_data
def test_date_rule_costs_no_accuracy(evaluation: ExtractionEvaluation) -> None:
    dates = next(r for r in evaluation.results if r.name == "htmldate").systems
    assert dates["detente_date_rule"]["accuracy"] >= dates["htmldate_extensive"]["accuracy"]


# --- the scoring itself -----------------------------------------------------------------------
@pytest.mark.eval
@needs_eval_data
def test_zyte_scoring_reproduces_the_published_figures() -> None:
    # the benchmark's README reports readability-lxml at P 0.913, R 0.931, F1 0.922
    assert EVAL_ROOT is not None
    folder = EVAL_ROOT / "zyte_article_extraction_benchmark"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    stored = json.loads((folder / "output" / "readability.json").read_text(encoding="utf-8"))
    answers = stored.get("output", stored)
    scores = zyte_scores(
        shingle_counts(item["articleBody"], answers[key]["articleBody"] or "")
        for key, item in truth.items()
    )
    assert {name: round(value, 3) for name, value in scores.items()} == {
        "precision": 0.913,
        "recall": 0.931,
        "f1": 0.922,
    }


def test_shingles_of_identical_texts() -> None:
    assert shingle_counts("one two three four five", "one two three four five") == (1.0, 0.0, 0.0)


def test_shingles_count_repeats_and_short_texts() -> None:
    tp, fp, fn = shingle_counts("a b c d a b c d", "a b c d")
    assert (tp, fp, fn) == (0.2, 0.0, 0.8)  # 5 true shingles, 1 predicted, 1 shared
    assert shingle_counts("short text", "short text") == (1.0, 0.0, 0.0)


def test_empty_answer_costs_recall_only() -> None:
    scores = zyte_scores([shingle_counts("one two three four", ""), (1.0, 0.0, 0.0)])
    assert scores == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3)}


def test_snippets_match_across_whitespace() -> None:
    counts = snippet_counts(
        "Der  Text\nist da. Impressum", ["Text ist da."], ["Impressum", "Login"]
    )
    assert counts == (1, 1, 0, 1)
