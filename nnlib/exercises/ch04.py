r"""Checkers for chapter 4 (loss functions).

Each loss returns one number, the mean over the examples (PyTorch's ``reduction='mean'``).
References: ``nnlib.nn.functional.mse_loss``, ``binary_cross_entropy_with_logits`` and
``cross_entropy``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np

import nnlib
from nnlib.exercises.core import (
    Attempt,
    Case,
    Checker,
    Mistake,
    close,
    non_finite,
    raised,
    same_as,
    scaled_by,
    shape_is,
    to_tensor,
    when,
)
from nnlib.nn import functional as F
from nnlib.nn.modules.activation import ReLU, Softmax
from nnlib.nn.modules.container import Sequential
from nnlib.nn.modules.linear import Linear
from nnlib.nn.modules.module import Module
from nnlib.random import fork_rng

_SUM_HINT = (
    "your loss is exactly {n} times too large: that is the SUM of the per-{unit} losses. "
    "PyTorch's default (reduction='mean') averages them: use .mean()."
)


# ----------------------------------------------------------------------------- MSE
def _mse_cases() -> list[Case]:
    rng = np.random.default_rng(401)
    return [
        Case("4 predictions", (np.array([2.5, 0.0, 2.0, 8.0]), np.array([3.0, -0.5, 2.0, 6.5]))),
        Case("a (3, 2) batch", (rng.normal(size=(3, 2)), rng.normal(size=(3, 2)))),
        Case("a perfect prediction: loss 0", (np.array([1.0, -2.0]), np.array([1.0, -2.0]))),
        Case("one example", (np.array([4.0]), np.array([1.0]))),
    ]


def _mse_reference(y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mean squared error over all elements."""
    return F.mse_loss(to_tensor(y_hat), to_tensor(y)).data


_MSE = Checker(
    title="mse",
    cases=_mse_cases,
    reference=_mse_reference,
    mistakes=(
        Mistake(
            _SUM_HINT.format(n="n (the number of elements)", unit="element"),
            scaled_by(lambda y_hat, y: y.size),
        ),
        Mistake(
            "you divided by len(y), the number of ROWS; the mean runs over all y.size "
            "elements: use np.mean((y_hat − y) ** 2).",
            scaled_by(lambda y_hat, y: y.size / len(y)),
        ),
        Mistake(
            "divide by n, not n − 1: the n − 1 (Bessel's correction) belongs to the sample "
            "variance; MSELoss is the plain mean.",
            scaled_by(lambda y_hat, y: y.size / (y.size - 1)),
        ),
        Mistake(
            "you squared the MEAN error (the bias², where errors of opposite sign cancel): "
            "square each difference first, then average: np.mean((y_hat − y) ** 2).",
            same_as(lambda y_hat, y: np.mean(y_hat - y) ** 2),
        ),
        Mistake(
            "np.var subtracts the mean residual first (it measures the spread of the "
            "errors, not their size): use np.mean((y_hat − y) ** 2).",
            same_as(lambda y_hat, y: np.var(y_hat - y)),
        ),
        Mistake(
            "square the DIFFERENCE, (y_hat − y)², not subtract the squares y_hat² − y².",
            same_as(lambda y_hat, y: np.mean(y_hat**2 - y**2)),
        ),
        Mistake(
            "parentheses: `y_hat - y ** 2` squares only y (** binds tighter than −); "
            "write (y_hat - y) ** 2.",
            same_as(lambda y_hat, y: np.mean(y_hat - y**2)),
        ),
        Mistake(
            "`* 2` doubles the differences; square them with `** 2`.",
            same_as(lambda y_hat, y: np.mean((y_hat - y) * 2)),
        ),
        Mistake(
            "square each difference, then average: you squared the mean absolute error.",
            same_as(lambda y_hat, y: np.mean(np.abs(y_hat - y)) ** 2),
        ),
        Mistake(
            "no ½ factor: PyTorch's MSELoss is the plain mean of the squared differences "
            "(the ½ in some notes only tidies the derivative).",
            scaled_by(lambda y_hat, y: 0.5),
        ),
        Mistake(
            "square the differences: that is the mean ABSOLUTE error (L1 loss).",
            same_as(lambda y_hat, y: np.mean(np.abs(y_hat - y))),
        ),
        Mistake(
            "no square root: that is the root-mean-square error (RMSE), not the MSE.",
            same_as(lambda y_hat, y: np.sqrt(np.mean((y_hat - y) ** 2))),
        ),
        Mistake(
            "square the differences before averaging: positive and negative errors must not "
            "cancel out.",
            same_as(lambda y_hat, y: np.mean(y_hat - y)),
        ),
        Mistake(
            "reduce to ONE number: average over all elements (`.mean()` with no axis).",
            lambda a: a.got is not None and a.got[0].ndim > 0 and a.got[0].size > 1,
        ),
    ),
    default_hint="MSE = mean((y_hat − y)²) over all elements.",
    success="The mean of the squared errors, as torch.nn.MSELoss computes it.",
)


