r"""Checkers for chapter 3 (activation functions and output heads).

The learner's functions take NumPy arrays and return arrays (nnlib tensors are accepted).
References: ``nnlib.nn.functional`` (``softmax``, ``leaky_relu``, ``maxout``) and nnlib's
autograd (the ReLU derivative).
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
    non_finite,
    raised,
    same_as,
    shape_is,
    to_tensor,
    when,
)
from nnlib.nn import functional as F

# ------------------------------------------------------------------------- softmax
_OVERFLOW_HINT = (
    "your result has nan/inf where the answer is finite: exp(1000) overflows. Subtract each "
    "row's maximum first, `x - x.max(axis=-1, keepdims=True)`: softmax does not change when "
    "you shift a row, and then the largest exponent is exp(0) = 1."
)


def _softmax_cases() -> list[Case]:
    rng = np.random.default_rng(301)
    return [
        Case("one vector [1, 2, 3]", (np.array([1.0, 2.0, 3.0]),)),
        Case("a batch of 3 rows, 4 classes", (rng.normal(size=(3, 4)),)),
        Case("large logits [1000, 1001, 1002]", (np.array([[1000.0, 1001.0, 1002.0]]),)),
        Case(
            "rows on very different scales",
            (np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -999.0, -998.0]]),),
        ),
        Case("equal logits give a uniform distribution", (np.full((2, 5), 7.0),)),
        Case("logits 1000 apart [0, 1000, 5]", (np.array([[0.0, 1000.0, 5.0]]),)),
        Case("logits 2000 apart [0, 2000, 5]", (np.array([[0.0, 2000.0, 5.0]]),)),
    ]


def _shifted_softmax(x: np.ndarray, shift: np.ndarray) -> np.ndarray:
    e = np.exp(x - shift)
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_reference(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax along ``axis`` (the last one by default)."""
    return F.softmax(to_tensor(x), dim=axis).data


_SOFTMAX = Checker(
    title="softmax",
    arg_names=("logits",),
    cases=_softmax_cases,
    reference=_softmax_reference,
    mistakes=(
        Mistake(
            "normalise each row over the classes (axis=-1): your probabilities sum to 1 down "
            "the columns (axis 0), i.e. over the examples.",
            same_as(_softmax_reference, axis=0),
        ),
        Mistake(
            "divide each row by its own sum, `e.sum(axis=-1, keepdims=True)`, not by the sum "
            "of the whole array.",
            same_as(lambda x: np.exp(x) / np.exp(x).sum()),
        ),
        Mistake(
            "you returned exp(x): divide by the sum over the classes so each row sums to 1.",
            same_as(np.exp),
        ),
        Mistake(
            "subtract each row's own maximum, `x.max(axis=-1, keepdims=True)`, not each "
            "column's (axis 0): softmax does not change when you shift a whole row, but it "
            "does when you shift a column.",
            same_as(lambda x: _shifted_softmax(x, x.max(axis=0, keepdims=True))),
        ),
        Mistake(
            "you computed the sigmoid of each logit, 1/(1 + e^(−x)): softmax divides each "
            "e^(x_i) by the sum over its row, so that the row sums to 1.",
            same_as(lambda x: 1 / (1 + np.exp(-x))),
        ),
        Mistake(
            "you returned log-probabilities (log-softmax): exponentiate the shifted logits "
            "and divide by their row sum, so each entry is a probability in (0, 1).",
            same_as(lambda x: np.log(_softmax_reference(x))),
        ),
        Mistake(
            "a sign is off: yours is softmax(−x). Subtract the maximum from the logits, "
            "`x - x.max(axis=-1, keepdims=True)`, not the logits from the maximum.",
            same_as(lambda x: _softmax_reference(-x)),
        ),
        Mistake(
            "divide each row by its sum, not by its maximum: the largest entry becomes 1 and "
            "the row no longer sums to 1.",
            same_as(lambda x: np.exp(x - x.max(-1, keepdims=True)) / 1.0),
        ),
        Mistake(
            "your code treats each entry of a vector as a row of its own: it must work for "
            "one example (a vector) too. Use `axis=-1` with `keepdims=True` on the whole "
            "array instead of a loop over x.shape[0].",
            when("one vector", same_as(np.ones_like)),
        ),
        Mistake(
            "keep the summed axis, and the maximum's: `keepdims=True` in "
            "`.sum(axis=-1, keepdims=True)` and `.max(axis=-1, keepdims=True)`, so each row "
            "is shifted and divided by its own values (a (3,) result does not broadcast "
            "against (3, 4)).",
            raised(ValueError, "broadcast"),
        ),
        Mistake(
            "subtract each row's OWN maximum (`x.max(axis=-1, keepdims=True)`), not the "
            "maximum of the whole array: a row far below it underflows to 0/0 = nan.",
            when("very different scales", non_finite()),
        ),
        Mistake(
            "subtract each row's MAXIMUM, not its minimum: a row [0, 1000, 5] minus its "
            "minimum still contains exp(1000), which overflows; minus its maximum every "
            "exponent is at most exp(0) = 1.",
            when("1000 apart", non_finite()),
        ),
        Mistake(
            "subtract each row's MAXIMUM, not the mean (or any other value): [0, 2000, 5] "
            "minus its mean 668 still contains exp(1332), which overflows; minus its maximum "
            "every exponent is at most exp(0) = 1.",
            when("2000 apart", non_finite()),
        ),
        Mistake(_OVERFLOW_HINT, non_finite()),
    ),
    default_hint="softmax(x)_i = exp(x_i − max x) / Σ_j exp(x_j − max x), along the last axis.",
    success="Stable on huge logits, and every row sums to 1.",
)


