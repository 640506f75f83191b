"""End-to-end speed and memory: ingest through event coding, next to its two baselines.

Runs on the same pages (the zyte benchmark pages when ``../shared/eval`` is there, else the
demo pages repeated), each variant in fresh processes so peak memory is comparable:

- ``trafilatura``: trafilatura's extraction alone (baseline for the extract stage);
- ``spacy``: the stock spaCy model's ``nlp.pipe`` alone over the texts Detente extracted
  (baseline for the NLP: ``spacy.load`` as shipped, without Detente's faster components);
- ``detente``: the whole pipeline per article (extract, parse, annotate, code, store into a
  temporary SQLite file), timed stage by stage;
- ``detente ingest, N workers``: ``detente ingest --workers N`` over the same pages written as
  files, into SQLite, wall time including the start of the worker pool;
- ``spacy nlp.pipe(n_process=N)``: the stock model's own multiprocessing over the same texts,
  wall time including the start of its processes (the baseline of the ingest rows).

``spacy`` and ``detente`` run in 1 and in :data:`PARALLEL` processes at once, each on its share
of the pages; every process loads and warms up (one article through every stage) before a
common start, and the load time is reported apart as ``startup``. The two-process rows thus
show how the per-article work scales on the cores, whatever the worker pool adds.

Wall time depends on what else the machine runs; each row also counts its CPU time
(``per CPU-s``: articles per CPU-second) and its CPU use (``CPU use``: CPU seconds of the
process tree, its children included, per wall second; 2.00 is two busy cores), from which the
report projects the rate on otherwise idle cores. Compare a row with the spaCy row of the same
run, never with another run.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente import settings
from detente.bench.extract import _max_rss_mb, load_bench_pages
from detente.errors import DetenteError

log = logging.getLogger(__name__)

#: Seconds a variant may run before the benchmark gives up on it.
VARIANT_TIMEOUT = 3600.0
#: Processes of the scaling rows (the cores of the reference machine).
PARALLEL = 2
#: Worker counts measured through ``detente ingest`` (wall time, pool start included), each
#: next to spaCy's ``nlp.pipe(n_process=N)`` on the same texts.
WORKER_COUNTS = (1, 2)
#: What ``detente ingest --workers 2`` should reach against ``nlp.pipe(n_process=2)`` (issue 16).
INGEST_TARGET = 0.85
#: Warm-up text with an event in a place (loads the geocoder before the timed part).
WARM_UP = "Russian President Vladimir Putin met Turkish President Tayyip Erdogan in Sochi."
#: The stages of the ``detente`` rows, in pipeline order.
STAGES = ("extract", "parse", "annotate", "code", "store")


@dataclass(slots=True)
class PipelineResult:
    """One variant's throughput and memory."""

    name: str
    articles: int
    seconds: float  # wall time of the timed part
    peak_rss_mb: float  # the largest process
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage, all processes
    processes: int = 1
    startup: float | None = None  # seconds to load and warm up; None: inside ``seconds``
    process_seconds: list[float] = field(default_factory=list)  # each process's timed part
    cpu_seconds: float = 0.0  # CPU time of the timed part, all processes

    @property
    def per_second(self) -> float:
        """Articles per second."""
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def per_cpu_second(self) -> float:
        """Articles per CPU-second: the rate per core had the machine nothing else to run."""
        return self.articles / self.cpu_seconds if self.cpu_seconds else 0.0

    @property
    def cpu_use(self) -> float:
        """CPU seconds of the row's processes and their children per wall second."""
        return self.cpu_seconds / self.seconds if self.seconds else 0.0


