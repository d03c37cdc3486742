r"""Loss functions, part 2: binary classification (BCE on probabilities and on logits, focal).

Where nnlib differs from PyTorch, on purpose: targets outside :math:`[0, 1]` raise
``ValueError`` (labels in :math:`\{-1, 1\}` are a common slip), as do probabilities outside
:math:`[0, 1]` given to :func:`binary_cross_entropy`.

Taught in chapter 4 (loss functions).
"""

from __future__ import annotations

import numpy as np

from nnlib._checks import check_reduction, error
from nnlib._tensor import Tensor, from_op
from nnlib.nn.functional._loss_common import (
    broadcastable,
    const,
    pair,
    reduce_array,
    reduce_loss,
    scale_for,
)
from nnlib.ops import pointwise as P

__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "sigmoid_focal_loss"]


# ------------------------------------------------------------------------------- binary
def _check_unit_interval(where: str, name: str, arr: np.ndarray, hint: str) -> None:
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if arr.size and not (np.all(arr >= 0) and np.all(arr <= 1)):
        n_nan = int(np.isnan(arr).sum())
        if n_nan:  # NaN is no range problem: something upstream broke, a sigmoid will not fix it
            error(
                where,
                f"{name} in [0, 1]",
                f"{n_nan} NaN value(s) of {arr.size}",
                "NaN comes from earlier in the computation, usually a diverging training run "
                "(learning rate too large: lower lr) or a log/division of 0 in your own code; "
                "print the loss at each step to see where NaN first appears.",
            )
        lo, hi = np.min(arr), np.max(arr)
        error(where, f"{name} in [0, 1]", f"values from {lo:.4g} to {hi:.4g}", hint)


_TARGET_HINT = (
    "binary targets are 0 or 1 (or probabilities in between); labels in {-1, 1} become "
    "(y + 1) / 2."
)


def binary_cross_entropy(
    input: Tensor, target: Tensor, weight: Tensor | None = None, reduction: str = "mean"
) -> Tensor:
    r"""Binary cross-entropy between predicted probabilities and targets in :math:`[0, 1]`.

    .. math::

        \ell_i = -w_i \left( y_i \log p_i + (1 - y_i) \log(1 - p_i) \right)

    Each log is clamped at :math:`-100`, as in PyTorch, so a probability of exactly 0 or 1
    gives a large finite loss instead of ``inf``; the gradient is PyTorch's
    :math:`w_i (p_i - y_i) / \max(p_i (1 - p_i), 10^{-12})`. Prefer
    :func:`binary_cross_entropy_with_logits` on raw scores: it is exact where the sigmoid
    rounds to 0 or 1.

    Args:
        input: Probabilities :math:`p` in :math:`[0, 1]`, any shape (values outside raise
            ``ValueError``).
        target: Targets :math:`y` in :math:`[0, 1]`, the same shape as ``input`` (nnlib,
            unlike PyTorch, also refuses targets outside :math:`[0, 1]`).
        weight: Optional rescaling :math:`w`, broadcastable to the input's shape (a
            constant: it receives no gradient).
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Returns:
        A scalar tensor, or the per-element losses for ``reduction='none'``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> p, y = nnlib.tensor([0.9, 0.2]), nnlib.tensor([1.0, 0.0])
        >>> round(F.binary_cross_entropy(p, y).item(), 4)
        0.1643

    Taught in chapter 4 (loss functions).
    """
    where = "binary_cross_entropy"
    check_reduction(where, reduction)
    input, target = pair(where, input, target)
    x, y = input.data, target.data
    _check_unit_interval(
        where,
        "input probabilities",
        x,
        "apply a sigmoid first, or better pass the raw scores (logits) to "
        "F.binary_cross_entropy_with_logits (nn.BCEWithLogitsLoss), which is stable.",
    )
    _check_unit_interval(where, "target values", y, _TARGET_HINT)
    w = const(weight, input)
    if w is not None:
        broadcastable(where, "weight", w, x.shape)
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(x), -100)
        log_1mp = np.maximum(np.log1p(-x), -100)
    loss = -(y * log_p + (1 - y) * log_1mp)
    if w is not None:
        loss = loss * w
    count = max(x.size, 1)

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        g = scale_for(g, reduction, count, w)
        gx = g * (x - y) / np.maximum(x * (1 - x), 1e-12) if input.requires_grad else None
        gy = g * (log_1mp - log_p) if target.requires_grad else None
        return gx, gy

    out = reduce_array(np.asarray(loss, dtype=x.dtype), reduction, x.size)
    return from_op(out, (input, target), backward, "BinaryCrossEntropyBackward")


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    r"""Binary cross-entropy on raw scores (logits): a sigmoid and BCE in one stable step.

    .. math::

        \ell_i = w_i \left( (1 - y_i)\, x_i + (1 + (q - 1)\, y_i) \log(1 + e^{-x_i}) \right)

    with :math:`q` the ``pos_weight`` (1 by default). It is computed as
    :math:`\max(-x, 0) + \log(1 + e^{-|x|})` for the softplus, so logits of :math:`\pm 500`
    give exact finite losses, and it is one graph node whose backward pass is simply
    :math:`w\,(\sigma(x) - y)` (with ``pos_weight``,
    :math:`w\,((1 - y) - (1 + (q - 1) y)(1 - \sigma(x)))`).

    Args:
        input: Logits :math:`x`, any shape.
        target: Targets :math:`y` in :math:`[0, 1]`, the same shape as ``input`` (nnlib
            refuses other values and other shapes).
        weight: Optional rescaling :math:`w`, broadcastable to the input's shape.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        pos_weight: Optional weight :math:`q` of the positive class, one per class (shape
            ``(C,)``, broadcast along the last dimension); :math:`q > 1` raises recall.

    Returns:
        A scalar tensor, or the per-element losses for ``reduction='none'``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> x, y = nnlib.tensor([500.0, -500.0]), nnlib.tensor([0.0, 0.0])
        >>> F.binary_cross_entropy_with_logits(x, y, reduction='none')
        tensor([500.,   0.])

    Taught in chapter 4 (loss functions).
    """
    where = "binary_cross_entropy_with_logits"
    check_reduction(where, reduction)
    input, target = pair(where, input, target)
    x, y = input.data, target.data
    _check_unit_interval(where, "target values", y, _TARGET_HINT)
    w = const(weight, input)
    if w is not None:
        broadcastable(where, "weight", w, x.shape)
    q = const(pos_weight, input)
    if q is not None:
        broadcastable(where, "pos_weight", q, x.shape)
    # softplus(-x) = log(1 + e^{-x}), with exp only ever seeing -|x|.
    softplus_neg = np.maximum(-x, 0) + np.log1p(np.exp(-np.abs(x)))
    if q is None:
        loss = (1 - y) * x + softplus_neg
    else:
        log_weight = 1 + (q - 1) * y
        loss = (1 - y) * x + log_weight * softplus_neg
    if w is not None:
        loss = loss * w
    count = max(x.size, 1)

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        g = scale_for(g, reduction, count, w)
        gx = gy = None
        if input.requires_grad:
            e = np.exp(-np.abs(x))
            sig = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
            if q is None:
                gx = g * (sig - y)
            else:
                gx = g * ((1 - y) - (1 + (q - 1) * y) * (1 - sig))
        if target.requires_grad:
            gy = g * (-x if q is None else -x + (q - 1) * softplus_neg)
        return gx, gy

    out = reduce_array(np.asarray(loss, dtype=x.dtype), reduction, x.size)
    return from_op(out, (input, target), backward, "BinaryCrossEntropyWithLogitsBackward")


