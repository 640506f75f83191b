"""Score the HTML extraction stage on the public gold sets in ``../shared/eval``.

Three sets, each scored for our :func:`~detente.extract.html.extract_html` and for the library
it builds on, in the same run and on the same pages:

``zyte``
    scrapinghub's article-extraction-benchmark (181 pages). Re-implementation of its
    ``evaluate.py`` scoring: texts are cut into ``\\w+`` tokens, tokens into overlapping
    4-token shingles (a text under 4 tokens is one shingle); per page, the multiset overlap
    gives tp / fp / fn, which are divided by their sum so long pages weigh no more than short
    ones; precision is averaged over the pages with tp + fp > 0, recall over those with
    tp + fn > 0 (so an empty answer costs recall only, as in the benchmark), a page's score
    being 1.0 when fp = fn = 0; F1 is the harmonic mean of the two averages.
``htmldate``
    htmldate's gold publication dates (1,000 pages, two JSON indexes). Accuracy is the share
    of pages whose answer is the gold day exactly; a missing answer is wrong, except on the
    5 pages whose gold is "no date" (``NaN``), where only a missing answer is right. F1 is
    htmldate's own: right answers are tp, wrong dates fp, missing ones fn.
``trafilatura_snippets``
    trafilatura's boilerplate benchmark (990 pages): each "with" snippet found in the
    whitespace-normalized text is a tp (missing: fn), each "without" snippet found is a fp
    (absent: tn); precision, recall and F1 are computed over the pooled counts, as its
    ``tests/evaluate.py`` does.

The page archives are unpacked once into ``$DETENTE_CACHE/eval`` (default
``~/.cache/detente/eval``), never into the repository.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import logging
import math
import multiprocessing
import os
import re
import shutil
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from detente.errors import InputError
from detente.extract.html import extract_html, publication_date
from detente.model import Extracted

__all__ = [
    "FIGURES",
    "ExtractionEvaluation",
    "SetResult",
    "eval_htmldate",
    "eval_trafilatura_snippets",
    "eval_zyte",
    "locate_eval_root",
    "run_extraction_eval",
    "shingle_counts",
    "snippet_counts",
    "zyte_scores",
]

LOGGER = logging.getLogger(__name__)

#: Tokens per shingle in the zyte scoring (the benchmark's ``ngram_n``).
SHINGLE_SIZE = 4
#: Worker processes; the gates run on 2-core CI machines.
DEFAULT_WORKERS = 2
#: Pages handed to a worker at a time: small enough to balance, large enough to amortize.
CHUNK_SIZE = 4

#: Every figure :meth:`ExtractionEvaluation.figures` returns (the keys floors may pin).
FIGURES = (
    *("zyte_precision", "zyte_recall", "zyte_f1", "htmldate_accuracy", "htmldate_f1"),
    *("trafilatura_snippets_precision", "trafilatura_snippets_recall"),
    *("trafilatura_snippets_f1", "trafilatura_snippets_accuracy"),
)

ZYTE_DIR = "zyte_article_extraction_benchmark"
HTMLDATE_DIR = "htmldate_eval"
SNIPPETS_DIR = "trafilatura_eval"

Extract = Callable[[bytes], Extracted]
Counts = tuple[float, float, float]
_T = TypeVar("_T")
_R = TypeVar("_R")
_TOKEN = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


# --- results --------------------------------------------------------------------------------
@dataclass(slots=True)
class SetResult:
    """The figures of every system on one evaluation set."""

    name: str
    documents: int
    systems: dict[str, dict[str, float]]  # system -> figure -> value; ours comes first
    errors: dict[str, int] = field(default_factory=dict)  # system -> pages that raised
    seconds: dict[str, float] = field(default_factory=dict)  # system -> summed page time
    wall_seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return dataclasses.asdict(self)

    def format(self) -> str:
        """A small aligned table, one row per system."""
        figures = list(next(iter(self.systems.values()), {}))
        lines = [f"{self.name}: {self.documents} pages, {self.wall_seconds:.1f} s"]
        lines.append(f"  {'system':<28}" + "".join(f"{f:>10}" for f in figures) + "  ms/page")
        for system, values in self.systems.items():
            per_page = 1000 * self.seconds.get(system, 0.0) / max(1, self.documents)
            row = "".join(f"{values[f]:>10.4f}" for f in figures)
            errors = self.errors.get(system, 0)
            note = f"  ({errors} errors)" if errors else ""
            lines.append(f"  {system:<28}{row}  {per_page:7.1f}{note}")
        return "\n".join(lines)


@dataclass(slots=True)
class ExtractionEvaluation:
    """The three extraction sets, with the headline figure of each for the gates."""

    results: list[SetResult]

    def figures(self) -> dict[str, float]:
        """Our figures, flat: ``zyte_f1``, ``htmldate_accuracy``, ``trafilatura_snippets_f1``..."""
        flat: dict[str, float] = {}
        for result in self.results:
            ours = next(iter(result.systems.values()), {})
            for figure, value in ours.items():
                flat[f"{result.name}_{figure}"] = value
        return flat

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the flat figures, then every set in full."""
        return {"figures": self.figures(), "sets": [r.to_dict() for r in self.results]}

    def format(self) -> str:
        """Every set's table, separated by blank lines."""
        return "\n\n".join(result.format() for result in self.results)


