r"""Instance normalisation layers: ``InstanceNorm1d`` and ``InstanceNorm2d``.

Each channel of each example is normalised over its own positions (length, or height and
width); the maths is :func:`nnlib.nn.functional.instance_norm`. Unlike batch
normalisation, PyTorch's defaults learn no :math:`\gamma, \beta` (``affine=False``) and
keep no running statistics (``track_running_stats=False``).
"""

from __future__ import annotations

import warnings
from typing import Any

from nnlib._checks import shape_str
from nnlib._tensor import Tensor
from nnlib.nn.functional import normalization as NF
from nnlib.nn.modules._norm_base import _check_dtype, _NormBase

__all__ = ["InstanceNorm1d", "InstanceNorm2d"]


class _InstanceNorm(_NormBase):
    """Instance normalisation for any layout; subclasses say how many dimensions."""

    _no_batch_dim: int = 0
    _layout: str = ""

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = False,
        track_running_stats: bool = False,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__(
            num_features, eps, momentum, affine, track_running_stats, dtype, bias=bias
        )

    def forward(self, input: Tensor) -> Tensor:
        _check_dtype(self, input)
        name, c, k = type(self).__name__, self.num_features, self._no_batch_dim
        shape = input.data.shape
        if input.data.ndim not in (k, k + 1):
            raise ValueError(
                f"expected {k}D or {k + 1}D input (got {input.data.ndim}D input)\n"
                f"help: {name} takes {self._layout} (with or without the batch dimension)"
                + (f"; for (N, C, L) use InstanceNorm1d({shape[1]})." if k == 3 else ".")
            )
        feature_dim = input.data.ndim - k
        if shape[feature_dim] != c:
            if self.affine or self.track_running_stats:
                raise ValueError(
                    f"expected input's size at dim={feature_dim} to match num_features ({c}), "
                    f"but got: {shape[feature_dim]}.\nhelp: the layer was built as {name}({c})"
                    f" for input {shape_str(shape)}; build it as {name}({shape[feature_dim]})."
                )
            warnings.warn(
                f"input's size at dim={feature_dim} does not match num_features. You can "
                "silence this warning by not passing in num_features, which is not used "
                "because affine=False",
                stacklevel=2,
            )
        batched = input if input.data.ndim == k + 1 else input.unsqueeze(0)
        out = NF.instance_norm(
            batched,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            use_input_stats=self.training or not self.track_running_stats,
            momentum=self.momentum if self.momentum is not None else 0.0,
            eps=self.eps,
        )
        return out if batched is input else out.squeeze(0)


class InstanceNorm1d(_InstanceNorm):
    r"""Instance normalisation over ``(N, C, L)``: each channel of each example on its own.

    .. math::

        y_{n,c} = \frac{x_{n,c} - \mathrm{E}[x_{n,c}]}{\sqrt{\mathrm{Var}[x_{n,c}]
        + \varepsilon}} \cdot \gamma_c + \beta_c

    with the mean and (biased) variance over the ``L`` positions of channel ``c`` of
    example ``n``. The same in training and evaluation unless ``track_running_stats``:
    then training updates running averages of the per-instance statistics (momentum
    :math:`m`; ``momentum=None`` freezes them, as in PyTorch), and evaluation uses them.

    Args:
        num_features: The number of channels ``C``.
        eps: Added to the variance.
        momentum: :math:`m`, the weight of each new batch in the running averages.
        affine: Learn :math:`\gamma` (ones) and :math:`\beta` (zeros); default ``False``.
        track_running_stats: Keep running statistics for evaluation; default ``False``.
        dtype: The dtype of parameters and buffers (float32 by default).
        bias: With ``affine``, learn :math:`\beta` too (keyword only, default ``True``).

    Shape:
        - Input: ``(N, C, L)`` or ``(C, L)``.
        - Output: the input's shape.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> norm = nn.InstanceNorm1d(2)
        >>> norm(nnlib.tensor([[[1.0, 3.0], [10.0, 0.0]]]))
        tensor([[[-1.,  1.],
                 [ 1., -1.]]])
        >>> norm.weight is None, norm.running_mean is None  # PyTorch's defaults
        (True, True)

    Taught in chapter 6 (Normalization).
    """

    _no_batch_dim = 2
    _layout = "(N, C, L) or (C, L)"


class InstanceNorm2d(_InstanceNorm):
    r"""Instance normalisation over ``(N, C, H, W)``: each channel of each image on its own.

    .. math::

        y_{n,c} = \frac{x_{n,c} - \mathrm{E}[x_{n,c}]}{\sqrt{\mathrm{Var}[x_{n,c}]
        + \varepsilon}} \cdot \gamma_c + \beta_c

    with the mean and (biased) variance over the ``H × W`` positions of channel ``c`` of
    image ``n`` (the contrast of each feature map, removed: the layer of style transfer).

    It takes the same arguments as :class:`InstanceNorm1d` (``num_features``, ``eps``,
    ``momentum``, ``affine``, ``track_running_stats``, ``dtype`` and keyword-only
    ``bias``), with the same defaults.

    Shape:
        - Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        - Output: the input's shape.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> norm = nn.InstanceNorm2d(1, affine=True)
        >>> norm(nnlib.tensor([[[[1.0, 3.0], [1.0, 3.0]]]]))
        tensor([[[[-1.,  1.],
                  [-1.,  1.]]]], grad_fn=<NativeGroupNormBackward>)

    Taught in chapter 6 (Normalization).
    """

    _no_batch_dim = 3
    _layout = "(N, C, H, W) or (C, H, W)"
