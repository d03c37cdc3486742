"""Data sets: anything with a length that hands out one example per index.

Taught in chapter 5 (optimizers: mini-batches and epochs).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlib._checks import error, shape_str
from nnlib.data._common import wrap
from nnlib.tensor import Tensor


class Dataset:
    """Base class for map-style data sets, as ``torch.utils.data.Dataset``.

    A subclass defines ``__len__`` (how many examples) and ``__getitem__`` (example ``i``,
    usually a tuple such as ``(x, y)``). :class:`~nnlib.data.DataLoader` then batches it.

    Example:
        >>> import numpy as np
        >>> from nnlib.data import Dataset
        >>> class Squares(Dataset):
        ...     def __len__(self):
        ...         return 4
        ...     def __getitem__(self, i):
        ...         return np.array([float(i)]), np.array([float(i * i)])
        >>> len(Squares()), Squares()[3]
        (4, (array([3.]), array([9.])))

    Taught in chapter 5 (optimizers: mini-batches and epochs).
    """

    def __len__(self) -> int:
        raise NotImplementedError(
            f"{type(self).__name__}.__len__: a Dataset subclass must say how many examples "
            "it has.\nhelp: define `def __len__(self): return number_of_examples`."
        )

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__}.__getitem__: a Dataset subclass must return example "
            "`index`.\nhelp: define `def __getitem__(self, index): return x, y`."
        )


class TensorDataset(Dataset):
    """A data set made of tensors that share their first dimension, one row per example.

    Same as ``torch.utils.data.TensorDataset``: ``dataset[i]`` is the tuple
    ``(tensors[0][i], tensors[1][i], ...)``.

    Args:
        *tensors: One or more ``Tensor`` (or NumPy arrays), all with the same length
            :math:`N` in their first dimension, e.g. inputs ``(N, D)`` and labels ``(N,)``.
            They are not copied.

    Attributes:
        tensors: The tuple of tensors, as given (arrays are wrapped as tensors).

    Raises:
        ValueError: if no tensor is given, a tensor is 0-dimensional, or the first
            dimensions differ.
        TypeError: if an argument is neither a ``Tensor`` nor a NumPy array.

    Example:
        >>> import nnlib
        >>> from nnlib.data import TensorDataset
        >>> ds = TensorDataset(nnlib.tensor([[0.0, 1.0], [2.0, 3.0]]), nnlib.tensor([0, 1]))
        >>> len(ds)
        2
        >>> ds[1]
        (tensor([2., 3.]), tensor(1))

    Taught in chapter 5 (optimizers: mini-batches and epochs).
    """

    def __init__(self, *tensors: Tensor | np.ndarray) -> None:
        where = "TensorDataset"
        if not tensors:
            error(
                where,
                "at least one tensor",
                "none",
                "pass the inputs and the targets, e.g. TensorDataset(X, y).",
            )
        wrapped = []
        for k, t in enumerate(tensors):
            if isinstance(t, np.ndarray):
                t = wrap(t)
            elif not isinstance(t, Tensor):
                error(
                    where,
                    "every argument to be an nnlib Tensor or a NumPy array",
                    f"argument {k} of type {type(t).__name__}",
                    "wrap it first, e.g. TensorDataset(nnlib.tensor(X), nnlib.tensor(y)).",
                    kind=TypeError,
                )
            if t.data.ndim == 0:
                error(
                    where,
                    "tensors with a first (example) dimension",
                    f"a 0-d tensor as argument {k}",
                    "each tensor holds one row per example; reshape a scalar to (1,).",
                )
            wrapped.append(t)
        lengths = [t.data.shape[0] for t in wrapped]
        if any(n != lengths[0] for n in lengths):
            shapes = ", ".join(shape_str(t.data.shape) for t in wrapped)
            error(
                where,
                "all tensors to have the same size in their first dimension",
                f"shapes {shapes}",
                "every tensor needs one row per example; check that inputs and targets "
                "come from the same examples (e.g. X of shape (N, D) with y of shape (N,)).",
            )
        self.tensors: tuple[Tensor, ...] = tuple(wrapped)

    def __len__(self) -> int:
        return int(self.tensors[0].data.shape[0])

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        # Integer, slice or index array; always a fresh copy, so changing an example does
        # not change the data set.
        return tuple(wrap(np.array(t.data[index])) for t in self.tensors)
