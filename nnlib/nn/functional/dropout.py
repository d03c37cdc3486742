r"""Dropout: zero random units while training, scaled so that nothing changes on average."""

from __future__ import annotations

import numpy as np

from nnlib._checks import error
from nnlib._tensor import Tensor, from_op
from nnlib.random import default_generator

__all__ = ["dropout"]


def _check_p(where: str, p: object) -> None:
    """Refuse a drop probability outside [0, 1], in PyTorch's words plus a hint."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if (
        isinstance(p, bool)
        or not isinstance(p, (int, float, np.integer, np.floating))
        or not 0 <= p <= 1
    ):
        raise ValueError(
            f"{where}: dropout probability has to be between 0 and 1, but got {p!r}.\n"
            "help: p is the probability of dropping a unit; 0.5 for hidden layers and 0.1-0.2 "
            "for inputs are usual choices."
        )


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    r"""Inverted dropout: zero each element with probability :math:`p`, scale the rest.

    .. math::

        y = \frac{m \odot x}{1 - p}, \qquad m_i \sim \mathrm{Bernoulli}(1 - p), \qquad
        \frac{\partial L}{\partial x} = \frac{m \odot g}{1 - p}

    Dividing the kept units by the keep probability :math:`1 - p` during training makes
    :math:`\mathbb E[y] = x`, so at test time (``training=False``) the layer is simply the
    identity: no rescaling is needed there. The mask comes from nnlib's seeded generator
    (:func:`nnlib.manual_seed`).

    Args:
        input: Any shape.
        p: The probability of zeroing an element, in :math:`[0, 1]` (default 0.5).
        training: Apply dropout (``True``) or return ``input`` unchanged (``False``).
        inplace: Accepted for PyTorch compatibility; nnlib always returns a new tensor.

    Returns:
        A tensor of the same shape (``input`` itself when not training or ``p == 0``).

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> _ = nnlib.manual_seed(0)
        >>> F.dropout(nnlib.ones(8), p=0.5)
        tensor([2., 2., 2., 0., 0., 0., 0., 0.])
        >>> F.dropout(nnlib.ones(3), p=0.5, training=False)
        tensor([1., 1., 1.])

    Taught in chapter 7 (dropout and regularization).
    """
    if not isinstance(input, Tensor):
        error(
            "F.dropout",
            "a Tensor",
            type(input).__name__,
            "wrap the values first, e.g. nnlib.tensor([...]).",
            TypeError,
        )
    _check_p("F.dropout", p)
    if not training or p == 0:
        return input
    x = input.data
    if p == 1:  # everything is dropped; 1 / (1 - p) would be a division by zero
        mask = np.zeros_like(x)
    else:
        dtype = x.dtype if x.dtype in (np.float32, np.float64) else np.float64
        keep = default_generator().random(x.shape, dtype=dtype) >= p
        mask = keep * np.asarray(1 / (1 - p), dtype=dtype)
    out = x * mask
    return from_op(out, (input,), lambda g: (g * mask,), "DropoutBackward", saved=())
