"""scikit-learn's handwritten digits, split and ready for nnlib (nothing is downloaded).

Used in chapter 4 (loss functions), chapter 5 (optimizers) and chapter 10 (A recipe for
training networks).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from nnlib._tensor import Tensor
from nnlib.data._common import Seed, resolve_rng, wrap
from nnlib.data.preprocessing import standardize as _standardize
from nnlib.data.split import check_fraction, train_test_split


class Split(NamedTuple):
    """A train/test split: ``X_train, X_test, y_train, y_test = split`` (sklearn's order)."""

    X_train: Tensor
    X_test: Tensor
    y_train: Tensor
    y_test: Tensor


def load_digits(test_size: float = 0.25, seed: Seed = 0, standardize: bool = False) -> Split:
    r"""The 1,797 handwritten digits (8×8 grey images of 0–9), split into train and test.

    The images are the UCI digits that ship inside scikit-learn
    (``sklearn.datasets.load_digits``), so loading works offline. Pixel values 0–16 are
    divided by 16 into :math:`[0, 1]`, and each image is flattened to 64 features (row by
    row: ``X.data[i].reshape(8, 8)`` shows it again).

    The split is stratified and seeded (:func:`~nnlib.data.train_test_split` with
    ``stratify=y``): each digit class sends its share of the :math:`\lceil \text{test\_size}
    \cdot 1797 \rceil` test images, so both sets keep the classes' proportions (about 10 %
    each), and the rows of each set come in random order.

    Args:
        test_size: Fraction of the images held out for testing, strictly between 0 and 1
            (default 0.25: 1,347 train and 450 test images, the sizes scikit-learn's
            ``train_test_split`` gives).
        seed: An integer (default 0) for the same split in every run, ``None`` for nnlib's
            generator, or a ``numpy.random.Generator``.
        standardize: Standardise each pixel with the training set's mean and standard
            deviation (:func:`~nnlib.data.standardize`); the always-blank pixels then stay
            0. Default ``False``: keep :math:`[0, 1]` values, which plot as images.

    Returns:
        ``Split(X_train, X_test, y_train, y_test)``: float32 inputs of shape ``(N, 64)`` and
        int64 labels 0–9 of shape ``(N,)``, as tensors.

    Raises:
        ImportError: if scikit-learn is not installed.

    Example:
        >>> from nnlib.data import load_digits
        >>> X_train, X_test, y_train, y_test = load_digits()
        >>> X_train.shape, X_test.shape, y_train.dtype
        ((1347, 64), (450, 64), dtype('int64'))

    Used in chapter 4 (loss functions), chapter 5 (optimizers) and chapter 10 (A recipe
    for training networks).
    """
    where = "load_digits"
    check_fraction(where, test_size)
    rng = resolve_rng(where, seed)  # checked before the slow import
    try:
        from sklearn.datasets import load_digits as sklearn_load_digits
    except ImportError as exc:
        raise ImportError(
            "load_digits: expected scikit-learn to be installed, got an ImportError.\n"
            "help: the digits ship inside scikit-learn; run `pip install scikit-learn` "
            "(or `pip install nnlib[data]`)."
        ) from exc
    bunch = sklearn_load_digits()
    X = (bunch.data / 16.0).astype(np.float32)
    y = bunch.target.astype(np.int64)

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, seed=rng, stratify=y
    )
    if standardize:
        X_train, X_test = _standardize(X_train, X_test)
    return Split(wrap(X_train), wrap(X_test), wrap(y_train), wrap(y_test))
