r"""Checkers for chapter 1 (the perceptron and the artificial neuron).

Every checker takes the learner's function, runs it on a few cases against nnlib, and prints
one verdict. The functions take and return NumPy arrays (nnlib tensors are accepted too).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import nnlib
from nnlib.exercises.core import (
    Case,
    Checker,
    Mistake,
    any_of,
    output_is,
    raised,
    same_as,
    scaled_by,
    shape_is,
    when,
)
from nnlib.exercises.report import to_array

_FORGOT_BIAS = (
    "your output matches σ(X·w) without the bias: did you forget to add b before the sigmoid?"
)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function, without overflow (nnlib's ``sigmoid``)."""
    return nnlib.sigmoid(nnlib.tensor(np.asarray(z, dtype=np.float64))).data


def _neuron_cases() -> list[Case]:
    rng = np.random.default_rng(101)
    return [
        Case(
            "a batch of 4 examples, 3 features", (rng.normal(size=(4, 3)), rng.normal(size=3), 0.5)
        ),
        Case("one example (m = 1)", (np.array([[1.0, -2.0]]), np.array([0.25, 0.5]), -0.3)),
        Case("zero weights: the output is σ(b)", (rng.normal(size=(3, 2)), np.zeros(2), 1.5)),
        Case("large |z| (z = 39 and −41)", (np.array([[20.0], [-20.0]]), np.array([2.0]), -1.0)),
    ]