def check_softmax(fn: Callable[..., Any]) -> None:
    r"""Check a numerically stable softmax: ``softmax(logits) -> probabilities``.

    The learner implements :math:`\mathrm{softmax}(x)_i = e^{x_i - \max x} / \sum_j
    e^{x_j - \max x}` along the last axis of an array of shape ``(C,)`` or ``(m, C)``,
    returning the same shape and leaving ``logits`` unchanged. Recognises: no
    max-subtraction (overflow to nan/inf on logits like [1000, 1001, 1002]), subtracting
    the global instead of the row maximum, the wrong axis, dividing by the total sum, no
    normalisation, a missing ``keepdims``, modifying the input in place
    (``logits -= logits.max(...)``), a column maximum, shifting by the minimum or the
    mean (overflow on logits 1000 or 2000 apart), the sigmoid, log-softmax, softmax(−x),
    dividing by the row maximum, a loop over rows that breaks on a vector.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def softmax(logits):
        ...     e = np.exp(logits - logits.max(axis=-1, keepdims=True))
        ...     return e / e.sum(axis=-1, keepdims=True)
        >>> check_softmax(softmax)  # doctest: +ELLIPSIS
        ✓ softmax: correct on all 7 cases (...). Stable on huge logits, and every row sums to 1.

    Taught in chapter 3 (activation functions and output heads).
    """
    _SOFTMAX(fn)


# ---------------------------------------------------------------------- relu grad
def _relu_grad_cases() -> list[Case]:
    rng = np.random.default_rng(302)
    return [
        Case("mixed signs", (np.array([-2.0, -0.5, 0.5, 3.0]),)),
        Case("exactly zero (nnlib and PyTorch use 0 there)", (np.array([0.0, -1.0, 0.0, 2.0]),)),
        Case("a 2-D batch", (rng.normal(size=(3, 4)),)),
        Case("all negative", (np.array([-3.0, -0.1]),)),
    ]


def _relu_grad_reference(x: np.ndarray) -> np.ndarray:
    """The derivative of ReLU at each element, by nnlib's autograd (0 at x = 0)."""
    xt = to_tensor(x, requires_grad=True)
    nnlib.relu(xt).sum().backward()
    if xt.grad is None:  # pragma: no cover - backward() always sets it here
        raise RuntimeError("relu_grad: backward() left no gradient")
    grad: np.ndarray = xt.grad.data
    return grad


