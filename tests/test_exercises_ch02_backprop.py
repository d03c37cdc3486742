"""Chapter 2's checkers for the neuron's chain rule and for finite differences: the right
answer passes, each usual mistake is rejected with its own hint, and nothing raises (the
shared checker battery of tests/helpers.py on this file's table)."""

import numpy as np

from nnlib.exercises import check_neuron_backward, check_numerical_gradient
from nnlib.exercises.ch02 import _FD, _NEURON
from tests.helpers import CheckerBattery


def neuron_right(w, x, b, y):
    r = w @ x + b - y
    return 2 * r * x, 2 * r


def fd(f, x, eps=1e-6, kind="central", restore=True, flat=False, inplace=False):
    x = x if inplace else np.array(x, dtype=float)
    grad = np.zeros_like(x)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        plus = f(x)
        x[i] = old - eps
        minus = f(x)
        if restore:
            x[i] = old
        if kind == "central":
            grad[i] = (plus - minus) / (2 * eps)
        elif kind == "forward":
            grad[i] = (plus - f0) / eps
        else:
            grad[i] = (plus - minus) / eps
    return grad.ravel() if flat else grad


def test_numerical_gradient_verdicts_are_readable():
    verdict = _FD.evaluate(lambda f, x, eps: fd(f, x, eps, kind="forward"))
    assert "0x" not in verdict.text and "f(θ) = (Σ θ)³" in verdict.text


def fd_nudged(f, x, eps=1e-6):
    # Nudges the caller's x and undoes it by arithmetic, which leaves rounding errors behind.
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        x[i] += eps
        plus = f(x)
        x[i] -= 2 * eps
        minus = f(x)
        x[i] += eps
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def fd_with(**kwargs):
    return lambda f, x, eps: fd(f, x, eps, **kwargs)


BATTERY = {
    _NEURON: (check_neuron_backward, neuron_right, [
        (lambda w, x, b, y: ((w @ x + b - y) * x, w @ x + b - y), "factor 2"),
        (lambda w, x, b, y: (2 * (y - w @ x - b) * x, 2 * (y - w @ x - b)), "sign is flipped"),
        (lambda w, x, b, y: (2 * (w @ x + b - y) * w, 2 * (w @ x + b - y)), "not by the weight"),
        (lambda w, x, b, y: (2 * (w @ x + b - y) * np.ones_like(x), 2 * (w @ x + b - y)),
         "last link"),
        (lambda w, x, b, y: (w.T @ x.reshape(1, -1), 1.0), "a shape mismatch", "error"),
    ]),
    _FD: (check_numerical_gradient, fd, [
        (fd_with(kind="forward"), "forward difference"),
        (fd_with(kind="half"), "divide by 2ε"),
        (fd_with(restore=False), "put each element back"),
        (fd_with(flat=True), "shape of theta"),
        (fd_with(inplace=True, restore=False), "in place"),
        (fd_nudged, "rounding error only"),
        (fd_nudged, "theta[j] = old"),
    ]),
}  # fmt: skip


class TestChapter2Checkers(CheckerBattery):
    BATTERY = BATTERY
