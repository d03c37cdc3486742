r"""Checkers for chapter 10 (A recipe for training networks).

Four exercises, each a step of the recipe: predict the cost at initialisation with and
without a well-initialised output bias (:func:`check_initial_losses`), find the bug in a
training loop that cannot overfit (:func:`check_fit_linear`), build early stopping from a
validation curve (:func:`check_early_stopping`), and draw hyper-parameters on a log scale
for a random search (:func:`check_log_uniform`). The references are computed in
NumPy under ``np.errstate(all="ignore")``, so a learner who left ``np.seterr(all="raise")``
or ``nnlib.set_grad_enabled(False)`` behind still gets a verdict.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.exercises.core import Case, Checker, Mistake, same_as, shape_is
from nnlib.exercises.detectors import Attempt

# --------------------------------------------------------------- the cost at initialisation


def _freq(counts: Any) -> np.ndarray:
    counts = np.asarray(counts, dtype=np.float64)
    return counts / counts.sum()


def _initial_losses_reference(class_counts: Any) -> tuple[float, float]:
    """(ln C, the entropy of the class frequencies): the expected cross-entropy of a
    uniform prediction, and of a prediction equal to the class frequencies."""
    with np.errstate(all="ignore"):
        p = _freq(class_counts)
        return math.log(len(p)), float(-(p * np.log(p)).sum())


def _initial_losses_cases() -> list[Case]:
    return [
        Case("10 balanced classes", (np.full(10, 135),)),
        Case(
            "10 nearly equal classes",
            (np.array([133, 137, 133, 137, 136, 136, 136, 134, 131, 134]),),
        ),
        Case("3 classes, one dominant", (np.array([900, 50, 50]),)),
        Case("2 classes, 3 to 1", (np.array([75, 25]),)),
    ]


def _with_log(log: Callable[[Any], Any]) -> Callable[[Any], tuple[float, float]]:
    def wrong(counts: Any) -> tuple[float, float]:
        p = _freq(counts)
        return float(log(len(p))), float(-(p * log(p)).sum())

    return wrong


def output_is_any(wrong: Callable[..., Any]) -> Callable[[Attempt], bool]:
    """True when any one of the learner's outputs equals that output of ``wrong``."""

    def detect(attempt: Attempt) -> bool:
        if attempt.got is None:
            return False
        values = wrong(*attempt.case.args)
        return any(
            np.allclose(np.asarray(g, dtype=float), v, rtol=1e-6)
            for g, v in zip(attempt.got, values, strict=False)
        )

    return detect


