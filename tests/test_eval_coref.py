"""Event dedup scored on ECB+ cross-document event coreference; floors in eval_floors.json."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from detente.evaluation.coref import (
    ECBPLUS_DIR,
    FIGURES,
    PINNED,
    CorefEvaluation,
    EcbDocument,
    align,
    evaluate_ecbplus,
    read_document,
    score,
)
from detente.evaluation.extraction import locate_eval_root
from detente.evaluation.stories import score_ecbplus_stories
from detente.model import Actor, Event, Mention

ROOT = Path(__file__).resolve().parent.parent
FLOORS_FILE = Path(__file__).with_name("eval_floors.json")
REPORT_FILE = ROOT / "build" / "eval" / "ecbplus_coref.json"

XML = """<?xml version="1.0" encoding="UTF-8"?>
<Document doc_name="{name}.xml" doc_id="DOC1">
<token t_id="1" sentence="0" number="0">http://example.org/{name}</token>
<token t_id="2" sentence="1" number="0">Turkey</token>
<token t_id="3" sentence="1" number="1">'s</token>
<token t_id="4" sentence="1" number="2">army</token>
<token t_id="5" sentence="1" number="3">shot</token>
<token t_id="6" sentence="1" number="4">down</token>
<token t_id="7" sentence="1" number="5">a</token>
<token t_id="8" sentence="1" number="6">jet</token>
<token t_id="9" sentence="1" number="7">(</token>
<token t_id="10" sentence="1" number="8">officials</token>
<token t_id="11" sentence="1" number="9">said</token>
<token t_id="12" sentence="1" number="10">)</token>
<token t_id="13" sentence="1" number="11">.</token>
<token t_id="14" sentence="2" number="0">Russia</token>
<token t_id="15" sentence="2" number="1">protested</token>
<token t_id="16" sentence="2" number="2">.</token>
<Markables>
<ACTION_OCCURRENCE m_id="1"><token_anchor t_id="5"/><token_anchor t_id="6"/></ACTION_OCCURRENCE>
<ACTION_REPORTING m_id="2"><token_anchor t_id="11"/></ACTION_REPORTING>
<NEG_ACTION_OCCURRENCE m_id="3"><token_anchor t_id="15"/></NEG_ACTION_OCCURRENCE>
<HUMAN_PART_GPE m_id="4"><token_anchor t_id="2"/></HUMAN_PART_GPE>
<ACTION_OCCURRENCE m_id="9" RELATED_TO="" TAG_DESCRIPTOR="t1_shootdown" instance_id="ACT1"/>
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="1" note="ACT1"><source m_id="1"/><target m_id="9"/></CROSS_DOC_COREF>
</Relations>
</Document>
"""

TURMIL = Actor("Turkish Armed Forces", "TURMIL", "TUR", "MIL", "organization")
RUS = Actor("Russia", "RUS", "RUS", None, "country")


def _document(tmp_path: Path, name: str) -> EcbDocument:
    path = tmp_path / f"{name}.xml"
    path.write_text(XML.format(name=name), encoding="utf-8")
    return read_document(path, {1, 2})


def _event(
    document: EcbDocument, trigger: str, cameo: str = "190", date: str = "2015-11-24"
) -> Event:
    start = document.text.index(trigger)
    return Event(
        source=Mention(0, 6, "Turkey", TURMIL),
        target=Mention(0, 6, "Russia", RUS),
        cameo=cameo,
        trigger=trigger,
        trigger_start=start,
        trigger_end=start + len(trigger),
        date=date,
        date_precision="day",
        date_source="text",
    )


def test_read_document_rebuilds_text_and_keeps_action_mentions(tmp_path: Path) -> None:
    document = _document(tmp_path, "1_2ecbplus")
    assert document.text == "Turkey's army shot down a jet (officials said).\n\nRussia protested."
    assert document.topic == 1
    assert [(m.m_id, m.tag, m.chain) for m in document.mentions] == [
        ("1", "ACTION_OCCURRENCE", "ACT1"),
        ("2", "ACTION_REPORTING", None),
        ("3", "NEG_ACTION_OCCURRENCE", None),
    ]
    assert document.tokens_in(*_span(document.text, "shot down")) == {5, 6}


@pytest.mark.parametrize(
    ("words", "text"),
    [
        (["It", "cost", "$2", ".", "5", "million", "."], "It cost $2.5 million."),
        (["A", "6.", "1", "quake"], "A 6.1 quake"),
        (["at", "5", ":", "03pm", ":", "calm"], "at 5:03pm: calm"),
        (["a", "hit", "-", "and", "-", "run"], "a hit-and-run"),
        (
            ["Lohan", "’s", "“", "Mean", "Girls", "”", "(", "2004", ")"],
            "Lohan’s “Mean Girls” (2004)",
        ),
        (["it", "did", "n't", ",", "she", "'s", "sure", "..."], "it didn't, she's sure..."),
    ],
)
def test_read_document_joins_words_ecb_split(tmp_path: Path, words: list[str], text: str) -> None:
    tokens = "".join(
        f'<token t_id="{i}" sentence="1" number="{i}">{word}</token>\n'
        for i, word in enumerate(words, 1)
    )
    path = tmp_path / "5_1ecb.xml"
    path.write_text(f'<Document doc_name="5_1ecb.xml">\n{tokens}</Document>\n', encoding="utf-8")
    assert read_document(path).text == text


def test_read_document_keeps_only_selected_sentences(tmp_path: Path) -> None:
    path = tmp_path / "1_3ecb.xml"
    path.write_text(XML.format(name="1_3ecb"), encoding="utf-8")
    document = read_document(path, {2})
    assert [m.m_id for m in document.mentions] == ["3"]
    assert document.text.startswith(
        "http://example.org/1_3ecb\n\nTurkey's"
    )  # ecb: the URL line is kept


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def test_align_takes_the_largest_overlap_and_the_first_event(tmp_path: Path) -> None:
    document = _document(tmp_path, "1_2ecbplus")
    events = [_event(document, "down"), _event(document, "shot down"), _event(document, "jet")]
    assert align(document, events) == {"1": 0}
    assert align(document, [_event(document, "protested", "114")]) == {"3": 0}


def test_score_counts_cross_document_pairs(tmp_path: Path) -> None:
    one, two, three = (_document(tmp_path, f"1_{n}ecbplus") for n in (2, 3, 4))
    events = [
        [_event(one, "shot down"), _event(one, "protested", "114")],
        [_event(two, "shot down"), _event(two, "protested", "114")],
        [_event(three, "shot down", date="2015-11-25")],  # another day: not merged
    ]
    result = score([one, two, three], events)
    assert (result.documents, result.gold_mentions, result.gold_in_chains) == (3, 9, 3)
    assert (result.events, result.clusters, result.aligned) == (5, 3, 5)
    # gold links the three shoot-downs (3 pairs); "protested" mentions are in no chain
    assert (result.gold_pairs, result.predicted_pairs, result.true_pairs) == (3, 2, 1)
    assert result.precision == pytest.approx(0.5)
    assert result.recall == pytest.approx(1 / 3)
    assert result.f1 == pytest.approx(0.4)
    assert result.coverage == pytest.approx(5 / 9)
    # over every gold mention: the same 3 shoot-down pairs, since all of them are aligned
    assert result.gold_pairs_all == 3
    assert result.recall_all == pytest.approx(1 / 3)
    assert set(result.figures()) == set(FIGURES[:4])
    dated = result.dated = score([one, two], events[:2])
    assert (dated.predicted_pairs, dated.gold_pairs, dated.true_pairs) == (2, 1, 1)
    assert set(result.figures()) == set(FIGURES[:8])
    result.stories = score_ecbplus_stories([one, two, three], events)
    assert set(result.figures()) == set(FIGURES)
    assert result.to_dict()["stories"]["ecbplus_stories_precision"] == 1.0  # one sub-topic
    assert result.to_dict()["dated"]["ecbplus_coref_recall"] == 1.0
    assert json.dumps(result.to_dict())
    assert "precision 0.500" in result.format()


def test_recall_all_counts_gold_pairs_we_never_aligned(tmp_path: Path) -> None:
    one, two, three = (_document(tmp_path, f"1_{n}ecbplus") for n in (2, 3, 4))
    # the third article's shoot-down has no event of ours: its 2 gold pairs are out of the
    # aligned recall, but still count against recall over all gold pairs
    events = [[_event(one, "shot down")], [_event(two, "shot down")], []]
    result = score([one, two, three], events)
    assert (result.gold_pairs, result.gold_pairs_all, result.true_pairs) == (1, 3, 1)
    assert result.recall == pytest.approx(1.0)
    assert result.recall_all == pytest.approx(1 / 3)


def test_empty_evaluation_scores_zero() -> None:
    empty = CorefEvaluation()
    assert (empty.precision, empty.recall, empty.f1, empty.coverage) == (0.0, 0.0, 0.0, 0.0)


def test_pinned_figures_have_floors() -> None:
    floors = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
    assert set(PINNED) <= set(FIGURES)
    assert [key for key in PINNED if key not in floors] == []


def _coder_present() -> bool:
    try:
        return hasattr(importlib.import_module("detente.coding"), "code_article")
    except ImportError:
        return False


@pytest.fixture(scope="module")
def ecbplus() -> CorefEvaluation:
    """Our pipeline and event dedup over ECB+ (a few minutes of spaCy); the report is saved."""
    root = locate_eval_root()
    if root is None or not (root / ECBPLUS_DIR).is_dir():
        pytest.skip(f"{ECBPLUS_DIR} is absent from ../shared/eval")
    if not _coder_present():
        pytest.skip("the event coder (detente.coding.code_article) is not in this checkout")
    result = evaluate_ecbplus(root)
    REPORT_FILE.parent.mkdir(parents=True, exist_ok=True)
    REPORT_FILE.write_text(json.dumps(result.to_dict(), indent=2), encoding="utf-8")
    return result


@pytest.mark.eval
@pytest.mark.parametrize("key", PINNED)
def test_ecbplus_coref_above_floor(ecbplus: CorefEvaluation, key: str) -> None:
    floors = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
    assert key in floors, f"{key} has no floor in {FLOORS_FILE.name}: pin it"
    measured = ecbplus.figures()[key]
    assert measured >= floors[key], (
        f"{key}: {measured:.4f} < floor {floors[key]}\n{ecbplus.format()}"
    )
