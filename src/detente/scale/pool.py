"""Worker processes that survive their faults, and a time limit for work in this process.

``WorkerPool.imap`` runs a task function in a few spawned worker processes and yields results in
input order. Each worker has its own pipes, so the parent always knows which task a worker
holds: a worker that dies (SIGKILL, the OOM killer, a crash in a C library) is replaced, the
tasks queued to it go to the others and the task it held is tried once more. A task that brings
a worker down twice, or that runs past its phase's time limit (its worker is then killed and
replaced), comes back as a :class:`Lost` record in place of its result. A task of several
items (``split``) is not tried whole again: at its first death or time-out it is split into its
items, each tried alone, so only the item at fault is lost.

Messages, parent to worker: the setup ``(initializer, initargs, work, first_phase)``, then
``(seq, task)`` per task and ``None`` to stop. Worker to parent: ``("ready",)`` or
``("init_error", exception)``, then per task ``("phase", seq, name)`` once or more and
``("done", seq, result)``. The parent writes to a worker through a sender thread, so it never
blocks on the full pipe of a busy worker and always notices deaths and deadlines in time.

``time_limit`` and ``run_with_time_limit`` (from :mod:`detente._limits`) bound work in this process.
"""

from __future__ import annotations

import heapq
import logging
import math
import multiprocessing
import multiprocessing.connection
import os
import pickle
import queue
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from multiprocessing.reduction import ForkingPickler
from typing import TYPE_CHECKING, Any, Literal, NoReturn, TypeVar

from detente import settings
from detente._limits import TimeLimitExceeded, run_with_time_limit, time_limit
from detente.errors import DetenteError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

__all__ = [
    "Lost",
    "TimeLimitExceeded",
    "WorkerPool",
    "exit_description",
    "run_with_time_limit",
    "time_limit",
]

log = logging.getLogger(__name__)
_T = TypeVar("_T")

#: Reports what the task in hand is doing now (a phase name with its own time limit).
PhaseFn = Callable[[str], None]

#: Seconds between a worker's checks that its parent is still alive.
PARENT_CHECK_SECONDS = 1.0
#: Tasks sent to a worker ahead of its results: one in hand and one waiting keep it busy, and a
#: dead worker leaves only the waiting one to hand to the others.
QUEUED_PER_WORKER = 2
#: Times a task may be in hand when its worker dies; at the second death it is given up.
DEATHS_PER_TASK = 2
#: Workers in a row that may die before they are ready (loading) before the pool gives up: a
#: load that always fails must not respawn forever, one killed by chance must not stop a batch.
MAX_STARTUP_DEATHS = 3
#: Seconds a worker told to stop gets to exit on its own before it is killed.
STOP_GRACE_SECONDS = 10.0


# --- the worker side ------------------------------------------------------------------------
def _worker_main(tasks: Connection, results: Connection) -> None:
    """A worker process: set up once, then run tasks until told to stop or the parent is gone."""
    settings.cap_threads(force=True)  # before the setup message imports numpy and spaCy
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which stops us
    _exit_with_parent()
    try:
        initializer, initargs, work, first_phase = tasks.recv()
        initializer(*initargs)
    except Exception as err:  # the parent raises it: a bad setup fails like it would in-process
        results.send(("init_error", _portable(err)))
        return
    results.send(("ready",))
    while True:
        try:
            message = tasks.recv()
        except EOFError:  # the parent is gone
            _exit_now()
        if message is None:
            _exit_now()
        seq, task = message

        def phase(name: str, seq: int = seq) -> None:
            results.send(("phase", seq, name))

        phase(first_phase)
        results.send(("done", seq, work(task, phase)))


def _exit_now() -> NoReturn:
    """End the worker at once: every result is sent, and tearing down a loaded spaCy pipeline
    object by object (the interpreter's normal exit) takes about a second the parent waits."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    os._exit(0)


def _portable(err: Exception) -> Exception:
    """The exception itself when it survives pickling, else a RuntimeError that tells it."""
    try:
        pickle.loads(pickle.dumps(err))
    except Exception:
        return RuntimeError(f"{type(err).__name__}: {err}")
    return err


def _exit_with_parent() -> None:
    """End this worker when its parent dies (a kill -9 of ``ingest`` must not leave orphans)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="detente-parent-watch", daemon=True).start()


def _send_all(conn: Connection, outbox: queue.SimpleQueue[bytes | None]) -> None:
    """Send one worker's queued messages in order (a thread, so the parent never blocks)."""
    try:
        while (data := outbox.get()) is not None:
            conn.send_bytes(data)
    except OSError:  # the worker is gone (broken pipe); the parent learns it from the sentinel
        pass
    finally:
        conn.close()


