"""Language identification with py3langid (its model ships inside the wheel)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

#: Fewer letters than this and the language is not guessed (returns None).
MIN_LETTERS = 20
#: Only the first characters are read: enough for a sure answer, and bounded in time.
MAX_CHARS = 5_000


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_of_line(text: str) -> tuple[str, float]:
    """The most likely ISO 639-1 language of a short text and its probability."""
    lang, prob = _identifier().classify(text[:MAX_CHARS])
    return str(lang), float(prob)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when there is too little text."""
    if sum(ch.isalpha() for ch in text[:MAX_CHARS]) < MIN_LETTERS:
        return None
    return language_of_line(text)[0]