_RELU_GRAD = Checker(
    title="relu_grad",
    cases=_relu_grad_cases,
    reference=_relu_grad_reference,
    mistakes=(
        Mistake(
            "you returned ReLU(x) itself; its derivative is 1 where x > 0 and 0 elsewhere.",
            same_as(lambda x: np.maximum(x, 0)),
        ),
        Mistake(
            "at x = 0 ReLU has a kink and no derivative; nnlib and PyTorch use 0 there, so "
            "use `x > 0`, not `x >= 0`.",
            same_as(lambda x: (x >= 0).astype(float)),
        ),
        Mistake(
            "the derivative is 1 for POSITIVE inputs (ReLU is the identity there) and 0 for "
            "negative ones.",
            same_as(lambda x: (x < 0).astype(float)),
        ),
        Mistake(
            "np.sign (or x / |x|) gives −1 for negative inputs; ReLU is flat there, so its "
            "derivative is 0: `(x > 0).astype(x.dtype)`.",
            same_as(np.sign),
        ),
        Mistake(
            "the derivative is 0 where x ≤ 0 (ReLU is flat there) and 1 only where x > 0; "
            "yours is 1 everywhere.",
            same_as(np.ones_like),
        ),
        Mistake(
            "that is the sigmoid, the derivative of softplus (the smooth ReLU). ReLU's "
            "derivative is a step: 1 where x > 0, else 0.",
            same_as(lambda x: 1 / (1 + np.exp(-x))),
        ),
        Mistake(
            "np.clip(x, 0, 1) lets values between 0 and 1 through unchanged; the derivative "
            "is exactly 1 for every x > 0: `(x > 0).astype(x.dtype)`.",
            same_as(lambda x: np.clip(x, 0, 1)),
        ),
        Mistake(
            "`if v > 0` works on single numbers, so your loop handles a vector but not a 2-D "
            "batch (each v is then a row). Work element by element on the whole array at "
            "once: `(x > 0).astype(x.dtype)`.",
            raised(ValueError, "truth value"),
        ),
    ),
    default_hint="d ReLU/dx = 1 where x > 0, else 0: `(x > 0).astype(x.dtype)`.",
    success="1 where the unit is active, 0 where it is not (and 0 at the kink).",
)


def check_relu_grad(fn: Callable[..., Any]) -> None:
    r"""Check the derivative of ReLU: ``relu_grad(x) -> dReLU/dx`` element by element.

    The learner returns an array of floats of ``x``'s shape: 1 where :math:`x > 0`, 0
    elsewhere (0 at the kink, as nnlib's and PyTorch's autograd). The reference is nnlib's
    autograd. Recognises: returning ReLU itself, 1 at x = 0 (``>=``), the sign flipped,
    a boolean array instead of floats, modifying ``x`` in place, ``np.sign``, all ones, the
    sigmoid, ``np.clip(x, 0, 1)``, a scalar ``if`` that breaks on a 2-D batch.

    Args:
        fn: The learner's function.

    Example:
        >>> def relu_grad(x):
        ...     return (x > 0).astype(x.dtype)
        >>> check_relu_grad(relu_grad)  # doctest: +ELLIPSIS
        ✓ relu_grad: correct on all 4 cases (...

    Taught in chapter 3 (activation functions and output heads).
    """
    _RELU_GRAD(fn)


# --------------------------------------------------------------------- leaky relu
def _leaky_cases() -> list[Case]:
    rng = np.random.default_rng(303)
    x = np.array([-3.0, -0.5, 0.0, 0.5, 2.0])
    return [
        Case("mixed signs, negative_slope = 0.2", (x, 0.2)),
        Case("the default slope (no second argument)", (x,)),
        Case("a 2-D batch, negative_slope = 0.1", (rng.normal(size=(3, 4)), 0.1)),
        Case("all positive: the identity", (np.array([0.1, 1.0, 5.0]), 0.3)),
    ]


