"""End-to-end speed and memory: ingest through event coding, next to its two baselines.

Runs on the same pages (the zyte benchmark pages when ``../shared/eval`` is there, else the
demo pages repeated), each variant in its own fresh process so peak memory is comparable:

- ``trafilatura``: trafilatura's extraction alone (baseline for the extract stage);
- ``spacy``: ``nlp.pipe`` alone over the texts Detente extracted (baseline for the NLP);
- ``detente, 1 worker``: the whole pipeline in one process, timed stage by stage (extract,
  parse, annotate, code, store) into a temporary SQLite file;
- ``detente, N workers``: ``detente ingest --workers N`` over the same pages written as files.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.bench import _max_rss_mb, load_bench_pages
from detente.errors import DetenteError

log = logging.getLogger(__name__)

#: Seconds a variant may run before the benchmark gives up on it.
VARIANT_TIMEOUT = 3600.0
#: Worker counts measured for the scaling rows.
WORKER_COUNTS = (1, 2)


@dataclass(slots=True)
class PipelineResult:
    """One variant's throughput and memory."""

    name: str
    articles: int
    seconds: float
    peak_rss_mb: float
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage

    @property
    def per_second(self) -> float:
        """Articles per second."""
        return self.articles / self.seconds if self.seconds else 0.0


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
        return data

    def _rate(self, name: str) -> float:
        return next((v.per_second for v in self.variants if v.name == name), 0.0)

    def format(self) -> str:
        """A table of the variants, the stage split and the ratios."""
        lines = [
            f"pipeline benchmark: {self.pages} pages from {self.source} "
            f"({self.words_per_article:.0f} words per article after extraction)",
            f"  {'variant':<22}{'articles/s':>11}{'seconds':>10}{'peak MB':>10}",
        ]
        for v in self.variants:
            lines.append(
                f"  {v.name:<22}{v.per_second:>11.2f}{v.seconds:>10.1f}{v.peak_rss_mb:>10.0f}"
            )
        one = next((v for v in self.variants if v.name == "detente, 1 worker"), None)
        if one is not None and one.stages:
            total = sum(one.stages.values()) or 1.0
            split = ", ".join(f"{k} {100 * s / total:.0f}%" for k, s in one.stages.items())
            lines.append(f"  stage split (1 worker): {split}")
        spacy, single = self._rate("spacy"), self._rate("detente, 1 worker")
        if spacy and single:
            lines.append(f"  detente / spaCy alone: {single / spacy:.2f}")
        two = self._rate("detente, 2 workers")
        if single and two:
            lines.append(f"  scaling 1 → 2 workers: ×{two / single:.2f}")
        return "\n".join(lines)


def _trafilatura(pages: Sequence[bytes]) -> dict[str, Any]:
    import trafilatura

    trafilatura.extract(pages[0])
    started = time.perf_counter()
    for page in pages:
        trafilatura.extract(page)
    return {"seconds": time.perf_counter() - started, "stages": {}}


def _spacy(texts: Sequence[str]) -> dict[str, Any]:
    from detente.nlp import load_pipeline

    nlp = load_pipeline()
    nlp(texts[0])
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=16):
        pass
    return {"seconds": time.perf_counter() - started, "stages": {}}


def _single(pages: Sequence[bytes]) -> dict[str, Any]:
    """The whole pipeline in this process, each stage timed."""
    from detente.actors import ActorResolver
    from detente.annotate import annotate_doc
    from detente.extract import extract_document
    from detente.model import RawDocument
    from detente.nlp import load_pipeline
    from detente.store import Store

    nlp = load_pipeline()
    resolver = ActorResolver()
    stages = dict.fromkeys(("extract", "parse", "annotate", "code", "store"), 0.0)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        started = time.perf_counter()
        for i, page in enumerate(pages):
            t0 = time.perf_counter()
            try:
                article = extract_document(RawDocument(source=f"page-{i}", content=page))
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
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "stages": stages}


def _workers(pages: Sequence[bytes], workers: int) -> dict[str, Any]:
    from detente.ingest import ingest
    from detente.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for i, page in enumerate(pages):
            (folder / f"page-{i:05d}.html").write_bytes(page)
        with Store(Path(tmp) / "bench.db") as store:
            started = time.perf_counter()
            ingest([str(folder)], store=store, workers=workers)
            seconds = time.perf_counter() - started
    return {"seconds": seconds, "stages": {}}


def _child(kind: str, payload: Any, extra: Any, results: Any) -> None:
    logging.disable(logging.WARNING)
    if kind == "trafilatura":
        out = _trafilatura(payload)
    elif kind == "spacy":
        out = _spacy(payload)
    elif kind == "single":
        out = _single(payload)
    else:
        out = _workers(payload, extra)
    out["peak"] = _max_rss_mb()
    results.put(out)


def _run(kind: str, payload: Any, extra: Any = None) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=_child, args=(kind, payload, extra, results))
    child.start()
    try:
        out: dict[str, Any] = results.get(timeout=VARIANT_TIMEOUT)
    except Exception as err:  # queue.Empty on timeout, or the child died
        child.kill()
        raise DetenteError(f"benchmark variant {kind!r} failed or timed out: {err!r}") from err
    finally:
        child.join()
    return out


def bench_pipeline(pages: Sequence[bytes], *, source: str) -> PipelineReport:
    """Run every variant over the same pages, each in a fresh process."""
    from detente.extract import extract_document
    from detente.model import RawDocument

    texts = []
    for i, page in enumerate(pages):
        try:
            texts.append(extract_document(RawDocument(source=f"p{i}", content=page)).text)
        except DetenteError:
            continue
    if not texts:
        raise DetenteError("no page of the benchmark yields article text")
    articles = len(texts)
    variants = []
    for name, kind, payload, extra in (
        ("trafilatura", "trafilatura", pages, None),
        ("spacy", "spacy", texts, None),
        ("detente, 1 worker", "single", pages, None),
        *((f"detente, {n} workers", "workers", pages, n) for n in WORKER_COUNTS if n > 1),
    ):
        out = _run(kind, payload, extra)
        count = len(pages) if kind == "trafilatura" else articles
        variants.append(PipelineResult(name, count, out["seconds"], out["peak"], out["stages"]))
        log.info("%s: %.2f articles/s", name, variants[-1].per_second)
    words = sum(len(t.split()) for t in texts) / articles
    return PipelineReport(source, len(pages), words, variants)


def run_pipeline_bench(limit: int | None = None, *, eval_dir: str | None = None) -> PipelineReport:
    """Load the benchmark pages (the first ``limit``) and run :func:`bench_pipeline`."""
    pages, source = load_bench_pages(eval_dir, limit=limit)
    return bench_pipeline(pages, source=source)
