r"""Activation functions, each one graph node with its backward rule beside its forward code.

An activation is applied element by element (``softmax`` and ``log_softmax`` act along one
dimension, ``maxout`` over groups of units). Each function computes its result with NumPy
and hands :func:`~nnlib.tensor.from_op` a closure that turns the gradient of the result into
the gradient of the input, so a whole activation costs one node, not a chain of small ones.

Taught in chapter 3 (activation functions and output heads).
"""

from __future__ import annotations

import math

import numpy as np

from nnlib import ops
from nnlib._checks import error, shape_str
from nnlib.ops.reduce import _axes
from nnlib.tensor import Tensor, from_op

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


def _check_tensor(where: str, input: object) -> None:
    if not isinstance(input, Tensor):
        error(
            where,
            "a Tensor",
            type(input).__name__,
            "wrap the values first, e.g. nnlib.tensor([...]).",
            TypeError,
        )


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
    _check_tensor("F.relu", input)
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
    _check_tensor("F.leaky_relu", input)
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
    _check_tensor("F.prelu", input)
    _check_tensor("F.prelu", weight)
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
    _check_tensor("F.sigmoid", input)
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
    _check_tensor("F.tanh", input)
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
    _check_tensor("F.softplus", input)
    x = input.data
    z = x * beta
    e = np.exp(-np.abs(z))  # in (0, 1]: no overflow whatever x is
    linear = z > threshold
    out = np.where(linear, x, (np.maximum(z, 0) + np.log1p(e)) / beta)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        sig = np.where(z >= 0, 1 / (1 + e), e / (1 + e))  # sigma(beta x), stably
        return (np.where(linear, g, g * sig),)

    return from_op(out, (input,), backward, "SoftplusBackward")


# Taylor coefficients of erf(u) e^{u^2} sqrt(pi) / (2u) = sum_n c_n u^{2n} with
# c_n = 2^n / (1 * 3 * ... * (2n + 1)): every term is positive, so the sum loses no digits
# to cancellation. 32 terms reach double precision for |u| < 2.
_ERF_SERIES = [1.0]
for _n in range(1, 32):
    _ERF_SERIES.append(_ERF_SERIES[-1] * 2 / (2 * _n + 1))
_ERF_SERIES.reverse()  # highest power first, for Horner's rule
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)
_SQRT1_2 = 0.7071067811865476  # the double nearest 1/sqrt(2), C's M_SQRT1_2


def _erf_small(u: np.ndarray) -> np.ndarray:
    """erf(u) for |u| < 2 from its positive-term Taylor series (relative error ~1e-16)."""
    z = u * u
    acc = np.full_like(u, _ERF_SERIES[0])
    for c in _ERF_SERIES[1:]:
        acc = acc * z + c
    return _TWO_OVER_SQRT_PI * np.exp(-z) * u * acc


def _erfc_large(u: np.ndarray) -> np.ndarray:
    r"""erfc(u) for u >= 2 from Laplace's continued fraction (relative error ~1e-15).

    :math:`\mathrm{erfc}(u) = \frac{e^{-u^2}}{\sqrt\pi}\,
    \cfrac{1}{u + \cfrac{1/2}{u + \cfrac{1}{u + \cfrac{3/2}{u + \cdots}}}}`, evaluated from
    the 48th level upwards.
    """
    u = np.minimum(u, 40.0)  # erfc(40) underflows to 0 anyway; avoids overflow in u * u
    f = u
    for k in range(48, 0, -1):
        f = u + (0.5 * k) / f
    # exp(-u^2) with u^2 split as hi^2 + (u - hi)(u + hi), where hi keeps the top 26 bits of
    # u so that hi * hi is exact: a rounded u^2 of ~1000 would cost 1e-13 relative accuracy.
    c = u * 134217729.0  # 2^27 + 1 (Veltkamp's split)
    hi = c - (c - u)
    return np.exp(-hi * hi) * np.exp(-(u - hi) * (u + hi)) / (math.sqrt(math.pi) * f)


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    r"""The standard normal CDF :math:`\Phi(x) = \tfrac12 (1 + \mathrm{erf}(x/\sqrt2))`.

    NumPy has no ``erf``; this one is accurate to a few units in the last place, also far
    in the lower tail, where it uses erfc and so never computes :math:`1 + (-1 + \text{tiny})`.
    Only for :math:`-2.8 < x < -0.7` does :math:`1 + \mathrm{erf}` lose up to two digits
    (about 1e-14 relative), as it does in PyTorch.
    """
    u = x.astype(np.float64, copy=False) * _SQRT1_2
    cdf = np.empty_like(u)
    small = np.abs(u) < 2
    big = ~small  # includes NaN, which propagates through _erfc_large
    if small.any():
        cdf[small] = 0.5 + 0.5 * _erf_small(u[small])
    if big.any():
        ub = u[big]
        tail = 0.5 * _erfc_large(np.abs(ub))
        cdf[big] = np.where(ub < 0, tail, 1 - tail)
    return cdf.astype(x.dtype, copy=False)


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
    _check_tensor("F.gelu", input)
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
    _check_tensor("F.silu", input)
    x = input.data
    e = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    out = x * s

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        return (g * (s * (1 + x * (1 - s))),)

    return from_op(out, (input,), backward, "SiluBackward")


