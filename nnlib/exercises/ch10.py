r"""Checkers for chapter 10 (A recipe for training networks).

Four exercises, each a step of the recipe: predict the cost at initialisation with and
without a well-initialised output bias (:func:`check_initial_losses`), find the bug in a
training loop that cannot overfit (:func:`check_fit_linear`), find the bug in a batcher
that shuffles the labels apart from their inputs (:func:`check_batches`), and draw
hyper-parameters on a log scale for a random search (:func:`check_log_uniform`). The
references are computed in NumPy under ``np.errstate(all="ignore")``, so a learner who left
``np.seterr(all="raise")`` or ``nnlib.set_grad_enabled(False)`` behind still gets a verdict.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib.exercises.core import Case, Checker, Mistake, same_as, shape_is
from nnlib.exercises.detectors import Attempt
from nnlib.exercises.report import to_array

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
        Case("6 examples, 3 classes, 30 steps, separable", (X1, y1, 0.5, 30)),
        Case("20 examples, 4 classes, 60 steps, not separable", (X2, y2, 1.0, 60)),
    ]


def _wrong_length(attempt: Attempt) -> bool:
    return attempt.got is not None and np.shape(attempt.got[0]) != attempt.expected[0].shape


_FIT = Checker(
    title="fit_linear",
    arg_names=("X", "y", "lr", "num_steps"),
    cases=_fit_cases,
    reference=_softmax_regression,
    mistakes=(
        Mistake(
            "the gradients still accumulate: backward() ADDS to .grad, so without "
            "opt.zero_grad() at the start of every step each update uses the sum of all past "
            "gradients (zeroing once before the loop is not enough). On the first case, which "
            "a linear model fits exactly, this even looks faster; on the second it makes the "
            "cost climb back up.",
            same_as(_softmax_regression, bug="accumulate"),
        ),
        Mistake(
            "you zero the gradients between loss.backward() and opt.step(): the step then "
            "sees zeros and the weights never move. Zero them BEFORE backward().",
            same_as(_softmax_regression, bug="zero_before_step"),
        ),
        Mistake(
            "record each step's loss as computed for that step's update (before opt.step()), "
            "not the loss after it.",
            same_as(_softmax_regression, bug="after_step"),
        ),
        Mistake(
            "return one loss per step: a list or array of num_steps numbers.",
            _wrong_length,
        ),
    ),
    default_hint="each step: opt.zero_grad(), loss = cross_entropy(model(X), y), "
    "loss.backward(), opt.step(); record loss.item().",
    success="Its loss now falls at every step in both cases, including the 20 points no "
    "linear model fits exactly, where the loop without zero_grad climbed back up.",
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


# ------------------------------------------------------- mini-batches that keep their labels


def _batches_reference(X: Any, y: Any, batch_size: int, rng: np.random.Generator) -> list[Any]:
    """One permutation from ``rng``, applied to X and y alike, cut into batches in order."""
    order = rng.permutation(len(X))
    return [
        (X[order[i : i + batch_size]], y[order[i : i + batch_size]])
        for i in range(0, len(X), batch_size)
    ]


def _positions(X: np.ndarray, y: np.ndarray, batches: Any) -> tuple[np.ndarray, ...]:
    """Where each returned row came from (-1: not a row of X), its label, the batch sizes."""
    rows = {np.asarray(X[i], dtype=np.float64).tobytes(): i for i in range(len(X))}
    where, labels, sizes = [], [], []
    for pair in list(batches):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(
                "return a list of (X_batch, y_batch) pairs, one pair per mini-batch; got an "
                f"element of type {type(pair).__name__}"
            )
        xb = np.asarray(to_array(pair[0]), dtype=np.float64).reshape(-1, X.shape[1])
        yb = np.asarray(to_array(pair[1])).reshape(-1)
        sizes.append(len(xb))
        for row, label in zip(xb, yb, strict=False):
            where.append(rows.get(row.tobytes(), -1))
            labels.append(label)
    return np.array(where, dtype=int), np.array(labels), np.array(sizes, dtype=np.float64)


def _summarise_batches(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Call ``fn`` as three epochs would (twice from the same generator state, then once
    more) and summarise what matters: the batch sizes, whether each example comes once,
    whether it keeps its label, whether the order is shuffled, repeatable from the seed, and
    new at the next epoch."""

    def run(X: Any, y: Any, batch_size: int, rng: np.random.Generator) -> Any:
        state = copy.deepcopy(rng)
        first = fn(X, y, batch_size, rng)
        if first is None or first is Ellipsis:
            return first
        again = fn(X, y, batch_size, copy.deepcopy(state))
        following = fn(X, y, batch_size, rng)
        X0, y0 = np.asarray(X), np.asarray(y)
        where, labels, sizes = _positions(X0, y0, first)
        found = where >= 0
        counts = np.bincount(where[found], minlength=len(X0))
        kept = found & (y0[np.where(found, where, 0)] == labels)
        return (
            sizes,
            float(np.mean(counts == 1)),
            float(kept.mean()) if kept.size else 0.0,
            float(not np.array_equal(where, np.arange(len(X0)))),
            float(np.array_equal(where, _positions(X0, y0, again)[0])),
            float(not np.array_equal(where, _positions(X0, y0, following)[0])),
        )

    return run