@dataclass(slots=True)
class PipelineReport:
    """All variants side by side."""

    source: str
    pages: int
    words_per_article: float
    variants: list[PipelineResult]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        data = dataclasses.asdict(self)
        for row, variant in zip(data["variants"], self.variants, strict=True):
            row["per_second"] = variant.per_second
            row["per_cpu_second"] = variant.per_cpu_second
            row["cpu_use"] = variant.cpu_use
        return data

    def _rate(self, name: str, *, cpu: bool = False) -> float:
        found = next((v for v in self.variants if v.name == name), None)
        if found is None:
            return 0.0
        return found.per_cpu_second if cpu else found.per_second

    def format(self) -> str:
        """A table of the variants, the stage split, the ratios and the scaling."""
        lines = [
            f"pipeline benchmark: {self.pages} pages from {self.source} "
            f"({self.words_per_article:.0f} words per article after extraction)",
            f"  {'variant':<34}{'articles/s':>11}{'CPU use':>8}{'per CPU-s':>10}{'seconds':>9}"
            f"{'startup s':>10}{'peak MB/proc':>13}",
        ]
        for v in self.variants:
            startup = "incl." if v.startup is None else f"{v.startup:.1f}"
            lines.append(
                f"  {v.name:<34}{v.per_second:>11.2f}{v.cpu_use:>8.2f}{v.per_cpu_second:>10.2f}"
                f"{v.seconds:>9.1f}{startup:>10}{v.peak_rss_mb:>13.0f}"
            )
        one = next((v for v in self.variants if v.name == _name("detente", 1)), None)
        if one is not None and one.stages:
            total = sum(one.stages.values()) or 1.0
            split = ", ".join(f"{k} {100 * s / total:.0f}%" for k, s in one.stages.items())
            per = ", ".join(f"{k} {1000 * s / one.articles:.0f}" for k, s in one.stages.items())
            lines.append(f"  stage split (1 process): {split}")
            lines.append(f"  ms per article (1 process): {per}")
        for n in (1, PARALLEL):
            spacy, ours = self._rate(_name("spacy", n)), self._rate(_name("detente", n))
            if spacy and ours:
                lines.append(f"  detente / spaCy alone, {_procs(n)}: {ours / spacy:.2f}")
        for kind in ("spacy", "detente"):
            one_rate, many = self._rate(_name(kind, 1)), self._rate(_name(kind, PARALLEL))
            if one_rate and many:
                lines.append(f"  scaling 1 → {PARALLEL} processes, {kind}: ×{many / one_rate:.2f}")
        for n in WORKER_COUNTS:
            ingest, spacy = self._rate(_ingest_name(n)), self._rate(_pipe_name(n))
            if ingest and spacy:
                target = f" (target {INGEST_TARGET:.2f})" if n == PARALLEL else ""
                lines.append(
                    f"  ingest --workers {n} / spaCy nlp.pipe(n_process={n}): "
                    f"{ingest / spacy:.2f}{target}"
                )
        one_worker, many_workers = self._rate(_ingest_name(1)), self._rate(_ingest_name(PARALLEL))
        if one_worker and many_workers:
            lines.append(
                f"  scaling ingest --workers 1 → {PARALLEL}: ×{many_workers / one_worker:.2f}"
            )
        cores = self._rate(_name("detente", PARALLEL), cpu=True)
        if cores:  # CPU time leaves out what other programs took from the cores meanwhile
            lines.append(
                f"  on {PARALLEL} otherwise idle cores (from CPU time, {PARALLEL} processes): "
                f"detente {PARALLEL * cores:.2f} articles/s, spaCy alone "
                f"{PARALLEL * self._rate(_name('spacy', PARALLEL), cpu=True):.2f}"
            )
        return "\n".join(lines)


def _name(kind: str, processes: int) -> str:
    return f"{kind}, {_procs(processes)}"


def _procs(n: int) -> str:
    return f"{n} process" if n == 1 else f"{n} processes"


def _ingest_name(workers: int) -> str:
    return f"detente ingest, {workers} worker{'s' if workers > 1 else ''}"


def _pipe_name(processes: int) -> str:
    return f"spacy nlp.pipe(n_process={processes})"


def _page_name(i: int, page: bytes) -> str:
    """A page's file name: .html for markup, .txt for a plain text (PolNeAR's)."""
    return f"page-{i:05d}.{'html' if page.lstrip()[:1] == b'<' else 'txt'}"


def _raw(i: int, page: bytes) -> Any:
    """The page as ``detente ingest`` reads its file (HTML or plain text)."""
    from detente.model import RawDocument

    name = _page_name(i, page)
    return RawDocument(source=name, content=page, kind="html" if name.endswith("html") else "text")


def _texts(pages: Sequence[bytes]) -> list[str]:
    """The article texts Detente extracts from the pages (pages without one are left out)."""
    from detente.extract.document import extract_document

    texts = []
    for i, page in enumerate(pages):
        try:
            texts.append(extract_document(_raw(i, page)).text)
        except DetenteError:
            continue
    return texts


def _trafilatura(pages: Sequence[bytes], start: Any) -> dict[str, Any]:
    import trafilatura

    began = time.perf_counter()
    trafilatura.extract(pages[0])
    startup = time.perf_counter() - began

    def work() -> None:
        for page in pages:
            trafilatura.extract(page)

    return _timed(work, articles=len(pages), startup=startup, start=start)


def _spacy(texts: Sequence[str], start: Any) -> dict[str, Any]:
    """Stock spaCy: the model as ``spacy.load`` gives it, ``nlp.pipe`` in batches of 16."""
    import spacy

    from detente.annotate.nlp import model_name

    began = time.perf_counter()
    nlp = spacy.load(model_name())
    nlp(texts[0])
    startup = time.perf_counter() - began

    def work() -> None:
        for _doc in nlp.pipe(texts, batch_size=16):
            pass

    return _timed(work, articles=len(texts), startup=startup, start=start)


