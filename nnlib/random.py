"""One seeded random generator for the whole library (``nnlib.manual_seed``).

Initialisers, dropout masks, ``randn`` and shuffling data loaders all draw from the
generator returned by :func:`default_generator`, so one call to :func:`manual_seed` makes a
whole notebook repeatable, exactly as ``torch.manual_seed`` does for PyTorch.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np

_generator = np.random.default_rng(0)


def manual_seed(seed: int) -> np.random.Generator:
    """Reset nnlib's random generator so that every later random draw is repeatable.

    Args:
        seed: Any non-negative integer.

    Returns:
        The freshly seeded generator (also what :func:`default_generator` returns now).

    Example:
        >>> import nnlib
        >>> _ = nnlib.manual_seed(0); a = nnlib.randn(3)
        >>> _ = nnlib.manual_seed(0); b = nnlib.randn(3)
        >>> bool((a.data == b.data).all())
        True

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """
    global _generator
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(
            f"manual_seed: expected a non-negative integer seed, got {seed!r}.\n"
            "help: pick any whole number, e.g. nnlib.manual_seed(0)."
        )
    _generator = np.random.default_rng(int(seed))
    return _generator


def default_generator() -> np.random.Generator:
    """Return the generator that nnlib's random functions draw from."""
    return _generator


@contextlib.contextmanager
def fork_rng() -> Iterator[None]:
    """Inside this block, random draws (and ``manual_seed``) leave nnlib's stream untouched.

    On exit the generator is exactly where it was before, as with ``torch.random.fork_rng``:
    a widget that seeds its own network does not change the numbers later cells draw.

    Example:
        >>> import nnlib
        >>> from nnlib.random import fork_rng
        >>> _ = nnlib.manual_seed(0)
        >>> with fork_rng():
        ...     _ = nnlib.manual_seed(123); _ = nnlib.randn(5)
        >>> a = nnlib.randn(2)
        >>> _ = nnlib.manual_seed(0)
        >>> bool((nnlib.randn(2).data == a.data).all())
        True

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """
    global _generator
    saved = _generator
    _generator = np.random.default_rng()
    _generator.bit_generator.state = saved.bit_generator.state
    try:
        yield
    finally:
        _generator = saved
