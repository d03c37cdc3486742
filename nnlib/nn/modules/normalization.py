r"""Normalisation layers: ``BatchNorm1d``, ``LayerNorm`` and ``GroupNorm``.

They hold the learnable scale :math:`\gamma` (``weight``) and shift :math:`\beta`
(``bias``), and ``BatchNorm1d`` the running statistics it uses in evaluation mode; the
maths is in :mod:`nnlib.nn.functional.normalization`.

Taught in chapter 6 (normalization).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from nnlib._checks import error, shape_str
from nnlib._tensor import Tensor
from nnlib.nn.functional import normalization as NF
from nnlib.nn.modules.module import Module
from nnlib.nn.parameter import Parameter

__all__ = ["BatchNorm1d", "GroupNorm", "LayerNorm"]


def _dtype(dtype: Any) -> np.dtype:
    return np.dtype(np.float32 if dtype is None else dtype)


def _positive_int(where: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        error(where, f"{name} to be a positive integer", repr(value), f"pass e.g. {name}=4.")
    return int(value)


def _check_dtype(module: Module, input: Tensor) -> None:
    """Refuse input whose dtype differs from the layer's, as PyTorch does (and Linear here)."""
    own = next((t for t in (*module._parameters.values(), *module._buffers.values())
                if t is not None and t.data.dtype.kind == "f"), None)  # fmt: skip
    if own is not None and input.data.dtype != own.data.dtype:
        name = type(module).__name__
        fix = {"float32": "float", "float64": "double"}.get(str(own.data.dtype), "float")
        error(
            f"{name}.forward",
            f"input of dtype {own.data.dtype} (the layer's dtype)",
            f"dtype {input.data.dtype}",
            f"convert the input, x.{fix}(), or the whole model, model.double() for float64; "
            "PyTorch refuses mixed dtypes too.",
            TypeError,
        )