# --- the parent side ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Lost:
    """A task the pool gave up on, yielded in place of its result."""

    task: Any
    phase: str  # what the task was doing: the first phase or the last one it reported
    cause: Literal["died", "timed out"]
    exitcode: int | None  # the last worker's exit status; negative: the signal that ended it
    limit: float | None = None  # seconds: the limit of the phase it ran past


def exit_description(exitcode: int | None) -> str:
    """A process's end in words: ``SIGKILL, signal 9`` or ``exit status 1``."""
    if exitcode is None:
        return "unknown exit status"
    if exitcode < 0:
        try:
            return f"{signal.Signals(-exitcode).name}, signal {-exitcode}"
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit status {exitcode}"


@dataclass(eq=False)
class _Worker:
    """The parent's view of one worker process."""

    process: BaseProcess
    pid: int  # kept: a closed process object no longer tells it
    results: Connection
    outbox: queue.SimpleQueue[bytes | None]
    sender: threading.Thread
    assigned: deque[int] = field(default_factory=deque)  # sent, not done, in the worker's order
    sent: int = 0
    ready: bool = False
    phase: str | None = None  # what the task in hand (assigned[0]) is doing; None between tasks
    since: float = 0.0  # when that phase began, on this process's clock
    stopping: bool = False  # told to stop (recycled): takes no more tasks
    closed: bool = False  # its results pipe reached end of file
    killed_for: int | None = None  # the task it was killed for running past its limit


@dataclass(frozen=True, slots=True)
class _Passed:
    """An input item that is not a task, waiting in the window for its turn to be yielded."""

    item: object


_END = object()