def _one_minus(t: Tensor) -> Tensor:
    # 1 - t, written so that the Python 1 cannot promote float32 to float64.
    return P.add(P.neg(t), 1.0)


def sigmoid_focal_loss(
    inputs: Tensor,
    targets: Tensor,
    alpha: float = 0.25,
    gamma: float = 2,
    reduction: str = "none",
) -> Tensor:
    r"""Focal loss (Lin et al., 2017): BCE on logits, down-weighting easy examples.

    Same signature and semantics as ``torchvision.ops.sigmoid_focal_loss`` (note its default
    ``reduction='none'``). With :math:`p = \sigma(x)` and
    :math:`p_t = p\,y + (1 - p)(1 - y)`, the probability given to the true label,

    .. math::

        \ell_i = \alpha_t\, (1 - p_t)^\gamma\, \mathrm{BCE}(x_i, y_i), \qquad
        \alpha_t = \alpha\, y + (1 - \alpha)(1 - y)

    A confident correct prediction (:math:`p_t \to 1`) contributes almost nothing, so the
    many easy negatives no longer swamp the few hard examples.

    Args:
        inputs: Logits, any shape.
        targets: Binary labels in :math:`[0, 1]`, the same shape as ``inputs``.
        alpha: Weight of the positive class in :math:`(0, 1)`; a negative value disables the
            weighting (:math:`\alpha_t = 1`).
        gamma: Focusing exponent :math:`\gamma \ge 0`; 0 gives plain (weighted) BCE.
        reduction: ``'none'`` (default, as torchvision), ``'mean'`` or ``'sum'``.

    Returns:
        The per-element losses, or a scalar for ``'mean'`` and ``'sum'``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> x, y = nnlib.tensor([4.0, 0.0]), nnlib.tensor([1.0, 1.0])
        >>> F.sigmoid_focal_loss(x, y, reduction='none')
        tensor([1.4679e-06, 4.3322e-02])

    Taught in chapter 4 (loss functions).
    """
    where = "sigmoid_focal_loss"
    check_reduction(where, reduction)
    if not gamma >= 0:
        error(where, "gamma >= 0", repr(gamma), "use gamma=2 (the paper's choice) or 0 for BCE.")
    inputs, targets = pair(where, inputs, targets)
    p = P.sigmoid(inputs)
    ce = binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    one_minus_y = _one_minus(targets)
    p_t = P.add(P.mul(p, targets), P.mul(_one_minus(p), one_minus_y))
    loss = ce if gamma == 0 else P.mul(ce, P.pow(_one_minus(p_t), gamma))
    if alpha >= 0:
        alpha_t = P.add(P.mul(targets, alpha), P.mul(one_minus_y, 1 - alpha))
        loss = P.mul(alpha_t, loss)
    return reduce_loss(where, loss, reduction)
