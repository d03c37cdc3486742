r"""Batch normalisation layers: ``BatchNorm1d`` and ``BatchNorm2d``.

They normalise each channel with the statistics of the batch in training mode and with
running estimates in evaluation mode; the maths is :func:`nnlib.nn.functional.batch_norm`.
"""

from __future__ import annotations

from nnlib._checks import error, shape_str
from nnlib._tensor import Tensor
from nnlib.nn.functional import normalization as NF
from nnlib.nn.modules._norm_base import _check_dtype, _NormBase

__all__ = ["BatchNorm1d", "BatchNorm2d"]


class _BatchNorm(_NormBase):
    """Batch normalisation for any layout; subclasses check the number of dimensions."""

    def _check_input_dim(self, input: Tensor) -> None:
        raise NotImplementedError

    def forward(self, input: Tensor) -> Tensor:
        _check_dtype(self, input)
        self._check_input_dim(input)
        c = self.num_features
        shape = input.data.shape
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
                type(self).__name__,
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


class BatchNorm1d(_BatchNorm):
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
        bias: With ``affine``, learn :math:`\beta` too (keyword only, default ``True``).

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
        BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)

    Taught in chapter 6 (Normalization).
    """

    def _check_input_dim(self, input: Tensor) -> None:
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
            elif input.data.ndim == 4:
                hint = f"for images (N, C, H, W) use BatchNorm2d({shape[1]})."
            error(
                "BatchNorm1d",
                f"input of shape (N, {c}) or (N, {c}, L)",
                f"shape {shape_str(shape)}",
                hint,
            )


class BatchNorm2d(_BatchNorm):
    r"""Batch normalisation over ``(N, C, H, W)`` images, one statistic per channel.

    .. math::

        y = \frac{x - \mathrm{E}[x]}{\sqrt{\mathrm{Var}[x] + \varepsilon}} \cdot \gamma + \beta

    with the mean and variance of each channel taken over the batch *and* every position
    :math:`(N, H, W)`. As :class:`BatchNorm1d`: batch statistics in training mode (the
    running estimates updated with momentum :math:`m`, or a cumulative average when
    ``momentum=None``), running estimates in evaluation mode, unless
    ``track_running_stats=False``.

    It takes the same arguments as :class:`BatchNorm1d` (``num_features``, ``eps``,
    ``momentum``, ``affine``, ``track_running_stats``, ``dtype`` and keyword-only
    ``bias``) and has the same parameters and buffers, each of shape ``(C,)``.

    Shape:
        - Input: ``(N, C, H, W)``.
        - Output: the input's shape.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> bn = nn.BatchNorm2d(2)
        >>> x = nnlib.tensor([[[[1.0, 3.0]], [[10.0, 30.0]]]])  # (N, C, H, W) = (1, 2, 1, 2)
        >>> bn(x).shape, bn.running_mean
        ((1, 2, 1, 2), tensor([0.2, 2. ]))

    Taught in chapter 6 (Normalization).
    """

    def _check_input_dim(self, input: Tensor) -> None:
        c = self.num_features
        shape = input.data.shape
        if input.data.ndim != 4 or shape[1] != c:
            hint = f"the layer was built as BatchNorm2d({c}); pass (N, {c}, H, W)."
            if input.data.ndim == 4 and shape[3] == c:
                hint = "channels come second in PyTorch's layout: use x.permute(0, 3, 1, 2)."
            elif input.data.ndim == 3 and shape[0] == c:
                hint = f"add a batch dimension: x.unsqueeze(0) gives (1, {c}, H, W)."
            elif input.data.ndim in (2, 3):
                hint = f"for (N, C) or (N, C, L) use BatchNorm1d({shape[1]})."
            elif input.data.ndim == 4:
                hint += f" Or build the layer as BatchNorm2d({shape[1]})."
            error(
                "BatchNorm2d",
                f"input of shape (N, {c}, H, W)",
                f"shape {shape_str(shape)}",
                hint,
            )
