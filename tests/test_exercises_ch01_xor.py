"""check_xor_network (chapter 1): wrong networks rejected with their hint, XOR accepted (the
shared checker battery of tests/helpers.py on this file's table)."""

import numpy as np

from nnlib.exercises import check_xor_network
from nnlib.exercises.ch01 import _XOR
from tests.helpers import CheckerBattery


def step(z):
    return (z > 0).astype(float)


def two_layer(W1, b1, w2, b2):
    W1, b1, w2 = np.array(W1, float), np.array(b1, float), np.array(w2, float)
    return lambda X: step(step(X @ W1.T + b1) @ w2 + b2)


RIGHT = two_layer([[1, 1], [-1, -1]], [-0.5, 1.5], [1, 1], -1.5)


BATTERY = {
    _XOR: (check_xor_network, RIGHT, [
        (lambda X: step(X.sum(axis=1) - 0.5), "computes OR"),
        (lambda X: step(X.sum(axis=1) - 1.5), "computes AND"),
        (lambda X: step(1.5 - X.sum(axis=1)), "computes NAND"),
        (lambda X: 1.0 - RIGHT(X), "exactly inverted"),
        (lambda X: np.zeros(len(X)), "same output for every point"),
        (lambda X: np.ones(len(X)), "same output for every point"),
        (lambda X: step(X[:, 0] - 0.5), "print H for the four corners"),
        (lambda X: X @ np.ones(3), "a shape mismatch", "error"),
    ]),
}  # fmt: skip


class TestXorChecker(CheckerBattery):
    BATTERY = BATTERY


def test_boolean_output_is_accepted():
    assert _XOR.evaluate(lambda X: RIGHT(X) > 0).passed