class BatchNorm1d(Module):
    r"""Batch normalisation over ``(N, C)`` or ``(N, C, L)`` input, one statistic per channel.

    .. math::

        y = \frac{x - \mathrm{E}[x]}{\sqrt{\mathrm{Var}[x] + \varepsilon}} \cdot \gamma + \beta

    In training mode the mean and (biased) variance come from the current batch, and the
    running estimates are updated: :math:`\hat\mu \leftarrow (1 - m)\hat\mu + m\,\mu_B`
    (and likewise for the variance, with the unbiased batch variance). In evaluation mode
    (``model.eval()``) the running estimates are used, so predictions do not depend on the
    rest of the batch.

    Args:
        num_features: The number of channels ``C``.
        eps: Added to the variance.
        momentum: :math:`m`, the weight of each new batch in the running averages; ``None``
            for a plain cumulative average over all batches seen.
        affine: Learn :math:`\gamma` (``weight``, ones) and :math:`\beta` (``bias``, zeros).
        track_running_stats: Keep running estimates; if ``False``, batch statistics are
            used in evaluation mode too.
        dtype: The dtype of parameters and buffers (float32 by default).

    Attributes:
        weight: :math:`\gamma`, a parameter of shape ``(C,)`` (``None`` without ``affine``).
        bias: :math:`\beta`, a parameter of shape ``(C,)`` (``None`` without ``affine``).
        running_mean: Buffer of shape ``(C,)``, zeros at first.
        running_var: Buffer of shape ``(C,)``, ones at first.
        num_batches_tracked: Buffer counting the training batches seen.

    Shape:
        - Input: ``(N, C)`` or ``(N, C, L)``; ``N > 1`` in training mode.
        - Output: the input's shape.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> bn = nn.BatchNorm1d(2)
        >>> y = bn(nnlib.tensor([[1.0, 10.0], [3.0, 30.0]]))
        >>> bn.running_mean
        tensor([0.2, 2. ])
        >>> bn
        BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)

    Taught in chapter 6 (normalization).
    """

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.num_features = _positive_int("BatchNorm1d", "num_features", num_features)
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        dt = _dtype(dtype)
        if affine:
            self.weight = Parameter(np.ones(self.num_features, dtype=dt))
            self.bias = Parameter(np.zeros(self.num_features, dtype=dt))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(self.num_features, dtype=dt)))
            self.register_buffer("running_var", Tensor(np.ones(self.num_features, dtype=dt)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, dtype=np.int64)))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)

    def reset_running_stats(self) -> None:
        """Forget the running statistics (zeros, ones and a count of 0)."""
        if self.track_running_stats:
            self.running_mean.data[...] = 0
            self.running_var.data[...] = 1
            self.num_batches_tracked.data[...] = 0

    def reset_parameters(self) -> None:
        """Reset the running statistics and set :math:`\\gamma = 1`, :math:`\\beta = 0`."""
        self.reset_running_stats()
        if self.affine:
            self.weight.data[...] = 1
            self.bias.data[...] = 0

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, track_running_stats={self.track_running_stats}"
        )

    def forward(self, input: Tensor) -> Tensor:
        _check_dtype(self, input)
        c = self.num_features
        shape = input.data.shape
        if input.data.ndim not in (2, 3) or shape[1] != c:
            hint = f"the layer was built as BatchNorm1d({c}); pass (N, {c}) or (N, {c}, L)."
            if input.data.ndim == 3 and shape[2] == c:
                hint = "channels come second in PyTorch's layout: use x.transpose(1, 2)."
            elif input.data.ndim == 1:
                hint = f"add a batch dimension: x.reshape(1, {c}), and use eval mode for it."
            elif input.data.ndim == 2:
                hint += f" Or build the layer as BatchNorm1d({shape[1]})."
            error(
                "BatchNorm1d",
                f"input of shape (N, {c}) or (N, {c}, L)",
                f"shape {shape_str(shape)}",
                hint,
            )
        use_batch = self.training or not self.track_running_stats
        if use_batch and input.data.size // c <= 1:
            hint = (
                "the batch statistics of one example are meaningless: use batches of at "
                "least 2, or call model.eval() to predict one example with the running "
                "statistics."
            )
            if not self.training:
                hint = (
                    "this layer was built with track_running_stats=False, so it always "
                    "normalises with batch statistics: pass at least 2 examples."
                )
            error(
                "BatchNorm1d",
                "more than 1 value per channel when training",
                f"input of shape {shape_str(shape)}",
                hint,
            )
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.data += 1
            if self.momentum is None:  # cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked.data)
        keep = not self.training or self.track_running_stats
        return NF.batch_norm(
            input,
            self.running_mean if keep else None,
            self.running_var if keep else None,
            self.weight,
            self.bias,
            training=use_batch,
            momentum=factor,
            eps=self.eps,
        )


