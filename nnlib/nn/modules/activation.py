r"""Activation layers: thin wrappers that call :mod:`nnlib.nn.functional`.

``PReLU`` and ``Maxout`` learn parameters; the others only remember their options.

Taught in chapter 3 (activation functions and output heads).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlib._checks import error, shape_str
from nnlib._tensor import Tensor
from nnlib.nn.functional import activation as F
from nnlib.nn.modules.linear import affine_parameters, reset_affine
from nnlib.nn.modules.module import Module
from nnlib.nn.parameter import Parameter
from nnlib.ops.linalg import linear

__all__ = [
    "GELU",
    "LeakyReLU",
    "LogSoftmax",
    "Maxout",
    "PReLU",
    "ReLU",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Tanh",
]


class ReLU(Module):
    r""":math:`\max(0, x)` element-wise; see :func:`nnlib.nn.functional.relu`.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> nn.ReLU()(nnlib.tensor([-1.0, 2.0]))
        tensor([0., 2.])

    Taught in chapter 3 (activation functions and output heads).
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        """Apply the activation."""
        return F.relu(input)


class LeakyReLU(Module):
    r""":math:`x` for :math:`x > 0`, else :math:`a x`; see :func:`nnlib.nn.functional.leaky_relu`.

    Args:
        negative_slope: The slope :math:`a` for negative inputs (default 0.01).

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> nn.LeakyReLU(0.1)
        LeakyReLU(negative_slope=0.1)
        >>> nn.LeakyReLU(0.1)(nnlib.tensor([-1.0, 2.0]))
        tensor([-0.1,  2. ])

    Taught in chapter 3 (activation functions and output heads).
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, input: Tensor) -> Tensor:
        """Apply the activation."""
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self) -> str:
        """``negative_slope=…``."""
        return f"negative_slope={self.negative_slope}"


class PReLU(Module):
    r"""A leaky ReLU whose negative slope is learned (He et al., 2015).

    :math:`\mathrm{PReLU}(x) = \max(0, x) + a \min(0, x)`; see
    :func:`nnlib.nn.functional.prelu`.

    Args:
        num_parameters: 1 (one slope shared by all units, the default) or the number of
            channels ``C`` (dimension 1 of the input), one slope each.
        init: The slopes' starting value (default 0.25).
        dtype: The parameter's dtype, ``nnlib.float32`` by default.

    Attributes:
        weight: Parameter of shape ``(num_parameters,)``, the slopes :math:`a`.

    Shape:
        - Input: ``(N, C, *)``, or any shape when ``num_parameters == 1``.
        - Output: the same shape.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> act = nn.PReLU()
        >>> act
        PReLU(num_parameters=1)
        >>> act(nnlib.tensor([-2.0, 3.0]))
        tensor([-0.5,  3. ], grad_fn=<PreluBackward>)

    Taught in chapter 3 (activation functions and output heads).
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, dtype: Any = None) -> None:
        super().__init__()
        if (
            isinstance(num_parameters, bool)
            or not isinstance(num_parameters, int)
            or (num_parameters < 1)
        ):
            error("PReLU", "num_parameters to be a positive integer", repr(num_parameters),
                  "use 1 for one shared slope or the number of channels.")  # fmt: skip
        self.num_parameters = num_parameters
        dtype = np.float32 if dtype is None else dtype
        self.weight = Parameter(np.full(num_parameters, init, dtype=dtype))

    def forward(self, input: Tensor) -> Tensor:
        """Apply the activation with the current slopes."""
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        """``num_parameters=…``."""
        return f"num_parameters={self.num_parameters}"


class Sigmoid(Module):
    r"""The logistic function :math:`1/(1+e^{-x})`; see :func:`nnlib.nn.functional.sigmoid`.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> nn.Sigmoid()(nnlib.tensor([0.0]))
        tensor([0.5])

    Taught in chapter 3 (activation functions and output heads).
    """

    def forward(self, input: Tensor) -> Tensor:
        """Apply the activation."""
        return F.sigmoid(input)


class Tanh(Module):
    r""":math:`\tanh x`; see :func:`nnlib.nn.functional.tanh`.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> nn.Tanh()(nnlib.tensor([0.0]))
        tensor([0.])

    Taught in chapter 3 (activation functions and output heads).
    """

    def forward(self, input: Tensor) -> Tensor:
        """Apply the activation."""
        return F.tanh(input)


