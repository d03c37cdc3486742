r"""Toy 2-D classification sets, the ones TensorFlow Playground shows, made locally.

Every generator returns ``(X, y)``: ``X`` a float32 tensor of shape ``(n_samples, 2)`` with
coordinates in about :math:`[-1, 1]` (plus the noise), and ``y`` an int64 tensor of shape
``(n_samples,)`` with labels 0 and 1, half of each (class 0 gets the extra example when
``n_samples`` is odd). Rows come in random order, so the first rows already mix both
classes. ``noise`` is the standard deviation of Gaussian noise added to each coordinate, in
the same units; with a fixed ``seed``, changing only ``noise`` keeps the points, their
labels and their order, and scales how far each is pushed (handy behind a slider).

Randomness comes from ``seed``: an integer gives the same data in every run, ``None``
(the default) draws from nnlib's generator (so ``nnlib.manual_seed`` makes it repeatable),
and a ``numpy.random.Generator`` is used as is.

Taught in chapter 1 (the perceptron and the artificial neuron) and chapter 3 (activation
functions and output heads).
"""

from __future__ import annotations

import numpy as np

from nnlib._tensor import Tensor
from nnlib.data._common import Seed, check_count, check_noise, resolve_rng, wrap


def _finish(
    rng: np.random.Generator, parts: list[np.ndarray], noise: float
) -> tuple[Tensor, Tensor]:
    """Stack the points of class 0 and class 1, add noise, shuffle the rows, wrap."""
    X = np.concatenate(parts).astype(np.float64)
    y = np.concatenate([np.full(len(p), label, dtype=np.int64) for label, p in enumerate(parts)])
    # Always draw the same standard-normal directions, so that changing only ``noise``
    # (a widget slider) moves the same points further or closer, instead of new points.
    X += noise * rng.standard_normal(size=X.shape)
    order = rng.permutation(len(y))
    return wrap(X[order].astype(np.float32)), wrap(y[order])


def _setup(
    where: str, n_samples: int, noise: float, seed: Seed
) -> tuple[int, int, float, np.random.Generator]:
    """Check the shared arguments: the class sizes ``n0, n1`` (class 0 gets the odd one),
    the noise level and the generator."""
    n = check_count(where, "n_samples", n_samples, minimum=2)
    return n - n // 2, n // 2, check_noise(where, noise), resolve_rng(where, seed)


def make_circles(
    n_samples: int = 200, noise: float = 0.05, seed: Seed = None
) -> tuple[Tensor, Tensor]:
    r"""A disc inside a ring: the set one neuron cannot separate but a circle can.

    Class 1 fills the disc of radius 0.5 uniformly; class 0 lies on the ring between radii
    0.7 and 1.0 (as ``sklearn.datasets.make_circles``: outer ring 0, inner 1).

    Args:
        n_samples: Number of points, at least 2.
        noise: Standard deviation of the Gaussian noise added to each coordinate.
        seed: An integer for repeatable data, ``None`` for nnlib's generator, or a
            ``numpy.random.Generator``.

    Returns:
        ``X`` float32 of shape ``(n_samples, 2)`` in about :math:`[-1, 1]^2`, and ``y``
        int64 of shape ``(n_samples,)`` with labels 0 (ring) and 1 (disc).

    Example:
        >>> from nnlib.data import make_circles
        >>> X, y = make_circles(100, seed=0)
        >>> X.shape, X.dtype, y.shape, int(y.sum())
        ((100, 2), dtype('float32'), (100,), 50)

    Taught in chapter 1 (the perceptron and the artificial neuron) and chapter 3 (activation
    functions and output heads).
    """
    n0, n1, noise, rng = _setup("make_circles", n_samples, noise, seed)
    angles = rng.uniform(0.0, 2 * np.pi, size=n0 + n1)
    # sqrt of a uniform spreads the disc's points evenly over its area, not bunched at 0.
    radii = np.concatenate(
        [rng.uniform(0.7, 1.0, size=n0), 0.5 * np.sqrt(rng.uniform(0.0, 1.0, size=n1))]
    )
    points = np.stack([radii * np.cos(angles), radii * np.sin(angles)], axis=1)
    return _finish(rng, [points[:n0], points[n0:]], noise)


def make_xor(
    n_samples: int = 200, noise: float = 0.05, seed: Seed = None
) -> tuple[Tensor, Tensor]:
    r"""The XOR pattern: label 1 where exactly one coordinate is positive.

    Points are uniform in the four quadrants of :math:`[-1, 1]^2`, kept 0.05 away from the
    axes (before noise) so that the classes touch only through the noise. Class 1 holds the
    quadrants where :math:`x_1 x_2 < 0`, class 0 those where :math:`x_1 x_2 > 0`, so no single
    line separates them: the classic case for a hidden layer.

    Args:
        n_samples: Number of points, at least 2.
        noise: Standard deviation of the Gaussian noise added to each coordinate.
        seed: An integer for repeatable data, ``None`` for nnlib's generator, or a
            ``numpy.random.Generator``.

    Returns:
        ``X`` float32 of shape ``(n_samples, 2)`` in about :math:`[-1, 1]^2`, and ``y``
        int64 of shape ``(n_samples,)``: 1 if the signs of the coordinates differ, else 0.

    Example:
        >>> from nnlib.data import make_xor
        >>> X, y = make_xor(8, noise=0.0, seed=0)
        >>> bool(((X.data[:, 0] * X.data[:, 1] < 0) == (y.data == 1)).all())
        True

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """
    n0, n1, noise, rng = _setup("make_xor", n_samples, noise, seed)
    magnitude = rng.uniform(0.05, 1.0, size=(n0 + n1, 2))
    sign = rng.choice([-1.0, 1.0], size=n0 + n1)
    # Class 0: both coordinates share a sign; class 1: the second one is flipped.
    flip = np.concatenate([np.ones(n0), -np.ones(n1)])
    points = magnitude * np.stack([sign, sign * flip], axis=1)
    return _finish(rng, [points[:n0], points[n0:]], noise)