def _neuron_reference(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    return nnlib.sigmoid(nnlib.tensor(X) @ nnlib.tensor(w) + b).data


_NEURON = Checker(
    title="neuron_forward",
    cases=_neuron_cases,
    reference=_neuron_reference,
    mistakes=(
        Mistake(_FORGOT_BIAS, same_as(lambda X, w, b: _sigmoid(X @ w))),
        Mistake(
            "you added b after the sigmoid: the bias belongs inside it, σ(X·w + b).",
            same_as(lambda X, w, b: _sigmoid(X @ w) + b),
        ),
        Mistake(
            "return one number per example, shape (m,), not a column (m, 1): keep w of shape "
            "(d,) as given (no reshape), or flatten the result with `.ravel()`.",
            shape_is(lambda X, w, b: (len(X), 1)),
        ),
        Mistake(
            "you used tanh, whose outputs lie in (−1, 1): this neuron's activation is the "
            "sigmoid σ(z) = 1 / (1 + exp(−z)), a probability in (0, 1).",
            same_as(lambda X, w, b: np.tanh(X @ w + b)),
        ),
        Mistake(
            "you thresholded z (the step activation, 0 or 1): this neuron uses the smooth "
            "sigmoid σ(z) = 1 / (1 + exp(−z)).",
            same_as(lambda X, w, b: (X @ w + b > 0).astype(np.float64)),
        ),
        Mistake(
            "you summed over the examples (axis 0): z adds up each example's features, "
            "`(X * w).sum(axis=1)`, which is simply X @ w.",
            same_as(lambda X, w, b: _sigmoid((X * w).sum(axis=0) + b)),
        ),
        Mistake(
            "the sigmoid's denominator has a plus: σ(z) = 1 / (1 + exp(−z)), with a plus.",
            same_as(lambda X, w, b: 1 / (1 - np.exp(-(X @ w + b)))),
        ),
        Mistake(
            "you returned one number: compute the output for every example, one per row of "
            "X, shape (m,) (no [0], no sum or mean over the examples).",
            shape_is(lambda X, w, b: ()),
        ),
        Mistake(
            "X holds one example per ROW, shape (m, d), so z = X @ w needs no transpose.",
            raised(ValueError, "matmul|align"),
        ),
        Mistake(
            "your output is z = X·w + b itself: pass it through the sigmoid "
            "σ(z) = 1 / (1 + exp(−z)).",
            same_as(lambda X, w, b: X @ w + b),
        ),
        Mistake(
            "check the sign inside the exponential: σ(z) = 1 / (1 + exp(−z)).",
            same_as(lambda X, w, b: 1 / (1 + np.exp(X @ w + b))),
        ),
        Mistake(
            "the bias is added, not subtracted: z = X·w + b (check the parentheses: "
            "exp(−(X @ w + b)), not exp(−X @ w + b)).",
            same_as(lambda X, w, b: _sigmoid(X @ w - b)),
        ),
    ),
    default_hint="compute z = X @ w + b (one number per example), then σ(z).",
    success="Your neuron computes σ(X·w + b), as nnlib does.",
)


def check_neuron_forward(fn: Callable[..., Any]) -> None:
    r"""Check a sigmoid neuron's forward pass: ``neuron_forward(X, w, b) -> y_hat``.

    The learner implements :math:`\hat y = \sigma(X w + b)` for a batch: ``X`` of shape
    ``(m, n)``, weights ``w`` of shape ``(n,)``, a scalar bias ``b``; the result has shape
    ``(m,)``. Recognises: forgetting the bias or adding it after the sigmoid, forgetting the
    sigmoid or using tanh or the step instead, a sign error in the exponential or the
    denominator, subtracting the bias (missing parentheses), summing over the wrong axis, a
    column or a single number instead of shape ``(m,)``, a transposed ``X``, modifying ``X``
    in place.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def neuron_forward(X, w, b):
        ...     return 1 / (1 + np.exp(-(X @ w + b)))
        >>> check_neuron_forward(neuron_forward)  # doctest: +ELLIPSIS
        ✓ neuron_forward: correct on all 4 cases (...). Your neuron computes σ(X·w + b), ...

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """
    _NEURON(fn)


# ------------------------------------------------------------------------ perceptron
def _perceptron_cases() -> list[Case]:
    w = np.array([0.5, -0.4])
    return [
        Case(
            "misclassified positive (y = 1, predicted 0)", (w, -0.2, np.array([1.0, 2.0]), 1, 0.1)
        ),
        Case(
            "misclassified negative (y = 0, predicted 1)", (w, 0.3, np.array([2.0, 0.5]), 0, 0.5)
        ),
        Case("correctly classified: nothing changes", (w, 0.1, np.array([1.0, 0.0]), 1, 0.1)),
        Case(
            "on the boundary (z = 0 predicts 0)",
            (np.array([1.0, -1.0]), 0.0, np.array([2.0, 2.0]), 1, 0.25),
        ),
    ]


def _perceptron(
    w: Any,
    b: float,
    x: Any,
    y: int,
    lr: float,
    *,
    ge: bool = False,
    sign: float = 1.0,
    with_lr: bool = True,
    update_b: bool = True,
    use_z: bool = False,
) -> tuple[np.ndarray, float]:
    z = float(np.dot(w, x) + b)
    y_hat = z if use_z else float(z >= 0 if ge else z > 0)
    step = sign * (lr if with_lr else 1.0) * (y - y_hat)
    return w + step * x, b + step if update_b else b


def _perceptron_with(
    w: Any, b: float, x: Any, y: int, lr: float, *, predict: Callable[[float], Any]
) -> tuple[np.ndarray, float]:
    y_hat = float(predict(float(np.dot(w, x) + b)))
    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)


def _plus_minus_one_rule(w: Any, b: float, x: Any, y: int, lr: float) -> tuple[Any, float]:
    """The rule for labels −1/+1 (update when y·z <= 0 by lr·y·x), used on 0/1 labels."""
    if y * (float(np.dot(w, x)) + b) <= 0:
        return w + lr * y * x, b + lr * y
    return w, b


