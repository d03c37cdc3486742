"""Error messages that say what was expected, what was given, and how to fix it.

Every check at nnlib's public boundary raises through :func:`error` so that messages share
one shape::

    Linear.forward: expected input with 5 features in its last dimension, got shape (2, 4).
    help: the layer was built as Linear(in_features=5, ...); pass inputs of shape (N, 5).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np

from nnlib._graph import is_tensor

if TYPE_CHECKING:
    from nnlib._tensor import Tensor


def error(
    where: str, expected: str, got: str, hint: str, kind: type[Exception] = ValueError
) -> NoReturn:
    """Raise ``kind`` with nnlib's three-part message: where, expected vs got, and a hint.

    Args:
        where: The public function or method that refused its input, e.g. ``"F.mse_loss"``.
        expected: What it needed, phrased to follow "expected".
        got: What it was given, phrased to follow "got".
        hint: How to fix the call; printed after ``help:``.
        kind: The exception class, ``ValueError`` by default.

    Raises:
        Exception: always, of type ``kind``.
    """
    __tracebackhide__ = True  # IPython and pytest hide this frame
    raise kind(f"{where}: expected {expected}, got {got}.\nhelp: {hint}")


def check_tensor(
    where: str,
    value: object,
    expected: str = "a Tensor",
    hint: str = "wrap the values first, e.g. nnlib.tensor([...]).",
) -> Tensor:
    """Return ``value`` if it is a tensor; otherwise raise ``TypeError`` naming its type."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if not is_tensor(value):
        error(where, expected, type(value).__name__, hint, TypeError)
    return value


def shape_str(shape: tuple[int, ...]) -> str:
    """Format a shape the way PyTorch prints it: ``(64, 1)``, ``(3,)`` or ``()``."""
    return str(tuple(int(s) for s in shape))


def check_reduction(where: str, reduction: str) -> None:
    """Refuse any reduction other than ``'mean'``, ``'sum'`` or ``'none'``."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if reduction not in ("mean", "sum", "none"):
        error(
            where,
            "reduction to be 'mean', 'sum' or 'none'",
            repr(reduction),
            "use reduction='mean' (the default) for a scalar loss, 'none' for one per example.",
        )


def check_positive(where: str, name: str, value: float, allow_zero: bool = True) -> None:
    """Refuse a negative (or, with ``allow_zero=False``, a non-positive) hyper-parameter."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    bad = value < 0 if allow_zero else value <= 0
    if bad or not np.isfinite(value):
        bound = ">= 0" if allow_zero else "> 0"
        error(where, f"{name} {bound}", repr(value), f"pass a finite {name} {bound}.")


def check_dim(where: str, dim: Any, ndim: int, extra: int = 0) -> int:
    """Check one dimension index against PyTorch's range and return it as a non-negative int.

    ``extra=1`` allows one past the end (``unsqueeze`` inserts a new dimension there).
    """
    __tracebackhide__ = True  # IPython and pytest hide this frame
    size = max(ndim + extra, 1)
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(
            f"{where}: expected dim to be an int, got {type(dim).__name__} ({dim!r}).\n"
            "help: pass one integer dimension, e.g. dim=0 (rows) or dim=-1 (the last)."
        )
    if not -size <= dim < size:
        raise IndexError(
            f"{where}: Dimension out of range (expected to be in range of [{-size}, "
            f"{size - 1}], but got {dim}) for a tensor of {ndim} dimension(s).\n"
            f"help: dims count from 0 to {size - 1} (or -1 for the last); check the "
            "tensor's .shape."
        )
    return int(dim) % size
