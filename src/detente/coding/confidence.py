"""Confidence that means something: the chance that a coded event is right, learned from judgments.

The rule coder's own score (:func:`detente.coding._sentence._confidence`) only counts what it
knows it lacks (a side, a specific verb). What makes an event wrong in real news is wider: an
everyday verb read as a political act, a one-sided "event" in a quote, a poll, a metaphor. This
module turns what the coder knows about each event (its CAMEO root, how each side was resolved,
the trigger's words, whether it came from a quote, its modality, where it sits in the sentence)
into the probability that a strict human coder would sign it at country level: a real event,
the right CAMEO root, and the right source and target countries.

The model is a logistic regression (:class:`ConfidenceModel`), trained by
``scripts/train_confidence.py`` on judgments we made of events the coder stored from PolNeAR
**train/dev** articles (``data/gold/polnear_event_judgments.jsonl``, offsets and labels, never
text), none of them an article of our event gold, which measures it (``detente eval events``
reports the precision at or above each confidence level). Its weights ship in the package
(``data/lexicon/confidence.json``); scoring an event is a dot product over a few dozen features,
which costs nothing measurable per article.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from detente.model import Event, Mention

__all__ = ["MODEL_FILE", "ConfidenceModel", "default_model", "event_features", "likely_level"]

#: The shipped weights (written by ``scripts/train_confidence.py``).
MODEL_FILE = "confidence.json"
#: Quotation marks that show a sentence carries someone's words.
_QUOTE_MARKS = re.compile(r"[\"“”]")
_WORD = re.compile(r"[a-z]+")


def _side(prefix: str, mention: Mention | None) -> dict[str, float]:
    if mention is None:
        return {f"{prefix}:none": 1.0}
    actor = mention.actor
    out = {
        f"{prefix}:via:{mention.via}": 1.0,
        f"{prefix}:kind:{actor.kind}": 1.0,
        f"{prefix}:role:{actor.role or '-'}": 1.0,
    }
    if actor.country is None:
        out[f"{prefix}:no_country"] = 1.0
    return out


def event_features(event: Event, text: str) -> dict[str, float]:
    """What the coder knows of ``event`` (found in ``text``, its article), as named features."""
    sentence = text[event.sentence_start : event.sentence_end]
    trigger_words = _WORD.findall(event.trigger.lower())
    features: dict[str, float] = {
        "bias": 1.0,
        f"root:{event.cameo[:2]}": 1.0,
        "rule_confidence": event.confidence,
        f"modality:{event.modality or '-'}": 1.0,
        "trigger_words": min(len(trigger_words), 6) / 6,
        "sentence_words": min(len(sentence.split()), 60) / 60,
        "trigger_position": (event.trigger_start - event.sentence_start)
        / max(1, event.sentence_end - event.sentence_start),
    }
    features.update(_side("source", event.source))
    features.update(_side("target", event.target))
    if event.source is not None and event.target is not None:
        same = event.source.actor.country == event.target.actor.country
        features["domestic" if same else "international"] = 1.0
    if trigger_words:
        features[f"trigger:{trigger_words[0]}"] = 1.0
    for flag, on in (
        ("negated", event.negated),
        ("hypothetical", event.hypothetical),
        ("symmetric", event.symmetric),
        ("reported", event.reported_by is not None),
        ("date_from_text", event.date_source == "text"),
        ("located", event.location is not None),
        ("quoted_sentence", bool(_QUOTE_MARKS.search(sentence))),
        ("first_sentence", event.sentence_start == 0),
        ("no_final_stop", not sentence.rstrip().endswith((".", "”", '"', "?", "!"))),
    ):
        if on:
            features[flag] = 1.0
    return features


@dataclass(frozen=True, slots=True)
class ConfidenceModel:
    """A logistic regression over :func:`event_features` (unknown features weigh nothing)."""

    weights: Mapping[str, float]
    info: Mapping[str, Any]

    def probability(self, features: Mapping[str, float]) -> float:
        """The model's probability that an event with ``features`` is right."""
        z = sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def score(self, events: Iterable[Event], text: str) -> None:
        """Set each event's ``confidence`` to the model's probability (two decimals)."""
        for event in events:
            p = self.probability(event_features(event, text))
            event.confidence = round(min(0.99, max(0.01, p)), 2)

    def to_dict(self) -> dict[str, Any]:
        """The JSON the package ships."""
        return {"info": dict(self.info), "weights": dict(sorted(self.weights.items()))}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConfidenceModel:
        """Read :meth:`to_dict`'s form back."""
        return cls({str(k): float(v) for k, v in data["weights"].items()}, dict(data["info"]))


@cache
def default_model() -> ConfidenceModel | None:
    """The shipped model, or None when the package carries none (the rule scores stay)."""
    path = resources.files("detente") / "data" / "lexicon" / MODEL_FILE
    if not path.is_file():
        return None
    return ConfidenceModel.from_dict(json.loads(path.read_text(encoding="utf-8")))


def likely_level() -> float:
    """The confidence from which an event counts as likely: the level the model was found to
    keep 95% of the right events above (its ``info["likely"]``); 0.0 without a model.
    Timelines and other systems' layouts (GDELT, PLOVER, POLECAT) leave out events below it
    unless asked for."""
    model = default_model()
    return float(model.info.get("likely", 0.0)) if model is not None else 0.0
