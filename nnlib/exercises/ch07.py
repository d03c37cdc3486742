r"""Checkers for chapter 7 (dropout and regularization).

Four exercises: inverted dropout built from given uniform numbers (so that the mask is the
same for every correct answer), the variance that dropout adds (derived), early stopping with
patience, and the max-norm constraint (PyTorch: ``torch.renorm``). The references are
:func:`nnlib.nn.functional.dropout`'s rule, the formula the learner derives,
a plain loop, and :func:`nnlib.renorm`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import nnlib
from nnlib.exercises.core import Case, Checker, Mistake, non_finite, same_as, when

__all__ = [
    "check_dropout",
    "check_dropout_variance",
    "check_early_stopping",
    "check_max_norm",
]


# ------------------------------------------------------------------------------ dropout
def _dropout_cases() -> list[Case]:
    rng = np.random.default_rng(701)
    x = rng.normal(size=(4, 6))
    u = rng.random((4, 6))
    big_x, big_u = rng.normal(size=(50, 40)), rng.random((50, 40))
    return [
        Case("training, p = 0.5", (x, 0.5, True, u)),
        Case("training, p = 0.2", (x, 0.2, True, u)),
        Case("evaluation mode (training=False)", (x, 0.5, False, u)),
        Case("training, p = 0 keeps everything", (x, 0.0, True, u)),
        Case("a 50×40 batch, p = 0.3", (big_x, 0.3, True, big_u)),
    ]


def _dropout_reference(x: Any, p: float, training: bool, u: Any) -> np.ndarray:
    """Inverted dropout: keep where ``u >= p``, divide the kept values by ``1 - p``."""
    x = np.asarray(x, dtype=np.float64)
    if not training:
        return x.copy()
    return np.where(np.asarray(u) >= p, x / (1 - p), 0.0)


_DROPOUT = Checker(
    title="dropout",
    cases=_dropout_cases,
    reference=_dropout_reference,
    mistakes=(
        Mistake(
            "in evaluation mode (training=False) dropout does nothing: return x unchanged. "
            "Inverted dropout already scaled the kept units during training, so no "
            "correction is needed at test time.",
            when("evaluation", lambda a: True),
        ),
        Mistake(
            "p is the probability of DROPPING a unit: keep unit i where u ≥ p (you kept it "
            "where u < p, which keeps a fraction p instead of 1 − p).",
            same_as(lambda x, p, t, u: np.where(u < p, x / (1 - p), 0.0)),
        ),
        Mistake(
            "keep unit i where u ≥ p, and divide by the keep probability 1 − p (you kept "
            "where u < p and divided by p).",
            same_as(lambda x, p, t, u: np.where(u < p, x / p, 0.0)),
        ),
        Mistake(
            "scale the kept units UP by 1/(1 − p) (inverted dropout), so that the expected "
            "output equals x; you left them unscaled.",
            same_as(lambda x, p, t, u: np.where(u >= p, x, 0.0)),
        ),
        Mistake(
            "divide the kept units by 1 − p, not multiply by it: the expected output must stay x.",
            same_as(lambda x, p, t, u: np.where(u >= p, x * (1 - p), 0.0)),
        ),
        Mistake(
            "divide by the KEEP probability 1 − p, not by the drop probability p.",
            same_as(lambda x, p, t, u: np.where(u >= p, x / p, 0.0)),
        ),
        Mistake(
            "with p = 0 nothing is dropped and the scale 1/(1 − 0) is 1: return x itself.",
            when("p = 0", lambda a: True),
        ),
        Mistake(
            "compare u ≥ p element by element (the mask has x's shape); a strict u > p is "
            "fine too, but the mask must come from u, one number per element.",
            non_finite(),
        ),
    ),
    default_hint="in training: mask = (u >= p); return x * mask / (1 - p). In evaluation: x.",
)


def check_dropout(fn: Any) -> None:
    """Check the learner's ``dropout(x, p, training, u)``: inverted dropout.

    ``x`` is a NumPy array, ``p`` the probability of dropping an element, ``training`` a
    bool and ``u`` uniform random numbers in [0, 1) of ``x``'s shape: element ``i`` is kept
    when ``u[i] >= p`` (nnlib's convention; PyTorch keeps an element when its uniform draw is
    below ``1 - p``, the same keep probability) and scaled by ``1 / (1 - p)``. In evaluation
    mode the function returns ``x`` unchanged. Recognises keeping where ``u < p``, forgetting
    or inverting the scale, dividing by ``p``, and dropping in evaluation mode.

    Example:
        >>> import numpy as np
        >>> check_dropout(lambda x, p, training, u: np.where(u >= p, x / (1 - p), 0.0)
        ...               if training else x)  # doctest: +ELLIPSIS
        ✓ dropout: correct on all 5 cases ...

    Taught in chapter 7 (dropout and regularization).
    """
    _DROPOUT(fn)


# ----------------------------------------------------------------- dropout's variance
def _variance_cases() -> list[Case]:
    return [
        Case("x = 1, p = 0.2", (1.0, 0.2)),
        Case("x = -3, p = 0.1 (a negative input)", (-3.0, 0.1)),
        Case("x = 2, p = 0.5", (2.0, 0.5)),
        Case("x = 0.5, p = 0.8", (0.5, 0.8)),
        Case("x = 4, p = 0 (nothing dropped)", (4.0, 0.0)),
        Case("an array x = [1, 2, 3], p = 0.25", (np.array([1.0, 2.0, 3.0]), 0.25)),
    ]


def _variance_reference(x: Any, p: float) -> np.ndarray:
    """Var[r x / (1 - p)] with r ~ Bernoulli(1 - p): x² p / (1 - p)."""
    x = np.asarray(x, dtype=np.float64)
    return x**2 * p / (1 - p)


_VARIANCE = Checker(
    title="dropout_variance",
    cases=_variance_cases,
    reference=_variance_reference,
    mistakes=(
        Mistake(
            "that is E[ã²] = x²/(1 − p), the second moment; the variance subtracts E[ã]² = x².",
            same_as(lambda x, p: np.asarray(x, float) ** 2 / (1 - p)),
        ),
        Mistake(
            "x²·p(1 − p) is the variance of r·x WITHOUT the 1/(1 − p) scale; inverted "
            "dropout divides by 1 − p, which multiplies the variance by 1/(1 − p)².",
            same_as(lambda x, p: np.asarray(x, float) ** 2 * p * (1 - p)),
        ),
        Mistake(
            "p is the DROP probability and r ~ Bernoulli(1 − p); you swapped p and 1 − p.",
            same_as(lambda x, p: np.asarray(x, float) ** 2 * (1 - p) / p),
        ),
        Mistake(
            "a standard deviation is not a variance: do not take the square root.",
            same_as(lambda x, p: np.sqrt(np.asarray(x, float) ** 2 * p / (1 - p))),
        ),
        Mistake(
            "the scale 1/(1 − p) enters squared: Var[r·x/(1 − p)] = (x/(1 − p))²·Var[r], "
            "and Var[r] = p(1 − p).",
            same_as(lambda x, p: np.asarray(x, float) ** 2 * p),
        ),
        Mistake(
            "the variance scales with x², not x: Var[r·x/(1 − p)] = (x/(1 − p))²·Var[r].",
            same_as(lambda x, p: np.asarray(x, float) * p / (1 - p)),
        ),
        Mistake(
            "the scale is 1/(1 − p), so the variance gets a factor 1/(1 − p)², applied to "
            "Var[r] = p(1 − p): x²·p(1 − p)/(1 − p)² = x²·p/(1 − p). You squared (1 − p) "
            "once too often.",
            same_as(lambda x, p: np.asarray(x, float) ** 2 * p / (1 - p) ** 2),
        ),
    ),
    default_hint="write ã = r·x/(1 − p) with r ~ Bernoulli(1 − p); Var[ã] = E[ã²] − E[ã]².",
)


def check_dropout_variance(fn: Any) -> None:
    """Check the learner's ``dropout_variance(x, p)``: the variance inverted dropout adds.

    For a fixed input ``x`` (a number or an array) and drop probability ``p``, the output
    ``ã = r·x/(1 − p)`` with ``r ~ Bernoulli(1 − p)`` has mean ``x`` and variance
    ``x²·p/(1 − p)``. Recognises the second moment, the unscaled variance, swapped
    probabilities, a missing square and a standard deviation.

    Example:
        >>> check_dropout_variance(lambda x, p: x**2 * p / (1 - p))  # doctest: +ELLIPSIS
        ✓ dropout_variance: correct on all 6 cases ...

    Taught in chapter 7 (dropout and regularization).
    """
    _VARIANCE(fn)


# ------------------------------------------------------------------------ early stopping
def _stopping_cases() -> list[Case]:
    return [
        Case(
            "a U-shaped curve, patience 3",
            ([1.0, 0.8, 0.6, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9], 3),
        ),
        Case(
            "a plateau of equal values (a tie is not an improvement), patience 2",
            ([1.0, 0.7, 0.7, 0.7, 0.65, 0.9], 2),
        ),
        Case(
            "a noisy dip then a new best, patience 3",
            ([1.0, 0.6, 0.8, 0.7, 0.5, 0.9, 0.95, 1.0, 0.4], 3),
        ),
        Case(
            "a slow recovery that never beats the best, patience 3",
            ([1.0, 0.5, 0.9, 0.8, 0.7, 0.6, 0.55], 3),
        ),
        Case("still improving at the end, patience 2", ([1.0, 0.9, 0.8, 0.7], 2)),
        Case("patience 1 stops at the first bad epoch", ([0.9, 0.5, 0.6, 0.4], 1)),
    ]


def _stopping_reference(val_losses: Any, patience: int) -> tuple[int, int]:
    best, best_epoch, waited = float("inf"), 0, 0
    epoch = 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                break
    return np.int64(best_epoch), np.int64(epoch)


def _stop_with(patience_shift: int = 0, ties: bool = False, reset: bool = True) -> Any:
    """A learner's early stopping with one thing changed (for the mistake detectors)."""

    def wrong(val_losses: Any, patience: int) -> tuple[int, int]:
        best, best_epoch, waited = float("inf"), 0, 0
        epoch = 0
        for epoch, loss in enumerate(val_losses):
            if loss < best or (ties and loss == best):
                best, best_epoch = loss, epoch
                if reset:
                    waited = 0
            else:
                waited += 1
                if waited >= patience + patience_shift:
                    break
        return best_epoch, epoch

    return wrong