def make_gaussians(
    n_samples: int = 200, noise: float = 0.3, seed: Seed = None
) -> tuple[Tensor, Tensor]:
    r"""Two round Gaussian blobs: the linearly separable warm-up.

    Class 0 is centred at :math:`(-0.5, -0.5)`, class 1 at :math:`(0.5, 0.5)`; ``noise`` is
    the blobs' standard deviation per coordinate. Around ``noise=0.5`` the blobs overlap
    enough that no boundary classifies every point.

    Args:
        n_samples: Number of points, at least 2.
        noise: Standard deviation of each blob, per coordinate (default 0.3).
        seed: An integer for repeatable data, ``None`` for nnlib's generator, or a
            ``numpy.random.Generator``.

    Returns:
        ``X`` float32 of shape ``(n_samples, 2)``, and ``y`` int64 of shape
        ``(n_samples,)`` with labels 0 (lower-left blob) and 1 (upper-right blob).

    Example:
        >>> from nnlib.data import make_gaussians
        >>> X, y = make_gaussians(1000, seed=0)
        >>> X.data[y.data == 1].mean(axis=0).round(1)
        array([0.5, 0.5], dtype=float32)

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """
    n0, n1, noise, rng = _setup("make_gaussians", n_samples, noise, seed)
    centres = [np.full((n0, 2), -0.5), np.full((n1, 2), 0.5)]
    return _finish(rng, centres, noise)


def make_spirals(
    n_samples: int = 200, noise: float = 0.05, seed: Seed = None
) -> tuple[Tensor, Tensor]:
    r"""Two interleaved spirals: the hardest Playground set for a small network.

    Each arm winds 1.75 turns outward from the centre: a point at fraction :math:`t \in
    [0, 1]` along its arm sits at radius :math:`t` and angle :math:`3.5 \pi t` (class 0) or
    :math:`3.5 \pi t + \pi` (class 1), with :math:`t` uniform.

    Args:
        n_samples: Number of points, at least 2.
        noise: Standard deviation of the Gaussian noise added to each coordinate.
        seed: An integer for repeatable data, ``None`` for nnlib's generator, or a
            ``numpy.random.Generator``.

    Returns:
        ``X`` float32 of shape ``(n_samples, 2)`` in about :math:`[-1, 1]^2`, and ``y``
        int64 of shape ``(n_samples,)`` with the arm's label, 0 or 1.

    Example:
        >>> from nnlib.data import make_spirals
        >>> X, y = make_spirals(200, noise=0.0, seed=0)
        >>> bool((abs(X.data) <= 1.0).all())
        True

    Taught in chapter 3 (activation functions and output heads).
    """
    n0, n1, noise, rng = _setup("make_spirals", n_samples, noise, seed)
    t = rng.uniform(0.0, 1.0, size=n0 + n1)
    angle = 3.5 * np.pi * t + np.concatenate([np.zeros(n0), np.full(n1, np.pi)])
    points = np.stack([t * np.sin(angle), t * np.cos(angle)], axis=1)
    return _finish(rng, [points[:n0], points[n0:]], noise)


def make_moons(
    n_samples: int = 200, noise: float = 0.1, seed: Seed = None
) -> tuple[Tensor, Tensor]:
    r"""Two interleaving half circles, as ``sklearn.datasets.make_moons``, rescaled.

    scikit-learn's moons (upper arc :math:`(\cos\theta, \sin\theta)` for class 0, lower arc
    :math:`(1 - \cos\theta, 0.5 - \sin\theta)` for class 1, :math:`\theta \in [0, \pi]`)
    span :math:`[-1, 2] \times [-0.5, 1]`. Here they are shifted by :math:`(-0.5, -0.25)`
    and scaled by :math:`2/3` to span :math:`[-1, 1] \times [-0.5, 0.5]`, with
    :math:`\theta` drawn uniformly instead of evenly spaced.

    Args:
        n_samples: Number of points, at least 2.
        noise: Standard deviation of the Gaussian noise added to each coordinate (after
            rescaling; default 0.1).
        seed: An integer for repeatable data, ``None`` for nnlib's generator, or a
            ``numpy.random.Generator``.

    Returns:
        ``X`` float32 of shape ``(n_samples, 2)``, and ``y`` int64 of shape
        ``(n_samples,)`` with labels 0 (upper moon) and 1 (lower moon).

    Example:
        >>> from nnlib.data import make_moons
        >>> X, y = make_moons(6, seed=0)
        >>> y.tolist().count(0), y.tolist().count(1)
        (3, 3)

    Taught in chapter 3 (activation functions and output heads).
    """
    n0, n1, noise, rng = _setup("make_moons", n_samples, noise, seed)
    theta = rng.uniform(0.0, np.pi, size=n0 + n1)
    upper = np.stack([np.cos(theta[:n0]), np.sin(theta[:n0])], axis=1)
    lower = np.stack([1.0 - np.cos(theta[n0:]), 0.5 - np.sin(theta[n0:])], axis=1)
    shift, scale = np.array([0.5, 0.25]), 2.0 / 3.0
    return _finish(rng, [(upper - shift) * scale, (lower - shift) * scale], noise)
