"""The ``DataLoader``: cut a data set into mini-batches, shuffled afresh every epoch.

Taught in chapter 5 (optimizers: mini-batches and epochs).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from nnlib._checks import error, shape_str
from nnlib._tensor import Tensor
from nnlib.data._common import check_count, wrap
from nnlib.data.dataset import Subset, TensorDataset
from nnlib.random import default_generator


class DataLoader:
    """Iterate over a data set in mini-batches, as ``torch.utils.data.DataLoader``.

    Each pass over the loader (``for xb, yb in loader``) is one *epoch*: it visits every
    example exactly once, ``batch_size`` examples at a time, in order or, with
    ``shuffle=True``, in a new random order. The examples of a batch are stacked along a new
    first dimension, so a data set of ``(x, y)`` pairs with ``x`` of shape ``(D,)`` gives
    batches ``(xb, yb)`` with ``xb`` of shape ``(batch_size, D)``.

    A :class:`~nnlib.data.TensorDataset` (or a :class:`~nnlib.data.Subset` of one) is
    batched by slicing its arrays directly (one NumPy indexing operation per tensor and
    batch, no loop over examples), so loading costs next to nothing beside a training step.
    Any other data set is read one example at a time and the examples are stacked.

    Args:
        dataset: A :class:`~nnlib.data.Dataset` (anything with ``__len__`` and
            ``__getitem__``), e.g. ``TensorDataset(X, y)``.
        batch_size: How many examples per batch (default 1).
        shuffle: Visit the examples in a fresh random order every epoch (default
            ``False``: in order 0, 1, 2, …).
        drop_last: Leave out the last batch when it is smaller than ``batch_size``
            (default ``False``: it is kept, smaller).
        seed: Makes shuffling repeatable on its own: epoch :math:`k` of a loader built with
            ``seed=s`` has the same order in every run, whatever else the program draws,
            and each epoch has a different order. Without it, orders are drawn from nnlib's
            generator, which ``nnlib.manual_seed`` resets. (PyTorch takes a
            ``generator=`` instead.)

    Yields:
        For data sets whose examples are tuples (such as ``TensorDataset``): a tuple of
        tensors, one per field, each with the batch as its first dimension. (PyTorch yields
        a list; both unpack the same way.) A dict example gives a dict of batches, and a
        single-array example a single tensor.

    Example:
        >>> import nnlib
        >>> from nnlib.data import DataLoader, TensorDataset
        >>> X = nnlib.tensor([[0.0], [1.0], [2.0], [3.0], [4.0]])
        >>> y = nnlib.tensor([0, 1, 0, 1, 0])
        >>> loader = DataLoader(TensorDataset(X, y), batch_size=2)
        >>> len(loader)
        3
        >>> [yb.tolist() for xb, yb in loader]
        [[0, 1], [0, 1], [0]]
        >>> shuffled = DataLoader(TensorDataset(X, y), batch_size=5, shuffle=True, seed=0)
        >>> sorted(next(iter(shuffled))[0].data.ravel().tolist())
        [0.0, 1.0, 2.0, 3.0, 4.0]

    Taught in chapter 5 (optimizers: mini-batches and epochs).
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        seed: int | None = None,
    ) -> None:
        where = "DataLoader"
        if not (hasattr(dataset, "__len__") and hasattr(dataset, "__getitem__")):
            error(
                where,
                "a data set with __len__ and __getitem__",
                f"{type(dataset).__name__}",
                "wrap tensors as TensorDataset(X, y), or subclass nnlib.data.Dataset.",
                kind=TypeError,
            )
        self.batch_size = check_count(where, "batch_size", batch_size, example=64)
        for name, flag in (("shuffle", shuffle), ("drop_last", drop_last)):
            if not isinstance(flag, (bool, np.bool_)):
                error(
                    where,
                    f"{name} to be True or False",
                    repr(flag),
                    f"pass {name}=True or {name}=False.",
                    kind=TypeError,
                )
        if seed is not None:
            seed = check_count(where, "seed", seed, minimum=0, example=0)
        self.dataset = dataset
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.seed = seed
        #: How many epochs have been started (by ``iter(loader)``) so far.
        self.epoch = 0

    def __len__(self) -> int:
        """The number of batches per epoch."""
        n = len(self.dataset)
        if self.drop_last:
            return n // self.batch_size
        return -(-n // self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        n = len(self.dataset)
        order: np.ndarray | None = None
        if self.shuffle:
            if self.seed is None:
                rng = default_generator()
            else:
                # One independent stream per (seed, epoch): epoch k is repeatable on its own.
                rng = np.random.default_rng([self.seed, self.epoch])
            order = rng.permutation(n)
        self.epoch += 1
        return self._batches(n, order, _fast_source(self.dataset))

    def _batches(
        self,
        n: int,
        order: np.ndarray | None,
        fast: tuple[tuple[np.ndarray, ...], np.ndarray | None] | None,
    ) -> Iterator[Any]:
        stop_at = n - n % self.batch_size if self.drop_last else n
        for start in range(0, stop_at, self.batch_size):
            stop = min(start + self.batch_size, n)
            if fast is not None:
                arrays, rows = fast
                if rows is None and order is None:
                    yield tuple(wrap(a[start:stop].copy()) for a in arrays)
                    continue
                index = order[start:stop] if order is not None else np.arange(start, stop)
                if rows is not None:
                    index = rows[index]
                yield tuple(wrap(a.take(index, axis=0)) for a in arrays)
            else:
                indices = range(start, stop) if order is None else order[start:stop].tolist()
                yield _collate([self.dataset[i] for i in indices])

    def __repr__(self) -> str:
        return (
            f"DataLoader({type(self.dataset).__name__} of {len(self.dataset)}, "
            f"batch_size={self.batch_size}, shuffle={self.shuffle}, "
            f"drop_last={self.drop_last}, seed={self.seed})"
        )


def _fast_source(dataset: Any) -> tuple[tuple[np.ndarray, ...], np.ndarray | None] | None:
    """The arrays behind a TensorDataset (or a Subset of one) and the rows it uses.

    ``None`` for any other data set, including subclasses with their own ``__getitem__``,
    which must be asked example by example.
    """
    getitem = getattr(type(dataset), "__getitem__", None)
    if getitem is TensorDataset.__getitem__:
        return tuple(t.data for t in dataset.tensors), None
    if getitem is Subset.__getitem__:
        inner = _fast_source(dataset.dataset)
        if inner is not None:
            arrays, rows = inner
            return arrays, dataset.indices if rows is None else rows[dataset.indices]
    return None


def _collate(examples: list[Any]) -> Any:
    """Stack a list of examples into one batch, field by field (``default_collate``)."""
    first = examples[0]
    if isinstance(first, (tuple, list)):
        if any(len(e) != len(first) for e in examples):
            error(
                "DataLoader",
                "every example to have the same number of fields",
                f"lengths {sorted({len(e) for e in examples})}",
                "make __getitem__ return the same kind of tuple, e.g. (x, y), every time.",
            )
        return tuple(_collate([e[k] for e in examples]) for k in range(len(first)))
    if isinstance(first, dict):
        return {key: _collate([e[key] for e in examples]) for key in first}
    arrays = [e.data if isinstance(e, Tensor) else np.asarray(e) for e in examples]
    if arrays[0].dtype.kind not in "fiub":
        return list(examples)  # strings and other objects stay a plain list, as in PyTorch
    shapes = {a.shape for a in arrays}
    if len(shapes) > 1:
        error(
            "DataLoader",
            "examples of one shape, to stack them into a batch",
            "shapes " + ", ".join(shape_str(s) for s in sorted(shapes)),
            "make every example the same shape (pad or crop), or use batch_size=1.",
        )
    batch = np.stack(arrays)
    if batch.dtype.kind in "iu" and batch.dtype != np.int64:
        batch = batch.astype(np.int64)
    return wrap(batch)
