"""Evaluation gates: the event coder on plover_gsr, cameo_conflibert_multirater, petrarch2.

The floors are the keys of ``eval_floors.json`` that :data:`detente.evaluation.events.FIGURES`
names (measured figures on the test splits, rounded down to 3 decimals; they only go up). The
sets live in ../shared/eval; the gates skip when it is absent. The whole run takes ~10 s after
the model loads. The report is written to ``build/eval/events.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detente.evaluation.events import (
    FIGURES,
    EventEvaluation,
    convert_petrarch_actors,
    gsr_split,
    main_event,
    petrarch_codings,
    run_event_eval,
)
from detente.evaluation.extraction import locate_eval_root
from detente.model import Actor, Event, Mention

ROOT = Path(__file__).resolve().parent.parent
REPORT_FILE = ROOT / "build" / "eval" / "events.json"
FLOORS = {
    name: floor
    for name, floor in json.loads(
        Path(__file__).with_name("eval_floors.json").read_text(encoding="utf-8")
    ).items()
    if name in FIGURES
}
EVAL_ROOT = locate_eval_root()


@pytest.fixture(scope="module")
def evaluation() -> EventEvaluation:
    if EVAL_ROOT is None or not (EVAL_ROOT / "plover_gsr").is_dir():
        pytest.skip("../shared/eval is absent")
    result = run_event_eval(EVAL_ROOT)
    REPORT_FILE.parent.mkdir(parents=True, exist_ok=True)
    REPORT_FILE.write_text(json.dumps(result.to_dict(), indent=2), encoding="utf-8")
    return result


def test_floors_are_pinned_for_known_figures() -> None:
    assert {"plover_gsr_type_accuracy", "conflibert_root_agreement", "petrarch2_reproduced"} <= set(
        FLOORS
    )
    for floor in FLOORS.values():
        assert isinstance(floor, float) and 0.0 < floor <= 1.0
        assert round(floor, 3) == floor


def test_split_is_stable_and_about_half() -> None:
    ids = [f"PLOVER-GSR01-AGREE-{n:04d}" for n in range(200)]
    assert [gsr_split(i) for i in ids] == [gsr_split(i) for i in ids]
    assert 60 < sum(gsr_split(i) == "test" for i in ids) < 140


def test_main_event_prefers_confidence_then_order() -> None:
    actor = Actor("Kenya", "KEN", "KEN", None, "country")
    m = Mention(0, 5, "Kenya", actor)
    a = Event(m, None, "051", trigger_start=10, confidence=0.6)
    b = Event(m, None, "111", trigger_start=2, confidence=0.6)
    c = Event(m, None, "190", trigger_start=1, confidence=0.4)
    assert main_event([b, a, c]) is b
    assert main_event([]) is None


def test_petrarch_dictionary_conversion(tmp_path: Path) -> None:
    text = """<!-- comment -->
ARNOR_  [ARN]
ARGENTIN  [ARG]
GONDOR [GON]
+MINAS_TIRITH
GOLLUM
+SMEAGOL
\t[HOB < 950601]
\t[HOBGOV 19950601 - 19990815]
"""
    back = convert_petrarch_actors(text, ["Argentina", "Argentine", "Arnor"], tmp_path / "a.csv")
    rows = (tmp_path / "a.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("name,aliases,country,role")
    assert any(r.startswith("Argentin,Argentina|Argentine,ARG,") for r in rows)
    assert any(r.startswith("Gondor,Minas Tirith,") for r in rows)
    assert sorted(back.values()) == ["ARN", "GON", "HOB"]
    gollum = [r for r in rows if r.startswith("Gollum")]
    assert len(gollum) == 2 and ",GOV," in gollum[1] and "1995-06-01" in gollum[1]

    from detente.annotate.actors import load_dictionary

    assert {e.name for e in load_dictionary(tmp_path / "a.csv")} >= {"Arnor", "Gondor", "Gollum"}


@pytest.mark.eval
def test_every_figure_is_computed(evaluation: EventEvaluation) -> None:
    assert set(evaluation.figures()) == set(FIGURES)
    assert "plover_gsr" in evaluation.format()


@pytest.mark.eval
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_figure_meets_its_floor(evaluation: EventEvaluation, name: str) -> None:
    measured = evaluation.figures()[name]
    assert measured >= FLOORS[name], (
        f"{name} fell to {measured:.4f}, below its floor {FLOORS[name]}; see {REPORT_FILE}"
    )


@pytest.mark.eval
def test_humans_agree_more_than_chance(evaluation: EventEvaluation) -> None:
    # the coders' own agreement is the yardstick the README quotes (0.45-0.80 per round)
    assert 0.45 <= evaluation.figures()["conflibert_human_pairwise"] <= 0.80


def test_petrarch_codings_read_a_symmetric_event_both_ways() -> None:
    def side(code: str) -> Mention:
        return Mention(0, 1, code, Actor(code, code, code[:3], code[3:] or None, "country"))

    met = Event(source=side("VNM"), target=side("TZAGOV"), cameo="050", symmetric=True)
    went = Event(source=side("VNM"), target=side("TZA"), cameo="042")
    denied = Event(source=side("TZA"), target=side("VNM"), cameo="111", negated=True)
    back = {"VNM": "CAL", "TZA": "GON"}
    assert petrarch_codings([met, went, denied], back) == {
        ("CAL", "GONGOV", "05"),
        ("GONGOV", "CAL", "05"),  # the symmetric event stands for both directions
        ("CAL", "GON", "04"),  # a visit only for the visitor's
    }


def test_petrarch_dates_restrict_before_the_default_and_igos_keep_their_code(
    tmp_path: Path,
) -> None:
    from datetime import date

    from detente.annotate.actors import load_dictionary

    text = """BREGO  [ROH]
\t[ROHGOV 20121109-20130119]
THE_LEAGUE [IGOLEA]
"""
    convert_petrarch_actors(text, [], tmp_path / "a.csv")
    entities = {e.name: e for e in load_dictionary(tmp_path / "a.csv")}
    brego = entities["Brego"]
    # PETRARCH: the restriction holds inside its dates, the default code elsewhere
    assert brego.actor(date(2012, 12, 1)).role == "GOV"
    assert brego.actor(date(2014, 1, 1)).role is None
    assert entities["The League"].actor(date(2014, 1, 1)).code == "IGOLEA"


def test_petrarch_dyads_count_a_negated_event() -> None:
    side = Mention(0, 1, "VNM", Actor("VNM", "VNMGOV", "VNM", "GOV", "person"))
    other = Mention(2, 3, "TZA", Actor("TZA", "TZA", "TZA", None, "country"))
    denied = Event(source=side, target=other, cameo="190", negated=True)
    back = {"VNM": "BRE", "TZA": "ERI"}
    assert petrarch_codings([denied], back) == set()  # no coding: the act did not happen
    assert petrarch_codings([denied], back, negated=True) == {("BREGOV", "ERI", "19")}
