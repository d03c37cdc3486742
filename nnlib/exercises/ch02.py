r"""Checkers for chapter 2 (backpropagation).

This module holds the gradients derived by hand: :func:`check_neuron_backward` (the chain
rule for one neuron) and :func:`check_two_layer_backward` (a small network), both compared
with nnlib's autograd. The checkers that test against finite differences,
:func:`check_backward_rule` (a learner's own :class:`nnlib.autograd.Function`, with
:func:`nnlib.autograd.gradcheck`) and :func:`check_numerical_gradient`, are written in
:mod:`nnlib.exercises.ch02_autograd` and imported here, so every chapter 2 checker can be
imported from this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import nnlib
from nnlib.exercises.ch02_autograd import _FD as _FD
from nnlib.exercises.ch02_autograd import ScalarFunction as ScalarFunction
from nnlib.exercises.ch02_autograd import check_backward_rule as check_backward_rule
from nnlib.exercises.ch02_autograd import check_numerical_gradient as check_numerical_gradient
from nnlib.exercises.ch02_autograd import evaluate_backward_rule as evaluate_backward_rule
from nnlib.exercises.core import (
    Attempt,
    Case,
    Checker,
    Mistake,
    same_as,
    scaled_by,
    transposed,
)
from nnlib.ops.linalg import linear

_GRADS = ("dW1", "db1", "dW2", "db2")


def _net_cases() -> list[Case]:
    rng = np.random.default_rng(201)

    def case(label: str, m: int, n_in: int, hidden: int) -> Case:
        X = rng.normal(size=(m, n_in))
        y = (np.arange(m) % 2).astype(np.float64).reshape(m, 1)  # both classes
        W1, b1 = rng.normal(size=(hidden, n_in)), rng.normal(size=hidden) * 0.5
        W2, b2 = rng.normal(size=(1, hidden)), rng.normal(size=1) * 0.5
        return Case(label, (X, y, W1, b1, W2, b2))

    return [
        case("5 examples, 3 inputs, 4 hidden units", 5, 3, 4),
        case("one example (m = 1)", 1, 2, 3),
        case("8 examples, 2 inputs, 6 hidden units", 8, 2, 6),
    ]


def _net_reference(X: Any, y: Any, W1: Any, b1: Any, W2: Any, b2: Any) -> tuple[Any, ...]:
    params = [nnlib.tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
    H = nnlib.tanh(linear(nnlib.tensor(X), params[0], params[1]))
    z = linear(H, params[2], params[3])
    # Mean binary cross-entropy of σ(z) against y, in the stable form.
    loss = (nnlib.relu(z) - z * nnlib.tensor(y) + nnlib.log(1 + nnlib.exp(-nnlib.abs(z)))).mean()
    loss.backward()
    return tuple(p.grad for p in params)


def _net_numpy(
    X: Any,
    y: Any,
    W1: Any,
    b1: Any,
    W2: Any,
    b2: Any,
    *,
    tanh_grad: str = "H",
    mean: bool = True,
    bias_axis: int = 0,
    dz2: str = "plain",
) -> tuple[Any, ...]:
    """The hand-derived gradients, with switches that reproduce the usual mistakes."""
    H = np.tanh(X @ W1.T + b1)
    A = nnlib.sigmoid(nnlib.tensor(H @ W2.T + b2)).data
    dZ2 = (A - y) / (len(X) if mean else 1)
    if dz2 == "sigmoid'":
        dZ2 = dZ2 * A * (1 - A)
    dW2, db2 = dZ2.T @ H, dZ2.sum(axis=bias_axis)
    dH = dZ2 @ W2
    if tanh_grad == "none":
        dZ1 = dH
    elif tanh_grad == "Z":
        Z1 = X @ W1.T + b1
        dZ1 = dH * (1 - Z1**2)
    else:
        dZ1 = dH * (1 - H**2)
    return dZ1.T @ X, dZ1.sum(axis=bias_axis), dW2, db2


def _bias_wrong_axis(attempt: Attempt) -> bool:
    m = len(attempt.case.args[0])
    return attempt.index in (1, 3) and attempt.got[attempt.index].shape in ((m,), (m, 1))


_TWO_LAYER = Checker(
    title="two_layer_backward",
    arg_names=("X", "y", "W1", "b1", "W2", "b2"),
    cases=_net_cases,
    reference=_net_reference,
    output_names=_GRADS,
    mistakes=(
        Mistake(
            "you have the transpose: a gradient has the shape of its parameter. W1 is "
            "(hidden, inputs), so dW1 = dZ1ᵀ·X (and dW2 = dZ2ᵀ·A1), not Xᵀ·dZ1.",
            transposed(),
        ),
        Mistake(
            "sum the bias gradient over the examples, axis 0 (`dZ.sum(axis=0)`): one number "
            "per unit, not one per example.",
            _bias_wrong_axis,
        ),
        Mistake(
            "your gradient is exactly m times too large: the loss is the MEAN over the m "
            "examples, so dZ2 = (y_hat − y) / m.",
            scaled_by(lambda X, *rest: len(X)),
        ),
        Mistake(
            "the sign is flipped: dZ2 = y_hat − y (prediction minus target).",
            scaled_by(lambda *args: -1.0),
        ),
        Mistake(
            "on the way back through the hidden layer, multiply by tanh's derivative: "
            "dZ1 = dA1 · (1 − A1²).",
            same_as(lambda *a: _net_numpy(*a, tanh_grad="none")),
        ),
        Mistake(
            "tanh′(z) = 1 − tanh(z)²: use the hidden activations A1 = tanh(Z1), not Z1 itself.",
            same_as(lambda *a: _net_numpy(*a, tanh_grad="Z")),
        ),
        Mistake(
            "for a sigmoid output with binary cross-entropy, dZ2 = (y_hat − y)/m: the factor "
            "σ′ = y_hat(1 − y_hat) cancels, so do not multiply by it.",
            same_as(lambda *a: _net_numpy(*a, dz2="sigmoid'")),
        ),
    ),
    default_hint="go backwards one line at a time: dZ2 = (y_hat − y)/m; dW2 = dZ2ᵀ·A1; "
    "db2 = Σ dZ2 over examples; dA1 = dZ2·W2; dZ1 = dA1·(1 − A1²); dW1 = dZ1ᵀ·X; "
    "db1 = Σ dZ1 over examples.",
    success="Your hand-derived gradients match nnlib's autograd.",
)


def check_two_layer_backward(fn: Callable[..., Any]) -> None:
    r"""Check hand-derived 2-layer gradients: ``two_layer_backward(X, y, W1, b1, W2, b2)``.

    The network, in PyTorch's weight layout (``W`` is ``(out, in)``):

    .. math::

        H = \tanh(X W_1^\top + b_1), \quad A = \sigma(H W_2^\top + b_2), \quad
        J = \frac{1}{m} \sum_i \mathrm{BCE}(A_i, y_i)

    with ``X`` of shape ``(m, n_in)``, ``y`` of shape ``(m, 1)``, ``W1`` ``(hidden, n_in)``,
    ``b1`` ``(hidden,)``, ``W2`` ``(1, hidden)``, ``b2`` ``(1,)``. The learner returns the
    tuple ``(dW1, db1, dW2, db2)`` of :math:`\partial J/\partial \theta`, each the shape of
    its parameter; the reference is nnlib's autograd. Recognises: a missing transpose, the
    bias gradient summed over the wrong axis, a sum instead of a mean (factor m), a flipped
    sign, a forgotten tanh derivative or one taken at Z1, an extra σ′ factor.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def two_layer_backward(X, y, W1, b1, W2, b2):
        ...     H = np.tanh(X @ W1.T + b1)
        ...     A = 1 / (1 + np.exp(-(H @ W2.T + b2)))
        ...     dZ2 = (A - y) / len(X)
        ...     dZ1 = dZ2 @ W2 * (1 - H**2)
        ...     return dZ1.T @ X, dZ1.sum(axis=0), dZ2.T @ H, dZ2.sum(axis=0)
        >>> check_two_layer_backward(two_layer_backward)  # doctest: +ELLIPSIS
        ✓ two_layer_backward: correct on all 3 cases (...

    Taught in chapter 2 (backpropagation).
    """
    _TWO_LAYER(fn)


# ------------------------------------------------------------------ one neuron, by hand
def _neuron_cases() -> list[Case]:
    rng = np.random.default_rng(203)

    def case(label: str, d: int) -> Case:
        w, x = rng.normal(size=d), rng.normal(size=d)
        return Case(label, (w, x, float(rng.normal()), float(rng.normal())))

    return [
        case("3 inputs", 3),
        Case(
            "prediction equals the target (zero gradient)",
            (np.array([1.0, 2.0]), np.array([0.5, -0.25]), 0.5, 0.5),
        ),
        case("one input", 1),
        case("5 inputs", 5),
    ]


def _neuron_reference(w: Any, x: Any, b: float, y: float) -> tuple[Any, Any]:
    wt = nnlib.tensor(w, requires_grad=True)
    bt = nnlib.tensor(np.float64(b), requires_grad=True)
    loss = ((wt * nnlib.tensor(x)).sum() + bt - y) ** 2
    loss.backward()
    return wt.grad, bt.grad


def _neuron_numpy(w: Any, x: Any, b: float, y: float, *, times: Any = "x",
                  two: float = 2.0) -> tuple[Any, Any]:  # fmt: skip
    r = w @ x + b - y
    factor = {"x": x, "w": w, "one": np.ones_like(x)}[times]
    return two * r * factor, two * r


_NEURON = Checker(
    title="neuron_backward",
    arg_names=("w", "x", "b", "y"),
    cases=_neuron_cases,
    reference=_neuron_reference,
    output_names=("dL_dw", "dL_db"),
    mistakes=(
        Mistake(
            "you are missing the factor 2 from the square: ∂L/∂r = 2r for L = r².",
            scaled_by(lambda *args: 0.5),
        ),
        Mistake(
            "the sign is flipped: r = ŷ − y (prediction minus target), so ∂L/∂r = 2(ŷ − y).",
            scaled_by(lambda *args: -1.0),
        ),
        Mistake(
            "∂ŷ/∂w_j = x_j: multiply by the INPUT x, not by the weight w.",
            same_as(lambda *a: _neuron_numpy(*a, times="w"), output=0),
        ),
        Mistake(
            "you forgot the last link of the chain: ∂L/∂w = ∂L/∂ŷ · ∂ŷ/∂w, and ∂ŷ/∂w = x.",
            same_as(lambda *a: _neuron_numpy(*a, times="one"), output=0),
        ),
    ),
    default_hint="one link at a time: r = w·x + b − y; ∂L/∂r = 2r; ∂r/∂w = x; ∂r/∂b = 1.",
    success="The chain rule, by hand, agrees with autograd.",
)


def check_neuron_backward(fn: Callable[..., Any]) -> None:
    r"""Check the chain rule by hand for one neuron: ``neuron_backward(w, x, b, y)``.

    The learner writes ``neuron_backward(w, x, b, y)`` for
    :math:`L = (\mathbf{w}\cdot\mathbf{x} + b - y)^2` with ``w`` and ``x`` 1-d arrays of the
    same length and ``b``, ``y`` numbers, returning ``(dL_dw, dL_db)``; the reference is
    nnlib's autograd. Recognises: the missing factor 2, a flipped sign, multiplying by
    ``w`` instead of ``x``, and forgetting the factor ``x`` altogether.

    Args:
        fn: The learner's function.

    Example:
        >>> def neuron_backward(w, x, b, y):
        ...     r = w @ x + b - y
        ...     return 2 * r * x, 2 * r
        >>> check_neuron_backward(neuron_backward)  # doctest: +ELLIPSIS
        ✓ neuron_backward: correct on all 4 cases (...

    Taught in chapter 2 (backpropagation).
    """
    _NEURON(fn)