class WorkerPool:
    """Spawned worker processes that run ``work(task, phase)``; use it for one ``imap``.

    ``initializer(*initargs)`` runs once in each worker (load models there); ``work`` and the
    initializer must be importable module-level functions. ``limits`` maps a phase name to the
    seconds a task may spend in it; a task starts in ``first_phase`` and moves on when it calls
    ``phase(name)``. A worker is replaced after ``tasks_per_worker`` tasks (memory stays flat).

    ``split(task)`` gives a batch task's parts (fewer than two: it is no batch); a batch's limits
    and its share of ``tasks_per_worker`` count once per part, and a batch that dies or runs out
    of time is split: its result is then the list of its parts' results (or Lost records).
    """

    def __init__(
        self,
        workers: int,
        *,
        initializer: Callable[..., object],
        initargs: tuple[Any, ...],
        work: Callable[[Any, PhaseFn], Any],
        first_phase: str,
        limits: Mapping[str, float | None] | None = None,
        tasks_per_worker: int = 1000,
        window: int | None = None,
        split: Callable[[Any], list[Any]] | None = None,
    ) -> None:
        self._size = max(1, workers)
        # pickled here, so an unpicklable setup fails at once in this process
        self._setup = bytes(ForkingPickler.dumps((initializer, initargs, work, first_phase)))
        self._limits = {k: v for k, v in (limits or {}).items() if v and 0 < v < math.inf}
        self._tasks_per_worker = max(1, tasks_per_worker)
        self._window_size = window or self._size * 2 * QUEUED_PER_WORKER
        self._workers: list[_Worker] = []
        self._window: deque[int | _Passed] = deque()
        self._tasks: dict[int, object] = {}  # seq -> task, until its result is in
        self._results: dict[int, object] = {}  # seq -> result (or Lost), until it is yielded
        # heap of (rank, seq) to send, oldest first; a split batch's parts keep its rank
        self._waiting: list[tuple[tuple[int, int], int]] = []
        self._ranks: dict[int, tuple[int, int]] = {}  # seq -> its place in the input order
        self._deaths: dict[int, int] = {}  # seq -> deaths of workers that held it
        self._split = split
        self._parts: dict[int, list[int]] = {}  # seq of a split batch -> its parts' seqs
        self._next_seq = 0
        self._startup_deaths = 0
        self._started = 0
        self._used = False

    def imap(
        self, items: Iterable[object], *, is_task: Callable[[object], bool]
    ) -> Iterator[object]:
        """Each task's result (or Lost record) and each other item as it is, in input order."""
        if self._used:
            raise RuntimeError("a WorkerPool runs one imap; make a new pool")
        self._used = True
        source = iter(items)
        exhausted = finished = False
        try:
            while True:
                while not exhausted and len(self._window) < self._window_size:
                    item = next(source, _END)
                    if item is _END:
                        exhausted = True
                    elif is_task(item):
                        seq, self._next_seq = self._next_seq, self._next_seq + 1
                        self._tasks[seq] = item
                        self._queue(seq, (seq, 0))
                        self._window.append(seq)
                    else:
                        self._window.append(_Passed(item))
                self._staff()
                self._dispatch()
                if self._window and self._is_ready(self._window[0]):
                    while self._window and self._is_ready(self._window[0]):
                        yield self._pop()
                    continue  # room in the window: read on before waiting
                if not self._window and exhausted:
                    finished = True
                    return
                self._wait()
        finally:
            self._shutdown(graceful=finished)

    # -- bookkeeping
    def _is_ready(self, entry: int | _Passed) -> bool:
        """Whether a window entry can be yielded: a passed item, or a task with its result."""
        if isinstance(entry, _Passed):
            return True
        parts = self._parts.get(entry)
        return entry in self._results if parts is None else all(p in self._results for p in parts)

    def _pop(self) -> object:
        """Take the oldest window entry off, as the item or result to yield."""
        entry = self._window.popleft()
        if isinstance(entry, _Passed):
            return entry.item
        if entry in self._parts:
            return [self._results.pop(p) for p in self._parts.pop(entry)]
        return self._results.pop(entry)

    def _settle(self, seq: int, result: object) -> None:
        """Record a task's result (or Lost record: a batch is split) and forget the task."""
        task = self._tasks.pop(seq, None)
        self._deaths.pop(seq, None)
        rank = self._ranks.pop(seq, (seq, 0))
        parts = self._split(task) if isinstance(result, Lost) and self._split else []
        if len(parts) < 2:
            self._results[seq] = result
            return
        log.info("batch task %d split into its %d parts to find the one at fault", seq, len(parts))
        self._parts[seq] = []
        for index, part in enumerate(parts):
            new, self._next_seq = self._next_seq, self._next_seq + 1
            self._tasks[new] = part
            self._parts[seq].append(new)
            self._queue(new, (rank[0], index))  # the window's head waits for them: first in line

    def _queue(self, seq: int, rank: tuple[int, int] | None = None) -> None:
        """Put a task in line to be sent (again), by its place in the input order."""
        if rank is not None:
            self._ranks[seq] = rank
        heapq.heappush(self._waiting, (self._ranks[seq], seq))

    def _cost(self, seq: int) -> int:
        """A task's parts (1 unless it is a batch): its share of limits and of worker lives."""
        return max(1, len(self._split(self._tasks[seq]))) if self._split else 1

    # -- workers
    def _staff(self) -> None:
        """Start workers while there is work for more of them."""
        live = [w for w in self._workers if not w.stopping]
        outstanding = len(self._waiting) + sum(len(w.assigned) for w in live)
        while len(live) < min(self._size, outstanding):
            live.append(self._spawn())

    def _spawn(self) -> _Worker:
        context = multiprocessing.get_context("spawn")  # no forked copies of open SQLite handles
        task_reader, task_writer = context.Pipe(duplex=False)
        result_reader, result_writer = context.Pipe(duplex=False)
        self._started += 1
        process = context.Process(
            target=_worker_main,
            args=(task_reader, result_writer),
            name=f"detente-worker-{self._started}",
            daemon=True,
        )
        process.start()
        # only the worker holds these ends now: its death is a broken pipe and an end of file here
        task_reader.close()
        result_writer.close()
        outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        outbox.put(self._setup)
        sender = threading.Thread(
            target=_send_all, args=(task_writer, outbox), name=f"{process.name}-send", daemon=True
        )
        sender.start()
        worker = _Worker(process, process.pid or 0, result_reader, outbox, sender)
        self._workers.append(worker)
        log.debug("started worker %s (%s)", worker.pid, process.name)
        return worker

    def _dispatch(self) -> None:
        """Send waiting tasks, oldest first, to the workers with the shortest queues."""
        while self._waiting:
            open_ = [w for w in self._workers if not w.stopping]
            open_ = [w for w in open_ if len(w.assigned) < QUEUED_PER_WORKER]
            if not open_:
                return
            worker = min(open_, key=lambda w: (len(w.assigned), not w.ready))
            _, seq = heapq.heappop(self._waiting)
            worker.outbox.put(bytes(ForkingPickler.dumps((seq, self._tasks[seq]))))
            worker.assigned.append(seq)
            worker.sent += self._cost(seq)
            if worker.sent >= self._tasks_per_worker:
                worker.outbox.put(bytes(ForkingPickler.dumps(None)))
                worker.stopping = True

    def _deadline(self, worker: _Worker) -> float | None:
        """When the worker's task in hand runs out of time in its phase (None: no limit)."""
        limit = self._limits.get(worker.phase) if worker.phase is not None else None
        return None if limit is None else worker.since + limit * self._cost(worker.assigned[0])

    def _wait(self) -> None:
        """Wait for a message, a worker's end or the nearest deadline, and handle what came."""
        deadlines = [d for w in self._workers if (d := self._deadline(w)) is not None]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        handles: list[Any] = [w.results for w in self._workers if not w.closed]
        handles += [w.process.sentinel for w in self._workers]
        if not handles:
            raise RuntimeError("the worker pool waits with no workers (a bug: please report it)")
        ready = multiprocessing.connection.wait(handles, timeout)
        for worker in list(self._workers):
            if any(r is worker.results for r in ready):
                self._read(worker)
        for worker in list(self._workers):
            if worker.process.sentinel in ready:
                self._ended(worker)
        now = time.monotonic()
        for worker in list(self._workers):
            deadline = self._deadline(worker)
            if deadline is not None and deadline <= now:
                self._kill_for_time(worker)

    def _read(self, worker: _Worker) -> None:
        """Handle every message the worker has sent so far."""
        while not worker.closed and worker.results.poll():
            try:
                message = worker.results.recv()
            except (EOFError, OSError):  # it has exited (perhaps mid-message)
                worker.closed = True
                break
            kind = message[0]
            if kind == "phase":
                worker.phase, worker.since = message[2], time.monotonic()
            elif kind == "done":
                seq = worker.assigned.popleft()
                if seq != message[1]:
                    raise RuntimeError(f"worker sent task {message[1]}, expected {seq} (a bug)")
                worker.phase = None
                self._settle(seq, message[2])
            elif kind == "ready":
                worker.ready = True
                self._startup_deaths = 0
            elif kind == "init_error":
                raise message[1]

    def _kill_for_time(self, worker: _Worker) -> None:
        """Kill a worker whose task ran past its phase's limit, and replace it."""
        seq = worker.assigned[0]
        log.warning(
            "worker %s ran past the %g s %s limit on task %d; killing it",
            worker.pid,
            self._limits[worker.phase or ""],
            worker.phase,
            seq,
        )
        worker.killed_for = seq
        worker.process.kill()
        worker.process.join()
        self._ended(worker)

    def _ended(self, worker: _Worker) -> None:
        """A worker process has ended: keep what it sent, hand its tasks on, start no orphans."""
        self._read(worker)  # results it sent before it ended still count
        worker.process.join()
        exitcode = worker.process.exitcode
        self._workers.remove(worker)
        self._close(worker)
        held = worker.assigned.popleft() if worker.phase is not None else None
        for seq in worker.assigned:  # queued, never started: not their fault
            self._queue(seq)
        if held is None and not worker.assigned and worker.stopping and exitcode == 0:
            return  # recycled after its share of tasks
        how = exit_description(exitcode)
        if not worker.ready:
            self._startup_deaths += 1
            log.warning("worker %s died while starting (%s)", worker.pid, how)
            if self._startup_deaths >= MAX_STARTUP_DEATHS:
                raise DetenteError(
                    f"{self._startup_deaths} worker processes in a row died while starting "
                    f"(last: {how}); run with one worker (--workers 1) to see the error"
                )
        if held is None:
            if worker.ready and worker.killed_for is None:
                log.warning("worker %s died between tasks (%s)", worker.pid, how)
            return
        phase = worker.phase or ""
        task = self._tasks[held]
        if worker.killed_for == held:
            self._settle(held, Lost(task, phase, "timed out", exitcode, self._limits.get(phase)))
            return
        if worker.killed_for is not None:  # killed for a task that finished just before
            self._queue(held)
            return
        deaths = self._deaths[held] = self._deaths.get(held, 0) + 1
        deaths = max(deaths, DEATHS_PER_TASK if self._cost(held) > 1 else 0)  # a batch: split
        log.warning(
            "worker %s died (%s) in phase %r of task %d (death %d of %d allowed)",
            worker.pid,
            how,
            phase,
            held,
            deaths,
            DEATHS_PER_TASK,
        )
        if deaths >= DEATHS_PER_TASK:
            self._settle(held, Lost(task, phase, "died", exitcode))
        else:
            self._queue(held)

    @staticmethod
    def _close(worker: _Worker) -> None:
        """Release an ended worker's pipes, thread and process handle."""
        worker.outbox.put(None)  # the sender ends: its queue is sent, or the pipe is broken
        worker.sender.join()
        worker.results.close()
        worker.process.close()

    def _shutdown(self, *, graceful: bool) -> None:
        """Stop every worker: let idle ones exit after a normal end, kill them otherwise."""
        workers, self._workers = self._workers, []
        for worker in workers:
            if graceful and worker.ready:  # idle now: it exits as soon as it reads the stop
                if not worker.stopping:
                    worker.outbox.put(bytes(ForkingPickler.dumps(None)))
            else:  # mid-task, or still loading a pipeline nothing needs any more
                worker.process.kill()
        for worker in workers:
            worker.process.join(STOP_GRACE_SECONDS)
            if worker.process.is_alive():
                log.warning("worker %s did not stop; killing it", worker.pid)
                worker.process.kill()
                worker.process.join()
            self._close(worker)
