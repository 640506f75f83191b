"""The Ray engine on a real local Ray cluster (127.0.0.1, session files in a temporary folder).

Its shards, merged with `detente load`, must equal an ordinary local ingest of the demo
articles; a re-run does nothing, and a run killed mid-way resumes with what is unfinished.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from detente.ingest import ingest
from detente.scale.shards import DONE, Options, load, run_local
from detente.store.database import Store
from shard_checks import DEMO_INPUTS, snapshot

ray = pytest.importorskip("ray", reason="the Ray engine is an extra: pip install 'detente[ray]'")
from detente.scale.ray_engine import run_ray  # noqa: E402  (needs ray)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DETENTE = str(Path(sys.executable).parent / "detente")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> dict[str, object]:
    db = tmp_path_factory.mktemp("reference") / "local.db"
    with Store(db) as store:
        report = ingest([str(examples_dir / i) for i in DEMO_INPUTS], store=store)
    assert report.failed == 0
    return snapshot(db)


@pytest.fixture
def ray_temp() -> Iterator[str]:
    """A short session folder for Ray (its socket paths must stay under 107 bytes)."""
    with tempfile.TemporaryDirectory(prefix="dtray-", dir="/tmp") as folder:
        yield folder
    assert not ray.is_initialized(), "the engine left its Ray cluster running"


def _ray_processes(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if marker.encode() in cmdline:
                found.append(int(entry.name))
    return found


def test_ray_shards_equal_local_shards_and_a_local_ingest(
    tmp_path: Path, examples_dir: Path, reference: dict[str, object], ray_temp: str
) -> None:
    inputs = [str(examples_dir / i) for i in DEMO_INPUTS]
    report = run_ray(inputs, tmp_path / "ray", Options(), workers=2, shard_size=2,
                     temp_dir=ray_temp)  # fmt: skip
    assert report.failed == 0 and report.shards >= 4 and report.done_before == 0
    local = run_local(inputs, tmp_path / "local", Options(), shard_size=2)
    ray_keys = sorted(p.name for p in (tmp_path / "ray" / DONE).iterdir())
    assert ray_keys == sorted(p.name for p in (tmp_path / "local" / DONE).iterdir())
    assert (report.articles, report.events) == (local.articles, local.events)
    with Store(tmp_path / "from-ray.db") as store:
        load(tmp_path / "ray", store)
    assert snapshot(tmp_path / "from-ray.db") == reference
    again = run_ray(inputs, tmp_path / "ray", Options(), workers=2, shard_size=2,
                    temp_dir=ray_temp)  # fmt: skip
    assert again.done_before == report.shards and again.documents == 0
    assert not _ray_processes(ray_temp), "Ray processes outlived the run"


def test_cli_ray_run_killed_mid_way_resumes(
    tmp_path: Path, examples_dir: Path, reference: dict[str, object]
) -> None:
    out = tmp_path / "shards"
    command = [DETENTE, "ingest",
               *(str(examples_dir / i) for i in DEMO_INPUTS), "--engine", "ray", "--workers",
               "1", "--shard-size", "1", "--out", str(out)]  # fmt: skip
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if (out / DONE).is_dir() and len(list((out / DONE).glob("*.json"))) >= 2:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 60  # Ray's own processes share the fate of the driver
    while _ray_processes("detente-ray-") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _ray_processes("detente-ray-"), "the local Ray cluster outlived its killed driver"
    finished = len(list((out / DONE).glob("*.json")))
    assert finished >= 2
    rerun = subprocess.run([*command, "--format", "json"], env=env, capture_output=True,
                           text=True, timeout=600)  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert report["done_before"] >= finished and report["documents"] > 0
    db = tmp_path / "db.sqlite"
    loaded = subprocess.run([DETENTE, "load", str(out), "--db",
                             str(db)], capture_output=True, text=True, timeout=300)  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    assert snapshot(db) == reference


def test_a_ray_worker_killed_mid_run_is_replaced_and_the_run_completes(
    tmp_path: Path, examples_dir: Path, reference: dict[str, object]
) -> None:
    out = tmp_path / "shards"
    command = [DETENTE, "ingest", *(str(examples_dir / i) for i in DEMO_INPUTS), "--engine",
               "ray", "--workers", "2", "--shard-size", "1", "--out", str(out), "--format",
               "json"]  # fmt: skip
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip
    killed = None
    deadline = time.monotonic() + 300
    while proc.poll() is None and killed is None and time.monotonic() < deadline:
        if (out / DONE).is_dir() and any((out / DONE).glob("*.json")):
            actors = _ray_processes("MapWorker")
            if actors:
                killed = actors[0]
                os.kill(killed, signal.SIGKILL)
        time.sleep(0.02)
    stdout, stderr = proc.communicate(timeout=600)
    assert killed is not None, "the run ended before a worker could be killed"
    assert proc.returncode == 0, stderr
    report = json.loads(stdout)
    # a shard whose worker died after its marker was written is not redone on the retry
    assert report["failed"] == 0 and report["done_before"] <= 1
    db = tmp_path / "db.sqlite"
    with Store(db) as store:
        load(out, store)
    assert snapshot(db) == reference
