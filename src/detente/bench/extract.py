"""Speed and memory of HTML extraction, ours next to trafilatura alone, in the same run.

Each variant runs in its own fresh (spawned) process over the same pages, so that peak memory
(``ru_maxrss``, the process's high-water mark) is comparable: no variant inherits another's
allocations. One page is extracted before the clock starts, so imports and lazy set-up (the
readability and jusText models, dateparser's tables) are not counted as throughput.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import importlib
import logging
import multiprocessing
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detente.errors import DetenteError, InputError

__all__ = [
    "BenchReport",
    "VariantResult",
    "bench_extract",
    "load_bench_pages",
    "run_extract_bench",
]

LOGGER = logging.getLogger(__name__)

#: The example pages are repeated up to this many pages so the timing is not noise.
MIN_BENCH_PAGES = 100
#: Seconds a variant may take before the benchmark gives up on it.
VARIANT_TIMEOUT = 1800.0

#: name -> "module:function"; each takes the page (bytes) and returns text or raises.
VARIANTS = {
    "detente": "detente.extract.html:extract_html",
    "trafilatura": "trafilatura:extract",
}

_EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "articles" / "html"


@dataclass(slots=True)
class VariantResult:
    """One extractor's throughput and memory over the benchmark pages."""

    name: str
    pages: int
    seconds: float
    pages_per_second: float
    peak_rss_mb: float  # the process's peak resident memory, imports and pages included
    start_rss_mb: float  # the peak after imports, the pages and one warm-up page
    empty: int  # pages that gave no text (an error for detente, None for trafilatura)

    @property
    def growth_mb(self) -> float:
        """Peak memory added by extracting the pages."""
        return self.peak_rss_mb - self.start_rss_mb


@dataclass(slots=True)
class BenchReport:
    """The variants side by side, with where the pages came from."""

    source: str
    pages: int
    variants: list[VariantResult]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        data = dataclasses.asdict(self)
        for row, variant in zip(data["variants"], self.variants, strict=True):
            row["growth_mb"] = variant.growth_mb
        return data

    def format(self) -> str:
        """An aligned table, one row per variant."""
        lines = [
            f"extraction benchmark: {self.pages} pages from {self.source}",
            f"  {'variant':<14}{'pages/s':>10}{'seconds':>10}{'peak MB':>10}{'growth MB':>11}"
            f"{'empty':>7}",
        ]
        for v in self.variants:
            lines.append(
                f"  {v.name:<14}{v.pages_per_second:>10.1f}{v.seconds:>10.2f}"
                f"{v.peak_rss_mb:>10.1f}{v.growth_mb:>11.1f}{v.empty:>7}"
            )
        return "\n".join(lines)


def _max_rss_mb() -> float:
    """This process's peak resident memory in MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _resolve(spec: str) -> Callable[[bytes], Any]:
    """Import ``module:function``."""
    module, _, name = spec.partition(":")
    func: Callable[[bytes], Any] = getattr(importlib.import_module(module), name)
    return func


def _run_variant(spec: str, pages: Sequence[bytes], results: Any) -> None:
    """Child process: warm up on one page, then time every page; send the figures back."""
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    extract = _resolve(spec)
    with contextlib.suppress(DetenteError):
        extract(pages[0])
    start_rss = _max_rss_mb()
    empty = 0
    started = time.perf_counter()
    for page in pages:
        try:
            if not extract(page):
                empty += 1
        except DetenteError:
            empty += 1
    seconds = time.perf_counter() - started
    results.put((seconds, start_rss, _max_rss_mb(), empty))


def bench_extract(pages: Sequence[bytes], *, source: str = "the given pages") -> BenchReport:
    """Time and measure each variant in its own process over the same pages."""
    if not pages:
        raise InputError("no pages to benchmark; give HTML pages or set DETENTE_EVAL_DIR")
    context = multiprocessing.get_context("spawn")
    variants: list[VariantResult] = []
    for name, spec in VARIANTS.items():
        results = context.Queue()
        child = context.Process(target=_run_variant, args=(spec, list(pages), results))
        child.start()
        try:
            seconds, start_rss, peak_rss, empty = results.get(timeout=VARIANT_TIMEOUT)
        except Exception as err:  # queue.Empty on timeout, or the child died
            child.kill()
            raise DetenteError(f"benchmark variant {name!r} failed or timed out: {err!r}") from err
        finally:
            child.join()
        variants.append(
            VariantResult(
                name=name,
                pages=len(pages),
                seconds=seconds,
                pages_per_second=len(pages) / seconds if seconds else 0.0,
                peak_rss_mb=peak_rss,
                start_rss_mb=start_rss,
                empty=empty,
            )
        )
        LOGGER.info("%s: %.1f pages/s, peak %.0f MB", name, variants[-1].pages_per_second, peak_rss)
    return BenchReport(source=source, pages=len(pages), variants=variants)


def load_bench_pages(
    eval_dir: str | Path | None = None, *, limit: int | None = None
) -> tuple[list[bytes], str]:
    """The zyte benchmark pages when the eval data is there, else the example pages repeated."""
    from detente.evaluation.extraction import ZYTE_DIR, locate_eval_root

    root = Path(eval_dir).expanduser() if eval_dir else locate_eval_root()
    if eval_dir and not Path(eval_dir).expanduser().is_dir():
        raise InputError(f"--eval-dir {eval_dir} is not a folder; give the one holding {ZYTE_DIR}")
    if root is not None:
        folder = root / ZYTE_DIR / "html" if (root / ZYTE_DIR).is_dir() else root / "html"
        files = sorted(folder.glob("*.html.gz"))
        if files:
            pages = [gzip.decompress(path.read_bytes()) for path in files[:limit]]
            return pages, f"the zyte benchmark ({folder})"
    examples = sorted(_EXAMPLES.glob("*.html"))
    if not examples:
        raise InputError(
            f"no pages to benchmark: neither the zyte pages (../shared/eval) nor {_EXAMPLES}; "
            "set DETENTE_EVAL_DIR"
        )
    texts = [path.read_bytes() for path in examples]
    wanted = limit or max(MIN_BENCH_PAGES, len(texts))
    pages = [texts[i % len(texts)] for i in range(wanted)]
    return pages, f"{len(texts)} example pages repeated ({_EXAMPLES})"


def run_extract_bench(
    limit: int | None = None, *, eval_dir: str | Path | None = None
) -> BenchReport:
    """Load the benchmark pages (the first ``limit`` of them) and run :func:`bench_extract`."""
    pages, source = load_bench_pages(eval_dir, limit=limit)
    return bench_extract(pages, source=source)
