r"""Normalisation as functions: ``batch_norm``, ``instance_norm``, ``layer_norm``, ``group_norm``.

All four compute :math:`\hat x = (x - \mu)/\sqrt{\sigma^2 + \varepsilon}` and
:math:`y = \gamma \hat x + \beta`; they differ only in the axes :math:`\mu` and
:math:`\sigma^2` are taken over (the batch for batch norm, the features of one example for
layer norm, groups of channels of one example for group norm, one channel of one example
for instance norm, which is group norm with a group per channel). Each is one graph node with
the closed-form backward rule: with :math:`\hat g = \gamma\, \partial L/\partial y` and
:math:`m` elements per normalised group,

.. math::

    \frac{\partial L}{\partial x} = \frac{1}{m \sqrt{\sigma^2 + \varepsilon}}
    \left( m\,\hat g - \sum \hat g - \hat x \sum \hat g\, \hat x \right)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nnlib._checks import error, shape_str
from nnlib._tensor import Tensor, from_op
from nnlib.nn.functional._norm_common import (
    _affine,
    _check_channel_params,
    _check_param,
    _input_grad,
    _normalize,
    _param_grads,
    _parents,
    _update_running,
)

__all__ = ["batch_norm", "group_norm", "instance_norm", "layer_norm"]


def layer_norm(
    input: Tensor,
    normalized_shape: int | Sequence[int],
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    r"""Layer normalisation: normalise each example over its last dimensions.

    .. math::

        y = \frac{x - \mathrm{E}[x]}{\sqrt{\mathrm{Var}[x] + \varepsilon}} \cdot \gamma + \beta

    with mean and (biased) variance over the last ``len(normalized_shape)`` dimensions. It
    does not depend on the batch, so training and evaluation compute the same thing.

    Args:
        input: Shape ``(*, *normalized_shape)``.
        normalized_shape: The trailing shape to normalise over, e.g. ``64`` or ``(8, 8)``.
        weight: Optional :math:`\gamma` of shape ``normalized_shape``.
        bias: Optional :math:`\beta` of shape ``normalized_shape``.
        eps: Added to the variance.

    Returns:
        A tensor of the input's shape.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.layer_norm(nnlib.tensor([[1.0, 3.0]]), 2)
        tensor([[-1.,  1.]])

    Taught in chapter 6 (Normalization).
    """
    where = "layer_norm"
    shape = tuple(int(s) for s in np.atleast_1d(normalized_shape))
    x = input.data
    k = len(shape)
    if x.ndim < k or tuple(x.shape[x.ndim - k :]) != shape:
        error(
            where,
            f"input whose last dimensions are normalized_shape {shape_str(shape)}",
            f"shape {shape_str(x.shape)}",
            f"normalized_shape must be the trailing part of the input's shape, e.g. "
            f"{shape_str(x.shape[-1:])} for the last dimension.",
        )
    _check_param(where, "weight", weight, shape)
    _check_param(where, "bias", bias, shape)
    axes = tuple(range(x.ndim - k, x.ndim))
    lead = tuple(range(x.ndim - k))
    x_hat, inv_std, _, _ = _normalize(x, axes, eps)
    out = _affine(x_hat, weight, bias, shape)

    def backward(g: np.ndarray) -> list[np.ndarray | None]:
        gx = None
        if input.requires_grad:
            g_hat = g * weight.data if weight is not None else g
            gx = _input_grad(g_hat, x_hat, inv_std, axes)
        return [gx, *_param_grads(g, x_hat, weight, bias, lead)]

    return from_op(out, _parents(input, weight, bias), backward, "NativeLayerNormBackward")


def batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    r"""Batch normalisation: normalise each channel over the batch (and length) axes.

    .. math::

        y = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \varepsilon}} \cdot \gamma + \beta

    In training, :math:`\mu_B` and :math:`\sigma_B^2` (biased) come from the batch, and the
    running statistics are updated in place with the *unbiased* batch variance, as PyTorch:
    :math:`r \leftarrow (1 - \text{momentum})\, r + \text{momentum}\, s`. In evaluation
    (``training=False``) the running statistics are used instead, so one example at a time
    gives the same answer as a batch.

    Args:
        input: Shape ``(N, C)`` or ``(N, C, L, ...)``.
        running_mean: Running mean of shape ``(C,)``, updated in place when training (may be
            ``None`` when training).
        running_var: Running variance of shape ``(C,)``, likewise.
        weight: Optional :math:`\gamma`, shape ``(C,)``.
        bias: Optional :math:`\beta`, shape ``(C,)``.
        training: Use batch statistics (and update the running ones).
        momentum: Weight of the new batch in the running averages.
        eps: Added to the variance.

    Returns:
        A tensor of the input's shape.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> mean, var = nnlib.zeros(1), nnlib.ones(1)
        >>> F.batch_norm(nnlib.tensor([[1.0], [3.0]]), mean, var, training=True)
        tensor([[-1.],
                [ 1.]])
        >>> mean, var
        (tensor([0.2]), tensor([1.1]))

    Taught in chapter 6 (Normalization).
    """
    where = "batch_norm"
    x = input.data
    if x.ndim < 2:
        error(
            where,
            "input of shape (N, C) or (N, C, L)",
            f"shape {shape_str(x.shape)}",
            "add a batch dimension, e.g. x.unsqueeze(0) — and use eval mode for one example.",
        )
    c = x.shape[1]
    shape = (1, c) + (1,) * (x.ndim - 2)
    _check_channel_params(where, c, running_mean, running_var, weight, bias)
    axes = (0, *range(2, x.ndim))
    n = x.size // c if c else 0
    if training and n <= 1:
        error(
            where,
            "more than 1 value per channel when training",
            f"input of shape {shape_str(x.shape)}",
            "use batches of at least 2 examples, or call model.eval() to predict one example "
            "at a time with the running statistics.",
        )
    if training:
        x_hat, inv_std, mean, var = _normalize(x, axes, eps)
        _update_running(running_mean, mean, momentum)
        _update_running(running_var, var * (n / (n - 1)), momentum)
    else:
        if running_mean is None or running_var is None:
            error(
                where,
                "running_mean and running_var in evaluation mode",
                "None",
                "pass training=True to use the batch's statistics instead.",
            )
        mu = running_mean.data.reshape(shape)
        inv_std = 1.0 / np.sqrt(running_var.data.reshape(shape) + eps)
        x_hat = (x - mu) * inv_std
    x_hat = x_hat.astype(x.dtype, copy=False)
    out = _affine(x_hat, weight, bias, shape)

    def backward(g: np.ndarray) -> list[np.ndarray | None]:
        gx = None
        if input.requires_grad:
            g_hat = g * weight.data.reshape(shape) if weight is not None else g
            if training:
                gx = _input_grad(g_hat, x_hat, inv_std, axes)
            else:  # a fixed affine map per channel
                gx = g_hat * inv_std
            gx = gx.astype(x.dtype, copy=False)
        return [gx, *_param_grads(g, x_hat, weight, bias, axes)]

    return from_op(out, _parents(input, weight, bias), backward, "NativeBatchNormBackward")


def group_norm(
    input: Tensor,
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    r"""Group normalisation: normalise each example over groups of channels.

    The ``C`` channels are split into ``num_groups`` groups of ``C / num_groups``
    consecutive channels; mean and (biased) variance are taken over each group (and the
    length axes) of one example, then :math:`\gamma` and :math:`\beta` act per channel. One
    group is layer norm over ``(C, L)``; ``C`` groups is instance norm. Like layer norm it
    does not depend on the batch size.

    .. math::

        y_{n,c} = \frac{x_{n,c} - \mu_{n,g(c)}}{\sqrt{\sigma^2_{n,g(c)} + \varepsilon}}
        \cdot \gamma_c + \beta_c

    Args:
        input: Shape ``(N, C)`` or ``(N, C, L, ...)``, with ``C`` divisible by ``num_groups``.
        num_groups: The number of groups.
        weight: Optional :math:`\gamma`, shape ``(C,)``.
        bias: Optional :math:`\beta`, shape ``(C,)``.
        eps: Added to the variance.

    Returns:
        A tensor of the input's shape.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.group_norm(nnlib.tensor([[1.0, 3.0, 0.0, 4.0]]), 2)
        tensor([[-1.,  1., -1.,  1.]])

    Taught in chapter 6 (Normalization).
    """
    where = "group_norm"
    x = input.data
    if x.ndim < 2:
        error(
            where,
            "input of shape (N, C) or (N, C, L)",
            f"shape {shape_str(x.shape)}",
            "add a batch dimension, e.g. x.unsqueeze(0).",
        )
    n, c = x.shape[0], x.shape[1]
    if num_groups <= 0 or c % num_groups:
        error(
            where,
            f"a number of channels divisible by num_groups={num_groups}",
            f"{c} channels",
            "choose num_groups among the divisors of the channel count: "
            + ", ".join(str(d) for d in range(1, c + 1) if c % d == 0)
            + ".",
        )
    _check_param(where, "weight", weight, (c,))
    _check_param(where, "bias", bias, (c,))
    shape = (1, c) + (1,) * (x.ndim - 2)
    grouped = x.reshape(n, num_groups, -1)
    x_hat_g, inv_std, _, _ = _normalize(grouped, (2,), eps)
    x_hat = x_hat_g.reshape(x.shape)
    out = _affine(x_hat, weight, bias, shape)
    axes = (0, *range(2, x.ndim))

    def backward(g: np.ndarray) -> list[np.ndarray | None]:
        gx = None
        if input.requires_grad:
            g_hat = g * weight.data.reshape(shape) if weight is not None else g
            gx = _input_grad(g_hat.reshape(grouped.shape), x_hat_g, inv_std, (2,))
            gx = gx.reshape(x.shape)
        return [gx, *_param_grads(g, x_hat, weight, bias, axes)]

    return from_op(out, _parents(input, weight, bias), backward, "NativeGroupNormBackward")


def instance_norm(
    input: Tensor,
    running_mean: Tensor | None = None,
    running_var: Tensor | None = None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    r"""Instance normalisation: normalise each channel of each example over its positions.

    .. math::

        y_{n,c} = \frac{x_{n,c} - \mu_{n,c}}{\sqrt{\sigma^2_{n,c} + \varepsilon}}
        \cdot \gamma_c + \beta_c

    with mean and (biased) variance over the length (or height and width) axes of one
    channel of one example: group normalisation with one group per channel, computed by
    :func:`group_norm`. With running statistics given and ``use_input_stats``, they are
    updated in place with the batch average of the per-instance means and *unbiased*
    variances; with ``use_input_stats=False`` the running statistics are used instead,
    as :func:`batch_norm` does in evaluation.

    Args:
        input: Shape ``(N, C, L)`` or ``(N, C, H, W)``.
        running_mean: Optional running mean of shape ``(C,)``, updated in place.
        running_var: Optional running variance of shape ``(C,)``, likewise.
        weight: Optional :math:`\gamma`, shape ``(C,)``.
        bias: Optional :math:`\beta`, shape ``(C,)``.
        use_input_stats: Normalise with each instance's own statistics (default).
        momentum: Weight of the new batch in the running averages.
        eps: Added to the variance.

    Returns:
        A tensor of the input's shape.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.instance_norm(nnlib.tensor([[[1.0, 3.0], [0.0, -4.0]]]))
        tensor([[[-1.,  1.],
                 [ 1., -1.]]])

    Taught in chapter 6 (Normalization).
    """
    where = "instance_norm"
    x = input.data
    if x.ndim < 3:
        error(
            where,
            "input of shape (N, C, L) or (N, C, H, W)",
            f"shape {shape_str(x.shape)}",
            "instance norm needs positions to average over; for (N, C) features use "
            "layer_norm or batch_norm.",
        )
    n, c = x.shape[0], x.shape[1]
    _check_channel_params(where, c, running_mean, running_var, weight, bias)
    if not use_input_stats:
        if running_mean is None or running_var is None:
            error(
                where,
                "running_mean and running_var with use_input_stats=False",
                "None",
                "pass use_input_stats=True to use each instance's own statistics.",
            )
        return batch_norm(input, running_mean, running_var, weight, bias, False, 0.0, eps)
    per_instance = x.reshape(n, c, -1)
    if per_instance.shape[2] <= 1:
        error(
            where,
            "more than 1 spatial element when training",
            f"input of shape {shape_str(x.shape)}",
            "each channel needs at least 2 positions to have a mean and a variance.",
        )
    if running_mean is not None or running_var is not None:
        _update_running(running_mean, per_instance.mean(axis=2).mean(axis=0), momentum)
        _update_running(running_var, per_instance.var(axis=2, ddof=1).mean(axis=0), momentum)
    return group_norm(input, c, weight, bias, eps)
