"""Score the event coder on our own event gold for real news (PolNeAR train/dev articles).

``data/gold/polnear_events.jsonl`` holds every event a careful coder finds, under the codebook,
in 40 articles of PolNeAR's **train and dev** splits (the articles of the actor gold), annotated
by the Detente project and stored as file names and character offsets, never as text: the
evidence sentence (``start``/``end``, with its ``check``, see :mod:`detente.evaluation.news_gold`),
the trigger's offsets, the source and target codes (null when the text gives no such side),
the CAMEO code, the date the text proves (null for backstory it does not date), ``negated``,
``hypothetical`` and the ``reported_by`` speaker's code. Headlines are not annotated (they
repeat the body). Each annotated article also has one record with ``"article": true`` spanning
its whole text, so that an article with no event is scored too (its events are false alarms).

An event is **factual** when it is neither negated nor hypothetical; it is **international**
when it is factual and its source and target have different, known countries (an IGO's code
counts as its country). Gold and predicted events are compared by (source country, target
country, CAMEO root):

- **Recall**: a gold event is found when one of our factual events in the same sentence
  (overlapping sentence offsets) has the same source country, target country and root.
- **Precision**: one of our factual events is right when some gold event of the same article
  has the same source country, target country and root (an event the headline repeats from the
  body is right, not a false alarm).
- **Date accuracy**: over found gold events with a date, the share whose matching event of ours
  has the same date (``2016-05-27``, ``2016-05`` or ``2016`` exactly).

The figures are given for all factual events and for international ones
(``news_events_*`` and ``news_events_intl_*``); missing sides count as a value of their own
(a one-sided gold event is found only by an event missing the same side).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.evaluation.news_gold import _gold_articles
from detente.model import Event, Mention

__all__ = ["EVENT_FIGURES", "GOLD_EVENTS", "NewsEventScores", "eval_news_events", "score_events"]

GOLD_EVENTS = "polnear_events.jsonl"
EVENT_FIGURES = (
    "news_events_precision",
    "news_events_recall",
    "news_events_intl_precision",
    "news_events_intl_recall",
    "news_events_date_accuracy",
)
#: Disagreements kept per report.
TOP_ERRORS = 25
#: Confidence levels at which the report gives the precision of the events kept.
CONFIDENCE_LEVELS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)

Key = tuple[str | None, str | None, str]


def _side(code: str | None) -> str | None:
    """The country of a gold code ("USAGOV" → USA; "IGOUNO" stays itself)."""
    if not code:
        return None
    return code if code.startswith("IGO") else code[:3]


def _our_side(mention: Mention | None) -> str | None:
    if mention is None:
        return None
    actor = mention.actor
    if actor.country:
        return actor.country
    return actor.code if actor.code and actor.code.startswith("IGO") else None


def _gold_key(record: dict[str, Any]) -> Key:
    return (_side(record["source"]), _side(record["target"]), str(record["cameo"])[:2])


def _our_key(event: Event) -> Key:
    return (_our_side(event.source), _our_side(event.target), event.cameo[:2])


def _international(key: Key) -> bool:
    return key[0] is not None and key[1] is not None and key[0] != key[1]


def _factual_gold(record: dict[str, Any]) -> bool:
    return not record["negated"] and not record["hypothetical"]


def _factual(event: Event) -> bool:
    return not event.negated and not event.hypothetical


@dataclass(slots=True)
class _Tally:
    gold: int = 0
    found: int = 0
    ours: int = 0
    right: int = 0

    def precision(self) -> float:
        return self.right / self.ours if self.ours else 0.0

    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0


@dataclass(slots=True)
class NewsEventScores:
    """Event figures on our news gold, with the most frequent misses and false alarms."""

    articles: int = 0
    every: _Tally = field(default_factory=_Tally)
    intl: _Tally = field(default_factory=_Tally)
    dated: int = 0
    date_right: int = 0
    missed: Counter[str] = field(default_factory=Counter)
    false_alarms: Counter[str] = field(default_factory=Counter)
    scored: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, right)
    seconds: float = 0.0

    def by_confidence(self) -> dict[str, dict[str, float]]:
        """For each level of :data:`CONFIDENCE_LEVELS`: our factual events at or above it
        (``kept``) and the share of them that are right (``precision``)."""
        out: dict[str, dict[str, float]] = {}
        for level in CONFIDENCE_LEVELS:
            kept = [right for confidence, right in self.scored if confidence >= level]
            out[f"{level:.1f}"] = {
                "kept": len(kept),
                "precision": round(sum(kept) / len(kept), 3) if kept else 0.0,
            }
        return out

    def figures(self) -> dict[str, float]:
        """The figures named in :data:`EVENT_FIGURES`."""
        return {
            "news_events_precision": self.every.precision(),
            "news_events_recall": self.every.recall(),
            "news_events_intl_precision": self.intl.precision(),
            "news_events_intl_recall": self.intl.recall(),
            "news_events_date_accuracy": self.date_right / self.dated if self.dated else 0.0,
        }

    def to_dict(self) -> dict[str, Any]:
        """Figures, counts and the top errors, JSON-ready."""
        return {
            **self.figures(),
            "articles": self.articles,
            "gold_events": self.every.gold,
            "gold_international": self.intl.gold,
            "our_events": self.every.ours,
            "our_international": self.intl.ours,
            "missed": dict(self.missed.most_common(TOP_ERRORS)),
            "false_alarms": dict(self.false_alarms.most_common(TOP_ERRORS)),
            "precision_by_confidence": self.by_confidence(),
            "seconds": round(self.seconds, 1),
        }

    def format(self) -> str:
        """A report for people."""
        f = self.figures()
        lines = [
            f"Events on our news gold (PolNeAR train/dev): {self.articles} articles, "
            f"{self.every.gold} factual gold events ({self.intl.gold} international), "
            f"ours {self.every.ours} ({self.intl.ours} international)",
            f"  all: precision {f['news_events_precision']:.3f}  "
            f"recall {f['news_events_recall']:.3f}   international: precision "
            f"{f['news_events_intl_precision']:.3f}  recall {f['news_events_intl_recall']:.3f}"
            f"   date accuracy {f['news_events_date_accuracy']:.3f} ({self.dated} dated)",
            "  most frequent misses (source → target root):",
        ]
        lines += [f"    {c:4d}  {k}" for k, c in self.missed.most_common(8)]
        lines.append("  most frequent false alarms:")
        lines += [f"    {c:4d}  {k}" for k, c in self.false_alarms.most_common(8)]
        levels = self.by_confidence()
        lines.append(
            "  precision at or above each confidence level (events kept): "
            + "  ".join(f"≥{k} {v['precision']:.2f} ({v['kept']:.0f})" for k, v in levels.items())
        )
        return "\n".join(lines)


def _describe(key: Key) -> str:
    return f"{key[0] or '-'} → {key[1] or '-'} {key[2]}"


def score_events(
    gold: Sequence[dict[str, Any]], events: Sequence[Event], scores: NewsEventScores
) -> None:
    """Add one article's comparison to ``scores`` (the rules in the module doc)."""
    scores.articles += 1
    ours = [e for e in events if _factual(e)]
    records = [r for r in gold if not r.get("article") and _factual_gold(r)]
    gold_keys = {_gold_key(r) for r in records}
    for event in ours:
        key = _our_key(event)
        right = key in gold_keys
        scores.scored.append((event.confidence, right))
        for tally, counted in ((scores.every, True), (scores.intl, _international(key))):
            if counted:
                tally.ours += 1
                tally.right += right
        if not right:
            scores.false_alarms[_describe(key)] += 1
    for record in records:
        key = _gold_key(record)
        match = next(
            (
                e
                for e in ours
                if _our_key(e) == key
                and e.sentence_start < record["end"]
                and record["start"] < e.sentence_end
            ),
            None,
        )
        for tally, counted in ((scores.every, True), (scores.intl, _international(key))):
            if counted:
                tally.gold += 1
                tally.found += match is not None
        if match is None:
            scores.missed[_describe(key)] += 1
        elif record.get("date"):
            scores.dated += 1
            scores.date_right += match.date == record["date"]


def eval_news_events(root: Path) -> NewsEventScores:
    """Annotate and code the gold articles, then score their events."""
    started = time.perf_counter()
    scores = NewsEventScores()
    for records, article in _gold_articles(root, GOLD_EVENTS):
        score_events(records, article.events, scores)
    scores.seconds = time.perf_counter() - started
    return scores
