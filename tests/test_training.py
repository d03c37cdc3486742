"""End to end: nnlib trains a real network on real data, as the chapters will.

A 64-128-10 MLP trained with Adam on scikit-learn's bundled handwritten digits must reach
at least 95 % test accuracy. Everything in it is nnlib: data loading, layers, loss,
backward, optimizer.
"""

from __future__ import annotations

import numpy as np

import nnlib
from nnlib import nn
from nnlib.data import DataLoader, TensorDataset, load_digits


def train_digits(num_epochs: int = 15, seed: int = 0) -> tuple[float, list[float]]:
    """Train the MLP and return (test accuracy, loss per epoch)."""
    nnlib.manual_seed(seed)
    split = load_digits(test_size=0.25, seed=seed, standardize=True)
    net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    loss_fn = nn.CrossEntropyLoss()
    opt = nnlib.optim.Adam(net.parameters(), lr=1e-3)
    loader = DataLoader(TensorDataset(split.X_train, split.y_train), batch_size=32,
                        shuffle=True, seed=seed)  # fmt: skip
    history = []
    for _ in range(num_epochs):
        total, count = 0.0, 0
        for X, y in loader:
            opt.zero_grad()
            loss = loss_fn(net(X), y)
            loss.backward()
            opt.step()
            total += loss.item() * len(y)
            count += len(y)
        history.append(total / count)
    net.eval()
    with nnlib.no_grad():
        predicted = net(split.X_test).argmax(dim=1)
    accuracy = float((predicted.data == split.y_test.data).mean())
    return accuracy, history


def test_digits_mlp_reaches_95_percent() -> None:
    accuracy, history = train_digits()
    assert accuracy >= 0.95, f"test accuracy {accuracy:.3f} < 0.95"
    # The loss must really have come down from chance level (ln 10 ≈ 2.30).
    assert history[0] < np.log(10)
    assert history[-1] < 0.1 * history[0]


def test_training_is_deterministic() -> None:
    assert train_digits(num_epochs=2) == train_digits(num_epochs=2)
