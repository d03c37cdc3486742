r"""Vector norms and the max-norm constraint ``renorm``.

:func:`vector_norm_array` is the :math:`p`-norm of an array (over all entries or some
axes), as ``torch.linalg.vector_norm`` computes it; :func:`vector_norm_grad` is its
derivative. :func:`renorm` (``torch.renorm``) rescales every slice whose norm exceeds a
bound, the max-norm constraint of Srebro et al. (2005) and of dropout networks.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from nnlib._checks import check_dim, error
from nnlib._graph import as_tensor, from_op

if TYPE_CHECKING:
    from nnlib._tensor import Tensor

__all__ = ["renorm"]


def vector_norm_array(
    a: np.ndarray, p: float = 2.0, axis: tuple[int, ...] | None = None, keepdims: bool = False
) -> np.ndarray:
    r"""The :math:`p`-norm :math:`(\sum |a_i|^p)^{1/p}` over ``axis`` (all entries if ``None``).

    ``p = inf`` is the largest :math:`|a_i|`, ``-inf`` the smallest, ``0`` the count of
    non-zeros; an empty array has norm 0 (``-inf``: ``inf``), as in PyTorch.
    """
    x = np.abs(a)
    if x.size == 0:
        fill = math.inf if p == -math.inf else 0.0
        return np.full(np.sum(x, axis=axis, keepdims=keepdims).shape, fill)
    if p == math.inf:
        return x.max(axis=axis, keepdims=keepdims)
    if p == -math.inf:
        return x.min(axis=axis, keepdims=keepdims)
    if p == 0:
        return np.count_nonzero(x, axis=axis, keepdims=keepdims).astype(x.dtype)
    if p == 2:
        return np.sqrt(np.sum(x * x, axis=axis, keepdims=keepdims))
    return np.sum(x**p, axis=axis, keepdims=keepdims) ** (1.0 / p)


def vector_norm_grad(
    a: np.ndarray, norm: np.ndarray, p: float, axis: tuple[int, ...] | None
) -> np.ndarray:
    r"""The gradient :math:`\partial \|a\|_p / \partial a` for a positive, finite ``p`` or inf.

    :math:`\operatorname{sign}(a_i) |a_i|^{p-1} / \|a\|_p^{p-1}`; for ``p = inf`` the entries
    that reach the maximum share it equally. ``norm`` has ``keepdims`` shape; entries of a
    zero-norm slice (and zeros, for :math:`p < 1`) get 0, as in PyTorch.
    """
    if p == math.inf:
        hits = np.abs(a) == norm
        return np.sign(a) * hits / np.sum(hits, axis=axis, keepdims=True)
    safe = np.where(norm == 0, 1.0, norm)
    if p == 2:
        return np.where(norm == 0, 0.0, a / safe)
    if p == 1:
        return np.sign(a)
    x = np.abs(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        grad = np.sign(a) * x ** (p - 1) / safe ** (p - 1)
    return np.where((x == 0) | (norm == 0), 0.0, grad)


def _check_number(where: str, name: str, value: Any) -> None:
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        error(where, f"{name} to be a number", repr(value), f"pass e.g. {name}=2.", TypeError)


def renorm(input: Any, p: float, dim: int, maxnorm: float) -> Tensor:
    r"""Rescale each slice along ``dim`` whose ``p``-norm exceeds ``maxnorm`` (``torch.renorm``).

    For each index :math:`i` of dimension ``dim``, the slice :math:`x_i` (every other
    dimension) becomes

    .. math::

        y_i = \begin{cases} x_i \, \dfrac{c}{\|x_i\|_p + 10^{-7}} & \|x_i\|_p > c \\
            x_i & \text{otherwise} \end{cases}

    with :math:`c` = ``maxnorm``. Slices within the bound are unchanged. The gradient
    includes how the scale depends on :math:`x_i` through its norm, as PyTorch's does. A
    max-norm constraint on a ``Linear`` layer bounds each unit's incoming weights, the rows
    of ``weight``: ``w.data[...] = nnlib.renorm(w, 2, 0, 3.0).data`` after each step.

    Args:
        input: A tensor with at least 2 dimensions.
        p: The order of the norm, > 0 (``math.inf`` for the largest entry).
        dim: The dimension whose slices are constrained (0: the rows of a matrix).
        maxnorm: The largest norm :math:`c` allowed, >= 0.

    Returns:
        A tensor of the input's shape and dtype.

    Raises:
        RuntimeError: for fewer than 2 dimensions, ``p <= 0`` or ``maxnorm < 0`` (with
            PyTorch's messages and a hint).
        IndexError: for a ``dim`` out of range.
        TypeError: for a ``p`` or ``maxnorm`` that is not a number.

    Shape:
        - Input: ``(d_0, d_1, ...)``, at least 2 dimensions.
        - Output: the same.

    Example:
        >>> import nnlib
        >>> w = nnlib.tensor([[3.0, 4.0], [0.3, 0.4]])
        >>> nnlib.renorm(w, p=2, dim=0, maxnorm=1.0)  # row 0 has norm 5, row 1 norm 0.5
        tensor([[0.6, 0.8],
                [0.3, 0.4]])

    Taught in chapter 7 (dropout and regularization: max-norm constraints).
    """
    _check_number("renorm", "p", p)
    _check_number("renorm", "maxnorm", maxnorm)
    x = as_tensor(input)
    a = x.data
    if a.ndim < 2:
        raise RuntimeError(
            f"renorm: input needs at least 2 dimensions, got {a.ndim} dimensions\n"
            "help: renorm constrains slices of a matrix or larger (e.g. the rows of a "
            "weight); for a vector use x.unsqueeze(0) and dim=0."
        )
    if not p > 0:
        raise RuntimeError(
            "renorm: non-positive-norm not supported\nhelp: pass p > 0, e.g. p=2 for the "
            "Euclidean norm."
        )
    if not maxnorm >= 0:
        raise RuntimeError(
            f"renorm: expected maxnorm to be >= 0 but got {maxnorm:g}\nhelp: maxnorm is the "
            "largest norm a slice may keep, e.g. maxnorm=3.0."
        )
    d = check_dim("renorm", dim, a.ndim)
    axes = tuple(i for i in range(a.ndim) if i != d)
    norm = vector_norm_array(a, p, axes, keepdims=True)
    inv = 1.0 / (norm + 1e-7)
    over = norm > maxnorm
    scale = np.where(over, maxnorm * inv, 1.0).astype(a.dtype, copy=False)
    out = a * scale

    def backward(g: np.ndarray) -> list[np.ndarray]:
        dot = np.sum(a * g, axis=axes, keepdims=True)
        shrunk = maxnorm * inv * (g - inv * dot * vector_norm_grad(a, norm, p, axes))
        return [np.where(over, shrunk, g).astype(a.dtype, copy=False)]

    return from_op(out, (x,), backward, "RenormBackward")
