"""Functions that make tensors: ``tensor``, ``zeros``, ``ones``, ``randn``, ``arange``, ...

They mirror PyTorch's factory functions. Random ones draw from nnlib's seeded generator
(:func:`nnlib.manual_seed`).

Taught in chapter 1 (the perceptron and the artificial neuron).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlib._tensor import Tensor
from nnlib.random import default_generator


def _shape(size: tuple[Any, ...]) -> tuple[int, ...]:
    sizes = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 0:
            raise (ValueError if isinstance(s, (int, np.integer)) else TypeError)(
                f"expected sizes that are ints >= 0, got {sizes!r}.\nhelp: give the shape as "
                "ints, e.g. nnlib.randn(64, 2) or nnlib.zeros((3, 4)); a size from a float "
                "needs int(...)."
            )
    return tuple(int(s) for s in sizes)


def _make(data: np.ndarray, requires_grad: bool) -> Tensor:
    t = Tensor._wrap(data)
    return t.requires_grad_(True) if requires_grad else t


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Make a tensor from numbers, copying them (``torch.tensor``).

    Example:
        >>> import nnlib
        >>> nnlib.tensor([[1.0, 2.0], [3.0, 4.0]]).shape
        (2, 2)
    """
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """Wrap a NumPy array without copying it (``torch.from_numpy``): they share memory."""
    if not isinstance(array, np.ndarray):
        raise TypeError(
            f"from_numpy: expected a NumPy array, got {type(array).__name__}.\n"
            "help: use nnlib.tensor(data) for lists and numbers."
        )
    return Tensor._wrap(array)


def zeros(*size: Any, dtype: Any = np.float32, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros of the given shape (float32 by default)."""
    return _make(np.zeros(_shape(size), dtype=dtype), requires_grad)


def ones(*size: Any, dtype: Any = np.float32, requires_grad: bool = False) -> Tensor:
    """A tensor of ones of the given shape (float32 by default)."""
    return _make(np.ones(_shape(size), dtype=dtype), requires_grad)


def full(size: Any, fill_value: float, dtype: Any = np.float32,
         requires_grad: bool = False) -> Tensor:  # fmt: skip
    """A tensor of the given shape filled with ``fill_value``."""
    return _make(np.full(_shape((size,)), fill_value, dtype=dtype), requires_grad)


def zeros_like(t: Tensor, requires_grad: bool = False) -> Tensor:
    """Zeros with the shape and dtype of ``t``."""
    return _make(np.zeros_like(t.data), requires_grad)


def ones_like(t: Tensor, requires_grad: bool = False) -> Tensor:
    """Ones with the shape and dtype of ``t``."""
    return _make(np.ones_like(t.data), requires_grad)


def arange(start: float, end: float | None = None, step: float = 1, dtype: Any = None) -> Tensor:
    """Evenly spaced values in ``[start, end)`` (``torch.arange``)."""
    if end is None:
        start, end = 0, start
    data = np.arange(start, end, step)
    if dtype is not None:
        data = data.astype(dtype)
    elif data.dtype.kind == "f":
        data = data.astype(np.float32)
    return Tensor._wrap(data)


def linspace(start: float, end: float, steps: int, dtype: Any = np.float32) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    return Tensor._wrap(np.linspace(start, end, steps, dtype=dtype))


def eye(n: int, dtype: Any = np.float32) -> Tensor:
    """The ``n × n`` identity matrix."""
    return Tensor._wrap(np.eye(n, dtype=dtype))


def randn(*size: Any, dtype: Any = np.float32, requires_grad: bool = False) -> Tensor:
    """Standard normal samples of the given shape, from nnlib's seeded generator."""
    data = default_generator().standard_normal(_shape(size)).astype(dtype, copy=False)
    return _make(data, requires_grad)


def rand(*size: Any, dtype: Any = np.float32, requires_grad: bool = False) -> Tensor:
    """Uniform samples in ``[0, 1)`` of the given shape, from nnlib's seeded generator."""
    data = default_generator().random(_shape(size)).astype(dtype, copy=False)
    return _make(data, requires_grad)


def randint(low: int, high: int, size: tuple[int, ...]) -> Tensor:
    """Random integers in ``[low, high)`` (int64), from nnlib's seeded generator."""
    if not low < high:
        raise RuntimeError(
            f"randint: expected low < high, got low={low} and high={high}.\nhelp: high is "
            "excluded: randint(0, 10, (5,)) gives 0 … 9; did you swap them?"
        )
    size = _shape((size,))
    return Tensor._wrap(default_generator().integers(low, high, size=size, dtype=np.int64))