_PERCEPTRON = Checker(
    title="perceptron_update",
    cases=_perceptron_cases,
    reference=_perceptron,
    output_names=("w_new", "b_new"),
    mistakes=(
        Mistake(
            "the prediction ŷ is 0 or 1 (the step of z), not sign(z), −1 or a sigmoid's "
            "probability: with labels 0 and 1 the error y − ŷ must be 0, +1 or −1.",
            any_of(
                same_as(_perceptron_with, predict=np.sign),
                same_as(_perceptron_with, predict=lambda z: 1.0 if z > 0 else -1.0),
                same_as(_perceptron_with, predict=lambda z: 1 / (1 + np.exp(-z))),
            ),
        ),
        Mistake(
            "the perceptron learns only when it is wrong, by the error y − ŷ: "
            "w ← w + lr·(y − ŷ)·x. (The rule `if y·z <= 0: w += lr·y·x` is for labels −1 and "
            "+1; here the labels are 0 and 1.)",
            any_of(
                same_as(lambda w, b, x, y, lr: (w + lr * y * x, b + lr * y)),
                same_as(_plus_minus_one_rule),
            ),
        ),
        Mistake(
            "the bias's input is always 1: b ← b + lr·(y − ŷ), without x.",
            output_is(1, shape_is(lambda w, b, x, y, lr: np.shape(x))),
        ),
        Mistake(
            "return the pair in the order (w_new, b_new): the weights first, then the bias.",
            same_as(lambda *a: _perceptron(*a)[::-1]),
        ),
        Mistake(
            "multiply the error by the input x, not by the weight w: w ← w + lr·(y − ŷ)·x.",
            same_as(
                lambda w, b, x, y, lr: (w + lr * (y - float(np.dot(w, x) + b > 0)) * w, b),
                output=0,
            ),
        ),
        Mistake(
            "you moved the weights the wrong way: w ← w + lr·(y − ŷ)·x, with the error "
            "target − prediction.",
            same_as(_perceptron, sign=-1.0),
        ),
        Mistake(
            "you did not update the bias: b ← b + lr·(y − ŷ), like a weight whose input is 1.",
            same_as(_perceptron, update_b=False),
        ),
        Mistake(
            "multiply the update by the learning rate lr.",
            same_as(_perceptron, with_lr=False),
        ),
        Mistake(
            "at z = 0 exactly the perceptron predicts 0: use `z > 0`, not `z >= 0`.",
            same_as(_perceptron, ge=True),
        ),
        Mistake(
            "use the thresholded prediction ŷ = 1 if z > 0 else 0, not z itself (that "
            "would be the delta rule of a linear unit).",
            same_as(_perceptron, use_z=True),
        ),
    ),
    default_hint="predict ŷ = 1 if w·x + b > 0 else 0; then w ← w + lr·(y − ŷ)·x and "
    "b ← b + lr·(y − ŷ).",
    success="Your perceptron learns only from its mistakes, as Rosenblatt's rule says.",
)


def check_perceptron_update(fn: Callable[..., Any]) -> None:
    r"""Check one step of the perceptron rule: ``perceptron_update(w, b, x, y, lr) -> (w, b)``.

    The learner implements Rosenblatt's rule for one example ``x`` of shape ``(n,)`` with a
    label ``y`` in {0, 1}: predict :math:`\hat y = [w \cdot x + b > 0]`, then return new
    weights :math:`w + \eta (y - \hat y) x` and bias :math:`b + \eta (y - \hat y)`, without
    modifying ``w`` in place. Recognises: a flipped sign, a bias that is not updated or is
    multiplied by ``x``, a missing learning rate, ``>=`` at the boundary, using :math:`z`,
    ``sign(z)``, −1 or a sigmoid instead of :math:`\hat y \in \{0, 1\}`, updating on every
    example (or the −1/+1 rule), multiplying by ``w`` instead of ``x``, the outputs swapped.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def perceptron_update(w, b, x, y, lr):
        ...     y_hat = 1.0 if np.dot(w, x) + b > 0 else 0.0
        ...     return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)
        >>> check_perceptron_update(perceptron_update)  # doctest: +ELLIPSIS
        ✓ perceptron_update: correct on all 4 cases (...

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """
    _PERCEPTRON(fn)


# ------------------------------------------------------------------ cost gradient
def _cost_cases() -> list[Case]:
    rng = np.random.default_rng(102)
    y4 = np.array([1.0, 0.0, 1.0, 0.0])
    return [
        Case("4 examples, 2 features", (rng.normal(size=(4, 2)), y4, np.array([0.3, -0.2]), 0.1)),
        Case(
            "one example (m = 1)",
            (np.array([[1.0, 2.0]]), np.array([1.0]), np.array([0.5, -0.5]), 0.0),
        ),
        Case(
            "3 examples, 3 features (square X)",
            (rng.normal(size=(3, 3)), np.array([0.0, 1.0, 1.0]), rng.normal(size=3), -0.4),
        ),
        Case(
            "6 examples, all labels 1",
            (rng.normal(size=(6, 2)), np.ones(6), np.array([1.0, 1.0]), 0.5),
        ),
    ]


