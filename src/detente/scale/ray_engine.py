"""The Ray engine: the same per-article pipeline on a Ray cluster, writing Parquet shards.

``detente ingest --engine ray [--address ADDR] INPUT... --out DIR`` plans shards on the driver
(:func:`detente.scale.shards.plan`: a shard is a few dozen files or one container file, keyed by
its contents), hands the unfinished ones to Ray Data, and ``map_batches`` runs
:class:`detente.scale.shards.ShardProcessor` in a pool of actors that each load the spaCy pipeline
once. Workers read their shard's files themselves, so on a cluster the inputs and ``DIR``
must be on storage every node sees (a shared file system); only plain records travel between
processes (a shard's key and file names in, its counts out), never spaCy objects. Every
shard is written with a completion marker, so a re-run skips what is done and a killed job
resumes. ``detente load DIR --db PATH`` then merges the shards into a SQLite store.

Ray is an optional extra (``pip install 'detente[ray]'``). Without ``--address`` a local
cluster is started for the run, on 127.0.0.1 only, with its session files in a temporary
folder, and shut down afterwards.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from detente import settings
from detente.errors import DetenteError
from detente.scale.shards import (
    SHARD_SIZE,
    Options,
    Shard,
    ShardProcessor,
    ShardResult,
    ShardRunReport,
    is_done,
    plan,
    read_failures,
)

log = logging.getLogger(__name__)

#: Times a shard is retried after its actor's process died (the actor itself is restarted
#: without limit). Each retry skips a document that has cost two deaths, so this many retries
#: get past four bad documents in one shard; more end the run with what to do, and a re-run
#: goes on from there (the deaths are kept with the shard), never looping forever as Ray
#: Data's default would.
SHARD_RETRIES = 8

#: Seconds between the watchdog's looks at the document in hand.
WATCH_SECONDS = 1.0

#: Object store of a local cluster started for one run: shards travel as file names and
#: results as a few counts, so Ray's default (30% of memory) would only reserve RAM for nothing.
LOCAL_OBJECT_STORE_BYTES = 256 * 1024 * 1024


def _ray() -> Any:
    try:
        import ray
    except ImportError as err:
        raise DetenteError(
            "the Ray engine needs Ray: pip install 'detente[ray]' (or use --engine local)"
        ) from err
    return ray


@contextlib.contextmanager
def cluster(address: str | None = None, *, workers: int | None = None,
            temp_dir: str | None = None) -> Iterator[Any]:  # fmt: skip
    """Connect to the Ray cluster at ``address``, or start a local one on 127.0.0.1 for the block.

    A local cluster gets ``workers`` CPUs and keeps its session files in ``temp_dir`` (a new
    temporary folder by default, removed afterwards); it is shut down when the block ends.
    A cluster this process is already connected to is used as it is and left running.
    """
    ray = _ray()
    if ray.is_initialized():
        yield ray
        return
    owned_temp = None
    if address is None and temp_dir is None:
        # Ray's socket paths must stay under 107 bytes: a short folder of our own in /tmp
        owned_temp = tempfile.TemporaryDirectory(prefix="detente-ray-", dir="/tmp")
        temp_dir = owned_temp.name
    kwargs: dict[str, Any] = {
        "include_dashboard": False,
        "log_to_driver": False,
        "configure_logging": False,
    }
    if address is None:
        kwargs.update(
            num_cpus=workers,
            object_store_memory=LOCAL_OBJECT_STORE_BYTES,
            _temp_dir=temp_dir,
            _node_ip_address="127.0.0.1",
        )
    try:
        ray.init(address=address, **kwargs)
    except (ConnectionError, ValueError, RuntimeError) as err:
        where = f"the Ray cluster at {address}" if address else "a local Ray cluster"
        raise DetenteError(f"could not start or reach {where}: {err}") from err
    try:
        yield ray
    finally:
        ray.shutdown()
        if owned_temp is not None:
            owned_temp.cleanup()


class _RayShardWorker:
    """The callable class Ray Data runs in each actor: one pipeline, many shards.

    Ray runs it off the main thread, where the per-document timers of a local ingest cannot
    work; a watchdog thread ends the actor's process instead when one document runs past its
    limits, and Ray restarts the actor and retries the shard, which skips a document once it
    has cost two deaths (see :class:`detente.scale.shards.ShardProcessor`).
    """

    def __init__(self, out: str, options: dict[str, Any]) -> None:
        settings.cap_threads(force=True)  # the actors are the parallelism
        options["dictionaries"] = tuple(options["dictionaries"])
        self.processor = ShardProcessor(out, Options(**options))
        limit = document_limit(self.processor.time_limit)
        if limit is not None:
            threading.Thread(
                target=watch, args=(self.processor, limit), name="detente-watchdog", daemon=True
            ).start()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        results = [self.processor(Shard.from_json(str(text))) for text in batch["shard"]]
        return {"result": [json.dumps(r.to_dict()) for r in results]}


def document_limit(time_limit: float) -> float | None:
    """Seconds one document may take in an actor: extraction's limit plus annotation's."""
    if not time_limit:
        return None  # no annotation limit asked for: no watchdog
    return settings.EXTRACT_TIME_LIMIT + time_limit


def watch(
    processor: ShardProcessor,
    limit: float,
    *,
    end: Callable[[int], object] = os._exit,
    every: float = WATCH_SECONDS,
    rounds: int | None = None,
) -> None:
    """End this process when the document in hand has run past ``limit`` seconds."""
    done = 0
    while rounds is None or done < rounds:
        current = processor.current
        if current is not None and time.monotonic() - current[2] > limit:
            log.error("shard %s: document %d ran past %g s; ending this worker",
                      current[0], current[1], limit)  # fmt: skip
            end(3)
            return
        time.sleep(every)
        done += 1


def run_ray(
    inputs: Sequence[str],
    out: str | Path,
    options: Options,
    *,
    address: str | None = None,
    workers: int | None = None,
    shard_size: int = SHARD_SIZE,
    temp_dir: str | None = None,
    on_shard: Callable[[ShardResult, int, int], None] | None = None,
) -> ShardRunReport:
    """Process the inputs' unfinished shards on Ray and write them to ``out``.

    ``workers`` is the number of actors (each loads the pipeline once; default: the cluster's
    CPUs). Returns the same report as :func:`detente.scale.shards.run_local`.
    """
    started = time.perf_counter()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    shards, failures = plan(inputs, options, shard_size=shard_size)
    report = ShardRunReport(out=str(out), shards=len(shards), failures=list(failures))
    todo = [s for s in shards if not is_done(folder, s.key)]
    done = 0
    for shard in shards:
        if is_done(folder, shard.key):
            done += 1
            result = ShardResult.done_before(shard)
            report.add(result)
            if on_shard is not None:
                on_shard(result, done, len(shards))
    if todo:
        # Ray prints its workers' troubles to stdout; keep stdout for our own output (JSON)
        with (
            contextlib.redirect_stdout(sys.stderr),
            cluster(address, workers=workers, temp_dir=temp_dir) as ray,
        ):
            context = ray.data.DataContext.get_current()
            context.enable_progress_bars = False  # the caller shows its own progress
            context.print_on_execution_start = False
            if not log.isEnabledFor(logging.INFO):  # Ray Data's chatter only with detente -v
                logging.getLogger("ray.data").setLevel(logging.ERROR)
            size = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
            size = min(size, len(todo))
            dataset = ray.data.from_items(
                [{"shard": s.to_json()} for s in todo], override_num_blocks=len(todo)
            ).map_batches(
                _RayShardWorker,
                fn_constructor_kwargs={
                    "out": str(folder.resolve()),
                    "options": {
                        "default_date": options.default_date,
                        "outlet": options.outlet,
                        "annotate": options.annotate,
                        "dictionaries": [str(Path(d).resolve()) for d in options.dictionaries],
                        "time_limit": options.time_limit,
                    },
                },
                batch_size=1,
                batch_format="default",
                compute=ray.data.ActorPoolStrategy(size=size),
                num_cpus=1,
                max_restarts=-1,
                max_task_retries=SHARD_RETRIES,
            )
            try:
                for row in dataset.iter_rows():
                    result = ShardResult(**json.loads(row["result"]))
                    done += 1
                    report.add(result)
                    if on_shard is not None:
                        on_shard(result, done, len(shards))
            except ray.exceptions.RayError as err:
                finished = sum(is_done(folder, s.key) for s in shards)
                raise DetenteError(
                    f"the Ray run stopped: {type(err).__name__}: {str(err)[:300]}. "
                    f"{finished} of {len(shards)} shards are finished and kept in {folder}; "
                    "run the same command again to do the rest. If a worker keeps dying on "
                    "the same shard, ingest its files locally (detente ingest FILE --db PATH) "
                    "to find the document at fault: a local ingest records it as a failure."
                ) from err
    report.failures.extend(read_failures(folder, [s.key for s in shards]))
    report.seconds = time.perf_counter() - started
    return report