def _spacy_pipe(texts: Sequence[str], processes: int) -> dict[str, Any]:
    """Stock spaCy's own multiprocessing, start of its processes included (CPU: theirs too)."""
    import spacy

    from detente.annotate.nlp import model_name

    began = time.perf_counter()
    nlp = spacy.load(model_name())
    nlp(texts[0])
    startup = time.perf_counter() - began
    started, cpu = time.perf_counter(), _cpu_with_children()
    for _doc in nlp.pipe(texts, batch_size=16, n_process=processes):
        pass
    multiprocessing.active_children()  # reaps spaCy's processes, so their CPU time counts
    seconds, cpu = time.perf_counter() - started, _cpu_with_children() - cpu
    return {"seconds": seconds, "cpu": cpu, "articles": len(texts), "startup": startup}


def _timed(
    work: Callable[[], None], *, articles: int, startup: float, start: Any
) -> dict[str, Any]:
    """Wall and CPU time of ``work()``, begun when every variant is warm (``start``)."""
    _wait(start)
    started, cpu = time.perf_counter(), time.process_time()
    work()
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "articles": articles,
        "startup": startup,
    }


def _single(pages: Sequence[bytes], start: Any) -> dict[str, Any]:
    """The whole pipeline in this process, each stage timed (after one warm-up article)."""
    from detente.annotate.actors import ActorResolver
    from detente.annotate.nlp import load_pipeline
    from detente.annotate.pipeline import annotate_doc
    from detente.extract.document import extract_document
    from detente.model import Article
    from detente.store.database import Store

    began = time.perf_counter()
    nlp = load_pipeline()
    resolver = ActorResolver()
    stages = dict.fromkeys(STAGES, 0.0)
    for page in pages[:3]:  # one article loads the lemma tables, actor tables and lexicons
        try:
            article = extract_document(_raw(0, page))
        except DetenteError:
            continue
        annotate_doc(article, nlp(article.text), resolver=resolver)
        break
    # an event with a place loads the geocoder's gazetteer, which the page may not have
    place = Article(id="warm-up", text=WARM_UP, source="warm-up", published="2024-01-01")
    annotate_doc(place, nlp(WARM_UP), resolver=resolver)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        startup = time.perf_counter() - began
        _wait(start)
        articles = 0
        started, cpu = time.perf_counter(), time.process_time()
        for i, page in enumerate(pages):
            t0 = time.perf_counter()
            try:
                article = extract_document(_raw(i, page))
            except DetenteError:
                stages["extract"] += time.perf_counter() - t0
                continue
            t1 = time.perf_counter()
            doc = nlp(article.text)
            t2 = time.perf_counter()
            annotate_doc(article, doc, resolver=resolver, timings=stages)
            t3 = time.perf_counter()
            store.add_article(article)
            stages["extract"] += t1 - t0
            stages["parse"] += t2 - t1
            stages["store"] += time.perf_counter() - t3
            articles += 1
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu": cpu,
        "stages": stages,
        "articles": articles,
        "startup": startup,
    }


def _workers(pages: Sequence[bytes], workers: int) -> dict[str, Any]:
    from detente.ingest import ingest
    from detente.store.database import Store

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for i, page in enumerate(pages):
            (folder / _page_name(i, page)).write_bytes(page)
        with Store(Path(tmp) / "bench.db") as store:
            started, cpu = time.perf_counter(), _cpu_with_children()
            ingest([str(folder)], store=store, workers=workers)
            seconds, cpu = time.perf_counter() - started, _cpu_with_children() - cpu
    return {"seconds": seconds, "cpu": cpu}


def _cpu_with_children() -> float:
    """CPU seconds of this process and of its finished children (the pool's workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _wait(start: Any) -> None:
    """Wait for the other processes of the row to be warm too (no-op when alone)."""
    if start is not None:
        start.wait(VARIANT_TIMEOUT)


def _children_rss_mb() -> float:
    """The peak resident memory of the largest finished child process, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _child(kind: str, payload: Any, extra: Any, start: Any, results: Any) -> None:
    settings.cap_threads(force=True)  # every variant single-threaded, as ingest's workers are
    logging.disable(logging.WARNING)
    if kind == "trafilatura":
        out = _trafilatura(payload, start)
    elif kind == "spacy":
        out = _spacy(payload, start)
    elif kind == "single":
        out = _single(payload, start)
    elif kind == "spacy_pipe":
        out = _spacy_pipe(payload, extra)
        out["peak"] = max(_max_rss_mb(), _children_rss_mb())
    else:
        out = _workers(payload, extra)
        out["peak"] = max(_max_rss_mb(), _children_rss_mb())  # the pool's workers are joined
    out.setdefault("peak", _max_rss_mb())
    results.put(out)


