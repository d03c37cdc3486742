r"""Reshaping layers: ``Flatten`` (images to vectors) and its inverse ``Unflatten``.

As in ``torch/nn/modules/flatten.py``; the reshapes themselves are in :mod:`nnlib.ops.shape`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nnlib._checks import check_dim, error, shape_str
from nnlib._tensor import Tensor
from nnlib.nn.modules.module import Module
from nnlib.ops.shape import flatten, reshape

__all__ = ["Flatten", "Unflatten"]


class Flatten(Module):
    """Merge dimensions ``start_dim`` … ``end_dim`` into one, e.g. images to vectors.

    Args:
        start_dim: The first dimension to merge (default 1, keeping the batch dimension).
        end_dim: The last dimension to merge (default -1).

    Shape:
        - Input: ``(N, *)``.
        - Output: ``(N, ∏ *)`` with the defaults.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> nn.Flatten()(nnlib.zeros(32, 8, 8)).shape
        (32, 64)

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        """Return ``input`` with the dimensions merged."""
        ndim = input.data.ndim
        for name, d in (("start_dim", self.start_dim), ("end_dim", self.end_dim)):
            if not -max(ndim, 1) <= d < max(ndim, 1):
                error(
                    "Flatten.forward",
                    f"{name} in [{-max(ndim, 1)}, {max(ndim, 1) - 1}] for an input with "
                    f"{ndim} dimensions",
                    f"{name}={d} and shape {shape_str(input.data.shape)}",
                    "Flatten() keeps dimension 0 (the batch) and merges the rest; pass "
                    "inputs of shape (N, ...).",
                    IndexError,
                )
        if self.start_dim % max(ndim, 1) > self.end_dim % max(ndim, 1):
            error(
                "Flatten.forward",
                "start_dim to come no later than end_dim",
                f"start_dim={self.start_dim} and end_dim={self.end_dim} for {ndim} dimensions",
                "swap them; Flatten(1, -1) merges everything after the batch dimension.",
            )
        return flatten(input, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        """``start_dim=…, end_dim=…``, as PyTorch prints it."""
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    r"""Split dimension ``dim`` into ``unflattened_size``: the inverse of :class:`Flatten`.

    An input of shape :math:`(\ldots, S, \ldots)` with :math:`S` at ``dim`` becomes
    :math:`(\ldots, s_1, \ldots, s_k, \ldots)` with :math:`\prod s_i = S`; one size may
    be ``-1``, inferred from the others.

    Args:
        dim: The dimension to split.
        unflattened_size: The new sizes, a tuple (or list) of ints.

    Shape:
        - Input: ``(*, S, *)`` with ``S`` at ``dim``.
        - Output: ``(*, s_1, ..., s_k, *)``.

    Raises:
        TypeError: if ``unflattened_size`` is not a tuple or list of ints.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> nn.Unflatten(1, (8, 8))(nnlib.zeros(32, 64)).shape
        (32, 8, 8)
        >>> nn.Unflatten(1, (8, 8))
        Unflatten(dim=1, unflattened_size=(8, 8))
    """

    def __init__(self, dim: int, unflattened_size: Sequence[int]) -> None:
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError(
                "unflattened_size must be a tuple of ints, but found type "
                f"{type(unflattened_size).__name__}\nhelp: pass the new sizes as a tuple, "
                "e.g. nn.Unflatten(1, (8, 8))."
            )
        for i, size in enumerate(unflattened_size):
            if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
                raise TypeError(
                    "unflattened_size must be tuple of ints, but found element of type "
                    f"{type(size).__name__} at pos {i}\nhelp: every size is an int (one may "
                    "be -1, to be inferred)."
                )
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, input: Tensor) -> Tensor:
        """Return ``input`` with dimension ``dim`` split."""
        shape = input.data.shape
        d = check_dim("Unflatten.forward", self.dim, len(shape))
        sizes = [int(s) for s in self.unflattened_size]
        known = int(np.prod([s for s in sizes if s != -1]))
        if sizes.count(-1) > 1 or any(s < -1 for s in sizes):
            error(
                "Unflatten.forward",
                "positive sizes with at most one -1",
                f"unflattened_size={tuple(sizes)}",
                "give every size but one; a single -1 is inferred from the others.",
                RuntimeError,
            )
        if (-1 in sizes and (known == 0 or shape[d] % known)) or (
            -1 not in sizes and known != shape[d]
        ):
            raise RuntimeError(
                f"unflatten: Provided sizes {sizes} don't multiply up to the size of dim "
                f"{d} ({shape[d]}) in the input tensor\nhelp: the input has shape "
                f"{shape_str(shape)}; choose sizes whose product is {shape[d]}."
            )
        return reshape(input, (*shape[:d], *sizes, *shape[d + 1 :]))

    def extra_repr(self) -> str:
        """``dim=…, unflattened_size=…``, as PyTorch prints it."""
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
