"""Time one update (compute + render + PNG) of every demo in ``nnlib.widgets``.

For a :class:`~nnlib.widgets.Demo` one update is one control change; for a
:class:`~nnlib.widgets.TrainingDemo` it is one Play tick (a chunk of training steps plus
the frame, then control changes, which restart the run). Each demo gets a few warm-up
updates, then the median and the 95th percentile of the timed ones are printed, with the
p95's ratio to the 100 ms target (below 1.0 feels live) and the control slowest at p95 (a
dropdown that switches figures, say), beside the median CPU time of this process (less
disturbed when other jobs share the machine; the load average is printed too). Informative
only: this is a benchmark, not a test.

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


def _control_changes(demo: Demo) -> list[tuple[str, Callable[[], None]]]:
    """(control name, action) pairs that each move one control to a new value."""
    actions: list[tuple[str, Callable[[], None]]] = []
    for name, control in demo.controls.items():
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
            actions.append(
                (name, lambda control=control, value=value: setattr(control, "value", value))
            )
    return actions


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank) of ``values``."""
    ranked = sorted(values)
    return ranked[min(len(ranked) - 1, max(0, round(q / 100 * len(ranked)) - 1))]


def time_demo(build: Callable[[], Demo], repeats: int) -> dict[str, Any]:
    """Median and p95 wall ms, median CPU ms, build ms and the slowest control at p95."""
    start = time.perf_counter()
    demo = build()
    build_ms = 1e3 * (time.perf_counter() - start)
    changes = _control_changes(demo)
    if isinstance(demo, TrainingDemo):
        kind = "Play tick"
        actions = [("Play", demo.tick)] * (repeats + 3)
        # A control change restarts the run: time those too, after the ticks.
        actions += [changes[k % len(changes)] for k in range(repeats)]
    else:
        kind = "control change"
        count = max(repeats, len(changes)) + 3
        actions = [changes[k % len(changes)] for k in range(count)]
    wall, cpu, by_control = [], [], {}
    for k, (name, action) in enumerate(actions):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        if k >= 3:  # warm-up: first draws of new artists, caches
            wall.append(1e3 * (time.perf_counter() - start))
            cpu.append(1e3 * (time.process_time() - start_cpu))
            by_control.setdefault(name, []).append(wall[-1])
    slowest = max(by_control, key=lambda n: percentile(by_control[n], 95))
    return {
        "kind": kind,
        "median": statistics.median(wall),
        "p95": percentile(wall, 95),
        "cpu": statistics.median(cpu),
        "build": build_ms,
        "slowest": f"{slowest} {percentile(by_control[slowest], 95):.0f}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    print(f"load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    header = ["demo", "one update", "median ms", "p95 ms", "p95/100ms", "CPU ms", "build ms"]
    print(
        f"{header[0]:<28}{header[1]:<16}"
        + "".join(f"{h:>10}" for h in header[2:])
        + "  slowest control (p95 ms)"
    )
    for name, build in DEMOS.items():
        t = time_demo(build, args.repeats)
        print(
            f"{name:<28}{t['kind']:<16}{t['median']:>10.1f}{t['p95']:>10.1f}"
            f"{t['p95'] / TARGET_MS:>9.2f}×{t['cpu']:>10.1f}{t['build']:>10.0f}  {t['slowest']}"
        )


if __name__ == "__main__":
    main()
