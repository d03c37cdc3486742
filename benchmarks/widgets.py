"""Time one update (compute + render + PNG) of every demo in ``nnlib.widgets``.

For a :class:`~nnlib.widgets.Demo` one update is one control change; for a
:class:`~nnlib.widgets.TrainingDemo` it is one Play tick (a chunk of training steps plus the
frame). Each demo gets a few warm-up updates, then the median of ``--repeats`` timed ones is
printed with its ratio to the 100 ms target (below 1.0 feels live), beside the median CPU
time of this process (less disturbed when other jobs share the machine; the load average is
printed too). Informative only: this is a benchmark, not a test.

Usage::

    .venv/bin/python benchmarks/widgets.py [--repeats 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from nnlib.widgets import DEMOS, Demo, TrainingDemo

TARGET_MS = 100.0


def _control_changes(demo: Demo) -> list[Callable[[], None]]:
    """Actions that each move one control to a new value (cycling through the controls)."""
    actions: list[Callable[[], None]] = []
    for control in demo.controls.values():
        options = getattr(control, "options", None)
        if options is not None and not isinstance(control.value, tuple):
            values: list[Any] = list(options)
        elif hasattr(control, "max") and hasattr(control, "min"):
            lo, hi = control.min, control.max
            values = [lo + (hi - lo) * k / 9 for k in range(10)]
            if isinstance(control.value, int):
                values = sorted({round(v) for v in values})
        else:
            continue
        for value in values:
            actions.append(lambda control=control, value=value: setattr(control, "value", value))
    return actions


def time_demo(build: Callable[[], Demo], repeats: int) -> tuple[str, float, float, float]:
    """``(kind, median wall ms, median CPU ms, build ms)`` for one demo builder."""
    start = time.perf_counter()
    demo = build()
    build_ms = 1e3 * (time.perf_counter() - start)
    if isinstance(demo, TrainingDemo):
        kind = "Play tick"
        actions = [demo.tick] * (repeats + 3)
    else:
        kind = "control change"
        changes = _control_changes(demo)
        actions = [changes[k % len(changes)] for k in range(repeats + 3)]
    wall, cpu = [], []
    for k, action in enumerate(actions):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        if k >= 3:  # warm-up: first draws of new artists, caches
            wall.append(1e3 * (time.perf_counter() - start))
            cpu.append(1e3 * (time.process_time() - start_cpu))
    return kind, statistics.median(wall), statistics.median(cpu), build_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    print(f"load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    header = ["demo", "one update", "median ms", "vs 100 ms", "CPU ms", "build ms"]
    print(f"{header[0]:<28}{header[1]:<16}" + "".join(f"{h:>11}" for h in header[2:]))
    for name, build in DEMOS.items():
        kind, wall_ms, cpu_ms, build_ms = time_demo(build, args.repeats)
        ratio = wall_ms / TARGET_MS
        print(
            f"{name:<28}{kind:<16}{wall_ms:>11.1f}{ratio:>10.2f}×{cpu_ms:>11.1f}{build_ms:>11.0f}"
        )


if __name__ == "__main__":
    main()