def check_mse(fn: Callable[..., Any]) -> None:
    r"""Check the mean squared error: ``mse(y_hat, y) -> float``.

    The learner returns :math:`\frac{1}{n}\sum_i (\hat y_i - y_i)^2` over all elements of two
    arrays of the same shape. The reference is ``nnlib.nn.functional.mse_loss``. Recognises:
    a sum instead of a mean, an extra ½, MAE, RMSE, no square, a per-row result.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def mse(y_hat, y):
        ...     return np.mean((y_hat - y) ** 2)
        >>> check_mse(mse)  # doctest: +ELLIPSIS
        ✓ mse: correct on all 4 cases (...

    Taught in chapter 4 (loss functions).
    """
    _MSE(fn)


# -------------------------------------------------------------- BCE with logits
_STABLE = "max(z, 0) − z·y + log(1 + exp(−|z|))"


def _bce_cases() -> list[Case]:
    return [
        Case(
            "4 logits with targets 0/1",
            (np.array([0.2, 0.7, 0.9, 0.4]), np.array([1.0, 0.0, 1.0, 0.0])),
        ),
        Case(
            "negative logits, soft targets",
            (np.array([-1.5, 2.0, -0.3]), np.array([0.3, 0.9, 0.5])),
        ),
        Case(
            "large logits ±500",
            (np.array([500.0, -500.0, 500.0, -500.0]), np.array([1.0, 0.0, 0.0, 1.0])),
        ),
        Case("logit 0: the loss is ln 2", (np.array([[0.0, 0.0]]), np.array([[1.0, 0.0]]))),
        Case("logits ±800", (np.array([800.0, -800.0, 800.0]), np.array([0.0, 1.0, 1.0]))),
    ]


def _finite_but_wrong(attempt: Attempt) -> bool:
    g = attempt.got[0] if attempt.got is not None else None
    return g is not None and bool(np.all(np.isfinite(g))) and not close(g, attempt.expected[0])