# --------------------------------------------------------------- along a dimension
def _softmax_axis(where: str, input: object, dim: int | None) -> int:
    _check_tensor(where, input)
    if input.data.dtype.kind != "f":  # type: ignore[union-attr]
        error(
            where,
            "a floating tensor (logits)",
            f"dtype {input.data.dtype}",  # type: ignore[union-attr]
            "convert first, e.g. x.float(); PyTorch refuses integer logits too.",
            TypeError,
        )
    if dim is None:
        error(
            where,
            "the dimension to normalise over (dim=...)",
            "dim=None",
            "pass dim=-1 for logits of shape (N, C); PyTorch's guess of an implicit dim is "
            "deprecated, so nnlib asks.",
            TypeError,
        )
    (axis,) = _axes(dim, input.data.ndim, where)  # type: ignore[union-attr]
    return axis


def softmax(input: Tensor, dim: int | None = None) -> Tensor:
    r"""Turn scores (logits) into probabilities along ``dim``.

    .. math::

        \mathrm{softmax}(x)_i = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}}, \quad m = \max_j x_j,
        \qquad \frac{\partial L}{\partial x} = s \odot \bigl(g - \textstyle\sum_j g_j s_j\bigr)

    Subtracting the maximum changes nothing mathematically but keeps :math:`e^{x}` from
    overflowing, so logits of :math:`\pm 1000` work. One graph node, with the closed-form
    backward above (:math:`s` the output, :math:`g` the incoming gradient).

    Args:
        input: Any shape, e.g. logits ``(N, C)``.
        dim: The dimension whose entries sum to 1; required (usually ``-1``).

    Returns:
        A tensor of the same shape, entries in :math:`[0, 1]` summing to 1 along ``dim``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.softmax(nnlib.tensor([[1.0, 1.0], [0.0, 1000.0]]), dim=-1)
        tensor([[0.5, 0.5],
                [0. , 1. ]])

    Taught in chapter 3 (activation functions and output heads).
    """
    axis = _softmax_axis("F.softmax", input, dim)
    x = input.data
    # A fresh array (asarray: a 0-d input gives a NumPy scalar), so the next steps run in place.
    s = np.asarray(x - x.max(axis=axis, keepdims=True))
    np.exp(s, out=s)
    s /= s.sum(axis=axis, keepdims=True)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        return (s * (g - (g * s).sum(axis=axis, keepdims=True)),)

    return from_op(s, (input,), backward, "SoftmaxBackward")


def log_softmax(input: Tensor, dim: int | None = None) -> Tensor:
    r"""The logarithm of :func:`softmax`, computed directly and stably.

    .. math::

        \log \mathrm{softmax}(x)_i = (x_i - m) - \log \sum_j e^{x_j - m}, \qquad
        \frac{\partial L}{\partial x} = g - \mathrm{softmax}(x) \textstyle\sum_j g_j

    Never takes the log of a probability that underflowed to 0, which is why losses use it
    rather than ``softmax(x).log()``.

    Args:
        input: Any shape, e.g. logits ``(N, C)``.
        dim: The dimension to normalise over; required (usually ``-1``).

    Returns:
        A tensor of the same shape with non-positive entries.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.log_softmax(nnlib.tensor([0.0, 1000.0]), dim=0)
        tensor([-1000.,     0.])

    Taught in chapter 3 (activation functions and output heads).
    """
    axis = _softmax_axis("F.log_softmax", input, dim)
    x = input.data
    out = np.asarray(x - x.max(axis=axis, keepdims=True))  # shifted: the max becomes 0
    e = np.exp(out)
    total = e.sum(axis=axis, keepdims=True)
    out -= np.log(total)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        return (g - (e / total) * g.sum(axis=axis, keepdims=True),)

    return from_op(out, (input,), backward, "LogSoftmaxBackward")


def maxout(input: Tensor, pieces: int) -> Tensor:
    r"""Maximum over consecutive groups of ``pieces`` units of the last dimension.

    Units ``k * pieces`` … ``(k + 1) * pieces - 1`` form group :math:`k`:

    .. math::

        y_k = \max_{j < p} x_{k p + j}, \qquad
        \frac{\partial y_k}{\partial x_{k p + j}} = [\,j \text{ wins}\,]

    The gradient goes to the winning unit of each group only (the first one on ties, as
    ``torch.max(dim)``). Applied to a linear layer's output this is a maxout unit
    (:class:`~nnlib.nn.Maxout`).

    Args:
        input: Shape ``(*, K * pieces)``.
        pieces: The group size :math:`p`, at least 1.

    Returns:
        A tensor of shape ``(*, K)``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.maxout(nnlib.tensor([[1.0, -2.0, 0.5, 3.0]]), pieces=2)
        tensor([[1., 3.]])

    Taught in chapter 3 (activation functions and output heads).
    """
    _check_tensor("F.maxout", input)
    x = input.data
    width = x.shape[-1] if x.ndim else 0
    if not isinstance(pieces, (int, np.integer)) or pieces < 1 or width % pieces:
        error(
            "F.maxout",
            f"pieces to be a positive divisor of the last dimension ({width})",
            f"pieces={pieces!r} for input of shape {shape_str(x.shape)}",
            "the input must hold out_features * pieces units; check the layer sizes.",
        )
    grouped = x.reshape(*x.shape[:-1], width // pieces, pieces)
    idx = np.expand_dims(grouped.argmax(axis=-1), -1)
    out = np.take_along_axis(grouped, idx, axis=-1)[..., 0]

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros(grouped.shape, dtype=g.dtype)
        np.put_along_axis(grad, idx, g[..., None], axis=-1)
        return (grad.reshape(x.shape),)

    return from_op(out, (input,), backward, "MaxoutBackward")
