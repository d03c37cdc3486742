r"""Normalisation layers over one example's features: ``LayerNorm`` and ``GroupNorm``.

They hold the learnable scale :math:`\gamma` (``weight``) and shift :math:`\beta`
(``bias``); the maths is in :mod:`nnlib.nn.functional.normalization`. Batch and instance
normalisation are in ``batchnorm.py`` and ``instancenorm.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from nnlib._checks import error, shape_str
from nnlib._tensor import Tensor
from nnlib.nn.functional import normalization as NF
from nnlib.nn.modules._norm_base import _check_dtype, _dtype, _gamma_beta, _positive_int
from nnlib.nn.modules.module import Module

__all__ = ["GroupNorm", "LayerNorm"]


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

    Taught in chapter 6 (Normalization).
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
            normalized_shape = (normalized_shape,)  # type: ignore[assignment]  # np.ndim == 0: one number (an int or not, _positive_int says)
        self.normalized_shape = tuple(
            _positive_int("LayerNorm", "normalized_shape", s)
            for s in normalized_shape  # type: ignore[union-attr]  # a sequence after the line above
        )
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        self._has_bias = bias
        _gamma_beta(self, self.normalized_shape, elementwise_affine, bias, _dtype(dtype))

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

    Taught in chapter 6 (Normalization).
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
        _gamma_beta(self, num_channels, affine, bias, _dtype(dtype))

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
