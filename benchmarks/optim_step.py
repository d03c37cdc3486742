"""Time one optimizer step on the parameters of a 2-8-8-2 MLP: nnlib against torch.

Prints microseconds per ``step()`` for each optimizer, float32 parameters with gradients
already in place, one thread each. Informative only: nothing is asserted.

Run: ``python benchmarks/optim_step.py``
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import timeit

import numpy as np
import torch

import nnlib
from nnlib.nn.parameter import Parameter
from nnlib.optim import SGD, Adam, AdamW, RMSprop

# The weights and biases of Linear(2, 8), Linear(8, 8), Linear(8, 2).
SHAPES = [(8, 2), (8,), (8, 8), (8,), (2, 8), (2,)]
CASES = [
    ("SGD", SGD, torch.optim.SGD, {"lr": 0.01}),
    ("SGD momentum", SGD, torch.optim.SGD, {"lr": 0.01, "momentum": 0.9}),
    ("RMSprop", RMSprop, torch.optim.RMSprop, {}),
    ("Adam", Adam, torch.optim.Adam, {}),
    ("AdamW", AdamW, torch.optim.AdamW, {}),
]


def per_step_us(step, repeat: int = 7, number: int = 2000) -> float:
    """Best of ``repeat`` runs of ``number`` steps, in microseconds per step."""
    for _ in range(200):  # warm-up: state allocation happens on the first step
        step()
    return min(timeit.repeat(step, repeat=repeat, number=number)) / number * 1e6


def main() -> None:
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s).astype(np.float32) for s in SHAPES]
    # Tiny gradients so that thousands of steps leave the parameters finite.
    grads = [1e-3 * rng.standard_normal(s).astype(np.float32) for s in SHAPES]
    print(f"{'optimizer':<14}{'nnlib µs':>10}{'torch µs':>10}{'ratio':>8}")
    for name, ours, theirs, kwargs in CASES:
        params = [Parameter(a.copy()) for a in arrays]
        for p, g in zip(params, grads, strict=True):
            p.grad = nnlib.tensor(g)
        t_params = [torch.nn.Parameter(torch.tensor(a)) for a in arrays]
        for p, g in zip(t_params, grads, strict=True):
            p.grad = torch.tensor(g)
        ours_us = per_step_us(ours(params, **kwargs).step)
        theirs_us = per_step_us(theirs(t_params, **kwargs).step)
        print(f"{name:<14}{ours_us:>10.1f}{theirs_us:>10.1f}{ours_us / theirs_us:>8.2f}")


if __name__ == "__main__":
    main()
