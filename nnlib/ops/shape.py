"""Operations that move values around without changing them: reshape, transpose, index, join.

Their backward rules move the gradient back the same way: a reshape is undone by a
reshape, a transpose by the inverse transpose, and indexing scatters the gradient into
zeros at the positions that were read (adding where one position was read twice).

Taught in chapter 2 (backpropagation).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from nnlib._checks import check_dim
from nnlib._graph import as_tensor, from_op, is_tensor
from nnlib.ops.pointwise import unbroadcast

if TYPE_CHECKING:
    from nnlib._tensor import Tensor


def reshape(a: Tensor, *shape: Any) -> Tensor:
    """The same values in a new shape (``-1`` infers one dimension), as ``torch.reshape``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    old = a.data.shape
    if not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in shape):
        raise TypeError(
            f"reshape: expected the new shape as ints, got {shape!r}.\nhelp: e.g. "
            "x.reshape(-1, 1) or x.reshape((2, 3)); a size from a division needs // or int()."
        )
    try:
        out = a.data.reshape(shape)
    except ValueError:
        raise ValueError(
            f"reshape: expected a shape with {a.data.size} elements in all, got {shape} for "
            f"a tensor of shape {old}.\nhelp: the product of the new sizes must equal "
            f"{a.data.size}; use -1 for one size to have it worked out."
        ) from None
    view = a if np.may_share_memory(out, a.data) else None
    return from_op(out, (a,), lambda g: (g.reshape(old),), "ViewBackward", (), view)


def transpose(a: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap two dimensions (``torch.transpose``)."""
    dim0 = check_dim("transpose", dim0, a.data.ndim)
    dim1 = check_dim("transpose", dim1, a.data.ndim)
    out = np.swapaxes(a.data, dim0, dim1)
    backward = lambda g: (np.swapaxes(g, dim0, dim1),)  # noqa: E731
    return from_op(out, (a,), backward, "TransposeBackward", (), a)


def permute(a: Tensor, *dims: Any) -> Tensor:
    """Reorder all dimensions (``torch.permute``)."""
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = tuple(dims[0])
    if len(dims) != a.data.ndim:
        raise RuntimeError(
            f"permute: expected {a.data.ndim} dims, one per dimension of the tensor of shape "
            f"{a.data.shape}, got {len(dims)}: {tuple(dims)}.\nhelp: list every dimension "
            "once in its new order, e.g. x.permute(1, 0) for a matrix; to swap two, use "
            "x.transpose(d0, d1)."
        )
    dims = tuple(check_dim("permute", d, a.data.ndim) for d in dims)  # argsort needs dims >= 0
    if len(set(dims)) != len(dims):
        raise RuntimeError(
            f"permute: expected each dim once, got repeated dims {dims}.\nhelp: list every "
            "dimension exactly once in its new order."
        )
    inverse = tuple(np.argsort(dims))
    out = np.transpose(a.data, dims)
    backward = lambda g: (np.transpose(g, inverse),)  # noqa: E731
    return from_op(out, (a,), backward, "PermuteBackward", (), a)


def unsqueeze(a: Tensor, dim: int) -> Tensor:
    """Insert a dimension of size one at ``dim``."""
    old = a.data.shape
    out = np.expand_dims(a.data, check_dim("unsqueeze", dim, a.data.ndim, extra=1))
    return from_op(out, (a,), lambda g: (g.reshape(old),), "UnsqueezeBackward", (), a)


def expand(a: Tensor, *sizes: Any) -> Tensor:
    """Broadcast ``a`` to ``sizes`` without copying (``-1`` keeps a dimension's size).

    As in PyTorch, only dimensions of size one (or new leading ones) can grow, and the
    result is a view whose elements share memory: write to a ``.clone()`` of it instead.
    Backward sums the gradient over the broadcast dimensions.

    Example:
        >>> import nnlib
        >>> nnlib.tensor([[1.0], [2.0]]).expand(2, 3)
        tensor([[1., 1., 1.],
                [2., 2., 2.]])
    """
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        sizes = tuple(sizes[0])
    old = a.data.shape
    bad = [s for s in sizes if isinstance(s, bool) or not isinstance(s, (int, np.integer))]
    if bad or len(sizes) < len(old):
        raise ValueError(
            f"expand: expected at least {len(old)} integer sizes (one per dimension of the "
            f"tensor's shape {old}, -1 to keep one), got {sizes!r}.\nhelp: e.g. "
            f"x.expand({', '.join(['4'] * (len(sizes) - len(old)) + ['-1'] * len(old)) or '-1'})."
        )
    lead = len(sizes) - len(old)
    shape = [int(s) for s in sizes]
    for i, size in enumerate(old):
        want = shape[lead + i]
        if want == -1:
            shape[lead + i] = size
        elif size != 1 and want != size:
            raise ValueError(
                f"expand: expected size {size} (or -1) for dimension {lead + i}, which is "
                f"not of size 1, got {want}.\nhelp: only dimensions of size 1 can be "
                "expanded; use .repeat() or torch-style tiling to copy data instead."
            )
    if any(s < 0 for s in shape[:lead]):
        raise ValueError(
            f"expand: expected non-negative sizes for the new leading dimensions, got "
            f"{tuple(shape[:lead])}.\nhelp: -1 only keeps an existing dimension."
        )
    out = np.broadcast_to(a.data, tuple(shape))
    return from_op(out, (a,), lambda g: (unbroadcast(g, old),), "ExpandBackward", (), a)


def squeeze(a: Tensor, dim: int | None = None) -> Tensor:
    """Remove dimensions of size one (only ``dim`` if given and of size one)."""
    old = a.data.shape
    if dim is None:
        out = a.data.squeeze()
    else:
        dim = check_dim("squeeze", dim, a.data.ndim)
        out = a.data.squeeze(dim) if a.data.shape[dim] == 1 else a.data
    return from_op(out, (a,), lambda g: (g.reshape(old),), "SqueezeBackward", (), a)


def flatten(a: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dimensions ``start_dim`` … ``end_dim`` into one (``torch.flatten``)."""
    shape = a.data.shape
    if not shape:
        return reshape(a, 1)
    start = check_dim("flatten", start_dim, len(shape))
    end = check_dim("flatten", end_dim, len(shape))
    if start > end:
        raise RuntimeError(
            f"flatten: expected start_dim <= end_dim, got start_dim={start_dim} and "
            f"end_dim={end_dim} for shape {shape}.\nhelp: e.g. x.flatten(1) keeps the batch "
            "dimension and merges the rest."
        )
    new = (*shape[:start], -1, *shape[end + 1 :])
    return reshape(a, new)


def _plain_index(index: Any) -> Any:
    """Turn tensors inside an index into arrays so that NumPy understands it."""
    if is_tensor(index):
        return index.data
    if isinstance(index, tuple):
        return tuple(i.data if is_tensor(i) else i for i in index)
    return index


def _is_basic(index: Any) -> bool:
    """Basic indexing (ints, slices, None, ...) never reads one position twice."""
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, np.integer, slice, type(None), type(Ellipsis))) for i in items)


