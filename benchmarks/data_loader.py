"""Time one epoch of mini-batches from nnlib's DataLoader, PyTorch's, and bare NumPy.

The data set is the size a course chapter uses (1,000 rows of 64 float32 features and int64
labels, batches of 64, shuffled). Bare NumPy (permute once, fancy-index each batch) is the
floor; PyTorch's DataLoader collates example by example, so it is far slower on such small
data. Target: under 1 ms per batch for nnlib (it is a few microseconds), at most twice the
NumPy floor.

Run: ``python benchmarks/data_loader.py`` (``--quick`` for a short run).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import torch

from nnlib.data import DataLoader, TensorDataset

N, D, BATCH = 1000, 64, 64


def numpy_epoch(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> Callable[[], int]:
    def epoch() -> int:
        order = rng.permutation(len(y))
        count = 0
        for start in range(0, len(y), BATCH):
            index = order[start : start + BATCH]
            _xb, yb = X[index], y[index]
            count += len(yb)
        return count

    return epoch


def loader_epoch(loader) -> Callable[[], int]:
    def epoch() -> int:
        count = 0
        for _, yb in loader:
            count += len(yb)
        return count

    return epoch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 5 if args.quick else 30

    rng = np.random.default_rng(0)
    X = rng.normal(size=(N, D)).astype(np.float32)
    y = rng.integers(0, 10, size=N)
    torch_loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y)),
        batch_size=BATCH,
        shuffle=True,
    )
    runners = {
        "numpy": numpy_epoch(X, y, rng),
        "nnlib": loader_epoch(DataLoader(TensorDataset(X, y), BATCH, shuffle=True, seed=0)),
        "torch": loader_epoch(torch_loader),
    }
    times: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(repeats):  # interleaved, so machine noise hits all three alike
        for name, run in runners.items():
            start = time.perf_counter()
            assert run() == N
            times[name].append(time.perf_counter() - start)
    batches = -(-N // BATCH)
    median = {name: statistics.median(t) for name, t in times.items()}
    print(f"{N} rows x {D} features, batch {BATCH} ({batches} batches), shuffled")
    for name, t in median.items():
        print(f"  {name:6s} {t * 1e3:8.3f} ms/epoch  {t / batches * 1e6:9.1f} us/batch")
    print(f"  nnlib / numpy = {median['nnlib'] / median['numpy']:.2f}   (target <= 2)")
    print(f"  nnlib / torch = {median['nnlib'] / median['torch']:.3f}")


if __name__ == "__main__":
    main()
