"""Scale: a worker pool that survives its faults, Parquet shards, and the Ray engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente._lazy import lazy_exports

if TYPE_CHECKING:
    from detente.scale.loading import load
    from detente.scale.pool import (
        Lost,
        PhaseFn,
        TimeLimitExceeded,
        WorkerPool,
        exit_description,
        run_with_time_limit,
        time_limit,
    )
    from detente.scale.ray_engine import cluster, document_limit, run_ray, watch
    from detente.scale.shard_io import DONE, TABLES
    from detente.scale.shards import RUNNING, Options, Shard, ShardResult, plan, run_local

_EXPORTS = {
    "DONE": "detente.scale.shard_io",
    "Lost": "detente.scale.pool",
    "Options": "detente.scale.shards",
    "PhaseFn": "detente.scale.pool",
    "RUNNING": "detente.scale.shards",
    "Shard": "detente.scale.shards",
    "ShardResult": "detente.scale.shards",
    "TABLES": "detente.scale.shard_io",
    "TimeLimitExceeded": "detente.scale.pool",
    "WorkerPool": "detente.scale.pool",
    "cluster": "detente.scale.ray_engine",
    "document_limit": "detente.scale.ray_engine",
    "exit_description": "detente.scale.pool",
    "load": "detente.scale.loading",
    "plan": "detente.scale.shards",
    "run_local": "detente.scale.shards",
    "run_ray": "detente.scale.ray_engine",
    "run_with_time_limit": "detente.scale.pool",
    "time_limit": "detente.scale.pool",
    "watch": "detente.scale.ray_engine",
}
__all__ = [
    "DONE",
    "RUNNING",
    "TABLES",
    "Lost",
    "Options",
    "PhaseFn",
    "Shard",
    "ShardResult",
    "TimeLimitExceeded",
    "WorkerPool",
    "cluster",
    "document_limit",
    "exit_description",
    "load",
    "plan",
    "run_local",
    "run_ray",
    "run_with_time_limit",
    "time_limit",
    "watch",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