def _stop_vs_previous(val_losses: Any, patience: int) -> tuple[int, int]:
    """Counts epochs worse than the PREVIOUS epoch, not the best so far."""
    best, best_epoch, waited, epoch = float("inf"), 0, 0, 0
    previous = float("inf")
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch = loss, epoch
        if loss < previous:
            waited = 0
        else:
            waited += 1
            if waited >= patience:
                break
        previous = loss
    return best_epoch, epoch


def _stopping_last_as_best(val_losses: Any, patience: int) -> tuple[int, int]:
    stop = int(_stopping_reference(val_losses, patience)[1])
    return stop, stop


_STOPPING = Checker(
    title="early_stopping",
    cases=_stopping_cases,
    reference=_stopping_reference,
    output_names=("best_epoch", "stop_epoch"),
    float_output=False,
    mistakes=(
        Mistake(
            "return the epoch with the lowest validation loss as best_epoch (the weights you "
            "restore), not the epoch where training stopped.",
            same_as(_stopping_last_as_best, output=0),
        ),
        Mistake(
            "a tie is not an improvement: use loss < best, not loss <= best (else a flat "
            "plateau keeps training forever).",
            same_as(_stop_with(ties=True)),
        ),
        Mistake(
            "stop after `patience` epochs without improvement, not patience − 1: with "
            "patience 3 you wait through 3 bad epochs and stop on the third.",
            same_as(_stop_with(patience_shift=-1)),
        ),
        Mistake(
            "stop on the `patience`-th epoch without improvement, not one later: count "
            "waited += 1 and stop as soon as waited == patience.",
            same_as(_stop_with(patience_shift=1)),
        ),
        Mistake(
            "reset the waiting counter to 0 whenever the validation loss improves; you kept "
            "counting every bad epoch since the start.",
            same_as(_stop_with(reset=False)),
        ),
        Mistake(
            "compare each loss with the BEST so far, not with the previous epoch: a small "
            "recovery after a bad epoch is not an improvement.",
            same_as(_stop_vs_previous),
        ),
        Mistake(
            "count epochs from 0 (the first loss is epoch 0), as Python's enumerate does.",
            same_as(
                lambda v, k: tuple(int(e) + 1 for e in _stopping_reference(v, k)),
            ),
        ),
    ),
    default_hint=(
        "keep best, best_epoch and waited; on each epoch: if loss < best, update best and "
        "set waited = 0, else waited += 1 and stop when waited == patience. Return "
        "(best_epoch, the epoch you stopped at, or the last epoch)."
    ),
)


