"""Data sets: anything with a length that hands out one example per index.

Taught in chapter 5 (optimizers: mini-batches and epochs).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from nnlib._checks import error, shape_str
from nnlib._tensor import Tensor
from nnlib.data._common import resolve_rng, wrap


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


class Subset(Dataset):
    """The examples of ``dataset`` at the given ``indices``, as ``torch.utils.data.Subset``.

    Nothing is copied: ``subset[i]`` is ``dataset[indices[i]]``. A
    :class:`~nnlib.data.DataLoader` over a subset of a ``TensorDataset`` is as fast as over
    the ``TensorDataset`` itself.

    Args:
        dataset: The data set to pick from.
        indices: Positions in ``dataset``, a sequence of ints.

    Example:
        >>> import nnlib
        >>> from nnlib.data import Subset, TensorDataset
        >>> ds = TensorDataset(nnlib.tensor([10, 11, 12, 13]))
        >>> sub = Subset(ds, [3, 0])
        >>> len(sub), sub[0]
        (2, (tensor(13),))
    """

    def __init__(self, dataset: Any, indices: Sequence[int] | np.ndarray) -> None:
        rows = np.asarray(indices)
        if rows.ndim != 1 or (rows.size and rows.dtype.kind not in "iu"):
            error(
                "Subset",
                "indices as a 1-D sequence of integers",
                f"{rows.dtype} values of shape {shape_str(rows.shape)}",
                "pass positions such as [0, 5, 7] or np.arange(100).",
                kind=TypeError,
            )
        n = len(dataset)
        if rows.size and (rows.max() >= n or rows.min() < -n):
            error(
                "Subset",
                f"indices in [-{n}, {n - 1}] for a data set of {n} examples",
                f"indices from {rows.min()} to {rows.max()}",
                "pick positions that exist in the data set.",
                kind=IndexError,
            )
        self.dataset = dataset
        self.indices = rows.astype(np.int64) % max(n, 1)  # negative positions count from the end

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, (int, np.integer)):
            return self.dataset[int(self.indices[index])]
        return self.dataset[self.indices[index]]


def random_split(
    dataset: Any, lengths: Sequence[int | float], seed: int | np.random.Generator | None = None
) -> list[Subset]:
    """Split a data set into non-overlapping random subsets, as ``torch.utils.data.random_split``.

    Args:
        dataset: The data set to split.
        lengths: The sizes of the parts, either counts that add up to ``len(dataset)``
            (e.g. ``[800, 200]``) or fractions that add up to 1 (e.g. ``[0.8, 0.2]``). With
            fractions, each part gets the floor of its share and the examples left over go
            one by one to the first parts, as in PyTorch.
        seed: An integer for the same split in every run, ``None`` to draw from nnlib's
            generator, or a ``numpy.random.Generator``. (PyTorch takes a ``generator=``.)

    Returns:
        A list of :class:`Subset`, one per length, together holding every example once.

    Example:
        >>> import nnlib
        >>> from nnlib.data import TensorDataset, random_split
        >>> ds = TensorDataset(nnlib.arange(10))
        >>> train, val = random_split(ds, [0.8, 0.2], seed=0)
        >>> len(train), len(val)
        (8, 2)
    """
    where = "random_split"
    n = len(dataset)
    values = list(lengths)
    if not values or any(
        isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating))
        for v in values
    ):
        error(
            where,
            "lengths as a non-empty list of counts or of fractions",
            repr(lengths),
            "pass e.g. [800, 200] or [0.8, 0.2].",
            kind=TypeError,
        )
    if all(isinstance(v, (int, np.integer)) for v in values):
        counts = [int(v) for v in values]
    elif all(0 <= v <= 1 for v in values) and abs(sum(values) - 1) < 1e-9:
        counts = [int(np.floor(n * v)) for v in values]
        for k in range(n - sum(counts)):
            counts[k % len(counts)] += 1
    else:
        error(
            where,
            "fractions between 0 and 1 that add up to 1",
            f"{values} (sum {sum(values):g})",
            "pass counts (ints) or fractions that add up to 1, e.g. [0.8, 0.2].",
        )
    if any(c < 0 for c in counts) or sum(counts) != n:
        error(
            where,
            f"counts >= 0 that add up to the data set's {n} examples",
            f"{counts} (sum {sum(counts)})",
            "make the counts add up to len(dataset), or pass fractions such as [0.8, 0.2].",
        )
    order = resolve_rng(where, seed).permutation(n)
    bounds = np.cumsum([0, *counts])
    return [Subset(dataset, order[a:b]) for a, b in itertools.pairwise(bounds)]
