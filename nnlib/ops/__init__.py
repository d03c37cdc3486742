"""Every differentiable operation, and the ``Tensor`` methods and operators that call them.

The operations are grouped by kind: :mod:`~nnlib.ops.pointwise` (``+``, ``*``, ``exp``,
``relu``, ...), :mod:`~nnlib.ops.reduce` (``sum``, ``mean``, ``max``, ...),
:mod:`~nnlib.ops.shape` (``reshape``, indexing, ``cat``, ...) and :mod:`~nnlib.ops.linalg`
(``@`` and ``linear``). This module binds them to ``Tensor`` so that ``x.sum()`` and
``a @ b`` work as in PyTorch.

Taught in chapter 2 (backpropagation).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from nnlib._tensor import Tensor, from_op
from nnlib.ops import linalg, pointwise, reduce, shape
from nnlib.ops.linalg import linear, matmul
from nnlib.ops.pointwise import (
    abs,
    add,
    cast,
    clip,
    div,
    exp,
    log,
    maximum,
    mul,
    neg,
    pow,
    relu,
    sigmoid,
    sqrt,
    sub,
    tanh,
    unbroadcast,
    where,
)
from nnlib.ops.reduce import logsumexp, max, mean, min, sum, var
from nnlib.ops.shape import (
    cat,
    flatten,
    getitem,
    permute,
    reshape,
    squeeze,
    stack,
    transpose,
    unsqueeze,
)

__all__ = [
    "abs", "add", "cast", "cat", "clip", "div", "exp", "flatten", "getitem", "linalg",
    "linear", "log", "logsumexp", "matmul", "max", "maximum", "mean", "min", "mul", "neg",
    "permute", "pointwise", "pow", "reduce", "relu", "reshape", "shape", "sigmoid", "sqrt",
    "squeeze", "stack", "sub", "sum", "tanh", "transpose", "unbroadcast", "unsqueeze", "var",
    "where",
]  # fmt: skip


def _compare(ufunc: np.ufunc) -> Any:
    def method(self: Tensor, other: Any) -> Tensor:
        other = other.data if isinstance(other, Tensor) else other
        return Tensor._wrap(ufunc(self.data, other))

    return method


def _rsub(self: Tensor, other: Any) -> Tensor:
    return add(neg(self), other)


def _rdiv(self: Tensor, other: Any) -> Tensor:
    # A plain number takes the tensor's dtype only where it fits: 2.5 / int_tensor is 1.25,
    # not 2 / int_tensor.
    num = pointwise.scalar_like(other, self.data.dtype) if _is_number(other) else other
    return div(num, self)


def _rpow(self: Tensor, other: Any) -> Tensor:
    base = pointwise.scalar_like(other, self.data.dtype) if _is_number(other) else other
    return pow(base, self)


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.number)) and not isinstance(x, (bool, np.bool_))


def _to(self: Tensor, dtype: Any) -> Tensor:
    """Convert to ``dtype`` (e.g. ``nnlib.float64``); differentiable between float types."""
    return cast(self, dtype)


def _var(self: Tensor, dim: Any = None, keepdim: bool = False, *, correction: int = 1,
         unbiased: bool | None = None) -> Tensor:  # fmt: skip
    if unbiased is not None:
        correction = int(unbiased)
    return var(self, dim, keepdim, correction)


def _std(self: Tensor, dim: Any = None, keepdim: bool = False, *, correction: int = 1,
         unbiased: bool | None = None) -> Tensor:  # fmt: skip
    return sqrt(_var(self, dim, keepdim, correction=correction, unbiased=unbiased))


def _float(self: Tensor) -> Tensor:
    """Convert to float32 (differentiable)."""
    return cast(self, np.float32)


def _double(self: Tensor) -> Tensor:
    """Convert to float64 (differentiable): what finite-difference checks need."""
    return cast(self, np.float64)


def _long(self: Tensor) -> Tensor:
    """Convert to int64, the dtype of class indices (no gradient)."""
    return cast(self, np.int64)


def _int(self: Tensor) -> Tensor:
    """Convert to int32 (no gradient)."""
    return cast(self, np.int32)


def _bool(self: Tensor) -> Tensor:
    """Convert to bool (no gradient)."""
    return cast(self, np.bool_)


def _argmax(self: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the largest value (over everything, or along ``dim``), as int64."""
    axis = None if dim is None else _one_dim("argmax", dim, self.data.ndim)
    return Tensor._wrap(np.asarray(np.argmax(self.data, axis=axis, keepdims=keepdim), np.int64))


