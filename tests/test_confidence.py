"""The learned event confidence: features, the model's arithmetic, and its use by the coder."""

from __future__ import annotations

import math

import pytest

from detente.annotate.nlp import load_pipeline
from detente.annotate.pipeline import annotate_doc, default_resolver
from detente.coding import code_article
from detente.coding.confidence import ConfidenceModel, default_model, event_features
from detente.model import Actor, Article, Event, Mention

TEXT = "Greek Prime Minister Alexis Tsipras criticized Turkey on Monday."


def _event(**changes: object) -> Event:
    source = Mention(
        0,
        35,
        "Greek Prime Minister Alexis Tsipras",
        Actor("Tsipras", "GRCGOV", "GRC", "GOV", "person"),
        "dictionary",
    )
    target = Mention(47, 53, "Turkey", Actor("Türkiye", "TUR", "TUR", None, "country"), "name")
    event = Event(source, target, "111", trigger="criticized", trigger_start=36, trigger_end=46,
                  sentence_start=0, sentence_end=len(TEXT), confidence=0.6)  # fmt: skip
    for name, value in changes.items():
        setattr(event, name, value)
    return event


def test_features_say_what_the_coder_knows() -> None:
    features = event_features(_event(), TEXT)
    assert features["root:11"] == 1.0
    assert features["rule_confidence"] == 0.6
    assert features["source:via:dictionary"] == 1.0
    assert features["target:kind:country"] == 1.0
    assert features["international"] == 1.0
    assert features["trigger:criticized"] == 1.0
    assert "negated" not in features and "quoted_sentence" not in features
    one_sided = event_features(_event(target=None, negated=True), TEXT)
    assert one_sided["target:none"] == 1.0 and one_sided["negated"] == 1.0
    assert "international" not in one_sided


def test_the_model_is_a_logistic_regression_and_round_trips() -> None:
    model = ConfidenceModel({"bias": -1.0, "root:11": 2.0, "target:none": -3.0}, {"events": 3})
    assert model.probability({"bias": 1.0, "root:11": 1.0}) == pytest.approx(1 / (1 + math.exp(-1)))
    assert model.probability({"bias": 1.0, "unknown": 5.0}) == pytest.approx(1 / (1 + math.e))
    assert ConfidenceModel.from_dict(model.to_dict()) == model
    events = [_event(), _event(target=None)]
    model.score(events, TEXT)
    assert events[0].confidence > 0.5 > events[1].confidence


@pytest.mark.skipif(default_model() is None, reason="the package ships no confidence model")
def test_the_coder_gives_the_learned_confidence() -> None:
    nlp = load_pipeline()
    article = Article(id="t", text=TEXT, source="test", published="2024-03-11")
    doc = nlp(TEXT)
    annotate_doc(article, doc, resolver=default_resolver())
    rule = code_article(doc, article, scored=False)
    learned = code_article(doc, article)
    assert [e.cameo for e in rule] == [e.cameo for e in learned] == ["111"]
    model = default_model()
    assert model is not None
    expected = model.probability(event_features(rule[0], TEXT))
    assert learned[0].confidence == pytest.approx(min(0.99, max(0.01, expected)), abs=0.006)
    assert model.info["events"] > 500  # trained on our judgments, not a placeholder