def getitem(a: Tensor, index: Any) -> Tensor:
    """``a[index]``: NumPy's indexing rules; the backward pass scatter-adds ``g`` back."""
    index = _plain_index(index)
    ad = a.data
    try:
        out = ad[index]
    except IndexError as exc:
        raise IndexError(
            f"index: {exc} (a tensor of shape {ad.shape}).\nhelp: indices run from 0 to "
            "size - 1 (or -size to -1) in each dimension; index with ints, slices, or integer "
            "or boolean tensors (labels: y.long())."
        ) from None
    basic = _is_basic(index)

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros_like(ad)
        if basic:
            grad[index] = g
        else:
            np.add.at(grad, index, g)  # a position read twice gets both gradients
        return (grad,)

    # Basic indexing gives a view; copy so later in-place updates of ``a`` cannot leak in.
    return from_op(np.array(out) if basic else out, (a,), backward, "IndexBackward", ())


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension (``torch.cat``)."""
    tensors = _sequence("cat", tensors)
    first = tensors[0].data.shape
    dim = check_dim("cat", dim, len(first))
    for i, t in enumerate(tensors):
        shape = t.data.shape
        if len(shape) != len(first) or any(
            s != f for k, (s, f) in enumerate(zip(shape, first, strict=False)) if k != dim
        ):
            raise RuntimeError(
                f"cat: expected tensors of the same shape except in dimension {dim}, got "
                f"shape {first} for tensor 0 and {shape} for tensor {i}.\nhelp: every other "
                "size must match; check which dimension you join along (dim=0 stacks "
                "rows, dim=1 columns), or reshape one tensor first."
            )
    out = np.concatenate([t.data for t in tensors], axis=dim)
    splits = np.cumsum([t.data.shape[dim] for t in tensors])[:-1]

    def backward(g: np.ndarray) -> list[np.ndarray]:
        return np.split(g, splits, axis=dim)

    return from_op(out, tensors, backward, "CatBackward", ())


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of equal shape along a new dimension (``torch.stack``)."""
    tensors = _sequence("stack", tensors)
    first = tensors[0].data.shape
    dim = check_dim("stack", dim, len(first), extra=1)
    for i, t in enumerate(tensors):
        if t.data.shape != first:
            raise RuntimeError(
                f"stack: expected each tensor to be equal size, got {first} for tensor 0 "
                f"and {t.data.shape} for tensor {i}.\nhelp: stack adds a new dimension, so "
                "all shapes must match; to join along an existing one, use cat."
            )
    out = np.stack([t.data for t in tensors], axis=dim)

    def backward(g: np.ndarray) -> list[np.ndarray]:
        return [np.take(g, i, axis=dim) for i in range(len(tensors))]

    return from_op(out, tensors, backward, "StackBackward", ())


def _sequence(where: str, tensors: Any) -> tuple[Tensor, ...]:
    """The tensors of a ``cat``/``stack`` call, refusing a lone tensor or an empty list."""
    if is_tensor(tensors) or isinstance(tensors, np.ndarray) or not isinstance(tensors, Sequence):
        raise TypeError(
            f"{where}: expected a sequence (list or tuple) of tensors, got "
            f"{type(tensors).__name__}.\nhelp: put the tensors in a list, e.g. "
            f"nnlib.{where}([a, b], dim=0)."
        )
    if not tensors:
        raise ValueError(
            f"{where}: expected a non-empty sequence of tensors, got an empty one.\n"
            "help: pass at least one tensor."
        )
    return tuple(as_tensor(t) for t in tensors)
