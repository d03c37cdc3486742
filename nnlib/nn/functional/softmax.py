r"""``softmax`` and ``log_softmax``: scores to (log-)probabilities along one dimension.

Each is one graph node with a closed-form backward rule. Both are re-exported by
:mod:`nnlib.nn.functional.activation` and by ``nnlib.nn.functional``.

Taught in chapter 3 (activation functions and output heads).
"""

from __future__ import annotations

import numpy as np

from nnlib._checks import check_tensor, error
from nnlib._tensor import Tensor, from_op
from nnlib.ops.reduce import _axes


def _softmax_axis(where: str, input: Tensor, dim: int | None) -> int:
    check_tensor(where, input)
    if input.data.dtype.kind != "f":
        error(
            where,
            "a floating tensor (logits)",
            f"dtype {input.data.dtype}",
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
    (axis,) = _axes(dim, input.data.ndim, where)
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

    return from_op(s, (input,), backward, "SoftmaxBackward", saved=(), saves_output=True)


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

    return from_op(out, (input,), backward, "LogSoftmaxBackward", saved=())