_INITIAL_LOSSES = Checker(
    title="initial_losses",
    arg_names=("class_counts",),
    cases=_initial_losses_cases,
    reference=_initial_losses_reference,
    output_names=("loss_uniform", "loss_prior"),
    float_output=False,
    mistakes=(
        Mistake(
            "cross-entropy uses the natural logarithm (np.log), not log10: ln 10 ≈ 2.303.",
            same_as(_with_log(np.log10)),
        ),
        Mistake(
            "cross-entropy uses the natural logarithm (np.log), not log2 (bits): ln 10 ≈ 2.303.",
            same_as(_with_log(np.log2)),
        ),
        Mistake(
            "a loss is −log of the probability of the right class: it is positive. You "
            "returned the log itself (a negative number).",
            same_as(lambda c: (-math.log(len(c)), float((_freq(c) * np.log(_freq(c))).sum()))),
        ),
        Mistake(
            "the loss is −log(probability of the right class), not the probability: with C "
            "equal logits every class gets 1/C, so the loss is −log(1/C) = ln C.",
            output_is_any(lambda c: (1 / len(c), 1 / len(c))),
        ),
        Mistake(
            "with the bias set to log(frequencies) the softmax outputs the frequencies p, so "
            "the expected loss is −Σ p_k log p_k (the entropy), which is below ln C when the "
            "classes are unbalanced.",
            same_as(lambda c: (math.log(len(c)), math.log(len(c)))),
        ),
        Mistake(
            "weight each class's −log p_k by how often it occurs, p_k: −Σ p_k log p_k, not "
            "the plain mean of −log p_k.",
            same_as(lambda c: (math.log(len(c)), float(-np.log(_freq(c)).mean()))),
        ),
        Mistake(
            "weight each class's −log p_k by how often it occurs, p_k: −Σ p_k log p_k, not "
            "the plain sum of −log p_k.",
            same_as(lambda c: (math.log(len(c)), float(-np.log(_freq(c)).sum()))),
        ),
        Mistake(
            "turn the counts into frequencies first: p = class_counts / class_counts.sum().",
            same_as(
                lambda c: (
                    math.log(len(c)),
                    float(-(np.asarray(c, float) * np.log(np.asarray(c, float))).sum()),
                )
            ),
        ),
        Mistake(
            "the two are swapped: return (loss_uniform, loss_prior), the zero-bias loss ln C "
            "first.",
            same_as(lambda c: _initial_losses_reference(c)[::-1]),
        ),
        Mistake(
            "C is the number of classes, len(class_counts), not the number of examples.",
            same_as(lambda c: (math.log(float(np.sum(c))), _initial_losses_reference(c)[1])),
        ),
    ),
    default_hint="equal logits give every class 1/C: loss ln C. A bias b_k = log p_k makes "
    "the softmax output p: expected loss −Σ p_k log p_k.",
    success="On the digits (10 nearly equal classes) both are ln 10 ≈ 2.303.",
)


def check_initial_losses(fn: Callable[..., Any]) -> None:
    r"""Check ``initial_losses(class_counts) -> (loss_uniform, loss_prior)``.

    ``loss_uniform`` is the expected cross-entropy when every logit is equal (a network at
    initialisation with a zero output bias and tiny output weights): :math:`\ln C`.
    ``loss_prior`` is the expected cross-entropy when the output bias is set to the log
    class frequencies, :math:`b_k = \log p_k`: the entropy :math:`-\sum_k p_k \log p_k`.
    Recognises: log10 or log2, a missing minus sign, the probability instead of the loss,
    the prior bias assumed not to matter, an unweighted mean, counts not normalised, C
    taken as the number of examples.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def initial_losses(class_counts):
        ...     p = class_counts / class_counts.sum()
        ...     return np.log(len(p)), -(p * np.log(p)).sum()
        >>> check_initial_losses(initial_losses)  # doctest: +ELLIPSIS
        ✓ initial_losses: correct on all 4 cases (...

    Taught in chapter 10 (A recipe for training networks).
    """
    _INITIAL_LOSSES(fn)


# --------------------------------------------------------- a loop that cannot overfit


