"""check_xor_network (chapter 1): wrong networks rejected with their hint, XOR accepted."""

import numpy as np
import pytest

from nnlib.exercises.ch01 import _XOR


def step(z):
    return (z > 0).astype(float)


def two_layer(W1, b1, w2, b2):
    W1, b1, w2 = np.array(W1, float), np.array(b1, float), np.array(w2, float)
    return lambda X: step(step(X @ W1.T + b1) @ w2 + b2)


RIGHT = two_layer([[1, 1], [-1, -1]], [-0.5, 1.5], [1, 1], -1.5)


def test_right_network_passes():
    verdict = _XOR.evaluate(RIGHT)
    assert verdict.passed
    assert verdict.text.startswith("✓ xor_net")


def test_boolean_output_is_accepted():
    assert _XOR.evaluate(lambda X: RIGHT(X) > 0).passed


@pytest.mark.parametrize(
    ("fn", "hint"),
    [
        (lambda X: step(X.sum(axis=1) - 0.5), "computes OR"),
        (lambda X: step(X.sum(axis=1) - 1.5), "computes AND"),
        (lambda X: step(1.5 - X.sum(axis=1)), "computes NAND"),
        (lambda X: 1.0 - RIGHT(X), "exactly inverted"),
        (lambda X: np.zeros(len(X)), "same output for every point"),
        (lambda X: np.ones(len(X)), "same output for every point"),
        (lambda X: step(X[:, 0] - 0.5), "print H for the four corners"),
    ],
)
def test_wrong_networks_get_their_hint(fn, hint):
    verdict = _XOR.evaluate(fn)
    assert verdict.status == "failed"
    assert hint in verdict.text


def test_stub_is_not_attempted():
    def xor_net(X): ...

    assert _XOR.evaluate(xor_net).status == "not attempted"


def test_crash_is_reported_not_raised():
    verdict = _XOR.evaluate(lambda X: X @ np.ones(3))
    assert verdict.status == "error"
    assert "✗ xor_net" in verdict.text
