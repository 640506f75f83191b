"""A time limit for work in this process: a POSIX timer around a block or a call.

Shared by extraction (per-document limits), annotation and the worker pool; it lives here, below
every stage, so a stage can bound its work without importing the worker pool.
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

__all__ = ["TimeLimitExceeded", "run_with_time_limit", "time_limit"]

_T = TypeVar("_T")


class _Deadline(BaseException):
    """Raised by the timer; a BaseException so the libraries' ``except Exception`` can't eat it."""


class TimeLimitExceeded(TimeoutError):
    """A ``time_limit`` block ran past its seconds (raised where the block ends)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"ran past the time limit of {seconds:g} s")
        self.seconds = seconds


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[bool]:
    """Stop the body with TimeLimitExceeded after ``seconds`` when a timer is usable (yielded)."""
    # signal.setitimer only works on the main thread of a POSIX process. Threads cannot be
    # killed in Python, so a watchdog thread could only abandon a runaway task while it keeps
    # burning CPU; elsewhere (Windows, worker threads) the body runs without a hard timer and
    # callers rely on their own limits, or on running the work in a process they can kill.
    usable = (
        seconds is not None
        and 0 < seconds < math.inf
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0.0  # never clobber a caller's timer
    )
    if not usable or seconds is None:
        yield False
        return
    deadline = _Deadline()  # this block's own: a caller's deadline passes through untouched
    armed = [True]

    def on_alarm(signum: int, frame: object) -> None:
        if armed[0]:
            armed[0] = False
            raise deadline

    try:
        previous = signal.signal(signal.SIGALRM, on_alarm)
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds)  # may fire at once: inside the try
            yield True
        finally:
            try:
                armed[0] = False  # from here on a late alarm can't interrupt the clean-up below
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
    except _Deadline as err:
        if err is not deadline:
            raise
        raise TimeLimitExceeded(seconds) from None


def run_with_time_limit(fn: Callable[[], _T], seconds: float | None) -> _T:
    """``fn()``, stopped with TimeLimitExceeded after ``seconds`` (main thread on POSIX only)."""
    with time_limit(seconds):
        return fn()