def _cost_reference(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> tuple[Any, Any]:
    wt = nnlib.tensor(w, requires_grad=True)
    bt = nnlib.tensor(np.float64(b), requires_grad=True)
    z = nnlib.tensor(X) @ wt + bt
    # The binary cross-entropy of σ(z), written stably: max(z, 0) − z·y + log(1 + e^−|z|).
    yt = nnlib.tensor(y)
    loss = (nnlib.relu(z) - z * yt + nnlib.log(1 + nnlib.exp(-nnlib.abs(z)))).mean()
    loss.backward()
    return to_array(wt.grad), to_array(bt.grad)


def _cost_numpy(
    X: Any,
    y: Any,
    w: Any,
    b: float,
    *,
    act: bool = True,
    transpose: bool = True,
    scale: float = 1.0,
    extra: str = "",
    with_b: bool = True,
    flip: bool = False,
) -> tuple[Any, Any]:
    z = X @ w + (b if with_b else 0.0)
    a = _sigmoid(-z if flip else z)
    err = (a if act else z) - y
    if extra:
        err = err * a * (1 - a) * (2.0 if extra == "squared" else 1.0)
    dw = (X.T @ err if transpose else X @ err) / len(y)
    return scale * dw, scale * err.mean()


_COST = Checker(
    title="cost_gradient",
    cases=_cost_cases,
    reference=_cost_reference,
    output_names=("dw", "db"),
    mistakes=(
        Mistake(
            "your gradient is exactly m times too large (m = number of examples): the cost "
            "J = (1/m) Σ L⁽ⁱ⁾ is a MEAN, so its gradient is the mean of the per-example "
            "gradients: divide the sum by m (or use .mean()).",
            scaled_by(lambda X, y, w, b: len(y)),
        ),
        Mistake(
            "the sign is flipped: the gradient uses the error a − y (prediction minus target).",
            scaled_by(lambda X, y, w, b: -1.0),
        ),
        Mistake(
            "divide by m = len(y), the number of examples, not by the number of features d.",
            scaled_by(lambda X, y, w, b: len(y) / len(w)),
        ),
        Mistake(
            "dw has one entry per weight: average over the examples, axis 0 "
            "(that is Xᵀ·(a − y) / m), not over the features.",
            output_is(0, shape_is(lambda X, y, w, b: (len(y),))),
        ),
        Mistake(
            "db is one number: the mean of a − y over the examples, `np.mean(a - y)`.",
            output_is(1, shape_is(lambda X, y, w, b: (len(y),))),
        ),
        Mistake(
            "db is the mean of a − y, not 0: the bias gets a gradient like a weight whose input "
            "is always 1.",
            output_is(1, lambda attempt: attempt.got is not None and not np.any(attempt.got[1])),
        ),
        Mistake(
            "for the sigmoid with the cross-entropy the factor σ′(z) = a(1 − a) cancels: "
            "∂L/∂z = a − y. Do not multiply by it.",
            same_as(_cost_numpy, extra="sigmoid'"),
        ),
        Mistake(
            "that is the gradient of the squared error (a − y)²: the cost here is the "
            "cross-entropy, whose ∂L/∂z is simply a − y.",
            same_as(_cost_numpy, extra="squared"),
        ),
        Mistake(
            "you computed a = σ(X·w) without the bias: add b inside, a = σ(X·w + b).",
            same_as(_cost_numpy, with_b=False),
        ),
        Mistake(
            "check the sign inside the exponential of your sigmoid: σ(z) = 1 / (1 + exp(−z)).",
            same_as(_cost_numpy, flip=True),
        ),
        Mistake(
            "use the prediction a = σ(z) in the error a − y, not z itself.",
            same_as(_cost_numpy, act=False),
        ),
        Mistake(
            "each weight's gradient sums over the examples: dw = Xᵀ·(a − y) / m, with the "
            "transpose (X·(a − y) only runs when X happens to be square).",
            same_as(_cost_numpy, transpose=False),
        ),
    ),
    default_hint="with a = σ(X·w + b): dw = Xᵀ·(a − y) / m and db = mean(a − y).",
    success="The gradient of the cost is the mean of the per-example gradients.",
)


def check_cost_gradient(fn: Callable[..., Any]) -> None:
    r"""Check the logistic-regression cost gradient: ``cost_gradient(X, y, w, b) -> (dw, db)``.

    The cost is the mean binary cross-entropy
    :math:`J = \frac{1}{m}\sum_i L(\sigma(x_i \cdot w + b), y_i)`; the learner returns
    :math:`\partial J/\partial w = X^\top (a - y)/m` (shape ``(n,)``) and
    :math:`\partial J/\partial b = \mathrm{mean}(a - y)` (a number). The reference is nnlib's
    autograd. Recognises: a sum instead of a mean (off by the factor m), dividing by d, a
    flipped sign, using ``z`` instead of ``σ(z)``, a missing transpose, averaging over the
    wrong axis, ``db`` not averaged or left at 0, an extra σ′ factor or the squared-error
    gradient, a forgotten bias or a sign error in the sigmoid.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def cost_gradient(X, y, w, b):
        ...     a = 1 / (1 + np.exp(-(X @ w + b)))
        ...     return X.T @ (a - y) / len(y), np.mean(a - y)
        >>> check_cost_gradient(cost_gradient)  # doctest: +ELLIPSIS
        ✓ cost_gradient: correct on all 4 cases (...

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """
    _COST(fn)


# ------------------------------------------------------------------ XOR by hand
def _xor_cases() -> list[Case]:
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    rng = np.random.default_rng(103)
    near = np.repeat(corners, 2, axis=0) + rng.uniform(-0.1, 0.1, size=(8, 2))
    return [
        Case("the four corners", (corners,)),
        Case("the corners shuffled and repeated", (corners[[3, 1, 0, 2, 2, 0, 1, 3]],)),
        Case("points near the corners", (near,)),
    ]


def _bits(X: Any) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=np.float64)
    return X[:, 0] > 0.5, X[:, 1] > 0.5


