"""Evaluation gate: actor resolution on NGEC's expectations must not fall below its floors.

The floors are keys ``ngec_*`` of ``eval_floors.json`` (measured figures rounded down to 3
decimals; they only go up). The set lives in ../shared/eval; the gate skips when it is absent.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from detente.evaluation.actors import (
    CONVENTIONS,
    FIGURES,
    NGEC_ROLE_MAP,
    ActorEvaluation,
    eval_ngec_actors,
)

FLOORS = {
    name: floor
    for name, floor in json.loads(
        Path(__file__).with_name("eval_floors.json").read_text(encoding="utf-8")
    ).items()
    if name.startswith("ngec_")
}


def _eval_root() -> Path | None:
    try:
        from detente.evaluation.extraction import locate_eval_root
    except ImportError:  # pragma: no cover - the extraction evaluation is optional here
        root = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
        return root if root.is_dir() else None
    return locate_eval_root()


EVAL_ROOT = _eval_root()


@pytest.fixture(scope="module")
def evaluation() -> ActorEvaluation:
    if EVAL_ROOT is None or not (EVAL_ROOT / "ngec_actor_resolution_tests").is_dir():
        pytest.skip("../shared/eval/ngec_actor_resolution_tests is absent")
    return eval_ngec_actors(EVAL_ROOT)


def test_floors_are_pinned_for_known_figures() -> None:
    assert {"ngec_country_accuracy", "ngec_role_accuracy"} <= set(FLOORS)
    for name, floor in FLOORS.items():
        assert name in FIGURES, f"{name} is not a figure of the NGEC evaluation"
        assert isinstance(floor, float) and 0.0 < floor <= 1.0
        assert round(floor, 3) == floor


@pytest.mark.eval
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_figure_meets_its_floor(evaluation: ActorEvaluation, name: str) -> None:
    assert evaluation.figures[name] >= FLOORS[name], evaluation.format()


@pytest.mark.eval
def test_report_shapes(evaluation: ActorEvaluation) -> None:
    data = evaluation.to_dict()
    assert set(data["figures"]) <= set(FIGURES)
    assert data["counts"]["cases"] > 300
    assert "ngec_country_accuracy" in evaluation.format()
    json.dumps(data)  # JSON-ready


def test_every_ngec_code_we_map_is_explained() -> None:
    for code in NGEC_ROLE_MAP:
        if code:
            assert code in CONVENTIONS or code in ("UNK", "JNK"), code


def test_scoring_on_a_tiny_set(tmp_path: Path) -> None:
    folder = tmp_path / "ngec_actor_resolution_tests"
    folder.mkdir()
    rows = [
        {
            "test": "t1",
            "xfail": False,
            "call": "agent_to_code",
            "args": ["Kremlin"],
            "field": "country",
            "op": "Eq",
            "expected": "RUS",
            "result_var": "code",
        },
        {
            "test": "t1",
            "xfail": False,
            "call": "agent_to_code",
            "args": ["Kremlin"],
            "field": "code_1",
            "op": "Eq",
            "expected": "GOV",
            "result_var": "code",
        },
        {
            "test": "t2",
            "xfail": True,
            "call": "agent_to_code",
            "args": ["NATO", "", "today"],
            "field": "country",
            "op": "Eq",
            "expected": "IGO",
            "result_var": "code",
        },
        {
            "test": "t3",
            "xfail": False,
            "call": "agent_to_code",
            "args": ["puppies"],
            "field": None,
            "op": "Is",
            "expected": None,
            "result_var": "code",
        },
        {
            "test": "t4",
            "xfail": False,
            "call": "agent_to_code",
            "args": ["Joe Biden", "", "1 January 2016"],
            "field": "code_1",
            "op": "Eq",
            "expected": "ELI",
            "result_var": "code",
        },
    ]
    (folder / "ngec_actor_resolution_cases.jsonl").write_text(
        "\n".join(json.dumps(r) for r in rows), encoding="utf-8"
    )
    result = eval_ngec_actors(tmp_path, today=date(2022, 11, 1))
    assert result.figures["ngec_country_accuracy"] == 1.0
    assert result.figures["ngec_country_accuracy_no_xfail"] == 1.0
    assert result.counts["ngec_country_accuracy_no_xfail"] == 1
    assert result.figures["ngec_none_accuracy"] == 1.0
    assert result.figures["ngec_role_accuracy"] == 0.5  # Biden was in office in 2016
    assert [f.text for f in result.failures] == ["Joe Biden"]
