"""Hold out a test (or validation) set: a seeded, optionally stratified split of arrays."""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlib._checks import error, shape_str
from nnlib._tensor import Tensor
from nnlib.data._common import Seed, as_array, resolve_rng, wrap


def train_test_split(
    *tensors: Tensor | np.ndarray,
    test_size: float = 0.25,
    seed: Seed = None,
    stratify: Tensor | np.ndarray | None = None,
) -> list[Any]:
    r"""Split tensors row-wise into a random train part and a test part.

    Named and ordered as ``sklearn.model_selection.train_test_split`` (PyTorch has no
    twin; see :func:`~nnlib.data.random_split` for splitting a data set). The same random
    rows go to the test part of every tensor, so inputs and labels stay paired.

    Args:
        *tensors: One or more tensors (or NumPy arrays) with the same first dimension
            :math:`N`, e.g. ``X`` of shape ``(N, D)`` and ``y`` of shape ``(N,)``.
        test_size: Fraction of the rows for the test part, strictly between 0 and 1: the
            test part gets :math:`\lceil \text{test\_size} \cdot N \rceil` rows and the train
            part the rest, as in scikit-learn.
        seed: An integer for the same split in every run, ``None`` to draw from nnlib's
            generator, or a ``numpy.random.Generator``.
        stratify: Class labels of shape ``(N,)``, usually ``y``. Each class then sends
            :math:`\text{test\_size} \cdot n_c` of its :math:`n_c` rows to the test part,
            rounded up or down so that the test part keeps its size, and both parts keep
            the class proportions.

    Returns:
        A list ``[a_train, a_test, b_train, b_test, ...]`` with two entries per input, of
        the input's type (tensors give new tensors), rows in random order.

    Example:
        >>> import nnlib
        >>> from nnlib.data import train_test_split
        >>> X, y = nnlib.randn(100, 3), nnlib.tensor([0, 1] * 50)
        >>> X_train, X_test, y_train, y_test = train_test_split(
        ...     X, y, test_size=0.2, seed=0, stratify=y)
        >>> X_train.shape, X_test.shape, int(y_test.sum())
        ((80, 3), (20, 3), 10)
    """
    where = "train_test_split"
    if not tensors:
        error(where, "at least one tensor", "none", "pass e.g. train_test_split(X, y).")
    arrays = [as_array(where, f"argument {k}", t) for k, t in enumerate(tensors)]
    if any(a.ndim == 0 for a in arrays) or len({a.shape[0] for a in arrays}) > 1:
        error(
            where,
            "tensors with the same size in their first dimension",
            "shapes " + ", ".join(shape_str(a.shape) for a in arrays),
            "pass one row per example in every tensor, e.g. X (N, D) with y (N,).",
        )
    check_fraction(where, test_size)
    n = arrays[0].shape[0]
    # ceil as scikit-learn does, less a hair so that 0.07 * 100 gives 7 test rows, not 8.
    n_test = int(np.ceil(test_size * n - 1e-9))
    if not 0 < n_test < n:
        error(
            where,
            "a train and a test part with at least one row each",
            f"{n - n_test} train and {n_test} test rows from {n} rows at test_size={test_size}",
            "pass more rows or a test_size closer to 0.5.",
        )
    rng = resolve_rng(where, seed)
    if stratify is None:
        order = rng.permutation(n)
        test, train = order[:n_test], order[n_test:]
    else:
        labels = as_array(where, "stratify", stratify)
        if labels.shape != (n,):
            error(
                where,
                f"stratify to hold one label per row, shape ({n},)",
                f"shape {shape_str(labels.shape)}",
                "pass the class labels, e.g. stratify=y with y of shape (N,).",
            )
        classes, counts = np.unique(labels, return_counts=True)
        per_class = _share_out(n_test, test_size * counts)
        test_parts, train_parts = [], []
        for label, k in zip(classes, per_class, strict=True):
            members = rng.permutation(np.flatnonzero(labels == label))
            test_parts.append(members[:k])
            train_parts.append(members[k:])
        # Shuffle across classes so that neither part comes class by class.
        train = rng.permutation(np.concatenate(train_parts))
        test = rng.permutation(np.concatenate(test_parts))
    out: list[Any] = []
    for original, a in zip(tensors, arrays, strict=True):
        for rows in (train, test):
            part = a.take(rows, axis=0)
            out.append(wrap(part) if isinstance(original, Tensor) else part)
    return out


def _share_out(total: int, quotas: np.ndarray) -> np.ndarray:
    """Whole numbers near ``quotas`` that add up to ``total`` (largest remainders first)."""
    base = np.floor(quotas + 1e-9).astype(np.int64)
    extra = total - int(base.sum())
    # Stable sort: among equal remainders, the lower class gets the extra row.
    order = np.argsort(-(quotas - base), kind="stable")
    base[order[:extra]] += 1
    return base


def check_fraction(where: str, test_size: Any) -> None:
    """Refuse a test fraction that is not a number strictly between 0 and 1."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if (
        isinstance(test_size, bool)
        or not isinstance(test_size, (int, float, np.integer, np.floating))
        or not 0.0 < test_size < 1.0
    ):
        error(
            where,
            "test_size to be a fraction strictly between 0 and 1",
            repr(test_size),
            "pass e.g. test_size=0.25 to hold out a quarter of the rows.",
        )
