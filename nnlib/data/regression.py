r"""Toy 1-D regression sets: a curve plus noise, optionally noisier to the right.

Taught in chapter 3 (activation functions and output heads) and chapter 4 (loss functions:
Gaussian NLL).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnlib._checks import error
from nnlib._tensor import Tensor
from nnlib.data._common import Seed, check_count, check_noise, resolve_rng, wrap

#: The named target curves of :func:`make_regression_1d`, each defined on :math:`[-1, 1]`.
CURVES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sine": lambda x: np.sin(np.pi * x),
    "linear": lambda x: 0.8 * x + 0.2,
    "quadratic": lambda x: x**2,
    "cubic": lambda x: x**3 - 0.5 * x,
    "abs": np.abs,
    "step": lambda x: np.where(x < 0.0, -0.5, 0.5),
}


def heteroscedastic_std(x: np.ndarray | Tensor, noise: float = 0.1) -> np.ndarray:
    r"""The true noise level :math:`\sigma(x)` of :func:`make_heteroscedastic`.

    .. math::

        \sigma(x) = \text{noise} \cdot (0.2 + 0.8\,(x + 1))

    so it grows linearly from :math:`0.2\,\text{noise}` at :math:`x = -1` through
    ``noise`` at :math:`x = 0` to :math:`1.8\,\text{noise}` at :math:`x = 1`; it never
    reaches zero, so a learned log-variance stays finite.

    Args:
        x: Inputs in :math:`[-1, 1]`, any shape (a tensor or an array).
        noise: The noise level at :math:`x = 0`.

    Returns:
        A NumPy array shaped like ``x``: the standard deviation of :math:`y` given
        :math:`x`, to compare with what a mean-and-variance head learned.

    Example:
        >>> from nnlib.data import heteroscedastic_std
        >>> heteroscedastic_std([-1.0, 0.0, 1.0], noise=0.1).round(2)
        array([0.02, 0.1 , 0.18])

    Taught in chapter 4 (loss functions: Gaussian NLL).
    """
    x = x.data if isinstance(x, Tensor) else np.asarray(x, dtype=np.float64)
    return noise * (0.2 + 0.8 * (x + 1.0))


def make_regression_1d(
    n_samples: int = 100,
    noise: float = 0.1,
    seed: Seed = None,
    fn: str | Callable[[np.ndarray], np.ndarray] = "sine",
    heteroscedastic: bool = False,
) -> tuple[Tensor, Tensor]:
    r"""Noisy samples of a curve on :math:`[-1, 1]`, for fitting a regression network.

    :math:`x` is uniform on :math:`[-1, 1]` and :math:`y = f(x) + \varepsilon` with
    Gaussian :math:`\varepsilon`. Its standard deviation is ``noise`` everywhere, or with
    ``heteroscedastic=True`` it grows with :math:`x` as :func:`heteroscedastic_std` says.

    Args:
        n_samples: Number of points, at least 1.
        noise: Standard deviation of the noise on :math:`y` (at :math:`x = 0` when
            heteroscedastic).
        seed: An integer for repeatable data, ``None`` for nnlib's generator, or a
            ``numpy.random.Generator``.
        fn: The curve :math:`f`: ``'sine'`` (:math:`\sin \pi x`, the default),
            ``'linear'`` (:math:`0.8x + 0.2`), ``'quadratic'`` (:math:`x^2`), ``'cubic'``
            (:math:`x^3 - 0.5x`), ``'abs'`` (:math:`|x|`), ``'step'`` (:math:`\pm 0.5`), or
            any function from a NumPy array to an array of the same shape.
        heteroscedastic: Let the noise grow with :math:`x` (default ``False``).

    Returns:
        ``x`` float32 of shape ``(n_samples, 1)``, rows in random order (sort them with
        ``x.data[:, 0].argsort()`` before drawing a line), and ``y`` float32 of shape
        ``(n_samples, 1)``: the shapes ``nn.Linear(1, ...)`` and ``F.mse_loss`` expect.

    Example:
        >>> import numpy as np
        >>> from nnlib.data import make_regression_1d
        >>> x, y = make_regression_1d(50, noise=0.0, seed=0, fn="quadratic")
        >>> x.shape, y.shape, bool(np.allclose(y.data, x.data**2))
        ((50, 1), (50, 1), True)

    Taught in chapter 3 (activation functions and output heads) and chapter 4 (loss functions).
    """
    return _make_1d("make_regression_1d", n_samples, noise, seed, fn, heteroscedastic)


def _make_1d(
    where: str,
    n_samples: int,
    noise: float,
    seed: Seed,
    fn: str | Callable[[np.ndarray], np.ndarray],
    heteroscedastic: bool,
) -> tuple[Tensor, Tensor]:
    n = check_count(where, "n_samples", n_samples, example=100)
    noise = check_noise(where, noise)
    if callable(fn):
        curve = fn
    elif isinstance(fn, str) and fn in CURVES:
        curve = CURVES[fn]
    else:
        error(
            where,
            "fn to be one of " + ", ".join(repr(k) for k in CURVES) + " or a function",
            repr(fn),
            "pass e.g. fn='sine', or your own, e.g. fn=lambda x: np.tanh(3 * x).",
        )
    rng = resolve_rng(where, seed)
    # Round x to float32 first so that y is computed from exactly the x that is returned.
    x = rng.uniform(-1.0, 1.0, size=(n, 1)).astype(np.float32).astype(np.float64)
    clean = np.asarray(curve(x), dtype=np.float64)
    if clean.shape != x.shape:
        error(
            where,
            f"fn to return an array shaped like its input {x.shape}",
            f"shape {clean.shape}",
            "write fn with element-wise NumPy operations, e.g. lambda x: np.sin(3 * x).",
        )
    std = heteroscedastic_std(x, noise) if heteroscedastic else noise
    y = clean + rng.normal(0.0, 1.0, size=x.shape) * std
    return wrap(x.astype(np.float32)), wrap(y.astype(np.float32))


def make_heteroscedastic(
    n_samples: int = 100,
    noise: float = 0.1,
    seed: Seed = None,
    fn: str | Callable[[np.ndarray], np.ndarray] = "sine",
) -> tuple[Tensor, Tensor]:
    r"""A 1-D regression set whose noise grows with :math:`x`: data for a variance head.

    Same as ``make_regression_1d(..., heteroscedastic=True)``: :math:`y = f(x) +
    \sigma(x)\,\varepsilon` with :math:`\varepsilon \sim \mathcal N(0, 1)` and
    :math:`\sigma(x) = \text{noise} \cdot (0.2 + 0.8 (x + 1))`
    (:func:`heteroscedastic_std`). A network with a mean and a log-variance output trained
    with Gaussian NLL should learn both :math:`f` and :math:`\sigma`; one trained with MSE
    learns only :math:`f`.

    Args:
        n_samples: Number of points, at least 1.
        noise: The noise level at :math:`x = 0`.
        seed: An integer for repeatable data, ``None`` for nnlib's generator, or a
            ``numpy.random.Generator``.
        fn: The curve, as for :func:`make_regression_1d`.

    Returns:
        ``x`` and ``y``, float32 tensors of shape ``(n_samples, 1)``.

    Example:
        >>> from nnlib.data import make_heteroscedastic
        >>> x, y = make_heteroscedastic(2000, noise=0.1, seed=0, fn="linear")
        >>> residual = y.data - (0.8 * x.data + 0.2)
        >>> bool(residual[x.data > 0.5].std() > 3 * residual[x.data < -0.5].std())
        True

    Taught in chapter 4 (loss functions: Gaussian NLL).
    """
    return _make_1d("make_heteroscedastic", n_samples, noise, seed, fn, heteroscedastic=True)
