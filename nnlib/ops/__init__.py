"""Every differentiable operation, and the ``Tensor`` methods and operators that call them.

The operations are grouped by kind: :mod:`~nnlib.ops.pointwise` (``+``, ``*``, ``exp``,
``relu``, ...), :mod:`~nnlib.ops.reduce` (``sum``, ``mean``, ``max``, ...),
:mod:`~nnlib.ops.shape` (``reshape``, indexing, ``cat``, ...), :mod:`~nnlib.ops.linalg`
(``@`` and ``linear``) and :mod:`~nnlib.ops.norms` (``renorm``). The ``Tensor`` methods and
operators (``x.sum()``, ``a @ b``) call them.

Taught in chapter 2 (backpropagation).
"""

from __future__ import annotations

from nnlib.ops import linalg, norms, pointwise, reduce, shape
from nnlib.ops.linalg import linear, matmul
from nnlib.ops.norms import renorm
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
    "norms", "permute", "pointwise", "pow", "reduce", "relu", "renorm", "reshape", "shape",
    "sigmoid", "sqrt",
    "squeeze", "stack", "sub", "sum", "tanh", "transpose", "unbroadcast", "unsqueeze", "var",
    "where",
]  # fmt: skip