def _batch_cases() -> list[Case]:
    rng = np.random.default_rng(1010)
    cases = []
    for label, n, classes, size, seed in (
        ("10 examples, batches of 4", 10, 3, 4, 11),
        ("12 examples, batches of 3", 12, 4, 3, 12),
        ("7 examples, one batch of 7", 7, 3, 7, 13),
    ):
        X = np.round(rng.normal(size=(n, 2)), 2)
        y = np.arange(n) % classes
        cases.append(Case(label, (X, y, size, np.random.default_rng(seed))))
    return cases


_SIZES, _ONCE, _KEPT, _SHUFFLED, _REPEATABLE, _NEW = range(6)


def _got(attempt: Attempt, k: int) -> np.ndarray | None:
    return None if attempt.got is None else np.asarray(attempt.got[k], dtype=float)


def _below_one(k: int) -> Callable[[Attempt], bool]:
    def detect(attempt: Attempt) -> bool:
        got = _got(attempt, k)
        return got is not None and bool(got < 1)

    return detect


def _sizes_short_by_one(attempt: Attempt) -> bool:
    got = _got(attempt, _SIZES)
    if got is None:
        return False
    batch_size = attempt.case.args[2]
    return got.size > 0 and bool(np.all(got[:-1] == batch_size - 1))


def _last_batch_missing(attempt: Attempt) -> bool:
    got = _got(attempt, _SIZES)
    X, _, batch_size, _ = attempt.case.args
    return got is not None and bool(got.sum() < len(X) and np.all(got == batch_size))


def _drawn_with_replacement(attempt: Attempt) -> bool:
    got = _got(attempt, _SIZES)
    once = _got(attempt, _ONCE)
    return (
        got is not None
        and once is not None
        and got.sum() == len(attempt.case.args[0])
        and bool(once < 1)
    )


_BATCHES = Checker(
    title="batches",
    cases=_batch_cases,
    reference=_summarise_batches(_batches_reference),
    output_names=(
        "batch_sizes",
        "seen_once",
        "labels_kept",
        "shuffled",
        "same_order_from_same_seed",
        "new_order_next_epoch",
    ),
    mistakes=(
        Mistake(
            "the images and their labels no longer move together: draw ONE permutation, "
            "order = rng.permutation(len(X)), and index both X[order] and y[order] with it. "
            "Two permutations (or shuffling only one of X, y) pair each image with another "
            "image's label, and the network can only learn noise.",
            _below_one(_KEPT),
        ),
        Mistake(
            "your batches hold batch_size - 1 examples: a slice i:i + batch_size already "
            "stops before its end, so do not subtract 1.",
            _sizes_short_by_one,
        ),
        Mistake(
            "the last, smaller batch is missing: with range(0, len(X), batch_size) the "
            "remaining len(X) % batch_size examples form a last batch (DataLoader's default, "
            "drop_last=False); every example is seen once per epoch.",
            _last_batch_missing,
        ),
        Mistake(
            "some examples come twice and others never: rng.choice(n, n) and rng.integers "
            "draw WITH replacement. Use rng.permutation(len(X)) (or rng.choice(n, n, "
            "replace=False)).",
            _drawn_with_replacement,
        ),
        Mistake(
            "the batches come in the original order: shuffle with order = "
            "rng.permutation(len(X)) before cutting them.",
            _below_one(_SHUFFLED),
        ),
        Mistake(
            "the same generator state gave two different orders: draw from the rng you were "
            "given (rng.permutation), not from np.random, so a seeded run is repeatable.",
            _below_one(_REPEATABLE),
        ),
        Mistake(
            "every epoch gets the same order: draw from the rng you were given, which moves "
            "on after each call, not from a generator you create inside with a fixed seed.",
            _below_one(_NEW),
        ),
    ),
    default_hint="order = rng.permutation(len(X)); then batch k is X[order[i:i + batch_size]], "
    "y[order[i:i + batch_size]] for i in range(0, len(X), batch_size).",
    success="Every example once per epoch, with its own label, in a new order each epoch.",
    adapt=_summarise_batches,
)


def check_batches(fn: Callable[..., Any]) -> None:
    r"""Check a repaired batcher: ``batches(X, y, batch_size, rng) -> [(X_batch, y_batch), ...]``.

    One epoch's mini-batches: every example exactly once, each with its own label, in an
    order drawn from ``rng`` (so the same generator state gives the same order and the next
    call a new one), cut into batches of ``batch_size`` with a smaller last batch. The
    checker calls the function as three epochs would and compares a summary of the batches
    with the reference's (any correct shuffle passes, not only ``rng.permutation``).
    Recognises: labels shuffled apart from their inputs (two permutations, or only one of X
    and y shuffled), batches one example short, the last batch dropped, sampling with
    replacement, no shuffle, ``np.random`` instead of ``rng``, a fixed seed inside.

    Args:
        fn: The learner's function.

    Example:
        >>> def batches(X, y, batch_size, rng):
        ...     order = rng.permutation(len(X))
        ...     return [(X[order[i:i + batch_size]], y[order[i:i + batch_size]])
        ...             for i in range(0, len(X), batch_size)]
        >>> check_batches(batches)  # doctest: +ELLIPSIS
        ✓ batches: correct on all 3 cases (...

    Taught in chapter 10 (A recipe for training networks).
    """
    _BATCHES(fn)


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