def _argmin(self: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the smallest value (over everything, or along ``dim``), as int64."""
    axis = None if dim is None else _one_dim("argmin", dim, self.data.ndim)
    return Tensor._wrap(np.asarray(np.argmin(self.data, axis=axis, keepdims=keepdim), np.int64))


def _one_dim(where: str, dim: Any, ndim: int) -> int:
    if isinstance(dim, (tuple, list)):
        raise TypeError(
            f"{where}: expected one int dim, got {dim!r}.\nhelp: {where} works along one "
            "dimension; flatten first to search several, e.g. x.flatten()."
        )
    return reduce._axes(dim, ndim, where)[0]


def _all(self: Tensor, dim: int | None = None, keepdim: bool = False, *,
         out: None = None) -> Tensor:  # fmt: skip
    """``True`` where every element (over everything, or along ``dim``) is non-zero."""
    return _logical(self, np.all, dim, keepdim, out)


def _any(self: Tensor, dim: int | None = None, keepdim: bool = False, *,
         out: None = None) -> Tensor:  # fmt: skip
    """``True`` where any element (over everything, or along ``dim``) is non-zero."""
    return _logical(self, np.any, dim, keepdim, out)


def _logical(self: Tensor, fn: Any, dim: Any, keepdim: bool, out: Any) -> Tensor:
    # ``out=None`` is accepted (as torch.all accepts it) so that np.all(t) works as well.
    if out is not None:
        raise TypeError(
            f"{fn.__name__}: expected out=None, got {type(out).__name__}.\nhelp: use the "
            "returned tensor: mask = t.all(dim=1)."
        )
    axis = None if dim is None else reduce._axes(dim, self.data.ndim, fn.__name__)
    return Tensor._wrap(np.asarray(fn(self.data, axis=axis, keepdims=keepdim)))


def _format(self: Tensor, spec: str) -> str:
    """``f"{t:.3f}"`` for a one-element tensor, as in PyTorch (``repr`` otherwise)."""
    if self.data.ndim == 0:
        return format(self.data.item(), spec)
    if spec:
        raise TypeError(
            f"unsupported format string passed to Tensor.__format__: a tensor of shape "
            f"{self.data.shape} has no single number to format with {spec!r}.\nhelp: format "
            "one element, f'{t[0]:.3f}', or the number, f'{t.item():.3f}'."
        )
    return repr(self)


def _clone(self: Tensor) -> Tensor:
    """A copy with its own memory that stays in the graph (the gradient passes through)."""
    return from_op(self.data.copy(), (self,), lambda g: (g,), "CloneBackward", ())


def _rmatmul(self: Tensor, other: Any) -> Tensor:
    return matmul(other, self)


_methods: dict[str, Any] = {
    "__add__": add,
    "__radd__": add,
    "__sub__": sub,
    "__rsub__": _rsub,
    "__mul__": mul,
    "__rmul__": mul,
    "__truediv__": div,
    "__rtruediv__": _rdiv,
    "__pow__": pow,
    "__rpow__": _rpow,
    "__matmul__": matmul,
    "__rmatmul__": _rmatmul,
    "__neg__": neg,
    "__abs__": abs,
    "__format__": _format,
    "__getitem__": getitem,
    "__lt__": _compare(np.less),
    "__le__": _compare(np.less_equal),
    "__gt__": _compare(np.greater),
    "__ge__": _compare(np.greater_equal),
    "__eq__": _compare(np.equal),
    "__ne__": _compare(np.not_equal),
    "add": add,
    "sub": sub,
    "mul": mul,
    "div": div,
    "pow": pow,
    "matmul": matmul,
    "neg": neg,
    "exp": exp,
    "log": log,
    "sqrt": sqrt,
    "abs": abs,
    "tanh": tanh,
    "sigmoid": sigmoid,
    "relu": relu,
    "clip": clip,
    "clamp": clip,
    "sum": sum,
    "mean": mean,
    "max": max,
    "min": min,
    "var": _var,
    "std": _std,
    "logsumexp": logsumexp,
    "reshape": reshape,
    "view": reshape,
    "transpose": transpose,
    "permute": permute,
    "unsqueeze": unsqueeze,
    "squeeze": squeeze,
    "flatten": flatten,
    "to": _to,
    "float": _float,
    "double": _double,
    "long": _long,
    "int": _int,
    "bool": _bool,
    "argmax": _argmax,
    "argmin": _argmin,
    "all": _all,
    "any": _any,
    "clone": _clone,
}  # fmt: skip


def _numpy_names(fn: Any) -> Any:
    """Accept NumPy's ``axis=``/``keepdims=`` as PyTorch does (``x.sum(axis=1)``)."""

    @functools.wraps(fn)
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        for numpy_name, torch_name in (("axis", "dim"), ("keepdims", "keepdim")):
            if numpy_name in kwargs:
                if torch_name in kwargs or (torch_name == "dim" and args):
                    raise TypeError(
                        f"{fn.__name__}: expected {torch_name}= or {numpy_name}=, got both.\n"
                        f"help: they are two names for the same thing; pass {torch_name}= only."
                    )
                kwargs[torch_name] = kwargs.pop(numpy_name)
        return fn(self, *args, **kwargs)

    return method


for _name in ("sum", "mean", "max", "min", "var", "std", "logsumexp", "argmax", "argmin",
              "all", "any"):  # fmt: skip
    _methods[_name] = _numpy_names(_methods[_name])

for _name, _fn in _methods.items():
    setattr(Tensor, _name, _fn)

Tensor.T = property(  # type: ignore[attr-defined]
    lambda self: permute(self, tuple(reversed(range(self.data.ndim)))),
    doc="The tensor with its dimensions reversed (the transpose of a matrix).",
)
