r"""Activation functions, each one graph node with its backward rule beside its forward code.

An activation is applied element by element (``softmax`` and ``log_softmax`` act along one
dimension, ``maxout`` over groups of units). Each function computes its result with NumPy
and hands :func:`~nnlib._tensor.from_op` a closure that turns the gradient of the result into
the gradient of the input, so a whole activation costs one node, not a chain of small ones.

This module holds the element-wise activations. ``softmax`` and ``log_softmax`` are written
in :mod:`nnlib.nn.functional.softmax` and ``maxout`` in :mod:`nnlib.nn.functional.maxout`;
they are imported here, so ``__all__`` lists every activation. The error function behind
``gelu`` is in ``nnlib.nn.functional._erf``.

Taught in chapter 3 (activation functions and output heads).
"""

from __future__ import annotations

import math

import numpy as np

from nnlib import ops
from nnlib._checks import check_tensor, error, shape_str
from nnlib._tensor import Tensor, from_op
from nnlib.nn.functional._erf import _normal_cdf
from nnlib.nn.functional.maxout import maxout
from nnlib.nn.functional.softmax import log_softmax, softmax

__all__ = [
    "gelu",
    "leaky_relu",
    "log_softmax",
    "maxout",
    "prelu",
    "relu",
    "sigmoid",
    "silu",
    "softmax",
    "softplus",
    "tanh",
]


# ------------------------------------------------------------------ piecewise linear
def relu(input: Tensor, inplace: bool = False) -> Tensor:
    r"""Rectified linear unit, :math:`\mathrm{ReLU}(x) = \max(0, x)`.

    .. math::

        \mathrm{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}

    Cheap, sparse (negative inputs give exact zeros) and it does not saturate for
    :math:`x > 0`; a unit whose input stays negative gets no gradient and "dies".

    Args:
        input: Any shape.
        inplace: Accepted for PyTorch compatibility; nnlib always returns a new tensor.

    Returns:
        A tensor of the same shape.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.relu(nnlib.tensor([-1.0, 0.0, 2.0]))
        tensor([0., 0., 2.])

    Taught in chapter 3 (activation functions and output heads).
    """
    check_tensor("F.relu", input)
    return ops.relu(input)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    r"""Leaky ReLU: :math:`x` for :math:`x > 0`, else :math:`a x` with a small slope :math:`a`.

    .. math::

        \mathrm{LeakyReLU}'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}

    The small slope keeps a gradient flowing for negative inputs, so units cannot die.

    Args:
        input: Any shape.
        negative_slope: The slope :math:`a` for negative inputs (default ``0.01``).
        inplace: Accepted for PyTorch compatibility; nnlib always returns a new tensor.

    Returns:
        A tensor of the same shape.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.leaky_relu(nnlib.tensor([-2.0, 3.0]), negative_slope=0.1)
        tensor([-0.2,  3. ])

    Taught in chapter 3 (activation functions and output heads).
    """
    check_tensor("F.leaky_relu", input)
    x = input.data
    positive = x > 0
    out = np.where(positive, x, x * negative_slope)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        return (np.where(positive, g, g * negative_slope),)

    return from_op(out, (input,), backward, "LeakyReluBackward")


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    r"""Parametric ReLU: a leaky ReLU whose negative slope :math:`a` is learned.

    .. math::

        \mathrm{PReLU}(x) = \max(0, x) + a \min(0, x), \qquad
        \frac{\partial y}{\partial x} = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases},
        \qquad \frac{\partial y}{\partial a} = \min(0, x)

    Args:
        input: Shape ``(N, C, *)``, or any shape when ``weight`` has one element.
        weight: The slopes, shape ``(1,)`` (one shared slope) or ``(C,)`` (one per channel,
            the channel being dimension 1 of ``input``).

    Returns:
        A tensor shaped like ``input``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.prelu(nnlib.tensor([-2.0, 3.0]), nnlib.tensor([0.25]))
        tensor([-0.5,  3. ])

    Taught in chapter 3 (activation functions and output heads).
    """
    check_tensor("F.prelu", input)
    check_tensor("F.prelu", weight)
    x, w = input.data, weight.data
    channels = x.shape[1] if x.ndim >= 2 else 1
    if w.size != 1 and (w.ndim != 1 or w.size != channels):
        error(
            "F.prelu",
            f"a weight with 1 element or {channels} (one per channel, dimension 1 of the "
            f"input of shape {shape_str(x.shape)})",
            f"weight of shape {shape_str(w.shape)}",
            f"build the layer as PReLU(num_parameters={channels}) or PReLU() for one shared "
            "slope.",
        )
    # Put the slopes on the channel axis so that they broadcast over (N, C, *).
    slope = w.reshape(()) if w.size == 1 else w.reshape((channels,) + (1,) * (x.ndim - 2))
    positive = x > 0
    out = np.where(positive, x, x * slope)
    w_shape = w.shape
    reduce_axes = tuple(i for i in range(x.ndim) if w.size == 1 or i != 1)

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        gx = np.where(positive, g, g * slope) if input.requires_grad else None
        gw = None
        if weight.requires_grad:
            gw = np.where(positive, 0, g * x).sum(axis=reduce_axes).reshape(w_shape)
        return gx, gw

    return from_op(out, (input, weight), backward, "PreluBackward")


