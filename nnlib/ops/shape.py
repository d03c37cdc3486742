"""Operations that move values around without changing them: reshape, transpose, index, join.

Their backward rules move the gradient back the same way: a reshape is undone by a
reshape, a transpose by the inverse transpose, and indexing scatters the gradient into
zeros at the positions that were read (adding where one position was read twice).

Taught in chapter 2 (backpropagation).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from nnlib.tensor import Tensor, as_tensor, from_op


def reshape(a: Tensor, *shape: Any) -> Tensor:
    """The same values in a new shape (``-1`` infers one dimension), as ``torch.reshape``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    old = a.data.shape
    try:
        out = a.data.reshape(shape)
    except ValueError:
        raise ValueError(
            f"reshape: expected a shape with {a.data.size} elements in all, got {shape} for "
            f"a tensor of shape {old}.\nhelp: the product of the new sizes must equal "
            f"{a.data.size}; use -1 for one size to have it worked out."
        ) from None
    return from_op(out, (a,), lambda g: (g.reshape(old),), "ViewBackward")


def transpose(a: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap two dimensions (``torch.transpose``)."""
    out = np.swapaxes(a.data, dim0, dim1)
    return from_op(out, (a,), lambda g: (np.swapaxes(g, dim0, dim1),), "TransposeBackward")


def permute(a: Tensor, *dims: Any) -> Tensor:
    """Reorder all dimensions (``torch.permute``)."""
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = tuple(dims[0])
    dims = tuple(int(d) % max(a.data.ndim, 1) for d in dims)  # argsort needs dims >= 0
    inverse = tuple(np.argsort(dims))
    out = np.transpose(a.data, dims)
    return from_op(out, (a,), lambda g: (np.transpose(g, inverse),), "PermuteBackward")


def unsqueeze(a: Tensor, dim: int) -> Tensor:
    """Insert a dimension of size one at ``dim``."""
    old = a.data.shape
    out = np.expand_dims(a.data, dim)
    return from_op(out, (a,), lambda g: (g.reshape(old),), "UnsqueezeBackward")


def squeeze(a: Tensor, dim: int | None = None) -> Tensor:
    """Remove dimensions of size one (only ``dim`` if given and of size one)."""
    old = a.data.shape
    if dim is None:
        out = a.data.squeeze()
    elif a.data.shape[dim] == 1:
        out = a.data.squeeze(dim)
    else:
        out = a.data
    return from_op(out, (a,), lambda g: (g.reshape(old),), "SqueezeBackward")


def flatten(a: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dimensions ``start_dim`` … ``end_dim`` into one (``torch.flatten``)."""
    shape = a.data.shape
    if not shape:
        return reshape(a, 1)
    start, end = start_dim % len(shape), end_dim % len(shape)
    new = (*shape[:start], -1, *shape[end + 1 :])
    return reshape(a, new)


def _plain_index(index: Any) -> Any:
    """Turn tensors inside an index into arrays so that NumPy understands it."""
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, tuple):
        return tuple(i.data if isinstance(i, Tensor) else i for i in index)
    return index


def _is_basic(index: Any) -> bool:
    """Basic indexing (ints, slices, None, ...) never reads one position twice."""
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, np.integer, slice, type(None), type(Ellipsis))) for i in items)


def getitem(a: Tensor, index: Any) -> Tensor:
    """``a[index]``: NumPy's indexing rules; the backward pass scatter-adds ``g`` back."""
    index = _plain_index(index)
    ad = a.data
    out = ad[index]
    basic = _is_basic(index)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros_like(ad)
        if basic:
            grad[index] = g
        else:
            np.add.at(grad, index, g)  # a position read twice gets both gradients
        return (grad,)

    # Basic indexing gives a view; copy so later in-place updates of ``a`` cannot leak in.
    return from_op(np.array(out) if basic else out, (a,), backward, "IndexBackward")


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension (``torch.cat``)."""
    tensors = tuple(as_tensor(t) for t in tensors)
    if not tensors:
        raise ValueError("cat: expected a non-empty sequence of tensors, got an empty one.")
    out = np.concatenate([t.data for t in tensors], axis=dim)
    splits = np.cumsum([t.data.shape[dim] for t in tensors])[:-1]

    def backward(g: np.ndarray) -> list[np.ndarray]:
        return np.split(g, splits, axis=dim)

    return from_op(out, tensors, backward, "CatBackward")


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of equal shape along a new dimension (``torch.stack``)."""
    tensors = tuple(as_tensor(t) for t in tensors)
    if not tensors:
        raise ValueError("stack: expected a non-empty sequence of tensors, got an empty one.")
    out = np.stack([t.data for t in tensors], axis=dim)

    def backward(g: np.ndarray) -> list[np.ndarray]:
        return [np.take(g, i, axis=dim) for i in range(len(tensors))]

    return from_op(out, tensors, backward, "StackBackward")
