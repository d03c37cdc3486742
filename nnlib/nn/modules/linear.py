r"""The fully connected layer ``Linear``, plus ``Identity`` (as in ``torch/nn/modules/linear.py``).

Taught in chapter 1 (the perceptron and the artificial neuron).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from nnlib._checks import error, shape_str
from nnlib._tensor import Tensor
from nnlib.nn import init
from nnlib.nn.modules.module import Module
from nnlib.nn.parameter import Parameter
from nnlib.ops.linalg import linear

__all__ = ["Identity", "Linear"]


def _check_count(where: str, name: str, value: Any) -> int:
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        error(where, f"{name} to be a non-negative integer", repr(value),
              f"pass the number of {name.replace('_', ' ')}, e.g. 2.")  # fmt: skip
    return int(value)


def affine_parameters(
    module: Module, in_features: int, units: int, bias: bool, dtype: np.dtype
) -> None:
    """Give ``module`` a weight ``(units, in_features)`` and, if ``bias``, a bias ``(units,)``,
    drawn by its ``reset_parameters`` (``nn.Linear``'s and ``nn.Maxout``'s)."""
    module.weight = Parameter(np.empty((units, in_features), dtype=dtype))
    if bias:
        module.bias = Parameter(np.empty(units, dtype=dtype))
    else:
        module.register_parameter("bias", None)
    module.reset_parameters()


def reset_affine(weight: Tensor, bias: Tensor | None, in_features: int) -> None:
    r"""PyTorch's default initialisation of ``x W^T + b``: both :math:`U(\pm 1/\sqrt{in})`."""
    init.kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        bound = 1 / math.sqrt(in_features) if in_features > 0 else 0.0
        init.uniform_(bias, -bound, bound)


class Linear(Module):
    r"""A fully connected layer: :math:`y = x W^\top + b`.

    Every output unit is a neuron: a weighted sum of all inputs plus a bias. The weights
    start as PyTorch's do (``kaiming_uniform_`` with ``a=sqrt(5)``), which is
    :math:`W_{ij}, b_i \sim U\bigl(-1/\sqrt{\text{in}}, 1/\sqrt{\text{in}}\bigr)`.

    Args:
        in_features: The size of each input, :math:`\text{in}`.
        out_features: The size of each output, :math:`\text{out}`.
        bias: Learn an additive bias (default ``True``).
        dtype: The parameters' dtype, ``nnlib.float32`` by default (``nnlib.float64`` to
            compare with PyTorch in double precision).

    Attributes:
        weight: Parameter of shape ``(out_features, in_features)``.
        bias: Parameter of shape ``(out_features,)``, or ``None``.

    Shape:
        - Input: ``(*, in_features)``, e.g. a batch ``(N, in_features)``.
        - Output: ``(*, out_features)``.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> layer = nn.Linear(5, 3)
        >>> layer
        Linear(in_features=5, out_features=3, bias=True)
        >>> layer.weight.shape, layer(nnlib.randn(2, 5)).shape
        ((3, 5), (2, 3))

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, dtype: Any = None
    ) -> None:
        super().__init__()
        self.in_features = _check_count("Linear", "in_features", in_features)
        self.out_features = _check_count("Linear", "out_features", out_features)
        dtype = np.dtype(np.float32 if dtype is None else dtype)
        if not isinstance(bias, (bool, np.bool_)):
            error(
                "Linear",
                "bias=True or bias=False (whether the layer has a bias)",
                f"a {type(bias).__name__}",
                "bias says whether to learn one; to set its values, build the layer, then "
                "layer.bias.data[...] = b. PyTorch refuses this too.",
                TypeError,
            )
        affine_parameters(self, self.in_features, self.out_features, bias, dtype)

    def reset_parameters(self) -> None:
        """Draw fresh weights and bias with PyTorch's default initialisation."""
        reset_affine(self.weight, self.bias, self.in_features)

    def forward(self, input: Tensor) -> Tensor:
        """Apply :math:`x W^\\top + b` to the last dimension of ``input``."""
        weight, bias = self.weight, self.bias  # one lookup each: this is the hot path
        x = input.data
        if not x.shape or x.shape[-1] != self.in_features:
            error(
                "Linear.forward",
                f"input with {self.in_features} features in its last dimension",
                f"shape {shape_str(x.shape)}",
                f"the layer was built as Linear(in_features={self.in_features}, ...); pass "
                f"inputs of shape (N, {self.in_features}).",
            )
        if x.dtype != weight.data.dtype:
            error(
                "Linear.forward",
                f"input of dtype {weight.data.dtype} (the layer's dtype)",
                f"dtype {x.dtype}",
                "the input holds integers: convert it to floats, x = x.float() (or build it "
                "with nnlib.tensor(X, dtype=nnlib.float32)); PyTorch refuses it too."
                if x.dtype.kind != "f"
                else f"convert one of them, e.g. x.{_method(weight.data.dtype)}() or "
                f"layer.{_method(x.dtype)}(); PyTorch refuses mixed dtypes too.",
                TypeError,
            )
        return linear(input, weight, bias)

    def extra_repr(self) -> str:
        """``in_features=…, out_features=…, bias=…``, as PyTorch prints it."""
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


def _method(dtype: np.dtype) -> str:
    return {"float32": "float", "float64": "double"}.get(str(dtype), f"to(nnlib.{dtype})")


class Identity(Module):
    """A layer that returns its input unchanged: a placeholder, e.g. for a removed layer.

    Any constructor arguments are accepted and ignored, as in PyTorch.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> nn.Identity()(nnlib.tensor([1.0, 2.0]))
        tensor([1., 2.])

    Taught in chapter 1 (the perceptron and the artificial neuron) and chapter 8 (vanishing
    and exploding gradients).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        """Return ``input``."""
        return input
