"""Quote attribution scored on PolNeAR (test split), with floors from eval_floors.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from detente.annotate.quotes import find_quotes
from detente.evaluation.quotes import (
    FIGURES,
    POLNEAR_DIR,
    QuoteEvaluation,
    evaluate_polnear,
    read_ann,
    score_article,
)

if TYPE_CHECKING:
    from spacy.language import Language

FLOORS_FILE = Path(__file__).resolve().parent / "eval_floors.json"

TEXT = "“We will win,” Smith said. Jones said taxes would rise next year."
ANN = (
    "T1\tSource 15 20\tSmith\n"
    "T2\tCue 21 25\tsaid\n"
    "T3\tContent 0 14\t“We will win,”\n"
    "T4\tAttribution 21 25\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tSource 27 32\tJones\n"
    "T6\tCue 33 37\tsaid\n"
    "T7\tContent 38 65\ttaxes would rise next year.\n"
    "E2\tAttribution:T6 Content:T7 Cue:T6 Source:T5\n"
    "#1\tAnnotatorNotes T7\ta note\n"
    "that runs over two lines\n"
)


def eval_root() -> Path | None:
    """../shared/eval, located like the other evaluation gates."""
    try:
        from detente.evaluation.extraction import locate_eval_root
    except ImportError:  # pragma: no cover - evaluation.py ships with the package
        candidate = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
        return candidate if candidate.is_dir() else None
    return locate_eval_root()


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The English pipeline."""
    from detente.annotate.nlp import load_pipeline

    return load_pipeline()


def test_read_ann_pairs_roles_and_flags_direct(tmp_path: Path) -> None:
    path = tmp_path / "article_abcd.ann"
    path.write_text(ANN, encoding="utf-8")
    direct, reported = read_ann(path, TEXT)
    assert (direct.source, direct.content, direct.direct) == ([(15, 20)], [(0, 14)], True)
    assert (reported.source, reported.content, reported.direct) == ([(27, 32)], [(38, 65)], False)


def test_score_article_counts_content_and_speakers(nlp: Language, tmp_path: Path) -> None:
    path = tmp_path / "article_abcd.ann"
    path.write_text(ANN, encoding="utf-8")
    golds = read_ann(path, TEXT)
    doc = nlp(TEXT)
    quotes = find_quotes(doc)
    direct = score_article(doc, quotes, golds, direct_only=True)
    assert (direct.gold, direct.predicted, direct.content_matched_golds) == (1, 1, 1)
    assert direct.speaker_accuracy == 1.0 and direct.speaker_f1 == 1.0
    everything = score_article(doc, quotes, golds, direct_only=False)
    assert (everything.gold, everything.content_recall, everything.speaker_recall) == (2, 1.0, 1.0)


@pytest.fixture(scope="module")
def polnear() -> QuoteEvaluation:
    """Scores on PolNeAR's test split (about a minute of spaCy)."""
    root = eval_root()
    if root is None or not (root / POLNEAR_DIR).is_dir():
        pytest.skip(f"{POLNEAR_DIR} is absent from ../shared/eval")
    return evaluate_polnear(root, split="test")


def test_figures_are_the_floor_keys() -> None:
    assert set(QuoteEvaluation(split="test").floors()) == set(FIGURES)


@pytest.mark.eval
@pytest.mark.parametrize("key", FIGURES)
def test_polnear_attribution_above_floor(polnear: QuoteEvaluation, key: str) -> None:
    floors = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
    measured = polnear.floors()[key]
    assert measured >= floors[key], (
        f"{key}: {measured:.4f} < floor {floors[key]}\n{polnear.format()}"
    )
