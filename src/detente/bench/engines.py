"""Engines side by side: local worker processes against Ray actors, 1 and 2 of each.

``detente bench engines`` runs the same pages through ``ingest --workers N`` (SQLite, the
parent writing) and through ``ingest --engine ray --out`` on a local Ray cluster with N
actors, in one run. The Ray figure is taken "once started": the cluster is started before
the clock runs (it is started once per machine, not per batch), while each actor's pipeline
loading is counted, as it is for local workers. Ray's figure also includes writing Parquet,
and the local one writing SQLite.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from detente.bench.extract import load_bench_pages

log = logging.getLogger(__name__)

WORKER_COUNTS = (1, 2)


@dataclass(slots=True)
class EngineResult:
    """One engine at one worker count."""

    name: str
    articles: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


@dataclass(slots=True)
class EngineReport:
    """Every engine and worker count over the same pages."""

    source: str
    pages: int
    shard_size: int
    cluster_start_seconds: float = 0.0
    results: list[EngineResult] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for row, result in zip(data["results"], self.results, strict=True):
            row["per_second"] = result.per_second
        return data

    def _rate(self, name: str) -> float:
        return next((r.per_second for r in self.results if r.name == name), 0.0)

    def format(self) -> str:
        lines = [
            f"engine benchmark: {self.pages} pages from {self.source} "
            f"({self.shard_size} documents per shard)",
            f"  {'engine':<20}{'articles/s':>11}{'seconds':>10}",
        ]
        lines += [f"  {r.name:<20}{r.per_second:>11.2f}{r.seconds:>10.1f}" for r in self.results]
        lines.append(f"  local Ray cluster start (not counted): {self.cluster_start_seconds:.1f} s")
        for n in WORKER_COUNTS:
            local, ray = self._rate(f"local, {n} workers"), self._rate(f"ray, {n} workers")
            if local and ray:
                lines.append(f"  ray / local with {n} workers: {ray / local:.2f}")
        for engine in ("local", "ray"):
            one, two = self._rate(f"{engine}, 1 workers"), self._rate(f"{engine}, 2 workers")
            if one and two:
                lines.append(f"  {engine} scaling 1 → 2 workers: ×{two / one:.2f}")
        return "\n".join(lines).replace("1 workers", "1 worker")


def bench_engines(
    pages: Sequence[bytes], *, source: str, workers: Sequence[int] = WORKER_COUNTS
) -> EngineReport:
    """Time local workers and Ray actors over the same pages (written as files first)."""
    from detente.ingest import ingest
    from detente.scale.ray_engine import cluster, run_ray
    from detente.scale.shards import Options
    from detente.store.database import Store

    per_shard = max(1, min(32, len(pages) // (4 * max(workers))))
    report = EngineReport(source=source, pages=len(pages), shard_size=per_shard)
    with tempfile.TemporaryDirectory(prefix="detente-bench-") as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for i, page in enumerate(pages):
            (folder / f"page-{i:05d}.html").write_bytes(page)
        for n in workers:
            with Store(Path(tmp) / f"local-{n}.db") as store:
                started = time.perf_counter()
                done = ingest([str(folder)], store=store, workers=n)
                seconds = time.perf_counter() - started
            report.results.append(EngineResult(f"local, {n} workers", done.added, seconds))
            log.info("local, %d workers: %.2f articles/s", n, report.results[-1].per_second)
        for n in workers:
            started = time.perf_counter()
            with cluster(workers=n):
                report.cluster_start_seconds = time.perf_counter() - started
                started = time.perf_counter()
                run = run_ray([str(folder)], Path(tmp) / f"ray-{n}", Options(), workers=n,
                              shard_size=per_shard)  # fmt: skip
                seconds = time.perf_counter() - started
            report.results.append(EngineResult(f"ray, {n} workers", run.articles, seconds))
            log.info("ray, %d workers: %.2f articles/s", n, report.results[-1].per_second)
    return report


def run_engine_bench(limit: int | None = None, *, eval_dir: str | None = None) -> EngineReport:
    """Load the benchmark pages (the first ``limit``) and run :func:`bench_engines`."""
    pages, source = load_bench_pages(eval_dir, limit=limit)
    return bench_engines(pages, source=source)