def check_early_stopping(fn: Any) -> None:
    """Check the learner's ``early_stopping(val_losses, patience) -> (best_epoch, stop_epoch)``.

    Epochs count from 0. Training stops at the epoch where the validation loss has failed
    to beat the best so far (strictly) for ``patience`` epochs in a row; ``stop_epoch`` is
    that epoch, or the last one when the rule never fires, and ``best_epoch`` is the epoch
    of the lowest loss seen (ties keep the earlier epoch). Recognises an off-by-one
    patience, ties counted as improvements, a counter that never resets, comparing with the
    previous epoch instead of the best, and epochs counted from 1.

    Example:
        >>> check_early_stopping(lambda v, k: (0, 0))  # doctest: +ELLIPSIS
        ✗ early_stopping: ...

    Taught in chapter 7 (dropout and regularization).
    """
    _STOPPING(fn)


# ---------------------------------------------------------------------------- max-norm
def _max_norm_cases() -> list[Case]:
    rng = np.random.default_rng(707)
    W = np.array([[3.0, 4.0], [0.3, 0.4], [0.0, 2.0]])
    return [
        Case("rows of norm 5, 0.5 and 2, c = 1", (W, 1.0)),
        Case("a zero row stays zero, c = 2", (np.array([[0.0, 0.0, 0.0], [2.0, 2.0, 1.0]]), 2.0)),
        Case("a 4×6 weight, c = 1.5", (rng.normal(size=(4, 6)), 1.5)),
        Case("a wide 2×5 weight (columns ≠ rows), c = 1", (rng.normal(size=(2, 5)) * 2, 1.0)),
        Case("every row already small, c = 10", (rng.normal(size=(3, 3)), 10.0)),
    ]


