"""Small helpers shared by the modules of :mod:`nnlib.data` (not public)."""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlib._checks import error
from nnlib._tensor import Tensor
from nnlib.random import default_generator

Seed = int | np.random.Generator | None


def resolve_rng(where: str, seed: Seed) -> np.random.Generator:
    """Turn a ``seed`` argument into a generator.

    ``None`` means nnlib's library-wide generator (so ``nnlib.manual_seed`` controls it), an
    integer a fresh generator seeded with it, and a ``numpy.random.Generator`` is used as is.
    """
    if seed is None:
        return default_generator()
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0:
        return np.random.default_rng(int(seed))
    error(
        where,
        "seed to be None, a non-negative integer or a numpy.random.Generator",
        repr(seed),
        "pass e.g. seed=0 for repeatable data, or leave it out to draw from "
        "nnlib's generator (set by nnlib.manual_seed).",
        kind=TypeError if not isinstance(seed, (int, np.integer)) else ValueError,
    )


def check_count(where: str, name: str, value: Any, minimum: int = 1, example: int = 200) -> int:
    """Refuse anything but a whole number ``>= minimum`` (bools are refused too)."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        error(
            where,
            f"{name} to be an integer >= {minimum}",
            f"{value!r} of type {type(value).__name__}",
            f"pass a whole number, e.g. {name}={example}.",
            kind=TypeError,
        )
    if value < minimum:
        error(where, f"{name} >= {minimum}", repr(value), f"pass {name} >= {minimum}.")
    return int(value)


def check_noise(where: str, noise: Any) -> float:
    """Refuse a negative, infinite or non-numeric noise level."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.integer, np.floating)):
        error(
            where,
            "noise to be a number >= 0",
            f"{noise!r} of type {type(noise).__name__}",
            "pass the standard deviation of the noise, e.g. noise=0.1 (0 for none).",
            kind=TypeError,
        )
    if not np.isfinite(noise) or noise < 0:
        error(
            where,
            "noise >= 0",
            repr(noise),
            "pass the standard deviation of the noise, e.g. noise=0.1 (0 for none).",
        )
    return float(noise)


def as_array(where: str, name: str, value: Any) -> np.ndarray:
    """The NumPy array behind a ``Tensor`` (not copied), or the array itself."""
    if isinstance(value, Tensor):
        return value.data
    if isinstance(value, np.ndarray):
        return value
    error(
        where,
        f"{name} to be an nnlib Tensor or a NumPy array",
        f"{type(value).__name__}",
        "wrap the values first, e.g. nnlib.tensor(values) or np.asarray(values).",
        kind=TypeError,
    )


def wrap(array: np.ndarray) -> Tensor:
    """Wrap an array this package just created (a fresh copy) as a tensor, without copying."""
    return Tensor._wrap(array)
