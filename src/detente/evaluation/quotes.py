"""Score quotation attribution (:mod:`detente.annotate.quotes`) on PolNeAR's gold attributions.

PolNeAR (``../shared/eval/polnear_attribution``) marks, in US political news, every attribution with
its Source, Cue and Content spans (BRAT standoff, possibly discontinuous). We score
:func:`~detente.annotate.quotes.find_quotes` on one split (``test`` for the gate; tuning used
``train`` and ``dev`` only) in two views:

``direct``
    gold attributions whose Content holds a double quotation mark (“ ” " « » „ or ``''``)
    or an opening single mark (‘), against our predictions under the same rule: our direct
    quotes of kind ``statement`` plus our reported speech whose content holds such a mark
    ("said the plan was “a disaster” for farmers"). Scare quotes are not attributions.
``all``
    every gold attribution (direct and indirect) against our statements plus our reported
    speech (``indirect``).

Matching rules:

- **Content.** A prediction matches a gold attribution when their content spans share a
  letter or digit (gold fragments are unioned; our direct content excludes the marks, gold
  content includes them). Content precision = predictions matching some gold / predictions;
  recall = golds matched by some prediction / golds. Several predictions may match one gold
  (PolNeAR makes one attribution of "“A,” he said, “B.”"; we make two quotes).
- **Speaker.** The gold *head* is the syntactic root (spaCy's ``Span.root``, on the same
  parse) of each Source fragment: "Graham" in "presidential candidate Sen. Lindsey Graham
  (R-SC)", "spokesman" in "a spokesman for the campaign"; a relative pronoun ("who", which
  PolNeAR marks as the Source of "X, who said …") stands for its antecedent, which is what we
  report. Our speaker is right when its span contains a gold head, or when its own root lies
  inside the gold Source and attaches directly to the gold head (or the head to it: a title
  and a name that the parser split, "Tulsa police Chief | Chuck Jordan"). Speaker
  *accuracy* is over predictions that match a gold content (the gold with the largest
  overlap): right when the speaker is, or when both the gold Source and our speaker are
  missing. Speaker *precision* = predictions with a right speaker / predictions with a
  speaker; *recall* = golds with a Source for which some matching prediction has a right
  speaker / golds with a Source. A looser figure, ``speaker_overlap_accuracy``, counts any
  shared letter with the gold Source as right.

Annotators: most articles have one annotation file (``<article>_<annotator>.ann``); the few
used to measure agreement have up to six. We score each article once, against the annotator
whose id sorts first, so those articles weigh no more than the others.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detente.annotate.quotes import QuoteSpan, find_quotes
from detente.errors import InputError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

__all__ = [
    "FIGURES",
    "POLNEAR_DIR",
    "Attribution",
    "AttributionScores",
    "QuoteEvaluation",
    "evaluate_polnear",
    "load_polnear",
    "read_ann",
    "score_article",
]

LOGGER = logging.getLogger(__name__)

#: Figures pinned in ``tests/eval_floors.json`` (keys of :meth:`QuoteEvaluation.floors`).
FIGURES = (
    *("polnear_direct_speaker_accuracy", "polnear_direct_content_f1"),
    *("polnear_direct_speaker_f1", "polnear_all_content_f1", "polnear_all_speaker_f1"),
)
#: Directory of the set under the eval root.
POLNEAR_DIR = "polnear_attribution"
#: Documents per ``nlp.pipe`` batch: PolNeAR articles are ~750 words; 16 keeps memory small.
BATCH_SIZE = 16

#: Quotation marks that make a gold attribution "direct" (an opening ‘ but not ’, which is
#: also the apostrophe).
_DIRECT_MARKS = re.compile(r"[“”\"«»„‘]|''|``")
_SPAN = re.compile(r"(\d+) (\d+)")
_RELATIVE = frozenset({"who", "which", "that"})

Range = tuple[int, int]


@dataclass(slots=True)
class Attribution:
    """One gold attribution: Source, Cue and Content as lists of (start, end) fragments."""

    content: list[Range]
    source: list[Range] = field(default_factory=list)
    cue: list[Range] = field(default_factory=list)
    direct: bool = False


def read_ann(path: Path, text: str) -> list[Attribution]:
    """Attributions of one BRAT ``.ann`` file (relations with a Content span)."""
    spans: dict[str, list[Range]] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue  # the continuation of a multi-line note
        if parts[0].startswith("T"):
            spans[parts[0]] = [(int(a), int(b)) for a, b in _SPAN.findall(parts[1])]
        elif parts[0].startswith("E"):
            roles = dict(item.split(":", 1) for item in parts[1].split() if ":" in item)
            relations.append(roles)
    found: list[Attribution] = []
    for roles in relations:
        content = spans.get(roles.get("Content", ""), [])
        if not content:
            continue
        body = " ".join(text[a:b] for a, b in content)
        found.append(
            Attribution(
                content=sorted(content),
                source=sorted(spans.get(roles.get("Source", ""), [])),
                cue=sorted(spans.get(roles.get("Cue", ""), [])),
                direct=bool(_DIRECT_MARKS.search(body)),
            )
        )
    return found


def load_polnear(root: Path, split: str) -> Iterator[tuple[str, str, list[Attribution]]]:
    """(article name, text, gold attributions) for each article of a split, in name order."""
    base = root / POLNEAR_DIR / "data" / split
    if not (base / "text").is_dir():
        raise InputError(
            f"no PolNeAR split {split!r} under {base}; expected text/ and attributions/ "
            "(splits: train, dev, test)"
        )
    annotations: dict[str, Path] = {}
    for ann in sorted((base / "attributions").glob("*.ann")):
        article = ann.stem.rsplit("_", 1)[0]
        annotations.setdefault(article, ann)  # the first annotator id in sort order
    for path in sorted((base / "text").glob("*.txt")):
        ann_path = annotations.get(path.stem)
        if ann_path is None:
            LOGGER.warning("PolNeAR article %s has no annotation; skipped", path.name)
            continue
        text = path.read_text(encoding="utf-8")
        yield path.stem, text, read_ann(ann_path, text)


def _overlap(a: Sequence[Range], b: Sequence[Range], text: str) -> int:
    """Letters and digits shared by two sets of fragments."""
    total = 0
    for a_start, a_end in a:
        for b_start, b_end in b:
            lo, hi = max(a_start, b_start), min(a_end, b_end)
            if lo < hi:
                total += sum(ch.isalnum() for ch in text[lo:hi])
    return total


def _heads(doc: Doc, source: Sequence[Range]) -> list[Token]:
    """The syntactic root of each gold Source fragment."""
    heads: list[Token] = []
    for start, end in source:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            root = span.root
            heads.append(root)
            if root.lower_ in _RELATIVE and root.head.dep_ == "relcl":
                heads.append(root.head.head)  # gold "who" stands for its antecedent
    return heads


def speaker_matches(doc: Doc, q: QuoteSpan, source: Sequence[Range]) -> bool:
    """The head rule: our speaker span holds the root of a gold Source fragment, or our
    speaker's root lies in the gold Source and one root hangs directly on the other (a title
    and a name the parser split: "Tulsa police Chief | Chuck Jordan")."""
    if q.speaker_start is None or q.speaker_end is None or not source:
        return False
    heads = _heads(doc, source)
    if any(q.speaker_start <= head.idx < q.speaker_end for head in heads):
        return True
    ours = doc.char_span(q.speaker_start, q.speaker_end, alignment_mode="expand")
    if ours is None or not len(ours):
        return False
    root = ours.root
    inside = any(start <= root.idx < end for start, end in source)
    return inside and any(root.head.i == h.i or h.head.i == root.i for h in heads)


@dataclass(slots=True)
class AttributionScores:
    """Counts behind content and speaker precision/recall for one view (direct or all)."""

    gold: int = 0
    predicted: int = 0
    content_matched_predictions: int = 0
    content_matched_golds: int = 0
    gold_with_source: int = 0
    predicted_with_speaker: int = 0
    speaker_judged: int = 0  # predictions matching a gold content
    speaker_correct: int = 0  # … whose speaker is right (or rightly missing)
    speaker_overlap_correct: int = 0  # … same with the loose rule
    speaker_right_predictions: int = 0
    speaker_right_golds: int = 0

    def add(self, other: AttributionScores) -> None:
        """Add another article's counts to these."""
        for item in dataclasses.fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))

    @property
    def content_precision(self) -> float:
        """Share of predictions whose content matches a gold attribution."""
        return _ratio(self.content_matched_predictions, self.predicted)

    @property
    def content_recall(self) -> float:
        """Share of gold attributions whose content some prediction matches."""
        return _ratio(self.content_matched_golds, self.gold)

    @property
    def content_f1(self) -> float:
        """Harmonic mean of content precision and recall."""
        return _f1(self.content_precision, self.content_recall)

    @property
    def speaker_accuracy(self) -> float:
        """Share of content-matched predictions with the right speaker (head rule)."""
        return _ratio(self.speaker_correct, self.speaker_judged)

    @property
    def speaker_overlap_accuracy(self) -> float:
        """Share of content-matched predictions whose speaker overlaps the gold Source."""
        return _ratio(self.speaker_overlap_correct, self.speaker_judged)

    @property
    def speaker_precision(self) -> float:
        """Share of predictions with a speaker that match a gold content and its Source."""
        return _ratio(self.speaker_right_predictions, self.predicted_with_speaker)

    @property
    def speaker_recall(self) -> float:
        """Share of gold attributions with a Source found with the right speaker."""
        return _ratio(self.speaker_right_golds, self.gold_with_source)

    @property
    def speaker_f1(self) -> float:
        """Harmonic mean of speaker precision and recall."""
        return _f1(self.speaker_precision, self.speaker_recall)

    def to_dict(self) -> dict[str, Any]:
        """Counts and rates, rounded to 4 decimals."""
        data: dict[str, Any] = dataclasses.asdict(self)
        for name in (
            "content_precision",
            "content_recall",
            "content_f1",
            "speaker_accuracy",
            "speaker_overlap_accuracy",
            "speaker_precision",
            "speaker_recall",
            "speaker_f1",
        ):
            data[name] = round(getattr(self, name), 4)
        return data


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_article(
    doc: Doc, quotes: Sequence[QuoteSpan], golds: Sequence[Attribution], *, direct_only: bool
) -> AttributionScores:
    """Counts for one article in the ``direct`` view (``direct_only``) or the ``all`` view."""
    text = doc.text
    preds = [q for q in quotes if q.kind in ("statement", "indirect")]
    if direct_only:
        preds = [q for q in preds if q.direct or _DIRECT_MARKS.search(q.text)]
        golds = [g for g in golds if g.direct]
    scores = AttributionScores(gold=len(golds), predicted=len(preds))
    scores.gold_with_source = sum(bool(g.source) for g in golds)
    matched_golds: set[int] = set()
    right_golds: set[int] = set()
    for q in preds:
        has_speaker = q.speaker_start is not None and q.speaker_end is not None
        scores.predicted_with_speaker += has_speaker
        overlaps = [(_overlap([(q.start, q.end)], g.content, text), n) for n, g in enumerate(golds)]
        overlaps = [item for item in overlaps if item[0] > 0]
        if not overlaps:
            continue
        scores.content_matched_predictions += 1
        matched_golds.update(n for _, n in overlaps)
        right = [n for _, n in overlaps if speaker_matches(doc, q, golds[n].source)]
        right_golds.update(right)
        scores.speaker_right_predictions += bool(right)
        gold = golds[max(overlaps)[1]]
        scores.speaker_judged += 1
        if not gold.source:
            scores.speaker_correct += not has_speaker
            scores.speaker_overlap_correct += not has_speaker
        elif has_speaker:
            assert q.speaker_start is not None and q.speaker_end is not None
            scores.speaker_correct += speaker_matches(doc, q, gold.source)
            loose = _overlap([(q.speaker_start, q.speaker_end)], gold.source, text) > 0
            scores.speaker_overlap_correct += loose
    scores.content_matched_golds = len(matched_golds)
    scores.speaker_right_golds = sum(1 for n in right_golds if golds[n].source)
    return scores


