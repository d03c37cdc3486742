"""One seeded random generator for the whole library (``nnlib.manual_seed``).

Initialisers, dropout masks, ``randn`` and shuffling data loaders all draw from the
generator returned by :func:`default_generator`, so one call to :func:`manual_seed` makes a
whole notebook repeatable, exactly as ``torch.manual_seed`` does for PyTorch.
"""

from __future__ import annotations

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

    Taught in chapter 1 (the perceptron).
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