class Softplus(Module):
    r""":math:`\frac1\beta \log(1 + e^{\beta x})`; see :func:`nnlib.nn.functional.softplus`.

    Args:
        beta: The sharpness :math:`\beta` (default 1).
        threshold: Above :math:`\beta x > \text{threshold}` the output is :math:`x` (default 20).

    Example:
        >>> from nnlib import nn
        >>> nn.Softplus()
        Softplus(beta=1.0, threshold=20.0)

    Taught in chapter 3 (activation functions and output heads).
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input: Tensor) -> Tensor:
        """Apply the activation."""
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        """``beta=…, threshold=…``."""
        return f"beta={self.beta}, threshold={self.threshold}"


class GELU(Module):
    r""":math:`x\,\Phi(x)`; see :func:`nnlib.nn.functional.gelu`.

    Args:
        approximate: ``'none'`` (exact, the default) or ``'tanh'``.

    Example:
        >>> from nnlib import nn
        >>> nn.GELU(approximate="tanh")
        GELU(approximate='tanh')

    Taught in chapter 3 (activation functions and output heads).
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        """Apply the activation."""
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        """``approximate=…``."""
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    r""":math:`x\,\sigma(x)` (swish); see :func:`nnlib.nn.functional.silu`.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> nn.SiLU()(nnlib.tensor([0.0]))
        tensor([0.])

    Taught in chapter 3 (activation functions and output heads).
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        """Apply the activation."""
        return F.silu(input)


class Softmax(Module):
    r"""Probabilities along ``dim``; see :func:`nnlib.nn.functional.softmax`.

    Args:
        dim: The dimension that sums to 1 (required; usually ``-1`` for ``(N, C)`` logits).

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> nn.Softmax(dim=-1)(nnlib.tensor([0.0, 0.0]))
        tensor([0.5, 0.5])

    Taught in chapter 3 (activation functions and output heads).
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        """Apply the softmax along ``dim``."""
        return F.softmax(input, self.dim)

    def extra_repr(self) -> str:
        """``dim=…``."""
        return f"dim={self.dim}"


class LogSoftmax(Module):
    r"""Log-probabilities along ``dim``; see :func:`nnlib.nn.functional.log_softmax`.

    Args:
        dim: The dimension to normalise over (required; usually ``-1``).

    Example:
        >>> from nnlib import nn
        >>> nn.LogSoftmax(dim=1)
        LogSoftmax(dim=1)

    Taught in chapter 3 (activation functions and output heads).
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        """Apply the log-softmax along ``dim``."""
        return F.log_softmax(input, self.dim)

    def extra_repr(self) -> str:
        """``dim=…``."""
        return f"dim={self.dim}"


class Maxout(Module):
    r"""Maxout units (Goodfellow et al., 2013): the maximum of ``pieces`` linear functions.

    Each output unit :math:`k` has ``pieces`` affine functions of the input and returns the
    largest:

    .. math::

        y_k = \max_{j < p} \bigl(w_{kj}^\top x + b_{kj}\bigr)

    This is one linear layer to ``out_features * pieces`` units followed by
    :func:`nnlib.nn.functional.maxout` over consecutive groups of ``pieces``. A maximum of
    affine functions is a convex, piecewise-linear function, and with enough pieces it can
    approximate any convex function. ReLU is the special case of two pieces, one of them
    fixed at zero: :math:`\max(w^\top x + b, 0)`; with both pieces learned, a maxout unit
    can be a ReLU, a leaky ReLU, :math:`|x|`, and more. PyTorch has no such layer.

    Args:
        in_features: The size of each input.
        out_features: The number of maxout units.
        pieces: The number of linear pieces per unit :math:`p` (at least 1).
        bias: Learn biases (default ``True``).
        dtype: The parameters' dtype, ``nnlib.float32`` by default.

    Attributes:
        weight: Parameter of shape ``(out_features * pieces, in_features)``; rows
            ``k * pieces`` … ``(k + 1) * pieces - 1`` belong to unit :math:`k`.
        bias: Parameter of shape ``(out_features * pieces,)``, or ``None``.

    Shape:
        - Input: ``(*, in_features)``.
        - Output: ``(*, out_features)``.

    The parameters start as ``nn.Linear(in_features, out_features * pieces)``'s do.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> layer = nn.Maxout(2, 3, pieces=4)
        >>> layer
        Maxout(in_features=2, out_features=3, pieces=4, bias=True)
        >>> layer.weight.shape, layer(nnlib.randn(5, 2)).shape
        ((12, 2), (5, 3))

    Taught in chapter 3 (activation functions and output heads).
    """

    def __init__(self, in_features: int, out_features: int, pieces: int, bias: bool = True,
                 dtype: Any = None) -> None:  # fmt: skip
        super().__init__()
        for name, value in (("in_features", in_features), ("out_features", out_features),
                            ("pieces", pieces)):  # fmt: skip
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                error("Maxout", f"{name} to be a positive integer", repr(value),
                      "e.g. nn.Maxout(in_features=2, out_features=8, pieces=3).")  # fmt: skip
        self.in_features = in_features
        self.out_features = out_features
        self.pieces = pieces
        dtype = np.dtype(np.float32 if dtype is None else dtype)
        affine_parameters(self, in_features, out_features * pieces, bias, dtype)

    def reset_parameters(self) -> None:
        """Draw fresh parameters as ``nn.Linear`` does: :math:`U(\\pm 1/\\sqrt{\\text{in}})`."""
        reset_affine(self.weight, self.bias, self.in_features)

    def forward(self, input: Tensor) -> Tensor:
        """Compute all ``out_features * pieces`` affine functions, then each group's max."""
        shape = input.data.shape
        if not shape or shape[-1] != self.in_features:
            error(
                "Maxout.forward",
                f"input with {self.in_features} features in its last dimension",
                f"shape {shape_str(shape)}",
                f"the layer was built as Maxout(in_features={self.in_features}, ...); pass "
                f"inputs of shape (N, {self.in_features}).",
            )
        return F.maxout(linear(input, self.weight, self.bias), self.pieces)

    def extra_repr(self) -> str:
        """``in_features=…, out_features=…, pieces=…, bias=…``."""
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"pieces={self.pieces}, bias={self.bias is not None}"
        )