def _bce_reference(logits: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Binary cross-entropy on logits, mean over elements, stable at any logit."""
    return F.binary_cross_entropy_with_logits(to_tensor(logits), to_tensor(target)).data


_BCE = Checker(
    title="bce_with_logits",
    cases=_bce_cases,
    reference=_bce_reference,
    mistakes=(
        Mistake(
            "your function treats its input as probabilities; the inputs are LOGITS (any "
            "real number). Apply the sigmoid inside, or better use the stable form "
            + _STABLE
            + ".",
            same_as(lambda z, y: np.mean(-(y * np.log(z) + (1 - y) * np.log(1 - z)))),
        ),
        Mistake(
            "log(1 + exp(z)) overflows once z > 709 (exp(710) is inf in float64), although "
            "the loss is finite: write it as max(z, 0) + log(1 + exp(−|z|)), so the "
            "exponent is never positive; the whole loss is then " + _STABLE + ".",
            when("±800", non_finite()),
        ),
        Mistake(
            "for large |z| σ(z) rounds to exactly 0 or 1 and log(0) = −inf: use the stable "
            f"form {_STABLE}, which never takes the log of 0.",
            non_finite(),
        ),
        Mistake(
            "clamping σ(z) to [ε, 1 − ε] (or adding ε inside the log) caps the loss (at "
            "about 16 for ε = 1e-7), but at z = −500 with target 1 the exact loss is 500. "
            "Use the stable form " + _STABLE + ".",
            when("large logits", _finite_but_wrong),
        ),
        Mistake(
            "a minus sign is missing: BCE = −[y·log σ(z) + (1 − y)·log(1 − σ(z))], which is "
            "never negative.",
            scaled_by(lambda z, y: -1.0),
        ),
        Mistake(
            "for negative z your loss counts |z| twice: the stable form has max(z, 0), not "
            "|z|, and exp(−|z|), not exp(−z) (log(1 + exp(−z)) already equals "
            "|z| + log(1 + exp(−|z|)) there, and exp(−z) overflows below z = −709).",
            same_as(lambda z, y: np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-z)))),
        ),
        Mistake(
            "the max(z, 0) term is missing: the stable form is " + _STABLE + ".",
            same_as(lambda z, y: np.mean(-z * y + np.log1p(np.exp(-np.abs(z))))),
        ),
        Mistake(
            "−z·y, not +z·y: the stable form is " + _STABLE + ".",
            same_as(lambda z, y: np.mean(np.maximum(z, 0) + z * y + np.log1p(np.exp(-np.abs(z))))),
        ),
        Mistake(
            "the log is missing: the last term is log(1 + exp(−|z|)), "
            "np.log1p(np.exp(-np.abs(z))).",
            same_as(lambda z, y: np.mean(np.maximum(z, 0) - z * y + np.exp(-np.abs(z)))),
        ),
        Mistake(
            "the 1 + is missing: log(1 + exp(−|z|)), not log(exp(−|z|)) = −|z|.",
            same_as(lambda z, y: np.mean(np.maximum(z, 0) - z * y - np.abs(z))),
        ),
        Mistake(
            "you used 1 − y where y belongs: the loss must be small when σ(z) is close to "
            "y, so the stable form is " + _STABLE + ".",
            same_as(lambda z, y: _bce_reference(z, 1 - y)),
        ),
        Mistake(
            "log(1 + exp(−y·z)) is the logistic loss for labels ±1; here the labels are "
            "y ∈ {0, 1} (or soft targets in [0, 1]): use " + _STABLE + ".",
            same_as(lambda z, y: np.mean(np.log1p(np.exp(-y * z)))),
        ),
        Mistake(_SUM_HINT.format(n="n", unit="element"), scaled_by(lambda z, y: y.size)),
    ),
    default_hint=f"the mean over the elements of {_STABLE}.",
    success="Exact and finite even at logits of ±800.",
)


def check_bce_with_logits(fn: Callable[..., Any]) -> None:
    r"""Check binary cross-entropy on logits: ``bce_with_logits(logits, target) -> float``.

    The learner returns the mean over the elements of
    :math:`-[y \log\sigma(z) + (1-y)\log(1-\sigma(z))]`, computed stably as
    :math:`\max(z, 0) - z y + \log(1 + e^{-|z|})` so logits of ±800 give exact finite
    values. Targets may be soft (in [0, 1]). The reference is
    ``nnlib.nn.functional.binary_cross_entropy_with_logits``. Recognises: treating logits
    as probabilities, overflow (nan/inf) at ±500, log(1 + exp(z)) overflowing at ±800,
    clamping with ε (finite but wrong), a missing minus sign, a sum instead of a mean.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def bce_with_logits(logits, target):
        ...     z, y = logits, target
        ...     return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
        >>> check_bce_with_logits(bce_with_logits)  # doctest: +ELLIPSIS
        ✓ bce_with_logits: correct on all 5 cases (...

    Taught in chapter 4 (loss functions).
    """
    _BCE(fn)


# ----------------------------------------------------------------- cross-entropy
def _ce_cases() -> list[Case]:
    rng = np.random.default_rng(403)
    return [
        Case(
            "3 examples, 4 classes",
            (rng.uniform(0.05, 0.9, size=(3, 4)), np.array([0, 3, 1])),
        ),
        Case("one example", (np.array([[2.0, -1.0, 0.5]]), np.array([2]))),
        Case(
            "large logits [1000, 1001, 1002]",
            (np.array([[1000.0, 1001.0, 1002.0]]), np.array([0])),
        ),
        Case("equal logits: the loss is ln C", (np.zeros((2, 5)), np.array([4, 0]))),
        Case("4 examples, 2 classes", (rng.normal(size=(4, 2)) * 3, np.array([1, 0, 0, 1]))),
        Case(
            "rows on very different scales",
            (np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -999.0, -998.0]]), np.array([0, 2])),
        ),
        Case("logits [−1000, 0], target the larger", (np.array([[-1000.0, 0.0]]), np.array([1]))),
        Case("logits 1000 apart [0, 1000]", (np.array([[0.0, 1000.0]]), np.array([0]))),
    ]


def _picked(matrix: np.ndarray, target: np.ndarray) -> np.ndarray:
    return matrix[np.arange(len(target)), target]


def _log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Log-softmax along ``axis`` (the last one by default)."""
    return F.log_softmax(to_tensor(x), dim=axis).data


def _cross_entropy_reference(logits: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Cross-entropy of logits ``(m, C)`` against class indices ``(m,)``, mean over examples."""
    return F.cross_entropy(
        to_tensor(logits), nnlib.tensor(np.asarray(target, dtype=np.int64))
    ).data


_CE = Checker(
    title="cross_entropy",
    cases=_ce_cases,
    reference=_cross_entropy_reference,
    mistakes=(
        Mistake(
            "subtract each row's OWN maximum (`x.max(axis=-1, keepdims=True)`), not the "
            "maximum of the whole array: a row far below it underflows to log(0) = −inf.",
            when("very different scales", non_finite()),
        ),
        Mistake(
            "shift by each row's MAXIMUM, not the minimum: x − min makes the largest entry "
            "huge (1000 here), and exp(1000) overflows; after x − max every exponent is ≤ 0.",
            when("target the larger", non_finite()),
        ),
        Mistake(
            "clipping the probability (or adding ε inside the log) caps the loss at "
            "−log ε (27.6 for ε = 1e-12), but here the exact loss is 1000: compute "
            "log_softmax directly, x − max − log Σ exp(x − max).",
            when("1000 apart", _finite_but_wrong),
        ),
        Mistake(
            "the log of a softmax fails when the target's probability underflows: "
            "exp(−1000) rounds to 0 and log(0) = −inf, although the loss is 1000. Compute "
            "log_softmax directly, x − max − log Σ exp(x − max) (the log-sum-exp trick), "
            "instead of taking the log of probabilities.",
            when("1000 apart", non_finite()),
        ),
        Mistake(
            "your function treats its input as probabilities (−log p[target]), but "
            "cross_entropy takes raw LOGITS: take log_softmax first. Mixing the two up is "
            "the classic bug: probabilities fed to CrossEntropyLoss make a loss that barely "
            "moves.",
            same_as(lambda x, t: -np.mean(np.log(_picked(x, t)))),
        ),
        Mistake(
            "you applied softmax twice: cross-entropy on logits already contains the "
            "softmax, so pass the logits in directly (this is exactly what happens when "
            "softmax outputs go into CrossEntropyLoss).",
            same_as(lambda x, t: _cross_entropy_reference(np.exp(_log_softmax(x)), t)),
        ),
        Mistake(
            "normalise over the classes (axis=-1, along each row), not over the examples.",
            same_as(lambda x, t: -np.mean(_picked(_log_softmax(x, axis=0), t))),
        ),
        Mistake(
            "pick ONE entry per row, `logp[np.arange(m), target]`; `logp[:, target]` picks "
            "an m × m block.",
            same_as(lambda x, t: -np.mean(_log_softmax(x)[:, t])),
        ),
        Mistake(
            "your result has nan/inf: exp(1000) overflows. Compute log_softmax stably, "
            "x − max − log Σ exp(x − max), with the maximum of each row.",
            non_finite(),
        ),
        Mistake(
            "a minus sign is missing: the loss is −log p[target], never negative.",
            scaled_by(lambda x, t: -1.0),
        ),
        Mistake(
            "logp[target] picks whole ROWS (one per target value, and fails once a class "
            "index exceeds the number of examples): pick one entry per row, "
            "logp[np.arange(m), target].",
            raised(IndexError),
        ),
        Mistake(
            "average only the TARGET's entry of each row, −log_softmax(x)[i, target[i]]; "
            "you averaged over every class.",
            same_as(lambda x, t: -np.mean(_log_softmax(x))),
        ),
        Mistake(
            "divide by m, the number of examples (len(target)), not by C, the number of classes.",
            scaled_by(lambda x, t: len(t) / x.shape[1]),
        ),
        Mistake(
            "the log Σ exp term is missing: −log softmax(x)_t = −x_t + log Σ_k exp(x_k).",
            same_as(lambda x, t: -np.mean(_picked(x, t))),
        ),
        Mistake(
            "add the maximum back: log Σ exp(x) = max + log Σ exp(x − max); you mixed the "
            "shifted log-sum-exp with the raw logit.",
            same_as(lambda x, t: _cross_entropy_reference(x, t) - np.mean(x.max(axis=1))),
        ),
        Mistake(
            "sum over each ROW (axis=1, keepdims=True): the log-sum-exp normalises each "
            "example over its own classes, not over the whole batch.",
            same_as(
                lambda x, t: (
                    -np.mean(
                        _picked(
                            x
                            - x.max(axis=1, keepdims=True)
                            - np.log(np.exp(x - x.max(axis=1, keepdims=True)).sum()),
                            t,
                        )
                    )
                )
            ),
        ),
        Mistake(
            _SUM_HINT.format(n="m (the number of examples)", unit="example"),
            scaled_by(lambda x, t: len(t)),
        ),
        Mistake(
            "reduce to ONE number: the mean over the examples.",
            shape_is(lambda x, t: (len(t),)),
        ),
    ),
    default_hint="loss = mean over examples of −log_softmax(logits)[i, target[i]].",
    success="Log-softmax and negative log-likelihood in one stable step, as "
    "torch.nn.CrossEntropyLoss.",
)


def check_cross_entropy(fn: Callable[..., Any]) -> None:
    r"""Check cross-entropy on logits: ``cross_entropy(logits, target) -> float``.

    ``logits`` has shape ``(m, C)`` (raw scores, not probabilities) and ``target`` holds
    class indices, shape ``(m,)``. The learner returns
    :math:`-\frac{1}{m}\sum_i \log \mathrm{softmax}(x_i)_{t_i}`, computed stably. The
    reference is ``nnlib.nn.functional.cross_entropy``. Recognises: treating logits as
    probabilities, softmax applied twice (the probabilities-into-CrossEntropyLoss bug),
    the wrong axis, ``logp[:, target]``, overflow, a missing minus sign, a sum instead of a
    mean, a per-example result.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def cross_entropy(logits, target):
        ...     shifted = logits - logits.max(axis=1, keepdims=True)
        ...     logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        ...     return -logp[np.arange(len(target)), target].mean()
        >>> check_cross_entropy(cross_entropy)  # doctest: +ELLIPSIS
        ✓ cross_entropy: correct on all 8 cases (...

    Taught in chapter 4 (loss functions).
    """
    _CE(fn)


# --------------------------------------------------------------- Gaussian NLL
def _gaussian_nll_reference(mu: np.ndarray, log_var: np.ndarray, y: np.ndarray) -> np.ndarray:
    t = to_tensor(mu)
    var = nnlib.tensor(np.exp(np.asarray(log_var, dtype=np.float64)))
    return F.gaussian_nll_loss(t, to_tensor(y), var).data


def _gaussian_nll_cases() -> list[Case]:
    rng = np.random.default_rng(404)
    return [
        Case(
            "4 predictions",
            (
                np.array([0.0, 1.0, -0.5, 2.0]),
                np.array([0.0, -1.0, 0.5, 1.5]),
                np.array([0.5, 0.0, 0.0, 3.0]),
            ),
        ),
        Case(
            "log_var = 0 (variance 1): half the MSE",
            (np.array([1.0, 2.0, 3.0]), np.zeros(3), np.array([1.5, 2.0, 1.0])),
        ),
        Case(
            "a (3, 2) batch",
            (rng.normal(size=(3, 2)), rng.normal(size=(3, 2)), rng.normal(size=(3, 2))),
        ),
        Case(
            "very confident: log_var = -8",
            (np.array([0.1, -0.1]), np.array([-8.0, -8.0]), np.array([0.1, 0.0])),
        ),
    ]


_GAUSSIAN_NLL = Checker(
    title="gaussian_nll",
    cases=_gaussian_nll_cases,
    reference=_gaussian_nll_reference,
    mistakes=(
        Mistake(
            "`log_var` is the LOG of the variance: the variance is np.exp(log_var), so the "
            "squared error is divided by np.exp(log_var), not by log_var.",
            same_as(lambda mu, s, y: np.mean(0.5 * (s + (y - mu) ** 2 / s))),
        ),
        Mistake(
            "divide the squared error by the VARIANCE v = exp(log_var), not by the standard "
            "deviation √v = exp(log_var / 2).",
            same_as(lambda mu, s, y: np.mean(0.5 * (s + (y - mu) ** 2 / np.exp(0.5 * s)))),
        ),
        Mistake(
            "the sign in the exponent is flipped: (y − μ)² / v = (y − μ)² · exp(−log_var).",
            same_as(lambda mu, s, y: np.mean(0.5 * (s + (y - mu) ** 2 * np.exp(s)))),
        ),
        Mistake(
            "the ½·log v term is missing: without it the loss falls forever as the variance v "
            "grows, and the network learns to predict an infinite variance.",
            same_as(lambda mu, s, y: np.mean(0.5 * (y - mu) ** 2 * np.exp(-s))),
        ),
        Mistake(
            "drop the constant ½·log(2π): PyTorch's GaussianNLLLoss leaves it out by "
            "default (full=False); it does not change the gradient.",
            same_as(
                lambda mu, s, y: (
                    np.mean(0.5 * (s + (y - mu) ** 2 * np.exp(-s))) + 0.5 * np.log(2 * np.pi)
                )
            ),
        ),
        Mistake(
            "you divided by len(y), the number of ROWS; the mean runs over all y.size "
            "elements: use np.mean(...).",
            scaled_by(lambda mu, s, y: y.size / len(y)),
        ),
        Mistake(
            "the ½ multiplies BOTH terms: ½·(log_var + (y − μ)²·exp(−log_var)).",
            same_as(lambda mu, s, y: np.mean(0.5 * s + (y - mu) ** 2 * np.exp(-s))),
        ),
        Mistake(
            "the first term is log v = log_var itself, not exp(log_var).",
            same_as(lambda mu, s, y: np.mean(0.5 * (np.exp(s) + (y - mu) ** 2 * np.exp(-s)))),
        ),
        Mistake(
            "only the squared error is divided by the variance: "
            "½·(log_var + (y − μ)²·exp(−log_var)); check the parentheses.",
            same_as(lambda mu, s, y: np.mean(0.5 * (s + (y - mu) ** 2) * np.exp(-s))),
        ),
        Mistake(
            "square the error: (y − μ)², not (y − μ) or |y − μ|.",
            lambda a: any(
                same_as(w)(a)
                for w in (
                    lambda mu, s, y: np.mean(0.5 * (s + (y - mu) * np.exp(-s))),
                    lambda mu, s, y: np.mean(0.5 * (s + np.abs(y - mu) * np.exp(-s))),
                )
            ),
        ),
        Mistake(
            "½·log v = ½·log_var: log_var is the log of the variance v, not of the standard "
            "deviation √v (−log N has log √v = ½·log v).",
            same_as(lambda mu, s, y: np.mean(s + 0.5 * (y - mu) ** 2 * np.exp(-s))),
        ),
        Mistake(
            "ADD the squared-error term: ½·(log_var + (y − μ)²·exp(−log_var)).",
            same_as(lambda mu, s, y: np.mean(0.5 * (s - (y - mu) ** 2 * np.exp(-s)))),
        ),
        Mistake(
            "your result has nan/inf: `log_var` is already the LOG of the variance and may "
            "be 0 or negative. Use it as it is; the variance is np.exp(log_var) "
            "(np.log(log_var) or dividing by log_var gives nan/inf).",
            non_finite(),
        ),
        Mistake(
            "the factor ½ is missing: −log N(y; μ, v) = ½·log v + (y − μ)² / (2v) + const.",
            scaled_by(lambda mu, s, y: 2.0),
        ),
        Mistake(_SUM_HINT.format(n="n", unit="element"), scaled_by(lambda mu, s, y: y.size)),
        Mistake(
            "reduce to ONE number: the mean over all elements.",
            lambda a: a.got is not None and a.got[0].ndim > 0 and a.got[0].size > 1,
        ),
    ),
    default_hint="the mean over the elements of ½·(log_var + (y − mu)² · exp(−log_var)).",
    success="The Gaussian negative log-likelihood, as torch.nn.GaussianNLLLoss with "
    "var=log_var.exp().",
)


def check_gaussian_nll(fn: Callable[..., Any]) -> None:
    r"""Check the Gaussian negative log-likelihood: ``gaussian_nll(mu, log_var, y) -> float``.

    A regression head predicts a mean :math:`\mu` and a log-variance
    :math:`s = \log v` (:math:`v` the variance) per target; the learner returns the mean
    over all elements of
    :math:`\tfrac12\bigl(s + (y - \mu)^2 e^{-s}\bigr)` (no :math:`\tfrac12\log 2\pi`, as
    PyTorch's default ``full=False``). The reference is
    ``nnlib.nn.functional.gaussian_nll_loss(mu, y, var=exp(log_var))``. Recognises: dividing
    by ``log_var`` or by :math:`\sqrt v`, a flipped exponent, a missing
    :math:`\log v` term, the constant, a missing ½, a sum, a per-element result.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def gaussian_nll(mu, log_var, y):
        ...     return np.mean(0.5 * (log_var + (y - mu) ** 2 * np.exp(-log_var)))
        >>> check_gaussian_nll(gaussian_nll)  # doctest: +ELLIPSIS
        ✓ gaussian_nll: correct on all 4 cases (...

    Taught in chapter 4 (loss functions).
    """
    _GAUSSIAN_NLL(fn)


# --------------------------------------------------------------- KL divergence
def _kl_reference(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    log_q = nnlib.tensor(np.log(np.asarray(q, dtype=np.float64)))
    return F.kl_div(log_q, to_tensor(p), reduction="sum").data


def _kl_cases() -> list[Case]:
    return [
        Case("a fair coin vs a biased one", (np.array([0.5, 0.5]), np.array([0.9, 0.1]))),
        Case(
            "4 outcomes",
            (np.array([0.1, 0.2, 0.3, 0.4]), np.array([0.25, 0.25, 0.25, 0.25])),
        ),
        Case(
            "p has zeros: 0·log 0 counts as 0",
            (np.array([0.0, 0.5, 0.5, 0.0]), np.array([0.1, 0.4, 0.3, 0.2])),
        ),
        Case("p = q: KL is 0", (np.array([0.2, 0.8]), np.array([0.2, 0.8]))),
    ]


_KL = Checker(
    title="kl_divergence",
    cases=_kl_cases,
    reference=_kl_reference,
    mistakes=(
        Mistake(
            "the arguments are swapped: that is KL(Q ‖ P). KL(P ‖ Q) = Σ p·log(p / q), "
            "weighted by P, the distribution the data come from. KL is not symmetric.",
            same_as(
                lambda p, q: np.sum(np.where(q > 0, q * np.log(q / np.where(p > 0, p, 1)), 0))
            ),
        ),
        Mistake(
            "terms with p = 0 must count as 0 (the limit of p·log p): 0 · log 0 gives nan in "
            "NumPy. Use np.where(p > 0, p * np.log(p / q), 0.0).",
            non_finite(),
        ),
        Mistake(
            "use the natural logarithm (np.log, nats), as PyTorch does; np.log2 gives bits.",
            scaled_by(lambda p, q: 1 / np.log(2)),
        ),
        Mistake(
            "use the natural logarithm (np.log, nats), as PyTorch does; np.log10 gives "
            "decimal digits (bans).",
            scaled_by(lambda p, q: 1 / np.log(10)),
        ),
        Mistake(
            "SUM over the outcomes, not the mean: KL(P ‖ Q) = Σ p·log(p / q).",
            scaled_by(lambda p, q: 1 / len(p)),
        ),
        Mistake(
            "weight BOTH logs by p: Σ p·(log p − log q); you subtracted log q unweighted.",
            same_as(lambda p, q: np.sum(p * np.log(np.where(p > 0, p, 1.0)) - np.log(q))),
        ),
        Mistake(
            "log(p / q) = log p − log q, not log p / log q.",
            same_as(lambda p, q: np.sum(p * np.log(np.where(p > 0, p, 1.0)) / np.log(q))),
        ),
        Mistake(
            "that is the symmetric (Jeffreys) divergence KL(P ‖ Q) + KL(Q ‖ P), the "
            "log-ratio weighted by p − q: weight it by p alone.",
            same_as(lambda p, q: _kl_reference(p, q) + _kl_reference(q, p)),
        ),
        Mistake(
            "reduce to ONE number: sum the terms over the outcomes (np.sum).",
            lambda a: a.got is not None and a.got[0].ndim > 0 and a.got[0].size > 1,
        ),
        Mistake(
            "that is the cross-entropy −Σ p·log q; KL subtracts the entropy of P from it: "
            "Σ p·log(p / q).",
            same_as(lambda p, q: -np.sum(p * np.log(q))),
        ),
        Mistake(
            "weight each log-ratio by p: KL(P ‖ Q) = Σ p·log(p / q).",
            same_as(lambda p, q: np.sum(np.log(np.where(p > 0, p, 1) / q) * (p > 0))),
        ),
        Mistake(
            "a minus sign is flipped: KL(P ‖ Q) = Σ p·log(p / q) is never negative.",
            scaled_by(lambda p, q: -1.0),
        ),
    ),
    default_hint="KL(P ‖ Q) = Σ p·log(p / q), summed over the outcomes, with 0·log 0 = 0.",
    success="Σ p·log(p/q), zero-safe, as F.kl_div(q.log(), p, reduction='sum').",
)


def check_kl_divergence(fn: Callable[..., Any]) -> None:
    r"""Check the discrete KL divergence: ``kl_divergence(p, q) -> float``.

    ``p`` and ``q`` are probability vectors over the same outcomes (``q > 0``); the learner
    returns :math:`\mathrm{KL}(P \,\|\, Q) = \sum_k p_k \log(p_k / q_k)` in nats, with terms
    where :math:`p_k = 0` counted as 0. The reference is
    ``nnlib.nn.functional.kl_div(log q, p, reduction='sum')``. Recognises: swapped
    arguments, nan from :math:`0 \log 0`, ``log2``, the cross-entropy instead, a missing
    weight :math:`p`, a flipped sign.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def kl_divergence(p, q):
        ...     ratio = np.where(p > 0, p / q, 1.0)
        ...     return np.sum(p * np.log(ratio))
        >>> check_kl_divergence(kl_divergence)  # doctest: +ELLIPSIS
        ✓ kl_divergence: correct on all 4 cases (...

    Taught in chapter 4 (loss functions).
    """
    _KL(fn)


# ------------------------------------------------- debugging: Softmax into CrossEntropyLoss
def _softmax_net(
    sizes: tuple[int, ...], rng: np.random.Generator, scale: float = 1.0
) -> Sequential:
    """A float64 MLP with ReLUs between its layers that ends in ``Softmax(dim=1)``.

    Its weights come from ``rng`` (the notebook's generator is left alone); ``scale``
    multiplies the last Linear layer's weights, to make the net confident.
    """
    layers: list[Module] = []
    for k, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
        if k:
            layers.append(ReLU())
        with fork_rng():  # Linear's own initialisation must not move the notebook's stream
            layer = Linear(n_in, n_out).double()
        bound = 1.0 / np.sqrt(n_in)
        layer.weight.data[...] = rng.uniform(-bound, bound, size=(n_out, n_in))
        layer.bias.data[...] = rng.uniform(-bound, bound, size=n_out)
        layers.append(layer)
    layers[-1].weight.data[...] *= scale
    return Sequential(*layers, Softmax(dim=1))


def _softmax_bug_cases() -> list[Case]:
    rng = np.random.default_rng(406)
    return [
        Case(
            "a 64-32-10 net, 8 examples",
            (_softmax_net((64, 32, 10), rng), rng.normal(size=(8, 64)), rng.integers(0, 10, 8)),
        ),
        Case(
            "a 2-class net, 3 examples",
            (_softmax_net((4, 2), rng), rng.normal(size=(3, 4)), np.array([1, 0, 1])),
        ),
        Case(
            "a confident net, wrong on both examples: logits 1000s apart",
            (
                _softmax_net((4, 3), rng, scale=1000.0),
                np.array([[3.0, -2.0, 1.0, 0.5], [-1.0, 2.0, 0.0, 1.0]]),
                np.array([0, 1]),
            ),
        ),
    ]


def _net_logits(net: Any, X: np.ndarray) -> Any:
    return net[:-1](nnlib.tensor(X))


def _softmax_bug_reference(net: Any, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Cross-entropy on the logits: the net without its final Softmax."""
    target = nnlib.tensor(np.asarray(y, dtype=np.int64))
    return F.cross_entropy(_net_logits(net, X), target).data


def _probs(net: Any, X: np.ndarray) -> np.ndarray:
    return np.asarray(net(nnlib.tensor(X)).data)


_SOFTMAX_BUG = Checker(
    title="classification_loss",
    cases=_softmax_bug_cases,
    reference=_softmax_bug_reference,
    mistakes=(
        Mistake(
            "this is still the bug: CrossEntropyLoss applies log-softmax itself, so feeding "
            "it the net's probabilities applies softmax twice. Give it the logits, the "
            "output of every layer but the last: `net[:-1](X)`.",
            same_as(
                lambda net, X, y: (
                    F.cross_entropy(
                        nnlib.tensor(_probs(net, X)), nnlib.tensor(np.asarray(y, dtype=np.int64))
                    ).data
                )
            ),
        ),
        Mistake(
            "taking the log of the net's probabilities is right in exact arithmetic, but a "
            "confident net's probabilities underflow to 0 and log(0) = −inf. Drop the final "
            "Softmax and give the logits, `net[:-1](X)`, to cross_entropy, which computes "
            "log-softmax stably.",
            when("confident", non_finite()),
        ),
        Mistake(
            "nll_loss expects LOG-probabilities: you gave it the probabilities themselves. "
            "Better still, give the logits `net[:-1](X)` to cross_entropy.",
            same_as(lambda net, X, y: -np.mean(_probs(net, X)[np.arange(len(y)), np.asarray(y)])),
        ),
        Mistake(
            "a minus sign is missing: the loss is −log p[target], never negative.",
            scaled_by(lambda net, X, y: -1.0),
        ),
        Mistake(
            _SUM_HINT.format(n="m (the number of examples)", unit="example"),
            scaled_by(lambda net, X, y: len(y)),
        ),
        Mistake(
            "reduce to ONE number: the mean over the examples.",
            shape_is(lambda net, X, y: (len(y),)),
        ),
    ),
    default_hint="the net ends in Softmax; CrossEntropyLoss wants the logits before it: "
    "`F.cross_entropy(net[:-1](X), y)`.",
    success="The loss now sees logits: the softmax is applied once, inside the loss.",
)


def check_classification_loss(fn: Callable[..., Any]) -> None:
    r"""Check a debugging fix: ``classification_loss(net, X, y) -> loss``.

    ``net`` is an ``Sequential`` classifier whose last layer is ``Softmax(dim=1)``
    (the classic bug: its probabilities were fed to ``CrossEntropyLoss``); ``X`` has shape
    ``(m, d)`` and ``y`` holds class indices. The learner returns the right cross-entropy
    without retraining or changing the net: the mean over the examples of
    :math:`-\log \mathrm{softmax}(z)_{y}` on the logits :math:`z` that enter the final
    Softmax. The reference is ``nnlib.nn.functional.cross_entropy(net[:-1](X), y)``.
    Recognises: the bug itself, the log of the probabilities (right on paper, −inf for a
    confident net), ``nll_loss`` on probabilities, a missing minus sign, a sum instead of a
    mean, no reduction.

    Args:
        fn: The learner's function.

    Example:
        >>> from nnlib.nn import functional as F
        >>> def classification_loss(net, X, y):
        ...     logits = net[:-1](nnlib.tensor(X))
        ...     return F.cross_entropy(logits, nnlib.tensor(y))
        >>> check_classification_loss(classification_loss)  # doctest: +ELLIPSIS
        ✓ classification_loss: correct on all 3 cases (...). The loss now sees logits: ...

    Taught in chapter 4 (loss functions).
    """
    _SOFTMAX_BUG(fn)


# -------------------------------------------------- the gradient of softmax cross-entropy
def _ce_grad_cases() -> list[Case]:
    rng = np.random.default_rng(407)
    return [
        Case("3 examples, 4 classes", (rng.normal(size=(3, 4)), np.array([0, 3, 1]))),
        Case("one example", (np.array([[2.0, -1.0, 0.5]]), np.array([2]))),
        Case("equal logits", (np.zeros((2, 5)), np.array([4, 0]))),
        Case(
            "large logits, rows on very different scales",
            (np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -999.0, -998.0]]), np.array([0, 2])),
        ),
    ]


def _ce_grad_reference(logits: np.ndarray, target: np.ndarray) -> np.ndarray:
    """∂J/∂logits of the mean cross-entropy, by nnlib's autograd."""
    z = to_tensor(logits, requires_grad=True)
    F.cross_entropy(z, nnlib.tensor(np.asarray(target, dtype=np.int64))).backward()
    assert z.grad is not None
    return z.grad.data


def _onehot(logits: np.ndarray, target: np.ndarray) -> np.ndarray:
    out = np.zeros_like(logits)
    out[np.arange(len(target)), target] = 1.0
    return out


def _softmax_rows(z: np.ndarray) -> np.ndarray:
    return np.exp(_log_softmax(z))


_CE_GRAD = Checker(
    title="cross_entropy_grad",
    cases=_ce_grad_cases,
    reference=_ce_grad_reference,
    mistakes=(
        Mistake(
            "divide by m: the cost is the MEAN over the m examples, so each row of the "
            "gradient is (softmax − onehot) / m.",
            scaled_by(lambda z, t: len(t)),
        ),
        Mistake(
            "the sign is flipped: increasing the target's logit lowers the loss, so its "
            "entry is negative, (p − onehot)/m with p − 1 < 0.",
            scaled_by(lambda z, t: -1.0),
        ),
        Mistake(
            "subtract the one-hot target: ∂L/∂z_j = p_j − [j = target], not p_j alone.",
            same_as(lambda z, t: _softmax_rows(z) / len(t)),
        ),
        Mistake(
            "you used the logits where the probabilities belong: (softmax(z) − onehot)/m, "
            "not (z − onehot)/m.",
            same_as(lambda z, t: (z - _onehot(z, t)) / len(t)),
        ),
        Mistake(
            "normalise over the classes of each row (axis=-1), not over the examples.",
            same_as(lambda z, t: (np.exp(_log_softmax(z, axis=0)) - _onehot(z, t)) / len(t)),
        ),
        Mistake(
            "your result has nan/inf: exp(1000) overflows. Compute the softmax with each "
            "row's maximum subtracted.",
            non_finite(),
        ),
    ),
    default_hint="∂J/∂z = (softmax(z) − onehot(target)) / m, row by row.",
    success=(
        "(softmax − onehot)/m: the error signal of every softmax classifier trained with"
        " cross-entropy."
    ),
)


def check_cross_entropy_grad(fn: Callable[..., Any]) -> None:
    r"""Check the gradient of cross-entropy: ``cross_entropy_grad(logits, target) -> dz``.

    ``logits`` has shape ``(m, C)`` and ``target`` holds class indices. The learner derives
    and returns :math:`\partial J / \partial z` for the mean cross-entropy
    :math:`J = -\frac{1}{m}\sum_i \log \mathrm{softmax}(z_i)_{t_i}`: each row is
    :math:`(\mathrm{softmax}(z_i) - \mathrm{onehot}(t_i)) / m`, computed stably. The
    reference is nnlib's autograd through ``cross_entropy``. Recognises: a missing
    :math:`1/m`, a flipped sign, a missing one-hot, logits in place of probabilities, the
    wrong axis, an overflowing softmax.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def cross_entropy_grad(logits, target):
        ...     e = np.exp(logits - logits.max(axis=1, keepdims=True))
        ...     p = e / e.sum(axis=1, keepdims=True)
        ...     p[np.arange(len(target)), target] -= 1
        ...     return p / len(target)
        >>> check_cross_entropy_grad(cross_entropy_grad)  # doctest: +ELLIPSIS
        ✓ cross_entropy_grad: correct on all 4 cases (...). (softmax − onehot)/m: ...

    Taught in chapter 4 (loss functions).
    """
    _CE_GRAD(fn)