# ------------------------------------------------------------------------ smooth
def sigmoid(input: Tensor) -> Tensor:
    r"""The logistic function :math:`\sigma(x) = 1 / (1 + e^{-x})`, with range :math:`(0, 1)`.

    .. math::

        \sigma'(x) = \sigma(x)\,(1 - \sigma(x)) \le \tfrac14

    It saturates for large :math:`|x|` (the derivative goes to 0); computed without overflow.

    Args:
        input: Any shape.

    Returns:
        A tensor of the same shape.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.sigmoid(nnlib.tensor([0.0]))
        tensor([0.5])

    Taught in chapter 3 (activation functions and output heads).
    """
    check_tensor("F.sigmoid", input)
    return ops.sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    r"""Hyperbolic tangent, range :math:`(-1, 1)`, zero-centred.

    .. math::

        \tanh'(x) = 1 - \tanh^2(x)

    Args:
        input: Any shape.

    Returns:
        A tensor of the same shape.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.tanh(nnlib.tensor([0.0]))
        tensor([0.])

    Taught in chapter 3 (activation functions and output heads).
    """
    check_tensor("F.tanh", input)
    return ops.tanh(input)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    r"""A smooth ReLU, :math:`\frac{1}{\beta} \log(1 + e^{\beta x})`, always positive.

    .. math::

        \mathrm{softplus}'(x) = \sigma(\beta x)

    As in PyTorch, where :math:`\beta x > \text{threshold}` the function returns :math:`x`
    itself (and passes the gradient unchanged): there the two differ by less than
    :math:`e^{-20}`. Elsewhere it is computed as
    :math:`\max(z, 0) + \log(1 + e^{-|z|})` with :math:`z = \beta x`, which never overflows.

    Args:
        input: Any shape.
        beta: The sharpness :math:`\beta` (default 1); larger is closer to ReLU.
        threshold: Above :math:`\beta x > \text{threshold}` the function is linear.

    Returns:
        A tensor of the same shape, with positive values.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.softplus(nnlib.tensor([0.0, 30.0]))
        tensor([ 0.6931, 30.    ])

    Taught in chapter 3 (activation functions and output heads).
    """
    check_tensor("F.softplus", input)
    x = input.data
    z = x * beta
    e = np.exp(-np.abs(z))  # in (0, 1]: no overflow whatever x is
    linear = z > threshold
    out = np.where(linear, x, (np.maximum(z, 0) + np.log1p(e)) / beta)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        sig = np.where(z >= 0, 1 / (1 + e), e / (1 + e))  # sigma(beta x), stably
        return (np.where(linear, g, g * sig),)

    return from_op(out, (input,), backward, "SoftplusBackward")


_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    r"""Gaussian error linear unit, :math:`x\,\Phi(x)` (Hendrycks & Gimpel, 2016).

    :math:`\Phi` is the standard normal CDF: the input is scaled by the probability that a
    standard normal variable is below it. A smooth, slightly non-monotone ReLU.

    .. math::

        \mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x), \qquad
        \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}}

    With ``approximate='tanh'``, :math:`\Phi` is replaced by the cheaper

    .. math::

        \Phi(x) \approx \tfrac12\Bigl(1 + \tanh\bigl(\sqrt{2/\pi}\,(x + 0.044715\,x^3)\bigr)\Bigr)

    Args:
        input: Any shape.
        approximate: ``'none'`` (exact, via erf) or ``'tanh'``.

    Returns:
        A tensor of the same shape.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.gelu(nnlib.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.1587,  0.    ,  0.8413])

    Taught in chapter 3 (activation functions and output heads).
    """
    check_tensor("F.gelu", input)
    x = input.data
    if approximate == "none":
        cdf = _normal_cdf(x)
        out = x * cdf

        def backward(g: np.ndarray) -> tuple[np.ndarray]:
            xc = np.clip(x, -40, 40)  # x * phi(x) is 0 beyond |x| = 40; x * x must not overflow
            return (g * (cdf + xc * (_INV_SQRT_2PI * np.exp(-0.5 * xc * xc))),)

        return from_op(out, (input,), backward, "GeluBackward")
    if approximate == "tanh":
        x2 = x * x
        t = np.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x2 * x))
        out = 0.5 * x * (1 + t)

        def backward_tanh(g: np.ndarray) -> tuple[np.ndarray]:
            inner_grad = _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x2)
            return (g * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * inner_grad),)

        return from_op(out, (input,), backward_tanh, "GeluBackward")
    error(
        "F.gelu",
        "approximate='none' or 'tanh'",
        repr(approximate),
        "use 'none' for the exact erf form (the default) or 'tanh' for the approximation.",
    )


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    r"""Sigmoid linear unit (swish), :math:`x\,\sigma(x)`.

    .. math::

        \mathrm{SiLU}'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)

    Args:
        input: Any shape.
        inplace: Accepted for PyTorch compatibility; nnlib always returns a new tensor.

    Returns:
        A tensor of the same shape.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.silu(nnlib.tensor([0.0, 1.0]))
        tensor([0.    , 0.7311])

    Taught in chapter 3 (activation functions and output heads).
    """
    check_tensor("F.silu", input)
    x = input.data
    e = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    out = x * s

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        return (g * (s * (1 + x * (1 - s))),)

    return from_op(out, (input,), backward, "SiluBackward")