# --- locating and unpacking the data --------------------------------------------------------
def locate_eval_root() -> Path | None:
    """``$DETENTE_EVAL_DIR``, else ``../shared/eval`` next to the repository; None when absent."""
    override = os.environ.get("DETENTE_EVAL_DIR")
    if override:
        path = Path(override).expanduser()
        return path if path.is_dir() else None
    repo = Path(__file__).resolve().parents[3]  # src/detente/evaluation.py -> the repository
    for base in (repo, Path.cwd()):
        candidate = base.parent / "shared" / "eval"
        if candidate.is_dir():
            return candidate
    return None


def cache_dir() -> Path:
    """Where unpacked pages live: ``$DETENTE_CACHE/eval``, else ``~/.cache/detente/eval``."""
    base = os.environ.get("DETENTE_CACHE")
    root = Path(base).expanduser() if base else Path.home() / ".cache" / "detente"
    return root / "eval"


def unpacked(archive: Path) -> Path:
    """Unpack a .tar.gz page set once into the cache, keyed by its size and mtime; return it."""
    stat = archive.stat()
    key = hashlib.sha256(f"{archive.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    target = cache_dir() / f"{archive.parent.parent.name}-{key.hexdigest()[:12]}"
    if (target / ".complete").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    LOGGER.info("unpacking %s into %s", archive, target)
    staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=target.parent))
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(staging, filter="data")  # no absolute paths, links or devices
        (staging / ".complete").touch()
        try:
            staging.rename(target)
        except OSError:  # another process unpacked it first, or a stale partial copy exists
            if not (target / ".complete").is_file():
                shutil.rmtree(target, ignore_errors=True)
                staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _set_dir(root: Path, name: str, marker: str) -> Path:
    """The folder of one set, given the eval root or the set folder itself."""
    for candidate in (root, root / name):
        if (candidate / marker).exists():
            return candidate
    raise InputError(
        f"{name} not found under {root} (looked for {marker}); pass the folder that holds "
        "../shared/eval or set DETENTE_EVAL_DIR"
    )


def _find_page(folders: Sequence[Path], filename: str) -> Path:
    """The first folder that holds ``filename``."""
    for folder in folders:
        path = folder / filename
        if path.is_file():
            return path
    raise InputError(f"page {filename!r} is missing from {', '.join(map(str, folders))}")


