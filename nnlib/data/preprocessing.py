r"""Standardising inputs with statistics of the training set only.

PyTorch has no class for this (``torchvision.transforms.Normalize`` takes the numbers
ready-made); the twin is scikit-learn's ``StandardScaler``, whose results
:class:`Standardizer` matches.
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np

from nnlib._checks import error, shape_str
from nnlib._tensor import Tensor
from nnlib.data._common import as_array, wrap

ArrayOrTensor = TypeVar("ArrayOrTensor", np.ndarray, Tensor)


class Standardizer:
    r"""Shift and scale each feature to mean 0 and standard deviation 1, as fitted on train.

    :meth:`fit` measures, per feature (every dimension after the first), the mean
    :math:`\mu` and the standard deviation :math:`\sigma` (population, ``ddof=0``) of the
    *training* inputs. :meth:`transform` then maps any inputs, training, validation or
    test, with those same numbers:

    .. math::

        x' = \frac{x - \mu}{\sigma}

    Measuring on the test set too would leak it into training. A feature that is constant
    on the training set (:math:`\sigma < 10^{-12}`, e.g. the always-blank corner pixels of
    the digits) is centred but divided by 1 instead of 0, so it stays 0 there rather than
    becoming NaN, exactly as ``sklearn.preprocessing.StandardScaler`` does.

    Attributes:
        mean: Per-feature mean :math:`\mu`, a float64 array shaped like one example, or
            ``None`` before :meth:`fit`.
        std: Per-feature standard deviation :math:`\sigma` as measured (zeros included).
        scale: What :meth:`transform` divides by: ``std`` with zeros replaced by 1.

    Example:
        >>> import nnlib
        >>> from nnlib.data import Standardizer
        >>> train = nnlib.tensor([[1.0, 5.0], [3.0, 5.0]])
        >>> s = Standardizer().fit(train)
        >>> s.mean, s.std
        (array([2., 5.]), array([1., 0.]))
        >>> s.transform(nnlib.tensor([[2.0, 5.0], [4.0, 6.0]]))
        tensor([[0., 0.],
                [2., 1.]])

    Taught in chapter 6 (Normalization).
    """

    #: Standard deviations below this count as zero (a constant feature).
    eps: float = 1e-12

    def __init__(self) -> None:
        self.mean: np.ndarray | None = None
        self.std: np.ndarray | None = None
        self.scale: np.ndarray | None = None

    def fit(self, X: Tensor | np.ndarray) -> Standardizer:
        """Measure the per-feature mean and standard deviation of the training inputs.

        Args:
            X: Training inputs of shape ``(N, D)`` (or ``(N, *feature_shape)``), a tensor
                or a NumPy array, with :math:`N \\ge 1`.

        Returns:
            The standardizer itself, so that ``Standardizer().fit(X_train)`` reads in one go.
        """
        where = "Standardizer.fit"
        data = _check_inputs(where, X)
        if data.shape[0] == 0:
            error(
                where,
                "at least one example",
                f"shape {shape_str(data.shape)}",
                "fit on the training inputs, one row per example.",
            )
        self.mean = data.mean(axis=0, dtype=np.float64)
        self.std = data.std(axis=0, dtype=np.float64)
        self.scale = np.where(self.std < self.eps, 1.0, self.std)
        return self

    def transform(self, X: ArrayOrTensor) -> ArrayOrTensor:
        """Standardise inputs with the statistics measured by :meth:`fit`.

        Args:
            X: Inputs of shape ``(M, D)`` with the same ``D`` as the training inputs.

        Returns:
            A new tensor (for a tensor input) or array (for an array input) of the same
            shape and floating dtype (integers become float32), outside any autograd graph.
        """
        data = self._checked("Standardizer.transform", X)
        out = (data - self.mean) / self.scale
        return _like(X, data, out)

    def inverse_transform(self, X: ArrayOrTensor) -> ArrayOrTensor:
        """Undo :meth:`transform`: :math:`x = x' \\sigma + \\mu` (e.g. to plot in data units).

        Args:
            X: Standardised inputs of shape ``(M, D)``.

        Returns:
            A new tensor or array of the same shape and dtype, in the original units.
        """
        data = self._checked("Standardizer.inverse_transform", X)
        out = data * self.scale + self.mean
        return _like(X, data, out)

    def fit_transform(self, X: ArrayOrTensor) -> ArrayOrTensor:
        """:meth:`fit` on ``X``, then :meth:`transform` it (for the training set only).

        Args:
            X: Training inputs of shape ``(N, D)``.

        Returns:
            ``X`` standardised, as :meth:`transform` returns it.
        """
        return self.fit(X).transform(X)

    def _checked(self, where: str, X: Any) -> np.ndarray:
        __tracebackhide__ = True  # IPython and pytest hide this frame
        if self.mean is None:
            error(
                where,
                "a fitted Standardizer",
                "one that has not been fitted yet",
                "call .fit(X_train) first (or .fit_transform(X_train)), then transform "
                "the other sets with it.",
                kind=RuntimeError,
            )
        data = _check_inputs(where, X)
        if data.shape[1:] != self.mean.shape:
            error(
                where,
                f"inputs with feature shape {shape_str(self.mean.shape)} as in fit, i.e. "
                f"shape (M, {', '.join(str(d) for d in self.mean.shape)})",
                f"shape {shape_str(data.shape)}",
                "transform inputs with the same features as the training set the "
                "Standardizer was fitted on.",
            )
        return data

    def __repr__(self) -> str:
        if self.mean is None:
            return "Standardizer(not fitted)"
        return f"Standardizer(features={shape_str(self.mean.shape)})"


def standardize(train: ArrayOrTensor, *others: ArrayOrTensor) -> tuple[ArrayOrTensor, ...]:
    r"""Standardise a training set and any other sets with the *training* statistics.

    Shorthand for ``s = Standardizer().fit(train)`` followed by ``s.transform`` on each
    set; see :class:`Standardizer` for the details (constant features stay 0). Keep a
    :class:`Standardizer` instead when new inputs will arrive later.

    Args:
        train: Training inputs of shape ``(N, D)``, the only ones measured.
        *others: Validation or test inputs of shape ``(M, D)``, transformed with the
            training mean and standard deviation.

    Returns:
        A tuple ``(train_std, *others_std)`` of new tensors (or arrays), in the order given.

    Example:
        >>> import nnlib
        >>> from nnlib.data import standardize
        >>> train, test = standardize(nnlib.tensor([[0.0], [2.0]]), nnlib.tensor([[4.0]]))
        >>> train.tolist(), test.tolist()
        ([[-1.0], [1.0]], [[3.0]])

    Taught in chapter 6 (Normalization).
    """
    scaler: Standardizer = Standardizer().fit(train)
    scaled = [scaler.transform(train)]
    scaled += [scaler.transform(X) for X in others]
    return tuple(scaled)


def _check_inputs(where: str, X: Any) -> np.ndarray:
    __tracebackhide__ = True  # IPython and pytest hide this frame
    data = as_array(where, "X", X)
    if data.ndim < 2:
        error(
            where,
            "inputs of shape (N, D): one row per example",
            f"shape {shape_str(data.shape)}",
            "reshape a single feature to (N, 1), e.g. X.reshape(-1, 1).",
        )
    if data.dtype.kind not in "fiub":
        error(where, "numbers", f"dtype {data.dtype}", "pass numeric inputs.", kind=TypeError)
    return data


def _like(original: Any, data: np.ndarray, out: np.ndarray) -> Any:
    """Return ``out`` in the input's floating dtype (float32 for integers), as its type."""
    dtype = data.dtype if data.dtype.kind == "f" else np.dtype(np.float32)
    out = out.astype(dtype, copy=False)
    return wrap(out) if isinstance(original, Tensor) else out