def _xor_reference(X: np.ndarray) -> np.ndarray:
    a, b = _bits(X)
    return (a ^ b).astype(np.float64)


def _gate(op: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Callable[[Any], np.ndarray]:
    return lambda X: op(*_bits(X)).astype(np.float64)


_XOR = Checker(
    title="xor_net",
    cases=_xor_cases,
    reference=_xor_reference,
    float_output=False,
    mistakes=(
        Mistake(
            "you returned the hidden layer H (shape (m, 2)): pass it through the output unit, "
            "step(H @ w2 + b2), one number per point.",
            shape_is(lambda X: (len(X), 2)),
        ),
        Mistake(
            "return one number per point, shape (m,), not a column (m, 1): give w2 the shape "
            "(2,), or flatten with `.ravel()`.",
            shape_is(lambda X: (len(X), 1)),
        ),
        Mistake(
            "return the output unit's step, 0 or 1 for every point, not a probability or a "
            "raw z: the output is step(H @ w2 + b2).",
            lambda attempt: (
                attempt.got is not None
                and bool(np.any((attempt.got[0] != 0) & (attempt.got[0] != 1)))
            ),
        ),
        Mistake(
            "your function is right on the exact corners but not on points near them: it "
            "tests the inputs for equality, or a line passes exactly through a corner. Use "
            "thresholds halfway between, e.g. step(x1 + x2 − 0.5) for OR.",
            when("near the corners"),
        ),
        Mistake(
            "your network's output just copies one input and ignores the other: both hidden "
            "units must see both inputs; print H for the four corners and check each hidden "
            "unit does its job.",
            lambda attempt: (
                same_as(_gate(lambda a, b: a))(attempt) or same_as(_gate(lambda a, b: b))(attempt)
            ),
        ),
        Mistake(
            "your network fires for only one of (0, 1) and (1, 0): half of XOR. Check the "
            "transpose in X @ W1.T (each ROW of W1 holds one hidden unit's weights) and that "
            "both hidden units see both inputs.",
            lambda attempt: (
                same_as(_gate(lambda a, b: a & ~b))(attempt)
                or same_as(_gate(lambda a, b: ~a & b))(attempt)
            ),
        ),
        Mistake(
            "your network computes OR: it is right on three corners but also fires at "
            "(1, 1). XOR = OR and not AND: one hidden unit can be OR, the other NAND, and "
            "the output unit ANDs them.",
            same_as(_gate(np.logical_or)),
        ),
        Mistake(
            "your network computes AND (1 only at (1, 1)). XOR is 1 where exactly one input "
            "is 1: try hidden units OR and NAND, and an output unit that ANDs them.",
            same_as(_gate(np.logical_and)),
        ),
        Mistake(
            "your network computes NAND: right except at (0, 0). The output unit must also "
            "switch off at (0, 0), which an OR hidden unit detects.",
            same_as(_gate(lambda a, b: ~(a & b))),
        ),
        Mistake(
            "your outputs are exactly inverted (this is XNOR): flip the sign of the output "
            "unit's weights and bias, e.g. w ← −w, b ← −b (and mind z = 0, which predicts 0).",
            same_as(_gate(lambda a, b: ~(a ^ b))),
        ),
        Mistake(
            "your network gives the same output for every point: check that the hidden "
            "units' outputs differ between the corners (print them), and that the output "
            "unit's bias lets it switch.",
            lambda attempt: (
                same_as(lambda X: np.zeros(len(X)))(attempt)
                or same_as(lambda X: np.ones(len(X)))(attempt)
            ),
        ),
    ),
    default_hint="compute H = step(X @ W1.T + b1) (shape (m, 2)), then step(H @ w2 + b2) "
    "(shape (m,)); print H for the four corners and check each hidden unit does its job.",
    success="Two hidden step units and one output unit compute XOR, which no single neuron can.",
)


def check_xor_network(fn: Callable[..., Any]) -> None:
    r"""Check a hand-wired network that computes XOR: ``xor_net(X) -> y_hat``.

    ``X`` has shape ``(m, 2)`` with inputs near 0 or 1; the learner's network (two hidden
    step units, one output step unit, weights chosen by hand) returns 0 or 1 for each row,
    shape ``(m,)``: 1 where exactly one input is 1. Recognises a network that computes OR,
    AND, NAND, XNOR (inverted outputs), one input, half of XOR (a missing transpose) or a
    constant; returning the hidden layer, a column or probabilities; and code right only on
    the exact corners.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def xor_net(X):
        ...     h = (X @ np.array([[1.0, 1.0], [-1.0, -1.0]]).T + [-0.5, 1.5] > 0)
        ...     return (h @ np.array([1.0, 1.0]) - 1.5 > 0).astype(float)
        >>> check_xor_network(xor_net)  # doctest: +ELLIPSIS
        ✓ xor_net: correct on all 3 cases (...

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """
    _XOR(fn)


# ------------------------------------------- predict: the learning rate from a zero start
def _train(X: Any, y: Any, lr: float, max_epochs: int) -> tuple[np.ndarray, float, int]:
    """Rosenblatt's rule from ``w = 0, b = 0``, examples in order, until a clean epoch.

    Returns the final weights, bias and the number of epochs run (the clean one included).
    """
    w, b = np.zeros(X.shape[1]), 0.0
    for epoch in range(1, max_epochs + 1):
        mistakes = 0
        for x_i, y_i in zip(X, y, strict=True):
            y_hat = 1.0 if float(w @ x_i + b) > 0 else 0.0
            if y_hat != y_i:
                mistakes += 1
                w, b = w + lr * (y_i - y_hat) * x_i, b + lr * (y_i - y_hat)
        if mistakes == 0:
            return w, b, epoch
    return w, b, max_epochs


def _lr_runs() -> list[tuple[str, np.ndarray, np.ndarray, float, float]]:
    """The data and the two learning rates of each case: label, X, y, lr_small, lr_big."""
    rng = np.random.default_rng(105)
    blobs = np.vstack([rng.normal(0.8, 0.8, size=(6, 2)), rng.normal(-0.8, 0.8, size=(6, 2))])
    labels = np.array([1.0] * 6 + [0.0] * 6)
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return [
        ("two blobs, lr 0.1 then 10", blobs, labels, 0.1, 10.0),
        ("AND of two inputs, lr 1 then 0.25", corners, np.array([0.0, 0, 0, 1]), 1.0, 0.25),
        ("two blobs, lr 0.5 then 3", blobs, labels, 0.5, 3.0),
    ]


def _lr_cases() -> list[Case]:
    cases = []
    for label, X, y, lr_small, lr_big in _lr_runs():
        w_small, b_small, _ = _train(X, y, lr_small, 50)
        cases.append(Case(label, (w_small, b_small, lr_small, lr_big)))
    return cases


def _lr_reference(w_small: Any, b_small: float, lr_small: float, lr_big: float) -> Any:
    """Every update is lr times (±1) times an example: the whole run scales with lr."""
    return w_small * (lr_big / lr_small), b_small * (lr_big / lr_small)


_LR_SCALING = Checker(
    title="predict_weights",
    cases=_lr_cases,
    reference=_lr_reference,
    output_names=("w_big", "b_big"),
    mistakes=(
        Mistake(
            "scale the bias too: its update, lr·(y − ŷ), is multiplied by lr like the weights'.",
            same_as(lambda w, b, lo, hi: (w * hi / lo, b)),
        ),
        Mistake(
            "the weights do change: every update adds lr·(±1)·x to w, so from w = 0 the "
            "whole run with lr_big is the run with lr_small scaled by lr_big / lr_small. "
            "Only the boundary (where w·x + b = 0) stays the same.",
            same_as(lambda w, b, lo, hi: (w, b)),
        ),
        Mistake(
            "the ratio is upside down: a larger learning rate gives larger weights, so "
            "multiply by lr_big / lr_small.",
            same_as(lambda w, b, lo, hi: (w * lo / hi, b * lo / hi)),
        ),
        Mistake(
            "multiply by the RATIO of the learning rates, lr_big / lr_small: the small run's "
            "weights already contain lr_small.",
            same_as(lambda w, b, lo, hi: (w * hi, b * hi)),
        ),
        Mistake(
            "the learning rate multiplies every update, it is not added: the big run's "
            "weights are the small run's times lr_big / lr_small.",
            same_as(lambda w, b, lo, hi: (w + (hi - lo), b + (hi - lo))),
        ),
    ),
    default_hint="from w = 0, b = 0 each update is lr·(y − ŷ)·x, and the predictions (the "
    "sign of w·x + b) do not change when w and b are scaled: the run with lr_big makes the "
    "same mistakes, so w_big = w_small · lr_big / lr_small, and likewise b.",
    success="From a zero start the perceptron's learning rate only scales the weights: the "
    "boundary and the number of mistakes do not depend on it.",
)


def check_predict_weights(fn: Callable[..., Any]) -> None:
    r"""Check a prediction: ``predict_weights(w_small, b_small, lr_small, lr_big)``.

    The perceptron was trained from :math:`w = 0, b = 0` with learning rate ``lr_small``
    until an epoch without mistakes, ending at ``w_small, b_small``. Without running it,
    the learner predicts where the same training with ``lr_big`` ends. Every update is
    :math:`\eta (y - \hat y) x` with :math:`y - \hat y \in \{-1, 0, 1\}`, and scaling
    :math:`w` and :math:`b` by a positive number changes no prediction, so the big run
    makes the same mistakes and ends at :math:`w_{small} \cdot \eta_{big} / \eta_{small}`
    (and likewise :math:`b`). ``tests/test_exercises_ch01_predict.py`` checks this against
    real runs. Recognises: weights unchanged, the ratio inverted, the bias not scaled,
    scaling by ``lr_big`` alone, adding the difference of the rates.

    Args:
        fn: The learner's function.

    Example:
        >>> def predict_weights(w_small, b_small, lr_small, lr_big):
        ...     ratio = lr_big / lr_small
        ...     return w_small * ratio, b_small * ratio
        >>> check_predict_weights(predict_weights)  # doctest: +ELLIPSIS
        ✓ predict_weights: correct on all 3 cases (...). From a zero start the perceptron's ...

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """
    _LR_SCALING(fn)