# --- running extractors ---------------------------------------------------------------------
def _pool_map(func: Callable[[_T], _R], items: Sequence[_T], workers: int) -> Iterator[_R]:
    """Map in ``workers`` spawned processes (in this process when workers <= 1)."""
    if workers <= 1 or len(items) < 2 * CHUNK_SIZE:
        yield from map(func, items)
        return
    # spawn, not fork: no inherited locks or threads, and the same behaviour on every OS
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(func, items, chunksize=CHUNK_SIZE)


def _timed(func: Callable[[], _R]) -> tuple[_R | None, float, str | None]:
    """Run one extractor on one page: its answer, its time and its error (None when fine)."""
    started = time.perf_counter()
    try:
        return func(), time.perf_counter() - started, None
    except Exception as err:  # a page that breaks an extractor counts as a miss, not a crash
        return None, time.perf_counter() - started, f"{type(err).__name__}: {err}"


def _ours_text(extract: Extract, html: bytes) -> str:
    """Our body text."""
    return extract(html).text


def _trafilatura_text(html: bytes, **options: Any) -> str:
    """trafilatura's body text with the given options ("" when it finds none)."""
    from trafilatura import extract

    return extract(html, **options) or ""


def _text_systems(extract: Extract) -> dict[str, Callable[[bytes], str]]:
    """Our extractor and the trafilatura baselines for the text sets, ours first."""
    return {
        "detente": partial(_ours_text, extract),
        "trafilatura": _trafilatura_text,  # library defaults
        "trafilatura_no_comments": partial(_trafilatura_text, include_comments=False),
    }


def _score_texts(
    extract: Extract, html: bytes, score: Callable[[str], Any]
) -> dict[str, tuple[Any, float, str | None]]:
    """Every text system's score on one page (an error scores as empty text), time and error."""
    outcome: dict[str, tuple[Any, float, str | None]] = {}
    for system, run in _text_systems(extract).items():
        text, seconds, error = _timed(partial(run, html))
        outcome[system] = (score(text or ""), seconds, error)
    return outcome


@dataclass(slots=True)
class _Tally:
    """Per-system answers, times and errors gathered from the workers."""

    answers: dict[str, list[Any]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: dict[str, tuple[Any, float, str | None]], page: str) -> None:
        """Record one page's outcome for every system."""
        for system, (answer, seconds, error) in outcome.items():
            self.answers.setdefault(system, []).append(answer)
            self.seconds[system] = self.seconds.get(system, 0.0) + seconds
            if error:
                self.errors[system] += 1
                LOGGER.debug("%s failed on %s: %s", system, page, error)