@dataclass(slots=True)
class QuoteEvaluation:
    """PolNeAR scores for one split: the direct-quote view and the all-attributions view."""

    split: str
    articles: int = 0
    words: int = 0
    direct: AttributionScores = field(default_factory=AttributionScores)
    all: AttributionScores = field(default_factory=AttributionScores)
    parse_seconds: float = 0.0  # spaCy's nlp.pipe
    quote_seconds: float = 0.0  # find_quotes alone

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the counts, rates and timings."""
        return {
            "set": POLNEAR_DIR,
            "split": self.split,
            "articles": self.articles,
            "words": self.words,
            "direct": self.direct.to_dict(),
            "all": self.all.to_dict(),
            "parse_seconds": round(self.parse_seconds, 2),
            "quote_seconds": round(self.quote_seconds, 2),
        }

    def floors(self) -> dict[str, float]:
        """The figures pinned in ``tests/eval_floors.json``, by key."""
        return {
            "polnear_direct_speaker_accuracy": self.direct.speaker_accuracy,
            "polnear_direct_content_f1": self.direct.content_f1,
            "polnear_direct_speaker_f1": self.direct.speaker_f1,
            "polnear_all_content_f1": self.all.content_f1,
            "polnear_all_speaker_f1": self.all.speaker_f1,
        }

    def format(self) -> str:
        """A small plain-text table of the scores."""
        lines = [
            f"PolNeAR {self.split}: {self.articles} articles, {self.words} words; "
            f"spaCy {self.parse_seconds:.1f}s, quotes {self.quote_seconds:.2f}s",
            f"{'view':<8}{'gold':>6}{'pred':>6}{'cont P':>8}{'cont R':>8}{'cont F1':>8}"
            f"{'spk acc':>9}{'(overlap)':>10}{'spk P':>8}{'spk R':>8}{'spk F1':>8}",
        ]
        for name, s in (("direct", self.direct), ("all", self.all)):
            lines.append(
                f"{name:<8}{s.gold:>6}{s.predicted:>6}{s.content_precision:>8.3f}"
                f"{s.content_recall:>8.3f}{s.content_f1:>8.3f}{s.speaker_accuracy:>9.3f}"
                f"{s.speaker_overlap_accuracy:>10.3f}{s.speaker_precision:>8.3f}"
                f"{s.speaker_recall:>8.3f}{s.speaker_f1:>8.3f}"
            )
        return "\n".join(lines)


def evaluate_polnear(
    root: Path, *, split: str = "test", limit: int | None = None, nlp: Language | None = None
) -> QuoteEvaluation:
    """Parse a PolNeAR split with ``nlp.pipe``, find quotes and score them."""
    if nlp is None:
        from detente.annotate.nlp import load_pipeline

        nlp = load_pipeline()
    articles = list(load_polnear(root, split))[:limit]
    result = QuoteEvaluation(split=split)
    started = time.perf_counter()
    texts = (text for _, text, _ in articles)
    for (name, _, golds), doc in zip(articles, nlp.pipe(texts, batch_size=BATCH_SIZE), strict=True):
        tick = time.perf_counter()
        quotes = find_quotes(doc)
        result.quote_seconds += time.perf_counter() - tick
        result.direct.add(score_article(doc, quotes, golds, direct_only=True))
        result.all.add(score_article(doc, quotes, golds, direct_only=False))
        result.articles += 1
        result.words += len(doc.text.split())
        LOGGER.debug("%s: %d quotes, %d gold", name, len(quotes), len(golds))
    result.parse_seconds = time.perf_counter() - started - result.quote_seconds
    LOGGER.info("PolNeAR %s scored on %d articles", split, result.articles)
    return result
