"""How an operation's result joins the graph: :func:`from_op`, and the tensors it makes.

The operations in :mod:`nnlib.ops` build their results here rather than by importing the
``Tensor`` class: the class sits *above* them, since its methods (``x.sum()``, ``a @ b``)
call them. :mod:`nnlib._tensor` hands the class over with :func:`set_tensor_class` as soon
as it is defined, before any operation can run.

Taught in chapter 2 (backpropagation).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeGuard, cast

import numpy as np

from nnlib import grad_mode

if TYPE_CHECKING:
    from nnlib._tensor import Tensor

BackwardFn = Callable[[np.ndarray], Sequence["np.ndarray | None"]]

# What a node keeps for the version check: each saved tensor (or its _SavedOutput) with the
# version it had when the operation ran.
SavedVersions = list[tuple["Tensor | _SavedOutput", int]]

# What a node that keeps no tensor for its backward rule holds in ``_saved`` (``+``, ``sum``,
# reshapes): such a node may be walked again after a backward pass, as in PyTorch.
_NOTHING_SAVED: SavedVersions = []


class _NoTensorClassYet:
    """Stands in for ``Tensor`` until :mod:`nnlib._tensor` registers it (no instances)."""


# The class of every tensor made here: nnlib._tensor.Tensor, once it is defined.
_tensor_class: type[Tensor] = cast("type[Tensor]", _NoTensorClassYet)


def set_tensor_class(cls: type[Tensor]) -> None:
    """Make :func:`wrap`, :func:`from_op` and :func:`as_tensor` build instances of ``cls``."""
    global _tensor_class
    _tensor_class = cls


def is_tensor(obj: Any) -> TypeGuard[Tensor]:
    """Whether ``obj`` is a tensor (PyTorch's ``torch.is_tensor``)."""
    return isinstance(obj, _tensor_class)


def wrap(data: np.ndarray) -> Tensor:
    """Wrap an array the library just computed: no copy, no checks, no graph."""
    out: Tensor = object.__new__(_tensor_class)
    # NumPy returns a scalar, not a 0-d array, from most operations on 0-d arrays.
    out.data = data if type(data) is np.ndarray else np.asarray(data)
    out._grad = None
    out._parents = ()
    out._backward = None
    out._op = ""
    out._vc = [0]
    out._saved = _NOTHING_SAVED
    out._retains_grad = False
    out.requires_grad = False
    return out


def _to_array(data: Any, dtype: Any = None) -> np.ndarray:
    """Copy ``data`` into a fresh array with PyTorch's dtype inference.

    NumPy arrays keep their dtype (float64 stays float64); Python floats become float32 and
    Python ints int64, as ``torch.tensor`` does.
    """
    if isinstance(data, _tensor_class):
        data = data.data
    try:
        if dtype is not None:
            return np.array(data, dtype=dtype)
        arr = np.array(data)
    except ValueError as exc:
        if "inhomogeneous" not in str(exc) and "sequence" not in str(exc):
            raise
        raise ValueError(
            "Tensor: expected a rectangular (nested) list, every row the same length, got "
            "rows of different lengths.\nhelp: check the lengths of the inner lists (e.g. "
            "[len(row) for row in data]); pad or drop the short rows."
        ) from None
    if not isinstance(data, (np.ndarray, np.generic)) and arr.dtype.kind == "f":
        arr = arr.astype(np.float32)
    if arr.dtype.kind in "iu" and arr.dtype != np.int64:
        arr = arr.astype(np.int64)
    if arr.dtype.kind in "US":
        raise TypeError(
            f"Tensor: expected numbers, got text ({data!r:.40}).\nhelp: numbers read as "
            "text must be converted first, e.g. float('0.5'), or "
            "np.array(rows, dtype=np.float32) for a table read from a file."
        )
    if arr.dtype.kind not in "fiub":
        raise TypeError(
            f"Tensor: expected numbers (floats, ints or bools), got dtype {arr.dtype}.\n"
            "help: pass a list or NumPy array of numbers, e.g. nnlib.tensor([1.0, 2.0])."
        )
    return arr


def from_op(
    data: np.ndarray,
    parents: tuple[Tensor, ...],
    backward: BackwardFn,
    op: str,
    saved: Sequence[Tensor] | None = None,
    view_of: Tensor | None = None,
    saves_output: bool = False,
) -> Tensor:
    """Wrap the result of an operation and, when needed, record how to differentiate it.

    This is how every operation in :mod:`nnlib.ops` joins the graph. ``backward`` receives
    the gradient of the result (an array shaped like ``data``) and returns one array per
    parent (or ``None`` for a parent that needs no gradient), each shaped like that parent.

    Args:
        data: The computed values (owned by the new tensor; not copied).
        parents: The input tensors.
        backward: The chain rule for this operation, as described above.
        op: A name for the graph, shown as ``grad_fn`` (e.g. ``"MulBackward"``).
        saved: The tensors whose values ``backward`` reads (PyTorch's saved tensors). Their
            versions are recorded, so that an in-place change before the backward pass
            raises; and a node that saved something cannot be walked twice without
            ``retain_graph=True``. ``None`` (the default) means every parent; pass ``()``
            for a rule that reads no values (``+``, ``sum``, reshapes).
        view_of: For a view (reshape, transpose, basic indexing): the tensor whose memory
            the result shares, so both count in-place changes together.
        saves_output: ``backward`` reads the result itself (``exp``, ``tanh``, ``sigmoid``,
            ``softmax``, ...): its version is recorded too, so changing the result in place
            before the backward pass raises, as in PyTorch.

    Returns:
        A tensor that requires grad, with the graph edge, if recording is on and any parent
        requires grad; a plain tensor otherwise.
    """
    out: Tensor = object.__new__(_tensor_class)
    # NumPy returns a scalar, not a 0-d array, from most operations on 0-d arrays.
    out.data = data if type(data) is np.ndarray else np.asarray(data)
    out._grad = None
    out._retains_grad = False
    if grad_mode.is_grad_enabled() and any(p.requires_grad for p in parents):
        out.requires_grad = True
        out._parents = parents
        out._backward = backward
        out._op = op
        if saved is None:
            saved = parents
        out._saved = [(t, t._vc[0]) for t in saved] if saved else _NOTHING_SAVED
    else:
        out.requires_grad = False
        out._parents = ()
        out._backward = None
        out._op = ""
        out._saved = _NOTHING_SAVED
    out._vc = [0] if view_of is None else view_of._vc
    if saves_output and out.requires_grad:
        out._saved = [*out._saved, (_SavedOutput(out), out._vc[0])]
    return out


class _SavedOutput:
    """What a node keeps of its own result for the version check: the result's version
    counter and values, not the tensor itself (that would be a reference cycle)."""

    __slots__ = ("_vc", "data")

    def __init__(self, out: Tensor) -> None:
        self._vc = out._vc
        self.data = out.data


def as_tensor(value: Any) -> Tensor:
    """Return ``value`` if it is a tensor; otherwise wrap it as a constant (no copy)."""
    if isinstance(value, _tensor_class):
        return value
    arr = np.asarray(value) if isinstance(value, np.ndarray) else _to_array(value)
    if arr.dtype.kind not in "fiub":
        raise TypeError(
            f"expected a tensor or numbers, got {type(value).__name__} ({value!r:.60}).\n"
            "help: pass a tensor (nnlib.tensor([...])) or a plain number; a string such as "
            "'0.5' must be converted first, float('0.5')."
        )
    return wrap(arr)