class LayerNorm(Module):
    r"""Layer normalisation over the last dimensions of each example.

    .. math::

        y = \frac{x - \mathrm{E}[x]}{\sqrt{\mathrm{Var}[x] + \varepsilon}} \cdot \gamma + \beta

    The statistics come from one example's features only, so it behaves the same in
    training and evaluation and for any batch size.

    Args:
        normalized_shape: The trailing shape to normalise over, e.g. ``64`` or ``(8, 8)``.
        eps: Added to the variance.
        elementwise_affine: Learn :math:`\gamma` (ones) and :math:`\beta` (zeros) of shape
            ``normalized_shape``.
        bias: Learn :math:`\beta` too (with ``elementwise_affine``).
        dtype: The dtype of the parameters (float32 by default).

    Shape:
        - Input: ``(*, *normalized_shape)``.
        - Output: the input's shape.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> ln = nn.LayerNorm(2)
        >>> ln(nnlib.tensor([[1.0, 3.0], [0.0, -5.0]]))
        tensor([[-1.,  1.],
                [ 1., -1.]], grad_fn=<NativeLayerNormBackward>)

    Taught in chapter 6 (normalization).
    """

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        if np.ndim(normalized_shape) == 0:
            normalized_shape = (normalized_shape,)  # type: ignore[assignment]
        self.normalized_shape = tuple(
            _positive_int("LayerNorm", "normalized_shape", s)
            for s in normalized_shape  # type: ignore[union-attr]
        )
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        self._has_bias = bias
        dt = _dtype(dtype)
        if elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape, dtype=dt))
        else:
            self.register_parameter("weight", None)
        if elementwise_affine and bias:
            self.bias = Parameter(np.zeros(self.normalized_shape, dtype=dt))
        else:
            self.register_parameter("bias", None)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self._has_bias}"
        )

    def forward(self, input: Tensor) -> Tensor:
        _check_dtype(self, input)
        shape, k = input.data.shape, len(self.normalized_shape)
        if tuple(shape[len(shape) - k :]) != self.normalized_shape or len(shape) < k:
            error(
                "LayerNorm",
                f"input whose last dimensions are {shape_str(self.normalized_shape)}",
                f"shape {shape_str(shape)}",
                f"the layer was built as LayerNorm({self.normalized_shape}); build it with "
                f"LayerNorm({shape[-1] if shape else 1}) to normalise the last dimension.",
            )
        return NF.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)


class GroupNorm(Module):
    r"""Group normalisation: statistics over groups of channels of each example.

    .. math::

        y = \frac{x - \mathrm{E}[x]}{\sqrt{\mathrm{Var}[x] + \varepsilon}} \cdot \gamma + \beta

    with mean and variance over each group of ``num_channels / num_groups`` channels (and
    the length axes) of one example; :math:`\gamma, \beta` are per channel. One group is
    layer norm, one group per channel is instance norm.

    Args:
        num_groups: The number of groups; must divide ``num_channels``.
        num_channels: The number of channels ``C``.
        eps: Added to the variance.
        affine: Learn :math:`\gamma` (ones) and :math:`\beta` (zeros), shape ``(C,)``.
        bias: Learn :math:`\beta` too (with ``affine``).
        dtype: The dtype of the parameters (float32 by default).

    Shape:
        - Input: ``(N, C, *)``.
        - Output: the input's shape.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> gn = nn.GroupNorm(2, 4)
        >>> gn(nnlib.tensor([[1.0, 3.0, 0.0, 4.0]])).shape
        (1, 4)
        >>> gn
        GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)

    Taught in chapter 6 (normalization).
    """

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        bias: bool = True,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.num_groups = _positive_int("GroupNorm", "num_groups", num_groups)
        self.num_channels = _positive_int("GroupNorm", "num_channels", num_channels)
        if num_channels % num_groups:
            divisors = [d for d in range(1, num_channels + 1) if num_channels % d == 0]
            error(
                "GroupNorm",
                f"num_channels divisible by num_groups={num_groups}",
                f"num_channels={num_channels}",
                f"choose num_groups among {divisors}.",
            )
        self.eps = eps
        self.affine = affine
        self._has_bias = bias
        dt = _dtype(dtype)
        if affine:
            self.weight = Parameter(np.ones(num_channels, dtype=dt))
        else:
            self.register_parameter("weight", None)
        if affine and bias:
            self.bias = Parameter(np.zeros(num_channels, dtype=dt))
        else:
            self.register_parameter("bias", None)

    def extra_repr(self) -> str:
        return (
            f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
            f"bias={self._has_bias}"
        )

    def forward(self, input: Tensor) -> Tensor:
        _check_dtype(self, input)
        shape = input.data.shape
        if len(shape) < 2 or shape[1] != self.num_channels:
            error(
                "GroupNorm",
                f"input of shape (N, {self.num_channels}, *)",
                f"shape {shape_str(shape)}",
                f"the layer was built for {self.num_channels} channels, which come second "
                "(after the batch dimension).",
            )
        return NF.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)
