"""Reductions (sum, mean, max, min, var, logsumexp), each with its backward rule beside it.

A reduction's backward pass spreads the gradient back over the elements that were reduced:
evenly for ``sum`` and ``mean``, only to the winners for ``max`` and ``min``.

Taught in chapter 2 (backpropagation).
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, NamedTuple, overload

import numpy as np

from nnlib._graph import from_op, wrap

if TYPE_CHECKING:
    from nnlib._tensor import Tensor

Dim = int | tuple[int, ...] | None


class MaxMin(NamedTuple):
    """What ``max``/``min`` along a dimension return, as PyTorch's ``torch.return_types``."""

    values: Tensor
    indices: Tensor


def _axes(dim: Dim, ndim: int, where: str) -> tuple[int, ...]:
    """Normalise ``dim`` (None, int or tuple, negatives allowed) to a tuple of axes."""
    if dim is None:
        return tuple(range(ndim))
    ok = isinstance(dim, (int, np.integer, tuple, list)) and not isinstance(dim, bool)
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim) if ok else ()
    if not ok or not all(isinstance(d, (int, np.integer)) for d in dims):
        raise TypeError(
            f"{where}: expected dim to be an int or a tuple of ints, got "
            f"{type(dim).__name__} ({dim!r}).\nhelp: e.g. dim=0 (down the rows), dim=1 or "
            "dim=-1 (along each row), dim=(0, 1)."
        )
    out = []
    for d in dims:
        if not -builtins.max(ndim, 1) <= d < builtins.max(ndim, 1):
            raise IndexError(
                f"{where}: expected dim in [{-ndim}, {ndim - 1}] for a {ndim}-d tensor, got "
                f"{d}.\nhelp: dim counts from 0; -1 is the last dimension."
            )
        out.append(int(d) % builtins.max(ndim, 1))
    return tuple(out)


def _expand(g: np.ndarray, axes: tuple[int, ...], keepdim: bool, shape: tuple) -> np.ndarray:
    """Re-insert reduced axes into ``g`` so that it broadcasts against the input shape."""
    if not keepdim and axes and len(shape):
        g = np.expand_dims(g, axes)
    return g


def sum(a: Tensor, dim: Dim = None, keepdim: bool = False) -> Tensor:
    """Sum over ``dim`` (all elements by default). Backward: ``g`` copied to every element."""
    shape = a.data.shape
    axes = _axes(dim, a.data.ndim, "sum")
    out = a.data.sum(axis=axes, keepdims=keepdim)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        return (np.broadcast_to(_expand(g, axes, keepdim, shape), shape),)

    return from_op(np.asarray(out), (a,), backward, "SumBackward", saved=())


def mean(a: Tensor, dim: Dim = None, keepdim: bool = False) -> Tensor:
    """Mean over ``dim`` (all elements by default). Backward: ``g / n`` to every element."""
    if a.data.dtype.kind != "f":
        raise TypeError(
            f"mean: expected a floating tensor, got dtype {a.data.dtype}.\n"
            "help: convert first, e.g. t.float().mean(), as PyTorch requires too."
        )
    shape = a.data.shape
    axes = _axes(dim, a.data.ndim, "mean")
    n = int(np.prod([shape[i] for i in axes])) if shape else 1
    out = a.data.mean(axis=axes, keepdims=keepdim)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        return (np.broadcast_to(_expand(g / n, axes, keepdim, shape), shape),)

    return from_op(np.asarray(out), (a,), backward, "MeanBackward", saved=())


def var(a: Tensor, dim: Dim = None, keepdim: bool = False, correction: int = 1) -> Tensor:
    r"""Variance over ``dim`` with Bessel's ``correction`` (1 = unbiased, PyTorch's default).

    .. math::

        \mathrm{var}(x) = \frac{1}{n - c} \sum_i (x_i - \bar x)^2, \qquad
        \frac{\partial\,\mathrm{var}}{\partial x_i} = \frac{2 (x_i - \bar x)}{n - c}
    """
    shape = a.data.shape
    axes = _axes(dim, a.data.ndim, "var")
    n = int(np.prod([shape[i] for i in axes])) if shape else 1
    centred = a.data - a.data.mean(axis=axes, keepdims=True)
    denom = builtins.max(n - correction, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (centred * centred).sum(axis=axes, keepdims=keepdim) / denom

    scale = 2 / denom if denom else np.nan  # no spread from <= correction values: nan

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        return (_expand(g, axes, keepdim, shape) * scale * centred,)

    return from_op(np.asarray(out), (a,), backward, "VarBackward")


def _extreme(a: Tensor, dim: int | None, keepdim: bool, pick: str) -> Tensor | MaxMin:
    arg = np.argmax if pick == "max" else np.argmin
    ad = a.data
    if dim is None:
        out = ad.max() if pick == "max" else ad.min()

        def backward_all(g: np.ndarray) -> tuple[np.ndarray]:
            winners = ad == out  # ties share the gradient evenly, as in PyTorch
            return (winners * (g / winners.sum()),)

        return from_op(np.asarray(out), (a,), backward_all, pick.capitalize() + "Backward")
    (axis,) = _axes(dim, ad.ndim, pick)
    idx = np.expand_dims(arg(ad, axis=axis), axis)
    values = np.take_along_axis(ad, idx, axis=axis)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros_like(ad)
        np.put_along_axis(grad, idx, g if keepdim else np.expand_dims(g, axis), axis=axis)
        return (grad,)

    indices = idx
    if not keepdim:
        values, indices = values.squeeze(axis), idx.squeeze(axis)
    out_t = from_op(values, (a,), backward, pick.capitalize() + "Backward")
    return MaxMin(out_t, wrap(indices.astype(np.int64)))


@overload
def max(a: Tensor, dim: None = None, keepdim: bool = False) -> Tensor: ...
@overload
def max(a: Tensor, dim: int, keepdim: bool = False) -> MaxMin: ...
def max(a: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor | MaxMin:
    """The largest element, or ``(values, indices)`` along ``dim`` (as ``torch.max``).

    Backward: the gradient goes to the element(s) that won; all others get 0.
    """
    return _extreme(a, dim, keepdim, "max")


@overload
def min(a: Tensor, dim: None = None, keepdim: bool = False) -> Tensor: ...
@overload
def min(a: Tensor, dim: int, keepdim: bool = False) -> MaxMin: ...
def min(a: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor | MaxMin:
    """The smallest element, or ``(values, indices)`` along ``dim`` (as ``torch.min``)."""
    return _extreme(a, dim, keepdim, "min")


def logsumexp(a: Tensor, dim: Dim, keepdim: bool = False) -> Tensor:
    r""":math:`\log \sum_i e^{a_i}` along ``dim``, computed stably by subtracting the max.

    Backward: :math:`g \cdot \mathrm{softmax}(a)`.
    """
    ad = a.data
    axes = _axes(dim, ad.ndim, "logsumexp")
    m = ad.max(axis=axes, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    e = np.exp(ad - m)
    s = e.sum(axis=axes, keepdims=True)
    out = np.log(s) + m

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        return (_expand(g, axes, keepdim, ad.shape) * (e / s),)

    return from_op(out if keepdim else out.squeeze(axes), (a,), backward, "LogsumexpBackward")