def _max_norm_reference(W: Any, c: float) -> np.ndarray:
    """``torch.renorm(W, p=2, dim=0, maxnorm=c)``, computed by :func:`nnlib.renorm`."""
    w = nnlib.tensor(np.asarray(W, dtype=np.float64))
    return nnlib.renorm(w, 2, 0, c).data


def _rows(W: Any) -> np.ndarray:
    return np.linalg.norm(np.asarray(W, float), axis=1, keepdims=True)


_MAX_NORM = Checker(
    title="max_norm",
    cases=_max_norm_cases,
    reference=_max_norm_reference,
    mistakes=(
        Mistake(
            "only rows whose norm EXCEEDS c are rescaled; rows already inside the ball stay "
            "as they are (you scaled every row to norm c).",
            same_as(lambda W, c: np.nan_to_num(W * c / _rows(W))),
        ),
        Mistake(
            "one row of W holds one unit's incoming weights (W has shape (n_out, n_in)): "
            "take the norm along axis=1, per row, not per column.",
            same_as(
                lambda W, c: (
                    W
                    * np.minimum(
                        1, c / np.maximum(np.linalg.norm(W, axis=0, keepdims=True), 1e-300)
                    )
                )
            ),
        ),
        Mistake(
            "rescale the whole row by c/‖w‖; clipping each weight to [−c, c] is a different "
            "constraint that changes the row's direction.",
            same_as(lambda W, c: np.clip(W, -c, c)),
        ),
        Mistake(
            "use the Euclidean norm ‖w‖ = sqrt(Σ w²), not the squared norm Σ w².",
            same_as(
                lambda W, c: W * np.minimum(1, c / np.maximum(_rows(W) ** 2, 1e-300)),
            ),
        ),
        Mistake(
            "constrain the norm of each ROW, not of the whole matrix.",
            same_as(lambda W, c: W * min(1.0, c / max(float(np.linalg.norm(W)), 1e-300))),
        ),
        Mistake(
            "a row of zeros has norm 0: divide only where the norm exceeds c, or guard the "
            "division (np.maximum(norm, tiny)), so it stays 0 instead of nan.",
            non_finite(),
        ),
    ),
    default_hint="norms = ‖row‖₂ per row (axis=1); scale = min(1, c / norm); return W * scale.",
)


def check_max_norm(fn: Any) -> None:
    """Check the learner's ``max_norm(W, c)``: the max-norm constraint on a weight matrix.

    ``W`` has shape ``(n_out, n_in)`` (``Linear.weight``), so row ``j`` holds unit ``j``'s
    incoming weights; each row whose Euclidean norm exceeds ``c`` is rescaled to norm ``c``,
    the others are returned unchanged — ``torch.renorm(W, p=2, dim=0, maxnorm=c)``.
    Recognises rescaling every row, columns instead of rows, clipping elements, a squared
    norm, the whole matrix's norm and a division by a zero norm.

    Example:
        >>> import numpy as np
        >>> check_max_norm(lambda W, c: W * np.minimum(1, c / np.maximum(
        ...     np.linalg.norm(W, axis=1, keepdims=True), 1e-12)))  # doctest: +ELLIPSIS
        ✓ max_norm: correct on all 5 cases ...

    Taught in chapter 7 (dropout and regularization).
    """
    _MAX_NORM(fn)
