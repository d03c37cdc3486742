"""``Parameter``: a tensor that a module learns.

Taught in chapter 1 (the perceptron and the artificial neuron).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlib._tensor import Tensor, _to_array


class Parameter(Tensor):
    """A leaf tensor that requires grad and that a ``Module`` registers when assigned.

    Args:
        data: The initial values. Python numbers become float32 (PyTorch's default for
            parameters); NumPy arrays keep their floating dtype.
        requires_grad: Whether it is trained (default ``True``).

    Example:
        >>> from nnlib.nn import Parameter
        >>> w = Parameter([[0.1, 0.2]])
        >>> w.requires_grad, w.dtype
        (True, dtype('float32'))

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            data = np.empty(0, dtype=np.float32)
        arr = _to_array(data)
        if arr.dtype.kind != "f":
            arr = arr.astype(np.float32)
        super().__init__(arr, requires_grad=False)
        self.data = arr
        self.requires_grad_(requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
