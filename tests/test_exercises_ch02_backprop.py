"""Chapter 2's checkers for the neuron's chain rule and for finite differences: the right
answer passes, each usual mistake is rejected with its own hint, and nothing raises."""

import numpy as np
import pytest

from nnlib.exercises.ch02 import _FD, _NEURON


def neuron_right(w, x, b, y):
    r = w @ x + b - y
    return 2 * r * x, 2 * r


def test_neuron_right_answer_passes():
    verdict = _NEURON.evaluate(neuron_right)
    assert verdict.passed, verdict.text


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda w, x, b, y: ((w @ x + b - y) * x, w @ x + b - y), "factor 2"),
        (lambda w, x, b, y: (2 * (y - w @ x - b) * x, 2 * (y - w @ x - b)), "sign is flipped"),
        (lambda w, x, b, y: (2 * (w @ x + b - y) * w, 2 * (w @ x + b - y)), "not by the weight"),
        (
            lambda w, x, b, y: (2 * (w @ x + b - y) * np.ones_like(x), 2 * (w @ x + b - y)),
            "last link",
        ),
    ],
    ids=["no factor 2", "flipped sign", "times w", "forgot x"],
)
def test_neuron_mistakes_get_their_hint(wrong, hint):
    verdict = _NEURON.evaluate(wrong)
    assert verdict.status == "failed" and hint in verdict.hint, verdict.text


def test_neuron_stub_and_crash():
    assert _NEURON.evaluate(lambda w, x, b, y: None).status == "not attempted"
    verdict = _NEURON.evaluate(lambda w, x, b, y: (w.T @ x.reshape(1, -1), 1.0))
    assert verdict.status in ("failed", "error")


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


def test_numerical_gradient_right_answer_passes():
    verdict = _FD.evaluate(fd)
    assert verdict.passed, verdict.text


@pytest.mark.parametrize(
    ("kwargs", "hint"),
    [
        ({"kind": "forward"}, "forward difference"),
        ({"kind": "half"}, "divide by 2ε"),
        ({"restore": False}, "put each element back"),
        ({"flat": True}, "shape of x"),
        ({"inplace": True, "restore": False}, "in place"),
    ],
    ids=["forward", "divide by eps", "no restore", "flattened", "changes x"],
)
def test_numerical_gradient_mistakes_get_their_hint(kwargs, hint):
    verdict = _FD.evaluate(lambda f, x, eps: fd(f, x, eps, **kwargs))
    assert verdict.status == "failed" and hint in verdict.hint, verdict.text


def test_numerical_gradient_verdicts_are_readable():
    verdict = _FD.evaluate(lambda f, x, eps: fd(f, x, eps, kind="forward"))
    assert "0x" not in verdict.text and "f(x) = (Σ x)³" in verdict.text
    assert _FD.evaluate(lambda f, x, eps: ...).status == "not attempted"


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


def test_numerical_gradient_restored_by_arithmetic_gets_the_rounding_hint():
    verdict = _FD.evaluate(fd_nudged)
    assert verdict.status == "failed" and "rounding error only" in verdict.hint, verdict.text
    assert "x[i] = old" in verdict.hint