# --- zyte -----------------------------------------------------------------------------------
def shingle_counts(true: str, pred: str, size: int = SHINGLE_SIZE) -> Counts:
    """tp, fp, fn over token shingles, divided by their sum (all 0.0 when both are empty)."""
    truth, guess = _shingles(true, size), _shingles(pred, size)
    tp = sum((truth & guess).values())
    fp = sum((guess - truth).values())
    fn = sum((truth - guess).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _shingles(text: str, size: int) -> Counter[tuple[str, ...]]:
    """Multiset of overlapping ``size``-token shingles; one short shingle for a short text."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    last = max(1, len(tokens) - size + 1)
    return Counter(tuple(tokens[i : i + size]) for i in range(last))


def _page_score(tp: float, other: float, fp: float, fn: float) -> float:
    """The benchmark's per-page precision (other=fp) or recall (other=fn)."""
    if fp == fn == 0:
        return 1.0
    return tp / (tp + other) if tp + other else 0.0


def zyte_scores(counts: Iterable[Counts]) -> dict[str, float]:
    """Precision, recall and F1 from per-page normalized counts, averaged as the benchmark does."""
    rows = list(counts)
    precisions = [_page_score(tp, fp, fp, fn) for tp, fp, fn in rows if tp + fp > 0]
    recalls = [_page_score(tp, fn, fp, fn) for tp, fp, fn in rows if tp + fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _zyte_page(
    extract: Extract, job: tuple[str, str, str]
) -> dict[str, tuple[Any, float, str | None]]:
    """Score every system on one zyte page."""
    path, truth, _ = job
    html = gzip.decompress(Path(path).read_bytes())
    return _score_texts(extract, html, partial(shingle_counts, truth))


def eval_zyte(
    root: Path,
    *,
    extract: Extract = extract_html,
    workers: int = DEFAULT_WORKERS,
    limit: int | None = None,
) -> SetResult:
    """Body shingle precision/recall/F1 on the zyte benchmark, ours and trafilatura's."""
    folder = _set_dir(Path(root), ZYTE_DIR, "ground-truth.json")
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    jobs = [
        (str(folder / "html" / f"{key}.html.gz"), item.get("articleBody") or "", key)
        for key, item in sorted(truth.items())
    ]
    return _collect("zyte", jobs[:limit], partial(_zyte_page, extract), workers, zyte_scores)


# --- htmldate -------------------------------------------------------------------------------
def _htmldate_page(
    extract: Extract, job: tuple[str, str | None, str]
) -> dict[str, tuple[Any, float, str | None]]:
    """Every system's publication date for one page."""
    from htmldate import find_date

    path, _, _ = job
    html = Path(path).read_bytes()

    def ours() -> str | None:
        return extract(html).published

    def rule_only() -> str | None:
        return publication_date(html)[0]

    def htmldate() -> str | None:
        found: str | None = find_date(html, extensive_search=True, original_date=True)
        return found

    systems = {"detente": ours, "detente_date_rule": rule_only, "htmldate_extensive": htmldate}
    return {name: _timed(run) for name, run in systems.items()}


def _date_scores(pairs: Iterable[tuple[str | None, str | None]]) -> dict[str, float]:
    """Accuracy and htmldate's F1 from (answer, gold) pairs; gold None means "no date"."""
    right = wrong = missing = total = 0
    for answer, gold in pairs:
        total += 1
        if answer == gold:
            right += 1
        elif answer is None:
            missing += 1
        else:
            wrong += 1
    f1 = 2 * right / (2 * right + wrong + missing) if total else 0.0
    return {"accuracy": right / total if total else 0.0, "f1": f1}


def eval_htmldate(
    root: Path,
    *,
    extract: Extract = extract_html,
    workers: int = DEFAULT_WORKERS,
    limit: int | None = None,
) -> SetResult:
    """Publication-date accuracy on htmldate's two gold indexes, ours and htmldate's."""
    folder = _set_dir(Path(root), HTMLDATE_DIR, "tests/eval_default.json")
    pages = unpacked(folder / "tests" / "pages.tar.gz")
    folders = [pages / "test_set", pages / "cache", pages / "eval"]
    jobs: list[tuple[str, str | None, str]] = []
    for index in ("eval_mediacloud_2020.json", "eval_default.json"):
        entries = json.loads((folder / "tests" / index).read_text(encoding="utf-8"))
        for url, item in entries.items():
            gold = item.get("date")
            if isinstance(gold, float) and math.isnan(gold):
                gold = None
            jobs.append((str(_find_page(folders, item["file"])), gold, url))
    page = partial(_htmldate_page, extract)
    return _collect("htmldate", jobs[:limit], page, workers, _date_scores, paired=True)


# --- trafilatura snippets -------------------------------------------------------------------
def _norm(text: str) -> str:
    """Collapse whitespace, as trafilatura's benchmark does before matching."""
    return _SPACES.sub(" ", text).strip()


def snippet_counts(text: str, present: Sequence[str], absent: Sequence[str]) -> tuple[int, ...]:
    """tp, fp, fn, tn of one page: "with" snippets found, "without" snippets found, etc."""
    flat = _norm(text)
    tp = sum(1 for snippet in present if _norm(snippet) in flat)
    fp = sum(1 for snippet in absent if _norm(snippet) in flat)
    return tp, fp, len(present) - tp, len(absent) - fp


def _snippet_scores(counts: Iterable[tuple[int, ...]]) -> dict[str, float]:
    """Pooled precision, recall, F1 and accuracy."""
    tp = fp = fn = tn = 0
    for page_tp, page_fp, page_fn, page_tn in counts:
        tp, fp, fn, tn = tp + page_tp, fp + page_fp, fn + page_fn, tn + page_tn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    accuracy = (tp + tn) / (tp + fp + fn + tn) if tp + fp + fn + tn else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "accuracy": accuracy}


def _snippet_page(
    extract: Extract, job: tuple[str, tuple[list[str], list[str]], str]
) -> dict[str, tuple[Any, float, str | None]]:
    """Snippet counts of every system on one page."""
    path, (present, absent), _ = job
    html = Path(path).read_bytes()
    return _score_texts(extract, html, lambda text: snippet_counts(text, present, absent))


def eval_trafilatura_snippets(
    root: Path,
    *,
    extract: Extract = extract_html,
    workers: int = DEFAULT_WORKERS,
    limit: int | None = None,
) -> SetResult:
    """Share of must-have snippets kept and boilerplate snippets dropped, ours and trafilatura's."""
    folder = _set_dir(Path(root), SNIPPETS_DIR, "tests/evaldata.json")
    pages = unpacked(folder / "tests" / "pages.tar.gz")
    folders = [pages / "cache", pages / "eval"]
    data = json.loads((folder / "tests" / "evaldata.json").read_text(encoding="utf-8"))
    jobs = [
        (str(_find_page(folders, item["file"])), (item["with"], item["without"]), url)
        for url, item in data.items()
    ]
    page = partial(_snippet_page, extract)
    return _collect("trafilatura_snippets", jobs[:limit], page, workers, _snippet_scores)


# --- shared driver --------------------------------------------------------------------------
def _collect(
    name: str,
    jobs: Sequence[tuple[str, Any, str]],
    page: Callable[[tuple[str, Any, str]], dict[str, tuple[Any, float, str | None]]],
    workers: int,
    scores: Callable[[Any], dict[str, float]],
    *,
    paired: bool = False,
) -> SetResult:
    """Run ``page`` over every job and score each system's answers."""
    started = time.perf_counter()
    tally = _Tally()
    for job, outcome in zip(jobs, _pool_map(page, jobs, workers), strict=True):
        if paired:  # date answers are scored against the job's gold value
            outcome = {s: ((a, job[1]), t, e) for s, (a, t, e) in outcome.items()}
        tally.add(outcome, job[2])
    result = SetResult(
        name=name,
        documents=len(jobs),
        systems={system: scores(answers) for system, answers in tally.answers.items()},
        errors=dict(tally.errors),
        seconds=tally.seconds,
        wall_seconds=time.perf_counter() - started,
    )
    LOGGER.info("%s", result.format())
    return result


def run_extraction_eval(
    root: str | Path | None = None,
    *,
    limit: int | None = None,
    extract: Extract = extract_html,
    workers: int = DEFAULT_WORKERS,
) -> ExtractionEvaluation:
    """Run the three extraction sets (the first ``limit`` pages of each when given)."""
    found = Path(root).expanduser() if root else locate_eval_root()
    if found is None or not found.is_dir():
        raise InputError(
            f"the evaluation data was not found ({root or '../shared/eval'}); pass --eval-dir "
            "or set DETENTE_EVAL_DIR to the folder that holds zyte_article_extraction_benchmark"
        )
    options: dict[str, Any] = {"extract": extract, "workers": workers, "limit": limit}
    return ExtractionEvaluation(
        [
            eval_zyte(found, **options),
            eval_htmldate(found, **options),
            eval_trafilatura_snippets(found, **options),
        ]
    )
