"""nnlib's own CPU time per optimizer step and per training step, to compare two checkouts.

The ratio scripts (``optim_step.py``, ``train_step.py``) time PyTorch in the same run, which
is fair on an idle machine; on a shared one PyTorch's wall-clock times swing far more than
nnlib's. This script times nnlib alone in process time (best of 9 runs of 3000 steps), so
that a change can be compared with the commit before it, run after run, interleaved:

    PYTHONPATH=/path/to/old/checkout python benchmarks/step_cpu_time.py
    python benchmarks/step_cpu_time.py

Prints one line: µs per ``step()`` for each optimizer on a 2-8-8-2 MLP's parameters (as
``optim_step.py``), and µs per training step of that MLP (as ``train_step.py``'s playground
row, batch 32). Informative only: nothing is asserted.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import time
from collections.abc import Callable

import numpy as np

import nnlib
from nnlib import nn
from nnlib.nn import functional as F
from nnlib.nn.parameter import Parameter
from nnlib.optim import SGD, Adam, AdamW, RMSprop

SHAPES = [(8, 2), (8,), (8, 8), (8,), (2, 8), (2,)]
CASES = [
    ("SGD", SGD, {"lr": 0.01}),
    ("momentum", SGD, {"lr": 0.01, "momentum": 0.9}),
    ("RMSprop", RMSprop, {}),
    ("Adam", Adam, {}),
    ("AdamW", AdamW, {}),
]


def cpu_us(step: Callable[[], object], number: int = 3000, repeat: int = 9) -> float:
    """Best of ``repeat`` runs of ``number`` calls, in process-time microseconds per call."""
    for _ in range(200):  # warm-up: state allocation happens on the first step
        step()
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(number):
            step()
        best = min(best, (time.process_time() - start) / number)
    return best * 1e6


def main() -> None:
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s).astype(np.float32) for s in SHAPES]
    grads = [1e-3 * rng.standard_normal(s).astype(np.float32) for s in SHAPES]
    row = []
    for name, optimizer, kwargs in CASES:
        params = [Parameter(a.copy()) for a in arrays]
        for p, g in zip(params, grads, strict=True):
            p.grad = nnlib.tensor(g)
        row.append(f"{name} {cpu_us(optimizer(params, **kwargs).step):.1f}")

    X = nnlib.tensor(rng.standard_normal((32, 2)).astype(np.float32))
    y = nnlib.tensor(rng.integers(0, 2, 32).astype(np.int64))
    net = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 2))
    opt = Adam(net.parameters(), lr=1e-3)

    def train_step() -> None:
        opt.zero_grad()
        F.cross_entropy(net(X), y).backward()
        opt.step()

    row.append(f"train {cpu_us(train_step, number=1000):.1f}")
    print(f"nnlib from {os.path.dirname(os.path.dirname(nnlib.__file__))}: " + "  ".join(row))


if __name__ == "__main__":
    main()
