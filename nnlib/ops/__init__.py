"""Every differentiable operation, and the ``Tensor`` methods and operators that call them.

The operations are grouped by kind: :mod:`~nnlib.ops.pointwise` (``+``, ``*``, ``exp``,
``relu``, ...), :mod:`~nnlib.ops.reduce` (``sum``, ``mean``, ``max``, ...),
:mod:`~nnlib.ops.shape` (``reshape``, indexing, ``cat``, ...) and :mod:`~nnlib.ops.linalg`
(``@`` and ``linear``). This module binds them to ``Tensor`` so that ``x.sum()`` and
``a @ b`` work as in PyTorch.

Taught in chapter 2 (backpropagation).
"""

from __future__ import annotations

from typing import Any

import numpy as np

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
from nnlib.tensor import Tensor, from_op

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
    "__rmatmul__": lambda self, other: matmul(other, self),
    "__neg__": neg,
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
    "float": lambda self: cast(self, np.float32),
    "double": lambda self: cast(self, np.float64),
    "long": lambda self: cast(self, np.int64),
    "int": lambda self: cast(self, np.int32),
    "bool": lambda self: cast(self, np.bool_),
    "argmax": lambda self, dim=None, keepdim=False: Tensor._wrap(
        np.asarray(np.argmax(self.data, axis=dim, keepdims=keepdim), dtype=np.int64)),
    "argmin": lambda self, dim=None, keepdim=False: Tensor._wrap(
        np.asarray(np.argmin(self.data, axis=dim, keepdims=keepdim), dtype=np.int64)),
    "all": lambda self: Tensor._wrap(np.asarray(self.data.all())),
    "any": lambda self: Tensor._wrap(np.asarray(self.data.any())),
    "clone": lambda self: from_op(self.data.copy(), (self,), lambda g: (g,), "CloneBackward"),
}  # fmt: skip

for _name, _fn in _methods.items():
    setattr(Tensor, _name, _fn)

Tensor.T = property(  # type: ignore[attr-defined]
    lambda self: permute(self, tuple(reversed(range(self.data.ndim)))),
    doc="The tensor with its dimensions reversed (the transpose of a matrix).",
)
