r"""Regression losses with ``torch.nn.functional``'s names.

:func:`mse_loss`, :func:`l1_loss`, :func:`huber_loss` and :func:`gaussian_nll_loss` live
here; binary classification in :mod:`.loss_binary`, multi-class losses in
:mod:`.loss_classification` and distance/divergence losses in :mod:`.loss_metric`. All of
them are re-exported from ``nnlib.nn.functional``.

Where nnlib differs from PyTorch, on purpose: a target whose shape differs from the input's
raises ``ValueError`` (PyTorch broadcasts ``(64, 1)`` against ``(64,)`` to ``(64, 64)`` with
only a warning), and binary losses refuse targets outside :math:`[0, 1]` (labels in
:math:`\{-1, 1\}` are a common slip).

Taught in chapter 4 (loss functions).
"""

from __future__ import annotations

import math

import numpy as np

from nnlib._checks import check_reduction, error, shape_str
from nnlib._tensor import Tensor, from_op
from nnlib.nn.functional._loss_common import like, pair, reduce_loss
from nnlib.ops import pointwise as P

__all__ = ["gaussian_nll_loss", "huber_loss", "l1_loss", "mse_loss"]


# --------------------------------------------------------------------------- regression
def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    r"""Mean squared error between a prediction and a target.

    .. math::

        \ell(\hat y, y) = \frac{1}{N} \sum_{i=1}^{N} (\hat y_i - y_i)^2

    Minimising it is maximum likelihood under Gaussian noise of fixed variance.

    Args:
        input: Predictions :math:`\hat y`, any shape.
        target: Targets :math:`y`, the same shape as ``input`` (unlike PyTorch, a shape that
            would broadcast raises ``ValueError``).
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Returns:
        A scalar tensor, or the per-element losses for ``reduction='none'``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.mse_loss(nnlib.tensor([1.0, 2.0]), nnlib.tensor([1.0, 4.0])).item()
        2.0

    Taught in chapter 4 (loss functions).
    """
    check_reduction("mse_loss", reduction)
    input, target = pair("mse_loss", input, target)
    diff = P.sub(input, target)
    return reduce_loss("mse_loss", P.mul(diff, diff), reduction)


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    r"""Mean absolute error (L1 loss), less sensitive to outliers than the squared error.

    .. math::

        \ell(\hat y, y) = \frac{1}{N} \sum_{i=1}^{N} |\hat y_i - y_i|

    Args:
        input: Predictions :math:`\hat y`, any shape.
        target: Targets :math:`y`, the same shape as ``input``.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Returns:
        A scalar tensor, or the per-element losses for ``reduction='none'``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.l1_loss(nnlib.tensor([1.0, 2.0]), nnlib.tensor([1.0, 4.0])).item()
        1.0

    Taught in chapter 4 (loss functions).
    """
    check_reduction("l1_loss", reduction)
    input, target = pair("l1_loss", input, target)
    return reduce_loss("l1_loss", P.abs(P.sub(input, target)), reduction)


def huber_loss(
    input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0
) -> Tensor:
    r"""Huber loss: squared error for small residuals, linear (L1-like) for large ones.

    .. math::

        \ell_i = \begin{cases}
            \tfrac12 (\hat y_i - y_i)^2 & |\hat y_i - y_i| < \delta \\
            \delta \left(|\hat y_i - y_i| - \tfrac12 \delta\right) & \text{otherwise}
        \end{cases}

    Args:
        input: Predictions :math:`\hat y`, any shape.
        target: Targets :math:`y`, the same shape as ``input``.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        delta: Where the quadratic part turns linear, :math:`\delta > 0`.

    Returns:
        A scalar tensor, or the per-element losses for ``reduction='none'``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.huber_loss(nnlib.tensor([0.5, 3.0]), nnlib.tensor([0.0, 0.0]), 'none')
        tensor([0.125, 2.5  ])

    Taught in chapter 4 (loss functions).
    """
    check_reduction("huber_loss", reduction)
    if not delta > 0:
        error("huber_loss", "delta > 0", repr(delta), "pass a positive delta, e.g. 1.0.")
    input, target = pair("huber_loss", input, target)
    diff = P.sub(input, target)
    absdiff = P.abs(diff)
    quadratic = P.mul(P.mul(diff, diff), 0.5)
    linear = P.mul(P.sub(absdiff, 0.5 * delta), delta)
    return reduce_loss("huber_loss", P.where(absdiff.data < delta, quadratic, linear), reduction)


def gaussian_nll_loss(
    input: Tensor,
    target: Tensor,
    var: Tensor | float,
    full: bool = False,
    eps: float = 1e-6,
    reduction: str = "mean",
) -> Tensor:
    r"""Negative log-likelihood of ``target`` under a Gaussian with predicted mean and variance.

    .. math::

        \ell_i = \tfrac12 \left( \log \max(\sigma_i^2, \varepsilon)
            + \frac{(\hat y_i - y_i)^2}{\max(\sigma_i^2, \varepsilon)} \right)
            \; \left[ + \tfrac12 \log 2\pi \text{ if full} \right]

    As in PyTorch, the clamp at :math:`\varepsilon` happens outside the graph: the gradient
    reaches ``var`` as if it had not been clamped. A network usually predicts
    :math:`\log\sigma^2` and passes ``var=log_var.exp()``, which keeps the variance positive.

    Args:
        input: Predicted means, any shape.
        target: Targets, the same shape as ``input``.
        var: Predicted variances (:math:`\ge 0`): the shape of ``input``, or that shape with
            the last dimension 1 or missing (one variance shared across the last dimension),
            or a float.
        full: Add the constant :math:`\tfrac12\log 2\pi` (default ``False``).
        eps: Lower clamp for the variance.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Returns:
        A scalar tensor, or the per-element losses for ``reduction='none'``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> mu, y = nnlib.tensor([0.0, 1.0]), nnlib.tensor([1.0, 1.0])
        >>> round(F.gaussian_nll_loss(mu, y, nnlib.tensor([1.0, 1.0])).item(), 4)
        0.25

    Taught in chapter 4 (loss functions).
    """
    where = "gaussian_nll_loss"
    check_reduction(where, reduction)
    input, target = pair(where, input, target)
    if isinstance(var, (int, float)):
        var = Tensor._wrap(np.full(input.data.shape, float(var), dtype=input.data.dtype))
    var = like(var, input)
    vshape, ishape = var.data.shape, input.data.shape
    if vshape != ishape:
        if vshape == ishape[:-1]:
            var = var.unsqueeze(-1)
        elif not (
            len(vshape) == len(ishape)
            and sum(v for i, v in zip(ishape, vshape, strict=True) if i != v) == 1
        ):
            error(
                where,
                f"var of shape {shape_str(ishape)} (or with its last dimension 1 or missing)",
                shape_str(vshape),
                "predict one variance per target (same shape as input), or one per row.",
            )
    if np.any(var.data < 0):
        error(
            where,
            "variances >= 0",
            f"a minimum of {var.data.min():.4g}",
            "predict the log-variance and pass var=log_var.exp(), which is always positive.",
        )
    vd = var.data
    clamped = np.maximum(vd, eps)
    # Clamp outside the graph, as PyTorch does: the gradient passes through unchanged.
    var_c = from_op(clamped, (var,), lambda g: (g,), "ClampBackward", saved=())
    diff = P.sub(input, target)
    loss = P.mul(P.add(P.log(var_c), P.div(P.mul(diff, diff), var_c)), 0.5)
    if full:
        loss = P.add(loss, 0.5 * math.log(2 * math.pi))
    return reduce_loss(where, loss, reduction)