def _softmax_regression(
    X: np.ndarray, y: np.ndarray, lr: float, num_steps: int, bug: str = ""
) -> np.ndarray:
    """Full-batch gradient descent on softmax regression from zero weights, in NumPy.

    Returns each step's cost (before that step's update). ``bug`` reproduces a learner's
    mistake: ``"accumulate"`` (no zero_grad), ``"zero_before_step"`` (gradients zeroed
    between backward and step), ``"after_step"`` (each cost recorded after its update).
    """
    with np.errstate(all="ignore"):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y)
        m, d = X.shape
        C = int(y.max()) + 1
        W, b = np.zeros((C, d)), np.zeros(C)
        gW, gb = np.zeros_like(W), np.zeros_like(b)
        onehot = np.eye(C)[y]

        def cost_and_grads(W: np.ndarray, b: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
            Z = X @ W.T + b
            Z = Z - Z.max(axis=1, keepdims=True)
            logp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
            G = (np.exp(logp) - onehot) / m
            return float(-logp[np.arange(m), y].mean()), G.T @ X, G.sum(axis=0)

        costs = []
        for _ in range(num_steps):
            cost, dW, db = cost_and_grads(W, b)
            if bug == "accumulate":
                gW, gb = gW + dW, gb + db
            elif bug == "zero_before_step":
                gW, gb = np.zeros_like(W), np.zeros_like(b)
            else:
                gW, gb = dW, db
            W, b = W - lr * gW, b - lr * gb
            costs.append(cost_and_grads(W, b)[0] if bug == "after_step" else cost)
        return np.array(costs)


def _fit_cases() -> list[Case]:
    rng = np.random.default_rng(1001)
    X1 = rng.normal(size=(6, 3))
    y1 = np.array([0, 1, 2, 0, 1, 2])
    X2 = rng.normal(size=(20, 5))
    y2 = rng.integers(0, 4, size=20)
    y2[:4] = [0, 1, 2, 3]
    return [
        Case("6 examples, 3 classes, 30 steps", (X1, y1, 0.5, 30)),
        Case("20 examples, 4 classes, 60 steps", (X2, y2, 1.0, 60)),
    ]


def _wrong_length(attempt: Attempt) -> bool:
    return attempt.got is not None and np.shape(attempt.got[0]) != attempt.expected[0].shape


_FIT = Checker(
    title="fit_linear",
    arg_names=("X", "y", "lr", "num_steps"),
    cases=_fit_cases,
    reference=lambda X, y, lr, n: _softmax_regression(X, y, lr, n),
    mistakes=(
        Mistake(
            "the gradients still accumulate: backward() ADDS to .grad, so without "
            "opt.zero_grad() at the start of every step each update uses the sum of all past "
            "gradients (zeroing once before the loop is not enough).",
            same_as(lambda X, y, lr, n: _softmax_regression(X, y, lr, n, "accumulate")),
        ),
        Mistake(
            "you zero the gradients between loss.backward() and opt.step(): the step then "
            "sees zeros and the weights never move. Zero them BEFORE backward().",
            same_as(lambda X, y, lr, n: _softmax_regression(X, y, lr, n, "zero_before_step")),
        ),
        Mistake(
            "record each step's loss as computed for that step's update (before opt.step()), "
            "not the loss after it.",
            same_as(lambda X, y, lr, n: _softmax_regression(X, y, lr, n, "after_step")),
        ),
        Mistake(
            "return one loss per step: a list or array of num_steps numbers.",
            _wrong_length,
        ),
    ),
    default_hint="each step: opt.zero_grad(), loss = cross_entropy(model(X), y), "
    "loss.backward(), opt.step(); record loss.item().",
    success="Its loss now falls every step: the loop can overfit.",
)


def check_fit_linear(fn: Callable[..., Any]) -> None:
    r"""Check a repaired training loop: ``fit_linear(X, y, lr, num_steps) -> losses``.

    The loop trains softmax regression (a ``Linear`` layer from zero weights, float64) with
    full-batch ``SGD`` and returns the cross-entropy of each step, computed before that
    step's update. The reference is the same loop in NumPy. Recognises: no ``zero_grad``
    (gradients accumulate), gradients zeroed between ``backward`` and ``step``, losses
    recorded after the update, a scalar instead of one loss per step.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> from nnlib.exercises.ch10 import _softmax_regression
        >>> check_fit_linear(_softmax_regression)  # doctest: +ELLIPSIS
        ✓ fit_linear: correct on all 2 cases (...

    Taught in chapter 10 (A recipe for training networks).
    """
    _FIT(fn)


# ------------------------------------------------------------------- log-uniform draws


def _log_uniform_reference(
    rng: np.random.Generator, low: float, high: float, size: int
) -> np.ndarray:
    return np.exp(rng.uniform(np.log(low), np.log(high), size))


def _log_uniform_cases() -> list[Case]:
    return [
        Case("learning rates from 1e-5 to 1e-1", (np.random.default_rng(7), 1e-5, 1e-1, 8)),
        Case("weight decays from 1e-6 to 1e-2", (np.random.default_rng(8), 1e-6, 1e-2, 5)),
        Case("one draw from 0.5 to 2", (np.random.default_rng(9), 0.5, 2.0, 1)),
    ]


def _drawn_elsewhere(attempt: Attempt) -> bool:
    """The values lie in [low, high] but are not the generator's draws."""
    if attempt.got is None:
        return False
    _, low, high, size = attempt.case.args
    got = np.asarray(attempt.got[0], dtype=float)
    return got.shape == (size,) and bool(np.all((got >= low) & (got <= high)))


_LOG_UNIFORM = Checker(
    title="log_uniform",
    arg_names=("rng", "low", "high", "size"),
    cases=_log_uniform_cases,
    reference=_log_uniform_reference,
    mistakes=(
        Mistake(
            "that draws on a linear scale: from 1e-5 to 1e-1, 90 % of the draws land above "
            "1e-2. Draw the exponent uniformly: exp(rng.uniform(log(low), log(high), size)).",
            same_as(lambda r, lo, hi, n: r.uniform(lo, hi, n)),
        ),
        Mistake(
            "you returned the exponents: apply np.exp to rng.uniform(np.log(low), "
            "np.log(high), size).",
            same_as(lambda r, lo, hi, n: r.uniform(np.log(lo), np.log(hi), n)),
        ),
        Mistake(
            "you returned base-10 exponents: raise 10 to them, 10 ** rng.uniform(log10(low), "
            "log10(high), size).",
            same_as(lambda r, lo, hi, n: r.uniform(np.log10(lo), np.log10(hi), n)),
        ),
        Mistake(
            "mixed bases: exponents from log10 need 10 ** …, exponents from np.log need "
            "np.exp(…).",
            same_as(lambda r, lo, hi, n: np.exp(r.uniform(np.log10(lo), np.log10(hi), n))),
        ),
        Mistake(
            "mixed bases: exponents from np.log need np.exp(…), not 10 ** ….",
            same_as(lambda r, lo, hi, n: 10 ** r.uniform(np.log(lo), np.log(hi), n)),
        ),
        Mistake(
            "return `size` values (an array), one per trial of the search.",
            shape_is(lambda r, lo, hi, n: ()),
        ),
        Mistake(
            "do not sort the draws: a search takes them in the order drawn (and np.sort "
            "hides nothing the trials need).",
            same_as(lambda r, lo, hi, n: np.sort(_log_uniform_reference(r, lo, hi, n))),
        ),
        Mistake(
            "those are evenly spaced (np.logspace/geomspace), a grid on a log scale: a random "
            "search draws the exponents at random with rng.uniform.",
            same_as(lambda r, lo, hi, n: np.geomspace(lo, hi, n)),
        ),
        Mistake(
            "draw from the generator you were given (rng.uniform or rng.random), not "
            "np.random or a new generator: a seeded search must be repeatable.",
            _drawn_elsewhere,
        ),
    ),
    default_hint="exp(rng.uniform(log(low), log(high), size)): uniform in the exponent.",
    success="Each decade between low and high now gets the same share of the draws.",
)


def check_log_uniform(fn: Callable[..., Any]) -> None:
    r"""Check ``log_uniform(rng, low, high, size)``: ``size`` values, uniform on a log scale.

    The right answer draws the exponent uniformly with the generator given,
    ``np.exp(rng.uniform(np.log(low), np.log(high), size))``; the base-10 form
    ``10 ** rng.uniform(np.log10(low), np.log10(high), size)`` and
    ``low * (high / low) ** rng.random(size)`` give the same values and pass. Recognises: a
    linear scale, the exponents returned, mixed bases, a scalar, another generator.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def log_uniform(rng, low, high, size):
        ...     return low * (high / low) ** rng.random(size)
        >>> check_log_uniform(log_uniform)  # doctest: +ELLIPSIS
        ✓ log_uniform: correct on all 3 cases (...

    Taught in chapter 10 (A recipe for training networks).
    """
    _LOG_UNIFORM(fn)
