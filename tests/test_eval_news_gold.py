"""Our own gold for real news: its files, the scoring, and the gates (with ../shared/eval)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from detente.evaluation.extraction import locate_eval_root
from detente.evaluation.news_events import (
    EVENT_FIGURES,
    GOLD_EVENTS,
    NewsEventScores,
    eval_news_events,
    score_events,
)
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
from detente.model import Actor, Event, Mention, Quote

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


def _event(
    source: str | None, target: str | None, cameo: str, sentence: tuple[int, int], **flags: Any
) -> Event:
    def side(code: str | None) -> Mention | None:
        if code is None:
            return None
        country = None if code.startswith("IGO") else code[:3]
        return Mention(0, 1, "x", Actor(code, code, country, code[3:] or None))

    return Event(
        side(source),
        side(target),
        cameo,
        sentence_start=sentence[0],
        sentence_end=sentence[1],
        date=flags.pop("date", None),
        **flags,
    )


def _gold_event(
    source: str | None, target: str | None, cameo: str, start: int, end: int, **more: Any
) -> dict[str, Any]:
    record = {
        "file": "f",
        "start": start,
        "end": end,
        "source": source,
        "target": target,
        "cameo": cameo,
        "negated": False,
        "hypothetical": False,
        "date": None,
    }
    record.update(more)
    return record


def test_event_scoring_by_sentence_for_recall_and_by_article_for_precision() -> None:
    gold = [
        {"file": "f", "article": True, "start": 0, "end": 400},  # the article itself: skipped
        _gold_event("RUSGOV", "TURGOV", "042", 0, 50, date="2016-08-09"),
        _gold_event("TUR", "RUS", "055", 60, 100),
        _gold_event("USALEG", None, "111", 120, 160),  # one-sided, domestic
        _gold_event("USAGOV", "IRN", "036", 200, 240, hypothetical=True),  # not factual
    ]
    ours = [
        _event("RUS", "TUR", "040", (0, 50), date="2016-08-09"),  # right, dated right
        _event("RUSGOV", "TUR", "042", (300, 330)),  # a headline repeating it: right
        _event("TUR", "RUS", "055", (120, 160)),  # right pair, wrong sentence: not a find
        _event("USALEG", "USAGOV", "111", (120, 160)),  # a side the gold does not give
        _event("USAGOV", "IRN", "036", (200, 240), hypothetical=True),  # ignored
    ]
    scores = NewsEventScores()
    score_events(gold, ours, scores)
    figures = scores.figures()
    assert (scores.every.gold, scores.every.ours) == (3, 4)
    assert figures["news_events_recall"] == pytest.approx(1 / 3)
    assert figures["news_events_precision"] == pytest.approx(3 / 4)
    assert (scores.intl.gold, scores.intl.ours) == (2, 3)
    assert figures["news_events_intl_recall"] == 0.5
    assert figures["news_events_intl_precision"] == 1.0
    assert figures["news_events_date_accuracy"] == 1.0


def test_the_event_gold_is_large_enough_and_stored_as_offsets() -> None:
    records = _gold(GOLD_EVENTS)
    articles = [r for r in records if r.get("article")]
    assert len(articles) >= 40
    events = [r for r in records if not r.get("article")]
    assert len(events) >= 200
    for r in records:
        assert str(r["file"]).startswith(("train/", "dev/")), r["file"]
        assert not {"sentence", "source_text", "target_text", "text"} & set(r), r
        assert len(str(r["check"])) == 8
    for r in events:
        assert r["start"] <= r["trigger_start"] < r["trigger_end"] <= r["end"], r


@pytest.mark.eval
@needs_eval_data
def test_news_event_figures_meet_their_floors() -> None:
    assert EVAL_ROOT is not None
    figures = eval_news_events(EVAL_ROOT).figures()
    for name in EVENT_FIGURES:
        assert name in FLOORS, f"{name} has no floor in eval_floors.json: pin it"
        assert figures[name] >= FLOORS[name], f"{name} fell to {figures[name]:.4f}"
