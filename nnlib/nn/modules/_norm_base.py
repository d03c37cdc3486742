r"""What the normalisation layers share: argument checks and :class:`_NormBase`.

:class:`_NormBase` holds the per-channel scale :math:`\gamma` (``weight``), shift
:math:`\beta` (``bias``) and the running statistics of batch and instance normalisation,
as PyTorch's class of the same name does. The layers themselves are in ``batchnorm.py``,
``instancenorm.py`` and ``normalization.py``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlib._checks import error
from nnlib._tensor import Tensor
from nnlib.nn.modules.module import Module
from nnlib.nn.parameter import Parameter


def _dtype(dtype: Any) -> np.dtype:
    return np.dtype(np.float32 if dtype is None else dtype)


def _positive_int(where: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        error(where, f"{name} to be a positive integer", repr(value), f"pass e.g. {name}=4.")
    return int(value)


def _gamma_beta(
    module: Module, shape: int | tuple[int, ...], affine: bool, bias: bool, dt: np.dtype
) -> None:
    r"""Give ``module`` :math:`\gamma` (``weight``, ones) and :math:`\beta` (``bias``, zeros) of
    ``shape`` if ``affine`` (:math:`\beta` only if ``bias`` too); ``None`` for the others."""
    if affine:
        module.weight = Parameter(np.ones(shape, dtype=dt))
    else:
        module.register_parameter("weight", None)
    if affine and bias:
        module.bias = Parameter(np.zeros(shape, dtype=dt))
    else:
        module.register_parameter("bias", None)


def _check_dtype(module: Module, input: Tensor) -> None:
    """Refuse input whose dtype differs from the layer's, as PyTorch does (and Linear here)."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
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


class _NormBase(Module):
    r"""Per-channel :math:`\gamma`, :math:`\beta` and running statistics (PyTorch's name).

    Args:
        num_features: The number of channels ``C``.
        eps: Added to the variance.
        momentum: Weight of each new batch in the running averages (``None``: a
            cumulative average, for batch norm).
        affine: Learn :math:`\gamma` (``weight``, ones) and :math:`\beta` (``bias``,
            zeros), shape ``(C,)``.
        track_running_stats: Keep ``running_mean`` (zeros), ``running_var`` (ones) and
            ``num_batches_tracked`` buffers.
        dtype: The dtype of parameters and buffers (float32 by default).
        bias: With ``affine``, learn :math:`\beta` too (keyword only, default ``True``).
    """

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        self.num_features = _positive_int(type(self).__name__, "num_features", num_features)
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        dt = _dtype(dtype)
        _gamma_beta(self, self.num_features, affine, bias, dt)
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
        r"""Reset the running statistics and set :math:`\gamma = 1`, :math:`\beta = 0`."""
        self.reset_running_stats()
        if self.affine:
            self.weight.data[...] = 1
            if self.bias is not None:
                self.bias.data[...] = 0

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )
