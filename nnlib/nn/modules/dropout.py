"""The ``Dropout`` layer: active in training mode, the identity in evaluation mode."""

from __future__ import annotations

from nnlib._tensor import Tensor
from nnlib.nn.functional.dropout import _check_p, dropout
from nnlib.nn.modules.module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    r"""Zero each element with probability ``p`` while training; see
    :func:`nnlib.nn.functional.dropout`.

    Kept elements are scaled by :math:`1/(1-p)` (inverted dropout), so after ``net.eval()``
    the layer passes its input through unchanged. Remember ``net.train()`` and
    ``net.eval()``: the layer reads ``self.training``.

    Args:
        p: The probability of zeroing an element (default 0.5).

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> drop = nn.Dropout(p=0.5)
        >>> drop
        Dropout(p=0.5, inplace=False)
        >>> _ = drop.eval()
        >>> drop(nnlib.ones(3))
        tensor([1., 1., 1.])

    Taught in chapter 7 (dropout and regularization).
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        _check_p("Dropout", p)  # refuse a bad p here, where the mistake was made
        self.p = p
        self.inplace = inplace  # only printed: nnlib always returns a new tensor

    def forward(self, input: Tensor) -> Tensor:
        """Apply dropout in training mode; return ``input`` in evaluation mode."""
        return dropout(input, self.p, self.training)

    def extra_repr(self) -> str:
        """``p=…, inplace=…``, as PyTorch prints it."""
        return f"p={self.p}, inplace={self.inplace}"
