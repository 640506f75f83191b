"""Loading shards: merge the finished shards of a sharded run into a store, in input order."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from detente.errors import InputError
from detente.model import Article
from detente.scale.shard_io import DONE


@dataclass(slots=True)
class LoadReport:
    """What merging shards into a store did."""

    shards: int = 0
    incomplete: int = 0  # shards with files but no marker (a run still going, or killed)
    documents: int = 0
    added: int = 0
    existing: int = 0
    near_duplicates: int = 0
    failures: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _source_order(source: str) -> tuple[Path, int]:
    """Sort key of a source: its path, then its record line (as a local ingest reads them)."""
    path, _, line = source.rpartition(":")
    if path and line.isdigit():
        return Path(path), int(line)
    return Path(source), 0


def _marker_order(marker: dict[str, Any]) -> tuple[Path, int, int]:
    path, line = _source_order(marker["sources"][0]) if marker["sources"] else (Path(), 0)
    return path, marker.get("start", 0), line


def finished_shards(out: Path) -> tuple[list[dict[str, Any]], int]:
    """Completion markers of the finished shards in input order, and how many are unfinished."""
    if not out.is_dir():
        raise InputError(f"{out}: no such folder; give the --out folder of a sharded ingest")
    markers = []
    for path in sorted((out / DONE).glob("*.json")) if (out / DONE).is_dir() else []:
        try:
            markers.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError) as err:
            raise InputError(f"{path}: unreadable completion marker ({err}); delete it and "
                             "re-run the ingest to redo that shard") from err  # fmt: skip
    if not markers and not (out / "articles").is_dir():
        raise InputError(f"{out}: holds no shards; give the --out folder of a sharded ingest")
    keys = {m["key"] for m in markers}
    written = {p.stem for p in (out / "articles").glob("*.parquet")}
    markers.sort(key=_marker_order)
    return markers, len(written - keys)


def iter_articles(out: Path, key: str) -> Iterator[Article]:
    """The articles of one finished shard, in the order they were read."""
    import pyarrow.parquet as pq

    table = pq.read_table(out / "articles" / f"{key}.parquet", columns=["record"])
    for record in table.column("record").to_pylist():
        yield Article.from_dict(json.loads(record))


def load(
    out: str | Path,
    store: Any,
    *,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> LoadReport:
    """Merge every finished shard of ``out`` into ``store``, in input order; re-runs add nothing.

    Each article goes through :meth:`detente.store.database.Store.add_article` (one transaction
    each), so near-duplicates and repeated events are linked as in a local ingest, and a load that
    is killed loses nothing it already stored.
    """
    import pyarrow.parquet as pq

    folder = Path(out)
    markers, unfinished = finished_shards(folder)
    report = LoadReport(shards=len(markers), incomplete=unfinished)
    for done, marker in enumerate(markers, start=1):
        key = marker["key"]
        for article in iter_articles(folder, key):
            report.documents += 1
            outcome = store.add_article(article)
            if outcome == "exists":
                report.existing += 1
                continue
            report.added += 1
            report.near_duplicates += outcome == "near_duplicate"
        failures = folder / "failures" / f"{key}.parquet"
        for row in pq.read_table(failures).to_pylist() if failures.is_file() else []:
            report.failures += 1
            store.record_failure(row["source"], row["reason"], line=row["line"],
                                 stage=row["stage"])  # fmt: skip
        if on_progress is not None:
            on_progress(done, len(markers), key)
    return report
