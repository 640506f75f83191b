"""Stories scored on ECB+: do the articles we group report the same news?

ECB+ tells, in each of its 43 topics, two similar happenings (two earthquakes, two
acquisitions), each reported by several documents: the ``ecb`` and the ``ecbplus`` sub-topic.
A sub-topic is a story in our sense (one happening, many reports). We group all 982 documents
at once, so a story that mixes topics or the two happenings of one topic counts against
precision. Reported: pairwise precision, recall and F1 over document pairs, and B³ (Bagga and
Baldwin 1998) precision, recall and F1 over documents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from detente.dedup.events import EventIndex
from detente.dedup.stories import StoryArticle, group_stories
from detente.model import Event


class EcbDocument(Protocol):
    """What story scoring reads of a document (an ECB+ one: evaluation.coref.EcbDocument)."""

    name: str
    topic: int
    text: str
    published: str | None


__all__ = ["StoryEvaluation", "gold_story", "score_ecbplus_stories", "score_stories", "stories_of"]


def gold_story(document: EcbDocument) -> str:
    """The ECB+ sub-topic of a document: its topic and whether it is an ``ecbplus`` document."""
    return f"{document.topic}{'+' if document.name.endswith('ecbplus') else ''}"


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(slots=True)
class StoryEvaluation:
    """Pairwise and B³ scores of a grouping against the gold stories."""

    documents: int = 0
    gold_stories: int = 0
    stories: int = 0
    pairs_ours: int = 0
    pairs_gold: int = 0
    pairs_both: int = 0
    b3_precision: float = 0.0
    b3_recall: float = 0.0
    seconds: float = 0.0

    @property
    def precision(self) -> float:
        return self.pairs_both / self.pairs_ours if self.pairs_ours else 0.0

    @property
    def recall(self) -> float:
        return self.pairs_both / self.pairs_gold if self.pairs_gold else 0.0

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @property
    def b3_f1(self) -> float:
        return _f1(self.b3_precision, self.b3_recall)

    def figures(self) -> dict[str, float]:
        """The pinned figures (``tests/eval_floors.json``)."""
        return {
            "ecbplus_stories_precision": self.precision,
            "ecbplus_stories_recall": self.recall,
            "ecbplus_stories_f1": self.f1,
            "ecbplus_stories_b3_f1": self.b3_f1,
        }

    def to_dict(self) -> dict[str, float | int]:
        """Counts and figures, JSON-ready."""
        data: dict[str, float | int] = {f: getattr(self, f) for f in self.__dataclass_fields__}
        data.update(self.figures())
        return data

    def format(self) -> str:
        return (
            f"ECB+ stories ({self.documents} documents, {self.gold_stories} gold stories,"
            f" {self.stories} of ours, {self.seconds:.0f}s)\n"
            f"  pairs: ours {self.pairs_ours}, gold {self.pairs_gold}, both {self.pairs_both}\n"
            f"  pairwise precision {self.precision:.3f}  recall {self.recall:.3f}"
            f"  F1 {self.f1:.3f}\n"
            f"  B3 precision {self.b3_precision:.3f}  recall {self.b3_recall:.3f}"
            f"  F1 {self.b3_f1:.3f}"
        )


def _pairs(size: int) -> int:
    return size * (size - 1) // 2


def score_stories(gold: Sequence[str], ours: Sequence[str]) -> StoryEvaluation:
    """Score story labels ``ours`` against ``gold``, one label of each per document."""
    if len(gold) != len(ours):
        raise ValueError(f"{len(gold)} gold labels for {len(ours)} documents")
    result = StoryEvaluation(documents=len(gold))
    result.gold_stories, result.stories = len(set(gold)), len(set(ours))
    by_gold: dict[str, set[int]] = defaultdict(set)
    by_ours: dict[str, set[int]] = defaultdict(set)
    both: dict[tuple[str, str], int] = defaultdict(int)
    for number, (g, o) in enumerate(zip(gold, ours, strict=True)):
        by_gold[g].add(number)
        by_ours[o].add(number)
        both[(g, o)] += 1
    result.pairs_gold = sum(_pairs(len(m)) for m in by_gold.values())
    result.pairs_ours = sum(_pairs(len(m)) for m in by_ours.values())
    result.pairs_both = sum(_pairs(n) for n in both.values())
    pairs = list(zip(gold, ours, strict=True))
    if pairs:
        result.b3_precision = sum(both[p] / len(by_ours[p[1]]) for p in pairs) / len(pairs)
        result.b3_recall = sum(both[p] / len(by_gold[p[0]]) for p in pairs) / len(pairs)
    return result


def stories_of(documents: Sequence[EcbDocument], events: Sequence[Sequence[Event]]) -> list[str]:
    """Our story label for each document: coded events deduplicated, then articles grouped."""
    index = EventIndex()
    articles = []
    for document, coded in zip(documents, events, strict=True):
        ids = index.add(document.name, None, document.published, coded)
        two_sided = {i for i, e in zip(ids, coded, strict=True) if None not in (e.source, e.target)}
        articles.append(
            StoryArticle(document.name, document.text, document.published, frozenset(two_sided))
        )
    label = {}
    for members in group_stories(articles):
        for name in members:
            label[name] = members[0]
    return [label[document.name] for document in documents]


def score_ecbplus_stories(
    documents: Sequence[EcbDocument], events: Sequence[Sequence[Event]]
) -> StoryEvaluation:
    """Group the coded ECB+ documents into stories and score them against its sub-topics."""
    return score_stories([gold_story(d) for d in documents], stories_of(documents, events))