def _leaky_relu_reference(x: np.ndarray, negative_slope: float = 0.01) -> np.ndarray:
    """Leaky ReLU with PyTorch's default slope."""
    return F.leaky_relu(to_tensor(x), negative_slope).data


_LEAKY = Checker(
    title="leaky_relu",
    cases=_leaky_cases,
    reference=_leaky_relu_reference,
    mistakes=(
        Mistake(
            "for negative x return negative_slope · x, not 0 (that is the plain ReLU).",
            same_as(lambda x, s=0.01: np.maximum(x, 0)),
        ),
        Mistake(
            "the slope applies to the NEGATIVE inputs; positive inputs pass unchanged.",
            same_as(lambda x, s=0.01: np.where(x > 0, s * x, x)),
        ),
        Mistake(
            "use the negative_slope argument instead of a fixed 0.01.",
            same_as(lambda x, s=0.01: np.where(x > 0, x, 0.01 * x)),
        ),
        Mistake(
            "the default is negative_slope=0.01, as in PyTorch: "
            "`def leaky_relu(x, negative_slope=0.01):`.",
            when("default slope"),
        ),
        Mistake(
            "multiply by x: for negative x the output is negative_slope · x, not "
            "negative_slope itself.",
            same_as(lambda x, s=0.01: np.where(x > 0, x, s + 0 * x)),
        ),
        Mistake(
            "a sign is off: for negative x, negative_slope · x is itself negative (a small "
            "negative output); yours is positive.",
            same_as(lambda x, s=0.01: np.where(x > 0, x, -s * x)),
        ),
        Mistake(
            "that is the derivative of Leaky ReLU (1 or negative_slope); return the function "
            "itself: x, or negative_slope · x.",
            same_as(lambda x, s=0.01: np.where(x > 0, 1.0, s + 0 * x)),
        ),
        Mistake(
            "for positive x you added negative_slope · x as well: the leaky part is "
            "negative_slope · np.minimum(x, 0), zero for positive inputs.",
            same_as(lambda x, s=0.01: np.maximum(x, 0) + s * x),
        ),
        Mistake(
            "positive inputs pass unchanged (the output is x), and negative inputs give "
            "negative_slope · x, which is below 0: `np.where(x > 0, x, negative_slope * x)`.",
            same_as(lambda x, s=0.01: np.maximum(s * x, 0)),
        ),
        Mistake(
            "`if x > 0` on a whole array is ambiguous; choose element by element with "
            "`np.where(x > 0, x, negative_slope * x)`.",
            raised(ValueError, "truth value"),
        ),
    ),
    default_hint="leaky_relu(x) = x where x > 0, else negative_slope · x: "
    "`np.where(x > 0, x, negative_slope * x)`.",
    success="Negative inputs keep a small gradient, so the unit cannot die.",
)


def check_leaky_relu(fn: Callable[..., Any]) -> None:
    r"""Check Leaky ReLU: ``leaky_relu(x, negative_slope=0.01) -> y``.

    The learner returns :math:`x` where :math:`x > 0` and ``negative_slope`` :math:`\cdot x`
    elsewhere, with PyTorch's default slope 0.01 (one case calls ``leaky_relu(x)`` without
    a slope). The reference is ``nnlib.nn.functional.leaky_relu``. Recognises: plain ReLU,
    the slope on the wrong side, a hard-coded 0.01, a wrong default, the slope without
    ``x``, a flipped sign, the derivative, the leaky term added for positive inputs too,
    ``max(slope · x, 0)``, a scalar ``if``.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def leaky_relu(x, negative_slope=0.01):
        ...     return np.where(x > 0, x, negative_slope * x)
        >>> check_leaky_relu(leaky_relu)  # doctest: +ELLIPSIS
        ✓ leaky_relu: correct on all 4 cases (...

    Taught in chapter 3 (activation functions and output heads).
    """
    _LEAKY(fn)


