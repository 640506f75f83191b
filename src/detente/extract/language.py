"""Language identification with py3langid (its model ships inside the wheel)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

#: Fewer letters than this and the language is not guessed (returns None).
MIN_LETTERS = 20
#: Only the first characters are read: enough for a sure answer, and bounded in time.
MAX_CHARS = 5_000
#: Recent answers kept: extraction names an article's language and annotation then asks whether
#: it can read it, a few documents later in the same worker (a batch), on the same text.
RECENT = 64


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_of_line(text: str) -> tuple[str, float]:
    """The most likely ISO 639-1 language of a short text and its probability."""
    return _classify(text[:MAX_CHARS])


@lru_cache(maxsize=RECENT)
def _classify(text: str) -> tuple[str, float]:
    """The identifier's answer for a text of at most MAX_CHARS characters."""
    lang, prob = _identifier().classify(text)
    return str(lang), float(prob)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when there is too little text."""
    if sum(ch.isalpha() for ch in text[:MAX_CHARS]) < MIN_LETTERS:
        return None
    return language_of_line(text)[0]


#: Languages the annotation pipeline reads: its spaCy model and its dictionaries are English.
#: Articles in other languages are stored and searchable but not annotated.
ANNOTATED_LANGUAGES = frozenset({"en"})
#: How sure the identifier must be that a text is in another language before it is left
#: unannotated. Short English texts are often guessed as another language at 0.05–0.45
#: ("Macron met Scholz in Rome." → nl 0.15); Turkish and Russian news paragraphs come out at
#: 0.99 and above (tests/test_language_skip.py). Raise it if English articles are skipped.
SURE = 0.9


def not_annotated_reason(text: str) -> str | None:
    """Why the English pipeline should not annotate the text (a language it cannot read), or
    None when it can (English, or too short or too mixed for a sure answer)."""
    if sum(ch.isalpha() for ch in text[:MAX_CHARS]) < MIN_LETTERS:
        return None
    lang, prob = language_of_line(text)
    if lang in ANNOTATED_LANGUAGES or prob < SURE:
        return None
    readable = ", ".join(sorted(ANNOTATED_LANGUAGES))
    return f"language {lang} not supported (the annotator reads {readable})"
