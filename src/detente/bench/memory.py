"""Memory over a long batch: does resident memory stay flat while ``ingest`` runs?

:func:`run_memory_bench` writes ``documents`` synthetic articles (our own sentences, made from
templates about countries, leaders, meetings and amounts; one in four as an HTML page) to one
JSON Lines file, ingests it with :func:`detente.ingest.ingest` into a temporary SQLite store,
and samples the resident memory (VmRSS) of this process and of its worker processes as the
documents are stored. The report gives the throughput, the peaks, the memory at 10 %, 50 % and
100 % of the batch and the growth slope (MB per 1,000 documents) after the warm-up, when the
lazy tables, caches and spaCy's vocabulary have filled.

What still grows on purpose: the store's near-duplicate index (about 1.1 KB per stored article, see
:mod:`detente.dedup.articles`), the list of new ids in the ingest report, dateparser's per-locale
tables (htmldate loads locales as date strings need them; one load can add 40 MB at once) and, with
annotation, the store's event index (every stored event stays in memory). Measured on 2 cores: 3 MB
per 1,000 documents without annotation, up to about 40 with it.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.model import Article
from detente.store.database import AddOutcome, Store

__all__ = ["MemoryReport", "MemorySample", "run_memory_bench", "synthetic_records"]

log = logging.getLogger(__name__)

# --- tuning constants -----------------------------------------------------------------------
#: Memory samples taken over the batch (plus one before it): enough points for a stable slope.
SAMPLES = 100
#: Share of the batch treated as warm-up and left out of the slope: the first documents load
#: lazy tables (dateparser, langid, the gazetteers) and grow spaCy's string store; on 10,000
#: documents RSS settles within the first 5 %.
WARMUP_SHARE = 0.1
#: One document in this many is an HTML page (the rest plain text), so both extractors run.
HTML_EVERY = 4

_KIB_PER_MB = 1024.0


# --- synthetic documents ---------------------------------------------------------------------
_LEADERS = (
    ("Recep Tayyip Erdoğan", "Türkiye", "President"),
    ("Vladimir Putin", "Russia", "President"),
    ("Xi Jinping", "China", "President"),
    ("Emmanuel Macron", "France", "President"),
    ("Olaf Scholz", "Germany", "Chancellor"),
    ("Ulf Kristersson", "Sweden", "Prime Minister"),
    ("Narendra Modi", "India", "Prime Minister"),
    ("Luiz Inácio Lula da Silva", "Brazil", "President"),
    ("Cyril Ramaphosa", "South Africa", "President"),
    ("Fumio Kishida", "Japan", "Prime Minister"),
    ("Volodymyr Zelensky", "Ukraine", "President"),
    ("Ebrahim Raisi", "Iran", "President"),
)
_PLACES = (
    "Ankara", "Moscow", "Sochi", "Astana", "Geneva", "Istanbul", "Beijing", "Tehran", "Paris",
    "Berlin", "New Delhi", "Brasília", "Pretoria", "Tokyo", "Kyiv", "Vienna", "Doha", "Baku",
)  # fmt: skip
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_TOPICS = (
    "grain exports", "gas prices", "a ceasefire", "nuclear energy", "trade tariffs",
    "border security", "refugees", "fertiliser shipments", "a new pipeline", "fishing rights",
    "drone sales", "visa rules", "a prisoner exchange", "port access", "climate finance",
)  # fmt: skip
_GOODS = ("wheat", "corn", "sunflower oil", "liquefied gas", "steel", "fertiliser", "coal")
_TEMPLATES = (
    "{a} met {b} in {place} on {day} {month} {year} to discuss {topic}.",
    "{a_title} {a} told reporters in {place} that talks with {b_country} on {topic} had made "
    "progress, but that {n} points were still open.",
    "{b_country} agreed to buy about ${m} billion worth of {good} from {a_country} over the next "
    "{n} years, according to a statement from the {a_country_adj} side.",
    "{b} warned that {b_country} would respond if {a_country} went ahead with plans on {topic}.",
    "Officials in {place} said some {k},000 tonnes of {good} had left port since {month}.",
    "{a} and {b} spoke by telephone for {n} minutes on {day} {month}, their {nth} call this year.",
    "The two governments signed {n} agreements on {topic} and {topic2} in {place}.",
    "{b_title} {b} thanked {a_country} for its help with {topic}, calling it a turning point.",
    "Trade between {a_country} and {b_country} reached ${m} billion last year, officials said.",
    "Analysts in {place} said the meeting on {topic} showed how far relations had come since "
    "{year2}.",
    "{a_country} accused {b_country} of breaking its promises on {topic}, and summoned the "
    "ambassador on {day} {month}.",
    "The talks in {place} lasted {n} hours and ended without a joint statement.",
)
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh")
_ADJECTIVES = {"Türkiye": "Turkish", "Russia": "Russian", "China": "Chinese", "France": "French"}


def _sentence(rng: random.Random, number: int) -> str:
    """One templated sentence with fresh fillers (numbers keep documents apart)."""
    (a, a_country, a_title), (b, b_country, b_title) = rng.sample(_LEADERS, 2)
    topic, topic2 = rng.sample(_TOPICS, 2)
    return rng.choice(_TEMPLATES).format(
        a=a, a_country=a_country, a_title=a_title,
        a_country_adj=_ADJECTIVES.get(a_country, a_country),
        b=b, b_country=b_country, b_title=b_title, place=rng.choice(_PLACES),
        day=rng.randint(1, 28), month=rng.choice(_MONTHS), year=rng.randint(2010, 2024),
        year2=rng.randint(1990, 2009), topic=topic, topic2=topic2, good=rng.choice(_GOODS),
        n=rng.randint(2, 9), m=rng.randint(2, 99), k=rng.randint(10, 900),
        nth=rng.choice(_ORDINALS),
    ) + ("" if number % 7 else f" The document number is {number}.")  # fmt: skip


def synthetic_records(documents: int, *, seed: int = 0) -> Iterator[dict[str, str]]:
    """``documents`` JSON records of small synthetic news articles (one in HTML_EVERY as HTML)."""
    rng = random.Random(seed)
    for number in range(documents):
        paragraphs = [
            " ".join(_sentence(rng, number) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(2, 5))
        ]
        title = paragraphs[0].split(".")[0][:90]
        record = {
            "url": f"https://wire.example/{2010 + number % 15}/story-{number}",
            "title": title,
            "published": f"{2010 + number % 15}-{1 + number % 12:02d}-{1 + number % 28:02d}",
            "outlet": rng.choice(("Example Wire", "Steppe Gazette", "Caspian Courier")),
        }
        if number % HTML_EVERY == HTML_EVERY - 1:
            body = "".join(f"<p>{p}</p>" for p in paragraphs)
            record["html"] = (
                f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a> | "
                f"<a href='/world'>World</a></nav><article><h1>{title}</h1>{body}</article>"
                "<footer>© 2024 Example Wire. All rights reserved.</footer></body></html>"
            )
        else:
            record["text"] = "\n\n".join(paragraphs)
        yield record


# --- memory ----------------------------------------------------------------------------------
def rss_mb(pid: int | None = None) -> float:
    """Resident memory of a process in MB (VmRSS); this process's peak where /proc is absent."""
    try:
        with open(f"/proc/{pid or 'self'}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / _KIB_PER_MB
    except (OSError, ValueError, IndexError):
        pass
    if pid is not None:
        return 0.0  # gone, or no /proc: unknown
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / (_KIB_PER_MB * 1024) if sys.platform == "darwin" else peak / _KIB_PER_MB


def worker_pids() -> list[int]:
    """Live worker processes of this one (its children, less multiprocessing's helpers)."""
    me = os.getpid()
    pids: set[int] = set()
    try:
        for task in os.listdir(f"/proc/{me}/task"):
            with open(f"/proc/{me}/task/{task}/children", encoding="ascii") as handle:
                pids.update(int(pid) for pid in handle.read().split())
    except OSError:
        return []
    workers = []
    for pid in sorted(pids):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                command = handle.read()
        except OSError:
            continue  # exited since
        if b"resource_tracker" not in command and b"forkserver" not in command:
            workers.append(pid)
    return workers


@dataclass(slots=True)
class MemorySample:
    """Resident memory after ``documents`` documents were stored or recorded as failed."""

    documents: int
    seconds: float
    rss_mb: float  # this process
    worker_rss_mb: dict[int, float] = field(default_factory=dict)  # pid -> RSS of each worker

    @property
    def workers_mb(self) -> float:
        """The largest worker's RSS (0 without workers)."""
        return max(self.worker_rss_mb.values(), default=0.0)


class _SampledStore(Store):
    """A store that samples memory every ``every`` documents it is handed."""

    def __init__(self, path: Path, *, every: int, started: float) -> None:
        super().__init__(path)
        self.every = every
        self.started = started
        self.handled = 0
        self.samples: list[MemorySample] = []

    def sample(self) -> None:
        """Record the memory of this process and of the workers now."""
        workers = {pid: rss_mb(pid) for pid in worker_pids()}
        self.samples.append(
            MemorySample(
                documents=self.handled,
                seconds=time.perf_counter() - self.started,
                rss_mb=rss_mb(),
                worker_rss_mb={pid: mb for pid, mb in workers.items() if mb > 0},
            )
        )

    def _tick(self) -> None:
        self.handled += 1
        if self.handled % self.every == 0:
            self.sample()

    def add_article(self, article: Article) -> AddOutcome:
        """Store the article (see :meth:`Store.add_article`), then maybe sample."""
        outcome = super().add_article(article)
        self._tick()
        return outcome

    def record_failure(self, *args: Any, **kwargs: Any) -> None:
        """Record the failure (see :meth:`Store.record_failure`), then maybe sample."""
        super().record_failure(*args, **kwargs)
        self._tick()


@dataclass(slots=True)
class MemoryReport:
    """Throughput and resident memory of one long ingest batch."""

    documents: int
    workers: int
    annotate: bool
    seconds: float
    added: int
    near_duplicates: int
    failed: int
    samples: list[MemorySample]  # the first is taken before the batch starts

    @property
    def docs_per_second(self) -> float:
        """Documents ingested per second (writing the input file not counted)."""
        return self.documents / self.seconds if self.seconds else 0.0

    @property
    def peak_rss_mb(self) -> float:
        """This process's highest sampled RSS."""
        return max(s.rss_mb for s in self.samples)

    @property
    def peak_worker_rss_mb(self) -> dict[int, float]:
        """Each worker's highest sampled RSS, by pid."""
        peaks: dict[int, float] = {}
        for s in self.samples:
            for pid, mb in s.worker_rss_mb.items():
                peaks[pid] = max(peaks.get(pid, 0.0), mb)
        return peaks

    def at(self, share: float) -> MemorySample:
        """The first sample taken at or after ``share`` of the batch (0.0: before it)."""
        wanted = share * self.documents
        return next((s for s in self.samples if s.documents >= wanted), self.samples[-1])

    def slope_mb_per_1000(self, *, workers: bool = False) -> float:
        """Least-squares growth of RSS after the warm-up, in MB per 1,000 documents."""
        start = WARMUP_SHARE * self.documents
        points = [
            (s.documents, s.workers_mb if workers else s.rss_mb)
            for s in self.samples
            if s.documents >= start and (s.worker_rss_mb or not workers)
        ]
        if len(points) < 2:
            return 0.0
        mean_x = sum(x for x, _ in points) / len(points)
        mean_y = sum(y for _, y in points) / len(points)
        spread = sum((x - mean_x) ** 2 for x, _ in points)
        if not spread:
            return 0.0
        return 1000 * sum((x - mean_x) * (y - mean_y) for x, y in points) / spread

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the figures, then every sample."""
        data = dataclasses.asdict(self)
        data.update(
            docs_per_second=self.docs_per_second,
            peak_rss_mb=self.peak_rss_mb,
            peak_worker_rss_mb={str(pid): mb for pid, mb in self.peak_worker_rss_mb.items()},
            rss_mb_at={f"{p}%": self.at(p / 100).rss_mb for p in (0, 10, 50, 100)},
            worker_rss_mb_at={f"{p}%": self.at(p / 100).workers_mb for p in (0, 10, 50, 100)},
            slope_mb_per_1000=self.slope_mb_per_1000(),
            worker_slope_mb_per_1000=self.slope_mb_per_1000(workers=True),
            warmup_share=WARMUP_SHARE,
        )
        for row in data["samples"]:
            row["worker_rss_mb"] = {str(pid): mb for pid, mb in row["worker_rss_mb"].items()}
        return data

    def format(self) -> str:
        """A short table: throughput, RSS through the batch, peaks and slopes."""
        mode = "extract + annotate + store" if self.annotate else "extract + store"
        lines = [
            f"memory benchmark: {self.documents:,} documents, {mode}, "
            f"{self.workers} worker{'s' if self.workers != 1 else ''}",
            f"  {self.docs_per_second:.1f} documents/s ({self.seconds:.1f} s); "
            f"{self.added:,} added, {self.near_duplicates:,} near copies, {self.failed:,} failed",
            f"  {'RSS MB':<22}{'start':>8}{'10%':>8}{'50%':>8}{'100%':>8}{'peak':>8}",
        ]
        row = [self.at(p).rss_mb for p in (0.0, 0.1, 0.5, 1.0)] + [self.peak_rss_mb]
        lines.append(f"  {'this process':<22}" + "".join(f"{mb:>8.1f}" for mb in row))
        if any(s.worker_rss_mb for s in self.samples):
            peak = max(self.peak_worker_rss_mb.values(), default=0.0)
            row = [self.at(p).workers_mb for p in (0.0, 0.1, 0.5, 1.0)] + [peak]
            lines.append(f"  {'largest worker':<22}" + "".join(f"{mb:>8.1f}" for mb in row))
        lines.append(
            f"  growth after the first {WARMUP_SHARE:.0%}: "
            f"{self.slope_mb_per_1000():+.2f} MB per 1,000 documents (this process)"
            + (
                f", {self.slope_mb_per_1000(workers=True):+.2f} (largest worker)"
                if self.workers > 1
                else ""
            )
        )
        return "\n".join(lines)


def run_memory_bench(
    documents: int = 10_000,
    workers: int = 1,
    annotate: bool = False,
    *,
    seed: int = 0,
    samples: int = SAMPLES,
    directory: str | os.PathLike[str] | None = None,
) -> MemoryReport:
    """Ingest ``documents`` synthetic articles into a temporary store, sampling memory."""
    from detente.ingest import ingest

    if documents < 1 or workers < 1 or samples < 1:
        raise ValueError(
            f"documents={documents}, workers={workers}, samples={samples}: each must be 1 or more"
        )
    with tempfile.TemporaryDirectory(prefix="detente-bench-memory-", dir=directory) as tmp:
        source = Path(tmp) / "documents.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for record in synthetic_records(documents, seed=seed):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        started = time.perf_counter()
        with _SampledStore(
            Path(tmp) / "bench.db", every=max(1, documents // samples), started=started
        ) as store:
            store.sample()
            report = ingest([str(source)], store=store, annotate=annotate, workers=workers)
            seconds = time.perf_counter() - started
            if store.handled % store.every:
                store.sample()  # the end of the batch, when it fell between two samples
            memory = store.samples
    log.info("memory benchmark: %d documents in %.1f s", documents, seconds)
    return MemoryReport(
        documents=documents,
        workers=workers,
        annotate=annotate,
        seconds=seconds,
        added=report.added,
        near_duplicates=report.near_duplicates,
        failed=report.failed,
        samples=memory,
    )