def _run(kind: str, payloads: Sequence[Any], extra: Any = None) -> dict[str, Any]:
    """Run ``kind`` on each payload in its own fresh process, all timed from a common start."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start = context.Barrier(len(payloads)) if len(payloads) > 1 else None
    children = [
        context.Process(target=_child, args=(kind, payload, extra, start, results))
        for payload in payloads
    ]
    for child in children:
        child.start()
    outs: list[dict[str, Any]] = []
    try:
        for _ in children:
            outs.append(results.get(timeout=VARIANT_TIMEOUT))
    except Exception as err:  # queue.Empty on timeout, or a child died
        for child in children:
            child.kill()
        raise DetenteError(f"benchmark variant {kind!r} failed or timed out: {err!r}") from err
    finally:
        for child in children:
            child.join()
    stages: dict[str, float] = {}
    for out in outs:
        for stage, seconds in out.get("stages", {}).items():
            stages[stage] = stages.get(stage, 0.0) + seconds
    return {
        "seconds": max(out["seconds"] for out in outs),  # together: the slowest ends the row
        "articles": sum(out.get("articles", 0) for out in outs),
        "peak": max(out["peak"] for out in outs),
        "startup": max((out["startup"] for out in outs if "startup" in out), default=None),
        "stages": stages,
        "each": [out["seconds"] for out in outs],
        "cpu": sum(out.get("cpu", 0.0) for out in outs),
    }


def _shares(items: Sequence[Any], n: int) -> list[list[Any]]:
    """``items`` dealt round-robin into ``n`` shares (similar lengths and mixes)."""
    return [list(items[i::n]) for i in range(n)]


def bench_pipeline(
    pages: Sequence[bytes], *, source: str, ingest_only: bool = False
) -> PipelineReport:
    """Run every variant over the same pages, each in fresh processes.

    ``ingest_only``: only the ``detente ingest`` rows and their ``nlp.pipe`` baselines.
    """
    texts = _texts(pages)
    if not texts:
        raise DetenteError("no page of the benchmark yields article text")
    articles = len(texts)
    variants = []
    rows: list[tuple[str, str, list[Any], Any]] = []
    if not ingest_only and any(_page_name(0, page).endswith(".html") for page in pages):
        rows.append(("trafilatura", "trafilatura", [pages], None))  # markup to extract
    for n in () if ingest_only else (1, PARALLEL):
        rows.append((_name("spacy", n), "spacy", _shares(texts, n), None))
        rows.append((_name("detente", n), "single", _shares(pages, n), None))
    for n in WORKER_COUNTS:
        rows.append((_pipe_name(n), "spacy_pipe", [texts], n))
        rows.append((_ingest_name(n), "workers", [pages], n))
    for name, kind, payloads, extra in rows:
        out = _run(kind, payloads, extra)
        count = out["articles"] or articles
        result = PipelineResult(name, count, out["seconds"], out["peak"], out["stages"])
        result.processes, result.startup = len(payloads), out["startup"]
        result.process_seconds, result.cpu_seconds = sorted(out["each"]), out["cpu"]
        variants.append(result)
        log.info("%s: %.2f articles/s", name, variants[-1].per_second)
    words = sum(len(t.split()) for t in texts) / articles
    return PipelineReport(source, len(pages), words, variants)


def run_pipeline_bench(
    limit: int | None = None,
    *,
    eval_dir: str | None = None,
    corpus: str = "zyte",
    ingest_only: bool = False,
) -> PipelineReport:
    """Load the benchmark pages (the first ``limit``) and run :func:`bench_pipeline`.

    ``corpus``: ``zyte`` (HTML pages) or ``polnear`` (the PolNeAR news texts, plain text).
    """
    if corpus == "polnear":
        pages, source = load_polnear_texts(eval_dir, limit=limit)
    else:
        pages, source = load_bench_pages(eval_dir, limit=limit)
    return bench_pipeline(pages, source=source, ingest_only=ingest_only)


def load_polnear_texts(eval_dir: str | None, *, limit: int | None) -> tuple[list[bytes], str]:
    """PolNeAR's article texts in name order over its splits (speed only: no label is read)."""
    from detente.errors import InputError
    from detente.evaluation.extraction import locate_eval_root

    root = Path(eval_dir).expanduser() if eval_dir else locate_eval_root()
    folder = None if root is None else root / "polnear_attribution" / "data"
    files = [] if folder is None else sorted(folder.glob("*/text/*.txt"), key=lambda p: p.name)
    if not files:
        raise InputError(
            "no PolNeAR texts to benchmark: expected polnear_attribution/data/*/text/*.txt "
            "under ../shared/eval (or DETENTE_EVAL_DIR, --eval-dir)"
        )
    pages = [path.read_bytes() for path in files[:limit]]
    return pages, f"{len(pages)} PolNeAR news texts ({folder})"