# ------------------------------------------------------------------------- maxout
def _maxout_cases() -> list[Case]:
    rng = np.random.default_rng(304)
    return [
        Case("2 examples, 3 units of 2 pieces", (rng.normal(size=(2, 6)), 2)),
        Case("4 examples, 2 units of 3 pieces", (rng.normal(size=(4, 6)), 3)),
        Case("one example as a vector, 2 units of 4 pieces", (rng.normal(size=8), 4)),
        Case("pieces = 1 is the identity", (rng.normal(size=(2, 3)), 1)),
    ]


def _interleaved(z: np.ndarray, pieces: int) -> np.ndarray:
    return z.reshape(*z.shape[:-1], pieces, z.shape[-1] // pieces).max(axis=-2)


def _maxout_reference(z: np.ndarray, pieces: int) -> np.ndarray:
    """Maximum over consecutive groups of ``pieces`` units of the last axis."""
    return F.maxout(to_tensor(z), pieces).data


_MAXOUT = Checker(
    title="maxout",
    cases=_maxout_cases,
    reference=_maxout_reference,
    mistakes=(
        Mistake(
            "group CONSECUTIVE units: reshape to (..., units, pieces) and take the max over "
            "the last axis. Reshaping to (..., pieces, units) groups every units-th value "
            "instead.",
            same_as(_interleaved),
        ),
        Mistake(
            "maxout takes the MAXIMUM of each group's pieces, not their sum.",
            same_as(lambda z, p: z.reshape(*z.shape[:-1], -1, p).sum(axis=-1)),
        ),
        Mistake(
            "maxout takes the MAXIMUM of each group's pieces, not their mean.",
            same_as(lambda z, p: z.reshape(*z.shape[:-1], -1, p).mean(axis=-1)),
        ),
        Mistake(
            "maxout takes the maximum, not the minimum.",
            same_as(lambda z, p: z.reshape(*z.shape[:-1], -1, p).min(axis=-1)),
        ),
        Mistake(
            "your code assumes 2 pieces (z[..., ::2] against z[..., 1::2]); use the `pieces` "
            "argument: reshape to (..., units, pieces), then max over the last axis.",
            same_as(lambda z, p: np.maximum(z[..., ::2], z[..., 1::2])),
        ),
        Mistake(
            "take the max over the LAST axis (the pieces of each unit), `.max(axis=-1)`, "
            "not over the units (axis −2).",
            same_as(lambda z, p: z.reshape(*z.shape[:-1], -1, p).max(axis=-2)),
        ),
        Mistake(
            "argmax returns WHICH piece wins; a maxout unit outputs the winning value, "
            "`.max(axis=-1)`.",
            same_as(lambda z, p: z.reshape(*z.shape[:-1], -1, p).argmax(axis=-1)),
        ),
        Mistake(
            "take the maximum of the pieces themselves, not of their absolute values: a "
            "maxout unit's output can be negative.",
            same_as(lambda z, p: np.abs(z).reshape(*z.shape[:-1], -1, p).max(axis=-1)),
        ),
        Mistake(
            "keep the leading (batch) dimensions, `z.reshape(*z.shape[:-1], -1, pieces)`: "
            "`reshape(-1, pieces)` runs all the examples into one long list of units.",
            shape_is(lambda z, p: (z.size // p,)),
        ),
        Mistake(
            "that is the maximum over all the numbers of an example; group the pieces first: "
            "reshape to (..., units, pieces), then take the max over the last axis.",
            shape_is(lambda z, p: z.shape[:-1]),
        ),
        Mistake(
            "reshape with the leading dimensions kept, `z.reshape(*z.shape[:-1], -1, pieces)`, "
            "so a single example (a vector) works too.",
            raised(Exception, "reshape|size|index|dimension"),
        ),
    ),
    default_hint="reshape z to (..., units, pieces), then take .max(axis=-1).",
    success="Each unit outputs the largest of its pieces: a learned convex piecewise-linear "
    "function.",
)


def check_maxout(fn: Callable[..., Any]) -> None:
    r"""Check the maxout activation: ``maxout(z, pieces) -> y``.

    ``z`` has shape ``(..., units * pieces)`` (the output of a linear layer with
    ``units * pieces`` outputs); consecutive groups of ``pieces`` values belong to one unit,
    and the learner returns each group's maximum, shape ``(..., units)``. The reference is
    ``nnlib.nn.functional.maxout``. Recognises: interleaved instead of consecutive groups,
    sum, mean or min instead of max, a reshape that only works for 2-D input, two pieces
    hard-coded, the max over the units, argmax, absolute values, the batch flattened, the
    max over a whole example.

    Args:
        fn: The learner's function.

    Example:
        >>> def maxout(z, pieces):
        ...     return z.reshape(*z.shape[:-1], -1, pieces).max(axis=-1)
        >>> check_maxout(maxout)  # doctest: +ELLIPSIS
        ✓ maxout: correct on all 4 cases (...

    Taught in chapter 3 (activation functions and output heads).
    """
    _MAXOUT(fn)


# ----------------------------------------------------------------- softmax backward
def _softmax_backward_cases() -> list[Case]:
    rng = np.random.default_rng(305)

    def probs(z: np.ndarray) -> np.ndarray:
        return _softmax_reference(np.asarray(z, dtype=np.float64))

    return [
        Case(
            "a batch of 2 rows, 3 classes",
            (probs(rng.normal(size=(2, 3))), rng.normal(size=(2, 3))),
        ),
        Case(
            "one row, g picks class 0",
            (probs(np.array([[1.0, 2.0, 3.0]])), np.array([[1.0, 0.0, 0.0]])),
        ),
        Case(
            "g equal along each row: the gradient is 0",
            (probs(rng.normal(size=(3, 4))), np.array([[2.0] * 4, [-1.0] * 4, [0.5] * 4])),
        ),
        Case(
            "a confident row [0.98, 0.01, 0.01]",
            (np.array([[0.98, 0.01, 0.01]]), np.array([[0.3, -2.0, 1.0]])),
        ),
        Case(
            "4 rows, 6 classes",
            (probs(3 * rng.normal(size=(4, 6))), rng.normal(size=(4, 6))),
        ),
    ]


def _softmax_backward_reference(p: np.ndarray, g: np.ndarray) -> np.ndarray:
    """∂L/∂z from nnlib's autograd: softmax of log p is p, backpropagated with g."""
    z = nnlib.tensor(np.log(p), requires_grad=True)
    F.softmax(z, dim=-1).backward(nnlib.tensor(g))
    assert z.grad is not None
    return z.grad.data


def _row_dot(p: np.ndarray, g: np.ndarray) -> np.ndarray:
    return (g * p).sum(axis=-1, keepdims=True)


_SOFTMAX_BACKWARD = Checker(
    title="softmax_backward",
    cases=_softmax_backward_cases,
    reference=_softmax_backward_reference,
    mistakes=(
        Mistake(
            "you kept only the diagonal of the Jacobian, ∂p_i/∂z_i = p_i(1 − p_i). Every p_i "
            "also depends on the other logits, ∂p_i/∂z_j = −p_i p_j for j ≠ i; summing all "
            "the terms gives p ⊙ (g − ⟨g, p⟩).",
            same_as(lambda p, g: p * (1 - p) * g),
        ),
        Mistake(
            "you returned p ⊙ g: subtract each row's ⟨g, p⟩ from g before multiplying by p "
            "(that term comes from the off-diagonal entries −p_i p_j).",
            same_as(lambda p, g: p * g),
        ),
        Mistake(
            "multiply by p: ∂L/∂z_j = p_j (g_j − ⟨g, p⟩); you returned g − ⟨g, p⟩ alone.",
            same_as(lambda p, g: g - _row_dot(p, g)),
        ),
        Mistake(
            "the sign is flipped: it is p ⊙ (g − ⟨g, p⟩), not p ⊙ (⟨g, p⟩ − g).",
            same_as(lambda p, g: p * (_row_dot(p, g) - g)),
        ),
        Mistake(
            "subtract ⟨g, p⟩, do not add it: the off-diagonal terms −p_i p_j are negative.",
            same_as(lambda p, g: p * (g + _row_dot(p, g))),
        ),
        Mistake(
            "⟨g, p⟩ is a sum over the classes of each row (axis=-1, keepdims=True), not a "
            "sum over the whole array.",
            same_as(lambda p, g: p * (g - (g * p).sum())),
        ),
        Mistake(
            "sum over the classes (axis=-1), along each row; you summed over the examples "
            "(axis 0).",
            same_as(lambda p, g: p * (g - (g * p).sum(axis=0, keepdims=True))),
        ),
        Mistake(
            "⟨g, p⟩ is a sum, not a mean, over the classes.",
            same_as(lambda p, g: p * (g - (g * p).mean(axis=-1, keepdims=True))),
        ),
        Mistake(
            "keep the summed axis, `.sum(axis=-1, keepdims=True)`: a (2,) row sum does not "
            "broadcast against (2, 3), and where it does (m = C) it pairs rows with columns.",
            raised(ValueError, "broadcast"),
        ),
        Mistake(
            "you returned the whole Jacobian (m, C, C); multiply it by g instead, or better "
            "never build it: p ⊙ (g − ⟨g, p⟩) has the shape of p.",
            shape_is(lambda p, g: (*p.shape, p.shape[-1])),
        ),
        Mistake(
            "keep the summed axis, `.sum(axis=-1, keepdims=True)`: without it the row sums "
            "line up with the columns, not the rows.",
            same_as(lambda p, g: p * (g - (g * p).sum(axis=-1))),
        ),
    ),
    default_hint="∂L/∂z = p ⊙ (g − ⟨g, p⟩) row by row, with ⟨g, p⟩ = (g * p).sum(axis=-1, "
    "keepdims=True).",
    success="The vector-Jacobian product of softmax, without building the C × C Jacobian.",
)


def check_softmax_backward(fn: Callable[..., Any]) -> None:
    r"""Check the backward pass of softmax: ``softmax_backward(p, g) -> dz``.

    ``p`` holds softmax probabilities, shape ``(m, C)``, and ``g`` the gradient of the loss
    with respect to them, ``∂L/∂p``, same shape. The learner derives and returns
    ``∂L/∂z``: from :math:`\partial p_i / \partial z_j = p_i(\delta_{ij} - p_j)`, each row
    is :math:`p \odot (g - \langle g, p \rangle)`, computed without the Jacobian. The
    reference is nnlib's autograd through ``softmax``. Recognises: the diagonal of the
    Jacobian only, p ⊙ g, a missing factor p, flipped or wrong signs, sums over the wrong
    axis or the whole array, a mean instead of a sum, a missing ``keepdims``, the whole
    Jacobian returned.

    Args:
        fn: The learner's function.

    Example:
        >>> def softmax_backward(p, g):
        ...     return p * (g - (g * p).sum(axis=-1, keepdims=True))
        >>> check_softmax_backward(softmax_backward)  # doctest: +ELLIPSIS
        ✓ softmax_backward: correct on all 5 cases (...). The vector-Jacobian product ...

    Taught in chapter 3 (activation functions and output heads).
    """
    _SOFTMAX_BACKWARD(fn)


# ------------------------------------------------------------------- stable softplus
def _softplus_cases() -> list[Case]:
    return [
        Case("moderate inputs [-2, 0, 3]", (np.array([-2.0, 0.0, 3.0]),)),
        Case("large positive inputs [50, 800]", (np.array([50.0, 800.0]),)),
        Case("large negative inputs [-50, -800]", (np.array([-50.0, -800.0]),)),
        Case("a batch of 2 rows, mixed signs", (np.array([[1000.0, -1000.0], [0.5, -0.5]]),)),
    ]


def _softplus_reference(x: np.ndarray) -> np.ndarray:
    """Softplus from nnlib, stable at any input."""
    return F.softplus(to_tensor(x)).data


_SOFTPLUS = Checker(
    title="softplus",
    cases=_softplus_cases,
    reference=_softplus_reference,
    mistakes=(
        Mistake(
            "log(1 + exp(x)) overflows for x > 709: exp(800) is inf in float64, although "
            "softplus(800) is just 800. Rewrite it so the exponent is never positive: "
            "log(1 + e^x) = max(x, 0) + log(1 + e^(−|x|)).",
            when("large positive", non_finite()),
        ),
        Mistake(
            "that is ReLU, max(x, 0): softplus adds the smooth part log(1 + e^(−|x|)), which "
            "is ln 2 at x = 0.",
            same_as(lambda x: np.maximum(x, 0.0)),
        ),
        Mistake(
            "use the absolute value inside the exponential, e^(−|x|): with e^(−x) the "
            "exponent is huge for negative x.",
            same_as(lambda x: np.maximum(x, 0.0) + np.log1p(np.exp(-x))),
        ),
        Mistake(
            "softplus(x) = log(1 + e^x): you dropped the 1 inside the log (log(e^x) = x).",
            same_as(lambda x: np.maximum(x, 0.0) + np.log(np.exp(-np.abs(x)))),
        ),
        Mistake(
            "a sign is off: softplus(x) = max(x, 0) + log(1 + e^(−|x|)); yours is softplus(−x).",
            same_as(lambda x: _softplus_reference(-x)),
        ),
        Mistake(
            "for x > 0, softplus(x) = x + log(1 + e^(−x)), not just x: you dropped the small "
            "second term (0.049 at x = 3).",
            same_as(lambda x: np.where(x > 0, x, np.log1p(np.exp(np.minimum(x, 0))))),
        ),
        Mistake(
            "your form overflows for very negative x: e^(−x) at x = −800 is inf. "
            "x + log(1 + e^(−x)) is safe only for x > 0; max(x, 0) + log(1 + e^(−|x|)) is "
            "safe on both sides.",
            when("large negative", non_finite()),
        ),
        Mistake(
            "`if x > 0` on a whole array is ambiguous: handle every element at once with "
            "np.maximum and np.abs (or np.where).",
            raised(ValueError, "truth value"),
        ),
        Mistake(
            "your result has nan/inf where the answer is finite: an exponential overflowed. "
            "Keep every exponent ≤ 0: max(x, 0) + log1p(exp(−|x|)).",
            non_finite(),
        ),
    ),
    default_hint="softplus(x) = max(x, 0) + log1p(exp(−|x|)), element by element.",
    success="Exact for moderate inputs and finite at ±1000.",
)


def check_softplus(fn: Callable[..., Any]) -> None:
    r"""Check a numerically stable softplus: ``softplus(x) -> log(1 + e^x)``.

    The learner derives a form of :math:`\log(1 + e^x)` that never overflows, e.g.
    :math:`\max(x, 0) + \log(1 + e^{-|x|})` (for :math:`x > 0` factor out :math:`e^x`), and
    applies it element by element to an array of any shape. The reference is
    ``nnlib.nn.functional.softplus``. Recognises: the naive form (inf at 800), ReLU alone,
    :math:`e^{-x}` instead of :math:`e^{-|x|}`, a dropped 1, a flipped sign, ``x`` alone
    for positive inputs, :math:`x + \log(1 + e^{-x})` (overflow for very negative x), a
    scalar ``if``.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def softplus(x):
        ...     return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))
        >>> check_softplus(softplus)  # doctest: +ELLIPSIS
        ✓ softplus: correct on all 4 cases (...). Exact for moderate inputs and finite at ±1000.

    Taught in chapter 3 (activation functions and output heads).
    """
    _SOFTPLUS(fn)
