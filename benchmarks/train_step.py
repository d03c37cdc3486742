"""Time one training step of an MLP in nnlib, PyTorch (CPU) and hand-written NumPy.

One step = forward, cross-entropy loss, backward, Adam update. The three implementations
start from the same weights, are timed interleaved in one process (so machine noise hits
all of them alike), each on one thread (BLAS thread pools of NumPy and PyTorch otherwise
spin and steal each other's cores on small machines), and the script prints the median
time per step and the ratios.

Hand-written NumPy is the floor any NumPy library can reach: it knows the network in
advance and needs no graph. Targets (nnlib ÷ PyTorch): ≤ 0.6, ≤ 0.7, ≤ 1.3.

Run: ``python benchmarks/train_step.py`` (``--quick`` for a short run).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import itertools  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

import nnlib  # noqa: E402
from nnlib import nn  # noqa: E402
from nnlib.nn import functional as F  # noqa: E402

torch.set_num_threads(1)

CONFIGS = [
    # name, layer sizes, batch, target ratio nnlib/PyTorch
    ("playground 2-8-8-2", [2, 8, 8, 2], 32, 0.6),
    ("digits 64-128-64-10", [64, 128, 64, 10], 64, 0.7),
    ("wide 784-512-512-10", [784, 512, 512, 10], 128, 1.3),
]


def make_weights(sizes: list[int], seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """PyTorch's default Linear initialisation, drawn once and shared by all three."""
    rng = np.random.default_rng(seed)
    layers = []
    for n_in, n_out in itertools.pairwise(sizes):
        bound = 1 / np.sqrt(n_in)
        w = rng.uniform(-bound, bound, (n_out, n_in)).astype(np.float32)
        b = rng.uniform(-bound, bound, n_out).astype(np.float32)
        layers.append((w, b))
    return layers


def nnlib_step_fn(layers, X: np.ndarray, y: np.ndarray) -> Callable[[], float]:
    modules: list[nn.Module] = []
    for w, b in layers:
        lin = nn.Linear(w.shape[1], w.shape[0])
        lin.weight.data[...] = w
        lin.bias.data[...] = b
        modules += [lin, nn.ReLU()]
    net = nn.Sequential(*modules[:-1])
    opt = nnlib.optim.Adam(net.parameters(), lr=1e-3)
    Xt, yt = nnlib.tensor(X), nnlib.tensor(y)

    def step() -> float:
        opt.zero_grad()
        loss = F.cross_entropy(net(Xt), yt)
        loss.backward()
        opt.step()
        return loss.item()

    return step


def torch_step_fn(layers, X: np.ndarray, y: np.ndarray) -> Callable[[], float]:
    modules: list[torch.nn.Module] = []
    for w, b in layers:
        lin = torch.nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w))
            lin.bias.copy_(torch.from_numpy(b))
        modules += [lin, torch.nn.ReLU()]
    net = torch.nn.Sequential(*modules[:-1])
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def step() -> float:
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(Xt), yt)
        loss.backward()
        opt.step()
        return loss.item()

    return step


def numpy_step_fn(layers, X: np.ndarray, y: np.ndarray) -> Callable[[], float]:
    """The same network and Adam written out by hand: no graph, no bookkeeping."""
    params = [a.copy() for w, b in layers for a in (w, b)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    tmp = [np.empty_like(p) for p in params]
    lr, b1, b2, eps = 1e-3, 0.9, 0.999, 1e-8
    t = [0]
    n = len(y)
    rows = np.arange(n)

    def step() -> float:
        acts = [X]
        h = X
        for i in range(0, len(params), 2):
            z = h @ params[i].T
            z += params[i + 1]
            h = np.maximum(z, 0) if i + 2 < len(params) else z
            acts.append(h)
        logits = acts[-1]
        shifted = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(axis=1, keepdims=True)
        loss = float(np.mean(np.log(s[:, 0]) - shifted[rows, y]))
        g = e / s
        g[rows, y] -= 1
        g /= n
        grads: list[np.ndarray] = [None] * len(params)  # type: ignore[list-item]
        for i in range(len(params) - 2, -1, -2):
            h_in = acts[i // 2]
            grads[i] = g.T @ h_in
            grads[i + 1] = g.sum(axis=0)
            if i:
                g = g @ params[i]
                g *= h_in > 0
        t[0] += 1
        c1, c2 = 1 - b1 ** t[0], 1 - b2 ** t[0]
        for p, gr, mi, vi, ti in zip(params, grads, m, v, tmp, strict=True):
            mi *= b1
            mi += (1 - b1) * gr
            vi *= b2
            np.multiply(gr, gr, out=ti)
            ti *= 1 - b2
            vi += ti
            np.sqrt(vi, out=ti)
            ti /= np.sqrt(c2)
            ti += eps
            np.divide(mi, ti, out=ti)
            ti *= lr / c1
            p -= ti
        return loss

    return step


def time_steps(step: Callable[[], float], k: int) -> float:
    start = time.perf_counter()
    for _ in range(k):
        step()
    return (time.perf_counter() - start) / k


def run(quick: bool) -> list[tuple[str, float, float, float, float]]:
    results = []
    for name, sizes, batch, target in CONFIGS:
        rng = np.random.default_rng(0)
        X = rng.standard_normal((batch, sizes[0])).astype(np.float32)
        y = rng.integers(0, sizes[-1], batch).astype(np.int64)
        layers = make_weights(sizes, seed=1)
        steps = {
            "nnlib": nnlib_step_fn(layers, X, y),
            "torch": torch_step_fn(layers, X, y),
            "numpy": numpy_step_fn(layers, X, y),
        }
        # Same start, same data: the first losses must agree, or the comparison is void.
        first = {k: s() for k, s in steps.items()}
        if not (np.isclose(first["nnlib"], first["torch"], rtol=1e-4)
                and np.isclose(first["numpy"], first["torch"], rtol=1e-4)):  # fmt: skip
            raise SystemExit(f"{name}: first losses disagree: {first}")
        per_round = max(3, int(2e-2 / time_steps(steps["torch"], 3)))  # ~20 ms a round
        rounds = 15 if quick else 60
        samples: dict[str, list[float]] = {k: [] for k in steps}
        for _ in range(rounds):
            for k, s in steps.items():
                samples[k].append(time_steps(s, per_round))
        med = {k: statistics.median(v) for k, v in samples.items()}
        ratio = med["nnlib"] / med["torch"]
        results.append((name, med["nnlib"], med["torch"], med["numpy"], ratio))
        status = "ok" if ratio <= target else "OVER TARGET"
        print(
            f"{name:<22} nnlib {med['nnlib'] * 1e6:8.1f} µs  torch {med['torch'] * 1e6:8.1f} µs"
            f"  numpy {med['numpy'] * 1e6:8.1f} µs   nnlib/torch {ratio:5.2f} "
            f"(target ≤ {target})  nnlib/numpy {med['nnlib'] / med['numpy']:5.2f}  {status}",
            flush=True,
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args()
    print(f"numpy {np.__version__}, torch {torch.__version__}, one thread each")
    run(args.quick)


if __name__ == "__main__":
    main()
