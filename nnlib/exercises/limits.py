"""A time and memory limit for a learner's function while a checker runs it.

A ``while`` loop that never advances would otherwise keep the checker's cell busy forever,
and one that appends to a list on every pass eats the kernel's memory until it dies (on
Colab, with no explanation). :func:`limited` checks the elapsed time and the growth of the
process's memory twenty times a second and stops the learner's code with
:class:`LimitExceeded`, which the checker turns into a verdict naming the line the code was
running.

The check uses ``SIGALRM``, so it works in the main thread of a Unix process (a Jupyter or
Colab kernel runs cells there). Elsewhere (Windows, a worker thread) the code runs without a
limit, as before.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

#: How long one call of the learner's function may take, in seconds.
SECONDS = 5.0
#: How much the process's memory may grow during one call, in MB.
MEMORY_MB = 200.0
_TICK = 0.05  # seconds between two checks


class LimitExceeded(BaseException):
    """Raised inside the learner's code when it runs too long or grows memory too much.

    A ``BaseException`` (as ``KeyboardInterrupt`` is), so that a ``try: ... except
    Exception`` inside the learner's loop cannot swallow it.

    Attributes:
        reason: ``"time"`` or ``"memory"``.
        limit: The limit that was exceeded (seconds or MB).
    """

    def __init__(self, reason: str, limit: float) -> None:
        self.reason = reason
        self.limit = limit
        what = f"{limit:g} s" if reason == "time" else f"{limit:g} MB of new memory"
        super().__init__(f"stopped after {what}")


def _resident_mb() -> float:
    """The process's resident memory in MB (peak resident memory where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 1e6 if sys.platform == "darwin" else peak / 1e3  # bytes vs KiB


def can_limit() -> bool:
    """Whether :func:`limited` can enforce its limits here (Unix, main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def limited(seconds: float | None = None, memory_mb: float | None = None) -> Iterator[None]:
    """Run the ``with`` body under a time and a memory-growth limit.

    Args:
        seconds: Stop the body after this many seconds (default :data:`SECONDS`).
        memory_mb: Stop the body when the process's resident memory has grown by this much
            (default :data:`MEMORY_MB`).

    Raises:
        LimitExceeded: inside the body, when a limit is exceeded.

    Example:
        >>> from nnlib.exercises.limits import LimitExceeded, limited
        >>> try:
        ...     with limited(seconds=0.2):
        ...         while True:
        ...             pass
        ... except LimitExceeded as stop:
        ...     print(stop.reason, stop.limit)
        time 0.2
    """
    if not can_limit():
        yield
        return
    seconds = SECONDS if seconds is None else seconds
    memory_mb = MEMORY_MB if memory_mb is None else memory_mb
    start, memory_at_start = time.monotonic(), _resident_mb()

    def check(signum: int, frame: FrameType | None) -> None:
        if time.monotonic() - start > seconds:
            raise LimitExceeded("time", seconds)
        if _resident_mb() - memory_at_start > memory_mb:
            raise LimitExceeded("memory", memory_mb)

    previous_handler = signal.signal(signal.SIGALRM, check)
    previous_timer = signal.setitimer(signal.ITIMER_REAL, _TICK, _TICK)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_timer[0] > 0:  # someone else's timer was running: give it back
            signal.setitimer(signal.ITIMER_REAL, *previous_timer)


def describe_stop(title: str, stop: LimitExceeded, where: str) -> tuple[str, list[str], str]:
    """What a verdict says about a call stopped by :func:`limited`.

    Args:
        title: The learner's function's name.
        stop: The exception :func:`limited` raised.
        where: Which case it was, e.g. ``"case 2 of 4, 'a 2-D batch'"``.

    Returns:
        The verdict's first line, the lines naming the learner's line that was running, and
        the hint.
    """
    from nnlib.exercises.report import describe_error

    running = [line for line in describe_error(stop) if line.startswith("where:")]
    if stop.reason == "time":
        first = f"✗ {title}: did not return within {stop.limit:g} s on {where}: an endless loop?"
        hint = (
            "a loop whose condition never turns false (does the loop variable change on "
            "every pass?), or a recursion with no base case. The checker stopped it: fix "
            "the line above and run the cell again."
        )
    else:
        first = (
            f"✗ {title}: took more than {stop.limit:g} MB of new memory on {where}: an "
            "endless loop that keeps adding to a list?"
        )
        hint = (
            "a loop that appends on every pass and never ends, or an array far larger than "
            "the inputs (a shape broadcast to (n, n)?). The checker stopped it."
        )
    return first, running, hint
