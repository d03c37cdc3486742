"""nnlib: a small NumPy autograd library with PyTorch's names and semantics.

Built for the neural-network basics course: every chapter imports it, and every part of it
is short enough to read. The layers, from the ground up: :mod:`nnlib._tensor` and
:mod:`nnlib.ops` (values and their backward rules), :mod:`nnlib.autograd` (the backward
walk, ``no_grad``, ``gradcheck``), then :mod:`nnlib.nn`, :mod:`nnlib.optim` and
:mod:`nnlib.data`.

Example:
    >>> import nnlib
    >>> w = nnlib.tensor([0.5, -1.0], requires_grad=True)
    >>> x = nnlib.tensor([2.0, 1.0])
    >>> loss = ((w * x).sum() - 1.0) ** 2
    >>> loss.backward()
    >>> w.grad
    tensor([-4., -2.])
"""

from types import ModuleType

from nnlib._notebook import name_hint_off, name_hint_on
from nnlib._tensor import Tensor, bool_, float32, float64, int32, int64
from nnlib.creation import (
    arange,
    eye,
    from_numpy,
    full,
    linspace,
    ones,
    ones_like,
    rand,
    randint,
    randn,
    tensor,
    zeros,
    zeros_like,
)
from nnlib.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from nnlib.ops import (
    abs,
    cat,
    clip,
    exp,
    log,
    logsumexp,
    matmul,
    maximum,
    mean,
    relu,
    renorm,
    sigmoid,
    sqrt,
    stack,
    tanh,
    where,
)
from nnlib.random import manual_seed

clamp = clip

# In a notebook, a NameError says which cells to run first (nnlib._notebook; off with
# nnlib.name_hint_off()). Outside IPython this does nothing.
name_hint_on()

__all__ = [
    "Tensor", "abs", "arange", "bool_", "cat", "clamp", "clip", "enable_grad", "exp", "eye",
    "float32", "float64", "from_numpy", "full", "int32", "int64", "is_grad_enabled",
    "linspace", "log", "logsumexp", "manual_seed", "matmul", "maximum", "mean", "name_hint_off",
    "name_hint_on", "no_grad",
    "ones", "ones_like", "rand", "randint", "randn", "relu", "renorm", "set_grad_enabled",
    "sigmoid", "sqrt", "stack", "tanh", "tensor", "where", "zeros", "zeros_like",
]  # fmt: skip


def __getattr__(name: str) -> ModuleType:
    import importlib

    if name in ("nn", "optim", "data", "autograd", "plot", "widgets", "exercises"):
        return importlib.import_module(f"nnlib.{name}")
    raise AttributeError(f"module 'nnlib' has no attribute {name!r}")
