"""Annotation: a clean article in; its spaCy parse, actor mentions, quotations, amounts, time
expressions and places out (``pipeline.annotate_doc`` runs them, then the event coder).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente._lazy import lazy_exports

if TYPE_CHECKING:
    from detente.annotate.actors import ActorResolver, fold, load_dictionary
    from detente.annotate.amounts import find_amounts
    from detente.annotate.geo import Gazetteer, distance_km, gazetteer, name_key
    from detente.annotate.nlp import MODEL, doc_text, load_pipeline, model_name, model_version
    from detente.annotate.pipeline import annotate, annotate_doc, annotate_stored, default_resolver
    from detente.annotate.quotes import (
        REPORTING_VERBS,
        QuoteSpan,
        find_quotes,
        paragraphs,
        quote_marks,
    )
    from detente.annotate.timexpr import TimeMention, find_times, resolve

_EXPORTS = {
    "ActorResolver": "detente.annotate.actors",
    "Gazetteer": "detente.annotate.geo",
    "MODEL": "detente.annotate.nlp",
    "QuoteSpan": "detente.annotate.quotes",
    "REPORTING_VERBS": "detente.annotate.quotes",
    "TimeMention": "detente.annotate.timexpr",
    "annotate": "detente.annotate.pipeline",
    "annotate_doc": "detente.annotate.pipeline",
    "annotate_stored": "detente.annotate.pipeline",
    "default_resolver": "detente.annotate.pipeline",
    "distance_km": "detente.annotate.geo",
    "doc_text": "detente.annotate.nlp",
    "find_amounts": "detente.annotate.amounts",
    "find_quotes": "detente.annotate.quotes",
    "find_times": "detente.annotate.timexpr",
    "fold": "detente.annotate.actors",
    "gazetteer": "detente.annotate.geo",
    "load_dictionary": "detente.annotate.actors",
    "load_pipeline": "detente.annotate.nlp",
    "model_name": "detente.annotate.nlp",
    "model_version": "detente.annotate.nlp",
    "name_key": "detente.annotate.geo",
    "paragraphs": "detente.annotate.quotes",
    "quote_marks": "detente.annotate.quotes",
    "resolve": "detente.annotate.timexpr",
}
__all__ = [
    "MODEL",
    "REPORTING_VERBS",
    "ActorResolver",
    "Gazetteer",
    "QuoteSpan",
    "TimeMention",
    "annotate",
    "annotate_doc",
    "annotate_stored",
    "default_resolver",
    "distance_km",
    "doc_text",
    "find_amounts",
    "find_quotes",
    "find_times",
    "fold",
    "gazetteer",
    "load_dictionary",
    "load_pipeline",
    "model_name",
    "model_version",
    "name_key",
    "paragraphs",
    "quote_marks",
    "resolve",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
