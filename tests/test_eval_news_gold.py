"""Our own gold for real news: its files, the scoring, and the gates (with ../shared/eval)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from detente.evaluation.extraction import locate_eval_root
from detente.evaluation.news_gold import (
    ACTOR_FIGURES,
    GOLD_ACTORS,
    GOLD_SPEAKERS,
    SPEAKER_FIGURES,
    NewsActorScores,
    NewsSpeakerScores,
    eval_news_actors,
    eval_news_speakers,
    same_actor_name,
    score_actors,
    score_speakers,
)
from detente.model import Actor, Mention, Quote

FLOORS: dict[str, float] = json.loads(
    Path(__file__).with_name("eval_floors.json").read_text(encoding="utf-8")
)
EVAL_ROOT = locate_eval_root()
needs_eval_data = pytest.mark.skipif(EVAL_ROOT is None, reason="../shared/eval is absent")


def _gold(name: str) -> list[dict[str, object]]:
    path = Path(str(resources.files("detente") / "data" / "gold" / name))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_the_actor_gold_is_large_enough_and_consistent() -> None:
    records = _gold(GOLD_ACTORS)
    assert len(records) >= 700
    assert len({r["file"] for r in records}) >= 40
    for r in records:
        assert str(r["file"]).startswith(("train/", "dev/")), r["file"]  # never the test split
        assert "text" not in r and len(str(r["check"])) == 8  # offsets, never copies of text
        code, country, role = r["code"], r["country"], r["role"]
        if code and not str(code).startswith("IGO"):
            assert code == f"{country}{role or ''}", r


def test_the_speaker_gold_is_large_enough() -> None:
    records = _gold(GOLD_SPEAKERS)
    assert len(records) >= 100
    assert all(str(r["file"]).startswith(("train/", "dev/")) for r in records)


def _mention(
    start: int, end: int, code: str | None, country: str | None, role: str | None
) -> Mention:
    return Mention(start, end, "x" * (end - start), Actor("A", code, country, role))


def test_actor_scoring_matches_by_overlap_and_counts_bare_roles() -> None:
    gold = [
        {"start": 0, "end": 10, "name": "A", "code": "USAGOV", "country": "USA", "role": "GOV"},
        {"start": 20, "end": 25, "name": "B", "code": "USA", "country": "USA", "role": None},
        {"start": 40, "end": 45, "name": "C", "code": None, "country": None, "role": None},
        {"start": 60, "end": 65, "name": "D", "code": "RUS", "country": "RUS", "role": None},
    ]
    ours = [
        _mention(2, 8, "USAGOV", "USA", "GOV"),  # right
        _mention(20, 25, "GBR", "GBR", None),  # wrong country
        _mention(70, 80, "GOV", None, "GOV"),  # a bare role, matched to nothing
    ]
    scores = NewsActorScores()
    score_actors(gold, ours, scores)
    figures = scores.figures()
    assert figures["news_actor_code_accuracy"] == 0.5  # A, and C (no code, none given)
    assert figures["news_actor_country_accuracy"] == pytest.approx(1 / 3)
    assert figures["news_actor_coded"] == pytest.approx(2 / 3)  # D left uncoded
    assert figures["news_actor_roles_with_country"] == pytest.approx(2 / 3)


def test_speaker_names_compare_as_the_same_person() -> None:
    assert same_actor_name("Robert Rubin", "Robert E. Rubin")
    assert same_actor_name("The New York Times", "New York Times")
    assert same_actor_name("Recep Tayyip Erdoğan", "Recep Tayyip Erdogan")
    assert not same_actor_name("Hillary Clinton", "Bill Clinton")
    assert not same_actor_name("Hillary Clinton", None)


def test_speaker_scoring() -> None:
    speaker = Mention(0, 5, "Hilla", Actor("Hillary Clinton", "USAGOV", "USA", "GOV"))
    quotes = [Quote(10, 30, "q" * 20, True, speaker=speaker)]
    gold = [
        {"start": 12, "end": 28, "speaker": "Hillary Clinton"},
        {"start": 50, "end": 60, "speaker": "Donald Trump"},  # a quote we did not find
    ]
    scores = NewsSpeakerScores()
    score_speakers(gold, quotes, scores)
    assert scores.figures() == {"news_speaker_person_accuracy": 1.0, "news_speaker_found": 0.5}


@pytest.mark.eval
@needs_eval_data
def test_news_actor_figures_meet_their_floors() -> None:
    assert EVAL_ROOT is not None
    figures = eval_news_actors(EVAL_ROOT).figures()
    for name in ACTOR_FIGURES:
        assert name in FLOORS, f"{name} has no floor in eval_floors.json: pin it"
        assert figures[name] >= FLOORS[name], f"{name} fell to {figures[name]:.4f}"


@pytest.mark.eval
@needs_eval_data
def test_news_speaker_figures_meet_their_floors() -> None:
    assert EVAL_ROOT is not None
    figures = eval_news_speakers(EVAL_ROOT).figures()
    for name in SPEAKER_FIGURES:
        assert name in FLOORS, f"{name} has no floor in eval_floors.json: pin it"
        assert figures[name] >= FLOORS[name], f"{name} fell to {figures[name]:.4f}"
